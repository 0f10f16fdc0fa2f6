import type { Credentials } from './args';
import type { VertoConnection } from './connection';
import { failedWith, judgeLogin, type Verdict } from './judge';
import * as probe from './probes';

/** Opens a socket and logs one user in: the verdict, and the socket when it is ready to subscribe. */
export async function logIn(credentials: Credentials, open: () => Promise<VertoConnection>, t: number): Promise<{ verdict: Verdict; socket: VertoConnection | null }> {
  let socket: VertoConnection;
  try {
    socket = await open();
  } catch (error) {
    return { verdict: failedWith(error), socket: null };
  }
  try {
    const started = Date.now();
    const verdict = judgeLogin(await socket.call('login', probe.login(credentials.login, credentials.password), t));
    if (!verdict.pass) return { verdict, socket: null };
    const loggedInMs = Date.now() - started;
    // The client subscribes when verto.clientReady arrives: without it, a page never goes online.
    const ready = await socket.waitFor((r) => r.method === 'verto.clientReady', t);
    if (!ready) return { verdict: { pass: false, detail: `logged in, but no verto.clientReady within ${t} ms` }, socket: null };
    return { verdict: { pass: true, detail: `${verdict.detail} in ${loggedInMs} ms, verto.clientReady after ${Date.now() - started} ms` }, socket };
  } catch (error) {
    return { verdict: failedWith(error), socket: null };
  }
}

