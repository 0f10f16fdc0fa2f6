import { NEVER, lastValueFrom, of, toArray } from 'rxjs';
import { callConnection$ } from '../../src/peer/call-connection';
import type { CallMediaEvent } from '../../src/rtc/connection-types';
import { initialState, type Call, type PeerEvent, type PeerState } from '../../src/peer/peer-state';
import { MISMATCH_NOTICE, reduce } from '../../src/peer/reduce';
import { controls, dialog, statusText } from '../../src/peer/view-model';
import type { Intent } from '../../src/view/ui-types';

const WORDS = ['tomato', 'violin', 'comet', 'island', 'jacket', 'tiger'];
const OTHER = ['rabbit', 'ocean', 'dragon', 'harbor', 'violin', 'tomato'];
const withCall = (phase: Call['phase'], extra: Partial<Call> = {}): PeerState => ({
  ...initialState('ann', 'Ann'),
  client: { kind: 'online' },
  peers: { bo: { id: 'bo', name: 'Bo', available: false, seenAt: 0 } },
  call: { phase, callId: 'c1', peerId: 'bo', peerName: 'Bo', since: 0, offerSent: true, ...extra },
});
const words = (w: readonly string[] | null, callId = 'c1'): PeerEvent => ({ kind: 'rtc-verification', callId, words: w });
const intent = (kind: 'verify' | 'verify-match' | 'verify-mismatch' | 'close-dialog'): PeerEvent => ({ kind: 'intent', intent: { kind } as Intent });
const run = (s: PeerState, ...events: PeerEvent[]) =>
  events.reduce((acc, e) => {
    const step = reduce(acc.state, e, 100);
    return { state: step.state, effects: [...acc.effects, ...step.effects] };
  }, { state: s, effects: [] as ReturnType<typeof reduce>['effects'][number][] });

describe('verifying a call (reduce and view model)', () => {
  it('Verify is a control of a connected call only, and opens the dialog with the words to read to the other side', () => {
    expect(controls(withCall('connecting')).map((c) => c.kind)).toEqual(['toggle-mic', 'toggle-camera', 'hangup']);
    expect(controls(withCall('connected')).map((c) => c.kind)).toEqual(['toggle-mic', 'toggle-camera', 'verify', 'hangup']);
    expect(run(withCall('connecting'), intent('verify')).state).toEqual(withCall('connecting'));
    const open = run(withCall('connected'), words(WORDS), intent('verify')).state;
    expect(dialog(open)).toEqual({ kind: 'verify', name: 'Bo', words: WORDS });
    expect(dialog(run(open, intent('close-dialog')).state)).toBeNull();
  });

  it('"They match": the call is verified, said in the status and on the control; the dialog closes', () => {
    const s = run(withCall('connected'), words(WORDS), intent('verify'), intent('verify-match'));
    expect(s.effects).toEqual([]);
    expect(dialog(s.state)).toBeNull();
    expect(statusText(s.state)).toBe('In a call with Bo — verified');
    expect(controls(s.state)).toContainEqual({ kind: 'verify', verified: true });
    expect(statusText({ ...s.state, call: { ...s.state.call!, poor: 'high-delay' } })).toBe('In a call with Bo — verified — poor connection (high delay)');
    // The same words again (an ICE restart keeps the certificates): still verified.
    expect(run(s.state, words(WORDS)).state).toBe(s.state);
    // New words (a new handshake): what was compared says nothing about them.
    const renewed = run(s.state, words(OTHER)).state;
    expect(statusText(renewed)).toBe('In a call with Bo');
    expect(renewed.call?.sas).toEqual(OTHER);
  });

  it('"They don\'t match": the call ends with a normal hang-up to the other side and a clear warning here', () => {
    const s = run(withCall('connected'), words(WORDS), intent('verify'), intent('verify-mismatch'));
    expect(s.state.call).toBeNull();
    expect(s.effects).toEqual([
      { kind: 'send', to: 'bo', message: { peerAction: 'close', callId: 'c1', peerName: 'Ann', reason: 'hangup' } },
      { kind: 'publish', presence: { status: 'available', name: 'Ann' } },
    ]);
    expect(statusText(s.state)).toBe(MISMATCH_NOTICE);
    expect(MISMATCH_NOTICE).toBe('Call ended: the security words did not match — someone may be listening in. Call again from a trusted network.');
    expect(dialog(s.state)).toBeNull();
  });

  it('unavailable (no certificate stats) or still reading: the dialog says so, and neither answer does anything', () => {
    const unavailable = run(withCall('connected'), words(null), intent('verify')).state;
    expect(dialog(unavailable)).toEqual({ kind: 'verify', name: 'Bo', words: 'unavailable' });
    const reading = run(withCall('connected'), intent('verify')).state;
    expect(dialog(reading)).toEqual({ kind: 'verify', name: 'Bo', words: 'reading' });
    for (const s of [unavailable, reading]) {
      expect(run(s, intent('verify-match'), intent('verify-mismatch'))).toEqual({ state: s, effects: [] });
    }
    // Words arriving while the dialog is open show at once.
    expect(dialog(run(reading, words(WORDS)).state)).toEqual({ kind: 'verify', name: 'Bo', words: WORDS });
  });

  it('an answer without the dialog open, words of another call, or no call: nothing changes', () => {
    const shown = run(withCall('connected'), words(WORDS)).state;
    expect(run(shown, intent('verify-match'), intent('verify-mismatch'))).toEqual({ state: shown, effects: [] });
    expect(run(shown, words(OTHER, 'c0')).state).toBe(shown);
    const idle = { ...shown, call: null };
    expect(run(idle, words(WORDS), intent('verify'), intent('verify-mismatch'), intent('close-dialog')).state).toEqual(idle);
  });
});

describe('callConnection$: the media\'s words become the Peer\'s event', () => {
  it('verification → rtc-verification of this call', async () => {
    const events = callConnection$({ callId: 'call-1', peerId: 'bob', polite: true }, NEVER, NEVER, {
      client: { send: () => undefined },
      view: { setVideo: () => undefined },
      callMedia: () => of<CallMediaEvent[]>({ kind: 'verification', words: WORDS }, { kind: 'verification', words: null }),
      iceServers: [],
    });
    await expect(lastValueFrom(events.pipe(toArray()))).resolves.toEqual([
      { kind: 'rtc-verification', callId: 'call-1', words: WORDS },
      { kind: 'rtc-verification', callId: 'call-1', words: null },
    ]);
  });
});
