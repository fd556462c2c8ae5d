export interface Cluster {
  /** Superuser URL, e.g. postgres://postgres@127.0.0.1:41234/postgres */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (immediate mode) and removes its directory. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Fixed port; default a free one on 127.0.0.1. */
  port?: number;
  /** Print the URL on stderr once started. */
  log?: boolean;
  /** Extra postgresql.conf settings (values written as given, quote strings yourself). */
  settings?: Record<string, string | number>;
}

export function startCluster(options?: StartOptions): Promise<Cluster>;
export function findPgBin(): string | undefined;
export function ensurePostgres(): string;
export function freePort(): Promise<number>;
