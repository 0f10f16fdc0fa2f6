/** The crypto functions an id needs; `randomUUID` is missing outside secure contexts (plain http, not localhost). */
export type UuidCrypto = Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string };

/**
 * A random UUID v4: the one rule for every id the page makes (verto session ids, call ids).
 * Uses `randomUUID` where the browser offers it, else builds one from `getRandomValues`, which every
 * context has, so an id never throws.
 */
export function uuidV4(c: UuidCrypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // variant 10
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
