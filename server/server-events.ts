import { EventEmitter } from 'node:events';

/** What the server reports to tests, the e2e suite and benchmarks (one argument per event). */
export interface ServerEventMap {
  connect: [{ readonly client: string; readonly remote: string }];
  /** Every request that carried a `login` param while authenticating, whatever the outcome. */
  login: [{ readonly login: string; readonly ok: boolean; readonly reason: string }];
  subscribe: [{ readonly client: string; readonly channels: readonly string[] }];
  punt: [{ readonly client: string; readonly sessid: string; readonly reason: string }];
  close: [{ readonly client: string; readonly code: number }];
  'relay-dropped': [{ readonly from: string; readonly to: string; readonly reason: string }];
  relayed: [{ readonly from: string; readonly to: string; readonly deliveries: number }];
  limit: [{ readonly client: string; readonly limit: 'rate' | 'frame-size' | 'channel-full' }];
}

export type ServerEvents = EventEmitter<ServerEventMap>;

export const createServerEvents = (): ServerEvents => new EventEmitter<ServerEventMap>();
