// The demo tenant's FAQ: a few categories and ten published articles with keywords, the answers
// an operator looks up during a call (suggestions and search have something to find).
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import { createCategory } from './faq.categories.js';
import { insertArticle } from './faq.service.js';

const ARTICLES: [category: string, title: string, keywords: string[], body: string][] = [
  [
    '商品について',
    '青汁はいつ飲むのが効果的ですか',
    ['青汁', '飲み方', 'タイミング'],
    '特に決まりはありませんが、毎日続けやすい朝食時をおすすめしています。水のほか牛乳や豆乳で割ってもお召し上がりいただけます。',
  ],
  [
    '商品について',
    'アレルギー物質は含まれていますか',
    ['アレルギー', '原材料', '成分'],
    '青汁(大麦若葉)は特定原材料を使用していません。製造ラインで乳成分を含む製品を製造しています。原材料表示をご確認ください。',
  ],
  [
    '商品について',
    '薬と一緒に飲んでも大丈夫ですか',
    ['薬', '飲み合わせ', 'サプリ'],
    '健康食品のため基本的に問題ありませんが、通院中・服薬中の方はかかりつけの医師・薬剤師にご相談のうえお召し上がりください。',
  ],
  [
    '定期便',
    '定期便の休止・解約はできますか',
    ['定期', '解約', '休止', 'スキップ'],
    'いつでも休止・スキップ・解約を承ります。次回お届け予定日の7日前までにお電話ください。回数のお約束がある場合はご案内のうえ承ります。',
  ],
  [
    '定期便',
    '定期便のお届け日を変更したい',
    ['定期', 'お届け日', '変更'],
    '次回のみの変更、以降すべての変更のどちらも承ります。次回お届け予定日の7日前までにご連絡ください。',
  ],
  [
    'お支払い',
    '利用できるお支払い方法は',
    ['支払', '代引き', '後払い', 'カード'],
    '代金引換・クレジットカード・後払い(コンビニ・郵便局・銀行)・銀行振込・コンビニ払いをご利用いただけます。代引き手数料は330円からです。',
  ],
  [
    'お支払い',
    '後払いの請求書が届かない',
    ['後払い', '請求書', '再発行'],
    '請求書は商品に同封または別送でお送りしています。発行から14日以内にお支払いください。お手元にない場合は再発行を手配します。',
  ],
  [
    '配送',
    '送料はいくらですか',
    ['送料', '無料', '北海道', '沖縄'],
    '全国一律600円(北海道・沖縄は1,200円)です。5,000円以上のご注文で送料無料になります。',
  ],
  [
    '配送',
    'お届け日時の指定はできますか',
    ['配送', '日時指定', '時間帯'],
    'ご注文から3日後以降の日付と、配送業者の時間帯をご指定いただけます。年末年始・夏季休業中は出荷がございません。',
  ],
  [
    '返品・交換',
    '返品・交換はできますか',
    ['返品', '交換', '破損', '不良'],
    '商品の破損・不良・誤配送の場合は送料当社負担で交換または返金いたします。お客様都合の返品は未開封・到着後8日以内に限り承ります。',
  ],
];

export async function seedFaqDemo(db: Database, tenantId: string, opts: { now: Date; actor: Actor }): Promise<number> {
  const ctx = { tenantId, actor: opts.actor, now: opts.now };
  const categories = new Map<string, string>();
  for (const [position, name] of [...new Set(ARTICLES.map((a) => a[0]))].entries())
    categories.set(name, (await createCategory(db, ctx, { name, position: (position + 1) * 10 })).id);
  await db.withTenant(tenantId, async (tx) => {
    for (const [category, title, keywords, body] of ARTICLES)
      await insertArticle(tx, ctx, { title, body, keywords, categoryId: categories.get(category), published: true });
  });
  return ARTICLES.length;
}
