import { filter, map, scan, type MonoTypeOperatorFunction } from 'rxjs';
import type { PresenceEvent } from './client-types';

/**
 * One page holding a login: when it started and a random id. Stock FreeSWITCH keeps every socket
 * logged in with the same credentials (each with its own sessid) and delivers to all of them, so the
 * pages sort it out themselves: each presence broadcast carries its page, and of two live pages with
 * one login the newer one wins. Comparing (since, id) gives every page the same answer, also when both
 * reconnect at once after a restart.
 */
export interface PageInstance {
  /** Epoch ms when the page's client was created. */
  readonly since: number;
  readonly id: string;
}

const WIRE = /^(\d{1,15})\.([A-Za-z0-9-]{1,64})$/;

/** The `peerPage` presence field: `<since>.<id>`. */
export const formatPage = (page: PageInstance): string => `${page.since}.${page.id}`;

export function parsePage(raw: unknown): PageInstance | undefined {
  if (typeof raw !== 'string') return undefined;
  const match = WIRE.exec(raw);
  return match ? { since: Number(match[1]), id: match[2] } : undefined;
}

export const samePage = (a: PageInstance, b: PageInstance): boolean => a.since === b.since && a.id === b.id;

/** Whether `a` started after `b` (ties broken by id, so two pages always agree). */
export const isNewer = (a: PageInstance, b: PageInstance): boolean => a.since > b.since || (a.since === b.since && a.id > b.id);

/** What to do with a presence event that carries our own login. */
export type OwnLoginEvent = 'echo' | 'superseded' | 'older-page';

export function classifyOwnLogin(ours: PageInstance, theirs: PageInstance | undefined): OwnLoginEvent {
  // No page (a client without this field) or our own page: the server echoing our broadcast.
  if (theirs === undefined || samePage(ours, theirs)) return 'echo';
  return isNewer(theirs, ours) ? 'superseded' : 'older-page';
}

/** The newest page seen per login; bounded, oldest entries dropped first. */
export type NewestPages = ReadonlyMap<string, PageInstance>;
const MAX_TRACKED = 1000;

/**
 * Admits presence only from the newest page of each login, so another client's name never flips
 * between two pages of one login while the older one is stopping. Events without a page pass.
 */
export function admitPresence(newest: NewestPages, event: PresenceEvent): { readonly newest: NewestPages; readonly admit: boolean } {
  const page = event.page;
  if (page === undefined) return { newest, admit: true };
  const known = newest.get(event.from);
  if (known !== undefined && isNewer(known, page)) return { newest, admit: false };
  const next = new Map(newest);
  next.delete(event.from);
  if (event.status !== 'gone') next.set(event.from, page);
  while (next.size > MAX_TRACKED) next.delete(next.keys().next().value as string);
  return { newest: next, admit: true };
}

interface Admission {
  readonly newest: NewestPages;
  readonly admit: boolean;
  readonly event: PresenceEvent | null;
}

/** `admitPresence` over a stream: presence of older pages of a login is dropped. */
export const newestPagesOnly = (): MonoTypeOperatorFunction<PresenceEvent> => (source) =>
  source.pipe(
    scan((acc: Admission, event: PresenceEvent): Admission => ({ ...admitPresence(acc.newest, event), event }), { newest: new Map(), admit: false, event: null }),
    filter((acc): acc is Admission & { readonly event: PresenceEvent } => acc.admit && acc.event !== null),
    map((acc) => acc.event),
  );
