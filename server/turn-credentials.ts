import { createHmac } from 'node:crypto';

/** One entry of a page's `iceServers` (the JSON the page config carries). */
export interface IceServerJson {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

/** A TURN server that takes time-limited credentials from a secret it shares with us (coturn's `use-auth-secret`). */
export interface TurnRest {
  /** coturn's `static-auth-secret`. */
  readonly secret: string;
  /** turn: or turns: URLs of that server. */
  readonly urls: readonly string[];
  /** How long a page's credentials are accepted; default TURN_TTL_SECONDS. */
  readonly ttlSeconds?: number;
}

/** As long as a page's login credentials are meant to live (deploy/README.md: 12 hours from issue). */
export const TURN_TTL_SECONDS = 12 * 60 * 60;

/**
 * Pure: the TURN REST API credential coturn checks, username `<expiry unix seconds>:<clientId>` and
 * credential base64(HMAC-SHA1(secret, username)); coturn refuses it once the expiry has passed.
 */
export function turnCredential(secret: string, clientId: string, expiresAt: number): { readonly username: string; readonly credential: string } {
  const username = `${expiresAt}:${clientId}`;
  return { username, credential: createHmac('sha1', secret).update(username, 'utf8').digest('base64') };
}

/** The `iceServers` entry for one page load: credentials for `clientId`, valid from `nowMs` for the TTL. */
export function turnIceServer(turn: TurnRest, clientId: string, nowMs: number): IceServerJson {
  const expiresAt = Math.floor(nowMs / 1000) + (turn.ttlSeconds ?? TURN_TTL_SECONDS);
  return { urls: [...turn.urls], ...turnCredential(turn.secret, clientId, expiresAt) };
}
