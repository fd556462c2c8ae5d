import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { seedCatalogueDemo } from '../../modules/catalogue/catalogue.demo.js';
import { audit, SYSTEM_ACTOR } from '../audit/audit.js';
import type { Role } from '../auth/roles.js';
import { hashPassword, newSecret } from '../auth/secrets.js';
import { createTenant } from '../tenants/tenants.service.js';
import { insertUser } from '../users/users.service.js';
import { seedDemoData } from './demo.data.js';

export const DEMO_TENANT_NAME = 'デモ通販株式会社';

const DEMO_STAFF: { email: string; name: string; role: Role }[] = [
  { email: 'sato@demo.madoguchi.jp', name: '佐藤 美咲', role: 'supervisor' },
  { email: 'suzuki@demo.madoguchi.jp', name: '鈴木 健太', role: 'operator' },
  { email: 'takahashi@demo.madoguchi.jp', name: '高橋 由美', role: 'operator' },
];

/** Year-end closing (12/29–1/3) and the summer break, as many Japanese mail-order firms close. */
function demoClosingDays(year: number) {
  return [
    { date: `${year}-08-13`, note: '夏季休業' },
    { date: `${year}-08-14`, note: '夏季休業' },
    { date: `${year}-12-29`, note: '年末休業' },
    { date: `${year}-12-30`, note: '年末休業' },
    { date: `${year}-12-31`, note: '年末休業' },
    { date: `${year + 1}-01-02`, note: '年始休業' },
    { date: `${year + 1}-01-03`, note: '年始休業' },
  ];
}

/** Fills a tenant with demo staff and settings. Users other than the admin share its password. */
export async function seedDemo(db: Database, tenantId: string, opts: { password: string; now: Date }) {
  const passwordHash = await hashPassword(opts.password);
  const year = opts.now.getFullYear();
  let users = 0;
  await db.withTenant(tenantId, async (tx) => {
    for (const staff of DEMO_STAFF) {
      const exists = await tx.query('SELECT 1 FROM users WHERE tenant_id = $1 AND lower(email) = lower($2)', [
        tenantId,
        staff.email,
      ]);
      if (exists.length > 0) continue;
      await insertUser(tx, { ...staff, passwordHash });
      users++;
    }
    await tx.query(
      `INSERT INTO closing_days (tenant_id, date, note)
       SELECT $1, d.date, d.note FROM unnest($2::date[], $3::text[]) AS d(date, note) ON CONFLICT DO NOTHING`,
      [tenantId, demoClosingDays(year).map((d) => d.date), demoClosingDays(year).map((d) => d.note)],
    );
    await seedCatalogueDemo(tx, opts.now);
    await audit(tx, SYSTEM_ACTOR, { action: 'demo.seed', objectType: 'tenant', objectId: tenantId, detail: { users } });
  });
  // Customers, a year of orders and 定期便, 対応履歴, cases and FAQ (once: nothing when customers exist).
  const data = await seedDemoData(db, tenantId, opts.now);
  return { users, data };
}

export type DemoLogin = { email: string; password: string | null; credentialsFile: string; created: boolean };

/**
 * On first start (no tenant at all), creates the demo tenant with an admin whose password is
 * MADOGUCHI_DEMO_PASSWORD or a generated one, written to DATA_DIR/demo-login.txt (mode 600).
 */
export async function ensureDemo(db: Database, config: Config, now: Date): Promise<DemoLogin | null> {
  const credentialsFile = path.join(config.dataDir, 'demo-login.txt');
  const [{ n } = { n: 0 }] = await db.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
  if (n > 0) {
    const hasDemoAdmin = await db.app.query('SELECT 1 FROM auth_login_candidate($1)', [config.demoEmail]);
    if (hasDemoAdmin.length === 0) return null;
    const saved = fs.existsSync(credentialsFile)
      ? fs.readFileSync(credentialsFile, 'utf8').match(/password: (\S+)/)?.[1]
      : null;
    return { email: config.demoEmail, password: config.demoPassword ?? saved ?? null, credentialsFile, created: false };
  }
  const password = config.demoPassword ?? newSecret(9);
  const { tenantId } = await createTenant(db, { name: DEMO_TENANT_NAME });
  const passwordHash = await hashPassword(password);
  await db.withTenant(tenantId, async (tx) => {
    await insertUser(tx, { email: config.demoEmail, name: '管理者', role: 'admin', passwordHash });
  });
  await seedDemo(db, tenantId, { password, now });
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(credentialsFile, `Madoguchi demo login\nemail: ${config.demoEmail}\npassword: ${password}\n`, {
    mode: 0o600,
  });
  return { email: config.demoEmail, password, credentialsFile, created: true };
}
