import type { ConsoleMessage } from 'playwright-core';
import type { BenchClient } from './harness';

/**
 * A per-event timeline of each page around a fault (`BENCH_FAULTS_TIMELINE=1`, bench/faults.ts): what
 * the sockets, the RTCPeerConnections and the picture did, on one clock (Date.now(), shared with the
 * Node process), so "where does the time go after the restore" can be read off line by line.
 */
export interface TimelineEvent {
  readonly wall: number;
  readonly what: string;
}

/**
 * The init script (runs in the page before its scripts; self-contained, no imports). It records into
 * `window.__timeline`: WebSocket open / close / sent methods / received replies and server requests,
 * RTCPeerConnection state changes, description calls and their outcome, restartIce, remote tracks and
 * their mute/ended, the page video element's source, events and (once a second) presented frames, and
 * from a 100 ms getStats() poll the moments inbound video packets and decoded frames resume after a pause
 * and the video SSRCs.
 */
export function installTimelineProbe(): void {
  const events: { wall: number; what: string }[] = [];
  Object.defineProperty(window, '__timeline', { value: events });
  const note = (what: string): void => {
    events.push({ wall: Date.now(), what });
    if (events.length > 3000) events.shift();
  };
  const decode = (b64: unknown): Record<string, unknown> | null => {
    if (typeof b64 !== 'string') return null;
    try {
      const value: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  /** A peer message's short name: `description(offer)`, `candidate`, `ready`… */
  const peerKind = (body: Record<string, unknown> | null): string => {
    if (body === null) return '?';
    if (typeof body.peerAction === 'string') {
      const d = body.description as { type?: unknown } | undefined;
      return body.peerAction === 'description' && typeof d?.type === 'string' ? `description(${d.type})` : body.peerAction;
    }
    return typeof body.peerStatus === 'string' ? body.peerStatus : '?';
  };
  const methods = new Map<string, string>(); // request id → method, to name the replies
  const NativeSocket = window.WebSocket;
  let sockets = 0;
  window.WebSocket = class extends NativeSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const n = ++sockets;
      note(`ws#${n} new`);
      this.addEventListener('open', () => note(`ws#${n} open`));
      this.addEventListener('close', (e: CloseEvent) => note(`ws#${n} close ${e.code}`));
      this.addEventListener('message', (e: MessageEvent) => {
        try {
          const f = JSON.parse(String(e.data)) as { id?: unknown; method?: unknown; params?: Record<string, unknown>; error?: unknown };
          if (typeof f.method === 'string') {
            if (f.method === 'verto.info') note(`ws#${n} < info ${peerKind(decode((f.params?.msg as { body?: unknown } | undefined)?.body))}`);
            else if (f.method === 'verto.event') note(`ws#${n} < event ${peerKind(decode(f.params?.eventData))}`);
            else note(`ws#${n} < ${f.method}`);
          } else {
            const m = methods.get(String(f.id)) ?? '?';
            methods.delete(String(f.id));
            if (m !== 'verto.info' && m !== 'verto.ping') note(`ws#${n} < reply ${m}${f.error === undefined ? '' : ' (error)'}`);
          }
        } catch {
          note(`ws#${n} < unparsed`);
        }
      });
    }
    override send(data: Parameters<WebSocket['send']>[0]): void {
      try {
        const f = JSON.parse(typeof data === 'string' ? data : '') as { id?: unknown; method?: unknown; params?: Record<string, unknown> };
        const method = String(f.method);
        methods.set(String(f.id), method);
        if (method === 'verto.info') note(`ws > info ${peerKind(decode((f.params?.msg as { body?: unknown } | undefined)?.body))}`);
        else if (method === 'verto.broadcast') note(`ws > broadcast ${peerKind(decode(f.params?.eventData))}`);
        else note(`ws > ${method}`);
      } catch {
        note('ws > unparsed');
      }
      super.send(data);
    }
  };

  const Native = window.RTCPeerConnection;
  let pcs = 0;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      const n = ++pcs;
      note(`pc#${n} new`);
      this.addEventListener('connectionstatechange', () => note(`pc#${n} connection ${this.connectionState}`));
      this.addEventListener('iceconnectionstatechange', () => note(`pc#${n} ice ${this.iceConnectionState}`));
      this.addEventListener('signalingstatechange', () => {
        const video = (this.remoteDescription?.sdp ?? '').split('m=video')[1] ?? '';
        const remote = [...new Set([...video.matchAll(/a=ssrc:(\d+)/g)].map((m) => m[1]))].join(' ');
        note(`pc#${n} signaling ${this.signalingState} (remote video ssrc ${remote || '-'})`);
      });
      this.addEventListener('negotiationneeded', () => note(`pc#${n} negotiationneeded`));
      this.addEventListener('icecandidate', (e: RTCPeerConnectionIceEvent) => note(`pc#${n} candidate ${e.candidate === null ? 'end' : (e.candidate.usernameFragment ?? '')}`));
      // Remote tracks and what happens to them (a picture that stops at the element, not in the decoder).
      this.addEventListener('track', (e: RTCTrackEvent) => {
        const t = e.track;
        note(`pc#${n} track ${t.kind} ${t.id.slice(0, 8)} streams [${e.streams.map((s) => s.id.slice(0, 8)).join(',')}] muted=${String(t.muted)}`);
        for (const type of ['mute', 'unmute', 'ended']) t.addEventListener(type, () => note(`pc#${n} track ${t.kind} ${t.id.slice(0, 8)} ${type}`));
      });
      // Video both ways, from a 100 ms poll: when counters advance again after 300 ms without, and every
      // keyframe and keyframe request (PLI), so a picture that waits for a keyframe shows as such.
      const last: Record<string, number> = {};
      const since: Record<string, number> = {};
      let lastPair = '';
      let lastSsrcs = '';
      const poll = window.setInterval(() => {
        if (this.signalingState === 'closed') {
          window.clearInterval(poll);
          return;
        }
        this.getStats().then(
          (report) => {
            const sum: Record<string, number> = {};
            let pair = '';
            const ssrcs: string[] = [];
            let target = 0;
            let limit = '';
            const add = (key: string, v: unknown): void => {
              sum[key] = (sum[key] ?? 0) + (typeof v === 'number' ? v : 0);
            };
            report.forEach((s: Record<string, unknown>) => {
              if ((s.type === 'inbound-rtp' || s.type === 'outbound-rtp') && s.kind === 'video') ssrcs.push(`${String(s.type).slice(0, 2)} ${String(s.ssrc)}`);
              if (s.type === 'inbound-rtp' && s.kind === 'video') {
                add('in packets', s.packetsReceived);
                add('in frames received', s.framesReceived);
                add('in frames decoded', s.framesDecoded);
                add('in keyframes decoded', s.keyFramesDecoded);
                add('in PLIs sent', s.pliCount);
                add('in NACKs sent', s.nackCount);
              } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
                add('out frames encoded', s.framesEncoded);
                add('out keyframes encoded', s.keyFramesEncoded);
                add('out PLIs received', s.pliCount);
                add('out packets', s.packetsSent);
                target += typeof s.targetBitrate === 'number' ? s.targetBitrate : 0;
                limit = typeof s.qualityLimitationReason === 'string' ? s.qualityLimitationReason : '';
              } else if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pair = s.selectedCandidatePairId;
            });
            const now = Date.now();
            for (const [key, value] of Object.entries(sum)) {
              const before = last[key];
              if (before !== undefined && value > before) {
                const counted = /keyframes|PLIs/.test(key);
                if (counted) note(`pc#${n} ${key} → ${value} (target ${Math.round(target / 1000)} kbps, ${limit})`);
                else if (now - (since[key] ?? now) > 300) note(`pc#${n} ${key} resume (after ${now - (since[key] ?? now)} ms; target ${Math.round(target / 1000)} kbps)`);
              }
              if (before === undefined || value > before) since[key] = now;
              last[key] = value;
            }
            const ssrcList = ssrcs.sort().join(', ');
            if (ssrcList !== lastSsrcs) note(`pc#${n} video ssrc ${ssrcList}`);
            lastSsrcs = ssrcList;
            if (pair !== lastPair) note(`pc#${n} selected pair ${pair || '(none)'}`);
            lastPair = pair;
          },
          () => undefined,
        );
      }, 100);
    }
  };
  const proto = window.RTCPeerConnection.prototype;
  const wrap = (name: 'setLocalDescription' | 'setRemoteDescription'): void => {
    const original = proto[name] as (this: RTCPeerConnection, d?: RTCSessionDescriptionInit) => Promise<void>;
    proto[name] = function (this: RTCPeerConnection, d?: RTCSessionDescriptionInit) {
      const label = `${name}(${d?.type ?? 'auto'})@${this.signalingState}`;
      note(label);
      const done: Promise<void> = Reflect.apply(original, this, [d]);
      done.then(
        () => note(`${label} done → ${this.localDescription?.type ?? '-'}/${this.remoteDescription?.type ?? '-'}`),
        (error: unknown) => note(`${label} FAILED ${String(error)}`),
      );
      return done;
    } as typeof proto.setLocalDescription;
  };
  wrap('setLocalDescription');
  wrap('setRemoteDescription');
  const restartIce = proto.restartIce;
  proto.restartIce = function (this: RTCPeerConnection) {
    note(`restartIce()@${this.signalingState}`);
    restartIce.call(this);
  };
  // What the page's video element is given, and what it does with it.
  const describe = (source: unknown): string => {
    if (!(source instanceof MediaStream)) return String(source);
    return `stream ${source.id.slice(0, 8)} [${source.getTracks().map((t) => `${t.kind} ${t.id.slice(0, 8)} ${t.readyState}${t.muted ? ' muted' : ''}`).join(', ')}]`;
  };
  const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  if (srcObject?.set !== undefined && srcObject.get !== undefined) {
    const { get, set } = srcObject;
    Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
      configurable: true,
      get,
      set(this: HTMLMediaElement, value: MediaProvider | null) {
        note(`#${this.id || this.tagName} srcObject = ${describe(value)}`);
        set.call(this, value);
      },
    });
  }
  document.addEventListener('DOMContentLoaded', () => {
    const status = document.getElementById('nav-status');
    if (status) new MutationObserver(() => note(`status "${status.textContent ?? ''}"`)).observe(status, { childList: true, characterData: true, subtree: true });
    const video = document.getElementById('media-player');
    if (!(video instanceof HTMLVideoElement)) return;
    for (const type of ['play', 'pause', 'playing', 'waiting', 'stalled', 'emptied', 'ended', 'loadstart', 'loadedmetadata', 'resize', 'error', 'abort']) {
      video.addEventListener(type, () => note(`#media-player ${type} (paused=${String(video.paused)} ready=${video.readyState} ${video.videoWidth}x${video.videoHeight})`));
    }
    new MutationObserver(() => note(`#media-player class "${video.className}" hidden=${String(video.hidden)}`)).observe(video, { attributes: true, attributeFilter: ['class', 'hidden', 'style'] });
    // Once a second: the element's state and its source, so a stuck picture shows what it was stuck on;
    // and what it presents: frames counted by the element, by the probe's frame callbacks (bench/probe.ts),
    // and a hash of the picture drawn to a small canvas (the fake camera's picture changes every frame).
    let lastState = '';
    const canvas = document.createElement('canvas');
    canvas.width = 16;
    canvas.height = 16;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const pictureHash = (): string => {
      if (context === null || video.readyState < 2) return '-';
      context.drawImage(video, 0, 0, 16, 16);
      let h = 0;
      for (const byte of context.getImageData(0, 0, 16, 16).data) h = (h * 31 + byte) >>> 0;
      return h.toString(16);
    };
    const probe = (window as unknown as { __bench?: { remoteFrames: number } }).__bench;
    window.setInterval(() => {
      const state = `paused=${String(video.paused)} ready=${video.readyState} ${video.videoWidth}x${video.videoHeight} ${describe(video.srcObject)} visibility=${document.visibilityState}`;
      if (state !== lastState) note(`#media-player ${state}`);
      lastState = state;
      const quality = video.getVideoPlaybackQuality();
      note(`#media-player t=${video.currentTime.toFixed(1)} frames=${quality.totalVideoFrames} dropped=${quality.droppedVideoFrames} callbacks=${probe?.remoteFrames ?? '?'} picture=${pictureHash()}`);
    }, 1000);
  });
}

/** One page's recorder: the init script's events plus its console lines ([rtc], [verto], with the debug flag on). */
export class PageTimeline {
  private readonly console: TimelineEvent[] = [];

  private constructor(private readonly client: BenchClient) {
    client.page.on('console', (message: ConsoleMessage) => {
      const text = message.text();
      if (/^\[(rtc|verto|peer)\]/.test(text)) this.console.push({ wall: Date.now(), what: `log ${text.slice(0, 160)}` });
    });
  }

  /** Installs the probe and the debug flag, and reloads the page so both apply (a new login is issued). */
  static async attach(client: BenchClient): Promise<PageTimeline> {
    await client.context.addInitScript(installTimelineProbe);
    await client.page.evaluate(() => localStorage.setItem('verto-peer:debug', '1'));
    const timeline = new PageTimeline(client);
    await client.reload();
    return timeline;
  }

  async read(from: number, to: number): Promise<TimelineEvent[]> {
    const own = await this.client.page.evaluate(() => (window as unknown as { __timeline: TimelineEvent[] }).__timeline.slice());
    const gaps = await this.client.probe((p) => p.remoteFrameGaps.slice());
    const frames = gaps.map((g) => ({ wall: g.resumedAt, what: `picture resumes (frozen ${g.resumedAt - g.frozenAt} ms)` }));
    return [...own, ...this.console, ...frames].filter((e) => e.wall >= from && e.wall <= to).sort((a, b) => a.wall - b.wall);
  }
}

/** The pages' events merged, as lines `+ms  page  event` relative to the restore. */
export function formatTimeline(pages: readonly { readonly label: string; readonly events: readonly TimelineEvent[] }[], cut: number, restore: number): string[] {
  const rows = pages.flatMap((p) => p.events.map((e) => ({ ...e, label: p.label })));
  rows.sort((a, b) => a.wall - b.wall);
  return [`cut at ${cut - restore} ms, restore at 0`, ...rows.map((r) => `${String(r.wall - restore).padStart(7)}  ${r.label.padEnd(6)}  ${r.what}`)];
}
