/**
 * Django's `json_script` filter, byte for byte: Python `json.dumps` (", " and ": " separators,
 * ensure_ascii) followed by escaping `<`, `>` and `&` as \u003C, \u003E and \u0026, so no value
 * can close the script element.
 */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

const asciiOnly = (text: string): string =>
  text.replace(/[\u007f-\uffff]/g, (ch) => (ch === '\u007f' ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));

export function pythonJsonDumps(value: Json): string {
  if (value === null || typeof value !== 'object') return asciiOnly(JSON.stringify(value));
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: Json });
  return `{${entries.map(([k, v]) => `${asciiOnly(JSON.stringify(k))}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

export function jsonScript(value: Json, elementId: string): string {
  const json = pythonJsonDumps(value).replace(/[<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return `<script id="${elementId}" type="application/json">${json}</script>`;
}
