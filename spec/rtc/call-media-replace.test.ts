// The `local` event's replaceTrack: a track swapped on our sender with no renegotiation, waiting for
// our tracks to be on the connection (the polite side adds its own only at the other's first offer).
import { NEVER, mergeMap, of, tap, type Observable } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { callMedia$ } from '../../src/rtc/call-media';
import type { CallMediaEvent } from '../../src/rtc/connection-types';
import { FakeMediaStream, FakeTrack, asStream, asTrack } from './fake-media';
import { quietPort } from './quiet-port';

describe('callMedia$ local replaceTrack', () => {
  it(
    'polite: a replace asked before the first offer waits for our tracks, then goes to the port once; later ones at once',
    marbles((m) => {
      const done: [number, string][] = [];
      const note = (line: string) => done.push([m.scheduler.now(), line]);
      const camera = new FakeTrack('video', 'camera');
      const stream = asStream(new FakeMediaStream([camera]));
      const screen = asTrack(new FakeTrack('video', 'screen'));
      const port = quietPort({
        signalingState$: m.hot('----o', { o: 'have-remote-offer' as RTCSignalingState }),
        addTrack: (track) => note(`addTrack ${track.id}`),
        replaceTrack: (kind, track) => of(undefined).pipe(tap(() => note(`replace ${kind} ${track?.id ?? 'none'}`))),
      });
      const replaces = (e: CallMediaEvent): Observable<string> =>
        e.kind !== 'local'
          ? NEVER
          : m.cold('-a 5ms b').pipe(mergeMap((x) => e.replaceTrack('video', x === 'a' ? screen : null).pipe(tap({ complete: () => note(`done ${x}`) }))), mergeMap(() => NEVER));
      callMedia$({ polite: true, iceServers: [] }, NEVER, NEVER, { localMedia: () => of(stream), createPort: () => port, log: () => undefined })
        .pipe(mergeMap(replaces))
        .subscribe();
      m.flush();
      expect(done).toEqual([
        [4, 'addTrack camera'],
        [4, 'replace video screen'],
        [4, 'done a'],
        [7, 'replace video none'],
        [7, 'done b'],
      ]);
    }),
  );
});
