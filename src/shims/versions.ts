// The browser versions from which on no shim chunk is loaded (src/browser-shims.ts), apart so the e2e
// checks that prove them (e2e/browser-shims.e2e.ts, e2e/firefox.e2e.ts) can import them without the adapter.

/**
 * From this Chromium version on, the shims in src/shims/chrome.ts change nothing this app uses: the
 * highest version gate among them is 149 (common_shim's shimSendThrowTypeError), the feature tests find
 * what Chromium has shipped for years, and what remains (shimAddTrackRemoveTrackWithNative) only keeps
 * a map for the legacy getLocalStreams(), which src never calls (spec/browser-shims.test.ts checks).
 * e2e/browser-shims.e2e.ts applies the whole adapter in the Chromium we test and fails if it changes
 * anything else, so an adapter upgrade or a browser change that makes this wrong is caught.
 */
export const CHROMIUM_WITHOUT_SHIMS = 149;

/**
 * From this Firefox version on, the shims in src/shims/firefox.ts change nothing this app uses: the
 * highest version gate among them is 151 (shimGetStats), the feature tests find what Firefox has shipped
 * for years, and what remains adds only the legacy navigator.getUserMedia and removeStream(), which src
 * never calls (spec/browser-shims.test.ts checks). e2e/firefox.e2e.ts applies the whole adapter in the
 * Firefox ESR we test and fails if it changes anything else.
 */
export const FIREFOX_WITHOUT_SHIMS = 151;
