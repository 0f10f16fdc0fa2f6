import { decodeFrame, encodeRequest, MAX_FRAME_CHARS } from '../../src/verto/jsonrpc';

describe('decodeFrame', () => {
  it('routes frames with a method as server requests, whatever their id', () => {
    expect(decodeFrame('{"jsonrpc":"2.0","id":7,"method":"verto.punt","params":{}}')).toEqual({ ok: true, value: { kind: 'request', method: 'verto.punt', params: {} } });
    expect(decodeFrame('{"jsonrpc":"2.0","id":"vp-1","method":"verto.ping"}')).toEqual({ ok: true, value: { kind: 'request', method: 'verto.ping', params: {} } });
  });

  it('reads replies, tolerating the duplicate sessid key FreeSWITCH writes', () => {
    expect(decodeFrame('{"jsonrpc":"2.0","id":"vp-2","result":{"sessid":"a","sessid":"a"}}')).toEqual({ ok: true, value: { kind: 'reply', id: 'vp-2', result: { sessid: 'a' } } });
    expect(decodeFrame('{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request"}}')).toEqual({
      ok: true,
      value: { kind: 'reply', id: null, error: { code: -32600, message: 'Invalid Request' } },
    });
  });

  it.each([
    ['not JSON', '{', 'frame is not JSON'],
    ['an array (batch)', '[]', 'frame is not a JSON object'],
    ['no jsonrpc', '{"id":1,"result":{}}', 'frame is not JSON-RPC 2.0'],
    ['a numeric method', '{"jsonrpc":"2.0","method":1}', 'method is not a string'],
    ['array params', '{"jsonrpc":"2.0","method":"verto.event","params":[]}', 'verto.event: params is not an object'],
    ['a string result', '{"jsonrpc":"2.0","id":"x","result":"ok"}', 'result is not an object'],
    ['a string error', '{"jsonrpc":"2.0","id":"x","error":"bad"}', 'error is not an object'],
    ['nothing to route on', '{"jsonrpc":"2.0","id":"x"}', 'frame has neither method, result nor error'],
    ['oversize', ' '.repeat(MAX_FRAME_CHARS + 1), `frame over ${MAX_FRAME_CHARS} characters`],
  ])('refuses %s', (_name, text, error) => {
    expect(decodeFrame(text)).toEqual({ ok: false, error });
  });
});

describe('encodeRequest', () => {
  it('writes a JSON-RPC 2.0 request with a string id', () => {
    expect(JSON.parse(encodeRequest('vp-1', 'login', { login: 'a' }))).toEqual({ jsonrpc: '2.0', id: 'vp-1', method: 'login', params: { login: 'a' } });
  });
});
