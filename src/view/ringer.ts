import { distinctUntilChanged, EMPTY, filter, map, merge, Observable, switchMap, tap, timer } from 'rxjs';
import type { CallAlert } from './ui-types';

/** ring: someone calls us; ringback: we call and wait for the answer; null: silence. */
export type Tone = 'ring' | 'ringback' | null;

/** Which tone a call sounds (pure): ringing rings, offering rings back, anything else (or no call) is silent. */
export function toneFor(alert: CallAlert): Tone {
  if (alert?.phase === 'ringing') return 'ring';
  if (alert?.phase === 'offering') return 'ringback';
  return null;
}

/** A tone's cadence: frequencies mixed, volume, and on/off seconds within each period. */
export interface Cadence {
  readonly frequencies: readonly number[];
  readonly volume: number;
  readonly bursts: readonly (readonly [start: number, end: number])[];
  readonly periodS: number;
}

/** ring: two short bursts of a bright two-tone chirp every 4 s; ringback: the familiar 440 + 480 Hz, 2 s on, 4 s off, softer. */
export const CADENCES: Readonly<Record<'ring' | 'ringback', Cadence>> = {
  ring: { frequencies: [660, 880], volume: 0.2, bursts: [[0, 0.4], [0.6, 1.0]], periodS: 4 },
  ringback: { frequencies: [440, 480], volume: 0.08, bursts: [[0, 2]], periodS: 6 },
};

const RAMP_S = 0.02; // soft edges: no clicks

/** The gain changes of one period starting at `t` (pure): [time, value, ramp?] in AudioContext seconds. */
export function envelope(cadence: Cadence, t: number): readonly { readonly at: number; readonly value: number; readonly ramp: boolean }[] {
  return cadence.bursts.flatMap(([start, end]) => [
    { at: t + start, value: 0, ramp: false },
    { at: t + start + RAMP_S, value: cadence.volume, ramp: true },
    { at: t + end, value: cadence.volume, ramp: false },
    { at: t + end + RAMP_S, value: 0, ramp: true },
  ]);
}

/** What the ringer needs of the page: a fresh AudioContext, and the person's gestures (which unblock autoplay). */
export interface RingerDeps {
  readonly createContext: () => AudioContext;
  readonly gesture$: Observable<unknown>;
  /** True while a tone should sound but the browser keeps the context suspended (autoplay policy). */
  readonly setBlocked: (blocked: boolean) => void;
}

/**
 * One tone for as long as it is subscribed: its own AudioContext (closed at unsubscribe), oscillators
 * into one gain whose envelope is scheduled a period ahead, every period. While the context is
 * suspended (autoplay policy: no gesture yet), the page says so and the next gesture resumes it.
 */
export function tone$(tone: 'ring' | 'ringback', deps: RingerDeps): Observable<never> {
  return new Observable<never>(() => {
    const cadence = CADENCES[tone];
    const ctx = deps.createContext();
    const gain = ctx.createGain();
    gain.gain.value = 0;
    gain.connect(ctx.destination);
    const oscillators = cadence.frequencies.map((frequency) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = frequency;
      osc.connect(gain);
      osc.start();
      return osc;
    });
    const schedule = (): void => {
      const t = ctx.currentTime;
      for (const step of envelope(cadence, t)) {
        if (step.ramp) gain.gain.linearRampToValueAtTime(step.value, step.at);
        else gain.gain.setValueAtTime(step.value, step.at);
      }
    };
    const suspended = (): boolean => ctx.state === 'suspended';
    const work = merge(
      timer(0, cadence.periodS * 1000).pipe(tap(schedule)),
      // Blocked (suspended by the autoplay policy, at the start or later): a gesture may resume it; the
      // context's statechange clears the notice.
      deps.gesture$.pipe(
        filter(suspended),
        tap(() => void ctx.resume().catch(() => undefined)),
      ),
    ).subscribe();
    const onState = (): void => deps.setBlocked(suspended());
    ctx.addEventListener('statechange', onState);
    deps.setBlocked(suspended());
    return () => {
      work.unsubscribe();
      ctx.removeEventListener('statechange', onState);
      for (const osc of oscillators) osc.stop();
      deps.setBlocked(false);
      void ctx.close().catch(() => undefined);
    };
  });
}

/** The tone of each call state, switched as the phase changes: answer, decline, rescind and timeout all end it. */
export function ringer$(alert$: Observable<CallAlert>, deps: RingerDeps): Observable<never> {
  return alert$.pipe(
    map(toneFor),
    distinctUntilChanged(),
    switchMap((tone) => (tone === null ? EMPTY : tone$(tone, deps))),
  );
}

/** The page's short "sound is blocked" line, shown next to the status while it applies. */
export function blockedNotice(doc: Document): (blocked: boolean) => void {
  let notice: HTMLElement | null = null;
  return (blocked) => {
    if (!blocked) {
      notice?.remove();
      notice = null;
      return;
    }
    if (notice) return;
    notice = doc.createElement('span');
    notice.id = 'sound-blocked';
    notice.className = 'label warning'; // Picnic's badge: visible next to the status without styles of our own
    notice.setAttribute('role', 'status');
    notice.textContent = 'Sound is blocked — click anywhere to hear the ring';
    const status = doc.getElementById('nav-status');
    if (status) status.after(notice);
    else doc.body.append(notice);
  };
}
