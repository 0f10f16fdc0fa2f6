/**
 * What the production MESSAGE hook (deploy/freeswitch/scripts/verto_chat_relay.lua) does with the
 * chat event mod_verto fires for a `verto.info` msg, rule for rule; spec/support/relay-cases.json holds
 * the cases both are tested against.
 * - `same-channel`: the shipped hook;
 * - `any`: the same hook without its shared-channel check (a hook that lets anyone message anyone);
 * - `off`: no hook, so nothing is delivered.
 */
export type RelayPolicy = 'same-channel' | 'any' | 'off';

/** The event's headers the hook reads: `from`, `from_user` and `from_host` are set by mod_verto from the socket. */
export interface ChatEvent {
  readonly from: string;
  readonly fromUser: string;
  readonly fromHost: string;
  /** Exactly what the client put in `msg.to` (after mod_verto's `proto+` prefix). */
  readonly to: string;
  readonly body: string;
}

export type RelayDecision = { readonly deliver: true; readonly target: string } | { readonly deliver: false; readonly reason: string };

/** The `jsonrpc-allowed-event-channels` param of `id@domain` as the hook's `user_data` lookup sees it; undefined for no such user. */
export type ChannelsLookup = (address: string) => string | undefined;

/** A peer message (SDP, candidate) is a few KiB of base64. */
export const MAX_BODY_BYTES = 65_536;
// No separators of the chat API ('|') or of API arguments (spaces), no quotes or backslashes.
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Plain standard base64 with padding, as the client's codec writes it.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Lua's %s: the C locale's white space.
const SEPARATORS = /[,\t\n\v\f\r ]+/;

const validId = (s: string): boolean => s.length <= 256 && ID.test(s);

/** `id@domain` with both parts valid. */
function validAddress(s: string): boolean {
  const parts = s.split('@');
  return parts.length === 2 && parts.every((part) => part !== '' && validId(part));
}

const validBody = (body: string): boolean => body.length % 4 === 0 && BASE64.test(body);

/** The channels a user may use, split on commas and white space; anything that is not an id (`__ANY__` included) never matches. */
function channelsOf(lookup: ChannelsLookup, address: string): Set<string> {
  return new Set((lookup(address) ?? '').split(SEPARATORS).filter((token) => ID.test(token)));
}

function shareChannel(lookup: ChannelsLookup, a: string, b: string): boolean {
  const mine = channelsOf(lookup, a);
  return [...channelsOf(lookup, b)].some((channel) => mine.has(channel));
}

/** Pure: whether the hook hands this event to the `chat` API, and for which `id@domain`, or why it drops it. */
export function decideRelay(event: ChatEvent, lookup: ChannelsLookup, policy: RelayPolicy): RelayDecision {
  if (policy === 'off') return { deliver: false, reason: 'relay switched off' };
  const { from, fromUser, fromHost, body } = event;
  // A valid `from` that is exactly from_user@from_host also makes from_host a valid id.
  if (!(validAddress(from) && from === `${fromUser}@${fromHost}`)) return { deliver: false, reason: 'sender headers missing or inconsistent' };
  if (event.to === '') return { deliver: false, reason: 'no target' };
  const target = event.to.includes('@') ? event.to : `${event.to}@${fromHost}`;
  if (!validAddress(target)) return { deliver: false, reason: 'target is not a user id' };
  if (body === '') return { deliver: false, reason: 'empty body' };
  // The hook measures bytes; base64 is ASCII, so a longer UTF-8 body fails the base64 rule anyway.
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) return { deliver: false, reason: `body over ${MAX_BODY_BYTES} bytes` };
  // Base64 has no `|`, the chat API's separator, so this also keeps the chat API's argument whole.
  if (!validBody(body)) return { deliver: false, reason: 'body is not plain base64' };
  if (policy === 'same-channel' && !shareChannel(lookup, from, target)) return { deliver: false, reason: 'no shared channel' };
  return { deliver: true, target };
}
