import type { Carrier, PaymentMethod, Product } from '../../api/catalogue';
import type { OrderChannel, OrderInput, OrderKind, OrderLine, ReorderDraft } from '../../api/orders';

/** One row of the order form's product grid; product null until a code is taken. */
export interface DraftLine {
  key: string;
  code: string;
  /** listPrice false: unitPrice is an old order's (maybe a campaign's), not the catalogue's. */
  product: (Pick<Product, 'id' | 'code' | 'name' | 'unitPrice' | 'taxRate'> & { listPrice?: boolean }) | null;
  quantity: string;
}

/** The order form as the operator fills it (strings as typed; '' for "not chosen"). */
export interface OrderDraft {
  lines: DraftLine[];
  kind: OrderKind;
  carrier: Carrier;
  originId: string;
  /** '' the customer's own address, else one of its 送付先. */
  addressId: string;
  adMediumId: string;
  channel: OrderChannel;
  sortCode: string;
  desiredDeliveryDate: string;
  deliveryTimeSlot: string;
  paymentMethodId: string;
  campaignCode: string;
  note: string;
}

export type DraftField = Exclude<keyof OrderDraft, 'lines'>;
/** Field errors by form path: "campaignCode", "lines.<key>.code", "lines.<key>.quantity". */
export type DraftErrors = Record<string, string>;

let seq = 0;
export function newLine(product: DraftLine['product'] = null, quantity = 1): DraftLine {
  seq += 1;
  return { key: `l${seq}`, code: product?.code ?? '', product, quantity: String(quantity) };
}

export function emptyDraft(carrier: Carrier = 'yamato', originId = ''): OrderDraft {
  return {
    lines: [newLine()],
    kind: 'normal',
    carrier,
    originId,
    addressId: '',
    adMediumId: '',
    channel: 'phone',
    sortCode: '',
    desiredDeliveryDate: '',
    deliveryTimeSlot: '',
    paymentMethodId: '',
    campaignCode: '',
    note: '',
  };
}

/** 全角 digits typed with the IME count too. */
export function parseQuantity(text: string): number | null {
  const n = Number(text.normalize('NFKC').trim());
  return Number.isInteger(n) && n >= 1 && n <= 9999 ? n : null;
}

/** The lines that go to the server, with the draft line each one came from. */
export function filledLines(draft: OrderDraft): { line: DraftLine; productId: string; quantity: number }[] {
  const out: { line: DraftLine; productId: string; quantity: number }[] = [];
  for (const line of draft.lines) {
    const quantity = parseQuantity(line.quantity);
    if (line.product && quantity !== null) out.push({ line, productId: line.product.id, quantity });
  }
  return out;
}

/** Empty fields are left out (the server takes absent, not null, for "none"). */
const opt = (value: string) => (value.trim() === '' ? undefined : value.trim());

export function toInput(draft: OrderDraft, customerId: string): OrderInput {
  return {
    customerId,
    lines: filledLines(draft).map(({ productId, quantity }) => ({ productId, quantity })),
    kind: draft.kind,
    channel: draft.channel,
    sortCode: opt(draft.sortCode),
    carrier: draft.carrier,
    originId: opt(draft.originId),
    addressId: opt(draft.addressId),
    adMediumId: opt(draft.adMediumId),
    desiredDeliveryDate: opt(draft.desiredDeliveryDate),
    deliveryTimeSlot: opt(draft.deliveryTimeSlot),
    paymentMethodId: opt(draft.paymentMethodId),
    campaignCode: opt(draft.campaignCode.normalize('NFKC')),
    note: opt(draft.note),
  };
}

/** Where a server error path ("lines.1.quantity", "body.campaignCode") shows in the form. */
export function errorKey(path: string, draft: OrderDraft): string | null {
  const clean = path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.')
    .replace(/^\.+/, '')
    .replace(/^body\./, '');
  const parts = clean.split('.');
  const root = parts[0] ?? '';
  if (root === 'lines') {
    const index = Number(parts[1]);
    const line = Number.isInteger(index) ? filledLines(draft)[index]?.line : undefined;
    if (!line) return 'lines';
    return `lines.${line.key}.${parts[2] === 'quantity' ? 'quantity' : 'code'}`;
  }
  const renames: Record<string, DraftField> = {
    paymentMethod: 'paymentMethodId',
    customerId: 'addressId',
    paymentMethodId: 'paymentMethodId',
    timeSlot: 'deliveryTimeSlot',
    campaignId: 'campaignCode',
  };
  const field = renames[root] ?? root;
  return FIELD_ORDER.includes(field as DraftField) ? field : null;
}

/** The header fields in the paper form's order (also the tab order). */
export const FIELD_ORDER: readonly DraftField[] = [
  'kind',
  'carrier',
  'originId',
  'addressId',
  'adMediumId',
  'channel',
  'sortCode',
  'desiredDeliveryDate',
  'deliveryTimeSlot',
  'paymentMethodId',
  'campaignCode',
  'note',
];

/** A re-order's draft (GET /orders/{id}/reorder): the same goods and choices (the server dates it today). */
export function draftFromReorder(
  source: ReorderDraft,
  base: OrderDraft,
  methods: readonly PaymentMethod[],
  /** The old order's lines: the codes, names and prices to show until the quote answers. */
  known: readonly OrderLine[],
): OrderDraft {
  const lines = source.lines.map((l) => {
    const old = known.find((k) => k.productId === l.productId && (k.kind ?? 'item') === 'item');
    return newLine(
      {
        id: l.productId,
        code: old?.productCode ?? '',
        name: old?.productName ?? '',
        unitPrice: old?.unitPrice ?? 0,
        taxRate: old?.taxRate ?? 10,
        listPrice: false,
      },
      l.quantity,
    );
  });
  const method =
    methods.find((m) => m.id === source.paymentMethodId) ?? methods.find((m) => m.code === source.paymentMethod);
  const text = (value: string | null | undefined, fallback: string) => value ?? fallback;
  return {
    ...base,
    lines: [...lines, newLine()],
    kind: source.kind ?? base.kind,
    carrier: source.carrier ?? base.carrier,
    originId: text(source.originId, base.originId),
    addressId: text(source.addressId, ''),
    adMediumId: text(source.adMediumId, base.adMediumId),
    channel: source.channel ?? base.channel,
    sortCode: text(source.sortCode, ''),
    deliveryTimeSlot: text(source.deliveryTimeSlot, ''),
    paymentMethodId: method?.id ?? base.paymentMethodId,
    note: '',
    desiredDeliveryDate: '',
    campaignCode: '',
  };
}
