import { uuidV4 } from '../src/uuid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV4', () => {
  it('uses randomUUID when the context has it', () => {
    expect(uuidV4({ randomUUID: () => 'fixed', getRandomValues: (a) => a })).toBe('fixed');
  });

  it('builds a v4 UUID from random bytes where randomUUID is missing (a page that is not a secure context)', () => {
    const fill = (byte: number) => <T extends ArrayBufferView | null>(a: T) => {
      new Uint8Array(a!.buffer).fill(byte);
      return a;
    };
    expect(uuidV4({ getRandomValues: fill(0xff) })).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidV4({ getRandomValues: fill(0x00) })).toBe('00000000-0000-4000-8000-000000000000');
    expect(uuidV4({ getRandomValues: (a) => crypto.getRandomValues(a) })).toMatch(V4);
  });
});
