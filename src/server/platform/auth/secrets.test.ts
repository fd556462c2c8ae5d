import { describe, expect, it } from 'vitest';
import { hashPassword, hashRecoveryCode, newRecoveryCodes, newSecret, verifyPassword } from './secrets.js';
import { checkTotp, currentTotp, newTotpSecret } from './totp.js';

describe('secrets', () => {
  it('hashes passwords with argon2id and verifies them', async () => {
    const hashed = await hashPassword('パスワード-123');
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hashed, 'パスワード-123')).toBe(true);
    expect(await verifyPassword(hashed, 'パスワード-124')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('makes distinct random secrets and recovery codes', () => {
    expect(newSecret()).toMatch(/^[\w-]{43}$/);
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  });

  it('reads recovery codes typed with capitals, full-width characters or without hyphens', () => {
    const h = hashRecoveryCode('abcd-efgh-jkmn');
    expect(hashRecoveryCode('ABCDEFGHJKMN')).toBe(h);
    expect(hashRecoveryCode('ａｂｃｄ－ｅｆｇｈ－ｊｋｍｎ')).toBe(h);
  });

  it('checks TOTP codes with one step of drift and refuses used steps', () => {
    const secret = newTotpSecret();
    const now = Date.UTC(2026, 10, 23, 10, 0, 15);
    const code = currentTotp(secret, now);
    const step = checkTotp(secret, code, now, null);
    expect(step).toBe(Math.floor(now / 30_000));
    expect(checkTotp(secret, code, now + 30_000, null)).toBe(step);
    expect(checkTotp(secret, code, now + 90_000, null)).toBeNull();
    expect(checkTotp(secret, code, now, step)).toBeNull();
    expect(checkTotp(secret, '１２３', now, null)).toBeNull();
    expect(checkTotp(secret, ` ${code.slice(0, 3)} ${code.slice(3)} `, now, null)).toBe(step);
  });
});
