// A small stand-in for MediaStream, MediaStreamTrack and navigator.mediaDevices (jsdom has none).
import type { MediaDevicesLike } from '../../src/rtc/local-media';

let nextId = 0;
const newId = (prefix: string) => `${prefix}${++nextId}`;

/** An EventTarget like the browser's (the video sender listens for `ended`). */
export class FakeTrack extends EventTarget {
  readonly id: string;
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  constructor(
    readonly kind: 'audio' | 'video',
    id?: string,
  ) {
    super();
    this.id = id ?? newId(kind);
  }
  stop(): void {
    this.readyState = 'ended';
  }
}

export class FakeMediaStream {
  readonly id: string;
  private readonly tracks: FakeTrack[];
  constructor(tracks: readonly FakeTrack[] = [], id?: string) {
    this.tracks = [...tracks];
    this.id = id ?? newId('stream');
  }
  getTracks(): FakeTrack[] {
    return [...this.tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }
  addTrack(track: FakeTrack): void {
    if (!this.tracks.includes(track)) this.tracks.push(track);
  }
}

export const asStream = (s: FakeMediaStream) => s as unknown as MediaStream;
export const asTrack = (t: FakeTrack) => t as unknown as MediaStreamTrack;

/** A DOMException-like error with the browser's names (jsdom's DOMException would do too). */
export const domError = (name: string, message = name): Error => Object.assign(new Error(message), { name });

export interface FakeDevicesOptions {
  readonly cameras?: number;
  readonly microphones?: number;
  /** Makes getUserMedia reject with this error name (e.g. NotAllowedError), for requests with video or always. */
  readonly rejectWith?: string;
  readonly rejectVideoOnly?: boolean;
  readonly enumerateFails?: boolean;
}

/** Fake navigator.mediaDevices: answers from a device list; records every request and every stream handed out. */
export class FakeMediaDevices implements MediaDevicesLike {
  readonly requests: MediaStreamConstraints[] = [];
  readonly handedOut: FakeMediaStream[] = [];
  private release: () => void = () => undefined;
  private held: Promise<void> = Promise.resolve();

  constructor(private readonly options: FakeDevicesOptions = {}) {}

  /** Makes getUserMedia wait until `resume()` (a permission prompt the user has not answered yet). */
  hold(): () => void {
    this.held = new Promise((resolve) => {
      this.release = resolve;
    });
    return () => this.release();
  }

  enumerateDevices(): Promise<Pick<MediaDeviceInfo, 'kind'>[]> {
    if (this.options.enumerateFails) return Promise.reject(domError('NotSupportedError'));
    const { cameras = 1, microphones = 1 } = this.options;
    return Promise.resolve([
      ...Array.from({ length: cameras }, () => ({ kind: 'videoinput' as const })),
      ...Array.from({ length: microphones }, () => ({ kind: 'audioinput' as const })),
      { kind: 'audiooutput' as const },
    ]);
  }

  async getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    this.requests.push(constraints);
    await this.held;
    const { rejectWith, rejectVideoOnly, cameras = 1, microphones = 1 } = this.options;
    if (rejectWith !== undefined && (!rejectVideoOnly || constraints.video)) throw domError(rejectWith);
    if ((constraints.video && cameras === 0) || (constraints.audio && microphones === 0)) {
      throw domError('NotFoundError', 'Requested device not found');
    }
    const tracks = [
      ...(constraints.audio ? [new FakeTrack('audio')] : []),
      ...(constraints.video ? [new FakeTrack('video')] : []),
    ];
    const stream = new FakeMediaStream(tracks);
    this.handedOut.push(stream);
    return asStream(stream);
  }
}
