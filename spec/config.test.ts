import { readConfig, resolveVertoUrl, validateConfig } from '../src/config';

const PAGE = 'https://site.example/c/abc/';
const VALID = { vertoUrl: 'wss://pbx.example/clients', channelId: 'C0FFEE', login: 'ann', password: 'pw' };
const error = (raw: unknown, page = PAGE) => {
  const result = validateConfig(raw, page);
  return result.ok ? 'accepted' : result.error;
};

describe('resolveVertoUrl', () => {
  it.each([
    ['wss://pbx.example/clients', 'https://site.example/c/1', 'wss://pbx.example/clients'],
    ['/verto', 'https://site.example/c/1', 'wss://site.example/verto'],
    ['verto', 'http://127.0.0.1:8080/c/1/', 'ws://127.0.0.1:8080/c/1/verto'],
    ['ws://10.0.0.1:8081', 'https://site.example/', 'ws://10.0.0.1:8081/'],
  ])('%s on %s is %s', (url, page, resolved) => {
    expect(resolveVertoUrl(url, page)).toBe(resolved);
  });
});

describe('validateConfig', () => {
  it('normalises a valid configuration: lowercase channel, defaults for the optional keys', () => {
    expect(validateConfig(VALID, PAGE)).toEqual({
      ok: true,
      config: { vertoUrl: 'wss://pbx.example/clients', channelId: 'c0ffee', login: 'ann', password: 'pw', iceServers: [], indexUrl: '/' },
    });
  });

  it('keeps valid iceServers and indexUrl', () => {
    const iceServers = [{ urls: 'stun:stun.example' }, { urls: ['turn:t.example?transport=udp', 'turns:t.example'], username: 'u', credential: 'c' }];
    const result = validateConfig({ ...VALID, iceServers, indexUrl: '/channels/' }, PAGE);
    expect(result.ok && result.config.iceServers).toEqual(iceServers);
    expect(result.ok && result.config.indexUrl).toBe('/channels/');
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'the channel configuration is not a JSON object'],
    ['an array', [VALID], 'the channel configuration is not a JSON object'],
    ['a string', 'wss://pbx.example', 'the channel configuration is not a JSON object'],
    ['no vertoUrl', { ...VALID, vertoUrl: undefined }, 'the channel configuration has no vertoUrl'],
    ['a blank channelId', { ...VALID, channelId: '  ' }, 'the channel configuration has no channelId'],
    ['a numeric login', { ...VALID, login: 42 }, 'the channel configuration has no login'],
    ['an empty password', { ...VALID, password: '' }, 'the channel configuration has no password'],
    ['iceServers that is not a list', { ...VALID, iceServers: { urls: 'stun:x' } }, 'the channel configuration has invalid iceServers'],
    ['an iceServer that is not an object', { ...VALID, iceServers: ['stun:x'] }, 'the channel configuration has invalid iceServers'],
    ['an iceServer without urls', { ...VALID, iceServers: [{}] }, 'the channel configuration has invalid iceServers'],
    ['an iceServer with an empty urls list', { ...VALID, iceServers: [{ urls: [] }] }, 'the channel configuration has invalid iceServers'],
    ['an iceServer with a blank url in the list', { ...VALID, iceServers: [{ urls: ['stun:x', ' '] }] }, 'the channel configuration has invalid iceServers'],
    ['an iceServer with a numeric username', { ...VALID, iceServers: [{ urls: 'turn:x', username: 1, credential: 'c' }] }, 'the channel configuration has invalid iceServers'],
    ['an iceServer with an object credential', { ...VALID, iceServers: [{ urls: 'turn:x', username: 'u', credential: {} }] }, 'the channel configuration has invalid iceServers'],
    ['a numeric indexUrl', { ...VALID, indexUrl: 1 }, 'the channel configuration has an invalid indexUrl'],
    ['a vertoUrl that is no URL', { ...VALID, vertoUrl: 'http://[::1' }, 'the channel configuration has an invalid vertoUrl'],
    ['a vertoUrl that is not a WebSocket', { ...VALID, vertoUrl: 'ftp://pbx.example/clients' }, 'the verto URL must be ws:// or wss://'],
    ['a javascript: vertoUrl', { ...VALID, vertoUrl: 'javascript:alert(1)' }, 'the verto URL must be ws:// or wss://'],
  ])('refuses %s, saying what is wrong', (_case, raw, message) => {
    expect(error(raw)).toBe(message);
  });

});

describe('readConfig', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });
  const withConfig = (text: string) => {
    const el = document.createElement('script');
    el.type = 'application/json';
    el.id = 'channel-config';
    el.textContent = text;
    document.body.append(el);
  };

  it('reads #channel-config against the page URL', () => {
    withConfig(JSON.stringify({ ...VALID, vertoUrl: '/verto' }));
    const result = readConfig(document);
    expect(result.ok && result.config.vertoUrl).toBe(`ws://${location.host}/verto`); // jsdom's page is http://localhost/
  });

  it('says when the element is missing or is not JSON', () => {
    expect(readConfig(document)).toEqual({ ok: false, error: 'this page has no channel configuration (#channel-config)' });
    withConfig('{"vertoUrl": ');
    expect(readConfig(document)).toEqual({ ok: false, error: 'the channel configuration is not valid JSON' });
  });

  it('reads a document without a location (a detached one) against localhost', () => {
    const doc = document.implementation.createHTMLDocument('detached');
    const el = doc.createElement('script');
    el.id = 'channel-config';
    el.textContent = JSON.stringify({ ...VALID, vertoUrl: 'verto' });
    doc.body.append(el);
    const result = readConfig(doc);
    expect(result.ok && result.config.vertoUrl).toBe('ws://localhost/verto');
  });
});
