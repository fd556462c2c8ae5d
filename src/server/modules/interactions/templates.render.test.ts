import { describe, expect, it } from 'vitest';
import { clockValues, familyNameOf, placeholderKey, renderText } from './templates.render.js';

describe('renderText', () => {
  const values = { 'customer.name': '佐賀 太郎', 'staff.name': '古賀', date: '2025年4月1日', 'customer.company': null };

  it('fills Japanese names and English aliases, spaces inside the braces allowed', () => {
    const r = renderText(
      '{{顧客名}}様、担当の{{ 担当者名 }}です。{{customer.name}} / {{operator.name}} / {{DATE}}',
      values,
    );
    expect(r).toEqual({ text: '佐賀 太郎様、担当の古賀です。佐賀 太郎 / 古賀 / 2025年4月1日', unknown: [], empty: [] });
  });

  it('leaves unknown placeholders as written and reports them once; empty values become nothing', () => {
    const r = renderText('{{ポイント残高}} {{ポイント残高}} {{会社名}}御中 {{}} {x}', values);
    expect(r).toEqual({
      text: '{{ポイント残高}} {{ポイント残高}} 御中 {{}} {x}',
      unknown: ['ポイント残高', ''],
      empty: ['会社名'],
    });
  });

  it('reads full-width names as their NFKC form', () => {
    expect(placeholderKey('ｃｕｓｔｏｍｅｒ．ｎａｍｅ')).toBe('customer.name');
    expect(placeholderKey('nope')).toBeNull();
  });
});

describe('values', () => {
  it('date and time in Asia/Tokyo', () => {
    expect(clockValues(new Date('2025-03-31T15:05:00Z'))).toEqual({ date: '2025年4月1日', time: '00:05' });
  });

  it('the family name, else the first word of the name', () => {
    expect(familyNameOf('佐賀 太郎', null)).toBe('佐賀');
    expect(familyNameOf('佐賀　太郎', null)).toBe('佐賀');
    expect(familyNameOf('佐賀太郎', null)).toBeNull();
    expect(familyNameOf('佐賀太郎', '佐賀')).toBe('佐賀');
  });
});
