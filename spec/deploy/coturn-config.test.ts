// deploy/coturn/turnserver.conf: time-limited credentials from a shared secret, and a relay that can
// reach only the public internet. Each line below is one a deployment must not lose.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './support/interpreters';
import { parseTurnserverConf, renderTurnserverConf, type ConfLine } from './support/turnserver-conf';

const CONF = fs.readFileSync(path.join(REPO, 'deploy/coturn/turnserver.conf'), 'utf8');

/** An IPv4 address as a number, for range checks. */
const ip4 = (text: string): number => text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const ranges4 = (lines: readonly ConfLine[]): [number, number][] =>
  lines
    .filter((l) => l.name === 'denied-peer-ip' && l.value !== null && /^[\d.]+-[\d.]+$/.test(l.value))
    .map((l) => {
      const [from, to] = (l.value ?? '').split('-');
      return [ip4(from), ip4(to)];
    });

/** The safety rules; a config passes only when each holds. */
function problems(lines: readonly ConfLine[]): string[] {
  const found: string[] = [];
  const has = (name: string): boolean => lines.some((l) => l.name === name);
  const values = (name: string): string[] => lines.filter((l) => l.name === name).map((l) => l.value ?? '');
  for (const flag of ['use-auth-secret', 'fingerprint', 'no-multicast-peers', 'no-cli', 'no-tcp-relay']) if (!has(flag)) found.push(`no ${flag}`);
  for (const forbidden of ['allow-loopback-peers', 'lt-cred-mech', 'no-auth', 'allowed-peer-ip', 'web-admin', 'cli-password']) if (has(forbidden)) found.push(`has ${forbidden}`);
  if (values('static-auth-secret').length !== 1) found.push('not exactly one static-auth-secret');
  if (values('realm').length !== 1) found.push('not exactly one realm');
  const staleNonce = Number(values('stale-nonce')[0]);
  if (!(staleNonce > 0 && staleNonce <= 3600)) found.push('no stale-nonce of at most an hour');
  for (const quota of ['user-quota', 'total-quota']) if (!(Number(values(quota)[0]) > 0)) found.push(`no ${quota}`);
  const denied = ranges4(lines);
  const covered = (address: string): boolean => denied.some(([from, to]) => from <= ip4(address) && ip4(address) <= to);
  // First, last and one inside address of each range the relay must never reach.
  const mustDeny: Record<string, string[]> = {
    'this network': ['0.0.0.0', '0.255.255.255'],
    loopback: ['127.0.0.1', '127.255.255.255'],
    'private 10/8': ['10.0.0.0', '10.200.1.1', '10.255.255.255'],
    'private 172.16/12': ['172.16.0.0', '172.20.5.5', '172.31.255.255'],
    'private 192.168/16': ['192.168.0.0', '192.168.1.1', '192.168.255.255'],
    'CGNAT 100.64/10': ['100.64.0.0', '100.100.100.100', '100.127.255.255'],
    'link-local and cloud metadata': ['169.254.0.0', '169.254.169.254', '169.254.255.255'],
    multicast: ['224.0.0.1', '239.255.255.250'],
  };
  for (const [range, addresses] of Object.entries(mustDeny)) if (!addresses.every(covered)) found.push(`does not deny ${range}`);
  if (covered('8.8.8.8') || covered('172.32.0.1') || covered('100.128.0.1')) found.push('denies public addresses');
  const denied6 = values('denied-peer-ip');
  for (const [range, start] of [['IPv6 loopback', '::-::1'], ['IPv4-mapped IPv6', '::ffff:0.0.0.0-'], ['IPv6 unique local', 'fc00::-'], ['IPv6 link-local', 'fe80::-']]) {
    if (!denied6.some((v) => v.startsWith(start))) found.push(`does not deny ${range}`);
  }
  return found;
}

describe('deploy/coturn/turnserver.conf', () => {
  const lines = parseTurnserverConf(CONF);

  it('passes every safety rule', () => {
    expect(problems(lines)).toEqual([]);
  });

  it('takes TURN REST API credentials: a shared secret the admin must replace, and a realm', () => {
    expect(lines.find((l) => l.name === 'static-auth-secret')?.value).toMatch(/^CHANGE-ME/);
    expect(CONF).toMatch(/VERTO_PEER_TURN_SECRET/);
  });

  it('listens for turn: on 3478 and turns: on 5349 with a certificate, without old TLS versions', () => {
    const value = (name: string): string | null | undefined => lines.find((l) => l.name === name)?.value;
    expect([value('listening-port'), value('tls-listening-port')]).toEqual(['3478', '5349']);
    expect(value('cert')).toMatch(/\.pem$/);
    expect(value('pkey')).toMatch(/\.pem$/);
    for (const flag of ['no-tlsv1', 'no-tlsv1_1']) expect(lines.some((l) => l.name === flag)).toBe(true);
  });

  // Each rule fails on a config that lacks what it guards: the checks above are not vacuous.
  it.each<[string, (lines: ConfLine[]) => ConfLine[], string]>([
    ['no-multicast-peers removed', (l) => l.filter((x) => x.name !== 'no-multicast-peers'), 'no no-multicast-peers'],
    ['no-cli removed', (l) => l.filter((x) => x.name !== 'no-cli'), 'no no-cli'],
    ['no-tcp-relay removed', (l) => l.filter((x) => x.name !== 'no-tcp-relay'), 'no no-tcp-relay'],
    ['use-auth-secret removed', (l) => l.filter((x) => x.name !== 'use-auth-secret'), 'no use-auth-secret'],
    ['fingerprint removed', (l) => l.filter((x) => x.name !== 'fingerprint'), 'no fingerprint'],
    ['stale-nonce removed', (l) => l.filter((x) => x.name !== 'stale-nonce'), 'no stale-nonce of at most an hour'],
    ['user-quota 0 (unlimited)', (l) => l.map((x) => (x.name === 'user-quota' ? { ...x, value: '0' } : x)), 'no user-quota'],
    ['total-quota removed', (l) => l.filter((x) => x.name !== 'total-quota'), 'no total-quota'],
    ['the loopback denial removed', (l) => l.filter((x) => x.value !== '127.0.0.0-127.255.255.255'), 'does not deny loopback'],
    ['the CGNAT denial removed', (l) => l.filter((x) => x.value !== '100.64.0.0-100.127.255.255'), 'does not deny CGNAT 100.64/10'],
    ['the link-local denial removed', (l) => l.filter((x) => x.value !== '169.254.0.0-169.254.255.255'), 'does not deny link-local and cloud metadata'],
    ['172.16/12 cut short', (l) => l.map((x) => (x.value === '172.16.0.0-172.31.255.255' ? { ...x, value: '172.16.0.0-172.16.255.255' } : x)), 'does not deny private 172.16/12'],
    ['the IPv4-mapped denial removed', (l) => l.filter((x) => !(x.value ?? '').startsWith('::ffff:')), 'does not deny IPv4-mapped IPv6'],
    ['allow-loopback-peers added', (l) => [...l, { name: 'allow-loopback-peers', value: null }], 'has allow-loopback-peers'],
    ['allowed-peer-ip added', (l) => [...l, { name: 'allowed-peer-ip', value: '10.0.0.5' }], 'has allowed-peer-ip'],
    ['static users (lt-cred-mech) added', (l) => [...l, { name: 'lt-cred-mech', value: null }], 'has lt-cred-mech'],
    ['a public range denied too', (l) => [...l, { name: 'denied-peer-ip', value: '8.0.0.0-8.255.255.255' }], 'denies public addresses'],
  ])('a config with %s fails', (_case, change, problem) => {
    const changed = parseTurnserverConf(renderTurnserverConf(change(lines), [], []));
    expect(problems(changed)).toContain(problem);
  });
});
