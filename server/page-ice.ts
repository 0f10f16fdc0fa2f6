import { iceConfigError } from '../src/config';
import { turnIceServer, type IceServerJson, type TurnRest } from './turn-credentials';

/** What every issued page gets for ICE (development server options; all optional: no servers, policy `all`). */
export interface PageIceOptions {
  /** Given as they are (e.g. STUN, or a TURN server with fixed credentials). */
  readonly iceServers?: readonly IceServerJson[];
  /** A TURN server taking per-page credentials minted from its shared secret; listed after `iceServers`. */
  readonly turn?: TurnRest;
  /** `relay`: the pages use TURN candidates only. */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
}

export interface PageIce {
  readonly iceServers: readonly IceServerJson[];
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
}

/** Pure: the ICE part of the page config issued to `clientId` at `nowMs`. */
export function pageIce(options: PageIceOptions, clientId: string, nowMs: number): PageIce {
  const minted = options.turn === undefined ? [] : [turnIceServer(options.turn, clientId, nowMs)];
  const iceServers = [...(options.iceServers ?? []), ...minted];
  return options.iceTransportPolicy === undefined ? { iceServers } : { iceServers, iceTransportPolicy: options.iceTransportPolicy };
}

/**
 * Why pages built from these options would refuse to start, or null: the page's own check
 * (src/config.ts) on what a page would get, so the server fails at start instead of every page.
 */
export function pageIceError(options: PageIceOptions): string | null {
  if (options.turn !== undefined) {
    if (options.turn.secret === '') return 'the TURN secret is empty';
    if (options.turn.urls.length === 0) return 'a TURN secret needs at least one turn: or turns: URL';
    const other = options.turn.urls.find((url) => !/^turns?:/i.test(url));
    if (other !== undefined) return `the TURN secret is for turn: or turns: URLs, not ${JSON.stringify(other)}`;
    const ttl = options.turn.ttlSeconds;
    if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1)) return `the TURN credential lifetime must be a whole number of seconds, not ${ttl}`;
  }
  const sample = pageIce(options, 'sample-client', 0);
  return iceConfigError(sample.iceServers, sample.iceTransportPolicy);
}
