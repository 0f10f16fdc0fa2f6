/**
 * mod_verto's permission lists (`jsonrpc-allowed-methods`, `jsonrpc-allowed-event-channels`) as one
 * socket holds them: either every name, or a set of names (kept in lower case: lookups ignore case).
 */
export type Grants = 'any' | ReadonlySet<string>;

/** A directory value split as mod_verto splits it: on commas, or on spaces when the value holds one. */
export function splitPermissionValue(value: string): string[] {
  const separator = value.includes(' ') ? ' ' : ',';
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Adds a directory value to what a socket already holds, as each login does. The whole value
 * `__ANY__` changes nothing (a first login then holds every name); any other value, empty or
 * absent included, restricts the socket to the names listed so far, so a second login on one
 * socket adds its user's names to the first user's.
 */
export function grant(current: Grants | undefined, value: string): Grants {
  if (value.toLowerCase() === '__any__') return current ?? 'any';
  const names = new Set(current === undefined || current === 'any' ? [] : current);
  for (const item of splitPermissionValue(value)) names.add(item.toLowerCase());
  return names;
}

/** A name is allowed when it, or its main part before the first `.`, is granted. */
export function isPermitted(grants: Grants, name: string): boolean {
  if (grants === 'any') return true;
  const lower = name.toLowerCase();
  return grants.has(lower) || grants.has(lower.split('.')[0]);
}
