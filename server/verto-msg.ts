/**
 * What mod_verto does with a `verto.info` msg before any hook sees it: `to` may name another chat
 * protocol as `proto+to`; the prefix is cut off and the event keeps proto `verto`. The event is
 * fired once for the global chat queue and, when the prefix names a protocol other than verto,
 * once more for that protocol's queue, so the relay hook runs twice.
 */
export interface FiredChat {
  readonly to: string;
  readonly body: string;
  readonly copies: 1 | 2;
}

/** Pure: the chat event(s) fired for `msg`, or undefined when mod_verto answers "INVALID MESSAGE to and body params required". */
export function firedChat(msg: unknown): FiredChat | undefined {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return undefined;
  const fields = msg as Record<string, unknown>;
  let to = typeof fields.to === 'string' ? fields.to : '';
  const body = typeof fields.body === 'string' ? fields.body : '';
  let copies: 1 | 2 = 1;
  const plus = to.indexOf('+');
  if (plus >= 0) {
    if (to.slice(0, plus).toLowerCase() !== 'verto') copies = 2;
    to = to.slice(plus + 1);
  }
  return to === '' || body === '' ? undefined : { to, body, copies };
}
