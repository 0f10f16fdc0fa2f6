import { NAME_KEY, defaultName, loadName, peerLabel, sanitizeName, saveName, type NameStore } from '../../src/peer/display-name';

const memory = (init: Record<string, string> = {}): NameStore & { data: Map<string, string> } => {
  const data = new Map(Object.entries(init));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};
const broken: NameStore = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
};

describe('display names', () => {
  it('sanitizes: trims, strips control and bidi characters, caps at 32 characters', () => {
    expect(sanitizeName('  Ann\u0007 Lee \n')).toBe('Ann Lee');
    expect(sanitizeName('\u202eevil')).toBe('evil');
    expect(sanitizeName('x'.repeat(40))).toHaveLength(32);
    expect(sanitizeName('🙂'.repeat(40))).toBe('🙂'.repeat(32)); // counted by character, not UTF-16 unit
    expect(sanitizeName('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>'); // text, rendered as text
    expect(sanitizeName('\u0000\u0001 ')).toBe('');
  });

  it.each([
    ['  Ann  ', 'Ann'],
    ['Zoë 👋', 'Zoë 👋'],
    ['a\u0000b\u001fc\u007f\u0085\u2028\u2029d', 'abcd'],
    ['\u202aAnn\u2066\u2069', 'Ann'],
    ['👋'.repeat(40), '👋'.repeat(32)], // never split inside a surrogate pair
    [`${'x'.repeat(31)} y`, 'x'.repeat(31)], // trimmed again after the cut
    ['', ''],
    ['   ', ''],
  ])('cleans %j to %j', (raw, clean) => {
    expect(sanitizeName(raw)).toBe(clean);
  });

  it('makes a readable default, not an id', () => {
    expect(defaultName(() => 0)).toBe('Amber Badger');
    expect(defaultName(() => 0.9999)).toBe('Witty Wren');
  });

  it('keeps a fresh default on the first visit and reads it back later', () => {
    const store = memory();
    const first = loadName(store, () => 0.5);
    expect(first).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(store.data.get(NAME_KEY)).toBe(first);
    expect(loadName(store, () => 0)).toBe(first);
  });

  it('replaces an unusable stored name and survives disabled storage', () => {
    expect(loadName(memory({ [NAME_KEY]: '\u0001' }), () => 0)).toBe('Amber Badger');
    expect(loadName(broken, () => 0)).toBe('Amber Badger');
    expect(() => saveName(broken, 'x')).not.toThrow();
  });

  it('labels peers by their name, or a short id when they have none', () => {
    expect(peerLabel('0123456789', ' Bo ')).toBe('Bo');
    expect(peerLabel('0123456789', undefined)).toBe('Guest 01234');
    expect(peerLabel('0123456789', '\u0001')).toBe('Guest 01234');
  });
});
