// The demo tenant's catalogue: a Japanese health-food and cosmetics mail-order firm (青汁, サプリ,
// 定期便, a set, presents), its ad media, a Saitama warehouse, the three carriers' time slots,
// shipping fees, lead days, payment methods with a COD fee table, campaigns and reasons.
// Called from platform/demo/demo.ts inside its transaction; does nothing when products exist.
import { tokyoDate } from '../../../shared/calendar.js';
import type { TenantTx } from '../../db/database.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { DEFAULT_TIME_SLOTS, replaceTimeSlots, saveCarrierAccount } from './carriers.service.js';
import { CARRIERS } from './catalogue.schema.js';
import { type Ctx, insertRow, type Master, type Row } from './crud.js';
import * as m from './masters.js';

const PRODUCTS: (Row & { code: string })[] = [
  {
    code: 'GUIDE-AOJIRU',
    name: '青汁のおいしい飲み方ガイド',
    kind: 'present',
    taxRate: 10,
    unitPrice: 0,
    unitCost: 15,
  },
  {
    code: 'SHAKER',
    name: '青汁専用シェイカー',
    nameKana: 'アオジルセンヨウシェイカー',
    kind: 'present',
    taxRate: 10,
    unitPrice: 0,
    unitCost: 120,
    stock: 300,
  },
  {
    code: 'SAMPLE-SERUM',
    name: '美容液 お試しサンプル 3包',
    kind: 'present',
    taxRate: 10,
    unitPrice: 0,
    unitCost: 40,
    stock: 1000,
  },
  {
    code: 'AOJIRU-30',
    name: '国産大麦若葉の青汁 30包',
    nameKana: 'コクサンオオムギワカバノアオジル',
    category: 'HEALTH',
    taxRate: 8,
    unitPrice: 3240,
    unitCost: 900,
    stock: 500,
    companions: ['GUIDE-AOJIRU'],
  },
  {
    code: 'AOJIRU-SUB',
    name: '国産大麦若葉の青汁 30包【定期便】',
    nameKana: 'アオジル テイキビン',
    category: 'HEALTH',
    kind: 'subscription',
    taxRate: 8,
    unitPrice: 2916,
    firstPrice: 1980,
    unitCost: 900,
    note: '2回目以降10%オフ。初回1,980円。',
    companions: ['GUIDE-AOJIRU'],
  },
  {
    code: 'BLUEBERRY-60',
    name: 'ブルーベリー&ルテイン 60粒',
    nameKana: 'ブルーベリーアンドルテイン',
    category: 'HEALTH',
    taxRate: 8,
    unitPrice: 2980,
    unitCost: 700,
    stock: 240,
  },
  {
    code: 'GLUCOSAMINE-180',
    name: 'グルコサミン&コンドロイチン 180粒',
    nameKana: 'グルコサミンアンドコンドロイチン',
    category: 'HEALTH',
    taxRate: 8,
    unitPrice: 4320,
    unitCost: 1100,
  },
  {
    code: 'NYUSANKIN-SUB',
    name: '乳酸菌サプリ 30日分【定期便】',
    nameKana: 'ニュウサンキンサプリ テイキビン',
    category: 'HEALTH',
    kind: 'subscription',
    taxRate: 8,
    unitPrice: 3456,
    firstPrice: 980,
    unitCost: 800,
  },
  {
    code: 'COLLAGEN-10',
    name: 'コラーゲンドリンク 50mL×10本',
    nameKana: 'コラーゲンドリンク',
    category: 'BEAUTY',
    taxRate: 8,
    unitPrice: 3780,
    unitCost: 1200,
  },
  {
    code: 'SERUM-30',
    name: '薬用美白美容液 30mL',
    nameKana: 'ヤクヨウビハクビヨウエキ',
    category: 'BEAUTY',
    taxRate: 10,
    unitPrice: 5500,
    unitCost: 1300,
    stock: 150,
  },
  {
    code: 'GEL-50',
    name: 'オールインワンゲル 50g',
    nameKana: 'オールインワンゲル',
    category: 'BEAUTY',
    taxRate: 10,
    unitPrice: 4180,
    unitCost: 900,
  },
  {
    code: 'CLEANSING-150',
    name: 'ホットクレンジングオイル 150mL',
    nameKana: 'ホットクレンジングオイル',
    category: 'BEAUTY',
    taxRate: 10,
    unitPrice: 2200,
    unitCost: 450,
    salesUntil: '2099-12-31',
  },
  {
    code: 'SET-KENKO',
    name: '健康応援セット(青汁+ブルーベリー)',
    nameKana: 'ケンコウオウエンセット',
    category: 'HEALTH',
    kind: 'set',
    taxRate: 8,
    unitPrice: 5800,
    unitCost: 1600,
    components: ['AOJIRU-30', 'BLUEBERRY-60'],
  },
];

const KYUSHU_OKINAWA_HOKKAIDO = [
  '北海道',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
];

export async function seedCatalogueDemo(tx: TenantTx, now: Date): Promise<{ products: number }> {
  const [exists] = await tx.query('SELECT 1 FROM products WHERE tenant_id = $1 LIMIT 1', [tx.tenantId]);
  if (exists) return { products: 0 };
  const ctx: Ctx = { tenantId: tx.tenantId, actor: SYSTEM_ACTOR, now };
  const add = (master: Master, input: Row) => insertRow(tx, master, input, ctx, false);
  const year = Number(tokyoDate(now).slice(0, 4));

  // The invoice issuer (適格請求書発行事業者) of the demo firm, unless set already.
  await tx.query(
    `UPDATE tenants SET settings = jsonb_build_object('invoice', $2::jsonb) || settings
      WHERE id = $1 AND NOT settings ? 'invoice'`,
    [
      tx.tenantId,
      JSON.stringify({
        registrationNumber: 'T1234567890123',
        issuerName: 'デモ通販株式会社',
        issuerAddress: '東京都千代田区神田須田町1-2-3 窓口ビル5F',
        issuerPhone: '0120-000-123',
      }),
    ],
  );

  const categories = new Map<string, string>();
  for (const [i, [code, name]] of [
    ['HEALTH', '健康食品'],
    ['BEAUTY', '化粧品'],
    ['GOODS', '雑貨・同梱物'],
  ].entries()) {
    categories.set(code as string, String((await add(m.categories, { code, name, sortOrder: (i + 1) * 10 })).id));
  }

  const products = new Map<string, string>();
  for (const { category, components, companions, ...p } of PRODUCTS) {
    const links = (codes: unknown) =>
      codes ? (codes as string[]).map((c) => ({ productId: products.get(c), quantity: 1 })) : undefined;
    const row = await add(m.products, {
      ...p,
      categoryId: categories.get(String(category ?? 'GOODS')),
      components: links(components),
      companions: links(companions),
    });
    products.set(p.code, String(row.id));
  }

  const media = new Map<string, string>();
  for (const [code, name, medium, monthlyCost] of [
    ['NP-YOMIURI', '読売新聞 全5段', '新聞', 1_200_000],
    ['NP-NIKKEI', '日経新聞 半5段', '新聞', 800_000],
    ['TV-BS', 'BSテレビショッピング 30分枠', 'テレビ', 2_000_000],
    ['WEB-LISTING', 'リスティング広告', 'Web', 300_000],
    ['WEB-AFFILIATE', 'アフィリエイト', 'Web', 150_000],
    ['DM-INSERT', '同梱チラシ', 'チラシ', 50_000],
  ] as const) {
    media.set(code, String((await add(m.adMedia, { code, name, medium, monthlyCost })).id));
  }

  await add(m.origins, {
    code: 'SAITAMA',
    name: '埼玉物流センター',
    shipperName: 'デモ通販株式会社',
    shipperKana: 'デモツウハン',
    postalCode: '336-0022',
    prefecture: '埼玉県',
    city: 'さいたま市南区',
    address1: '白幡4-5-6',
    address2: 'デモ物流センター内',
    phone: '048-000-0000',
    defaultCarrier: 'yamato',
    isDefault: true,
  });
  await saveCarrierAccount(tx, ctx, 'yamato', {
    account: { customerCode: '012345678901', classCode: '', freightNumber: '01' },
    trackingUrl: 'https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id={number}',
  });
  for (const carrier of CARRIERS) {
    await replaceTimeSlots(
      tx,
      ctx,
      carrier,
      DEFAULT_TIME_SLOTS[carrier].map((s) => ({ ...s, active: true })),
    );
  }

  await add(m.shippingFees, { carrier: null, prefecture: null, fee: 600, freeThreshold: 5000 });
  await add(m.shippingFees, { carrier: null, prefecture: '北海道', fee: 1200, freeThreshold: 5000 });
  await add(m.shippingFees, { carrier: null, prefecture: '沖縄県', fee: 1200, freeThreshold: 5000 });
  for (const carrier of CARRIERS) {
    for (const prefecture of KYUSHU_OKINAWA_HOKKAIDO)
      await add(m.leadDays, { carrier, originId: null, prefecture, days: 2 });
  }

  await add(m.paymentMethods, {
    code: 'COD',
    name: '代金引換',
    kind: 'cod',
    fee: 330,
    sortOrder: 10,
    brackets: [
      { upTo: 10_000, fee: 330 },
      { upTo: 30_000, fee: 440 },
      { upTo: 100_000, fee: 660 },
      { upTo: null, fee: 1100 },
    ],
  });
  await add(m.paymentMethods, {
    code: 'BANK',
    name: '銀行振込(前払い)',
    kind: 'bank_transfer',
    dueDays: 7,
    sortOrder: 20,
  });
  await add(m.paymentMethods, { code: 'CARD', name: 'クレジットカード', kind: 'card', sortOrder: 30 });
  await add(m.paymentMethods, {
    code: 'ATOBARAI',
    name: '後払い(コンビニ・郵便局・銀行)',
    kind: 'deferred',
    fee: 220,
    dueDays: 14,
    sortOrder: 40,
  });
  await add(m.paymentMethods, {
    code: 'CVS',
    name: 'コンビニ払い(前払い)',
    kind: 'convenience',
    dueDays: 7,
    sortOrder: 50,
  });

  await add(m.campaigns, {
    code: 'FIRST500',
    name: '初回500円引き・送料無料',
    startsOn: `${year}-01-01`,
    endsOn: `${year + 1}-12-31`,
    automatic: true,
    firstOrderOnly: true,
    freeShipping: true,
    discountAmount: 500,
    presents: [{ triggerProductId: products.get('AOJIRU-30'), presentProductId: products.get('SHAKER'), quantity: 1 }],
    note: '初めてのお客様: 500円引き、送料無料、青汁ご購入でシェイカープレゼント。',
  });
  await add(m.campaigns, {
    code: 'TV2980',
    name: 'テレビ特別価格 青汁2,980円',
    startsOn: `${year}-01-01`,
    endsOn: `${year}-12-31`,
    adMediumId: media.get('TV-BS'),
    prices: [{ productId: products.get('AOJIRU-30'), unitPrice: 2980 }],
  });
  await add(m.campaigns, {
    code: 'BEAUTY-SAMPLE',
    name: '美容液サンプルプレゼント(5,000円以上)',
    startsOn: `${year}-01-01`,
    endsOn: `${year + 1}-12-31`,
    automatic: true,
    minAmount: 5000,
    presents: [{ triggerProductId: null, presentProductId: products.get('SAMPLE-SERUM'), quantity: 1 }],
  });

  const reasons: [string, string, string][] = [
    ['cancel', 'C01', 'お客様都合'],
    ['cancel', 'C02', '注文の重複'],
    ['cancel', 'C03', '入金が確認できない'],
    ['cancel', 'C04', '在庫切れ'],
    ['cancel', 'C05', '受取拒否'],
    ['return', 'R01', '商品の破損・不良'],
    ['return', 'R02', '誤配送'],
    ['return', 'R03', 'お客様都合(未開封)'],
    ['return', 'R04', '長期不在による返送'],
    ['subscription_cancel', 'S01', '商品が余っている'],
    ['subscription_cancel', 'S02', '効果を感じない'],
    ['subscription_cancel', 'S03', '経済的な理由'],
    ['subscription_cancel', 'S04', '体質に合わない'],
    ['subscription_cancel', 'S05', '他社製品に切り替え'],
  ];
  for (const [i, [kind, code, name]] of reasons.entries())
    await add(m.reasons, { kind, code, name, sortOrder: (i + 1) * 10 });

  return { products: PRODUCTS.length };
}
