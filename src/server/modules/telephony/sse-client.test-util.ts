// A server-sent events client for tests: reads a real HTTP stream (node:http, one connection of
// its own per stream, no pooling), parses frames as the EventSource specification does, and notes
// when each frame arrived.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ScreenPop } from './telephony.schema.js';

export type SseFrame = {
  /** The frame's `id:` field, if it had one. */
  id: string | null;
  event: string | null;
  data: string | null;
  comments: string[];
  retry: number | null;
  /** performance.now() when the frame was complete. */
  at: number;
};

export class SseClient {
  readonly frames: SseFrame[] = [];
  ended = false;
  /** What EventSource would send back as Last-Event-ID on reconnecting (the last `id:` seen). */
  lastEventId = '';
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(
    readonly response: { status: number; headers: { get(name: string): string | null } },
    private readonly request: http.ClientRequest,
  ) {}

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        const response = {
          status: res.statusCode ?? 0,
          headers: {
            get: (name: string) => {
              const value = res.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
            },
          },
        };
        const client = new SseClient(response, request);
        if (response.status === 200) client.read(res);
        else {
          client.ended = true;
          res.resume();
        }
        resolve(client);
      });
      request.on('error', reject);
    });
  }

  /** The data of every `event: call` frame so far. */
  calls(): ScreenPop[] {
    return this.frames.filter((f) => f.event === 'call' && f.data !== null).map((f) => JSON.parse(f.data as string));
  }

  /** The `id:` of every `event: call` frame so far, as numbers. */
  callIds(): number[] {
    return this.frames.filter((f) => f.event === 'call').map((f) => Number(f.id));
  }

  /** The first call frame matching, with the time it arrived; waits for it up to timeoutMs. */
  async call(match: (pop: ScreenPop) => boolean, timeoutMs = 2_000): Promise<{ pop: ScreenPop; at: number }> {
    return this.waitFor(() => {
      const frame = this.frames.find((f) => f.event === 'call' && f.data !== null && match(JSON.parse(f.data)));
      return frame ? { pop: JSON.parse(frame.data as string) as ScreenPop, at: frame.at } : undefined;
    }, timeoutMs);
  }

  /** Waits until `find` answers something, the stream ends (error) or the time runs out (error). */
  async waitFor<T>(find: () => T | undefined, timeoutMs = 2_000, what = 'a frame'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (this.ended) throw new Error(`the stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server ends the stream; false if it is still open after timeoutMs. */
  async waitEnd(timeoutMs = 2_000): Promise<boolean> {
    try {
      await this.waitFor(() => (this.ended ? true : undefined), timeoutMs, 'the end');
      return true;
    } catch {
      return this.ended;
    }
  }

  close(): void {
    this.request.destroy();
  }

  private read(res: http.IncomingMessage): void {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.parse();
    });
    const done = () => {
      this.ended = true;
      this.wake();
    };
    res.on('end', done);
    res.on('close', done);
    res.on('error', done);
  }

  private parse(): void {
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: SseFrame = { id: null, event: null, data: null, comments: [], retry: null, at: performance.now() };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          frame.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id' && !value.includes('\0')) {
          frame.id = value;
          this.lastEventId = value;
        } else if (field === 'event') frame.event = value;
        else if (field === 'data') frame.data = frame.data === null ? value : `${frame.data}\n${value}`;
        else if (field === 'retry') frame.retry = Number(value);
      }
      this.frames.push(frame);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
