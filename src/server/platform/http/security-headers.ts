import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for these options, computed once. Calling helmet's middleware per
 * request (as @fastify/helmet does) rebuilds the same strings every time — about 5 % of the
 * server's CPU on a small JSON read (docs/performance-history.md). Options whose value depends on the
 * request (CSP nonces, directive functions) are refused: they cannot be computed once.
 */
export function securityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  const req = new Proxy({} as IncomingMessage, {
    get() {
      throw new Error('securityHeaders: an option depends on the request');
    },
  });
  helmet(options)(req, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return Object.freeze(headers);
}
