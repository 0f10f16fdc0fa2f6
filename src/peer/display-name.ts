/** Display names: a readable default on the first visit, kept in localStorage, sanitized on the way in and out. */
import { cleanName } from '../verto/inbound';

export { MAX_NAME_LENGTH } from '../verto/inbound';
export const NAME_KEY = 'verto-peer.name';

const ADJECTIVES = ['Amber', 'Brave', 'Calm', 'Clever', 'Gentle', 'Happy', 'Jolly', 'Keen', 'Lucky', 'Merry', 'Quiet', 'Swift', 'Sunny', 'Witty'];
const ANIMALS = ['Badger', 'Crane', 'Dolphin', 'Falcon', 'Fox', 'Heron', 'Koala', 'Lynx', 'Otter', 'Owl', 'Panda', 'Robin', 'Seal', 'Wren'];

/** The one name rule (`cleanName`), with '' for "no usable name". */
export const sanitizeName = (raw: string): string => cleanName(raw) ?? '';

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.min(list.length - 1, Math.floor(random() * list.length))];

/** A readable default such as "Swift Otter"; `random` is injected so tests are deterministic. */
export const defaultName = (random: () => number): string => `${pick(ADJECTIVES, random)} ${pick(ANIMALS, random)}`;

/** Where the name is kept (localStorage in the page, a Map in tests). */
export interface NameStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The stored name, or a new default that is stored at once so the person keeps it on the next visit. */
export function loadName(store: NameStore, random: () => number): string {
  let stored: string | null = null;
  try {
    stored = store.getItem(NAME_KEY);
  } catch {
    // storage can be disabled (privacy mode); a fresh default each visit is fine then
  }
  const name = sanitizeName(stored ?? '');
  if (name) return name;
  const fresh = defaultName(random);
  saveName(store, fresh);
  return fresh;
}

export function saveName(store: NameStore, name: string): void {
  try {
    store.setItem(NAME_KEY, name);
  } catch {
    // quota or disabled storage: the name still holds for this visit
  }
}

/** How another peer is shown: its own name when usable, else a short form of its client id. */
export const peerLabel = (id: string, name: string | undefined): string => sanitizeName(name ?? '') || `Guest ${id.slice(0, 5)}`;
