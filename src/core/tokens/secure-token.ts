import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Rails' has_secure_token alphabet (SecureRandom.base58): no 0, O, I, l.
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A random base58 string like Rails' has_secure_token (24 chars ≈ 140 bits). */
export function generateSecureToken(length = 24): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 58 * 4 = 232: discard bytes >= 232 so every symbol is equally likely
      if (byte < 232 && out.length < length) out += BASE58[byte % 58];
    }
  }
  return out;
}

/** SHA-256 of a token; what the database indexes and compares. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time equality of a presented token against a stored digest. */
export function tokenMatches(presented: string, storedDigest: Buffer): boolean {
  const digest = tokenDigest(presented);
  return digest.length === storedDigest.length && timingSafeEqual(digest, storedDigest);
}
