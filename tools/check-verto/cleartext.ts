import { ConnectError, VertoConnection } from './connection';
import type { Verdict } from './judge';

/** A plain address must not serve WebSockets; nothing is sent if it does (no credentials in cleartext). */
export async function cleartextClosed(address: string, t: number): Promise<Verdict> {
  try {
    const socket = await VertoConnection.open(address, t);
    socket.close();
    return { pass: false, detail: 'a plain WebSocket opened there: logins would cross the network in cleartext' };
  } catch (error) {
    if (error instanceof ConnectError) return { pass: true, detail: `no WebSocket (${error.message})` };
    throw error;
  }
}
