import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The identity hash a Client API integration computes on its server: hex HMAC-SHA256 of the
 * contact's identifier keyed with the inbox's hmac_token (Chatwoot: OpenSSL::HMAC.hexdigest).
 */
export function identifierHash(hmacToken: string, identifier: string): string {
  return createHmac('sha256', hmacToken).update(identifier, 'utf8').digest('hex');
}

/**
 * Whether `presented` is the identifier's hash, compared in constant time. Like Chatwoot's string
 * comparison it is exact: lowercase hex, 64 characters.
 */
export function identifierHashMatches(hmacToken: string, identifier: string, presented: string): boolean {
  const expected = Buffer.from(identifierHash(hmacToken, identifier), 'utf8');
  const given = Buffer.from(presented, 'utf8');
  // the expected length is public (64), so checking it first leaks nothing
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time equality of two identifiers (Chatwoot: ActiveSupport::SecurityUtils.secure_compare). */
export function sameIdentifier(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
