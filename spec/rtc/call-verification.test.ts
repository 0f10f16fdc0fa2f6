import { webcrypto } from 'node:crypto';
import { firstValueFrom, of, throwError } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { verificationWords$ } from '../../src/rtc/call-verification';
import type { TransportCertificates } from '../../src/rtc/transport-certificates';

const FP = (byte: string) => `${Array(32).fill(byte).join(':')}`;
/** A getStats reading whose selected transport uses our certificate and theirs (`theirs` null: none reported). */
const reading = (theirs: string | null): unknown[] => [
  { id: 'CP', type: 'candidate-pair' },
  { id: 'T', type: 'transport', selectedCandidatePairId: 'CP', localCertificateId: 'L', remoteCertificateId: 'R' },
  { id: 'L', type: 'certificate', fingerprintAlgorithm: 'sha-256', fingerprint: FP('AA') },
  ...(theirs === null ? [] : [{ id: 'R', type: 'certificate', fingerprintAlgorithm: 'sha-256', fingerprint: FP(theirs) }]),
];
/** Words naming the remote fingerprint's first byte, so a test can tell which certificates they came from. */
const wordsOf = (c: TransportCertificates) => [c.remote.slice(8, 10)];
const STATES = { n: 'connecting', c: 'connected', d: 'disconnected' } as const;

describe('verificationWords$: the words of the connection, read at each connect', () => {
  it('read when connected, nothing new after an ICE restart with the same certificates, new words for new ones', marbles((m) => {
    const states = m.hot('n-c-d-c-d-c', STATES);
    const remote = ['BB', 'BB', 'CC'];
    let n = 0;
    const stats = () => of(reading(remote[n++] ?? 'CC'));
    m.expect(verificationWords$(states, stats, (c) => m.cold('--w|', { w: wordsOf(c) }))).toBeObservable('----a-------b', { a: ['BB'], b: ['CC'] });
  }));

  it('null when the browser reports no certificates or has no getStats; a failed reading says nothing', marbles((m) => {
    const derive = (c: TransportCertificates) => of(wordsOf(c));
    m.expect(verificationWords$(m.hot('-c', STATES), () => of(reading(null)), derive)).toBeObservable('-n', { n: null });
    m.expect(verificationWords$(m.hot('-c', STATES), undefined, derive)).toBeObservable('-n', { n: null });
    m.expect(verificationWords$(m.hot('-c-c', STATES), () => throwError(() => new Error('closed')), derive)).toBeObservable('----');
  }));

  it('null when the derivation fails (no Web Crypto); the words of replaced certificates never arrive last', marbles((m) => {
    m.expect(verificationWords$(m.hot('-c', STATES), () => of(reading('BB')), () => m.cold('-#'))).toBeObservable('--n', { n: null });
    const remote = ['BB', 'CC'];
    let n = 0;
    // Certificates change while the first words are still being derived: only the newer ones are told.
    const slow = (c: TransportCertificates) => m.cold(c.remote.startsWith('sha-256:BB') ? '-----w|' : '-w|', { w: wordsOf(c) });
    m.expect(verificationWords$(m.hot('-c-c', STATES), () => of(reading(remote[n++] ?? 'CC')), slow)).toBeObservable('----b', { b: ['CC'] });
  }));

  it("by default the words of src/rtc/sas.ts, from the page's Web Crypto; null without one", async () => {
    const once = () => firstValueFrom(verificationWords$(of<RTCPeerConnectionState>('connected'), () => of(reading('BB'))));
    await expect(once()).resolves.toBeNull(); // jsdom's crypto has no subtle
    const jsdomCrypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
    Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
    try {
      const words = await once();
      expect(words).toHaveLength(6);
    } finally {
      Object.defineProperty(globalThis, 'crypto', jsdomCrypto);
    }
  });
});
