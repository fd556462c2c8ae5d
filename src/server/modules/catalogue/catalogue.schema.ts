// The order desk's masters (issue 5, tables of 0007_catalogue.sql) as the API takes and answers
// them. Inputs are strict (an unknown field is a 400); outputs are camelCase, money integer yen,
// dates YYYY-MM-DD, timestamps ISO 8601. The web screens build their forms from these schemas.
import { z } from 'zod';
import { pageQuery } from '../../platform/http/pagination.js';

export const CARRIERS = ['yamato', 'sagawa', 'japanpost'] as const;
export const carrierSchema = z.enum(CARRIERS);
export type Carrier = z.infer<typeof carrierSchema>;

/** Codes a user types: letters, digits, _ and -. */
export const codeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{1,20}$/);
/** Product codes also take a dot (JAN-like "A-100.2") and are up to 30 long; unique ignoring case. */
export const productCodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_.-]{1,30}$/);
const name = (max: number) => z.string().trim().min(1).max(max);
const optText = (max: number) => z.string().trim().max(max).nullish();
const yen = z.number().int().min(0).max(2_000_000_000);
const sortOrder = z.number().int().min(0).max(1_000_000);
const date = z.iso.date();
/** A prefecture as typed ('東京' or '東京都'); the service stores the official name. */
const prefecture = z.string().trim().min(1).max(10);
const id = z.uuid();

export const listQuery = pageQuery.extend({
  q: z.string().max(100).optional(),
  active: z.enum(['true', 'false']).optional(),
});

const stamps = { version: z.number().int(), createdAt: z.string(), updatedAt: z.string() };
export const importResultSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  /** Rows written (created + updated); 0 for a dry run. */
  imported: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(
    z.object({ row: z.number().int(), column: z.string().nullable(), code: z.string(), message: z.string() }),
  ),
  errorsTruncated: z.boolean(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// ---------------------------------------------------------------------------------------------
// 広告 (ad media) and their monthly costs.
const adMediumCost = z.strictObject({
  /** The month as YYYY-MM. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  cost: yen,
});
const adMediumFields = {
  code: codeSchema,
  name: name(100),
  /** 媒体: 新聞, テレビ, ラジオ, チラシ, Web … */
  medium: z.string().trim().max(50),
  /** The cost of a month that `costs` does not name. */
  monthlyCost: yen,
  active: z.boolean(),
  /** Replaces every month's cost when given. */
  costs: z.array(adMediumCost).max(600),
};
export const createAdMediumSchema = z.strictObject({
  ...adMediumFields,
  medium: adMediumFields.medium.default(''),
  monthlyCost: yen.default(0),
  active: z.boolean().default(true),
  costs: adMediumFields.costs.optional(),
});
export const updateAdMediumSchema = z.strictObject(adMediumFields).partial();
export const adMediumSchema = z.object({
  id,
  code: z.string(),
  name: z.string(),
  medium: z.string(),
  monthlyCost: z.number().int(),
  active: z.boolean(),
  costs: z.array(z.object({ month: z.string(), cost: z.number().int() })),
  ...stamps,
});
export const adMediumPageSchema = pageOf(adMediumSchema);

// ---------------------------------------------------------------------------------------------
// 商品分類 (product categories).
const categoryFields = { code: codeSchema, name: name(100), sortOrder, active: z.boolean() };
export const createCategorySchema = z.strictObject({
  ...categoryFields,
  sortOrder: sortOrder.default(0),
  active: z.boolean().default(true),
});
export const updateCategorySchema = z.strictObject(categoryFields).partial();
export const categorySchema = z.object({
  id,
  code: z.string(),
  name: z.string(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  ...stamps,
});
export const categoryPageSchema = pageOf(categorySchema);

// ---------------------------------------------------------------------------------------------
// 商品 (products).
export const PRODUCT_KINDS = ['normal', 'subscription', 'present', 'set'] as const;
const productLink = z.strictObject({ productId: id, quantity: z.number().int().min(1).max(999).default(1) });
const productFields = {
  code: productCodeSchema,
  name: name(100),
  nameKana: optText(100),
  categoryId: id.nullish(),
  /** normal 通常, subscription 定期, present プレゼント, set セット. */
  kind: z.enum(PRODUCT_KINDS),
  taxRate: z.union([z.literal(8), z.literal(10)]),
  /** In the tenant's price mode (settings.tax.priceMode). */
  unitPrice: yen,
  /** A subscription's first delivery price. */
  firstPrice: yen.nullish(),
  /** 原価 per unit, tax excluded. */
  unitCost: yen,
  salesFrom: date.nullish(),
  salesUntil: date.nullish(),
  /** null: stock not tracked. */
  stock: z.number().int().min(-1_000_000).max(100_000_000).nullish(),
  active: z.boolean(),
  note: optText(1000),
  /** A set's contents (kind "set" only); replaces the list when given. */
  components: z.array(productLink).max(100),
  /** Products that always ship with this one at 0 yen (a leaflet, a spoon); replaces the list. */
  companions: z.array(productLink).max(100),
};
export const createProductSchema = z.strictObject({
  ...productFields,
  kind: productFields.kind.default('normal'),
  unitCost: yen.default(0),
  active: z.boolean().default(true),
  components: productFields.components.optional(),
  companions: productFields.companions.optional(),
});
export const updateProductSchema = z.strictObject(productFields).partial();

const productLinkOut = z.object({ productId: id, code: z.string(), name: z.string(), quantity: z.number().int() });
export const productSchema = z.object({
  id,
  code: z.string(),
  name: z.string(),
  nameKana: z.string().nullable(),
  categoryId: id.nullable(),
  kind: z.enum(PRODUCT_KINDS),
  taxRate: z.number().int(),
  unitPrice: z.number().int(),
  firstPrice: z.number().int().nullable(),
  unitCost: z.number().int(),
  salesFrom: z.string().nullable(),
  salesUntil: z.string().nullable(),
  stock: z.number().int().nullable(),
  active: z.boolean(),
  note: z.string().nullable(),
  components: z.array(productLinkOut),
  companions: z.array(productLinkOut),
  ...stamps,
});
export const productPageSchema = pageOf(productSchema);
export const productListQuery = listQuery.extend({
  kind: z.enum(PRODUCT_KINDS).optional(),
  categoryId: id.optional(),
  /** true: active and on sale today (Asia/Tokyo) — what the order form offers. */
  onSale: z.enum(['true', 'false']).optional(),
});

// ---------------------------------------------------------------------------------------------
// 発送元 (shipping origins).
const originFields = {
  code: codeSchema,
  name: name(100),
  shipperName: name(100),
  shipperKana: optText(100),
  /** 7 digits, with or without the hyphen; stored as 123-4567. */
  postalCode: z.string().trim().min(1).max(10),
  prefecture,
  city: z.string().trim().max(100),
  address1: z.string().trim().max(200),
  address2: optText(200),
  phone: name(40),
  defaultCarrier: carrierSchema,
  /** The one default origin: setting it clears it on the others. */
  isDefault: z.boolean(),
  active: z.boolean(),
};
export const createOriginSchema = z.strictObject({
  ...originFields,
  address1: originFields.address1.default(''),
  defaultCarrier: carrierSchema.default('yamato'),
  isDefault: z.boolean().default(false),
  active: z.boolean().default(true),
});
export const updateOriginSchema = z.strictObject(originFields).partial();
export const originSchema = z.object({
  id,
  code: z.string(),
  name: z.string(),
  shipperName: z.string(),
  shipperKana: z.string().nullable(),
  postalCode: z.string(),
  prefecture: z.string(),
  city: z.string(),
  address1: z.string(),
  address2: z.string().nullable(),
  phone: z.string(),
  defaultCarrier: carrierSchema,
  isDefault: z.boolean(),
  active: z.boolean(),
  ...stamps,
});
export const originPageSchema = pageOf(originSchema);

// ---------------------------------------------------------------------------------------------
// 運送会社の契約 (carrier accounts): the codes their file layouts ask for.
export const putCarrierAccountSchema = z.strictObject({
  /** e.g. B2 { customerCode, classCode, freightNumber }; e飛伝 { customerCode }; ゆうプリR { customerNumber }. */
  account: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/), z.string().trim().max(100)).default({}),
  /** The tracking page, {number} standing for the tracking number. */
  trackingUrl: z
    .string()
    .trim()
    .max(300)
    .regex(/^https?:\/\/\S*\{number\}\S*$/)
    .nullish(),
});
export const carrierAccountSchema = z.object({
  carrier: carrierSchema,
  account: z.record(z.string(), z.string()),
  trackingUrl: z.string().nullable(),
  /** null: never saved (the defaults are shown). */
  updatedAt: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// 送料 (shipping fee rules).
const feeFields = {
  /** null: any carrier. */
  carrier: carrierSchema.nullable(),
  /** null: any prefecture. */
  prefecture: prefecture.nullable(),
  fee: yen,
  /** Goods (tax included) from this amount ship free. */
  freeThreshold: yen.nullable(),
};
export const createShippingFeeSchema = z.strictObject({
  ...feeFields,
  carrier: feeFields.carrier.default(null),
  prefecture: feeFields.prefecture.default(null),
  freeThreshold: feeFields.freeThreshold.default(null),
});
export const updateShippingFeeSchema = z.strictObject(feeFields).partial();
export const shippingFeeSchema = z.object({
  id,
  carrier: carrierSchema.nullable(),
  prefecture: z.string().nullable(),
  fee: z.number().int(),
  freeThreshold: z.number().int().nullable(),
});
export const shippingFeePageSchema = pageOf(shippingFeeSchema);

// ---------------------------------------------------------------------------------------------
// リードタイム (delivery lead days).
const leadFields = {
  carrier: carrierSchema,
  /** null: any origin. */
  originId: id.nullable(),
  prefecture,
  days: z.number().int().min(0).max(14),
};
export const createLeadDaysSchema = z.strictObject({ ...leadFields, originId: leadFields.originId.default(null) });
export const updateLeadDaysSchema = z.strictObject(leadFields).partial();
export const leadDaysSchema = z.object({
  id,
  carrier: carrierSchema,
  originId: id.nullable(),
  prefecture: z.string(),
  days: z.number().int(),
});
export const leadDaysPageSchema = pageOf(leadDaysSchema);

// ---------------------------------------------------------------------------------------------
// 配達時間帯 (delivery time slots), the carrier's own codes; replaced per carrier.
export const timeSlotSchema = z.object({
  carrier: carrierSchema,
  code: z.string(),
  label: z.string(),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export const putTimeSlotsSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        code: z
          .string()
          .trim()
          .regex(/^[0-9A-Za-z]{1,10}$/),
        label: name(50),
        sortOrder: sortOrder.optional(),
        active: z.boolean().default(true),
      }),
    )
    .max(50)
    .refine((items) => new Set(items.map((i) => i.code)).size === items.length, { message: 'duplicate code' }),
});

// ---------------------------------------------------------------------------------------------
// 支払方法 (payment methods) and the fee brackets (代引手数料).
export const PAYMENT_KINDS = ['cod', 'bank_transfer', 'card', 'deferred', 'convenience', 'other'] as const;
const bracket = z.strictObject({
  /** The bracket holds amounts up to this (included); null: any amount (the last one). */
  upTo: z.number().int().min(1).max(2_000_000_000).nullable(),
  fee: yen,
});
const paymentFields = {
  code: codeSchema,
  name: name(50),
  kind: z.enum(PAYMENT_KINDS),
  /** The fee when no bracket applies. */
  fee: yen,
  /** Days to pay before the order shows as overdue. */
  dueDays: z.number().int().min(0).max(365).nullish(),
  sortOrder,
  active: z.boolean(),
  /** Replaces the fee table when given: ascending upTo, at most one null (the last). */
  brackets: z.array(bracket).max(50),
};
export const createPaymentMethodSchema = z.strictObject({
  ...paymentFields,
  fee: yen.default(0),
  sortOrder: sortOrder.default(0),
  active: z.boolean().default(true),
  brackets: paymentFields.brackets.optional(),
});
export const updatePaymentMethodSchema = z.strictObject(paymentFields).partial();
export const paymentMethodSchema = z.object({
  id,
  code: z.string(),
  name: z.string(),
  kind: z.enum(PAYMENT_KINDS),
  fee: z.number().int(),
  dueDays: z.number().int().nullable(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  brackets: z.array(z.object({ upTo: z.number().int().nullable(), fee: z.number().int() })),
  ...stamps,
});
export const paymentMethodPageSchema = pageOf(paymentMethodSchema);

// ---------------------------------------------------------------------------------------------
// キャンペーン (campaigns).
const campaignFields = {
  code: codeSchema,
  name: name(100),
  startsOn: date,
  endsOn: date,
  /** Applied without its code being entered. */
  automatic: z.boolean(),
  adMediumId: id.nullish(),
  rankId: id.nullish(),
  firstOrderOnly: z.boolean(),
  /** Goods amount (tax included) the order must reach. */
  minAmount: yen.nullish(),
  freeShipping: z.boolean(),
  /** Yen off the order. */
  discountAmount: yen,
  active: z.boolean(),
  note: optText(1000),
  /** Replaces the campaign prices when given. */
  prices: z.array(z.strictObject({ productId: id, unitPrice: yen })).max(500),
  /** Replaces the presents when given. triggerProductId null: any order. */
  presents: z
    .array(
      z.strictObject({
        triggerProductId: id.nullable().default(null),
        presentProductId: id,
        quantity: z.number().int().min(1).max(99).default(1),
      }),
    )
    .max(100),
};
export const createCampaignSchema = z.strictObject({
  ...campaignFields,
  automatic: z.boolean().default(false),
  firstOrderOnly: z.boolean().default(false),
  freeShipping: z.boolean().default(false),
  discountAmount: yen.default(0),
  active: z.boolean().default(true),
  prices: campaignFields.prices.optional(),
  presents: campaignFields.presents.optional(),
});
export const updateCampaignSchema = z.strictObject(campaignFields).partial();
export const campaignSchema = z.object({
  id,
  code: z.string(),
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  automatic: z.boolean(),
  adMediumId: id.nullable(),
  rankId: id.nullable(),
  firstOrderOnly: z.boolean(),
  minAmount: z.number().int().nullable(),
  freeShipping: z.boolean(),
  discountAmount: z.number().int(),
  active: z.boolean(),
  note: z.string().nullable(),
  prices: z.array(z.object({ productId: id, code: z.string(), name: z.string(), unitPrice: z.number().int() })),
  presents: z.array(
    z.object({
      id,
      triggerProductId: id.nullable(),
      presentProductId: id,
      presentCode: z.string(),
      presentName: z.string(),
      quantity: z.number().int(),
    }),
  ),
  ...stamps,
});
export const campaignPageSchema = pageOf(campaignSchema);
export const campaignListQuery = listQuery.extend({
  /** Campaigns running on this day (YYYY-MM-DD). */
  on: date.optional(),
});

// ---------------------------------------------------------------------------------------------
// 理由 (cancel / return / subscription cancel reasons).
export const REASON_KINDS = ['cancel', 'return', 'subscription_cancel'] as const;
const reasonFields = {
  kind: z.enum(REASON_KINDS),
  code: codeSchema,
  name: name(100),
  sortOrder,
  active: z.boolean(),
};
export const createReasonSchema = z.strictObject({
  ...reasonFields,
  sortOrder: sortOrder.default(0),
  active: z.boolean().default(true),
});
export const updateReasonSchema = z.strictObject(reasonFields).partial();
export const reasonSchema = z.object({
  id,
  kind: z.enum(REASON_KINDS),
  code: z.string(),
  name: z.string(),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export const reasonPageSchema = pageOf(reasonSchema);
export const reasonListQuery = listQuery.extend({ kind: z.enum(REASON_KINDS).optional() });
