// Perfect negotiation between two real Connections over fake RTCPeerConnections, in virtual time.
import { agreed, descriptionsSent, lastState, makePair } from './pair';

describe('Connection negotiation (two Connections, virtual time)', () => {
  it('plain offer/answer: one side offers, the other (opening later) answers, both connect and see each other', async () => {
    const p = await makePair();
    p.a.connection.open(true); // its tracks start negotiation at once
    p.at(50, () => p.b.connection.open(false)); // A's offer reached B at 11 and waited for open()
    p.run();

    expect(descriptionsSent(p.a)).toEqual(['offer']);
    expect(descriptionsSent(p.b)).toEqual(['answer']);
    expect(agreed(p)).toBe(true);
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
    expect(p.a.states.map(([, s]) => s)).toEqual(['new', 'connecting', 'connected']);
    // each side's remote stream carries the other's camera and microphone
    const aLocal = p.a.devices.handedOut[0].getTracks().map((t) => `remote:${t.id}`).sort();
    expect(p.b.remoteStreams).toHaveLength(1);
    expect(p.b.remoteStreams[0].getTracks().map((t) => t.id).sort()).toEqual(aLocal);
    expect(p.a.remoteStreams[0].getTracks()).toHaveLength(2);
    // candidates went both ways, ending with end-of-candidates
    expect(p.a.sent.filter(([, s]) => s.kind === 'candidate').at(-1)?.[1]).toEqual({ kind: 'candidate', candidate: null });
    expect(p.a.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(p.b.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('glare: both offer at the same moment; polite rolls back and answers, impolite ignores; one agreed negotiation', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.run();

    expect(descriptionsSent(p.a)).toEqual(['offer', 'answer']); // its offer lost the collision
    expect(descriptionsSent(p.b)).toEqual(['offer']);
    expect(p.a.pc().stats.rollbacks).toBe(1);
    expect(p.b.pc().stats.rollbacks).toBe(0);
    expect(p.b.logs.map((l) => l.message)).toContain('impolite: ignored a colliding offer');
    expect(agreed(p)).toBe(true);
    expect(p.a.pc().sendingTracks()).toHaveLength(2); // the answer carried A's tracks: no second round
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
    expect([...p.a.logs, ...p.b.logs].filter((l) => l.level === 'error')).toEqual([]);
  });
});
