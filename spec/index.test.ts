import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defer, NEVER, of, Subject, throwError, type Observable } from 'rxjs';
import type { ClientStatus, PeerEnvelope, PresenceEvent, VertoClient } from '../src/verto/client-types';

const calls: string[] = [];
/** What the fake client's streams deliver in the current test (replaced per test). */
const feed: { status$: Observable<ClientStatus>; presence$: Observable<PresenceEvent>; peerMessages$: Observable<PeerEnvelope> } = { status$: NEVER, presence$: NEVER, peerMessages$: NEVER };
const fakeClient: VertoClient = {
  status$: defer(() => feed.status$),
  presence$: defer(() => feed.presence$),
  peerMessages$: defer(() => feed.peerMessages$),
  subscribed$: NEVER,
  connect: () => calls.push('connect'),
  publishPresence: (p) => calls.push(`publish ${p.status} ${p.name ?? ''}`),
  send: (to, message) => calls.push(`send ${to} ${JSON.stringify(message)}`),
  disconnect: () => calls.push('disconnect'),
  setInCall: () => undefined,
};
const createVertoClient = jest.fn((_options: unknown) => fakeClient);
jest.mock('../src/verto/client', () => ({ createVertoClient: (options: unknown) => createVertoClient(options) }));
jest.mock('../src/rtc/call-media', () => ({ callMedia$: () => { throw new Error('no call in this test'); } }));

import { start } from '../src/index';

const page = readFileSync(join(__dirname, '../static/channel.html'), 'utf8');
function loadPage(config?: string) {
  document.documentElement.innerHTML = new DOMParser().parseFromString(page, 'text/html').documentElement.innerHTML;
  if (config !== undefined) {
    const script = document.createElement('script');
    script.type = 'application/json';
    script.id = 'channel-config';
    script.textContent = config;
    document.body.append(script);
  }
}

/** jsdom has no WebRTC and no secure-context flag: give the window what a capable browser has. */
function capableBrowser(over: { isSecureContext?: boolean; RTCPeerConnection?: unknown; mediaDevices?: unknown } = {}) {
  const env = { isSecureContext: true, RTCPeerConnection: class {}, mediaDevices: { getUserMedia: () => Promise.reject(new Error('not in this test')) }, ...over };
  Object.defineProperty(window, 'isSecureContext', { value: env.isSecureContext, configurable: true });
  Object.defineProperty(window, 'RTCPeerConnection', { value: env.RTCPeerConnection, configurable: true });
  Object.defineProperty(navigator, 'mediaDevices', { value: env.mediaDevices, configurable: true });
}
const CONFIG = JSON.stringify({ vertoUrl: 'wss://pbx.example/clients', channelId: 'C1', login: 'ann@pbx.example', password: 'pw' });

describe('index (page entry)', () => {
  beforeEach(() => {
    calls.length = 0;
    createVertoClient.mockClear();
    localStorage.clear();
    capableBrowser();
    feed.status$ = of({ kind: 'connecting', attempt: 0 });
    feed.presence$ = NEVER;
    feed.peerMessages$ = NEVER;
  });

  it('a missing configuration is shown on the page and in the status, not as a console error', () => {
    const consoleError = jest.spyOn(console, 'error');
    loadPage();
    expect(start(window)).toBeNull();
    expect(document.getElementById('nav-status')?.textContent).toContain('no channel configuration');
    expect(document.querySelector('.page-error[role="alert"]')?.textContent).toContain('cannot start');
    expect(consoleError).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
    consoleError.mockRestore();
  });

  it('an invalid configuration says what is wrong', () => {
    loadPage('{"vertoUrl": "wss://x/clients"}');
    expect(start(window)).toBeNull();
    expect(document.getElementById('nav-status')?.textContent).toBe('the channel configuration has no channelId');
  });

  it('starts once with a readable default name, and leaves on pagehide', () => {
    loadPage(CONFIG);
    const sub = start(window);
    expect(sub).not.toBeNull();
    const name = localStorage.getItem('verto-peer.name') ?? '';
    expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(createVertoClient).toHaveBeenLastCalledWith({ url: 'wss://pbx.example/clients', channelId: 'c1', login: 'ann@pbx.example', password: 'pw' });
    expect(calls).toEqual([`publish available ${name}`, 'connect']);
    expect(document.getElementById('nav-status')?.textContent).toBe('Connecting…');
    expect(document.getElementById('nav-menu')?.textContent).toBe(`Name: ${name}`);

    window.dispatchEvent(new Event('pagehide'));
    expect(calls.at(-1)).toBe('disconnect');
    expect(sub?.closed).toBe(true);
  });

  it.each([
    ['a page that is not a secure context (plain http)', { isSecureContext: false, mediaDevices: undefined }, 'video calls need a secure page: open it over https (or on localhost)'],
    ['a browser without RTCPeerConnection', { RTCPeerConnection: undefined }, 'this browser cannot make video calls (it has no WebRTC)'],
    ['a browser without getUserMedia', { mediaDevices: undefined }, 'this browser cannot use a camera here (no getUserMedia)'],
  ])('on %s it says why calls cannot work, on the page and in the status, and does not connect', (_case, over, text) => {
    capableBrowser(over);
    loadPage(CONFIG);
    expect(start(window)).toBeNull();
    expect(document.getElementById('nav-status')?.textContent).toBe(text);
    expect(document.querySelector('.page-error[role="alert"]')?.textContent).toBe(`verto-peer cannot start: ${text}.`);
    expect(createVertoClient).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });


  it('a page without the navbar menu says what is missing', () => {
    loadPage(CONFIG);
    document.getElementById('nav-menu')?.remove();
    expect(start(window)).toBeNull();
    expect(document.getElementById('nav-status')?.textContent).toBe('this page has no #nav-menu');
  });

  it('keeps the name in memory when localStorage is blocked', () => {
    const blocked = jest.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    try {
      loadPage(CONFIG);
      const sub = start(window);
      expect(sub).not.toBeNull();
      expect(document.getElementById('nav-menu')?.textContent).toMatch(/^Name: [A-Z][a-z]+ [A-Z][a-z]+$/);
      sub?.unsubscribe();
    } finally {
      blocked.mockRestore();
    }
  });

  it('shows an unexpected end of the Peer on the page instead of failing silently', () => {
    feed.status$ = throwError(() => new Error('boom'));
    loadPage(CONFIG);
    start(window);
    expect(document.getElementById('nav-status')?.textContent).toBe('it stopped unexpectedly (Error: boom)');
  });

  it('writes the Peer\'s debug lines only with the debug flag', () => {
    const debug = jest.spyOn(console, 'debug').mockImplementation(() => undefined);
    const messages = new Subject<PeerEnvelope>();
    feed.peerMessages$ = messages;
    try {
      loadPage(CONFIG);
      const quiet = start(window);
      messages.next({ from: 'bo', message: { peerAction: 'nope' } });
      quiet?.unsubscribe();
      expect(debug).not.toHaveBeenCalled();
      localStorage.setItem('verto-peer:debug', '1');
      loadPage(CONFIG);
      const loud = start(window);
      messages.next({ from: 'bo', message: { peerAction: 'nope' } });
      loud?.unsubscribe();
      expect(debug.mock.calls.map((c) => c[0] as string)).toEqual(['[verto-peer] dropped a peer message from bo: nope without a valid callId']);
    } finally {
      debug.mockRestore();
    }
  });

  it('shows a peer\'s name from the wire cleaned by the display-name rule (verto passes it on as sent)', () => {
    const presence = new Subject<PresenceEvent>();
    feed.presence$ = presence;
    feed.status$ = of<ClientStatus>({ kind: 'online' });   // only online are peers callable
    loadPage(CONFIG);
    const sub = start(window);
    presence.next({ from: 'bo', status: 'available', name: ` \u202eBo\u0007 ${'o'.repeat(40)}` });
    const button = document.querySelector('[data-intent="call"][data-peer="bo"]');
    expect(button?.textContent).toContain(`Bo ${'o'.repeat(29)}`);
    for (const unsafe of ['\u202e', '\u0007', 'o'.repeat(30)]) expect(button?.textContent).not.toContain(unsafe);
    sub?.unsubscribe();
  });
});
