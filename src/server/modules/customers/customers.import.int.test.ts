// CSV import and export of customers: encodings (UTF-8, BOM, Shift_JIS), headers in English or
// Japanese, RFC 4180 quoting, row-numbered errors with nothing imported, dry runs, and an export
// for Excel that decodes and defuses formulas.
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

type Res = Awaited<ReturnType<TestApp['inject']>>;
type Customer = { id: string; code: string; name: string; note: string | null; [k: string]: unknown };

let app: TestApp;

beforeAll(async () => {
  app = await testApp();
});

function postCsv(t: TestTenant, body: string | Buffer, query = '', headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/customers/import${query}`,
    headers: { ...auth(t.adminToken), 'content-type': 'text/csv', ...headers },
    payload: body,
  });
}

async function count(t: TestTenant): Promise<number> {
  const [row] = await dbOf(app).withTenant(t.tenantId, (tx) =>
    tx.query<{ n: number }>('SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1', [t.tenantId]),
  );
  return row?.n ?? -1;
}

async function search(t: TestTenant, q: string): Promise<Customer[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/customers?q=${encodeURIComponent(q)}&limit=500`,
    headers: auth(t.adminToken),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
  return res.json();
}

describe('import', () => {
  it('UTF-8 with English headers → 201, every row imported and searchable', async () => {
    const t = await makeTenant(app);
    const csv =
      'name,nameKana,phone1\r\n窓口 一郎,マドグチ イチロウ,03-6000-0001\r\n窓口 二郎,マドグチ ジロウ,03-6000-0002\r\n';
    const res = await postCsv(t, csv);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ rows: 2, valid: 2, imported: 2, errors: [], errorsTruncated: false });
    expect((await search(t, '03-6000-0002')).map((c) => c.name)).toEqual(['窓口 二郎']);
    expect((await search(t, 'いちろう')).map((c) => c.name)).toEqual(['窓口 一郎']);
  });

  it('UTF-8 with BOM and Japanese headers, every column, Excel-style dates and gender labels', async () => {
    const t = await makeTenant(app);
    const header =
      '氏名,フリガナ,電話番号1,電話番号2,電話番号3,メールアドレス,郵便番号,都道府県,市区町村,住所1,住所2,会社名,部署名,生年月日,性別,備考';
    const row =
      '佐賀 太郎,サガ タロウ,0952-26-8311,090-9999-9999,,saga@example.jp,840-0000,佐賀,佐賀市,鍋島3-2,,佐賀商事,営業部,1950/4/1,男性,耳が遠い';
    const res = await postCsv(
      t,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header}\r\n${row}\r\n`)]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const [c] = await search(t, '佐賀');
    expect(c).toMatchObject({
      name: '佐賀 太郎',
      nameKana: 'サガ タロウ',
      phones: [
        { e164: '+81952268311', kind: 'home' },
        { e164: '+819099999999', kind: 'mobile' },
      ],
      emails: ['saga@example.jp'],
      postalCode: '840-0000',
      prefecture: '佐賀県',
      city: '佐賀市',
      address1: '鍋島3-2',
      address2: null,
      company: '佐賀商事',
      department: '営業部',
      birthDate: '1950-04-01',
      gender: 'male',
      note: '耳が遠い',
    });
  });

  it('Shift_JIS (CP932) with 髙 and 﨑 is detected and stored exactly', async () => {
    const t = await makeTenant(app);
    const csv =
      '氏名,フリガナ,電話番号1\r\n髙橋 一郎,タカハシ イチロウ,03-1111-2222\r\n山﨑 花子,ヤマザキ ハナコ,03-1111-3333\r\n';
    const sjis = iconv.encode(csv, 'cp932');
    expect(sjis.includes(Buffer.from('髙'))).toBe(false); // really not UTF-8
    const res = await postCsv(t, sjis, '', { 'content-type': 'text/csv; charset=Shift_JIS' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await search(t, '高橋')).map((c) => c.name)).toEqual(['髙橋 一郎']);
    expect((await search(t, '山崎')).map((c) => c.name)).toEqual(['山﨑 花子']);
  });

  it('reads quoted commas, doubled quotes and line breaks as RFC 4180 says; Excel row numbers count records', async () => {
    const t = await makeTenant(app);
    const csv = [
      'name,note,phone1',
      '"山田, 太郎","彼は ""至急"" と言った",03-2222-0001',
      '"改行 花子","一行目\r\n二行目",03-2222-0002',
      '',
      '後続 次郎,,03-2222-0003',
    ].join('\r\n');
    const dry = await postCsv(t, csv, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ rows: 3, valid: 3, imported: 0, errors: [] });
    expect(await count(t)).toBe(0);
    const res = await postCsv(t, csv);
    expect(res.statusCode, res.body).toBe(201);
    const byName = Object.fromEntries((await search(t, '')).map((c) => [c.name, c]));
    expect(byName['山田, 太郎']?.note).toBe('彼は "至急" と言った');
    expect(byName['改行 花子']?.note).toBe('一行目\r\n二行目');
    // The record after the multi-line one and the blank line is Excel's row 5.
    const bad = await postCsv(t, csv.replace('03-2222-0003', '03-2222'));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { row: 5, column: 'phone1', code: 'invalid_phone', message: '電話番号として正しくありません。' },
    ]);
  });

  it('one bad row → 422 problem with row, column and reason; nothing is imported', async () => {
    const t = await makeTenant(app);
    const csv = [
      '氏名,電話番号1,電話番号2,メールアドレス,性別,生年月日',
      '正常 一郎,03-3333-0001,,,,',
      '異常 二郎,03-3333-0002,12345,not-an-email,どちらでも,1980-13-45',
      ',03-3333-0003,,,,',
      '正常 四郎,03-3333-0004,,,女,',
    ].join('\n');
    const res = await postCsv(t, csv, '', { 'accept-language': 'en' });
    const body = expectProblem(res, 422, 'import.invalid_rows');
    expect(body).toMatchObject({
      rows: 4,
      valid: 2,
      imported: 0,
      errorsTruncated: false,
      detail: '2 row(s) are invalid. Nothing was imported.',
    });
    expect(body.errors).toEqual([
      { row: 3, column: '電話番号2', code: 'invalid_phone', message: 'Not a valid phone number.' },
      { row: 3, column: 'メールアドレス', code: 'invalid_format', message: 'Not a valid e-mail address.' },
      { row: 3, column: '性別', code: 'invalid_value', message: expect.stringContaining('female') },
      { row: 3, column: '生年月日', code: 'invalid_format', message: 'Enter a date as YYYY-MM-DD.' },
      { row: 4, column: '氏名', code: 'too_small', message: 'Required.' },
    ]);
    expect(await count(t)).toBe(0);
    // The same rows as a dry run: 200 is only for a clean file; errors are still 422.
    expect((await postCsv(t, csv, '?dryRun=true')).statusCode).toBe(422);
    expect(await count(t)).toBe(0);
  });

  it('refuses unknown, repeated or missing columns (400), broken quoting, no header, and non-CSV bodies', async () => {
    const t = await makeTenant(app);
    const unknown = expectProblem(await postCsv(t, 'name,fax,顧客ランク\nx,1,2\n'), 400, 'import.unknown_columns');
    expect(unknown.detail).toBe('不明な列があります: fax, 顧客ランク');
    expectProblem(await postCsv(t, 'name,氏名\nx,y\n'), 400, 'import.duplicate_columns');
    expectProblem(await postCsv(t, 'nameKana,phone1\nヤマダ,0312345678\n'), 400, 'import.missing_name');
    expectProblem(await postCsv(t, 'name,note\n"unclosed,x\n'), 400, 'import.malformed');
    expectProblem(await postCsv(t, ''), 400, 'import.no_header');
    expectProblem(await postCsv(t, Buffer.from([0xff, 0xfe, 0x41, 0x00])), 400, 'import.encoding');
    const json = await app.inject({
      method: 'POST',
      url: '/api/v1/customers/import',
      headers: auth(t.adminToken),
      payload: { name: 'x' },
    });
    expectProblem(json, 415, 'unsupported_media_type');
    // Other routes still refuse CSV bodies.
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...auth(t.adminToken), 'content-type': 'text/csv' },
      payload: 'name\nx\n',
    });
    expectProblem(elsewhere, 415, 'unsupported_media_type');
    expect(await count(t)).toBe(0);
  });

  it('a row with more cells than the header is an error of that row', async () => {
    const t = await makeTenant(app);
    const res = await postCsv(t, 'name,phone1\n一,0312345678\n二,0312345679,extra\n三,0312345670,\n');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { row: 3, column: null, code: 'column_count', message: 'ヘッダーより多くの列があります。' },
    ]);
  });

  it('imports 1,500 rows in one go, numbers them in file order and audits the import once', async () => {
    const t = await makeTenant(app);
    const lines = ['name,nameKana,phone1,email'];
    for (let i = 1; i <= 1500; i++)
      lines.push(`大量 ${i}号,タイリョウ,080${String(i).padStart(8, '0')},u${i}@example.jp`);
    const res = await postCsv(t, lines.join('\r\n'));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    expect(res.json()).toMatchObject({ rows: 1500, valid: 1500, imported: 1500 });
    expect(await count(t)).toBe(1500);
    const [first] = await search(t, 'u1@example.jp');
    const [last] = await search(t, 'u1500@example.jp');
    expect(Number(last?.code.slice(1)) - Number(first?.code.slice(1))).toBe(1499);
    expect((await search(t, '08000001500')).map((c) => c.name)).toEqual(['大量 1500号']);
    const audits = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ detail: Record<string, unknown> }>(
        `SELECT detail FROM audit_log WHERE tenant_id = $1 AND action = 'customer.import'`,
        [t.tenantId],
      ),
    );
    expect(audits.map((a) => a.detail)).toEqual([
      { count: 1500, firstCode: first?.code, lastCode: last?.code, encoding: 'utf8' },
    ]);
  });
});

describe('export', () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await makeTenant(app);
    const lines = ['氏名,フリガナ,電話番号1,備考'];
    for (let i = 1; i <= 1200; i++) lines.push(`出力 ${i},シュツリョク,03${String(50000000 + i)},`);
    lines.push('髙橋 﨑子,タカハシ サキコ,090-1234-0000,"=HYPERLINK(""http://evil.example"")"');
    lines.push('@SUM(A1),,+81 3-1234-0001,-1+2');
    expect((await postCsv(t, lines.join('\r\n'))).statusCode).toBe(201);
    const other = await makeTenant(app);
    expect((await postCsv(other, 'name\n他社 顧客\n')).statusCode).toBe(201);
  });

  it('Shift_JIS: decodes, Japanese header, CRLF, every customer once across batches, formulas defused', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/customers/export?encoding=sjis',
      headers: auth(t.adminToken),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="customers-\d{8}\.csv"/);
    const text = iconv.decode(res.rawPayload, 'cp932');
    const lines = text.split('\r\n').filter((l) => l !== '');
    expect(lines[0]?.startsWith('顧客コード,氏名,フリガナ,電話番号1,電話番号2,電話番号3,メールアドレス,郵便番号')).toBe(
      true,
    );
    expect(lines).toHaveLength(1 + 1202);
    expect(text).toContain('髙橋 﨑子');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).toContain(`'@SUM(A1)`);
    expect(text).toContain(`'-1+2`);
    expect(text).toContain(`'+81 3-1234-0001`);
    expect(text).not.toContain('他社');
    const codes = lines.slice(1).map((l) => l.split(',')[0]);
    expect(new Set(codes).size).toBe(1202);
  });

  it('UTF-8 with BOM by default; a search narrows it; the export is audited', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/export?q=${encodeURIComponent('たかはし')}`,
      headers: auth(t.adminToken),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.rawPayload
      .subarray(3)
      .toString('utf8')
      .split('\r\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('髙橋 﨑子');
    const audits = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ detail: unknown }>(
        `SELECT detail FROM audit_log WHERE tenant_id = $1 AND action = 'customer.export' ORDER BY id`,
        [t.tenantId],
      ),
    );
    expect(audits.map((a) => a.detail)).toEqual([
      { encoding: 'sjis', filtered: false },
      { encoding: 'utf8bom', filtered: true },
    ]);
  });
});
