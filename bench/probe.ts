/**
 * What the benchmarks observe inside a channel page, installed as an init script before any page
 * script runs. Runs in the browser: self-contained, no imports, no helpers from outside the function.
 *
 * It keeps only weak references and bounded counters, so it does not itself show up as a leak in
 * the heap figures of the leak benchmark.
 *
 * Times: `at` values are `performance.timeOrigin + performance.now()` (one clock for every page of
 * the browser, sub-ms); `wall` values are `Date.now()` (comparable with the Node process).
 */
export interface BenchProbe {
  /** When #media-player presented its first frame of a remote (received) video track since reset. */
  firstRemoteFrameAt: number | null;
  /** Date.now() of the latest presented remote frame, and how many were presented since reset (frame rate under loss). */
  lastRemoteFrameWall: number | null;
  remoteFrames: number;
  /** Pauses of more than 250 ms between presented remote frames (a frozen picture), newest last, at most 20 (Date.now()). */
  readonly remoteFrameGaps: { frozenAt: number; resumedAt: number }[];
  /** When an `Accept` button was clicked (capture phase, before the page handles it) since reset. */
  acceptClickAt: number | null;
  /** First time #nav-status read `Online` (not reset). */
  onlineAt: number | null;
  /** First time a `Call <name>` button appeared in #nav-menu, by name (not reset). */
  readonly peersSeenAt: Record<string, number>;
  /** Outgoing JSON-RPC requests since reset by kind: method, with the peer message's action or status. */
  readonly sent: Record<string, number>;
  /** When the first request of each kind went out since reset. */
  readonly firstSentAt: Record<string, number>;
  /**
   * Description calls since reset, as `method:type@signalingState` (e.g. `setLocalDescription:auto@stable`
   * is an offer of our own; `setRemoteDescription:offer@have-local-offer` is a collision).
   */
  readonly descriptionCalls: Record<string, number>;
  /** Incoming presence, newest last, at most 200: broadcasts (`verto.event`) and direct replies (`verto.info`). */
  readonly presence: { wall: number; from: string; status: string; via: 'broadcast' | 'direct' }[];
  /** #nav-status changes, newest last, at most 50. */
  readonly statusLog: { wall: number; text: string }[];
  /** Close codes of the page's WebSockets, newest last, at most 50 (1006: dropped without a close frame). */
  readonly closes: { wall: number; code: number }[];
  /** Tracks from getUserMedia or a `track` event that are still `live`. */
  liveTracks(): number;
  /** RTCPeerConnections the page made whose signalingState is not `closed`. */
  openPeerConnections(): number;
  /** Clears the per-call fields (first frame, accept click, sent counts). */
  reset(): void;
}

export function installBenchProbe(): void {
  const epoch = (): number => performance.timeOrigin + performance.now();
  let tracks: WeakRef<MediaStreamTrack>[] = [];
  let pcs: WeakRef<RTCPeerConnection>[] = [];
  const remote = new WeakSet<MediaStreamTrack>();
  const probe: BenchProbe = {
    firstRemoteFrameAt: null,
    lastRemoteFrameWall: null,
    remoteFrames: 0,
    remoteFrameGaps: [],
    acceptClickAt: null,
    onlineAt: null,
    peersSeenAt: {},
    sent: {},
    firstSentAt: {},
    descriptionCalls: {},
    presence: [],
    statusLog: [],
    closes: [],
    liveTracks() {
      // Drop what was collected or ended, so the list stays short over 100 calls.
      tracks = tracks.filter((r) => r.deref()?.readyState === 'live');
      return tracks.length;
    },
    openPeerConnections() {
      pcs = pcs.filter((r) => {
        const pc = r.deref();
        return pc !== undefined && pc.signalingState !== 'closed';
      });
      return pcs.length;
    },
    reset() {
      probe.firstRemoteFrameAt = null;
      probe.lastRemoteFrameWall = null;
      probe.remoteFrames = 0;
      probe.remoteFrameGaps.length = 0;
      probe.acceptClickAt = null;
      for (const key of Object.keys(probe.sent)) delete probe.sent[key];
      for (const key of Object.keys(probe.firstSentAt)) delete probe.firstSentAt[key];
      for (const key of Object.keys(probe.descriptionCalls)) delete probe.descriptionCalls[key];
    },
  };
  Object.defineProperty(window, '__bench', { value: probe });

  const push = <T>(list: T[], item: T, cap: number): void => {
    list.push(item);
    if (list.length > cap) list.shift();
  };
  const decode = (b64: unknown): Record<string, unknown> | null => {
    if (typeof b64 !== 'string') return null;
    try {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const params = (frame: unknown): Record<string, unknown> => {
    const p = (frame as { params?: unknown }).params;
    return typeof p === 'object' && p !== null ? (p as Record<string, unknown>) : {};
  };

  // Outgoing requests, by kind (verto.info carries peer messages, verto.broadcast presence).
  const NativeSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket["send"]>[0]) {
    try {
      const frame = JSON.parse(typeof data === 'string' ? data : '') as { method?: unknown };
      let kind = typeof frame.method === 'string' ? frame.method : 'reply';
      if (kind === 'verto.info') {
        const body = decode((params(frame).msg as { body?: unknown } | undefined)?.body);
        if (body && typeof body.peerAction === 'string') {
          kind += `:${body.peerAction}`;
          if (body.peerAction === 'candidate' && body.candidate === null) kind += '(end)';
        } else if (body && typeof body.peerStatus === 'string') kind += `:${body.peerStatus}`;
      } else if (kind === 'verto.broadcast') {
        const body = decode(params(frame).eventData);
        if (body && typeof body.peerStatus === 'string') kind += `:${body.peerStatus}`;
      }
      probe.sent[kind] = (probe.sent[kind] ?? 0) + 1;
      probe.firstSentAt[kind] ??= epoch();
    } catch {
      probe.sent.unparsed = (probe.sent.unparsed ?? 0) + 1;
    }
    return NativeSend.call(this, data);
  };

  // Incoming presence broadcasts (who published, when), and how each socket closed.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('close', (event: CloseEvent) => push(probe.closes, { wall: Date.now(), code: event.code }, 50));
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data !== 'string' || !/"verto\.(event|info)"/.test(event.data)) return;
        try {
          const frame = JSON.parse(event.data) as { method?: unknown };
          const p = params(frame);
          if (frame.method === 'verto.event') {
            const body = decode(p.eventData);
            if (typeof p.userid === 'string' && body && 'peerStatus' in body) {
              push(probe.presence, { wall: Date.now(), from: p.userid.split('@')[0], status: String(body.peerStatus), via: 'broadcast' }, 200);
            }
          } else if (frame.method === 'verto.info') {
            // The direct `available` reply a peer sends to a `ready` it saw (docs/protocol.md#presence).
            const msg = p.msg as { from?: unknown; body?: unknown } | undefined;
            const body = decode(msg?.body);
            if (typeof msg?.from === 'string' && body && 'peerStatus' in body) {
              push(probe.presence, { wall: Date.now(), from: msg.from.split('@')[0], status: String(body.peerStatus), via: 'direct' }, 200);
            }
          }
        } catch {
          // not ours to judge: the page's own decoder handles bad frames
        }
      });
    }
  };

  // Every RTCPeerConnection (a subclass, so webrtc-adapter's prototype shims still apply) and its remote tracks.
  const NativePeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      pcs.push(new WeakRef<RTCPeerConnection>(this));
      this.addEventListener('track', (event: RTCTrackEvent) => {
        remote.add(event.track);
        tracks.push(new WeakRef(event.track));
      });
    }
  };
  const countCall = (method: string, pc: RTCPeerConnection, description: { type?: RTCSdpType } | undefined): void => {
    const key = `${method}:${description?.type ?? 'auto'}@${pc.signalingState}`;
    probe.descriptionCalls[key] = (probe.descriptionCalls[key] ?? 0) + 1;
  };
  const proto = window.RTCPeerConnection.prototype;
  const setLocal = proto.setLocalDescription;
  const setRemote = proto.setRemoteDescription;
  proto.setLocalDescription = function (this: RTCPeerConnection, description?: RTCLocalSessionDescriptionInit) {
    countCall('setLocalDescription', this, description);
    return Reflect.apply(setLocal, this, [description]) as Promise<void>;
  };
  proto.setRemoteDescription = function (this: RTCPeerConnection, description: RTCSessionDescriptionInit) {
    countCall('setRemoteDescription', this, description);
    return Reflect.apply(setRemote, this, [description]) as Promise<void>;
  };
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  if (devices) {
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      for (const track of stream.getTracks()) tracks.push(new WeakRef(track));
      return stream;
    };
  }
  const clone = MediaStreamTrack.prototype.clone;
  MediaStreamTrack.prototype.clone = function (this: MediaStreamTrack) {
    const copy = clone.call(this);
    tracks.push(new WeakRef(copy));
    return copy;
  };

  document.addEventListener(
    'click',
    (event) => {
      if (event.target instanceof Element && event.target.closest('[data-intent="accept"]')) probe.acceptClickAt = epoch();
    },
    true,
  );

  document.addEventListener('DOMContentLoaded', () => {
    const status = document.getElementById('nav-status');
    const menu = document.getElementById('nav-menu');
    const video = document.getElementById('media-player');
    if (status) {
      new MutationObserver(() => {
        const text = status.textContent ?? '';
        const last = probe.statusLog[probe.statusLog.length - 1];
        if (last?.text !== text) push(probe.statusLog, { wall: Date.now(), text }, 50);
        if (probe.onlineAt === null && text === 'Online') probe.onlineAt = epoch();
      }).observe(status, { childList: true, characterData: true, subtree: true });
    }
    if (menu) {
      new MutationObserver(() => {
        for (const button of Array.from(menu.querySelectorAll('button'))) {
          const text = button.textContent ?? '';
          if (text.startsWith('Call ') && !(text.slice(5) in probe.peersSeenAt)) probe.peersSeenAt[text.slice(5)] = epoch();
        }
      }).observe(menu, { childList: true, subtree: true, characterData: true });
    }
    if (video instanceof HTMLVideoElement) {
      // A frame callback loop on the page's own video element: the first presented frame of a remote track.
      let handle = 0;
      const onFrame = (now: number): void => {
        const stream = video.srcObject;
        if (stream instanceof MediaStream && stream.getVideoTracks().some((t) => remote.has(t))) {
          probe.firstRemoteFrameAt ??= performance.timeOrigin + now;
          const wall = Date.now();
          const last = probe.lastRemoteFrameWall;
          if (last !== null && wall - last > 250) push(probe.remoteFrameGaps, { frozenAt: last, resumedAt: wall }, 20);
          probe.lastRemoteFrameWall = wall;
          probe.remoteFrames += 1;
        }
        handle = video.requestVideoFrameCallback(onFrame);
      };
      const arm = (): void => {
        video.cancelVideoFrameCallback(handle);
        handle = video.requestVideoFrameCallback(onFrame);
      };
      // A new source restarts the media element's load algorithm: re-arm so no callback is lost with it.
      video.addEventListener('loadstart', arm);
      arm();
    }
  });
}
