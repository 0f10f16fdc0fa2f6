import type { TransportCertificates } from './transport-certificates';

/**
 * The security words of a call (docs/sas.md): both sides derive them from the two DTLS certificate
 * fingerprints their connection really uses, so the same words on both screens mean the media keys
 * end to end are the two browsers' own, with nobody (server, relay) in between.
 */

/** 64 short, distinct English words that read aloud well; word n is index n (6 bits). Never reorder: docs/sas.md lists them. */
export const SAS_WORDS: readonly string[] = (
  'acorn anchor apple arrow banjo beacon bison blanket ' +
  'cactus camel candle canyon cherry cobra comet copper ' +
  'daisy dolphin dragon eagle ember falcon feather forest ' +
  'garden ginger glacier guitar hammer harbor hazel island ' +
  'jacket jungle kettle koala lemon lizard magnet mango ' +
  'marble meadow mitten nectar ocean olive orbit panda ' +
  'pepper pillow planet pocket rabbit river rocket saddle ' +
  'salmon tiger tomato tulip velvet violin walrus zebra'
).split(' ');

export const SAS_WORD_COUNT = 6;
/** PBKDF2 parameters (docs/sas.md#why-pbkdf2): the salt separates this use of the hash from any other. */
export const SAS_SALT = 'verto-peer call verification v1';
export const SAS_ITERATIONS = 100_000;

/** Both sides' input, the same whichever side computes it: the two canonical fingerprints, sorted, one per line. */
export const sasInput = (c: TransportCertificates): string => [c.local, c.remote].sort().join('\n');

/** Words from derived bits (at most 6 bytes, so exact in a number): word i is bits 6i … 6i+5, most significant first. */
export function sasWordsOf(bits: Uint8Array): readonly string[] {
  const value = bits.reduce((v, byte) => v * 256 + byte, 0);
  const spare = bits.length * 8 - 6 * SAS_WORD_COUNT;
  return Array.from({ length: SAS_WORD_COUNT }, (_, i) => SAS_WORDS[Math.floor(value / 2 ** (spare + 6 * (SAS_WORD_COUNT - 1 - i))) % 64]);
}

/** The words of a connection: PBKDF2-HMAC-SHA-256 over `sasInput` (40 bits, 36 used). Rejects without Web Crypto. */
export async function sasWords(c: TransportCertificates, subtle: SubtleCrypto = crypto.subtle): Promise<readonly string[]> {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const key = await subtle.importKey('raw', utf8(sasInput(c)), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: utf8(SAS_SALT), iterations: SAS_ITERATIONS }, key, 40);
  return sasWordsOf(new Uint8Array(bits));
}
