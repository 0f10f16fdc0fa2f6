import type { BrowserContext } from 'playwright-core';
import type { Client, TestRun } from './support/session';
import { useSuite } from './support/session';
import { until } from './support/wait';

const { scenario } = useSuite();

/**
 * Headless Chromium starts every AudioContext `running` whatever --autoplay-policy says (checked with
 * document-user-activation-required and user-gesture-required), so R3 emulates desktop Chromium's policy
 * (document-user-activation-required) with an init script: a context made before any click on the page
 * suspends itself, and `resume()` works only once the page has had one: a trusted pointerdown or keydown
 * (navigator.userActivation is no guide here: Playwright's page set-up already marks it active).
 */
async function emulateAutoplayPolicy(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    let activated = false;
    const activate = (e: Event): void => {
      if (e.isTrusted) activated = true;
    };
    window.addEventListener('pointerdown', activate, true);
    window.addEventListener('keydown', activate, true);
    const Native = window.AudioContext;
    window.AudioContext = class extends Native {
      constructor(options?: AudioContextOptions) {
        super(options);
        if (!activated) void this.suspend();
      }
      override resume(): Promise<void> {
        return activated ? super.resume() : Promise.reject(new DOMException('not allowed to start', 'NotAllowedError'));
      }
    };
  });
}

/** What the page sounds: an init script wraps AudioContext and records every oscillator it starts. */
interface AudioProbe {
  /** Frequencies of started, not yet ended oscillators in contexts that are `running`. */
  sounding(): number[];
  /** Every context's state, in creation order. */
  states(): string[];
}

async function probeAudio(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const contexts: AudioContext[] = [];
    const sources: { ctx: AudioContext; frequency: number; started: boolean; ended: boolean }[] = [];
    const Native = window.AudioContext;
    window.AudioContext = class extends Native {
      constructor(options?: AudioContextOptions) {
        super(options);
        contexts.push(this);
      }
      override createOscillator(): OscillatorNode {
        const node = super.createOscillator();
        const record = { ctx: this as AudioContext, frequency: 0, started: false, ended: false };
        sources.push(record);
        const start = node.start.bind(node);
        node.start = (when?: number) => {
          record.started = true;
          record.frequency = node.frequency.value;
          start(when);
        };
        node.addEventListener('ended', () => {
          record.ended = true;
        });
        return node;
      }
    };
    const probe: AudioProbe = {
      sounding: () => sources.filter((s) => s.started && !s.ended && s.ctx.state === 'running').map((s) => s.frequency),
      states: () => contexts.map((c) => c.state),
    };
    Object.defineProperty(window, '__audio', { value: probe });
  });
}

const RING = [660, 880];
const RINGBACK = [440, 480];

async function sounding(client: Client, expected: readonly number[]): Promise<void> {
  await until(
    () => client.page.evaluate(() => (window as unknown as { __audio: AudioProbe }).__audio.sounding()),
    (freqs) => JSON.stringify([...freqs].sort()) === JSON.stringify(expected),
    { timeout: 10_000, what: `${client.peer.label} to sound ${JSON.stringify(expected)}` },
  );
}
/** Silence, and every context the ringer made closed (it lives only as long as its tone). */
async function silent(client: Client): Promise<void> {
  await sounding(client, []);
  await until(
    () => client.page.evaluate(() => (window as unknown as { __audio: AudioProbe }).__audio.states()),
    (states) => states.every((s) => s === 'closed'),
    { timeout: 10_000, what: `${client.peer.label}'s AudioContexts to be closed` },
  );
}

/** Emulates a hidden tab by overriding `document.visibilityState` and firing `visibilitychange` (headless pages are always "visible"). */
const setHidden = (client: Client, hidden: boolean): Promise<void> =>
  client.page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

async function pair(run: TestRun, gestureRequired = false): Promise<[Client, Client]> {
  const routes = async (context: BrowserContext) => {
    if (gestureRequired) await emulateAutoplayPolicy(context);
    await probeAudio(context);
  };
  const [alice, bob] = await Promise.all([run.open('alice', { name: 'Alice', routes }), run.open('bob', { name: 'Bob', routes })]);
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);
  return [alice, bob];
}

scenario('R1. ring on the callee, ringback on the caller, both stop at Accept; a hidden callee tab names the caller', async (run) => {
  const [alice, bob] = await pair(run);
  await setHidden(bob, true);
  await alice.peer.call('Bob');
  await bob.peer.waitForDialog('Alice is calling');
  await Promise.all([sounding(bob, RING), sounding(alice, RINGBACK)]);
  expect(await bob.page.title()).toBe('Alice is calling — verto-peer');
  expect(await alice.page.title()).toBe('verto-peer');
  await setHidden(bob, false);
  expect(await bob.page.title()).toBe('verto-peer');
  await bob.peer.accept();
  await Promise.all([silent(bob), silent(alice)]);
  await bob.peer.waitForStatus(/^In a call with Alice$/);
});

scenario('R2. decline stops both tones; a rescinded call stops the ring', async (run) => {
  const [alice, bob] = await pair(run);
  await alice.peer.call('Bob');
  await Promise.all([sounding(bob, RING), sounding(alice, RINGBACK)]);
  await bob.peer.decline();
  await Promise.all([silent(bob), silent(alice)]);

  await alice.peer.call('Bob');
  await Promise.all([sounding(bob, RING), sounding(alice, RINGBACK)]);
  await alice.peer.cancel();
  await Promise.all([silent(bob), silent(alice)]);
  await bob.peer.waitForDialog(null);
});

scenario('R3. desktop Chromium’s autoplay policy (emulated): the page says sound is blocked, and the first click starts the ring', async (run) => {
  const [alice, bob] = await pair(run, true);
  await alice.peer.call('Bob'); // Alice clicked Call: her page may sound
  await bob.peer.waitForDialog('Alice is calling');
  const notice = bob.page.locator('#sound-blocked');
  await notice.waitFor({ state: 'visible', timeout: 10_000 });
  expect(await notice.textContent()).toBe('Sound is blocked — click anywhere to hear the ring');
  expect(await bob.page.evaluate(() => (window as unknown as { __audio: AudioProbe }).__audio.states())).toEqual(['suspended']);
  await bob.page.mouse.click(20, 600); // on the overlay around the dialog (it does not close a ringing dialog)
  await sounding(bob, RING);
  await notice.waitFor({ state: 'detached', timeout: 10_000 });
  await bob.peer.waitForDialog('Alice is calling');
  await bob.peer.decline();
  await silent(bob);
});
