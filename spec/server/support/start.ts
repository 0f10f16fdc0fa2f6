import { randomUUID } from 'node:crypto';
import { CredentialStore } from '../../../server/credential-store';
import type { Logger } from '../../../server/logger';
import { RunningServer, ServerOptions, startServer } from '../../../server/server';
import { TestClient } from './test-client';

/** Captures log lines so tests can assert on them (and keep jest output quiet). */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (line) => lines.push(line), debug: (line) => lines.push(`debug ${line}`) };
}

/** A server on an ephemeral loopback port with fast mod_verto delays unless a test asks for others. */
export function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({
    host: '127.0.0.1',
    port: 0,
    logger: captureLogger(),
    timing: { clientReadyMs: 5, eventDelayMs: 5, closeAfterMs: 20 },
    relay: { delayMs: 5 },
    ...options,
  });
}


/** Opens a client and logs it in; resolves after the login result (clientReady may still be on its way). */
export async function loggedIn(server: RunningServer, login: string, password: string, sessid: string = randomUUID()): Promise<TestClient> {
  const client = await TestClient.open(server.vertoUrl);
  const answer = await client.call('login', { login, passwd: password, sessid });
  if (!answer.result) throw new Error(`login failed: ${JSON.stringify(answer)}`);
  return client;
}

/** Logs in, waits for clientReady and subscribes to the channel. */
export async function subscribed(server: RunningServer, login: string, password: string, channel: string): Promise<TestClient> {
  const client = await loggedIn(server, login, password);
  await client.request('verto.clientReady');
  const answer = await client.call('verto.subscribe', { eventChannel: channel });
  if (!answer.result) throw new Error(`subscribe failed: ${JSON.stringify(answer)}`);
  return client;
}

export const issued = (store: CredentialStore, channel: string) => store.issueClient(channel);
