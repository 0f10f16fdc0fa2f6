import { ConnectTimeoutError, describeError, isTerminal, LoginFailedError, PuntedError, RpcError, RpcTimeoutError, SessionInUseError, SocketClosedError } from '../../src/verto/errors';

describe('verto errors', () => {
  it.each<[unknown, string]>([
    [new SocketClosedError(1006, ''), 'connection lost'],
    [new SocketClosedError(1000, 'bye'), 'connection closed (1000)'],
    [new RpcTimeoutError('verto.ping'), 'server not answering'],
    [new ConnectTimeoutError(3000), 'server not reachable'],
    [new LoginFailedError('Authentication Failure'), 'Authentication Failure'],
    [new PuntedError(), 'signed in elsewhere'],
    ['a thrown string', 'a thrown string'],
    [undefined, 'undefined'],
  ])('describes %p as %j for the status line', (error, text) => {
    expect(describeError(error)).toBe(text);
  });

  it('counts only a refused login (or channel) and a punt as terminal', () => {
    expect([new LoginFailedError('x'), new PuntedError()].map(isTerminal)).toEqual([true, true]);
    expect([new SocketClosedError(1006, ''), new RpcTimeoutError('login'), new ConnectTimeoutError(1), new SessionInUseError(), new RpcError(-32601, 'x', {}), 'x'].map(isTerminal)).toEqual([false, false, false, false, false, false]);
  });

  it('keeps what the status and retry need on the error', () => {
    expect(new SocketClosedError(4000, 'why')).toMatchObject({ name: 'SocketClosedError', code: 4000, reason: 'why', message: 'socket closed (4000: why)' });
    expect(new ConnectTimeoutError(3000)).toMatchObject({ name: 'ConnectTimeoutError', afterMs: 3000, message: 'no connection within 3000 ms' });
    expect(new RpcError(undefined, 'no code', { unauthorizedChannels: [] })).toMatchObject({ name: 'RpcError', code: undefined, data: { unauthorizedChannels: [] } });
  });
});
