import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import type { JobContext } from '../../platform/jobs/job.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp, testConfig } from '../../test/harness.js';
import { type PaymentsFixture, paymentsFixture } from './payments.fixtures.js';
import { paymentReminderMailJob } from './payments.jobs.js';

let app: TestApp;
let a: TestTenant;
let f: PaymentsFixture;
const clock = new ManualClock(new Date('2025-06-02T03:00:00Z'));
const sent: { to: string; subject: string; text: string }[] = [];
let jobs: { name: string; payload: { tenantId: string; reminderId: string } }[] = [];

beforeAll(async () => {
  // A queue that records what is enqueued: the handler is run below as the worker would.
  const queue = {
    send: async (job: { name: string } | string, payload: unknown) => {
      jobs.push({ name: typeof job === 'string' ? job : job.name, payload: payload as never });
      return 'job';
    },
  };
  app = await testApp({ clock, jobs: queue as never });
  a = await makeTenant(app);
  f = paymentsFixture(app, dbOf(app), a);
});

const get = (url: string, token = a.adminToken) =>
  app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(token) });
const post = (url: string, payload: unknown, token = a.adminToken) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(token), payload: payload as object });

describe('unpaid list and reminders', () => {
  let overdue: { id: string; number: number };
  let late: { id: string; number: number };
  let noMail: { id: string; number: number };
  let customerId: string;

  beforeAll(async () => {
    const transfer = await f.paymentMethod('BANK', 'bank_transfer', 7);
    const konbini = await f.paymentMethod('CVS', 'convenience', null);
    customerId = await f.customer('山田 花子', 'ヤマダ ハナコ', ['hanako@example.jp']);
    const other = await f.customer('鈴木 一郎', 'スズキ イチロウ');
    // Today 2025-06-02. Due: 05-01 + 7 = 05-08 (25 days over); 05-20 + 14 = 06-03 (not yet).
    overdue = await f.order({ customerId, number: 5001, paymentMethodId: transfer, orderDate: '2025-05-01' });
    await f.order({
      customerId,
      number: 5002,
      paymentMethodId: konbini,
      paymentKind: 'convenience',
      orderDate: '2025-05-20',
    });
    late = await f.order({
      customerId,
      number: 5003,
      paymentMethodId: konbini,
      paymentKind: 'convenience',
      orderDate: '2025-05-10',
    });
    noMail = await f.order({ customerId: other, number: 5004, paymentMethodId: transfer, orderDate: '2025-05-15' });
    // Paid, card, cancelled: never listed.
    const paid = await f.order({ customerId, number: 5005, paymentMethodId: transfer, orderDate: '2025-04-01' });
    await post('/payments', { orderId: paid.id, amount: 5800, method: 'bank_transfer' });
    await f.order({ customerId, number: 5006, paymentKind: 'card', orderDate: '2025-04-01' });
    await f.order({
      customerId,
      number: 5007,
      paymentMethodId: transfer,
      orderDate: '2025-04-01',
      status: 'cancelled',
    });
    await post('/payments', { orderId: overdue.id, amount: 800, method: 'bank_transfer' });
  });

  it('lists bank-transfer and convenience orders past their due date, oldest first', async () => {
    const res = await get('/payments/unpaid');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { orderNumber: number }) => i.orderNumber)).toEqual([5001, 5003, 5004]);
    expect(items[0]).toMatchObject({
      dueDate: '2025-05-08',
      daysOverdue: 25,
      total: 5800,
      paidAmount: 800,
      balance: 5000,
      reminders: 0,
    });
    expect(items[1]).toMatchObject({ dueDate: '2025-05-24', daysOverdue: 9 });
    expect(
      (await get('/payments/unpaid?olderThanDays=10')).json().items.map((i: { orderNumber: number }) => i.orderNumber),
    ).toEqual([5001, 5004]);
    const first = (await get('/payments/unpaid?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const rest = (await get(`/payments/unpaid?limit=2&cursor=${first.nextCursor}`)).json();
    expect(rest.items.map((i: { orderNumber: number }) => i.orderNumber)).toEqual([5004]);
    expect(rest.nextCursor).toBeNull();
  });

  it('sends reminder e-mails through the mail queue and records them in AC履歴', async () => {
    jobs = [];
    const res = await post('/payments/reminders/email', { orderIds: [overdue.id, noMail.id] });
    expect(res.statusCode).toBe(202);
    expect(res.json().sent.map((s: { orderId: string }) => s.orderId)).toEqual([overdue.id]);
    expect(res.json().skipped).toEqual([{ orderId: noMail.id, reason: 'no_email' }]);
    expect(jobs).toEqual([
      { name: 'payments.reminder_mail', payload: { tenantId: a.tenantId, reminderId: res.json().sent[0].reminderId } },
    ]);

    // The worker's run of the job: the mail says what is still owed.
    const ctx = {
      db: dbOf(app),
      config: testConfig(),
      clock,
      mailer: { send: async (m: (typeof sent)[number]) => void sent.push(m) },
      log: { info() {}, warn() {}, error() {} },
      jobId: 'j',
      name: paymentReminderMailJob.name,
      attempt: 1,
    } as unknown as JobContext;
    expect(await paymentReminderMailJob.handler(jobs[0]?.payload as never, ctx)).toEqual({ sent: true });
    expect(sent[0]?.to).toBe('hanako@example.jp');
    expect(sent[0]?.subject).toContain('ご注文番号 5001');
    expect(sent[0]?.text).toContain('¥5,000');

    const actions = (await get(`/customers/${customerId}/actions`)).json().items;
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'other',
          refType: 'payment_reminder',
          note: expect.stringContaining('入金督促メール 受注 #5001'),
        }),
      ]),
    );
    expect((await get('/payments/unpaid')).json().items[0]).toMatchObject({ orderNumber: 5001, reminders: 1 });
  });

  it('makes reminder letters as a PDF and records them as DM in AC履歴', async () => {
    const res = await post('/payments/reminders/letters', { orderIds: [late.id] });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const actions = (await get(`/customers/${customerId}/actions`)).json().items;
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'dm', note: expect.stringContaining('入金督促状 受注 #5003') }),
      ]),
    );
    // Nothing owed → 422; another tenant's order → 404; a client viewer → 403.
    const paid = (await get('/payments?limit=500'))
      .json()
      .items.find((p: { orderNumber: number }) => p.orderNumber === 5005);
    expect((await post('/payments/reminders/letters', { orderIds: [paid.orderId] })).statusCode).toBe(422);
    const b = await makeTenant(app);
    expect((await post('/payments/reminders/letters', { orderIds: [late.id] }, b.adminToken)).statusCode).toBe(404);
    expect((await post('/payments/reminders/email', { orderIds: [late.id] }, b.adminToken)).statusCode).toBe(404);
    expect((await get('/payments/unpaid', b.adminToken)).json().items).toEqual([]);
    expect((await get('/payments/unpaid', await a.token('client_viewer'))).statusCode).toBe(403);
  });
});
