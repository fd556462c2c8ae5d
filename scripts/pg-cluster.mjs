#!/usr/bin/env node
// A throw-away PostgreSQL cluster for tests, e2e and benchmarks.
//
//   import { startCluster } from './scripts/pg-cluster.mjs';
//   const pg = await startCluster();      // { url, port, dataDir, stop() }
//   ...
//   await pg.stop();                      // kills it and removes its directory
//
// CLI: `node scripts/pg-cluster.mjs` starts one, prints `DATABASE_URL=…` on stdout and keeps it
// running until Ctrl+C / SIGTERM.
//
// Uses Debian's PostgreSQL (`apt-get install postgresql`; PG_BIN overrides the bin directory).
// initdb -E UTF8 --locale=C.UTF-8 -A trust in a temp dir, fsync/synchronous_commit/
// full_page_writes off, listening on a free port on 127.0.0.1 only. PostgreSQL refuses to run as
// root, so as root every command runs as the `postgres` OS user (runuser). The cluster is removed
// on stop(), on process exit, and by a small watchdog if this process dies without either.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PG_MAJOR = '15';
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';
const OS_USER = 'postgres';

/** Every cluster this process started and has not stopped yet (for the exit hook). */
const live = new Set();

/** Finds the bin directory: $PG_BIN, else Debian's PostgreSQL 15, else the newest Debian one. */
export function findPgBin() {
  const candidates = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  candidates.push(path.join(DEBIAN_PG_ROOT, PG_MAJOR, 'bin'));
  if (fs.existsSync(DEBIAN_PG_ROOT)) {
    const versions = fs
      .readdirSync(DEBIAN_PG_ROOT)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(DEBIAN_PG_ROOT, v, 'bin'));
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'postgres')) && fs.existsSync(path.join(dir, 'initdb')));
}

/**
 * Returns the bin directory, installing Debian's `postgresql` package first when it is missing
 * and we are root (as on CI). Set PG_CLUSTER_NO_INSTALL=1 to forbid that.
 */
export function ensurePostgres() {
  let bin = findPgBin();
  if (bin) return bin;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || process.env.PG_CLUSTER_NO_INSTALL === '1') {
    throw new Error(
      `PostgreSQL server binaries not found under ${DEBIAN_PG_ROOT}. Install them with ` +
        '`sudo apt-get install postgresql` (or run .ci/run), set PG_BIN to a bin directory, ' +
        'or set DATABASE_URL to an existing server.',
    );
  }
  process.stderr.write('[pg-cluster] PostgreSQL not found; installing Debian package `postgresql`…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  bin = findPgBin();
  if (!bin) throw new Error('apt-get installed postgresql but no server binaries were found');
  return bin;
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Where cluster directories go: PG_CLUSTER_TMPDIR, else the temp dir. As root the postgres user
 * must be able to reach it, so a private TMPDIR (e.g. under /root) falls back to /tmp.
 */
function clusterParent() {
  if (process.env.PG_CLUSTER_TMPDIR) return process.env.PG_CLUSTER_TMPDIR;
  const tmp = os.tmpdir();
  if (!isRoot()) return tmp;
  for (let dir = tmp; ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return '/tmp';
    if (dir === path.dirname(dir)) return tmp;
  }
}

/** argv that runs `file args…` as the postgres OS user when we are root, as ourselves otherwise. */
function asPostgres(file, args) {
  return isRoot() ? ['runuser', ['-u', OS_USER, '--', file, ...args]] : [file, args];
}

function run(file, args, opts = {}) {
  const [cmd, argv] = asPostgres(file, args);
  const res = spawnSync(cmd, argv, { encoding: 'utf8', cwd: opts.cwd ?? os.tmpdir(), timeout: opts.timeout ?? 60_000 });
  if (res.error) throw res.error;
  if (res.status !== 0 && !opts.allowFail) {
    throw new Error(`${path.basename(file)} ${args.join(' ')} failed (${res.status}):\n${res.stdout}${res.stderr}`);
  }
  return res;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function stopSync(cluster) {
  if (cluster.stopped) return;
  cluster.stopped = true;
  live.delete(cluster);
  // -m immediate: the data is throw-away, so skip the shutdown checkpoint.
  run(path.join(cluster.bin, 'pg_ctl'), ['stop', '-D', cluster.pgdata, '-m', 'immediate', '-w', '-t', '30'], {
    cwd: cluster.dir,
    allowFail: true,
    timeout: 40_000,
  });
  try {
    if (cluster.watchdog) process.kill(cluster.watchdog);
  } catch {
    // already gone
  }
  fs.rmSync(cluster.dir, { recursive: true, force: true });
}

let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const c of [...live]) {
      try {
        stopSync(c);
      } catch {
        // best effort while exiting
      }
    }
  });
}

/**
 * A watchdog shell: when our process is gone (even after kill -9) it stops the cluster and
 * removes its directory. stop() kills the watchdog first.
 */
function startWatchdog(cluster) {
  const q = (s) => `'${s.replaceAll("'", `'\\''`)}'`;
  const [cmd, argv] = asPostgres(path.join(cluster.bin, 'pg_ctl'), ['stop', '-D', cluster.pgdata, '-m', 'immediate']);
  const stop = [cmd, ...argv].map(q).join(' ');
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; ${stop} >/dev/null 2>&1; rm -rf ${q(cluster.dir)}`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', cwd: os.tmpdir() });
  child.unref();
  return child.pid;
}

/**
 * Starts a throw-away cluster.
 * @param {{ port?: number, log?: boolean, settings?: Record<string, string | number> }} [options]
 *   port: fixed port (default: a free one); settings: extra postgresql.conf lines.
 * @returns {Promise<{ url: string, port: number, dataDir: string, stop: () => Promise<void> }>}
 */
export async function startCluster(options = {}) {
  const bin = ensurePostgres();
  const dir = fs.mkdtempSync(path.join(clusterParent(), 'madoguchi-pg-'));
  const pgdata = path.join(dir, 'data');
  const cluster = { bin, dir, pgdata, stopped: false, watchdog: undefined };
  live.add(cluster);
  hookExit();
  try {
    fs.chmodSync(dir, 0o700);
    if (isRoot()) execFileSync('chown', [`${OS_USER}:`, dir]);

    run(path.join(bin, 'initdb'), [
      '-D',
      pgdata,
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '--no-instructions',
    ]);

    let lastError;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = options.port ?? (await freePort());
      const conf = {
        listen_addresses: "'127.0.0.1'",
        port,
        unix_socket_directories: `'${dir}'`,
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: 200,
        shared_buffers: "'128MB'",
        max_wal_size: "'1GB'",
        checkpoint_timeout: "'30min'",
        log_min_messages: 'warning',
        log_min_error_statement: 'panic',
        log_statement: "'none'",
        ...options.settings,
      };
      const lines = Object.entries(conf).map(([k, v]) => `${k} = ${v}`);
      fs.writeFileSync(path.join(pgdata, 'postgresql.auto.conf'), `${lines.join('\n')}\n`);
      const logFile = path.join(dir, 'postgres.log');
      const res = run(path.join(bin, 'pg_ctl'), ['start', '-D', pgdata, '-l', logFile, '-w', '-t', '60', '-s'], {
        cwd: dir,
        allowFail: true,
        timeout: 90_000,
      });
      if (res.status === 0 && (await waitReady(bin, port, dir))) {
        cluster.watchdog = startWatchdog(cluster);
        const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
        if (options.log) process.stderr.write(`[pg-cluster] ${url} (${dir})\n`);
        return {
          url,
          port,
          dataDir: pgdata,
          stop: async () => stopSync(cluster),
        };
      }
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      lastError = new Error(`postgres did not start on port ${port}:\n${res.stdout}${res.stderr}${log.slice(-4000)}`);
      run(path.join(bin, 'pg_ctl'), ['stop', '-D', pgdata, '-m', 'immediate'], { cwd: dir, allowFail: true });
      if (options.port || !/could not bind|address already in use/i.test(log)) break;
    }
    throw lastError;
  } catch (err) {
    stopSync(cluster);
    throw err;
  }
}

async function waitReady(bin, port, dir) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = spawnSync(
      path.join(bin, 'pg_isready'),
      ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'],
      {
        cwd: dir,
      },
    );
    if (res.status === 0) return true;
    await sleep(50);
  }
  return false;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(
      'Usage: node scripts/pg-cluster.mjs [--port N]\n' +
        'Starts a throw-away PostgreSQL cluster, prints DATABASE_URL=… and runs until Ctrl+C.\n',
    );
    return;
  }
  const i = args.indexOf('--port');
  const port = i >= 0 ? Number(args[i + 1]) : undefined;
  const pg = await startCluster({ port });
  process.stdout.write(`DATABASE_URL=${pg.url}\n`);
  process.stderr.write(`[pg-cluster] data in ${pg.dataDir}; Ctrl+C stops and removes it\n`);
  const shutdown = async () => {
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  setInterval(() => {}, 1 << 30);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  });
}
