import { Subject } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { RpcError, RpcTimeoutError } from '../../src/verto/errors';
import type { RpcReply } from '../../src/verto/jsonrpc';
import { createRpc } from '../../src/verto/rpc';

// prettier-ignore
describe('rpc request', () => {
  it('emits the result of the reply with its id, ignoring others', marbles((m) => {
    const sent: string[] = [];
    const replies$ = m.hot<RpcReply>('--a-b', {
      a: { kind: 'reply', id: 'other', result: { x: 1 } },
      b: { kind: 'reply', id: 'id-1', result: { message: 'PONG' } },
    });
    const rpc = createRpc({ send: (t) => sent.push(t), replies$, nextId: () => 'id-1', defaultTimeoutMs: 100 });
    m.expect(rpc.request('verto.ping', {})).toBeObservable('----(r|)', { r: { message: 'PONG' } });
    m.flush();
    expect(sent).toEqual(['{"jsonrpc":"2.0","id":"id-1","method":"verto.ping","params":{}}']);
  }));

  it('turns an error reply into an RpcError, code-less ones included', marbles((m) => {
    const replies$ = m.hot<RpcReply>('-a', { a: { kind: 'reply', id: 'id-1', error: { unauthorizedChannels: ['c2'] } } });
    const rpc = createRpc({ send: () => undefined, replies$, nextId: () => 'id-1', defaultTimeoutMs: 100 });
    m.expect(rpc.request('verto.subscribe', {})).toBeObservable('-#', undefined, new RpcError(undefined, '{"unauthorizedChannels":["c2"]}', { unauthorizedChannels: ['c2'] }));
  }));

  it('times out with a typed error when no reply comes, and stops listening', marbles((m) => {
    const replies$ = m.hot<RpcReply>('-');
    const rpc = createRpc({ send: () => undefined, replies$, nextId: () => 'id-1', defaultTimeoutMs: 100 });
    m.expect(rpc.request('login', {}, 30)).toBeObservable('30ms #', undefined, new RpcTimeoutError('login'));
    m.expect(replies$).toHaveSubscriptions('^ 29ms !');
  }));

  it('hears a reply that arrives synchronously inside send (listen first, then send)', marbles((m) => {
    const replies$ = new Subject<RpcReply>();
    const rpc = createRpc({ send: () => replies$.next({ kind: 'reply', id: 'id-1', result: {} }), replies$, nextId: () => 'id-1', defaultTimeoutMs: 100 });
    m.expect(rpc.request('verto.ping', {})).toBeObservable('(r|)', { r: {} });
  }));
});
