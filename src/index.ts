// Entry point (webpack): styles and this browser's shims, then the Peer on load and its end on pagehide.
import 'picnic/picnic.min.css';
import './app.css';
import type { Subscription } from 'rxjs';
import { applyBrowserShims } from './browser-shims';
import { readConfig } from './config';
import { consoleLogger } from './log';
import { loadName, type NameStore } from './peer/display-name';
import { runPeer } from './peer/peer';
import { loadAudioChoice } from './rtc/audio-devices';
import { callMedia$ } from './rtc/call-media';
import { createVertoClient } from './verto/client';
import { bareId } from './verto/inbound';
import { uuidV4 } from './uuid';
import { pageAlerts } from './view/page-alerts';
import { View } from './view/view';
import { webRtcProblem } from './webrtc-support';

/** Shows why the page cannot start, in the navbar and in the page, instead of a console error. */
function showError(doc: Document, text: string): void {
  const status = doc.getElementById('nav-status');
  if (status) status.textContent = text;
  const box = doc.createElement('main');
  box.className = 'page-error';
  box.setAttribute('role', 'alert');
  box.textContent = `verto-peer cannot start: ${text}.`;
  doc.body.append(box);
}

function storage(win: Window): NameStore {
  try {
    return win.localStorage; // the getter itself throws when storage is blocked
  } catch {
    const memory = new Map<string, string>();
    return { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => void memory.set(k, v) };
  }
}

/** Starts the page once; returns the Subscription whose unsubscribe leaves (close the call, publish `gone`). */
export function start(win: Window): Subscription | null {
  const doc = win.document;
  const config = readConfig(doc);
  if (!config.ok) {
    showError(doc, config.error);
    return null;
  }
  let view: View;
  try {
    view = new View(doc);
  } catch (error) {
    showError(doc, error instanceof Error ? error.message : 'the page is incomplete');
    return null;
  }
  const problem = webRtcProblem(win);
  if (problem) {
    showError(doc, problem);
    return null;
  }
  const { vertoUrl, channelId, login, password, iceServers, iceTransportPolicy } = config.config;
  const client = createVertoClient({ url: vertoUrl, channelId, login, password });
  const names = storage(win);
  const random = () => Math.random();
  const peerLog = consoleLogger('[verto-peer]');
  const subscription = runPeer({
    client,
    view,
    callMedia: callMedia$,
    iceServers,
    iceTransportPolicy,
    selfId: bareId(login),
    name: loadName(names, random),
    names,
    newCallId: () => uuidV4(win.crypto),
    random,
    log: (message, detail) => peerLog.debug(message, detail ?? ''),
    alerts: pageAlerts(win),
    audio: loadAudioChoice(names),
    mediaDevices: win.navigator.mediaDevices,
  }).subscribe({ error: (error: unknown) => showError(doc, `it stopped unexpectedly (${String(error)})`) });
  win.addEventListener('pagehide', () => subscription.unsubscribe(), { once: true });
  // Back from the back/forward cache the Peer is gone (pagehide ended it): start afresh.
  win.addEventListener('pageshow', (e) => {
    if (e.persisted) win.location.reload();
  });
  return subscription;
}

if (typeof window !== 'undefined') {
  // The shims' chunk loads while the document finishes parsing; the Peer starts when both are done.
  const shimmed = applyBrowserShims(window);
  const go = () => void shimmed.then(() => start(window), (error: unknown) => showError(document, `its browser shims did not load (${String(error)})`));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go, { once: true });
  else go();
}
