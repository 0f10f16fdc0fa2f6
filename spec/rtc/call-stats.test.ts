// Call stats: report fixtures → samples → verdicts, and the polling in virtual time (1 frame = 1 ms,
// rules scaled down: silent 15, frozen 20, good again after 15, polled every 5).
import { of, throwError, type Observable } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { advance, callVerdicts$, defaultQualityRules, readSample, startTrack, tell, verdict, type CallVerdict, type PoorReason, type ToldVerdict } from '../../src/rtc/call-stats';

const report = (audio: number, video: number, frames: number, lost = 0, rtt: number | null = 0.02): unknown[] => [
  { id: 'ia', type: 'inbound-rtp', kind: 'audio', packetsReceived: audio, packetsLost: lost },
  { id: 'iv', type: 'inbound-rtp', kind: 'video', packetsReceived: video, framesDecoded: frames, packetsLost: 0 },
  { id: 'cp1', type: 'candidate-pair', state: 'succeeded', nominated: false, currentRoundTripTime: 9 },
  { id: 'cp2', type: 'candidate-pair', state: 'succeeded', nominated: true, ...(rtt === null ? {} : { currentRoundTripTime: rtt }) },
  { id: 't', type: 'transport', selectedCandidatePairId: 'cp2' },
];

describe('readSample', () => {
  it('sums inbound counters by kind and takes the selected pair’s round trip in ms', () => {
    expect(readSample(report(10, 20, 5, 3, 0.45), 7)).toEqual({ at: 7, audioPackets: 10, videoPackets: 20, framesDecoded: 5, packetsLost: 3, rttMs: 450 });
  });

  it('without a transport entry, the nominated succeeded pair; without any, no round trip', () => {
    expect(readSample(report(1, 1, 1).filter((s) => (s as { type: string }).type !== 'transport'), 0).rttMs).toBe(20);
    expect(readSample([{ type: 'inbound-rtp', kind: 'audio', packetsReceived: 4 }], 0).rttMs).toBeNull();
  });

  it('malformed entries count as nothing instead of throwing', () => {
    expect(readSample([null, 3, 'x', [], { type: 'inbound-rtp', kind: 'video', packetsReceived: 'many', framesDecoded: Number.NaN, packetsLost: -5 }], 1)).toEqual({
      at: 1, audioPackets: 0, videoPackets: 0, framesDecoded: 0, packetsLost: 0, rttMs: null,
    });
  });
});

describe('verdict', () => {
  const rules = defaultQualityRules;
  const run = (...samples: [number, unknown[]][]): CallVerdict => {
    let track = startTrack(readSample(samples[0][1], samples[0][0]));
    for (const [at, r] of samples.slice(1)) track = advance(track, readSample(r, at));
    return verdict(track, rules);
  };

  it('packets and frames advancing at a low round trip: flowing, not poor', () => {
    expect(run([0, report(0, 0, 0)], [1_000, report(50, 90, 30)])).toEqual({ flowing: true, poor: null });
  });

  it('no inbound packet for 1.5 s: interrupted (and not called poor)', () => {
    expect(run([0, report(50, 90, 30)], [1_000, report(50, 90, 30)])).toEqual({ flowing: true, poor: null });
    expect(run([0, report(50, 90, 30)], [1_500, report(50, 90, 30)])).toEqual({ flowing: false, poor: null });
  });

  it('round trip above 400 ms is high delay; it is told before loss', () => {
    expect(run([0, report(0, 0, 0)], [500, report(50, 90, 30, 0, 0.401)]).poor).toBe('high-delay');
    expect(run([0, report(0, 0, 0)], [500, report(50, 90, 30, 100, 0.5)]).poor).toBe('high-delay');
    expect(run([0, report(0, 0, 0)], [500, report(50, 90, 30, 0, 0.4)]).poor).toBeNull();
  });

  it('more than 5 % of the packets since the last reading lost is packet loss', () => {
    expect(run([0, report(0, 0, 0)], [500, report(90, 100, 30, 11)]).poor).toBe('packet-loss'); // 11 / 201
    expect(run([0, report(0, 0, 0)], [500, report(95, 100, 30, 10)]).poor).toBeNull(); // 10 / 205
    // The first reading after a silence counts the outage's packets as lost: not a verdict on now.
    expect(run([0, report(10, 10, 5)], [500, report(10, 10, 5)], [1_000, report(20, 20, 9, 400)]).poor).toBeNull();
  });

  it('packets arrive but no frame decoded for 2 s: no frames (audio-only calls never are)', () => {
    expect(run([0, report(10, 10, 5)], [1_000, report(20, 20, 5)], [2_000, report(30, 30, 5)]).poor).toBe('no-frames');
    expect(run([0, report(10, 10, 5)], [1_000, report(20, 20, 5)], [1_999, report(30, 30, 5)]).poor).toBeNull();
    expect(run([0, report(10, 0, 0)], [1_000, report(20, 0, 0)], [2_500, report(30, 0, 0)]).poor).toBeNull();
  });
});

// prettier-ignore
describe('callVerdicts$', () => {
  const rules = { silentMs: 15, maxRttMs: 400, maxLoss: 0.05, frozenMs: 20, poorSamples: 2, goodMs: 15 };
  const v = {
    f: { flowing: true, poor: null },
    s: { flowing: false, poor: null },
    n: { flowing: true, poor: 'no-frames' },
    l: { flowing: true, poor: 'packet-loss' },
  } as const;

  it('polls while subscribed, says when packets stop for 15 ms and when they flow again; a failed reading is skipped', marbles((m) => {
    // Readings at 0, 5, 10, …: packets advance until 10, then stand still (the reading at 20 fails) until 40.
    const counts = [1, 2, 3, 3, -1, 3, 3, 3, 4, 5, 6, 7, 8];
    let i = 0;
    const getStats = (): Observable<unknown[]> => {
      const c = counts[Math.min(i++, counts.length - 1)];
      return c < 0 ? throwError(() => new Error('closing')) : of(report(c, c, c));
    };
    const unsub = '^ 59ms !';
    const expected = 'f 24ms s 14ms f';
    m.expect(callVerdicts$(getStats, m.scheduler, rules, 5), unsub).toBeObservable(expected, v);
  }));

  it('frames stopping while packets arrive is told once, as no frames, at the second reading that says so', marbles((m) => {
    let c = 0;
    const getStats = (): Observable<unknown[]> => {
      c += 1;
      return of(report(c, c, Math.min(c, 3)));
    };
    const unsub = '^ 39ms !';
    const expected = 'f 34ms n';
    m.expect(callVerdicts$(getStats, m.scheduler, rules, 5), unsub).toBeObservable(expected, v);
  }));

  it('loss that swings across 5 % from one reading to the next (20 % random loss) is told once, and withdrawn only after 15 ms of good readings', marbles((m) => {
    // Loss per reading, every 5 ms: a single bad reading, then a bad spell with good readings in it, then good.
    const lossy = [0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    let i = 0;
    let lost = 0;
    const getStats = (): Observable<unknown[]> => {
      const n = Math.min(i, lossy.length - 1);
      i += 1;
      lost += lossy[n] * 20; // 20 of 220 packets in a reading: 9 %
      return of(report(100 * (n + 1), 100 * (n + 1), 30 * (n + 1), lost));
    };
    const unsub = '^ 94ms !';
    // Raw verdicts would change 11 times; told: poor at the second bad reading in a row (25), good after
    // 15 ms of good readings (the first at 55, the last bad one at 50).
    const expected = 'f 24ms l 44ms f';
    m.expect(callVerdicts$(getStats, m.scheduler, rules, 5), unsub).toBeObservable(expected, v);
  }));
});

describe('tell (hysteresis)', () => {
  const rules = { ...defaultQualityRules, poorSamples: 2, goodMs: 3_000 };
  const flow = (poor: PoorReason | null): CallVerdict => ({ flowing: true, poor });
  const told = (...readings: [number, CallVerdict][]): (PoorReason | null | 'interrupted')[] => {
    let state: ToldVerdict | null = null;
    return readings.map(([at, raw]) => {
      state = tell(state, raw, at, rules);
      return state.told.flowing ? state.told.poor : 'interrupted';
    });
  };

  it('one poor reading is not told; two in a row are', () => {
    expect(told([0, flow(null)], [500, flow('packet-loss')], [1_000, flow(null)], [1_500, flow('packet-loss')], [2_000, flow('packet-loss')])).toEqual([
      null, null, null, null, 'packet-loss',
    ]);
  });

  it('poor is withdrawn after 3 s of good readings, and a poor reading in between starts the 3 s over', () => {
    expect(told([0, flow('high-delay')], [500, flow('high-delay')], [1_000, flow(null)], [3_500, flow(null)], [4_000, flow(null)])).toEqual([
      null, 'high-delay', 'high-delay', 'high-delay', null,
    ]);
    expect(told([0, flow('high-delay')], [500, flow('high-delay')], [1_000, flow(null)], [3_000, flow('high-delay')], [3_500, flow(null)], [6_000, flow(null)], [6_500, flow(null)])).toEqual([
      null, 'high-delay', 'high-delay', 'high-delay', 'high-delay', 'high-delay', null,
    ]);
  });

  it('while poor, another reason replaces the told one only after two readings of it', () => {
    expect(told([0, flow('packet-loss')], [500, flow('packet-loss')], [1_000, flow('no-frames')], [1_500, flow('packet-loss')], [2_000, flow('no-frames')], [2_500, flow('no-frames')])).toEqual([
      null, 'packet-loss', 'packet-loss', 'packet-loss', 'packet-loss', 'no-frames',
    ]);
  });

  it('an interruption is told at once and clears poor: media coming back starts from good', () => {
    expect(told([0, flow('packet-loss')], [500, flow('packet-loss')], [1_000, { flowing: false, poor: null }], [1_500, flow(null)], [2_000, flow('no-frames')])).toEqual([
      null, 'packet-loss', 'interrupted', null, null,
    ]);
  });
});
