import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './bundle';

/** What the complete webrtc-adapter changed in a page: its detection, the changed keys, how many were compared. */
export interface AdapterDiff {
  readonly details?: { readonly browser: string; readonly version: number };
  readonly changed: string[];
  readonly compared: number;
}

/** In the page: every WebRTC and media global and its prototype's properties, navigator's, Navigator.prototype's and navigator.mediaDevices' (value, getter, setter). */
function snapshot(): Map<string, unknown> {
  const seen = new Map<string, unknown>();
  const record = (label: string, target: object | undefined): void => {
    if (!target) return;
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(target))) {
      seen.set(`${label}.${key}`, d.get ?? d.set ?? d.value);
      if (d.set) seen.set(`${label}.${key}=`, d.set);
    }
  };
  const w = window as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(window).filter((n) => /^(RTC|Media|webkit|moz)/.test(n))) {
    seen.set(name, w[name]);
    const ctor = w[name];
    if (typeof ctor === 'function') record(`${name}.prototype`, (ctor as { prototype?: object }).prototype);
  }
  record('navigator', navigator);
  record('navigator.mediaDevices', navigator.mediaDevices);
  record('Navigator.prototype', Navigator.prototype);
  return seen;
}

/**
 * A script for `page.evaluate` (Playwright or Puppeteer): snapshots the page, applies the complete adapter (its
 * prebuilt bundle, every browser's shims, as `window.adapter`), snapshots again and returns an AdapterDiff.
 * Evaluated, not a script tag, so a page's CSP does not stop it.
 */
export function adapterDiffScript(): string {
  const adapter = readFileSync(join(ROOT, 'node_modules/webrtc-adapter/out/adapter.js'), 'utf8');
  return `(() => {
    const snapshot = ${snapshot.toString()};
    const before = snapshot();
    ${adapter}
    ;
    const after = snapshot();
    const keys = new Set([...before.keys(), ...after.keys()]);
    return { details: window.adapter && window.adapter.browserDetails, changed: [...keys].filter((k) => before.get(k) !== after.get(k)), compared: keys.size };
  })()`;
}
