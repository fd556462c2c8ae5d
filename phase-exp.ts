import { loadConfig } from './src/server/config.js';
import { openDatabase } from './src/server/db/database.js';
import { migrate } from './src/server/db/migrate.js';
import { ensureDemo } from './src/server/platform/demo/demo.js';
import { placeOrders } from './src/server/modules/orders/orders.service.js';
import { randomUUID } from 'node:crypto';
const config = loadConfig();
const db = await openDatabase({ url: process.env.DATABASE_URL });
await migrate(db);
await ensureDemo(db, config, new Date());
const [t] = await db.owner.query<{ id: string }>('SELECT tenant_id AS id FROM customers GROUP BY 1 ORDER BY count(*) DESC LIMIT 1');
const tenantId = t!.id;
const cs = await db.owner.query<{ id: string }>('SELECT id FROM customers WHERE tenant_id = $1 LIMIT 100', [tenantId]);
const ps = await db.owner.query<{ id: string }>("SELECT id FROM products WHERE tenant_id = $1 AND active AND kind = 'normal' AND stock IS NULL LIMIT 10", [tenantId]);
await db.owner.exec('ANALYZE');
const pick = <T,>(a: T[]) => a[Math.floor(Math.random() * a.length)]!;
const N = Number(process.env.N ?? 300), B = Number(process.env.B ?? 1);
const sums: Record<string, number[]> = {};
let last = 0;
(globalThis as any).__phase = (name: string) => { const now = performance.now(); (sums[name] ??= []).push(now - last); last = now; };
const tot: number[] = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < N; i++) {
  const batch = Array.from({ length: B }, () => ({
    ctx: { tenantId, actor: { type: 'user' as const, id: null, label: 'x', requestId: randomUUID(), ip: null }, now: new Date() },
    input: { customerId: pick(cs).id, lines: [{ productId: pick(ps).id, quantity: 1 }] } as any,
    key: randomUUID(),
  }));
  const t0 = performance.now(); last = t0;
  const r = await placeOrders(db, batch);
  if (!r[0]!.ok) { console.log(r[0]); break; }
  const t1 = performance.now();
  (sums['commit+rest'] ??= []).push(t1 - last);
  tot.push(t1 - t0);
}
const cpu = process.cpuUsage(cpu0);
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y).slice(50); return s[Math.floor(s.length / 2)]!.toFixed(2); };
console.log('total median', med(tot), 'node cpu ms/txn', ((cpu.user + cpu.system) / 1000 / N).toFixed(2));
for (const [k, v] of Object.entries(sums)) console.log(k, med(v));
await db.close();
