import { EMPTY, Observable, catchError, combineLatest, concatMap, defer, expand, filter, map, merge, of, shareReplay, skip, startWith, switchMap, take } from 'rxjs';
import { fromEvent } from '../dom-event';
import { deviceOptions, nextDevice, pickDevice, type AudioChoice, type AudioRole, type DeviceInfo, type DeviceOption } from './audio-devices';
import type { PeerPort } from './peer-port';
import { exactly, userMedia } from './user-media';

/** The browser, as a call's device choice uses it; Observables, so a test runs it in virtual time. */
export interface AudioIo {
  readonly list: () => Observable<readonly DeviceInfo[]>;
  readonly changes$: Observable<unknown>;
  /** A stream of that microphone ('' the default), once; one the browser delivers after unsubscribing is stopped. */
  readonly openMic: (id: string) => Observable<MediaStream>;
  /** setSinkId on the call's player; `null` where this browser cannot choose the speaker. */
  readonly setSpeaker: ((id: string) => Observable<unknown>) | null;
}

/** What the device choice tells the call: the devices and those in use, or trouble with one. */
export type CallAudioEvent =
  | { readonly kind: 'devices'; readonly mics: readonly DeviceOption[]; readonly speakers: readonly DeviceOption[] | null; readonly cameras: readonly DeviceOption[]; readonly mic: string; readonly speaker: string }
  /** `lost`: the device in use went away and the default took over; else switching to the chosen one failed and the old one stays. */
  | { readonly kind: 'device-trouble'; readonly role: AudioRole; readonly lost: boolean };

/** The microphone in use: its track, and the device last gone for (it may have failed). */
interface Mic {
  readonly track: MediaStreamTrack | undefined;
  readonly target: string;
  /** After a failure only a change of devices or choice tries again (no retry loop). */
  readonly failed: boolean;
}

/** The part of navigator.mediaDevices the device choice uses. */
export type AudioDevices = Pick<MediaDevices, 'enumerateDevices' | 'getUserMedia' | 'addEventListener' | 'removeEventListener'>;

/** `AudioIo` of navigator.mediaDevices and the player's setSinkId. */
export function browserAudio(devices: AudioDevices, setSpeaker: ((id: string) => Promise<void>) | null): AudioIo {
  return {
    list: () => defer(() => devices.enumerateDevices()),
    changes$: fromEvent(devices, 'devicechange'),
    openMic: (id) => userMedia(() => devices.getUserMedia({ audio: exactly(id) })),
    setSpeaker: setSpeaker && ((id) => defer(() => setSpeaker(id))),
  };
}

/**
 * The call's microphone and speaker, for as long as it is subscribed: follows the person's choice
 * (`choice$`, current first) and the device list (re-read on `devicechange`, and when the microphone's
 * track ends), swapping the sent microphone track without renegotiation (`replaceTrack`) and the
 * player's speaker. The new track takes the old one's place in `stream` (whose owner stops its tracks)
 * and keeps its mute. Unsubscribing stops a track still being opened and puts the speaker back to the default.
 */
export function callAudio$(stream: MediaStream, replaceTrack: PeerPort['replaceTrack'], choice$: Observable<AudioChoice>, io: AudioIo): Observable<CallAudioEvent> {
  return defer(() => {
    const inUse = { mic: '', speaker: '' };
    let speakerTarget = '';
    const lists$ = io.changes$.pipe(
      startWith(null),
      switchMap(() => io.list().pipe(catchError(() => of([])))),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    const now$ = combineLatest([choice$, lists$]);
    const snapshot = (list: readonly DeviceInfo[]): CallAudioEvent => ({
      kind: 'devices',
      mics: deviceOptions(list, 'mic'),
      speakers: io.setSpeaker === null ? null : deviceOptions(list, 'speaker'),
      cameras: deviceOptions(list, 'camera'), // the camera in use is src/rtc/video-sender.ts's
      ...inUse,
    });

    const moveMic = (mic: Mic, list: readonly DeviceInfo[], move: { id: string; lost: boolean }): Observable<[Mic, CallAudioEvent[]]> =>
      io.openMic(move.id).pipe(
        map((opened) => opened.getAudioTracks()[0]),
        concatMap((track) => {
          if (track === undefined) throw new Error('no microphone track');
          track.enabled = mic.track?.enabled ?? true; // a muted microphone stays muted
          stream.addTrack(track); // held by the stream from now on: its owner stops it when the call ends
          return replaceTrack('audio', track).pipe(
            map(() => track),
            catchError((error: unknown) => {
              stream.removeTrack(track);
              track.stop();
              throw error;
            }),
          );
        }),
        take(1),
        map((track): [Mic, CallAudioEvent[]] => {
          if (mic.track) {
            stream.removeTrack(mic.track);
            mic.track.stop();
          }
          inUse.mic = move.id;
          const told: CallAudioEvent[] = move.lost ? [{ kind: 'device-trouble', role: 'mic', lost: true }] : [];
          return [{ track, target: move.id, failed: false }, [...told, snapshot(list)]];
        }),
        catchError(() => of<[Mic, CallAudioEvent[]]>([{ ...mic, target: move.id, failed: true }, [{ kind: 'device-trouble', role: 'mic', lost: false }, snapshot(list)]])),
      );
    /** One step of the microphone: waits for a reason to move (the choice, the list, its track ending), then moves. */
    const micStep = ([mic]: [Mic, CallAudioEvent[]]): Observable<[Mic, CallAudioEvent[]]> => {
      const ended$ = mic.track === undefined ? EMPTY : fromEvent(mic.track, 'ended').pipe(switchMap(() => now$.pipe(take(1))));
      return merge(mic.failed ? now$.pipe(skip(1)) : now$, ended$).pipe(
        map(([choice, list]) => ({ list, move: nextDevice(list, 'mic', choice.mic, mic.target, mic.track?.readyState !== 'ended') })),
        filter((m): m is { list: readonly DeviceInfo[]; move: { id: string; lost: boolean } } => m.move !== null),
        take(1),
        concatMap(({ list, move }) => moveMic(mic, list, move)),
      );
    };
    // The stream was opened with the chosen microphone where it was listed (src/rtc/local-media.ts).
    const mic$ = now$.pipe(
      take(1),
      map(([choice, list]): [Mic, CallAudioEvent[]] => {
        const id = pickDevice(list, 'mic', choice.mic);
        inUse.mic = id;
        return [{ track: stream.getAudioTracks()[0], target: id, failed: false }, [snapshot(list)]];
      }),
      expand(micStep),
      concatMap(([, events]) => events),
    );

    const setSpeaker = io.setSpeaker;
    const speaker$ =
      setSpeaker === null ? EMPTY : now$.pipe(
        concatMap(([choice, list]) => {
          const move = nextDevice(list, 'speaker', choice.speaker, speakerTarget, true);
          if (move === null) return EMPTY;
          speakerTarget = move.id;
          return setSpeaker(move.id).pipe(
            map((): CallAudioEvent[] => {
              inUse.speaker = move.id;
              return move.lost ? [{ kind: 'device-trouble', role: 'speaker', lost: true }, snapshot(list)] : [snapshot(list)];
            }),
            catchError(() => of<CallAudioEvent[]>([{ kind: 'device-trouble', role: 'speaker', lost: false }])),
          );
        }),
        concatMap((events) => events),
      );
    // Device list changes that move nothing still reach the dialog.
    const listed$ = lists$.pipe(skip(1), map(snapshot));
    const reset$ = new Observable<never>(() => () => {
      if (inUse.speaker !== '') setSpeaker?.('').subscribe({ error: () => undefined });
    });
    return merge(reset$, mic$, speaker$, listed$);
  });
}
