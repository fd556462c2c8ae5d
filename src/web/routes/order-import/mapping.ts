// The fields of a web-order CSV and a first guess of which column holds each (pure; no API).
/** The fields POST /orders/import maps CSV columns to (server: order-import.schema.ts), in screen order. */
export const TARGETS = [
  'orderNumber',
  'productCode',
  'quantity',
  'unitPrice',
  'name',
  'nameKana',
  'phone',
  'email',
  'postalCode',
  'prefecture',
  'city',
  'address1',
  'address2',
  'company',
  'desiredDeliveryDate',
  'deliveryTimeSlot',
  'paymentMethod',
  'note',
] as const;
export type Target = (typeof TARGETS)[number];
export const REQUIRED: readonly Target[] = ['orderNumber', 'productCode', 'quantity', 'name'];

/** target field → the CSV header it is read from. */
export type Mapping = Partial<Record<Target, string>>;

/** Headers a site's export commonly uses for each field (after NFKC), besides the field's own names. */
const ALIASES: [RegExp, Target][] = [
  [/^(注文番号|受注番号|注文ID|注文id|オーダー番号|order ?(number|no|id))$/i, 'orderNumber'],
  [/^(商品コード|商品番号|品番|商品管理番号|SKU|product ?code)$/i, 'productCode'],
  [/^(数量|個数|注文数|qty|quantity)$/i, 'quantity'],
  [/^(単価|販売価格|価格|商品単価|unit ?price|price)$/i, 'unitPrice'],
  [/^(氏名|お名前|名前|注文者名|注文者氏名|購入者名|顧客名|name)$/i, 'name'],
  [/^(フリガナ|ふりがな|カナ|注文者カナ|注文者フリガナ|購入者カナ)$/, 'nameKana'],
  [/^(電話番号|電話|TEL|注文者電話番号|購入者電話番号|phone)$/i, 'phone'],
  [/^(メールアドレス|メール|E-?mail|注文者メールアドレス|注文者メール|購入者メールアドレス)$/i, 'email'],
  [/^(郵便番号|〒|注文者郵便番号|postal ?code|zip)$/i, 'postalCode'],
  [/^(都道府県|注文者都道府県|prefecture)$/i, 'prefecture'],
  [/^(市区町村|注文者市区町村|city)$/i, 'city'],
  [/^(住所1?|番地|注文者住所|address ?1?)$/i, 'address1'],
  [/^(住所2|建物名|マンション名|address ?2)$/i, 'address2'],
  [/^(会社名|company)$/i, 'company'],
  [/^(お届け希望日|配送希望日|お届け日)$/, 'desiredDeliveryDate'],
  [/^(配達時間帯|お届け時間帯|配送時間帯|時間帯指定)$/, 'deliveryTimeSlot'],
  [/^(支払方法|決済方法|お支払い方法|payment ?method)$/i, 'paymentMethod'],
  [/^(備考|コメント|メモ|note)$/i, 'note'],
];

/** A mapping guessed from a file's headers: each field takes the first header that names it. */
export function guessMapping(headers: string[]): Mapping {
  const mapping: Mapping = {};
  for (const header of headers) {
    const h = header.normalize('NFKC').trim();
    const target = TARGETS.find((t) => t.toLowerCase() === h.toLowerCase()) ?? ALIASES.find(([re]) => re.test(h))?.[1];
    if (target && mapping[target] === undefined) mapping[target] = header.trim();
  }
  return mapping;
}
