/** Display names: a readable default on the first visit, kept in localStorage, sanitized on the way in and out. */
export const NAME_KEY = 'verto-peer.name';
const MAX_NAME_LENGTH = 32;

// C0/C1 controls, DEL, line/paragraph separators, and bidi overrides/isolates that could disguise a name.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const ADJECTIVES = ['Amber', 'Brave', 'Calm', 'Clever', 'Gentle', 'Happy', 'Jolly', 'Keen', 'Lucky', 'Merry', 'Quiet', 'Swift', 'Sunny', 'Witty'];
const ANIMALS = ['Badger', 'Crane', 'Dolphin', 'Falcon', 'Fox', 'Heron', 'Koala', 'Lynx', 'Otter', 'Owl', 'Panda', 'Robin', 'Seal', 'Wren'];

/**
 * The one display-name rule, for our own name and every peer's: any Unicode, unsafe characters
 * stripped, trimmed, at most 32 characters (not UTF-16 units); '' means "no usable name". Names are
 * rendered with textContent only, so markup stays text.
 */
export function sanitizeName(raw: string): string {
  const cleaned = raw.replace(UNSAFE_IN_NAMES, '').trim();
  return [...cleaned].slice(0, MAX_NAME_LENGTH).join('').trim();
}

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
