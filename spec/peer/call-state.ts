// A run of reducer events over a Peer state, recording what was sent (states: spec/peer/harness.ts).
import type { PeerEvent, PeerState } from '../../src/peer/peer-state';
import { reduce } from '../../src/peer/reduce';

export { withCall } from './harness';
export const run = (s: PeerState, ...events: PeerEvent[]) =>
  events.reduce(
    (acc, e) => {
      const step = reduce(acc.state, e, 1);
      return { state: step.state, sent: [...acc.sent, ...step.effects.flatMap((x) => (x.kind === 'send' ? [x.message] : []))] };
    },
    { state: s, sent: [] as unknown[] },
  );
