import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

export const TOTP_ISSUER = 'Madoguchi';

export function newTotpSecret(): string {
  return generateSecret();
}

export async function totpEnrolment(secret: string, label: string) {
  const otpauthUrl = generateURI({ issuer: TOTP_ISSUER, label, secret });
  // Loaded when someone enrols, not at every start.
  const { default: QRCode } = await import('qrcode');
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 });
  return { secret, otpauthUrl, qrDataUrl };
}

/**
 * Checks a 6-digit code, allowing one step of clock drift either way. Codes at or before
 * `lastStep` are refused (a code works once). Returns the accepted step, or null.
 */
export function checkTotp(secret: string, code: string, nowMs: number, lastStep: number | null): number | null {
  const token = code.normalize('NFKC').replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = verifySync({
    secret,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  } as Parameters<typeof verifySync>[0]);
  return result.valid && 'timeStep' in result ? (result.timeStep as number) : null;
}

/** For tests and the demo: the current code of a secret. */
export function currentTotp(secret: string, nowMs: number = Date.now()): string {
  return generateSync({ secret, epoch: Math.floor(nowMs / 1000) } as Parameters<typeof generateSync>[0]);
}
