import { EMPTY, catchError, concat, concatMap, defer, finalize, from, ignoreElements, map, of } from 'rxjs';
import type { Observable, OperatorFunction } from 'rxjs';
import { RtcError, type Signal } from './connection-types';
import type { PeerPort } from './peer-port';

/**
 * Perfect negotiation state (W3C webrtc-pc example, Mozilla's "Perfect negotiation in WebRTC").
 * One object per connection, written only by the two streams below.
 */
export interface NegotiationFlags {
  makingOffer: boolean;
  ignoreOffer: boolean;
  /**
   * The only buffer of early remote signals: candidates that came before their remote description (the
   * relay may reorder), tagged with whether an offer was being ignored.
   */
  readonly early: { readonly candidate: RTCIceCandidateInit | null; readonly ignored: boolean }[];
  /** ICE username fragments of the offers we ignored: their candidates may fail without it being an error. */
  readonly ignoredUfrags: Set<string>;
}

export const freshFlags = (): NegotiationFlags => ({
  makingOffer: false,
  ignoreOffer: false,
  early: [],
  ignoredUfrags: new Set(),
});

/** What negotiation did; the Connection sends, logs or fails on these. */
export type NegotiationEvent =
  | { readonly kind: 'send'; readonly signal: Signal }
  | { readonly kind: 'ignored-offer' }
  /** An answer while we had no offer out: a duplicate (a restart's offer was sent again) or stale. */
  | { readonly kind: 'ignored-answer' }
  /** A candidate came before its remote description; it is kept and applied after the next one. */
  | { readonly kind: 'candidate-held' }
  /** A candidate of an offer we deliberately ignored failed: expected during a collision. */
  | { readonly kind: 'candidate-ignored'; readonly error: unknown }
  /** A candidate failed for no good reason: reported, but the call may still connect through others. */
  | { readonly kind: 'candidate-error'; readonly error: unknown }
  | { readonly kind: 'failed'; readonly error: RtcError };

const send = (description: RTCSessionDescriptionInit): NegotiationEvent => ({
  kind: 'send',
  signal: { kind: 'description', description },
});

const failed = (error: unknown): Observable<NegotiationEvent> =>
  of({ kind: 'failed', error: new RtcError('negotiation', { cause: error }) });

/**
 * Our side of negotiation: each `negotiationneeded` makes an offer with argument-free
 * setLocalDescription. `makingOffer` stays true until the offer has been emitted (and sent).
 */
export function makeOffers(port: PeerPort, flags: NegotiationFlags): OperatorFunction<unknown, NegotiationEvent> {
  return (needed$) =>
    needed$.pipe(
      // concatMap: offers are writes to the connection and must not overlap or be cancelled.
      concatMap(() =>
        defer(() => {
          // A stale event (queued behind another negotiation) is dropped: the browser fires
          // negotiationneeded again when it is back in stable and still needs one.
          if (port.signalingState() !== 'stable') return EMPTY;
          flags.makingOffer = true;
          return port.setLocal().pipe(
            map(send),
            finalize(() => {
              flags.makingOffer = false;
            }),
          );
        }).pipe(catchError(failed)),
      ),
    );
}

function applyCandidate(
  port: PeerPort,
  flags: NegotiationFlags,
  candidate: RTCIceCandidateInit | null,
  ignoredOnArrival: boolean,
) {
  return port.addCandidate(candidate).pipe(
    ignoreElements(),
    catchError((error: unknown) => {
      // Judged when it fails: its offer may have arrived (and been ignored) after the candidate itself.
      const ufrag = candidate?.usernameFragment;
      const ignored = ignoredOnArrival || (typeof ufrag === 'string' && flags.ignoredUfrags.has(ufrag));
      return of<NegotiationEvent>(ignored ? { kind: 'candidate-ignored', error } : { kind: 'candidate-error', error });
    }),
  );
}

function applyDescription(port: PeerPort, polite: boolean, flags: NegotiationFlags, d: RTCSessionDescriptionInit) {
  return defer(() => {
    // The W3C example also accepts an offer while an answer is being set; here signals are applied one at
    // a time (concatMap), so no answer is ever being set when an offer is judged and that case cannot occur.
    const readyForOffer = !flags.makingOffer && port.signalingState() === 'stable';
    const offerCollision = d.type === 'offer' && !readyForOffer;
    flags.ignoreOffer = !polite && offerCollision;
    if (flags.ignoreOffer) {
      for (const ufrag of iceUfrags(d.sdp)) flags.ignoredUfrags.add(ufrag);
      return of<NegotiationEvent>({ kind: 'ignored-offer' });
    }
    // Setting it would fail and end the call; it answers an offer that is no longer ours to settle.
    if (d.type === 'answer' && port.signalingState() !== 'have-local-offer') return of<NegotiationEvent>({ kind: 'ignored-answer' });
    // setRemoteDescription rolls back our own pending offer implicitly when we are polite.
    const remote$ = port.setRemote(d).pipe(ignoreElements());
    // defer: the port is asked only when it is the answer's turn, not when the chain is built.
    const answer$ = d.type === 'offer' ? defer(() => port.setLocal()).pipe(map(send)) : EMPTY;
    const drainEarly$ = defer(() => from(flags.early.splice(0))).pipe(
      concatMap((e) => applyCandidate(port, flags, e.candidate, e.ignored)),
    );
    return concat(remote$, answer$, drainEarly$);
  }).pipe(catchError(failed));
}

/** ICE username fragments named in an SDP (one per media section, usually all the same). */
export const iceUfrags = (sdp: string | undefined): string[] =>
  [...(sdp ?? '').matchAll(/^a=ice-ufrag:(\S+?)\r?$/gm)].map((m) => m[1]);

/** Whether a remote candidate belongs to the remote description in force (a candidate without a fragment is taken as fitting). */
export function fitsRemote(remote: RTCSessionDescriptionInit | null, candidate: RTCIceCandidateInit | null): boolean {
  if (remote === null) return false;
  const ufrag = candidate?.usernameFragment;
  return ufrag === undefined || ufrag === null || iceUfrags(remote.sdp).includes(ufrag);
}

/**
 * The other side's signals, applied strictly one after another. Overlapping handlers let a stale
 * candidate run after `ignoreOffer` was reset; concatMap rules that out.
 *
 * @example
 *   incoming$.pipe(applyRemoteSignals(port, true, flags)) // offer → setRemote → setLocal → emits send(answer)
 */
export function applyRemoteSignals(
  port: PeerPort,
  polite: boolean,
  flags: NegotiationFlags,
): OperatorFunction<Signal, NegotiationEvent> {
  return (signals$) =>
    signals$.pipe(
      concatMap((signal) => {
        if (signal.kind === 'description') return applyDescription(port, polite, flags, signal.description);
        return defer(() => {
          if (fitsRemote(port.remoteDescription(), signal.candidate)) {
            return applyCandidate(port, flags, signal.candidate, flags.ignoreOffer);
          }
          // Its description has not been applied yet (none at all, or an ICE restart's offer that the
          // candidate overtook): keep it for after the next remote description.
          flags.early.push({ candidate: signal.candidate, ignored: flags.ignoreOffer });
          return of<NegotiationEvent>({ kind: 'candidate-held' });
        });
      }),
    );
}
