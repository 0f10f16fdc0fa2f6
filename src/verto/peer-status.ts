/** The presence states of the peer protocol (docs/protocol.md#presence), in one list for types and checks. */
export const PEER_STATUSES = ['ready', 'available', 'unavailable', 'gone'] as const;
export type PeerStatus = (typeof PEER_STATUSES)[number];

export const isPeerStatus = (v: unknown): v is PeerStatus => (PEER_STATUSES as readonly unknown[]).includes(v);
