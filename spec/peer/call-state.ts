// A Peer state with one call to Bo, and a run of reducer events over it recording what was sent.
import { initialState, type Call, type PeerEvent, type PeerState } from '../../src/peer/peer-state';
import { reduce } from '../../src/peer/reduce';

const base = (): PeerState => ({
  ...initialState('ann', 'Ann'),
  client: { kind: 'online' },
  peers: { bo: { id: 'bo', name: 'Bo', available: true, seenAt: 0 } },
});
export const withCall = (phase: Call['phase'], extra: Partial<Call> = {}): PeerState => ({
  ...base(),
  call: { phase, callId: 'c1', peerId: 'bo', peerName: 'Bo', since: 0, offerSent: true, ...extra },
});
export const run = (s: PeerState, ...events: PeerEvent[]) =>
  events.reduce(
    (acc, e) => {
      const step = reduce(acc.state, e, 1);
      return { state: step.state, sent: [...acc.sent, ...step.effects.flatMap((x) => (x.kind === 'send' ? [x.message] : []))] };
    },
    { state: s, sent: [] as unknown[] },
  );
