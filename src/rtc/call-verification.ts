import { EMPTY, catchError, defer, distinctUntilChanged, exhaustMap, filter, map, of, switchMap, type Observable } from 'rxjs';
import { sasWords } from './sas';
import { transportCertificates, type TransportCertificates } from './transport-certificates';

const sameCertificates = (a: TransportCertificates | null, b: TransportCertificates | null): boolean =>
  a === b || (a !== null && b !== null && a.local === b.local && a.remote === b.remote);

/**
 * The security words of a call's connection (src/rtc/sas.ts), or null: this browser reports no
 * certificates (or no stats at all, or has no Web Crypto). Read from getStats at each `connected`:
 * certificates change only with a new DTLS handshake, which connects again; an ICE restart keeps them,
 * and the same certificates emit nothing. switchMap: words of older certificates never come last.
 */
export function verificationWords$(
  connectionState$: Observable<RTCPeerConnectionState>,
  readStats: (() => Observable<Iterable<unknown>>) | undefined,
  derive: (c: TransportCertificates) => Observable<readonly string[]> = (c) => defer(() => sasWords(c)),
): Observable<readonly string[] | null> {
  return connectionState$.pipe(
    filter((s) => s === 'connected'),
    // A failed reading (the pc closing) says nothing; exhaustMap: readings are not stacked.
    exhaustMap(() => (readStats === undefined ? of(null) : readStats().pipe(map(transportCertificates), catchError(() => EMPTY)))),
    distinctUntilChanged(sameCertificates),
    switchMap((c) => (c === null ? of(null) : derive(c).pipe(catchError(() => of(null))))),
  );
}
