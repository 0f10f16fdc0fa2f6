/**
 * mod_verto's permission lists (`jsonrpc-allowed-methods`, `jsonrpc-allowed-event-channels`):
 * comma-separated, or space-separated when the value contains a space; `__ANY__` allows everything.
 */
export function parsePermissionList(value: string): string[] {
  const separator = value.includes(' ') ? ' ' : ',';
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A name is allowed when it, or its main part before the first `.`, is listed (lookup ignores case, as mod_verto's). */
export function isPermitted(list: readonly string[], name: string): boolean {
  const wanted = [name.toLowerCase(), name.split('.')[0].toLowerCase()];
  return list.some((item) => item === '__ANY__' || wanted.includes(item.toLowerCase()));
}
