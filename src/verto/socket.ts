import { Observable } from 'rxjs';
import { SocketClosedError } from './errors';

/** The part of the WebSocket constructor we use; tests inject a fake. */
export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: Event) => void): void;
  removeEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: Event) => void): void;
}

export type SocketEvent = { readonly kind: 'open'; readonly send: (text: string) => void } | { readonly kind: 'frame'; readonly text: string };

const CONNECTING = 0;
const OPEN = 1;

/**
 * One WebSocket per subscription. Emits `open` (with a send function), then each text frame; every
 * close — clean or not, before or after open — is an error carrying the close code, so `retry` sees
 * all disconnections alike. Unsubscribing closes the socket with 1000.
 *
 * (We wrap WebSocket ourselves rather than use rxjs/webSocket: that subject completes on a clean
 * close, hides close codes from retry, queues sends before open, and JSON-parses frames by default.)
 */
export function socket$(url: string, ctor: WebSocketCtor): Observable<SocketEvent> {
  return new Observable<SocketEvent>((subscriber) => {
    const ws = new ctor(url);
    const send = (text: string) => {
      if (ws.readyState === OPEN) ws.send(text);
    };
    const onOpen = () => subscriber.next({ kind: 'open', send });
    const onMessage = (event: Event) => {
      const data = (event as MessageEvent).data as unknown;
      // Binary frames are not part of verto; only text reaches the decoder.
      if (typeof data === 'string') subscriber.next({ kind: 'frame', text: data });
    };
    const onClose = (event: Event) => {
      const { code, reason } = event as CloseEvent;
      subscriber.error(new SocketClosedError(code, reason));
    };
    ws.addEventListener('open', onOpen);
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', onClose);
    return () => {
      ws.removeEventListener('open', onOpen);
      ws.removeEventListener('message', onMessage);
      ws.removeEventListener('close', onClose);
      if (ws.readyState === CONNECTING || ws.readyState === OPEN) ws.close(1000, 'client closed');
    };
  });
}
