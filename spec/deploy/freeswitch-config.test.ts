import * as fs from 'node:fs';
import * as path from 'node:path';
import { PYTHON, REPO, requireInterpreter, run } from './support/interpreters';
import { attr, directoryUsers, findAll, params, parseXml, type XmlNode } from './support/xml';

const FS = path.join(REPO, 'deploy/freeswitch');
const read = (rel: string): string => fs.readFileSync(path.join(REPO, rel), 'utf8');
const DJANGO_HINT = "rendering needs Debian's /usr/bin/python3 with Django (apt-get install python3-django; bash .ci/run installs it)";

function profile(conf: XmlNode, name: string): XmlNode {
  const found = findAll(conf, 'profile').filter((p) => attr(p, 'name') === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('verto.conf.xml', () => {
  const conf = parseXml(read('deploy/freeswitch/autoload_configs/verto.conf.xml'));
  const configuration = findAll(conf, 'configuration')[0];

  it('is the verto.conf configuration with FSevent channels off', () => {
    expect(attr(configuration, 'name')).toBe('verto.conf');
    expect(params(findAll(configuration, 'settings')[0])['enable-fs-events']).toBe('false');
  });

  it('has a loopback plain-ws profile for the proxy and a secure wss variant', () => {
    const loopback = profile(conf, 'verto-peer');
    const bind = findAll(loopback, 'param').find((p) => attr(p, 'name') === 'bind-local');
    expect(attr(bind ?? {}, 'value')).toBe('127.0.0.1:8081');
    expect(attr(bind ?? {}, 'secure')).toBeUndefined();

    const secure = profile(conf, 'verto-peer-secure');
    const secureBind = findAll(secure, 'param').find((p) => attr(p, 'name') === 'bind-local');
    expect(attr(secureBind ?? {}, 'secure')).toBe('true');
    expect(params(secure)['secure-combined']).toMatch(/\.pem$/);
  });

  it.each(['verto-peer', 'verto-peer-secure'])('profile %s authenticates every login against the directory domain', (name) => {
    const p = params(profile(conf, name));
    expect(p).toMatchObject({ userauth: 'true', 'blind-reg': 'false' });
    expect(p['force-register-domain']).toBe('pbx.example.org');
  });
});

describe('lua.conf.xml', () => {
  const conf = parseXml(read('deploy/freeswitch/autoload_configs/lua.conf.xml'));

  it('hooks MESSAGE to the relay directly inside <settings> (no <hooks> wrapper)', () => {
    const settings = findAll(conf, 'settings');
    expect(settings).toHaveLength(1);
    const hooks = (settings[0].hook ?? []) as XmlNode[];
    expect(hooks.map((h) => [attr(h, 'event'), attr(h, 'script')])).toEqual([['MESSAGE', 'verto_chat_relay.lua']]);
    expect(findAll(conf, 'hooks')).toEqual([]);
  });

  it('names a script that exists', () => {
    expect(fs.existsSync(path.join(FS, 'scripts/verto_chat_relay.lua'))).toBe(true);
  });
});

describe('xml_curl.conf.xml', () => {
  const conf = parseXml(read('deploy/freeswitch/autoload_configs/xml_curl.conf.xml'));

  it('binds only the directory to a loopback Django URL, with basic-auth gateway credentials', () => {
    const urls = findAll(conf, 'param').filter((p) => attr(p, 'name') === 'gateway-url');
    expect(urls.map((u) => attr(u, 'bindings'))).toEqual(['directory']);
    expect(attr(urls[0], 'value')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const p = params(findAll(conf, 'binding')[0]);
    expect(p['gateway-credentials']).toMatch(/^[^:]+:.+$/);
    expect(p['auth-scheme']).toBe('basic');
  });
});

/** What every verto-peer directory user must carry. */
function expectVertoPeerUsers(users: ReturnType<typeof directoryUsers>): void {
  expect(users.length).toBeGreaterThan(0);
  for (const user of users) {
    expect(user.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    expect(user.params.password).toBeTruthy();
    expect(user.params['jsonrpc-allowed-methods']).toBe('verto');
    expect(user.params['jsonrpc-allowed-event-channels']).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*(,[A-Za-z0-9][A-Za-z0-9._-]*)*$/);
  }
}

describe('the example static directory', () => {
  const root = parseXml(read('deploy/freeswitch/directory/verto-peer.example.xml'));
  const users = directoryUsers(root);

  it('is an <include> with users on the force-register-domain, each with the verto-peer params', () => {
    expect(Object.keys(root)).toContain('include');
    expectVertoPeerUsers(users);
    expect(new Set(users.map((u) => u.domain))).toEqual(new Set(['pbx.example.org']));
  });

  it('has a channel with two clients (a call is possible) and unique ids and passwords', () => {
    const channels = users.map((u) => u.params['jsonrpc-allowed-event-channels']);
    expect(channels.some((c, i) => channels.indexOf(c) !== i)).toBe(true);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.params.password)).size).toBe(users.length);
  });
});

describe('the directory document rendered by Django (mod_xml_curl reply)', () => {
  beforeAll(() => requireInterpreter(PYTHON, ['-c', 'import django'], DJANGO_HINT));

  const render = (data: unknown) => run(PYTHON, ['deploy/django/render_directory.py', '-'], JSON.stringify(data), DJANGO_HINT);

  it('carries the params, with a hostile password escaped and read back intact', () => {
    const password = `<"&'>]]></param><param name="jsonrpc-allowed-methods" value="__ANY__"/>`;
    const result = render({ domain: 'pbx.example.org', users: [{ id: 'u1', password, channels: ['c1', 'c2'] }] });
    expect(result.stderr).toBe('');
    const root = parseXml(result.stdout);
    expect(attr(findAll(root, 'document')[0], 'type')).toBe('freeswitch/xml');
    expect(findAll(root, 'section').map((s) => attr(s, 'name'))).toEqual(['directory']);
    const users = directoryUsers(root);
    expectVertoPeerUsers(users);
    expect(users).toEqual([
      { domain: 'pbx.example.org', id: 'u1', params: { password, 'jsonrpc-allowed-methods': 'verto', 'jsonrpc-allowed-event-channels': 'c1,c2' } },
    ]);
  });

  it('answers "not found" for no users, so the login fails cleanly', () => {
    const root = parseXml(render({ domain: 'pbx.example.org', users: [] }).stdout);
    expect(findAll(root, 'result').map((r) => attr(r, 'status'))).toEqual(['not found']);
  });

  it.each([
    ['a channel with a comma', { id: 'u1', password: 'p', channels: ['c1,c2'] }],
    ['an id with a space', { id: 'u 1', password: 'p', channels: ['c1'] }],
    ['a control character in the password', { id: 'u1', password: 'p\u0001', channels: ['c1'] }],
  ])('refuses %s with a message and no output', (_name, user) => {
    const result = render({ domain: 'pbx.example.org', users: [user] });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/render_directory\.py: invalid/);
  });
});

describe('nginx snippet', () => {
  const conf = read('deploy/nginx/verto-peer.conf').replace(/#.*$/gm, '');

  it('proxies the upgrade to the loopback verto port', () => {
    expect(conf).toMatch(/proxy_pass\s+http:\/\/127\.0\.0\.1:8081;/);
    expect(conf).toMatch(/proxy_http_version\s+1\.1;/);
    expect(conf).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade;/);
    expect(conf).toMatch(/proxy_set_header\s+Connection\s+\$connection_upgrade;/);
  });

  it('keeps idle sockets open well past the 40-50 s client keepalive', () => {
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const match = new RegExp(`${directive}\\s+(\\d+)s;`).exec(conf);
      expect(match).not.toBeNull();
      expect(Number(match?.[1])).toBeGreaterThanOrEqual(90);
    }
  });
});
