// 対応履歴 (interactions), their kinds and change history, as the API shows them and the database holds them.
import { z } from 'zod';

export const CHANNELS = ['inbound_call', 'outbound_call', 'mail', 'web_form', 'letter', 'other'] as const;
export const STATUSES = ['in_progress', 'on_hold', 'escalated', 'done'] as const;
/** What a person may set: `escalated` is set by the cases module when it opens a case (setInteractionStatus). */
export const SETTABLE_STATUSES = ['in_progress', 'on_hold', 'done'] as const;
export type Channel = (typeof CHANNELS)[number];
export type InteractionStatus = (typeof STATUSES)[number];

export const CHANNEL_LABELS: Record<Channel, string> = {
  inbound_call: '電話(受信)',
  outbound_call: '電話(発信)',
  mail: 'メール',
  web_form: 'Webフォーム',
  letter: '郵便',
  other: 'その他',
};
export const STATUS_LABELS: Record<InteractionStatus, string> = {
  in_progress: '対応中',
  on_hold: '保留',
  escalated: 'エスカレーション',
  done: '完了',
};

const datetime = z.iso.datetime({ offset: true });
const optionalText = (max: number) => z.string().trim().max(max).nullish();

// Kinds (区分).

export const kindSchema = z.object({
  id: z.uuid(),
  code: z.string().nullable(),
  name: z.string(),
  position: z.number().int(),
  active: z.boolean(),
});
export type Kind = z.infer<typeof kindSchema>;

export const createKindSchema = z.strictObject({
  name: z.string().trim().min(1).max(50),
  position: z.number().int().min(0).max(10000).optional(),
  active: z.boolean().optional(),
});
export const updateKindSchema = createKindSchema.partial();

// Interactions.

export const interactionSchema = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  customerCode: z.string(),
  customerName: z.string(),
  kindId: z.uuid(),
  kindName: z.string(),
  channel: z.enum(CHANNELS),
  callId: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  status: z.enum(STATUSES),
  staffId: z.uuid().nullable(),
  staffName: z.string().nullable(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  dueAt: z.string().nullable(),
  at: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Interaction = z.infer<typeof interactionSchema>;
export const interactionPageSchema = z.object({ items: z.array(interactionSchema), nextCursor: z.string().nullable() });

const interactionFields = {
  kindId: z.uuid(),
  channel: z.enum(CHANNELS),
  /** The telephony call it belongs to (the `callId` of POST /telephony/events). */
  callId: z.string().trim().min(1).max(200).nullish(),
  subject: optionalText(200),
  body: z.string().trim().max(10000),
  status: z.enum(SETTABLE_STATUSES),
  /** 対応者: defaults to the signed-in user (none for an API token). */
  staffId: z.uuid().nullish(),
  assigneeId: z.uuid().nullish(),
  dueAt: datetime.nullish(),
};

export const createInteractionSchema = z.strictObject({
  customerId: z.uuid(),
  ...interactionFields,
  status: interactionFields.status.default('in_progress'),
  body: interactionFields.body.default(''),
  /** When the contact happened (ISO 8601 with offset); now when absent, never in the future. */
  at: datetime.optional(),
});
export type CreateInteraction = z.infer<typeof createInteractionSchema>;

export const updateInteractionSchema = z.strictObject(interactionFields).partial();
export type InteractionPatch = Omit<z.infer<typeof updateInteractionSchema>, 'status'> & {
  status?: InteractionStatus;
};

export type InteractionRow = {
  id: string;
  customer_id: string;
  customer_code: string;
  customer_name: string;
  kind_id: string;
  kind_name: string;
  channel: Channel;
  call_id: string | null;
  subject: string | null;
  body: string;
  status: InteractionStatus;
  staff_id: string | null;
  staff_name: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  due_at: Date | null;
  at: Date;
  at_key: string;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export function toInteraction(r: InteractionRow): Interaction {
  return {
    id: r.id,
    customerId: r.customer_id,
    customerCode: r.customer_code,
    customerName: r.customer_name,
    kindId: r.kind_id,
    kindName: r.kind_name,
    channel: r.channel,
    callId: r.call_id,
    subject: r.subject,
    body: r.body,
    status: r.status,
    staffId: r.staff_id,
    staffName: r.staff_name,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    dueAt: r.due_at?.toISOString() ?? null,
    at: r.at.toISOString(),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

// Change history.

export const EVENT_FIELDS = ['created', 'status', 'assignee', 'due'] as const;
export const interactionEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({
    type: z.enum(['user', 'token', 'system']),
    id: z.string().nullable(),
    label: z.string().nullable(),
  }),
  field: z.enum(EVENT_FIELDS),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type InteractionEvent = z.infer<typeof interactionEventSchema>;

export type InteractionEventRow = {
  id: number;
  at: Date;
  actor_type: 'user' | 'token' | 'system';
  actor_id: string | null;
  actor_label: string | null;
  field: (typeof EVENT_FIELDS)[number];
  old_value: string | null;
  new_value: string | null;
};

export function toEvent(r: InteractionEventRow): InteractionEvent {
  return {
    id: String(r.id),
    at: r.at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label },
    field: r.field,
    from: r.old_value,
    to: r.new_value,
  };
}

/** `?from=&to=` of lists: calendar days in Asia/Tokyo, both inclusive. */
export const listInteractionsQuery = z.object({
  customerId: z.uuid().optional(),
  kindId: z.uuid().optional(),
  staffId: z.uuid().optional(),
  assigneeId: z.uuid().optional(),
  status: z.enum(STATUSES).optional(),
  /** true: every status but done (the open work). */
  open: z.enum(['true', 'false']).optional(),
  channel: z.enum(CHANNELS).optional(),
  callId: z.string().trim().min(1).max(200).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type InteractionFilter = z.infer<typeof listInteractionsQuery>;
