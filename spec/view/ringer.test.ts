import { marbles } from 'rxjs-marbles/jest';
import type { Context as RunContext } from 'rxjs-marbles';
import { NEVER, type Observable } from 'rxjs';
import { CADENCES, blockedNotice, envelope, ringer$, toneFor, type RingerDeps } from '../../src/view/ringer';
import type { CallAlert } from '../../src/view/ui-types';
import { msg, presence, runHarness, type Timed } from '../peer/harness';

const alert = (phase: NonNullable<CallAlert>['phase']): CallAlert => ({ phase, callId: 'c1', peerName: 'Bo' });

describe('toneFor (which call phase sounds what)', () => {
  it('ringing rings, offering rings back, every other phase and no call are silent', () => {
    expect(toneFor(alert('ringing'))).toBe('ring');
    expect(toneFor(alert('offering'))).toBe('ringback');
    for (const phase of ['accepting', 'connecting', 'connected'] as const) expect(toneFor(alert(phase))).toBeNull();
    expect(toneFor(null)).toBeNull();
  });
});

describe('envelope (one period of a cadence)', () => {
  it('each burst ramps up to the volume and back to 0, offset by the period start', () => {
    expect(envelope(CADENCES.ringback, 10)).toEqual([
      { at: 10, value: 0, ramp: false },
      { at: 10.02, value: 0.08, ramp: true },
      { at: 12, value: 0.08, ramp: false },
      { at: 12.02, value: 0, ramp: true },
    ]);
    expect(envelope(CADENCES.ring, 0).filter((s) => s.value > 0 && s.ramp)).toHaveLength(2); // two bursts
  });
});

/**
 * An AudioContext stand-in recording, in virtual time, what a tone does with it: opened (and how it
 * starts: running or suspended), oscillators started/stopped, envelope periods scheduled, closed.
 */
function fakeAudio(m: RunContext, startSuspended = false) {
  const log: [number, string][] = [];
  const record = (text: string) => log.push([m.scheduler.now(), text]);
  const blocked: [number, boolean][] = [];
  let made = 0;
  const createContext = (): AudioContext => {
    const n = ++made;
    const listeners = new Set<() => void>();
    const ctx = {
      state: startSuspended ? 'suspended' : 'running',
      currentTime: 0,
      destination: {},
      createGain: () => ({
        connect: () => undefined,
        gain: {
          value: 1,
          setValueAtTime: (value: number, at: number) => {
            if (value === 0 && at === ctx.currentTime) record(`ctx${n} period`);
          },
          linearRampToValueAtTime: () => undefined,
        },
      }),
      createOscillator: () => {
        const osc = { frequency: { value: 0 }, connect: () => undefined, start: () => record(`ctx${n} osc ${osc.frequency.value} start`), stop: () => record(`ctx${n} osc ${osc.frequency.value} stop`) };
        return osc;
      },
      addEventListener: (_: string, f: () => void) => listeners.add(f),
      removeEventListener: (_: string, f: () => void) => listeners.delete(f),
      resume: () => {
        record(`ctx${n} resume`);
        ctx.state = 'running';
        listeners.forEach((f) => f());
        return Promise.resolve();
      },
      close: () => {
        record(`ctx${n} close`);
        ctx.state = 'closed';
        return Promise.resolve();
      },
    };
    record(`ctx${n} open ${ctx.state}`);
    return ctx as unknown as AudioContext;
  };
  const deps = (gesture$: Observable<unknown> = NEVER): RingerDeps => ({ createContext, gesture$, setBlocked: (b) => blocked.push([m.scheduler.now(), b]) });
  const opens = () => log.filter(([, t]) => / open | close$/.test(t));
  return { log, blocked, deps, opens };
}

describe('ringer$ (marbles: one AudioContext per tone, closed when the tone ends)', () => {
  it(
    'a ring keeps its context and two oscillators, re-schedules each 4 s period, and closes all when the call is accepted',
    marbles((m) => {
      const audio = fakeAudio(m);
      const alerts = m.cold<CallAlert>('a 8999ms b', { a: alert('ringing'), b: alert('accepting') });
      m.expect(ringer$(alerts, audio.deps()), '^ 19999ms !').toBeObservable('-');
      m.flush();
      expect(audio.log).toEqual([
        [0, 'ctx1 open running'],
        [0, 'ctx1 osc 660 start'],
        [0, 'ctx1 osc 880 start'],
        [0, 'ctx1 period'],
        [4000, 'ctx1 period'],
        [8000, 'ctx1 period'],
        [9000, 'ctx1 osc 660 stop'],
        [9000, 'ctx1 osc 880 stop'],
        [9000, 'ctx1 close'],
      ]);
      expect(audio.blocked).toEqual([[0, false], [9000, false]]);
    }),
  );

  it(
    'the same tone across a re-render is not restarted; a new tone is a new context',
    marbles((m) => {
      const audio = fakeAudio(m);
      const alerts = m.cold<CallAlert>('a 9ms a 9ms b 9ms c', { a: alert('offering'), b: alert('ringing'), c: null });
      m.expect(ringer$(alerts, audio.deps()), '^ 999ms !').toBeObservable('-');
      m.flush();
      expect(audio.opens()).toEqual([
        [0, 'ctx1 open running'],
        [20, 'ctx1 close'],
        [20, 'ctx2 open running'],
        [30, 'ctx2 close'],
      ]);
      expect(audio.log.filter(([, t]) => t.includes('start')).map(([, t]) => t)).toEqual(['ctx1 osc 440 start', 'ctx1 osc 480 start', 'ctx2 osc 660 start', 'ctx2 osc 880 start']);
    }),
  );

  it(
    'autoplay blocked: the page is told at once, the first gesture resumes the context and clears it',
    marbles((m) => {
      const audio = fakeAudio(m, true);
      const gestures = m.hot('50ms g 9ms g');
      const alerts = m.cold<CallAlert>('a 99ms b', { a: alert('ringing'), b: null });
      m.expect(ringer$(alerts, audio.deps(gestures)), '^ 999ms !').toBeObservable('-');
      m.flush();
      expect(audio.blocked).toEqual([[0, true], [50, false], [100, false]]);
      expect(audio.log.filter(([, t]) => t.includes('resume'))).toEqual([[50, 'ctx1 resume']]); // once
    }),
  );

  it('unsubscribing (leaving the page) closes a ringing context', () => {
    marbles((m) => {
      const audio = fakeAudio(m);
      const alerts = m.cold<CallAlert>('a', { a: alert('ringing') });
      m.expect(ringer$(alerts, audio.deps()), '^ 40ms !').toBeObservable('-');
      m.flush();
      expect(audio.opens()).toEqual([[0, 'ctx1 open running'], [41, 'ctx1 close']]);
    })();
  });
});

describe('the Peer rings and stops on every end of a call (runPeer with the ringer)', () => {
  const bo = presence('bo', 'available', 'Bo');
  const offer = msg('bo', { peerAction: 'offer', peerName: 'Bo', callId: 'call-b' });
  const close = (reason: string) => msg('bo', { peerAction: 'close', peerName: 'Bo', callId: 'call-b', reason });
  const close1 = (reason: string) => msg('bo', { peerAction: 'close', peerName: 'Bo', callId: 'call-1', reason });
  const cases: readonly { name: string; messages?: Timed<ReturnType<typeof msg>>[]; intents?: Timed<{ kind: 'accept' | 'decline' | 'cancel' | 'call'; peerId?: string }>[]; expected: [number, string][] }[] = [
    { name: 'incoming, answered', messages: [[20, offer]], intents: [[50, { kind: 'accept' }]], expected: [[20, 'ctx1 open running'], [50, 'ctx1 close']] },
    { name: 'incoming, declined', messages: [[20, offer]], intents: [[50, { kind: 'decline' }]], expected: [[20, 'ctx1 open running'], [50, 'ctx1 close']] },
    { name: 'incoming, rescinded by the caller', messages: [[20, offer], [40, close('cancelled')]], expected: [[20, 'ctx1 open running'], [40, 'ctx1 close']] },
    { name: 'incoming, unanswered for 30 s', messages: [[20, offer]], expected: [[20, 'ctx1 open running'], [30_020, 'ctx1 close']] },
    { name: 'outgoing, answered (ringback)', intents: [[20, { kind: 'call', peerId: 'bo' }]], messages: [[100, msg('bo', { peerAction: 'accept', peerName: 'Bo', callId: 'call-1' })]], expected: [[20, 'ctx1 open running'], [100, 'ctx1 close']] },
    { name: 'outgoing, declined by the callee', intents: [[20, { kind: 'call', peerId: 'bo' }]], messages: [[90, close1('rejected')]], expected: [[20, 'ctx1 open running'], [90, 'ctx1 close']] },
    { name: 'outgoing, cancelled by us', intents: [[20, { kind: 'call', peerId: 'bo' }], [70, { kind: 'cancel' }]], expected: [[20, 'ctx1 open running'], [70, 'ctx1 close']] },
  ];
  it.each(cases)('$name', ({ messages, intents, expected }) => {
    marbles((m) => {
      const audio = fakeAudio(m);
      const h = runHarness(m, {
        presence: [[10, bo]],
        messages: messages ?? [],
        intents: (intents ?? []).map(([t, i]) => [t, i.kind === 'call' ? { kind: 'call', peerId: 'bo' } : { kind: i.kind }] as const),
        connections: [{ media: '5ms m' }],
        alerts: (alert$) => ringer$(alert$, audio.deps()),
        until: 60_000,
      });
      h.flush();
      expect(audio.opens()).toEqual(expected);
    })();
  });
});

describe('blockedNotice', () => {
  it('shows one short line after the status while blocked, and removes it', () => {
    document.body.innerHTML = '<nav><span id="nav-status">Bo is calling</span></nav>';
    const set = blockedNotice(document);
    set(true);
    set(true);
    expect(document.querySelectorAll('#sound-blocked')).toHaveLength(1);
    expect(document.getElementById('nav-status')?.nextElementSibling?.textContent).toBe('Sound is blocked — click anywhere to hear the ring');
    set(false);
    expect(document.getElementById('sound-blocked')).toBeNull();
    document.body.innerHTML = '';
    blockedNotice(document)(true); // a page without the status still shows it
    expect(document.body.lastElementChild?.id).toBe('sound-blocked');
  });
});
