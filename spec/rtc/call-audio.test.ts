// The call's microphone and speaker against a fake browser in virtual time (1 frame = 1 ms).
import { NEVER, defer, filter, firstValueFrom, of, startWith, tap, throwError, type Observable } from 'rxjs';
import { callMedia$ } from '../../src/rtc/call-media';
import { quietPort } from './quiet-port';
import { marbles } from 'rxjs-marbles/jest';
import type { Context } from 'rxjs-marbles';
import type { AudioChoice, DeviceInfo } from '../../src/rtc/audio-devices';
import { browserAudio, callAudio$, type AudioIo, type CallAudioEvent } from '../../src/rtc/call-audio';

class Track extends EventTarget {
  readonly kind = 'audio';
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  constructor(readonly label: string) {
    super();
  }
  stop(): void {
    this.readyState = 'ended';
  }
}

class Stream {
  tracks: Track[] = [];
  constructor(...tracks: Track[]) {
    this.tracks = tracks;
  }
  getAudioTracks(): Track[] {
    return [...this.tracks];
  }
  getTracks(): Track[] {
    return [...this.tracks];
  }
  addTrack(t: Track): void {
    this.tracks.push(t);
  }
  removeTrack(t: Track): void {
    this.tracks = this.tracks.filter((x) => x !== t);
  }
}

const mic = (deviceId: string): DeviceInfo => ({ kind: 'audioinput', deviceId, label: deviceId });
const out = (deviceId: string): DeviceInfo => ({ kind: 'audiooutput', deviceId, label: deviceId });
const ALL = [mic('default'), mic('headset'), out('out1'), out('usb')];
const choice = (m: string, speaker = ''): AudioChoice => ({ mic: m, speaker });

interface Script {
  /** Device lists in force from these virtual times on (the first at 0); each one after the first fires `devicechange`. */
  readonly lists: readonly (readonly [number, readonly DeviceInfo[]])[];
  /** The person's choices from these times on (the first at 0). */
  readonly choices: readonly (readonly [number, AudioChoice])[];
  readonly failOpen?: readonly string[];
  readonly speaker?: boolean;
  /** Times when the microphone in use ends by itself. */
  readonly ends?: readonly number[];
  readonly muted?: boolean;
  readonly failReplace?: boolean;
}

/** Runs callAudio$ over one stream; returns what happened, each with its virtual time. */
function run(m: Context, script: Script, until = 100) {
  const log: string[] = [];
  const at = (line: string) => log.push(`${m.scheduler.now()} ${line}`);
  const first = new Track('initial');
  first.enabled = !script.muted;
  const stream = new Stream(first);
  let devices = script.lists[0][1];
  const hotAt = <T>(timed: readonly (readonly [number, T])[]): Observable<T> => {
    const values: Record<string, T> = {};
    let diagram = '';
    let frame = 0;
    timed.forEach(([t, v], i) => {
      const key = String.fromCharCode(97 + i);
      diagram += `${t > frame ? ` ${t - frame}ms ` : ''}${key}`;
      values[key] = v;
      frame = t + 1;
    });
    return m.hot(diagram, values);
  };
  const changes$ = hotAt(script.lists.slice(1)).pipe(tap((l) => (devices = l)));
  let chosen = script.choices[0][1];
  const choices$ = hotAt(script.choices.slice(1)).pipe(tap((c) => (chosen = c)));
  const io: AudioIo = {
    list: () => defer(() => of(devices)),
    changes$,
    openMic: (id) =>
      defer(() => {
        at(`open ${id || 'default'}`);
        return script.failOpen?.includes(id) ? throwError(() => new Error('NotReadableError')) : m.cold('-s|', { s: new Stream(new Track(id || 'default')) as unknown as MediaStream });
      }),
    setSpeaker: script.speaker === false ? null : (id) => defer(() => {
      at(`speaker ${id || 'default'}`);
      return id === 'broken' ? throwError(() => new Error('NotFoundError')) : of(undefined);
    }),
  };
  const replaceTrack = (kind: 'audio' | 'video', track: MediaStreamTrack | null) => {
    const t = track as unknown as Track;
    at(`replace ${kind} ${t.label}${t.enabled ? '' : ' (muted)'}`);
    return script.failReplace ? m.cold<void>('-#', {}, new Error('InvalidStateError')) : m.cold('-r|', { r: undefined as void });
  };
  for (const t of script.ends ?? []) {
    m.scheduler.schedule(() => {
      const track = stream.getAudioTracks()[0];
      track.stop();
      track.dispatchEvent(new Event('ended'));
    }, t);
  }
  const describe = (e: CallAudioEvent) => (e.kind === 'devices' ? `devices ${e.mic || 'default'} / ${e.speaker || 'default'}${e.speakers === null ? ' (no speakers)' : ''}` : `${e.role} ${e.lost ? 'lost' : 'failed'}`);
  const sub = callAudio$(stream as unknown as MediaStream, replaceTrack, defer(() => choices$.pipe(startWith(chosen))), io).subscribe((e) => at(describe(e)));
  m.scheduler.schedule(() => sub.unsubscribe(), until);
  m.scheduler.flush();
  return { log, stream, first };
}

describe('callAudio$', () => {
  it('a chosen microphone: opened exactly, swapped on the sender, the old track stopped, the mute kept', marbles((m) => {
    const r = run(m, { lists: [[0, ALL]], choices: [[0, choice('')], [10, choice('headset')]], muted: true });
    expect(r.log).toEqual(['0 devices default / default', '10 open headset', '11 replace audio headset (muted)', '12 devices headset / default']);
    expect(r.first.readyState).toBe('ended');
    expect(r.stream.tracks.map((t) => [t.label, t.enabled])).toEqual([['headset', false]]);
  }));

  it('devicechange without the microphone in use: the default, told; plugged back: the chosen one again, silently', marbles((m) => {
    const without = ALL.filter((d) => d.deviceId !== 'headset');
    const r = run(m, { lists: [[0, ALL], [20, without], [40, ALL]], choices: [[0, choice('headset')]] });
    expect(r.log).toEqual([
      '0 devices headset / default', // the stream was opened on it (local media had the choice)
      '20 open default', '20 devices headset / default', '21 replace audio default', '22 mic lost', '22 devices default / default',
      '40 devices default / default', '40 open headset', '41 replace audio headset', '42 devices headset / default',
    ]);
    expect(r.stream.tracks.map((t) => t.label)).toEqual(['headset']);
  }));

  it('a device list change that moves nothing still reaches the dialog', marbles((m) => {
    const r = run(m, { lists: [[0, ALL], [20, [...ALL, mic('webcam-mic')]]], choices: [[0, choice('')]] });
    expect(r.log).toEqual(['0 devices default / default', '20 devices default / default']);
  }));

  it('the default microphone\'s track ends (unplugged): a fresh default track, told', marbles((m) => {
    const r = run(m, { lists: [[0, ALL]], choices: [[0, choice('')]], ends: [30] });
    expect(r.log).toEqual(['0 devices default / default', '30 open default', '31 replace audio default', '32 mic lost', '32 devices default / default']);
  }));

  it('a microphone that fails to open: told, the old one stays; tried again only on a new choice', marbles((m) => {
    const r = run(m, { lists: [[0, ALL], [50, [...ALL, mic('other')]]], choices: [[0, choice('')], [10, choice('headset')], [60, choice('other')]], failOpen: ['headset'] });
    expect(r.log).toEqual(['0 devices default / default', '10 open headset', '10 mic failed', '10 devices default / default', '50 devices default / default', '60 open other', '61 replace audio other', '62 devices other / default']);
    expect(r.stream.tracks.map((t) => t.label)).toEqual(['other']);
  }));

  it('a sender that refuses the track: told, the new track stopped and out of the stream, the old one stays', marbles((m) => {
    const r = run(m, { lists: [[0, ALL]], choices: [[0, choice('')], [10, choice('headset')]], failReplace: true });
    expect(r.log).toEqual(['0 devices default / default', '10 open headset', '11 replace audio headset', '12 mic failed', '12 devices default / default']);
    expect(r.stream.tracks).toEqual([r.first]);
  }));

  it('the default cannot be opened again after its track ended: told once, no retry loop', marbles((m) => {
    const r = run(m, { lists: [[0, ALL], [50, ALL]], choices: [[0, choice('')]], ends: [10], failOpen: [''] });
    expect(r.log).toEqual(['0 devices default / default', '10 open default', '10 mic failed', '10 devices default / default', '50 devices default / default', '50 open default', '50 mic failed', '50 devices default / default']);
  }));

  it('the speaker: the chosen one set, the default when it is unplugged (told), the default again when the call ends', marbles((m) => {
    const r = run(m, { lists: [[0, ALL], [30, ALL.filter((d) => d.deviceId !== 'usb')]], choices: [[0, choice('', 'usb')]] });
    expect(r.log).toEqual(['0 devices default / default', '0 speaker usb', '0 devices default / usb', '30 speaker default', '30 speaker lost', '30 devices default / default', '30 devices default / default']);
  }));

  it('a speaker chosen in the call is put back to the default when the call ends', marbles((m) => {
    const r = run(m, { lists: [[0, ALL]], choices: [[0, choice('', 'out1')]] }, 60);
    expect(r.log.slice(-1)).toEqual(['60 speaker default']);
  }));

  it('a speaker that cannot be set: told', marbles((m) => {
    const r = run(m, { lists: [[0, [...ALL, out('broken')]]], choices: [[0, choice('')], [5, choice('', 'broken')]] });
    expect(r.log).toEqual(['0 devices default / default', '5 speaker broken', '5 speaker failed']);
  }));

  it('a browser without setSinkId lists no speakers and sets none', marbles((m) => {
    const n = run(m, { lists: [[0, ALL]], choices: [[0, choice('', 'usb')]], speaker: false });
    expect(n.log).toEqual(['0 devices default / default (no speakers)']);
  }));
});

describe('callMedia$ local event', () => {
  it('carries the port\'s replaceTrack, for the device choice (the impolite side: its tracks go on at once)', async () => {
    const calls: string[] = [];
    const stream = new Stream(new Track('initial')) as unknown as MediaStream;
    const port = quietPort({ replaceTrack: (kind) => of(void calls.push(kind)) });
    const local = await firstValueFrom(
      callMedia$({ polite: false, iceServers: [] }, NEVER, NEVER, { localMedia: () => of(stream), createPort: () => port, log: () => undefined }).pipe(filter((e) => e.kind === 'local')),
    );
    await firstValueFrom(local.replaceTrack?.('audio', null) ?? of(undefined));
    expect(calls).toEqual(['audio']);
  });
});

describe('browserAudio', () => {
  const fakeDevices = (stream: Stream) => {
    let resolve: (s: MediaStream) => void = () => undefined;
    const requests: MediaStreamConstraints[] = [];
    const target = new EventTarget();
    const devices = Object.assign(target, {
      enumerateDevices: () => Promise.resolve(ALL as MediaDeviceInfo[]),
      getUserMedia: (c: MediaStreamConstraints) => {
        requests.push(c);
        return new Promise<MediaStream>((r) => (resolve = r));
      },
    });
    return { devices, requests, deliver: () => resolve(stream as unknown as MediaStream) };
  };

  it('opens a device exactly, the default with `true`; a stream delivered after unsubscribing is stopped', async () => {
    const late = new Stream(new Track('headset'));
    const f = fakeDevices(late);
    const io = browserAudio(f.devices, null);
    io.openMic('headset').subscribe().unsubscribe();
    f.deliver();
    await Promise.resolve();
    expect(late.tracks[0].readyState).toBe('ended');
    const got: MediaStream[] = [];
    io.openMic('').subscribe((s) => got.push(s));
    f.deliver();
    await Promise.resolve();
    expect(got).toHaveLength(1);
    expect(f.requests).toEqual([{ audio: { deviceId: { exact: 'headset' } } }, { audio: true }]);
    expect(io.setSpeaker).toBeNull();
  });

  it('a refused microphone is an error of its Observable', async () => {
    const devices = Object.assign(new EventTarget(), { getUserMedia: () => Promise.reject(new Error('NotAllowedError')) });
    await expect(firstValueFrom(browserAudio(devices as unknown as MediaDevices, null).openMic('x'))).rejects.toThrow('NotAllowedError');
  });

  it('lists the devices and sets the speaker through the given function', async () => {
    const sinks: string[] = [];
    const io = browserAudio(fakeDevices(new Stream()).devices, (id) => Promise.resolve(void sinks.push(id)));
    const lists: (readonly DeviceInfo[])[] = [];
    io.list().subscribe((l) => lists.push(l));
    io.setSpeaker?.('usb').subscribe();
    await Promise.resolve();
    await Promise.resolve();
    expect(lists).toEqual([ALL]);
    expect(sinks).toEqual(['usb']);
  });
});
