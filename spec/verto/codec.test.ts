import { decodeBody, encodeBody, MAX_BODY_CHARS } from '../../src/verto/codec';

describe('body codec (base64 of UTF-8 JSON)', () => {
  it.each([
    ['ASCII', { peerStatus: 'ready', peerName: 'Ann' }],
    ['accents', { peerName: 'Zoë Ünïcødé Ångström' }],
    ['emoji outside the BMP', { peerName: '👋🏽 🎉 𝄞' }],
    ['CJK and RTL', { peerName: '張偉 محمد' }],
    ['SDP with CRLF and quotes', { description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na="x"|y\r\n' } }],
  ])('round-trips %s', (_name, value) => {
    const body = encodeBody(value);
    expect(body).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodeBody(body)).toEqual({ ok: true, value });
  });

  it('produces the same standard base64 as Node (the server and other clients)', () => {
    const value = { peerName: 'Zoë 👋' };
    expect(encodeBody(value)).toBe(Buffer.from(JSON.stringify(value), 'utf8').toString('base64'));
  });

  it('encodes a large message without blowing the argument limit', () => {
    const value = { sdp: 'x'.repeat(45_000) }; // 60,000 base64 characters: several 32 KiB chunks, under the limit
    expect(decodeBody(encodeBody(value))).toEqual({ ok: true, value });
  });

  it.each([
    ['empty', '', 'empty body'],
    ['not base64', 'not base64!', 'body is not standard base64'],
    ['base64url', Buffer.from('{"a":"??>>"}').toString('base64url'), 'body is not standard base64'],
    ['missing padding', 'eyJhIjoxfQ', 'body is not standard base64'],
    ['not UTF-8', Buffer.from([0xc3, 0x28]).toString('base64'), 'body is not UTF-8'],
    ['not JSON', Buffer.from('hello').toString('base64'), 'body is not JSON'],
    ['an array', Buffer.from('[1]').toString('base64'), 'body is not a JSON object'],
    ['null', Buffer.from('null').toString('base64'), 'body is not a JSON object'],
    ['oversize', 'A'.repeat(MAX_BODY_CHARS + 4), `body over ${MAX_BODY_CHARS} characters`],
  ])('refuses %s input with an error value, never a throw', (_name, body, error) => {
    expect(decodeBody(body)).toEqual({ ok: false, error });
  });
});
