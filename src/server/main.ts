import pino from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { DataDirInUseError } from './db/datadir-lock.js';
import { migrate } from './db/migrate.js';
import { scheduleCaseAlarms } from './modules/cases/cases.jobs.js';
import { scheduleNotifications } from './modules/notifications/notifications.jobs.js';
import { paymentsJobs } from './modules/payments/payments.jobs.js';
import { scheduleRanks } from './modules/ranks/ranks.jobs.js';
import { scheduleReports } from './modules/reports/reports.jobs.js';
import { scheduleSubscriptions } from './modules/subscriptions/subscriptions.jobs.js';
import { scheduleTelephony } from './modules/telephony/telephony.jobs.js';
import { dummyPasswordHash } from './platform/auth/secrets.js';
import { OffsetClock, systemClock } from './platform/clock.js';
import { ensureDemo } from './platform/demo/demo.js';
import { scheduleMaintenance } from './platform/jobs/maintenance.job.js';
import { startJobs } from './platform/jobs/queue.js';
import { createMailer } from './platform/mail/mailer.js';
import { usersJobs } from './platform/users/users.jobs.js';

/** Starts Madoguchi: config, database, migrations, demo data, jobs, HTTP. */
async function main() {
  const started = Date.now();
  const config = loadConfig();
  const db = await openDatabase({
    url: config.databaseUrl,
    appUrl: config.appDatabaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
  });
  await migrate(db);
  // MADOGUCHI_TEST_CLOCK=1 (end-to-end tests only): one clock, moved by POST /api/v1/test/clock, for HTTP and jobs.
  const clock = config.testClock ? new OffsetClock() : systemClock;
  const demo = config.demo ? await ensureDemo(db, config, clock.now()) : null;
  const mailer = createMailer(config);
  const log = pino({ level: config.logLevel });
  // Every process can enqueue; only JOBS=1 processes run the handlers.
  const jobs = await startJobs({ db, config, clock, mailer, log });
  for (const job of usersJobs) await jobs.define(job);
  for (const job of paymentsJobs) await jobs.define(job);
  await scheduleMaintenance(jobs, config);
  await scheduleRanks(jobs);
  await scheduleReports(jobs);
  await scheduleCaseAlarms(jobs);
  await scheduleNotifications(jobs);
  await scheduleTelephony(jobs);
  await scheduleSubscriptions(jobs);
  if (!mailer) log.info('mail is off: set SMTP_URL to send notices');
  const app = await buildApp({ db, config, clock, mailer, jobs });
  await app.listen({ port: config.port, host: config.host });
  // Made now rather than during start-up or at the first sign-in of an unknown e-mail.
  dummyPasswordHash().catch((err: Error) => log.error({ err }, 'argon2 is not usable: password sign-in will fail'));

  const url = config.publicUrl ?? `http://localhost:${config.port}`;
  const lines = [
    '',
    `  窓口 Madoguchi is running: ${url}`,
    `  database: ${db.kind === 'pg' ? 'PostgreSQL server (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}`}`,
    `  API docs: ${url}/api/docs`,
  ];
  if (demo) {
    lines.push(`  demo login: ${demo.email} / ${demo.password ?? `(see ${demo.credentialsFile})`}`);
    lines.push(
      '  Change this password after signing in (アカウント → パスワード変更). / サインイン後にパスワードを変更してください。',
    );
  }
  lines.push(`  ready in ${((Date.now() - started) / 1000).toFixed(1)} s`, '');
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await jobs.stop();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirInUseError) {
    console.error(`\n  ${err.message}\n`);
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    const port = (err as { port?: number }).port;
    console.error(
      `\n  Port ${port} is already in use: stop what uses it, or set PORT. / ポート ${port} は使用中です。PORT を指定してください。\n`,
    );
  } else {
    console.error('Madoguchi could not start / 起動できませんでした:', err);
  }
  process.exit(1);
});
