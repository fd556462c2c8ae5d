// Starts what the e2e tests run against: a throw-away PostgreSQL cluster and Madoguchi on it as
// `npm start` runs it, with the demo tenant (MADOGUCHI_DEMO=1) and a known admin login. The
// workers get E2E_BASE_URL, E2E_ADMIN_EMAIL and E2E_ADMIN_PASSWORD. Returns the teardown.
//
// With E2E_BASE_URL already set, nothing is started (test a running server).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, startCluster } from '../scripts/pg-cluster.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_EMAIL = 'admin@demo.madoguchi.jp';
const ADMIN_PASSWORD = 'e2e-Demo-Pass-2024!';

/**
 * What `npm start` runs (scripts/start.mjs: builds the web app when it is missing or stale, then
 * starts the server). E2E_SERVER_ENTRY overrides it.
 */
function serverEntry(): string {
  const entry = path.resolve(ROOT, process.env.E2E_SERVER_ENTRY ?? 'scripts/start.mjs');
  if (!fs.existsSync(entry)) throw new Error(`no server entry at ${entry}`);
  return entry;
}

async function waitHealthy(url: string, server: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  server.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) break;
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-4000) : '';
  throw new Error(
    `${exited !== null ? `server exited (${exited})` : 'server not healthy in time'}; log ${logFile}:\n${log}`,
  );
}

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.E2E_BASE_URL) {
    process.env.E2E_ADMIN_EMAIL ??= ADMIN_EMAIL;
    return undefined;
  }
  const entry = serverEntry();
  const cluster = await startCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE madoguchi_e2e');
  await admin.end();
  const databaseUrl = cluster.url.replace(/\/postgres$/, '/madoguchi_e2e');

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'madoguchi-e2e-'));
  const logFile = path.join(ROOT, 'test-results', 'e2e-server.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const server = spawn(process.execPath, [entry], {
    cwd: ROOT,
    detached: true, // own process group: the teardown stops it and anything it started
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      MADOGUCHI_DEMO: '1',
      MADOGUCHI_DEMO_EMAIL: ADMIN_EMAIL,
      MADOGUCHI_DEMO_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
      // The flows sign in (and out) far more often than a person: ~25 sign-ins a minute from one
      // address would hit the default limit of 20. The limit itself is covered by the
      // integration tests (auth.core.int.test.ts).
      LOGIN_RATE_PER_MINUTE: '200',
      // The inbound-desk flow moves the server's clock to see a case turn overdue.
      MADOGUCHI_TEST_CLOCK: '1',
    },
  });
  fs.closeSync(log);

  const stop = async () => {
    if (server.exitCode === null && server.pid) {
      const gone = new Promise((r) => server.once('exit', r));
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-(server.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await gone;
      clearTimeout(timer);
    }
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitHealthy(baseUrl, server, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_ADMIN_EMAIL = ADMIN_EMAIL;
  process.env.E2E_ADMIN_PASSWORD = ADMIN_PASSWORD;
  return stop;
}
