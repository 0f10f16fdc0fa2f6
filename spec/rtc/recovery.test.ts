// The recovery policy in virtual time (1 frame = 1 ms; timings scaled down: disconnected 2, setup
// restart 7, retry 10, outage limit 60).
import { NEVER } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { RtcError } from '../../src/rtc/connection-types';
import { connectionStates, mediaBack, type RecoveryStep } from '../../src/rtc/recovery';

const timing = { disconnectedMs: 2, restartMs: 7, retryMs: 10, outageMs: 60, politeDelayMs: 3 };
const states = { n: 'new', g: 'connecting', c: 'connected', d: 'disconnected', f: 'failed' } as const;
const out: Record<string, RecoveryStep> = {
  c: { kind: 'state', state: 'connected' },
  r: { kind: 'state', state: 'reconnecting' },
  R: { kind: 'restart' },
  S: { kind: 'resend' },
};
const up = { t: true, f: false };

// prettier-ignore
describe('connectionStates', () => {
  it('a short blip says reconnecting and restarts nothing; signalling coming back while connected only asks to resend a pending offer', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('gc-dc------', states);
    const up$ = m.hot<boolean>('               -----f-t---', up);
    const unsub = '                            ^----------!';
    const expected = '                         -c-rc--S---';
    m.expect(connectionStates(pc$, up$, timing, m.scheduler), unsub).toBeObservable(expected, out);
  }));

  it('ICE disconnected, signalling up: restart after 2 ms, again every 10 ms until connected', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-c-d-------------c--', states);
    const unsub = '                            ^-------------------!';
    const expected = '                         -c-r-R---------R-c--';
    m.expect(connectionStates(pc$, NEVER, timing, m.scheduler), unsub).toBeObservable(expected, out);
  }));

  it('signalling down: no restart into a dead socket; the moment it is back, restart at once', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-c-d--------------------c-', states);
    const up$ = m.hot<boolean>('               --f-----------------t-----', up);
    const unsub = '                            ^-------------------------!';
    const expected = '                         -c-r----------------R---c-';
    m.expect(connectionStates(pc$, up$, timing, m.scheduler), unsub).toBeObservable(expected, out);
  }));

  it('the other side coming back (signalling true again) restarts at once too', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-c-d--------c-', states);
    const up$ = m.hot<boolean>('               -------t------', up);
    const unsub = '                            ^-------------!';
    const expected = '                         -c-r-R-R----c-';
    m.expect(connectionStates(pc$, up$, timing, m.scheduler), unsub).toBeObservable(expected, out);
  }));

  it('every signalling `true` but the first asks to resend a pending offer outside an outage; inside one the restart does it', marbles((m) => {
    // The first value is how signalling stood when the call began; an offer lost while the other side
    // was away is then sent again whenever it (or we) come back, even once ICE recovered by itself.
    const pc$ = m.hot<RTCPeerConnectionState>('-c----d-----c----', states);
    const up$ = m.hot<boolean>('               -t-f-t---t-----t-', up);
    const unsub = '                            ^----------------!';
    const expected = '                         -c---Sr-RR--c--S-';
    m.expect(connectionStates(pc$, up$, timing, m.scheduler), unsub).toBeObservable(expected, out);
  }));

  it('in an outage with signalling down, inbound media flowing again restarts at once (only our restart revives our ICE); not outside an outage', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-c-f------------c--', states);
    const up$ = m.hot<boolean>('               --f-----------t----', up);
    const flowing$ = m.hot<boolean>('          -t-f----t-t--------t', up);
    const unsub = '                            ^------------------!';
    const expected = '                         -c-r----R-----R-c--';
    m.expect(connectionStates(pc$, up$, timing, m.scheduler, flowing$), unsub).toBeObservable(expected, out);
  }));

  it('after connecting, 60 ms without connected again loses the call, failed or not', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-c-d------------------------------f', states);
    const unsub = '                            ^ 79ms !'; // only so that a bug here cannot retry forever
    const expected = '                         -c-r-R 9ms R 9ms R 9ms R 9ms R 9ms R 7ms #';
    m.expect(connectionStates(pc$, NEVER, timing, m.scheduler), unsub).toBeObservable(expected, out, new RtcError('connection-lost'));
  }));

  it('signalling down for the whole outage: not one restart, and the call is lost at the limit', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-c-d-', states);
    const up$ = m.hot<boolean>('               --f--', up);
    const unsub = '                            ^ 79ms !';
    const expected = '                         -c-r 59ms #';
    m.expect(connectionStates(pc$, up$, timing, m.scheduler), unsub).toBeObservable(expected, out, new RtcError('connection-lost'));
  }));

  it('each outage after a recovery is a new one: failed restarts at once', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('cf---c-f---c-', states);
    const unsub = '                            ^------------!';
    const expected = '                         c(rR)c-(rR)c-';
    m.expect(connectionStates(pc$, NEVER, timing, m.scheduler), unsub).toBeObservable(expected, out);
  }));

  it('while setting up: failed restarts once; no connected within 7 ms is ice-failed', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-g-f--f---', states);
    const unsub = '                            ^ 79ms !';
    const expected = '                         ---(Rr)---#';
    m.expect(connectionStates(pc$, NEVER, timing, m.scheduler), unsub).toBeObservable(expected, out, new RtcError('ice-failed'));
  }));

  describe('the polite side leaves each restart to the other side for 3 ms (politeDelayMs)', () => {
    it('in an outage: its first try and its tries on signalling back wait 3 ms, then every 10 ms', marbles((m) => {
      const pc$ = m.hot<RTCPeerConnectionState>('-c-d------------------c-', states);
      const up$ = m.hot<boolean>('               -t--------f----t--------', up);
      const unsub = '                            ^-----------------------!';
      // Tries at 5 + 3 (signalling up), none while down (18), 15 + 3 after it is back; 28 cut by connected.
      const expected = '                         -c-r----R---------R---c-';
      m.expect(connectionStates(pc$, up$, timing, m.scheduler, NEVER, true), unsub).toBeObservable(expected, out);
    }));

    it('connected within the 3 ms (the impolite side’s restart answered): no restart of its own', marbles((m) => {
      const pc$ = m.hot<RTCPeerConnectionState>('-c-f----------c-', states);
      const up$ = m.hot<boolean>('               -t-f--------t---', up);
      const unsub = '                            ^---------------!';
      const expected = '                         -c-r----------c-';
      m.expect(connectionStates(pc$, up$, timing, m.scheduler, NEVER, true), unsub).toBeObservable(expected, out);
    }));

    it('media flowing again waits 3 ms too, and a new silence cancels it', marbles((m) => {
      const pc$ = m.hot<RTCPeerConnectionState>('-c-f------------c-', states);
      const up$ = m.hot<boolean>('               --f---------------', up);
      const flowing$ = m.hot<boolean>('          -t-f-tf--t--------', up);
      const unsub = '                            ^-----------------!';
      const expected = '                         -c-r--------R---c-';
      m.expect(connectionStates(pc$, up$, timing, m.scheduler, flowing$, true), unsub).toBeObservable(expected, out);
    }));

    it('while setting up: its one restart waits 3 ms; the 7 ms to ice-failed count from the trouble', marbles((m) => {
      const pc$ = m.hot<RTCPeerConnectionState>('-g-f------', states);
      const unsub = '                            ^ 79ms !';
      const expected = '                         ---r--R---#';
      m.expect(connectionStates(pc$, NEVER, timing, m.scheduler, NEVER, true), unsub).toBeObservable(expected, out, new RtcError('ice-failed'));
    }));
  });

  it('while setting up: a disconnected blip is cancelled by a newer state', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-gdg----c-', states);
    const unsub = '                            ^---------!';
    const expected = '                         --------c-';
    m.expect(connectionStates(pc$, NEVER, timing, m.scheduler), unsub).toBeObservable(expected, out);
  }));
});

// prettier-ignore
describe('mediaBack', () => {
  it('media back: connected after disconnected or failed (connecting between or not), or packets flowing after a silence', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-c-d-c--f-g-c---c-', states);
    const flowing$ = m.hot<boolean>('          --t-f--t-t-----f--t', up);
    const expected = '                         -----x-x----x-----x';
    m.expect(mediaBack(pc$, flowing$)).toBeObservable(expected, { x: undefined });
  }));

  it('nothing while media was never interrupted', marbles((m) => {
    const pc$ = m.hot<RTCPeerConnectionState>('-g-c--c-', states);
    const flowing$ = m.hot<boolean>('          -t--t-t-', up);
    m.expect(mediaBack(pc$, flowing$)).toBeObservable('--------');
  }));
});
