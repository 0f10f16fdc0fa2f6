import type { Page } from 'playwright-core';
import type { PageProbe } from './instrument';
import { until } from './wait';

/** Default wait for a UI condition: generous, the machine is a noisy 2-core box. */
export const WAIT_MS = 20_000;

/** What #media-player and the page's RTCPeerConnections show at one moment. */
export interface MediaState {
  /** `contain` in a call, `cover` idle. */
  readonly fit: 'cover' | 'contain';
  /** What the video element shows: nothing (poster), our own camera, or the other side. */
  readonly source: 'none' | 'local' | 'remote';
  readonly videoWidth: number;
  readonly currentTime: number;
  readonly paused: boolean;
  /** inbound-rtp video framesDecoded summed over the open RTCPeerConnections. */
  readonly framesDecoded: number;
  /** Remote tracks (of any RTCPeerConnection the page made) still live. */
  readonly liveRemoteTracks: number;
  /** Tracks of our own camera/microphone still live. */
  readonly liveLocalTracks: number;
  readonly openPeerConnections: number;
  /** Kinds of the tracks of what the video element shows. */
  readonly kinds: readonly string[];
}

type ProbedWindow = Window & { readonly __e2e: PageProbe };

/** The channel page as a person sees and uses it (DOM contract: static/channel.html). */
export class PeerPage {
  constructor(
    readonly page: Page,
    readonly label: string,
  ) {}

  status(): Promise<string> {
    return this.page.locator('#nav-status').innerText();
  }

  async waitForStatus(pattern: RegExp, timeout = WAIT_MS): Promise<string> {
    return until(() => this.status(), (text) => pattern.test(text), { timeout, what: `${this.label}'s #nav-status to match ${pattern}` });
  }

  /** Texts of the #nav-menu entries, in order. */
  menu(): Promise<string[]> {
    return this.page.locator('#nav-menu > *').allInnerTexts();
  }

  async waitForMenu(done: (entries: string[]) => boolean, what: string, timeout = WAIT_MS): Promise<string[]> {
    return until(() => this.menu(), done, { timeout, what: `${this.label}'s #nav-menu: ${what}` });
  }

  /** Waits until `Call <name>` is offered (the peer is present and available). */
  waitForPeer(name: string, timeout = WAIT_MS): Promise<string[]> {
    return this.waitForMenu((m) => m.includes(`Call ${name}`), `"Call ${name}"`, timeout);
  }

  /** The open dialog's heading, or null when #modal-control is unchecked. */
  dialog(): Promise<string | null> {
    // One read of both, so a dialog closing between two reads is never half-seen.
    return this.page.evaluate(() => {
      const open = (document.getElementById('modal-control') as HTMLInputElement | null)?.checked === true;
      return open ? (document.querySelector('#modal-content h3')?.textContent ?? '') : null;
    });
  }

  async waitForDialog(heading: string | null, timeout = WAIT_MS): Promise<void> {
    await until(() => this.dialog(), (d) => d === heading, { timeout, what: `${this.label}'s dialog to be ${JSON.stringify(heading)}` });
  }

  async call(name: string): Promise<void> {
    await this.menuButton(`Call ${name}`);
  }

  async accept(): Promise<void> {
    await this.page.locator('#modal-content').getByRole('button', { name: 'Accept', exact: true }).click();
  }

  async decline(): Promise<void> {
    await this.page.locator('#modal-content').getByRole('button', { name: 'Decline', exact: true }).click();
  }

  async cancel(): Promise<void> {
    await this.menuButton('Cancel');
  }

  async hangUp(): Promise<void> {
    await this.menuButton('Hang up');
  }

  /**
   * Like a person: move the mouse (the navbar hides itself 3 s after the last activity during a call),
   * then click the menu entry; if the bar slid away again before the click landed (a loaded machine),
   * move again and retry, up to 20 s in all.
   */
  private async menuButton(name: string): Promise<void> {
    const button = this.page.locator('#nav-menu').getByRole('button', { name, exact: true });
    const deadline = Date.now() + 20_000;
    for (;;) {
      await this.page.mouse.move(200 + Math.random() * 100, 200 + Math.random() * 100);
      try {
        await button.click({ timeout: 2_000 });
        return;
      } catch (error: unknown) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  media(): Promise<MediaState> {
    return this.page.evaluate(async () => {
      const probe = (window as unknown as ProbedWindow).__e2e;
      const video = document.getElementById('media-player') as HTMLVideoElement;
      const stream = video.srcObject instanceof MediaStream ? video.srcObject : null;
      const remote = probe.pcs.flatMap((pc) => pc.getReceivers().map((r) => r.track));
      let framesDecoded = 0;
      let openPeerConnections = 0;
      for (const pc of probe.pcs) {
        if (pc.signalingState === 'closed') continue;
        openPeerConnections += 1;
        const report = await pc.getStats();
        report.forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') framesDecoded += s.framesDecoded ?? 0;
        });
      }
      const tracks = stream?.getTracks() ?? [];
      return {
        fit: video.classList.contains('fit-contain') ? ('contain' as const) : ('cover' as const),
        source: stream === null ? ('none' as const) : tracks.some((t) => remote.includes(t)) ? ('remote' as const) : ('local' as const),
        videoWidth: video.videoWidth,
        currentTime: video.currentTime,
        paused: video.paused,
        framesDecoded,
        liveRemoteTracks: remote.filter((t) => t.readyState === 'live').length,
        liveLocalTracks: probe.localStreams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
        openPeerConnections,
        kinds: tracks.map((t) => t.kind),
      };
    });
  }

  waitForMedia(done: (m: MediaState) => boolean, what: string, timeout = WAIT_MS): Promise<MediaState> {
    return until(() => this.media(), done, { timeout, what: `${this.label}'s media: ${what}` });
  }

  /**
   * Waits until #media-player plays the other side's video: remote stream shown contained,
   * videoWidth > 0, frames decoded > 0, and currentTime advancing between two looks.
   */
  async waitForRemoteVideo(timeout = WAIT_MS): Promise<MediaState> {
    const first = await this.waitForMedia(
      (m) => m.source === 'remote' && m.fit === 'contain' && m.videoWidth > 0 && m.framesDecoded > 0,
      'remote video with decoded frames',
      timeout,
    );
    return this.waitForMedia((m) => m.source === 'remote' && m.currentTime > first.currentTime, 'currentTime advancing', timeout);
  }

  /** Idle as the issue defines it: cover fit, no remote stream shown, no live remote or local track, no open connection. */
  waitForIdleMedia(timeout = WAIT_MS): Promise<MediaState> {
    return this.waitForMedia(
      (m) => m.fit === 'cover' && m.source !== 'remote' && m.liveRemoteTracks === 0 && m.liveLocalTracks === 0 && m.openPeerConnections === 0,
      'idle (cover fit, no remote stream, no live tracks, no open RTCPeerConnection)',
      timeout,
    );
  }

  /** Every RTCPeerConnection the page made, for the artifacts of a failed test. */
  diagnostics(): Promise<unknown> {
    return this.page.evaluate(async () => {
      const ufrag = (d: RTCSessionDescription | null): string | null => /a=ice-ufrag:(\S+)/.exec(d?.sdp ?? '')?.[1] ?? null;
      const video = document.getElementById('media-player') as HTMLVideoElement;
      const pcs = [];
      for (const pc of (window as unknown as ProbedWindow).__e2e.pcs) {
        const stats: string[] = [];
        if (pc.signalingState !== 'closed') {
          (await pc.getStats()).forEach((s: { type: string; state?: string; candidateType?: string; address?: string; framesDecoded?: number; kind?: string }) => {
            if (s.type === 'candidate-pair') stats.push(`pair ${s.state}`);
            if (s.type === 'local-candidate' || s.type === 'remote-candidate') stats.push(`${s.type} ${s.candidateType} ${s.address}`);
            if (s.type === 'inbound-rtp') stats.push(`inbound ${s.kind} decoded ${s.framesDecoded}`);
          });
        }
        pcs.push({
          signaling: pc.signalingState,
          ice: pc.iceConnectionState,
          gathering: pc.iceGatheringState,
          connection: pc.connectionState,
          localUfrag: ufrag(pc.localDescription),
          remoteUfrag: ufrag(pc.remoteDescription),
          senders: pc.getSenders().map((x) => `${x.track?.kind}:${x.track?.readyState}`),
          stats,
        });
      }
      return { status: document.getElementById('nav-status')?.textContent, videoClass: video.className, pcs };
    });
  }

  /** The page's last signalling frames. */
  frames(): Promise<string[]> {
    return this.page.evaluate(() => [...(window as unknown as ProbedWindow).__e2e.frames]);
  }

  /** CSP violation events the page saw. */
  cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => [...(window as unknown as ProbedWindow).__e2e.cspViolations]);
  }

  /** Whether the page defined `window.__pwned` (what the hostile names try to do). */
  pwned(): Promise<unknown> {
    return this.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);
  }

  /** Epoch ms when a `Call …` entry first appeared, and when the page finished loading. */
  loadAndFirstPeer(): Promise<{ loadedAt: number; firstPeerAt: number | null }> {
    return this.page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return { loadedAt: performance.timeOrigin + (nav?.loadEventEnd ?? 0), firstPeerAt: (window as unknown as ProbedWindow).__e2e.firstPeerAt };
    });
  }
}
