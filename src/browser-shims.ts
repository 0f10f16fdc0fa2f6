// webrtc-adapter, split by browser and loaded only where it has work to do. Its default import ships
// every browser's shims (they cannot be tree-shaken) and applies one browser's; here each browser's
// list is its own chunk (src/shims/*.ts: same shims, same order as the adapter's factory), fetched
// from the bundle's origin by <script src>, which a strict CSP (script-src 'self') allows.
import { detectBrowser } from 'webrtc-adapter/src/js/utils';
import { CHROMIUM_WITHOUT_SHIMS, FIREFOX_WITHOUT_SHIMS } from './shims/versions';

type ShimModule = { readonly shims: readonly AdapterShim[] };
const chunks: Readonly<Record<string, () => Promise<ShimModule>>> = {
  chrome: () => import(/* webpackChunkName: "shims-chrome" */ './shims/chrome'),
  firefox: () => import(/* webpackChunkName: "shims-firefox" */ './shims/firefox'),
  safari: () => import(/* webpackChunkName: "shims-safari" */ './shims/safari'),
};

export type ShimDecision = 'none' | 'chrome' | 'firefox' | 'safari';

/** Which shim chunk this browser needs (pure: from webrtc-adapter's own browser detection). */
export function shimsFor(details: AdapterBrowserDetails): ShimDecision {
  switch (details.browser) {
    case 'chrome':
      // The factory skips a Chromium whose version it cannot read; so do we.
      return details.version === null || details.version >= CHROMIUM_WITHOUT_SHIMS ? 'none' : 'chrome';
    case 'firefox':
      // An unreadable version (NaN) gets the chunk, as the adapter would shim it.
      return details.version !== null && details.version >= FIREFOX_WITHOUT_SHIMS ? 'none' : 'firefox';
    case 'safari':
      return 'safari';
    default:
      return 'none';
  }
}

/** Applies the adapter's shims this browser needs; resolves with which (nothing loaded for 'none'). */
export async function applyBrowserShims(win: Window): Promise<ShimDecision> {
  const details = detectBrowser(win);
  const decision = shimsFor(details);
  if (decision === 'none') return decision;
  const { shims } = await chunks[decision]();
  for (const shim of shims) shim(win, details);
  return decision;
}
