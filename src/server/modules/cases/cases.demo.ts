// The demo tenant's open ケース: a handful of the last days' open 対応履歴 entries escalated
// (escalateInteraction, as POST /interactions/{id}/escalate does) to a staff member, one of them
// already past its due time so that the board and the overdue alarm have something to show.
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import type { Rng } from '../../platform/demo/random.js';
import { escalateInteraction } from './cases.service.js';

const NOTES = [
  '折り返しのお約束あり。至急確認をお願いします。',
  'お客様はかなりご立腹です。上長からのご連絡をご希望。',
  '経理・物流と確認の上、本日中にご連絡ください。',
  '返金の可否について判断をお願いします。',
  '法人対応の可否をご判断ください。',
];

export async function seedCasesDemo(
  db: Database,
  tenantId: string,
  opts: {
    now: Date;
    rng: Rng;
    /** Open entries, oldest first. */
    entries: { id: string; subject: string; at: Date }[];
    staff: { id: string; actor: Actor; supervisor: boolean }[];
    count: number;
  },
): Promise<number> {
  const hour = 3_600_000;
  const supervisor = opts.staff.find((s) => s.supervisor) ?? opts.staff[0];
  const workers = opts.staff.filter((s) => !s.supervisor);
  let made = 0;
  for (const [i, entry] of opts.entries.slice(0, opts.count).entries()) {
    const escalatedAt = new Date(Math.min(entry.at.getTime() + hour, opts.now.getTime()));
    // The first (oldest) one was due a day ago: overdue. The others fall due in the coming days.
    const dueAt =
      i === 0
        ? new Date(Math.max(opts.now.getTime() - 24 * hour, escalatedAt.getTime() + hour))
        : new Date(opts.now.getTime() + opts.rng.int(1, 5) * 24 * hour);
    const from = i === 0 ? new Date(dueAt.getTime() - 2 * hour) : escalatedAt;
    await escalateInteraction(
      db,
      { tenantId, actor: (opts.staff[i % opts.staff.length] ?? supervisor)?.actor as Actor, now: from },
      entry.id,
      {
        assigneeId: (workers[i % Math.max(1, workers.length)] ?? supervisor)?.id,
        supervisorId: supervisor?.id,
        dueAt: dueAt.toISOString(),
        note: NOTES[i % NOTES.length] as string,
      },
    );
    made++;
  }
  return made;
}
