// A port with no events and no effects, for tests that replace only the operations they look at.
import { NEVER } from 'rxjs';
import type { PeerPort } from '../../src/rtc/peer-port';

export const quietPort = (overrides: Partial<PeerPort>): PeerPort => ({
  signalingState: () => 'stable',
  remoteDescription: () => null,
  localDescription: () => null,
  setRemote: () => NEVER,
  setLocal: () => NEVER,
  addCandidate: () => NEVER,
  addTrack: () => undefined,
  replaceTrack: () => NEVER,
  restartIce: () => undefined,
  close: () => undefined,
  candidates$: NEVER,
  negotiationNeeded$: NEVER,
  tracks$: NEVER,
  connectionState$: NEVER,
  iceConnectionState$: NEVER,
  signalingState$: NEVER,
  ...overrides,
});
