// The carriers' import layouts (docs/integrations.md cites where each comes from): one column
// definition per field with its length in Shift_JIS bytes and what to do when a value does not
// fit — cut it (a product name, a kana reading) or refuse the parcel (an address, a phone number:
// a label that cannot be delivered is worse than a parcel held back for correction).
import { cutSjis, flowSjis, sjisBytes, toHalfKana, unencodable } from './shipping.sjis.js';

export const EXPORT_CARRIERS = ['yamato-b2', 'sagawa', 'japanpost'] as const;
export type ExportCarrier = (typeof EXPORT_CARRIERS)[number];
export type OrderCarrier = 'yamato' | 'sagawa' | 'japanpost';

/** The API's carrier names (CONTRACTS.md) → orders.carrier. */
export const ORDER_CARRIER: Record<ExportCarrier, OrderCarrier> = {
  'yamato-b2': 'yamato',
  sagawa: 'sagawa',
  japanpost: 'japanpost',
};

export type ParcelLine = { code: string; name: string; quantity: number };

/** One order as a parcel: its destination, payment and goods. */
export type Parcel = {
  id: string;
  number: string;
  shipDate: string;
  desiredDeliveryDate: string | null;
  timeSlot: string | null;
  originId: string | null;
  name: string;
  kana: string | null;
  postalCode: string | null;
  prefecture: string | null;
  city: string | null;
  address1: string | null;
  address2: string | null;
  company: string | null;
  department: string | null;
  phone: string | null;
  paymentKind: string | null;
  total: number;
  paidAmount: number;
  taxTotal: number;
  lines: ParcelLine[];
};

export type Shipper = {
  name: string;
  kana: string | null;
  postalCode: string;
  prefecture: string;
  city: string;
  address1: string;
  address2: string | null;
  phone: string;
};

/** What a layout needs besides the parcel: the shipper and the tenant's contract codes. */
export type LayoutContext = { shipper: Shipper; account: Record<string, string>; timeSlots: ReadonlySet<string> };

export type ProblemCode =
  | 'required'
  | 'too_long'
  | 'unencodable'
  | 'invalid_phone'
  | 'invalid_postal_code'
  | 'invalid_time_slot'
  | 'cod_limit';

export type FieldProblem = {
  /** The order's field (API name). */
  field: string;
  /** The carrier's column. */
  column: string;
  code: ProblemCode;
  params: Record<string, string | number>;
};

export type Built = { cells: string[]; problems: FieldProblem[] };

export type Layout = {
  carrier: ExportCarrier;
  header: readonly string[];
  /** The column holding the order's number (customer reference) and the tracking number. */
  refColumn: number;
  trackingColumn: number;
  /** Other spellings of those two columns in the files the carrier software writes. */
  refHeaders: readonly string[];
  trackingHeaders: readonly string[];
  build(p: Parcel, ctx: LayoutContext): Built;
};

// ---------------------------------------------------------------------------------------------
// Shared value rules.

const half = (s: string) => s.normalize('NFKC');
const dashes = /[‐‑‒–—―−ー－]/g;

/** A phone number as carriers want it: half-width digits and hyphens, 10–11 digits. */
function phoneOf(raw: string | null): string | null {
  if (!raw) return null;
  const s = half(raw)
    .replace(dashes, '-')
    .replace(/[\s()]/g, '');
  if (!/^[0-9-]+$/.test(s)) return null;
  const digits = s.replace(/-/g, '');
  if (digits.length < 10 || digits.length > 11 || !digits.startsWith('0')) return null;
  return s;
}

function postalOf(raw: string | null): string | null {
  if (!raw) return null;
  const digits = half(raw)
    .replace(dashes, '')
    .replace(/[-\s〒]/g, '');
  return /^\d{7}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3)}` : null;
}

const slash = (d: string | null) => (d ? d.replaceAll('-', '/') : '');
const compact = (d: string | null) => (d ? d.replaceAll('-', '') : '');
const join = (...parts: (string | null | undefined)[]) => parts.filter((p) => p?.trim()).join('');

/** The amount a COD parcel collects: what the customer still owes. */
export function codAmount(p: Parcel): number {
  return p.paymentKind === 'cod' ? Math.max(0, p.total - p.paidAmount) : 0;
}

/** Builds one row, collecting every problem of the parcel rather than stopping at the first. */
class Row {
  readonly cells: string[] = [];
  readonly problems: FieldProblem[] = [];
  constructor(private readonly header: readonly string[]) {}

  private column(): string {
    return this.header[this.cells.length] ?? '';
  }

  private problem(field: string, code: ProblemCode, params: Record<string, string | number> = {}, column?: string) {
    this.problems.push({ field, column: column ?? this.column(), code, params });
  }

  /** A value that must fit as it is (refused otherwise). */
  strict(field: string, value: string | null | undefined, bytes: number, required = false): this {
    const v = (value ?? '').trim();
    if (required && !v) this.problem(field, 'required');
    else if (unencodable(v).length > 0) this.problem(field, 'unencodable', { chars: unencodable(v).join('') });
    else if (sjisBytes(v) > bytes) this.problem(field, 'too_long', { bytes, actual: sjisBytes(v) });
    this.cells.push(v);
    return this;
  }

  /** A value that may be shortened (and whose missing characters become 〓, as carriers print). */
  cut(value: string | null | undefined, bytes: number): this {
    const v = (value ?? '').trim();
    const bad = unencodable(v);
    const clean = bad.length ? [...v].map((c) => (bad.includes(c) ? '〓' : c)).join('') : v;
    this.cells.push(cutSjis(clean, bytes));
    return this;
  }

  /** A fixed or already checked value. */
  raw(value: string | number | null | undefined): this {
    this.cells.push(value === null || value === undefined ? '' : String(value));
    return this;
  }

  phone(field: string, raw: string | null, bytes: number): this {
    const v = phoneOf(raw);
    if (!raw?.trim()) this.problem(field, 'required');
    else if (!v || v.length > bytes) this.problem(field, 'invalid_phone');
    this.cells.push(v ?? '');
    return this;
  }

  postal(field: string, raw: string | null): this {
    const v = postalOf(raw);
    if (!raw?.trim()) this.problem(field, 'required');
    else if (!v) this.problem(field, 'invalid_postal_code');
    this.cells.push(v ?? '');
    return this;
  }

  /** One long text spread over `parts` consecutive columns of `bytes` each (refused if longer). */
  flow(field: string, value: string, bytes: number, parts: number, required = false): this {
    const column = this.column();
    const v = value.trim();
    const bad = unencodable(v);
    const pieces = flowSjis(v, bytes, parts);
    if (required && !v) this.problem(field, 'required', {}, column);
    else if (bad.length > 0) this.problem(field, 'unencodable', { chars: bad.join('') }, column);
    else if (!pieces) this.problem(field, 'too_long', { bytes: bytes * parts, actual: sjisBytes(v) }, column);
    for (const piece of pieces ?? new Array<string>(parts).fill('')) this.cells.push(piece);
    return this;
  }

  timeSlot(raw: string | null, allowed: ReadonlySet<string>): this {
    const v = (raw ?? '').trim();
    if (v && !allowed.has(v)) this.problem('deliveryTimeSlot', 'invalid_time_slot', { slot: v });
    this.cells.push(v);
    return this;
  }

  cod(p: Parcel, limit: number): this {
    const amount = codAmount(p);
    if (amount > limit) this.problem('total', 'cod_limit', { limit });
    this.cells.push(p.paymentKind === 'cod' ? String(amount) : '');
    return this;
  }

  done(): Built {
    if (this.cells.length !== this.header.length) {
      throw new Error(`layout bug: ${this.cells.length} cells for ${this.header.length} columns`);
    }
    return { cells: this.cells, problems: this.problems };
  }
}

/** 品名: the first line's name, "他" when more lines follow. */
function goodsName(p: Parcel): string {
  const [first] = p.lines;
  if (!first) return '';
  return p.lines.length > 1 ? `${first.name} 他` : first.name;
}

const kana = (s: string | null) => (s ? (toHalfKana(s) ?? '') : '');

// ---------------------------------------------------------------------------------------------
// ヤマト運輸 B2クラウド 送り状発行データ (外部データ取込み 基本レイアウト), 42 columns.

export const B2_TIME_SLOTS = ['0812', '1416', '1618', '1820', '1921'] as const;
const B2_HEADER = [
  'お客様管理番号',
  '送り状種類',
  'クール区分',
  '伝票番号',
  '出荷予定日',
  'お届け予定日',
  '配達時間帯',
  'お届け先コード',
  'お届け先電話番号',
  'お届け先電話番号枝番',
  'お届け先郵便番号',
  'お届け先住所',
  'お届け先アパートマンション名',
  'お届け先会社・部門１',
  'お届け先会社・部門２',
  'お届け先名',
  'お届け先名(ｶﾅ)',
  '敬称',
  'ご依頼主コード',
  'ご依頼主電話番号',
  'ご依頼主電話番号枝番',
  'ご依頼主郵便番号',
  'ご依頼主住所',
  'ご依頼主アパートマンション',
  'ご依頼主名',
  'ご依頼主名(ｶﾅ)',
  '品名コード１',
  '品名１',
  '品名コード２',
  '品名２',
  '荷扱い１',
  '荷扱い２',
  '記事',
  'ｺﾚｸﾄ代金引換額（税込)',
  '内消費税額等',
  '止置き',
  '営業所コード',
  '発行枚数',
  '個数口表示フラグ',
  '請求先顧客コード',
  '請求先分類コード',
  '運賃管理番号',
] as const;

const B2: Layout = {
  carrier: 'yamato-b2',
  header: B2_HEADER,
  refColumn: 0,
  trackingColumn: 3,
  refHeaders: ['お客様管理番号'],
  trackingHeaders: ['伝票番号', '送り状番号', 'お問い合わせ番号'],
  build(p, { shipper: s, account, timeSlots }) {
    const cod = p.paymentKind === 'cod';
    const second = p.lines[1];
    return new Row(B2_HEADER)
      .strict('number', p.number, 50, true)
      .raw(cod ? '2' : '0')
      .raw('0')
      .raw('')
      .raw(slash(p.shipDate))
      .raw(slash(p.desiredDeliveryDate))
      .timeSlot(p.timeSlot, timeSlots)
      .raw('')
      .phone('shipPhone', p.phone, 15)
      .raw('')
      .postal('shipPostalCode', p.postalCode)
      .strict('shipAddress', join(p.prefecture, p.city, p.address1), 64, true)
      .strict('shipAddress2', p.address2, 32)
      .strict('shipCompany', p.company, 50)
      .strict('shipDepartment', p.department, 50)
      .strict('shipName', p.name, 32, true)
      .cut(kana(p.kana), 50)
      .raw('様')
      .raw('')
      .phone('shipperPhone', s.phone, 15)
      .raw('')
      .postal('shipperPostalCode', s.postalCode)
      .strict('shipperAddress', join(s.prefecture, s.city, s.address1), 64, true)
      .strict('shipperAddress2', s.address2, 32)
      .strict('shipperName', s.name, 32, true)
      .cut(kana(s.kana), 50)
      .cut(p.lines[0]?.code, 30)
      .cut(goodsName(p), 50)
      .cut(second?.code, 30)
      .cut(second?.name, 50)
      .raw('')
      .raw('')
      .raw('')
      .cod(p, 300_000)
      .raw(cod ? String(p.taxTotal) : '')
      .raw('')
      .raw('')
      .raw('')
      .raw('')
      .cut(account.customerCode, 12)
      .cut(account.classCode, 3)
      .cut(account.freightNumber, 2)
      .done();
  },
};

// ---------------------------------------------------------------------------------------------
// 佐川急便 e飛伝 出荷データ CSV (標準パターン), 42 columns; 16 full-width characters per line.

export const SAGAWA_TIME_SLOTS = ['01', '12', '14', '16', '18', '04'] as const;
const SAGAWA_HEADER = [
  '住所録コード',
  'お届け先電話番号',
  'お届け先郵便番号',
  'お届け先住所１',
  'お届け先住所２',
  'お届け先住所３',
  'お届け先名称１',
  'お届け先名称２',
  'お客様管理ナンバー',
  'お客様コード',
  '部署・担当者',
  '荷送人電話番号',
  'ご依頼主電話番号',
  'ご依頼主郵便番号',
  'ご依頼主住所１',
  'ご依頼主住所２',
  'ご依頼主名称１',
  'ご依頼主名称２',
  '荷姿コード',
  '品名１',
  '品名２',
  '品名３',
  '品名４',
  '品名５',
  '出荷個数',
  '便種（スピードで選択）',
  '便種（商品）',
  '配達日',
  '配達指定時間帯',
  '配達指定時間（時分）',
  '代引金額',
  '消費税',
  '決済種別',
  '保険金額',
  '保険金額印字',
  '指定シール①',
  '指定シール②',
  '指定シール③',
  '営業店止め',
  'ＳＲＣ区分',
  '営業店コード',
  '元着区分',
] as const;

const SAGAWA: Layout = {
  carrier: 'sagawa',
  header: SAGAWA_HEADER,
  refColumn: 8,
  trackingColumn: -1,
  refHeaders: ['お客様管理ナンバー', 'お客様管理番号'],
  trackingHeaders: [
    'お問合せ送り状No.',
    'お問合せ送り状NO',
    'お問い合せ送り状No.',
    '送り状番号',
    '問合せ番号',
    '伝票番号',
  ],
  build(p, { shipper: s, account, timeSlots }) {
    const names = p.lines.map((l) => `${l.name} x${l.quantity}`);
    return new Row(SAGAWA_HEADER)
      .raw('')
      .phone('shipPhone', p.phone, 14)
      .postal('shipPostalCode', p.postalCode)
      .flow('shipAddress', join(p.prefecture, p.city, p.address1, p.address2 ? `　${p.address2}` : ''), 32, 3, true)
      .strict('shipName', p.name, 32, true)
      .strict('shipCompany', join(p.company, p.department ? ` ${p.department}` : ''), 32)
      .strict('number', p.number, 16, true)
      .cut(account.customerCode, 12)
      .raw('')
      .phone('shipperPhone', s.phone, 14)
      .phone('shipperPhone', s.phone, 14)
      .postal('shipperPostalCode', s.postalCode)
      .flow('shipperAddress', join(s.prefecture, s.city, s.address1, s.address2 ? `　${s.address2}` : ''), 32, 2, true)
      .strict('shipperName', s.name, 32, true)
      .raw('')
      .raw('001')
      .cut(names[0], 32)
      .cut(names[1], 32)
      .cut(names[2], 32)
      .cut(names[3], 32)
      .cut(names.length > 5 ? `他 ${names.length - 4} 点` : names[4], 32)
      .raw('1')
      .raw('000')
      .raw('000')
      .raw(compact(p.desiredDeliveryDate))
      .timeSlot(p.timeSlot, timeSlots)
      .raw('')
      .cod(p, 300_000)
      .raw(p.paymentKind === 'cod' ? String(p.taxTotal) : '')
      .raw('')
      .raw('')
      .raw('')
      .raw(p.paymentKind === 'cod' ? '002' : '')
      .raw('')
      .raw('')
      .raw('0')
      .raw('')
      .raw('')
      .raw('1')
      .done();
  },
};

// ---------------------------------------------------------------------------------------------
// 日本郵便 ゆうパックプリントR 発送予定データ (取込), 34 columns; addresses in 50-byte lines.

export const JAPANPOST_TIME_SLOTS = ['51', '52', '53', '54', '55', '56', '57'] as const;
const JAPANPOST_HEADER = [
  'お客様側管理番号',
  '発送予定日',
  '発送予定時間区分',
  '出荷期限日',
  '到着期限日',
  '郵便種別',
  '保冷種別',
  '元/着払/代引',
  '書留/セキュリティ/特定記録種別',
  '配達時間帯指定郵便種別',
  '送り状種別',
  'お届け先コード',
  'お届け先郵便番号',
  'お届け先住所1',
  'お届け先住所2',
  'お届け先住所3',
  'お届け先名称1',
  'お届け先名称2',
  'お届け先敬称',
  'お届け先電話番号',
  'お届け先メールアドレス',
  'ご依頼主郵便番号',
  'ご依頼主住所1',
  'ご依頼主住所2',
  'ご依頼主住所3',
  'ご依頼主名称1',
  'ご依頼主名称2',
  'ご依頼主電話番号',
  '品名',
  'お届け希望日',
  '配達時間帯',
  '代引金額',
  '代引消費税額',
  'お問い合わせ番号',
] as const;

const JAPANPOST: Layout = {
  carrier: 'japanpost',
  header: JAPANPOST_HEADER,
  refColumn: 0,
  trackingColumn: 33,
  refHeaders: ['お客様側管理番号', 'お客様管理番号'],
  trackingHeaders: ['お問い合わせ番号', 'お問合せ番号', '問い合わせ番号', '追跡番号'],
  build(p, { shipper: s, timeSlots }) {
    const cod = p.paymentKind === 'cod';
    return new Row(JAPANPOST_HEADER)
      .strict('number', p.number, 15, true)
      .raw(compact(p.shipDate))
      .raw('')
      .raw('')
      .raw('')
      .raw('0')
      .raw('0')
      .raw(cod ? '2' : '0')
      .raw('')
      .raw('')
      .raw('')
      .raw('')
      .postal('shipPostalCode', p.postalCode)
      .flow('shipAddress', join(p.prefecture, p.city, p.address1, p.address2 ? `　${p.address2}` : ''), 50, 3, true)
      .strict('shipName', p.name, 50, true)
      .strict('shipCompany', join(p.company, p.department ? ` ${p.department}` : ''), 50)
      .raw('')
      .phone('shipPhone', p.phone, 20)
      .raw('')
      .postal('shipperPostalCode', s.postalCode)
      .flow('shipperAddress', join(s.prefecture, s.city, s.address1, s.address2 ? `　${s.address2}` : ''), 50, 3, true)
      .strict('shipperName', s.name, 50, true)
      .raw('')
      .phone('shipperPhone', s.phone, 20)
      .cut(goodsName(p), 50)
      .raw(compact(p.desiredDeliveryDate))
      .timeSlot(p.timeSlot, timeSlots)
      .cod(p, 500_000)
      .raw(cod ? String(p.taxTotal) : '')
      .raw('')
      .done();
  },
};

export const LAYOUTS: Record<ExportCarrier, Layout> = { 'yamato-b2': B2, sagawa: SAGAWA, japanpost: JAPANPOST };

/** The carrier's own time-slot codes, accepted besides those of the tenant's master. */
export const BUILTIN_TIME_SLOTS: Record<OrderCarrier, readonly string[]> = {
  yamato: B2_TIME_SLOTS,
  sagawa: SAGAWA_TIME_SLOTS,
  japanpost: JAPANPOST_TIME_SLOTS,
};
