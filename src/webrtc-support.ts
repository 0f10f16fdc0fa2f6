/** What the page needs from the browser before it can offer calls; a Window fits. */
export interface CallEnvironment {
  readonly isSecureContext?: boolean;
  readonly RTCPeerConnection?: unknown;
  readonly navigator: { readonly mediaDevices?: { readonly getUserMedia?: unknown } };
}

/**
 * Why this page cannot make WebRTC calls, as a status line, or null when it can. Browsers hide
 * camera access (and `crypto.randomUUID`) on pages that are not secure contexts, so that case
 * comes first: it is the one a site can fix.
 */
export function webRtcProblem(env: CallEnvironment): string | null {
  if (env.isSecureContext !== true) return 'video calls need a secure page: open it over https (or on localhost)';
  if (typeof env.RTCPeerConnection !== 'function') return 'this browser cannot make video calls (it has no WebRTC)';
  if (typeof env.navigator.mediaDevices?.getUserMedia !== 'function') return 'this browser cannot use a camera here (no getUserMedia)';
  return null;
}
