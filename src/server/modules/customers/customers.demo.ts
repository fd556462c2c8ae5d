// The demo tenant's customers: ~120 people with Japanese names and kana, one or two phones
// (mobile and landline formats), addresses with real postal codes in several prefectures, some
// e-mail addresses, a few 注意事項, mixed DM/mail opt-ins and the ad medium they came from.
// Checked like POST /customers (prepareCustomer) and written as an import writes (one statement).
// Called from platform/demo/demo.ts; deterministic through its seeded Rng.
import { randomUUID } from 'node:crypto';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import type { Rng } from '../../platform/demo/random.js';
import { type CustomerRecord, insertCustomers, takeNumbers } from './customers.queries.js';
import type { CustomerInput } from './customers.schema.js';
import { newRecord, validationFailed } from './customers.service.js';
import { prepareCustomer } from './customers.validate.js';

const FAMILY: [string, string, string][] = [
  ['佐藤', 'サトウ', 'sato'],
  ['鈴木', 'スズキ', 'suzuki'],
  ['高橋', 'タカハシ', 'takahashi'],
  ['田中', 'タナカ', 'tanaka'],
  ['伊藤', 'イトウ', 'ito'],
  ['渡辺', 'ワタナベ', 'watanabe'],
  ['山本', 'ヤマモト', 'yamamoto'],
  ['中村', 'ナカムラ', 'nakamura'],
  ['小林', 'コバヤシ', 'kobayashi'],
  ['加藤', 'カトウ', 'kato'],
  ['吉田', 'ヨシダ', 'yoshida'],
  ['山田', 'ヤマダ', 'yamada'],
  ['佐々木', 'ササキ', 'sasaki'],
  ['松本', 'マツモト', 'matsumoto'],
  ['井上', 'イノウエ', 'inoue'],
  ['木村', 'キムラ', 'kimura'],
  ['林', 'ハヤシ', 'hayashi'],
  ['清水', 'シミズ', 'shimizu'],
  ['山崎', 'ヤマザキ', 'yamazaki'],
  ['森', 'モリ', 'mori'],
  ['池田', 'イケダ', 'ikeda'],
  ['橋本', 'ハシモト', 'hashimoto'],
  ['阿部', 'アベ', 'abe'],
  ['石川', 'イシカワ', 'ishikawa'],
  ['前田', 'マエダ', 'maeda'],
  ['藤田', 'フジタ', 'fujita'],
  ['小川', 'オガワ', 'ogawa'],
  ['岡田', 'オカダ', 'okada'],
  ['後藤', 'ゴトウ', 'goto'],
  ['長谷川', 'ハセガワ', 'hasegawa'],
  ['村上', 'ムラカミ', 'murakami'],
  ['近藤', 'コンドウ', 'kondo'],
  ['斉藤', 'サイトウ', 'saito'],
  ['坂本', 'サカモト', 'sakamoto'],
  ['遠藤', 'エンドウ', 'endo'],
  ['青木', 'アオキ', 'aoki'],
];

const FEMALE: [string, string, string][] = [
  ['和子', 'カズコ', 'kazuko'],
  ['幸子', 'サチコ', 'sachiko'],
  ['節子', 'セツコ', 'setsuko'],
  ['洋子', 'ヨウコ', 'yoko'],
  ['恵子', 'ケイコ', 'keiko'],
  ['京子', 'キョウコ', 'kyoko'],
  ['久美子', 'クミコ', 'kumiko'],
  ['由美子', 'ユミコ', 'yumiko'],
  ['真由美', 'マユミ', 'mayumi'],
  ['陽子', 'ヨウコ', 'yoko'],
  ['智子', 'トモコ', 'tomoko'],
  ['直美', 'ナオミ', 'naomi'],
  ['明美', 'アケミ', 'akemi'],
  ['美穂', 'ミホ', 'miho'],
  ['さゆり', 'サユリ', 'sayuri'],
  ['純子', 'ジュンコ', 'junko'],
  ['千尋', 'チヒロ', 'chihiro'],
  ['愛', 'アイ', 'ai'],
];

const MALE: [string, string, string][] = [
  ['茂', 'シゲル', 'shigeru'],
  ['博', 'ヒロシ', 'hiroshi'],
  ['清', 'キヨシ', 'kiyoshi'],
  ['誠', 'マコト', 'makoto'],
  ['隆', 'タカシ', 'takashi'],
  ['和夫', 'カズオ', 'kazuo'],
  ['健一', 'ケンイチ', 'kenichi'],
  ['正人', 'マサト', 'masato'],
  ['浩二', 'コウジ', 'koji'],
  ['大輔', 'ダイスケ', 'daisuke'],
  ['直樹', 'ナオキ', 'naoki'],
  ['修', 'オサム', 'osamu'],
];

/** Real postal codes with their prefecture, city and town; the landline area code of the place. */
const PLACES: [string, string, string, string, string][] = [
  ['100-0005', '東京都', '千代田区', '丸の内', '03'],
  ['160-0022', '東京都', '新宿区', '新宿', '03'],
  ['154-0004', '東京都', '世田谷区', '太子堂', '03'],
  ['180-0004', '東京都', '武蔵野市', '吉祥寺本町', '0422'],
  ['220-0012', '神奈川県', '横浜市西区', 'みなとみらい', '045'],
  ['252-0303', '神奈川県', '相模原市南区', '相模大野', '042'],
  ['330-0063', '埼玉県', 'さいたま市浦和区', '高砂', '048'],
  ['260-0013', '千葉県', '千葉市中央区', '中央', '043'],
  ['530-0001', '大阪府', '大阪市北区', '梅田', '06'],
  ['460-0008', '愛知県', '名古屋市中区', '栄', '052'],
  ['600-8216', '京都府', '京都市下京区', '東塩小路町', '075'],
  ['650-0021', '兵庫県', '神戸市中央区', '三宮町', '078'],
  ['060-0001', '北海道', '札幌市中央区', '北一条西', '011'],
  ['980-0021', '宮城県', '仙台市青葉区', '中央', '022'],
  ['810-0001', '福岡県', '福岡市中央区', '天神', '092'],
  ['730-0011', '広島県', '広島市中区', '基町', '082'],
  ['900-0015', '沖縄県', '那覇市', '久茂地', '098'],
  ['950-0088', '新潟県', '新潟市中央区', '万代', '025'],
  ['420-0852', '静岡県', '静岡市葵区', '紺屋町', '054'],
  ['860-0806', '熊本県', '熊本市中央区', '花畑町', '096'],
];

const BUILDINGS = [
  'コーポ桜 201',
  'グリーンハイツ 305',
  'メゾン若葉 102',
  'サンライズマンション 710',
  'パークサイド 3F',
];
const MAIL_DOMAINS = ['example.jp', 'example.com', 'example.ne.jp'];

const ALERTS = [
  '耳が遠いため、ゆっくり大きな声でお話しください。',
  '過去に配送遅延でお叱りあり。お届け日を必ず復唱すること。',
  '夕方18時以降の電話は不可(ご本人希望)。',
  '代引き受取拒否の履歴あり。前払いをご案内。',
  'ご家族(娘様)が代理で連絡されることがあります。',
];

const NOTES = [
  '青汁の味についてご意見をいただいたことあり。',
  'テレビショッピングをご覧になってのご注文が多い。',
  'ご主人の分もまとめてご注文。',
  '定期便の案内を希望。',
];

export type DemoCustomer = { id: string; name: string; prefecture: string; adMediumId: string | null };

/** A landline in the place's area code: 10 digits in all, the subscriber part starting 2–9. */
function landline(rng: Rng, area: string): string {
  const rest = rng.digits(10 - area.length, '2345678');
  const local = area.length === 2 ? rest.slice(0, 4) : area.length === 3 ? rest.slice(0, 3) : rest.slice(0, 2);
  return `${area}-${local}-${rest.slice(local.length)}`;
}

const mobile = (rng: Rng) => `${rng.pick(['090', '080', '070'])}-${rng.digits(4)}-${rng.digits(4, '0123456789')}`;

export async function seedCustomersDemo(
  db: Database,
  tenantId: string,
  opts: { now: Date; rng: Rng; actor: Actor; count: number; staffIds: string[] },
): Promise<DemoCustomer[]> {
  const { rng, now } = opts;
  const today = tokyoDate(now);
  return db.withTenant(tenantId, async (tx) => {
    const media = await tx.query<{ id: string; name: string; code: string }>(
      'SELECT id, name, code FROM ad_media WHERE tenant_id = $1 ORDER BY code',
      [tenantId],
    );
    const customers: DemoCustomer[] = [];
    const records: CustomerRecord[] = [];
    const first = await takeNumbers(tx, opts.count);
    const used = new Set<string>();
    for (let i = 0; i < opts.count; i++) {
      const female = rng.chance(0.72);
      let family: [string, string, string];
      let given: [string, string, string];
      do {
        family = rng.pick(FAMILY);
        given = rng.pick(female ? FEMALE : MALE);
      } while (used.has(family[0] + given[0]));
      used.add(family[0] + given[0]);
      const [postalCode, prefecture, city, town, area] = rng.weighted(
        PLACES.map((p, k) => [p, k < 10 ? 3 : 1] as const),
      );
      const phones: NonNullable<CustomerInput['phones']> = [];
      if (rng.chance(0.75)) phones.push({ number: mobile(rng), kind: 'mobile' });
      if (phones.length === 0 || rng.chance(0.35)) phones.push({ number: landline(rng, area), kind: 'home' });
      const medium = rng.chance(0.85) ? rng.weighted(media.map((m, k) => [m, k === 0 ? 1 : 3] as const)) : null;
      const age = rng.int(35, 82);
      const input: CustomerInput & { name: string } = {
        name: `${family[0]} ${given[0]}`,
        nameKana: `${family[1]} ${given[1]}`,
        familyName: family[0],
        givenName: given[0],
        familyNameKana: family[1],
        givenNameKana: given[1],
        phones,
        emails: rng.chance(0.4) ? [`${given[2]}.${family[2]}${rng.int(1, 99)}@${rng.pick(MAIL_DOMAINS)}`] : [],
        postalCode,
        prefecture,
        city,
        address1: `${town}${rng.int(1, 5)}-${rng.int(1, 20)}-${rng.int(1, 30)}`,
        address2: rng.chance(0.4) ? rng.pick(BUILDINGS) : null,
        birthDate: `${Number(today.slice(0, 4)) - age}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
        gender: female ? 'female' : 'male',
        dmOptIn: rng.chance(0.6),
        mailOptIn: rng.chance(0.3),
        staffId: rng.chance(0.3) ? rng.pick(opts.staffIds) : null,
        adMedium: medium?.name ?? null,
        tags: rng.chance(0.15) ? ['優良顧客'] : [],
        note: rng.chance(0.12) ? rng.pick(NOTES) : null,
        alert: i % 24 === 5 ? (ALERTS[(i / 24) | 0] ?? null) : null,
      };
      const { values, issues } = prepareCustomer(input, today);
      if (issues.length > 0) throw validationFailed(issues);
      const id = randomUUID();
      records.push(newRecord({ ...values, name: input.name }, id, first + i));
      customers.push({ id, name: input.name, prefecture, adMediumId: medium?.id ?? null });
    }
    await insertCustomers(tx, records);
    await audit(tx, opts.actor, {
      action: 'customer.import',
      objectType: 'customer',
      detail: { count: records.length, demo: true },
    });
    return customers;
  });
}
