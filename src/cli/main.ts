import { Command, CommanderError, Option } from 'commander';
import { loadConfig } from '../server/config.js';
import { type Database, openDatabase } from '../server/db/database.js';
import { DataDirInUseError } from '../server/db/datadir-lock.js';
import { migrate } from '../server/db/migrate.js';
import { generateDue } from '../server/modules/subscriptions/generate.js';
import { audit, SYSTEM_ACTOR } from '../server/platform/audit/audit.js';
import { ROLES, type Role } from '../server/platform/auth/roles.js';
import { hashPassword } from '../server/platform/auth/secrets.js';
import { seedDemo } from '../server/platform/demo/demo.js';
import { AppError, toProblem } from '../server/platform/errors.js';
import { createTenant, tenantExists } from '../server/platform/tenants/tenants.service.js';
import { insertToken } from '../server/platform/tokens/tokens.service.js';
import { passwordSchema } from '../server/platform/users/users.schema.js';
import { insertUser } from '../server/platform/users/users.service.js';

/** A failure the user can act on: printed as one clear line, with its own exit code. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly code = 'error',
  ) {
    super(message);
  }
}

let json = false;

function out(result: Record<string, unknown>, human: string) {
  console.log(json ? JSON.stringify(result) : human);
}

async function withDb<T>(fn: (db: Database) => Promise<T>, { migrateFirst = true } = {}): Promise<T> {
  const config = loadConfig();
  let db: Database;
  try {
    db = await openDatabase({
      url: config.databaseUrl,
      appUrl: config.appDatabaseUrl,
      dataDir: config.dataDir,
      poolSize: 2,
    });
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      throw new CliError(
        `${err.message}\nThe CLI works on the embedded database only while the server is stopped.`,
        3,
        'data_dir_in_use',
      );
    }
    throw err;
  }
  try {
    if (migrateFirst) await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function requireTenant(db: Database, tenantId: string) {
  if (!(await tenantExists(db, tenantId))) throw new CliError(`No tenant with id ${tenantId}.`, 4, 'tenant_not_found');
}

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new CliError(`Unknown role "${value}". Roles: ${ROLES.join(', ')}.`, 2, 'unknown_role');
  }
  return value as Role;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new CliError('--password-stdin expects the password on standard input.', 2, 'no_stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const program = new Command('madoguchi')
  .description('Madoguchi (窓口) administration. Uses DATABASE_URL, or the embedded database in DATA_DIR.')
  .addOption(new Option('--json', 'print the result as JSON'))
  .hook('preAction', (cmd) => {
    json = Boolean(cmd.optsWithGlobals().json);
  })
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const dbCmd = program.command('db').description('database');
dbCmd
  .command('migrate')
  .description('apply the committed SQL migrations')
  .option('--json', 'print the result as JSON')
  .action(async () => {
    const applied = await withDb((db) => migrate(db), { migrateFirst: false });
    out(
      { ok: true, ...applied },
      `Applied ${applied.applied.length} migration(s); ${applied.total} in all, up to date.`,
    );
  });

program
  .command('tenant')
  .description('tenants')
  .command('create')
  .requiredOption('--name <name>', 'the organisation name')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { name: string }) => {
    const name = opts.name.trim();
    if (!name || name.length > 200) throw new CliError('--name must be 1–200 characters.', 2, 'invalid_name');
    const { tenantId } = await withDb((db) => createTenant(db, { name }));
    out({ tenantId }, `Tenant created: ${tenantId}`);
  });

program
  .command('user')
  .description('users')
  .command('create')
  .requiredOption('--tenant <id>', 'tenant id')
  .requiredOption('--email <email>', 'sign-in e-mail')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--name <name>', 'display name (default: the part of the e-mail before @)')
  .requiredOption('--password-stdin', 'read the password from standard input')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { tenant: string; email: string; role: string; name?: string }) => {
    const role = parseRole(opts.role);
    const password = await readStdin();
    const parsed = passwordSchema.safeParse(password);
    if (!parsed.success) throw new CliError('The password must be 8–200 characters.', 2, 'invalid_password');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(opts.email))
      throw new CliError(`"${opts.email}" is not an e-mail address.`, 2, 'invalid_email');
    const passwordHash = await hashPassword(password);
    const userId = await withDb(async (db) => {
      await requireTenant(db, opts.tenant);
      return db.withTenant(opts.tenant, async (tx) => {
        const user = await insertUser(tx, {
          email: opts.email,
          name: opts.name ?? opts.email.split('@')[0] ?? opts.email,
          role,
          passwordHash,
        });
        await audit(
          tx,
          { ...SYSTEM_ACTOR, label: 'cli' },
          { action: 'user.create', objectType: 'user', objectId: user.id, detail: { role } },
        );
        return user.id;
      });
    });
    out({ userId }, `User created: ${userId}`);
  });

program
  .command('token')
  .description('API tokens')
  .command('create')
  .requiredOption('--tenant <id>', 'tenant id')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--name <name>', 'what the token is for', 'cli')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { tenant: string; role: string; name: string }) => {
    const role = parseRole(opts.role);
    const created = await withDb(async (db) => {
      await requireTenant(db, opts.tenant);
      return db.withTenant(opts.tenant, async (tx) => {
        const token = await insertToken(tx, { name: opts.name.slice(0, 100) || 'cli', role, createdBy: null });
        await audit(
          tx,
          { ...SYSTEM_ACTOR, label: 'cli' },
          { action: 'token.create', objectType: 'token', objectId: token.id, detail: { role } },
        );
        return token;
      });
    });
    out({ token: created.token, id: created.id }, `${created.token}\n(shown once: store it now)`);
  });

program
  .command('seed')
  .description('demo data')
  .command('demo')
  .requiredOption('--tenant <id>', 'tenant id')
  .option('--password-stdin', 'password for the demo staff (default: a generated one, printed)')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { tenant: string; passwordStdin?: boolean }) => {
    const password = opts.passwordStdin ? await readStdin() : `demo-${Math.random().toString(36).slice(2, 10)}`;
    const result = await withDb(async (db) => {
      await requireTenant(db, opts.tenant);
      return seedDemo(db, opts.tenant, { password, now: new Date() });
    });
    out(
      { ...result, staffPassword: password },
      `Demo data added: ${result.users} staff users (password: ${password}).`,
    );
  });

program
  .command('subscriptions')
  .description('定期 (subscriptions)')
  .command('generate')
  .description('create the order of every delivery due on the date (exactly once; safe to repeat)')
  .requiredOption('--date <YYYY-MM-DD>', 'the day to generate for (Asia/Tokyo)')
  .option('--tenant <id>', 'one tenant only (default: every tenant)')
  .option('--json', 'print the result as JSON')
  .action(async (opts: { date: string; tenant?: string }) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.date) || Number.isNaN(Date.parse(`${opts.date}T00:00:00Z`)))
      throw new CliError(`--date must be a date as YYYY-MM-DD, not "${opts.date}"`, 2, 'usage');
    const result = await withDb(async (db) => {
      if (opts.tenant) await requireTenant(db, opts.tenant);
      return generateDue(db, { date: opts.date, now: new Date(), tenantId: opts.tenant });
    });
    out(
      { created: result.generated, late: result.late, exceptions: result.exceptions, date: result.date },
      `Subscriptions for ${result.date}: ${result.generated} order(s) created` +
        (result.late ? ` (${result.late} late)` : '') +
        (result.exceptions ? `, ${result.exceptions} exception(s) for the operators` : '') +
        '.',
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  let message = (err as Error).message;
  let code = 'error';
  let exitCode = 1;
  if (err instanceof CliError) ({ exitCode, code } = err);
  else if (err instanceof AppError) {
    const problem = toProblem(err, 'en');
    message = problem.errors?.[0]?.message ?? problem.detail;
    code = err.code;
  }
  if (json) console.log(JSON.stringify({ error: { code, message } }));
  console.error(`madoguchi: ${message}`);
  process.exit(exitCode);
}
