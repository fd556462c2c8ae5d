// Web受注取込 (issue 5): the fields a site's CSV columns map to, saved mappings (presets), answers.
import { z } from 'zod';

/**
 * The fields of an order line row, with the Japanese header that maps to each by itself. One CSV
 * row is one order line; rows with the same order number are one order, whose order-level fields
 * (customer, delivery, payment, note) are read from its first row.
 */
export const TARGETS = {
  orderNumber: '注文番号',
  productCode: '商品コード',
  quantity: '数量',
  unitPrice: '単価',
  name: '氏名',
  nameKana: 'フリガナ',
  phone: '電話番号',
  email: 'メールアドレス',
  postalCode: '郵便番号',
  prefecture: '都道府県',
  city: '市区町村',
  address1: '住所1',
  address2: '住所2',
  company: '会社名',
  desiredDeliveryDate: 'お届け希望日',
  deliveryTimeSlot: '配達時間帯',
  paymentMethod: '支払方法',
  note: '備考',
} as const;
export type Target = keyof typeof TARGETS;
export const TARGET_KEYS = Object.keys(TARGETS) as Target[];
/** Fields a mapping must name (and phone or email, to match the customer). */
export const REQUIRED_TARGETS: Target[] = ['orderNumber', 'productCode', 'quantity', 'name'];

/** target field → the CSV header it is read from. */
export const mappingSchema = z.partialRecord(
  z.enum(TARGET_KEYS as [Target, ...Target[]]),
  z.string().trim().min(1).max(200),
);
export type Mapping = z.infer<typeof mappingSchema>;

export const presetBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  mapping: mappingSchema,
});
export const presetPatchSchema = presetBodySchema.partial();
export type PresetBody = z.infer<typeof presetBodySchema>;

export const presetSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  mapping: mappingSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Preset = z.infer<typeof presetSchema>;

const truthy = z.enum(['true', 'false', '1', '0']).optional();

export const importQuery = z.object({
  dryRun: truthy,
  presetId: z.uuid().optional(),
  /** The mapping as JSON ({ "orderNumber": "受注番号", … }); wins over presetId. */
  mapping: z.string().max(8000).optional(),
});

export const importErrorSchema = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
export type ImportError = z.infer<typeof importErrorSchema>;

export const importOrderSchema = z.object({
  externalNumber: z.string(),
  /** The order's first row, as Excel numbers it. */
  row: z.number().int(),
  lines: z.number().int(),
  customerId: z.uuid().nullable(),
  customerCode: z.string().nullable(),
  customerName: z.string(),
  /** How the customer was found: by phone, by e-mail, or made from the row. */
  customerMatch: z.enum(['phone', 'email', 'new']).nullable(),
  total: z.number().nullable(),
  orderId: z.uuid().nullable(),
  orderNumber: z.number().nullable(),
  ok: z.boolean(),
});
export type ImportOrder = z.infer<typeof importOrderSchema>;

export const importResultSchema = z.object({
  encoding: z.string(),
  rows: z.number().int(),
  orders: z.number().int(),
  /** Orders whose rows are all valid. */
  valid: z.number().int(),
  /** Orders created (0 for a dry run or when any row is invalid). */
  imported: z.number().int(),
  customersMatched: z.number().int(),
  customersCreated: z.number().int(),
  errors: z.array(importErrorSchema),
  errorsTruncated: z.boolean(),
  items: z.array(importOrderSchema),
  itemsTruncated: z.boolean(),
});
export type ImportResult = z.infer<typeof importResultSchema>;
