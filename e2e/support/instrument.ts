/**
 * What the suite observes inside a page, installed before any page script runs (an init script):
 * every RTCPeerConnection the bundle creates (for getStats), CSP violation events, and when the first
 * callable peer appeared in #nav-menu. Runs in the browser: self-contained, no imports.
 */
export interface PageProbe {
  readonly pcs: RTCPeerConnection[];
  readonly cspViolations: string[];
  /** The last signalling frames, in and out (`> ` sent, `< ` received), for the artifacts of a failed test. */
  readonly frames: string[];
  /** Every stream getUserMedia gave the page (to check the camera is released). */
  readonly localStreams: MediaStream[];
  /** Epoch ms (performance.timeOrigin based) when a `Call …` button first appeared. */
  firstPeerAt: number | null;
}

export function installProbe(): void {
  const probe: PageProbe = { pcs: [], cspViolations: [], frames: [], localStreams: [], firstPeerAt: null };
  Object.defineProperty(window, '__e2e', { value: probe });
  const Native = window.RTCPeerConnection;
  // A subclass, so webrtc-adapter's shims (which patch the prototype chain) still apply.
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      probe.pcs.push(this);
    }
  };
  const record = (line: string): void => {
    probe.frames.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (probe.frames.length > 400) probe.frames.shift();
  };
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e: MessageEvent) => record(`< ${String(e.data)}`));
      this.addEventListener('close', (e: CloseEvent) => record(`closed ${e.code}`));
    }
    override send(data: Parameters<WebSocket["send"]>[0]): void {
      record(`> ${typeof data === 'string' ? data : '(binary)'}`);
      super.send(data);
    }
  };
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  if (devices) {
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      probe.localStreams.push(stream);
      return stream;
    };
  }
  document.addEventListener('securitypolicyviolation', (e) => probe.cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`));
  const epochNow = (): number => performance.timeOrigin + performance.now();
  document.addEventListener('DOMContentLoaded', () => {
    const menu = document.getElementById('nav-menu');
    if (!menu) return;
    new MutationObserver(() => {
      if (probe.firstPeerAt === null && Array.from(menu.querySelectorAll('button')).some((b) => b.textContent?.startsWith('Call '))) {
        probe.firstPeerAt = epochNow();
      }
    }).observe(menu, { childList: true, subtree: true, characterData: true });
  });
}
