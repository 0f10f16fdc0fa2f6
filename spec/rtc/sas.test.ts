import { webcrypto } from 'node:crypto';
import { SAS_WORDS, sasInput, sasWords, sasWordsOf } from '../../src/rtc/sas';

const subtle = webcrypto.subtle as SubtleCrypto;
const hexPairs = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
/** docs/sas.md#test-vectors */
const A = `sha-256:${hexPairs(Array.from({ length: 32 }, (_, i) => i))}`;
const B = `sha-256:${hexPairs(Array.from({ length: 32 }, (_, i) => 255 - i))}`;
const A2 = `${A.slice(0, -1)}1`; // A with its last byte 1F → 11
const words = (local: string, remote: string) => sasWords({ local, remote }, subtle).then((w) => w.join(' '));

describe('security words: the list', () => {
  it('64 distinct short lower-case words, so 6 bits each', () => {
    expect(SAS_WORDS).toHaveLength(64);
    expect(new Set(SAS_WORDS).size).toBe(64);
    for (const w of SAS_WORDS) expect(w).toMatch(/^[a-z]{4,7}$/);
  });
});

describe('security words: derivation', () => {
  it('bits to words: 6 bits each, most significant first, the spare low bits unused', () => {
    expect(sasWordsOf(Uint8Array.from(Buffer.from('0420c41460', 'hex')))).toEqual(['anchor', 'apple', 'arrow', 'banjo', 'beacon', 'bison']);
    expect(sasWordsOf(Uint8Array.from(Buffer.from('fc0f81f42f', 'hex')))).toEqual(['zebra', 'acorn', 'walrus', 'anchor', 'violin', 'apple']);
    expect(sasWordsOf(new Uint8Array(5))).toEqual(Array(6).fill('acorn'));
    // The documented vectors' bits (docs/sas.md#test-vectors).
    expect(sasWordsOf(Uint8Array.from(Buffer.from('ebd39f8395', 'hex'))).join(' ')).toBe('tomato violin comet island jacket tiger');
    expect(sasWordsOf(Uint8Array.from(Buffer.from('d2c49df7a9', 'hex'))).join(' ')).toBe('rabbit ocean dragon harbor violin tomato');
  });

  it('the input is the two fingerprints sorted, one per line, whichever side is local', () => {
    expect(sasInput({ local: B, remote: A })).toBe(`${A}\n${B}`);
    expect(sasInput({ local: A, remote: B })).toBe(`${A}\n${B}`);
  });

  it('matches the documented test vectors (docs/sas.md), and either order gives the same words', async () => {
    await expect(words(A, B)).resolves.toBe('tomato violin comet island jacket tiger');
    await expect(words(B, A)).resolves.toBe('tomato violin comet island jacket tiger');
    await expect(words(A2, B)).resolves.toBe('rabbit ocean dragon harbor violin tomato');
  });

  it("uses the page's crypto.subtle, and rejects where there is none (jsdom's crypto has no subtle)", async () => {
    await expect(sasWords({ local: A, remote: B })).rejects.toThrow();
    const jsdomCrypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
    try {
      await expect(sasWords({ local: A, remote: B })).resolves.toEqual(['tomato', 'violin', 'comet', 'island', 'jacket', 'tiger']);
    } finally {
      Object.defineProperty(globalThis, 'crypto', jsdomCrypto);
    }
  });

  it('any change in either fingerprint (a byte, the algorithm) changes the words', async () => {
    const base = await words(A, B);
    const changed = await Promise.all([
      words(A2, B),
      words(A, `${B.slice(0, -1)}1`),
      words(A, `${B.slice(0, 9)}0${B.slice(10)}`), // first byte FF → F0
      words(A.replace('sha-256', 'sha-384'), B),
      words(A, A), // a relay that shows each side its own certificate
    ]);
    for (const w of changed) expect(w).not.toBe(base);
    expect(new Set(changed).size).toBe(changed.length);
  });
});
