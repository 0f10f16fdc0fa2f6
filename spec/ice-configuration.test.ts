// The page's ICE configuration: validated with a reason the page can show, then handed unchanged to
// the RTCPeerConnection a call creates.
import { EMPTY, NEVER, lastValueFrom } from 'rxjs';
import { validateConfig } from '../src/config';
import { callConnection$ } from '../src/peer/call-connection';
import { callMedia$ } from '../src/rtc/call-media';
import { RtcError, type CallMediaOptions } from '../src/rtc/connection-types';

const PAGE = 'https://site.example/c/abc/';
const VALID = { vertoUrl: 'wss://pbx.example/clients', channelId: 'c1', login: 'ann', password: 'pw' };
const TURN = { urls: ['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349'], username: '1767225600:ann', credential: 'c2VjcmV0' };

const outcome = (raw: Record<string, unknown>): string => {
  const result = validateConfig({ ...VALID, ...raw }, PAGE);
  return result.ok ? 'accepted' : result.error;
};

describe('validateConfig: ICE servers and transport policy', () => {
  it('keeps STUN and TURN servers of every scheme, and a relay-only policy with a TURN server', () => {
    const iceServers = [{ urls: 'stun:stun.example:3478' }, { urls: 'STUNS:stun.example' }, TURN];
    const result = validateConfig({ ...VALID, iceServers, iceTransportPolicy: 'relay' }, PAGE);
    expect(result.ok && { iceServers: result.config.iceServers, policy: result.config.iceTransportPolicy }).toEqual({ iceServers, policy: 'relay' });
  });

  it('leaves the policy to the browser (all) when the page gives none, and takes an explicit all', () => {
    const none = validateConfig(VALID, PAGE);
    expect(none.ok && none.config.iceTransportPolicy).toBeUndefined();
    const all = validateConfig({ ...VALID, iceTransportPolicy: 'all' }, PAGE);
    expect(all.ok && all.config.iceTransportPolicy).toBe('all');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an http: URL', { iceServers: [{ urls: 'http://turn.example/' }] }, 'the channel configuration has an ICE server URL that is not stun:, stuns:, turn: or turns: ("http://turn.example/")'],
    ['a bare host name among good URLs', { iceServers: [{ urls: ['stun:a.example', 'b.example:3478'] }] }, 'the channel configuration has an ICE server URL that is not stun:, stuns:, turn: or turns: ("b.example:3478")'],
    ['a scheme with nothing after it', { iceServers: [{ urls: 'stun:' }] }, 'the channel configuration has an ICE server URL that is not stun:, stuns:, turn: or turns: ("stun:")'],
    ['a TURN server without credentials', { iceServers: [{ urls: 'turn:turn.example' }] }, 'the channel configuration has a TURN server without username and credential ("turn:turn.example")'],
    ['a TURNS server with an empty credential', { iceServers: [{ ...TURN, credential: '' }] }, 'the channel configuration has a TURN server without username and credential ("turn:turn.example:3478?transport=udp")'],
    ['an unknown policy', { iceServers: [TURN], iceTransportPolicy: 'none' }, 'the channel configuration has an invalid iceTransportPolicy "none" (all or relay)'],
    ['a policy that is not text', { iceServers: [TURN], iceTransportPolicy: 1 }, 'the channel configuration has an invalid iceTransportPolicy 1 (all or relay)'],
    ['relay with only STUN', { iceServers: [{ urls: 'stun:stun.example' }], iceTransportPolicy: 'relay' }, 'the channel configuration has iceTransportPolicy relay but no turn: or turns: server'],
    ['relay with no servers at all', { iceTransportPolicy: 'relay' }, 'the channel configuration has iceTransportPolicy relay but no turn: or turns: server'],
  ])('refuses %s, saying what is wrong', (_case, raw, message) => {
    expect(outcome(raw)).toBe(message);
  });
});

describe('callMedia$ creates its RTCPeerConnection with the page’s ICE configuration', () => {
  const configOf = async (options: { iceTransportPolicy?: RTCIceTransportPolicy }): Promise<RTCConfiguration> => {
    let seen: RTCConfiguration | undefined;
    const media = callMedia$({ polite: true, iceServers: [TURN], ...options }, NEVER, NEVER, {
      createPort: (config) => {
        seen = config;
        throw new Error('no port needed: the configuration is what this test looks at');
      },
      log: () => undefined,
    });
    await expect(lastValueFrom(media)).rejects.toBeInstanceOf(RtcError);
    if (seen === undefined) throw new Error('createPort was not called');
    return seen;
  };

  it('relay-only reaches the connection with the TURN server', async () => {
    expect(await configOf({ iceTransportPolicy: 'relay' })).toEqual({ iceServers: [TURN], iceTransportPolicy: 'relay' });
  });

  it('without a policy the connection gets all', async () => {
    expect(await configOf({})).toEqual({ iceServers: [TURN], iceTransportPolicy: 'all' });
  });
});

describe('callConnection$ hands the Peer’s ICE configuration to the call’s media', () => {
  it('with the call’s role', async () => {
    const asked: CallMediaOptions[] = [];
    const events = callConnection$({ callId: 'call-1', peerId: 'bob', polite: false }, NEVER, NEVER, {
      client: { send: () => undefined },
      view: { setVideo: () => undefined },
      callMedia: (options) => {
        asked.push(options);
        return EMPTY;
      },
      iceServers: [TURN],
      iceTransportPolicy: 'relay',
    });
    await lastValueFrom(events, { defaultValue: null });
    expect(asked).toEqual([{ polite: false, iceServers: [TURN], iceTransportPolicy: 'relay' }]);
  });
});
