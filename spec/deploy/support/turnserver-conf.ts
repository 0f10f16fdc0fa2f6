/** coturn's turnserver.conf: one `name` or `name=value` per line, `#` comments; a name may repeat. */
export interface ConfLine {
  readonly name: string;
  /** null for a flag (`no-cli`). */
  readonly value: string | null;
}

/** Pure: the settings of a turnserver.conf, in order, comments and blank lines left out. */
export function parseTurnserverConf(text: string): ConfLine[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      return eq < 0 ? { name: line, value: null } : { name: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() };
    });
}

/** Pure: a conf without every line named in `replace`, followed by `add`. */
export function renderTurnserverConf(lines: readonly ConfLine[], replace: readonly string[], add: readonly ConfLine[]): string {
  return [...lines.filter((line) => !replace.includes(line.name)), ...add].map((line) => (line.value === null ? line.name : `${line.name}=${line.value}`)).join('\n') + '\n';
}
