import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTurnserverConf, renderTurnserverConf } from '../../spec/deploy/support/turnserver-conf';
import { ROOT } from './bundle';
import { stopper } from './child-process';

/** Debian's coturn; TURNSERVER_PATH overrides. */
export const TURNSERVER_PATH = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';
const HOST = '127.0.0.1';

export interface Coturn {
  /** UDP (and TCP) port of the TURN listener on 127.0.0.1. */
  readonly port: number;
  /** The shared secret of this run (random). */
  readonly secret: string;
  /** turn: URL for the pages. */
  readonly url: string;
  /** What turnserver printed. */
  readonly log: readonly string[];
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** One STUN Binding request; resolves true when any answer comes back within `ms`. */
function stunAnswers(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
    const done = (answered: boolean): void => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.once('message', () => done(true));
    socket.once('error', () => done(false));
    socket.send(request, port, HOST);
  });
}

/**
 * The shipped deploy/coturn/turnserver.conf for a test on this machine: the same denials and
 * limits, plus what only a test may have (loopback peers, 127.0.0.1 only), a random secret, no TLS,
 * the log on stdout.
 */
export function testConf(port: number, secret: string, dir: string): string {
  const shipped = parseTurnserverConf(readFileSync(join(ROOT, 'deploy', 'coturn', 'turnserver.conf'), 'utf8'));
  return renderTurnserverConf(
    shipped,
    ['static-auth-secret', 'realm', 'listening-port', 'tls-listening-port', 'cert', 'pkey', 'syslog'],
    [
      { name: 'static-auth-secret', value: secret },
      { name: 'realm', value: 'verto-peer.test' },
      { name: 'listening-ip', value: HOST },
      { name: 'relay-ip', value: HOST },
      { name: 'listening-port', value: String(port) },
      { name: 'no-tls', value: null },
      // Test only: both browsers are on 127.0.0.1, which the shipped denials refuse (allowed wins over denied).
      { name: 'allow-loopback-peers', value: null },
      { name: 'allowed-peer-ip', value: HOST },
      // Its pid file and (unused) user database in the test's own directory, not /var.
      { name: 'pidfile', value: join(dir, 'turnserver.pid') },
      { name: 'userdb', value: join(dir, 'turndb') },
      { name: 'log-file', value: 'stdout' },
      { name: 'simple-log', value: null },
      // Sessions and allocations in the log (what the relay benchmark counts).
      { name: 'verbose', value: null },
    ],
  );
}

/**
 * A port and secret for one coturn, known before it starts (a suite's server options are fixed when
 * the file loads): the port is random below the kernel's ephemeral range, so the browsers' own
 * sockets never take it first.
 */
export function coturnAddress(): { readonly port: number; readonly secret: string; readonly url: string } {
  const port = randomInt(20_000, 30_000);
  return { port, secret: randomBytes(24).toString('hex'), url: `turn:${HOST}:${port}?transport=udp` };
}

/** Starts turnserver on 127.0.0.1 with the test conf; resolves once it answers STUN (within 10 s), else fails with its log. */
export async function startCoturn(address: ReturnType<typeof coturnAddress>): Promise<Coturn> {
  const { port, secret, url } = address;
  const dir = mkdtempSync(join(tmpdir(), 'verto-peer-coturn-'));
  const confPath = join(dir, 'turnserver.conf');
  writeFileSync(confPath, testConf(port, secret, dir), { mode: 0o600 });
  const log: string[] = [];
  const child: ChildProcess = spawn(TURNSERVER_PATH, ['-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = stopper(child, dir);
  let spawnError: Error | null = null;
  child.once('error', (error) => {
    spawnError = error;
  });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => log.push(...chunk.toString('utf8').split('\n').filter((l) => l !== '')));


  const deadline = Date.now() + 10_000;
  while (!(await stunAnswers(port, 250))) {
    if (spawnError !== null || child.exitCode !== null || Date.now() > deadline) {
      await stop();
      const why = spawnError !== null ? `cannot run ${TURNSERVER_PATH} (${(spawnError as Error).message}): apt-get install coturn` : 'it did not answer STUN within 10 s';
      throw new Error(`coturn did not start: ${why}\n${log.slice(-20).join('\n')}`);
    }
  }
  return { port, secret, url, log, stop };
}
