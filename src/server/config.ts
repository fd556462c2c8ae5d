import path from 'node:path';
import { z } from 'zod';

/** Every environment variable Madoguchi reads. docs/configuration.md lists them for operators. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  APP_DATABASE_URL: z.string().url().optional(),
  MADOGUCHI_DEMO: z.enum(['0', '1']).default('1'),
  MADOGUCHI_DEMO_EMAIL: z.string().email().default('admin@demo.madoguchi.jp'),
  MADOGUCHI_DEMO_PASSWORD: z.string().min(8).optional(),
  PUBLIC_URL: z.string().url().optional(),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().positive().default(15),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(20),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Madoguchi <no-reply@madoguchi.local>'),
  JOBS: z.enum(['0', '1']).default('1'),
  MAINTENANCE_CRON: z.string().default('15 3 * * *'),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(20),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(10).max(30_000).default(25_000),
  MADOGUCHI_TEST_CLOCK: z.enum(['0', '1']).default('0'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  appDatabaseUrl: string | undefined;
  demo: boolean;
  demoEmail: string;
  demoPassword: string | undefined;
  publicUrl: string | undefined;
  bodyLimit: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailures: number; lockMinutes: number; ratePerMinute: number };
  smtpUrl: string | undefined;
  mailFrom: string;
  jobs: boolean;
  maintenanceCron: string;
  dbPoolSize: number;
  /** How often a server-sent event stream gets a comment line (proxies close idle connections). */
  sseHeartbeatMs: number;
  /** Test only: a clock that `POST /api/v1/test/clock` (admin) moves. Never set it in production. */
  testClock: boolean;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment / 環境変数が不正です:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    appDatabaseUrl: e.APP_DATABASE_URL,
    demo: e.MADOGUCHI_DEMO === '1',
    demoEmail: e.MADOGUCHI_DEMO_EMAIL,
    demoPassword: e.MADOGUCHI_DEMO_PASSWORD,
    publicUrl: e.PUBLIC_URL,
    bodyLimit: e.BODY_LIMIT_BYTES,
    logLevel: e.LOG_LEVEL,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    login: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      lockMinutes: e.LOGIN_LOCK_MINUTES,
      ratePerMinute: e.LOGIN_RATE_PER_MINUTE,
    },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jobs: e.JOBS === '1',
    maintenanceCron: e.MAINTENANCE_CRON,
    dbPoolSize: e.DB_POOL_SIZE,
    sseHeartbeatMs: e.SSE_HEARTBEAT_MS,
    testClock: e.MADOGUCHI_TEST_CLOCK === '1',
  };
}
