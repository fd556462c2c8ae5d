import { describe, expect, it } from 'vitest';
import { en, ja, localeFrom, translate } from './messages.js';

describe('server messages', () => {
  it('has every Japanese key in English, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const key of Object.keys(ja) as (keyof typeof ja)[]) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(en[key]), key).toEqual(names(ja[key]));
    }
  });

  it('fills placeholders', () => {
    expect(translate('ja', 'validation.too_short', { minimum: 8 })).toBe('8 文字以上で入力してください。');
    expect(translate('en', 'validation.too_short', { minimum: 8 })).toBe('Enter at least 8 characters.');
  });

  it('picks the language from Accept-Language, Japanese by default', () => {
    expect(localeFrom(undefined)).toBe('ja');
    expect(localeFrom('en-US,en;q=0.9')).toBe('en');
    expect(localeFrom('ja,en;q=0.8')).toBe('ja');
    expect(localeFrom('fr, en;q=0.5, ja;q=0.4')).toBe('en');
    expect(localeFrom('de')).toBe('ja');
  });
});
