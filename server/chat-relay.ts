import type { CredentialStore, DirectoryUser } from './credential-store';

/**
 * What the production Lua MESSAGE hook does with a `verto.info` msg (freeswitch-observed.md, "lua.conf.xml hook"):
 * - `same-channel`: relay only between users that share an event channel (our production hook);
 * - `any`: relay to any user (the hook with its policy off, fixture 05b);
 * - `off`: relay nothing (no hook, fixture 05c).
 */
export type RelayPolicy = 'same-channel' | 'any' | 'off';

export type RelayDecision = { readonly deliver: true; readonly target: string } | { readonly deliver: false; readonly reason: string };

const sharesChannel = (a: DirectoryUser, b: DirectoryUser): boolean =>
  a.channels.some((channel) => channel === '__ANY__' || b.channels.includes(channel) || b.channels.includes('__ANY__'));

/** Pure: where a msg from `sender` addressed to the client-supplied `to` goes, or why it is dropped. */
export function decideRelay(sender: DirectoryUser, to: string, body: string, domain: string, store: CredentialStore, policy: RelayPolicy): RelayDecision {
  if (policy === 'off') return { deliver: false, reason: 'relay switched off' };
  // mod_verto reads `proto+to` as another chat protocol, so such a msg never reaches the verto hook.
  if (to.includes('+')) return { deliver: false, reason: 'to names another chat protocol' };
  // The chat API splits its argument on `|`; the hook refuses such bodies.
  if (body.includes('|')) return { deliver: false, reason: 'body contains |' };
  const target = to.includes('@') ? to : `${to}@${domain}`;
  const at = target.indexOf('@');
  const targetDomain = target.slice(at + 1);
  const targetUser = targetDomain === domain ? store.findUser(target.slice(0, at)) : undefined;
  if (policy === 'same-channel') {
    if (!targetUser) return { deliver: false, reason: 'unknown user' };
    if (!sharesChannel(sender, targetUser)) return { deliver: false, reason: 'not in the same channel' };
  }
  return { deliver: true, target };
}
