import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ISSUED_CLIENT_METHODS } from '../../server/credential-store';
import type { RunningServer, ServerOptions } from '../../server/server';
import { fixtureStore } from './support/fixture-users';
import { startTestServer } from './support/start';
import { Frame, isRecord, Loose, TestClient } from './support/test-client';

/**
 * Replays the transcripts captured from a real FreeSWITCH 1.11.1 (copied into spec/server/fixtures/freeswitch-1.11.1) against the
 * development server: every `send` frame is sent, every `recv` frame must arrive on that client with the
 * same shape (server request ids and ping serno aside; sessids and user ids are replayed verbatim), and
 * nothing else may arrive. A graceful FreeSWITCH shutdown in a transcript closes the server.
 */
const FIXTURES = join(__dirname, 'fixtures', 'freeswitch-1.11.1');

interface Line {
  readonly t_ms: number;
  readonly dir: 'open' | 'send' | 'recv' | 'close' | 'note';
  readonly client: string;
  readonly frame: Loose;
}

/**
 * The two capture sessions: 01–10 with `jsonrpc-allowed-methods=verto` in domain localhost; 11 and later
 * with deploy/ as shipped (the locked-down method list, the shipped relay) in domain pbx.test.
 */
const captureOptions = (name: string): ServerOptions =>
  Number(name.slice(0, 2)) <= 10 ? { store: fixtureStore('verto'), domain: 'localhost' } : { store: fixtureStore(ISSUED_CLIENT_METHODS), domain: 'pbx.test' };

/** What else differed in a scenario's capture. */
const scenarioOptions: Record<string, ServerOptions> = {
  '05b-info-chat-hook-no-policy': { relay: { policy: 'any', delayMs: 5 } },
  '05c-info-chat-hook-disabled': { relay: { policy: 'off', delayMs: 5 } },
  '10-server-ping': { serverPingMs: 300 },
  '13-login-id-at-domain': { forceRegisterDomain: false },
};
const notReplayable = new Set([
  // These grant permissions at runtime with the `verto perm` console API, which the dev server does not model.
  '09b-disconnect-presence-on-granted',
  '09c-disconnect-presence-off-granted',
  // Calls allowed by `jsonrpc-allowed-methods=verto`: FreeSWITCH creates them (and runs or rejects them
  // in the dialplan); the dev server has no dialplan or media and refuses verto.invite (-32601), as
  // FreeSWITCH does for deploy/'s method list (11-invite-refused).
  '11a-invite-accepted-old-config',
  '11b-invite-methods-verto-new-context',
]);

/** Frames too big to store name their size instead: `"<frame of N bytes; pad of x elided>"`. */
const ELIDED = /^<frame of (\d+) bytes; pad of x elided>$/;

/** The frame to send, with an elided pad grown back so the frame has its recorded size. */
function expand(frame: Loose): Loose {
  const size = typeof frame?.params?.pad === 'string' ? ELIDED.exec(frame.params.pad)?.[1] : undefined;
  if (size === undefined) return frame;
  const bare = JSON.stringify({ ...frame, params: { ...frame.params, pad: '' } });
  const text = JSON.stringify({ ...frame, params: { ...frame.params, pad: 'x'.repeat(Number(size) - Buffer.byteLength(bare)) } });
  expect(Buffer.byteLength(text)).toBe(Number(size));
  return text;
}

const isShutdown = (line: Line): boolean => line.dir === 'note' && /shuts down gracefully/.test(String(line.frame));

/** Server-originated ids come from a counter and the ping serno is a clock: compare everything else. */
function shape(frame: Frame): Frame {
  if (Array.isArray(frame)) return frame.map(shape);
  if (!isRecord(frame) || typeof frame.method !== 'string') return frame;
  const params = frame.method === 'verto.ping' && isRecord(frame.params) && 'serno' in frame.params ? { ...frame.params, serno: 'SERNO' } : frame.params;
  return { ...frame, id: 'SERVER-ID', params };
}

/** Whether the server closed this socket: after a punt, Session in use, an oversize frame or a shutdown. */
const serverCloses = (lines: readonly Line[], index: number): boolean => {
  const before = lines.slice(0, index);
  const last = [...before].reverse().find((l) => l.client === lines[index].client && (l.dir === 'recv' || l.dir === 'send'));
  const oversize = last?.dir === 'send' && typeof last.frame?.params?.pad === 'string' && ELIDED.test(last.frame.params.pad);
  return oversize || before.some(isShutdown) || last?.frame?.method === 'verto.punt' || last?.frame?.error?.message === 'Session in use';
};

async function replay(name: string, lines: readonly Line[], server: RunningServer): Promise<void> {
  const clients = new Map<string, TestClient>();
  let sentSinceGrace = false;
  for (const [index, line] of lines.entries()) {
    const client = clients.get(line.client);
    switch (line.dir) {
      case 'open':
        clients.set(line.client, await TestClient.open(server.vertoUrl));
        break;
      case 'send':
        client!.send(expand(line.frame));
        sentSinceGrace = true;
        break;
      case 'recv': {
        const expected = JSON.stringify(shape(line.frame));
        const got = await client!.next((f) => JSON.stringify(sortKeys(shape(f))) === JSON.stringify(sortKeys(JSON.parse(expected))), 2000, `${name} line ${index + 1}: ${line.client} ← ${expected}`);
        expect(shape(got)).toEqual(shape(line.frame));
        break;
      }
      case 'close': {
        if (serverCloses(lines, index)) {
          expect(await within(client!.closed, `${name} line ${index + 1}: the server to close ${line.client}`)).toEqual({ code: line.frame.code, reason: line.frame.reason });
        } else {
          if (sentSinceGrace) {
            // Anything that should not have arrived (a non-local broadcast, a refused relay) would be here by now.
            await new Promise((resolve) => setTimeout(resolve, 100));
            sentSinceGrace = false;
          }
          if (line.frame.code === 1006) client!.ws.terminate();
          const closed = await within(line.frame.code === 1006 ? client!.closed : client!.close(), `${name} line ${index + 1}: ${line.client} to close`);
          expect(closed.code).toBe(line.frame.code);
        }
        expect({ client: line.client, unexpected: client!.received }).toEqual({ client: line.client, unexpected: [] });
        break;
      }
      case 'note':
        if (isShutdown(line)) await server.close();
        break;
    }
  }
}

/** A close that never comes fails the scenario with its line instead of hanging it. */
function within<T>(promise: Promise<T>, what: string, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl')).sort();

describe('replaying the FreeSWITCH 1.11.1 transcripts', () => {
  it('finds the transcripts', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  for (const file of files) {
    const name = file.replace(/\.jsonl$/, '');
    if (notReplayable.has(name)) continue;
    it(`${name}: same frames, same shapes, same closes`, async () => {
      const lines = readFileSync(join(FIXTURES, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Line);
      const server = await startTestServer({
        ...captureOptions(name),
        timing: { clientReadyMs: 100, eventDelayMs: 40, closeAfterMs: 50 },
        relay: { delayMs: 45 },
        ...scenarioOptions[name],
      });
      try {
        await replay(name, lines, server);
      } finally {
        await server.close();
      }
    });
  }
});
