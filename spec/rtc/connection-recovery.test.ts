// ICE recovery in virtual time: a blip heals by itself, a longer outage restarts ICE, and a restart
// that does not reconnect within its bound fails the call (about 10 s in all).
import { RtcError } from '../../src/rtc/connection-types';
import { agreed, lastState, makePair, type Pair, type Side } from './pair';

const after = (s: Side, t: number) => s.states.filter(([at]) => at >= t);

async function connectedPair(): Promise<Pair> {
  const p = await makePair();
  p.a.connection.open(true);
  p.b.connection.open(false);
  return p;
}

describe('Connection recovery', () => {
  it('a blip shorter than 3 s needs nothing: no restart, state stays connected', async () => {
    const p = await connectedPair();
    p.at(1000, () => p.link.setUp(false));
    p.at(2500, () => p.link.setUp(true));
    p.run();

    expect(after(p.a, 1000)).toEqual([]);
    expect(p.a.pc().stats.restarts + p.b.pc().stats.restarts).toBe(0);
    expect(p.a.pc().connectionState).toBe('connected');
  });

  it('disconnected for more than 3 s: restartIce, reconnecting, then connected again without a new call', async () => {
    const p = await connectedPair();
    let ufragBefore = '';
    p.at(1000, () => {
      ufragBefore = /ice-ufrag:(\S+)/.exec(p.a.pc().currentLocalDescription?.sdp ?? '')?.[1] ?? '';
      p.link.setUp(false);
    });
    p.at(6000, () => p.link.setUp(true));
    p.run();

    expect(after(p.a, 1000)).toEqual([
      [4000, 'reconnecting'],
      [6005, 'connected'], // the fake's ICE checks take 5 ms once the link is back
    ]);
    expect(after(p.b, 1000).map(([, s]) => s)).toEqual(['reconnecting', 'connected']);
    expect(p.a.pc().stats.restarts).toBe(1);
    expect(ufragBefore).toMatch(/^pc\d+u\d+$/);
    expect(p.a.pc().currentLocalDescription?.sdp).not.toContain(`ice-ufrag:${ufragBefore}\r`); // new ICE credentials
    expect(agreed(p)).toBe(true);
  });

  it('ICE failed: restart at once; still down after 7 more seconds: failed with "ice-failed", all released', async () => {
    const p = await connectedPair();
    p.at(1000, () => {
      p.link.setUp(false);
      p.a.pc().failIce();
    });
    p.run();

    expect(after(p.a, 1000)).toEqual([
      [1000, 'reconnecting'],
      [8000, 'failed'],
    ]);
    expect(p.a.error).toEqual(new RtcError('ice-failed'));
    expect((p.a.error as RtcError).reason).toBe('ice-failed');
    // B only saw "disconnected": restart after 3 s, failure 7 s later — about 10 s in all
    expect(after(p.b, 1000)).toEqual([
      [4000, 'reconnecting'],
      [11000, 'failed'],
    ]);
    expect(p.a.pc().signalingState).toBe('closed');
    expect(p.a.devices.handedOut[0].getTracks().map((t) => t.readyState)).toEqual(['ended', 'ended']);
    expect(p.a.pc().listenerCount()).toBe(0);
  });

  it('a failure during reconnecting is part of the same episode: one restart, and the deadline decides', async () => {
    const p = await connectedPair();
    p.at(1000, () => p.link.setUp(false));
    p.at(5000, () => p.a.pc().failIce());
    p.at(9000, () => p.link.setUp(true));
    p.run();

    expect(p.a.pc().stats.restarts).toBe(1);
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
  });
});
