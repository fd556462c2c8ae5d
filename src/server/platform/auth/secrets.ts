import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret for a cookie or token: 32 bytes, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Secrets are stored only as their SHA-256 (they are random, so no salt or stretching is needed). */
export function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane).
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Loaded at the first password operation, not at start (a start needs no password).
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

export async function hashPassword(password: string): Promise<string> {
  const { hash } = await loadArgon2();
  return hash(password, ARGON2);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  const { verify } = await loadArgon2();
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash to verify against when the user does not exist, so that timing does not tell. Made once;
 * the server asks for it right after it starts listening, so that no sign-in pays for making it.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword('madoguchi-dummy-password');
  return dummy;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten one-time recovery codes like `k3m9-x2qp-7hza` (about 65 bits each). */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(12);
    const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return sha256(normaliseRecoveryCode(code)).toString('hex');
}
