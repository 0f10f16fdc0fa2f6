import * as fs from 'node:fs';
import * as path from 'node:path';
import { PYTHON, REPO, requireInterpreter, run } from './support/interpreters';
import { ALLOWED_METHODS, CALL_CONTEXT } from './support/locked-down';
import { attr, directoryUsers, findAll, params, parseXml, type XmlNode } from './support/xml';

const FS = path.join(REPO, 'deploy/freeswitch');
const read = (rel: string): string => fs.readFileSync(path.join(REPO, rel), 'utf8');
const DJANGO_HINT = "rendering needs Debian's /usr/bin/python3 with Django (apt-get install python3-django; bash .ci/run installs it)";

function profile(conf: XmlNode, name: string): XmlNode {
  const found = findAll(conf, 'profile').filter((p) => attr(p, 'name') === name);
  expect(found).toHaveLength(1);
  return found[0];
}

const LOOPBACK_BIND = /^(127\.0\.0\.1|\[::1\]):\d+$/;

describe('verto.conf.xml', () => {
  const conf = parseXml(read('deploy/freeswitch/autoload_configs/verto.conf.xml'));
  const configuration = findAll(conf, 'configuration')[0];
  const profiles = findAll(conf, 'profile');
  const binds = profiles.flatMap((p) => findAll(p, 'param').filter((param) => attr(param, 'name') === 'bind-local'));

  it('is the verto.conf configuration with FSevent channels off', () => {
    expect(attr(configuration, 'name')).toBe('verto.conf');
    expect(params(findAll(configuration, 'settings')[0])['enable-fs-events']).toBe('false');
  });

  it('has one profile, listening for plain ws on 127.0.0.1:8081 for the proxy', () => {
    expect(profiles.map((p) => attr(p, 'name'))).toEqual(['verto-peer']);
    expect(binds.map((b) => attr(b, 'value'))).toEqual(['127.0.0.1:8081']);
  });

  it('listens on nothing but loopback, and accepts only loopback peers', () => {
    expect(binds.length).toBeGreaterThan(0);
    for (const bind of binds) expect(attr(bind, 'value')).toMatch(LOOPBACK_BIND);
    for (const p of profiles) {
      expect(params(p)['mcast-ip']).toBeUndefined();
      expect(params(p)['apply-connection-acl']).toBe('loopback.auto');
    }
  });

  it('has no secure listener, which mod_verto would serve as plain ws when its certificate is missing', () => {
    for (const bind of binds) expect(attr(bind, 'secure')).toBeUndefined();
    for (const p of profiles) expect(Object.keys(params(p)).filter((name) => name.startsWith('secure'))).toEqual([]);
  });

  it('authenticates every login against the one directory domain', () => {
    const p = params(profile(conf, 'verto-peer'));
    expect(p).toMatchObject({ userauth: 'true', 'blind-reg': 'false' });
    expect(p['force-register-domain']).toBe('pbx.example.org');
  });

  it('routes calls into the XML context that rejects them (mod_verto would otherwise use "default")', () => {
    for (const p of profiles) expect(params(p)).toMatchObject({ dialplan: 'XML', context: CALL_CONTEXT });
  });
});

describe('dialplan/verto-peer.xml', () => {
  // Read in beforeAll, not here: a missing file then fails these tests, not the whole file.
  let root: XmlNode;
  let contexts: XmlNode[];
  let extensions: XmlNode[];
  beforeAll(() => {
    root = parseXml(read('deploy/freeswitch/dialplan/verto-peer.xml'));
    contexts = findAll(root, 'context');
    extensions = findAll(root, 'extension');
  });

  it('is the only dialplan file we ship, an <include> with the one context', () => {
    expect(fs.readdirSync(path.join(FS, 'dialplan'))).toEqual(['verto-peer.xml']);
    expect(Object.keys(root)).toContain('include');
    expect(contexts.map((c) => attr(c, 'name'))).toEqual([CALL_CONTEXT]);
  });

  it('has a single extension that matches every destination and hangs up, and nothing else', () => {
    expect(extensions).toHaveLength(1);
    expect(attr(extensions[0], 'continue')).toBeUndefined();
    const conditions = findAll(extensions[0], 'condition');
    expect(conditions).toHaveLength(1);
    expect(attr(conditions[0], 'field')).toBe('destination_number');
    const expression = new RegExp(attr(conditions[0], 'expression') ?? '(?!)');
    for (const destination of ['', '9196', '1000', '*97', 'echo', '+493012345678', 'sip:bob@example.org', 'a\nb']) {
      expect(expression.test(destination)).toBe(true);
    }
    expect(findAll(extensions[0], 'anti-action')).toEqual([]);
    expect(findAll(extensions[0], 'action').map((a) => [attr(a, 'application'), attr(a, 'data')])).toEqual([['hangup', 'CALL_REJECTED']]);
  });
});

describe('modules.conf.xml', () => {
  it('loads exactly what verto-peer needs: no SIP (mod_sofia), no chatplan (mod_sms), no cloud connector', () => {
    const conf = parseXml(read('deploy/freeswitch/autoload_configs/modules.conf.xml'));
    expect(findAll(conf, 'load').map((l) => attr(l, 'module'))).toEqual([
      'mod_console', 'mod_logfile', 'mod_event_socket', 'mod_commands', 'mod_dptools', 'mod_dialplan_xml', 'mod_lua', 'mod_rtc', 'mod_verto',
    ]);
  });
});

describe('event_socket.conf.xml', () => {
  it('listens on loopback for loopback clients only, and not with the stock password', () => {
    const p = params(parseXml(read('deploy/freeswitch/autoload_configs/event_socket.conf.xml')));
    expect(p['listen-ip']).toBe('127.0.0.1');
    expect(p['apply-inbound-acl']).toBe('loopback.auto');
    expect(p.password).toBeTruthy();
    expect(p.password.toLowerCase()).not.toBe('cluecon');
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
    expect(user.params['jsonrpc-allowed-methods']).toBe(ALLOWED_METHODS);
    expect(user.params['jsonrpc-allowed-event-channels']).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*(,[A-Za-z0-9][A-Za-z0-9._-]*)*$/);
    expect(user.variables.user_context).toBe(CALL_CONTEXT);
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

describe('every directory source and example under deploy/ (README included)', () => {
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const methodLists = files(path.join(REPO, 'deploy')).flatMap((file) =>
    Array.from(fs.readFileSync(file, 'utf8').matchAll(/name="jsonrpc-allowed-methods"\s+value="([^"]*)"/g), (m) => [path.relative(REPO, file), m[1]]),
  );

  it('allows exactly the client\'s methods wherever a user is written out (the Django template takes them from one constant)', () => {
    const sources = new Set(methodLists.map(([file]) => file));
    expect(sources).toEqual(new Set(['deploy/README.md', 'deploy/freeswitch/directory/verto-peer.example.xml', 'deploy/django/verto_peer/templates/verto_peer/directory.xml']));
    for (const [file, value] of methodLists) expect([file, value]).toEqual([file, file.endsWith('templates/verto_peer/directory.xml') ? '{{ methods }}' : ALLOWED_METHODS]);
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
      {
        domain: 'pbx.example.org',
        id: 'u1',
        params: { password, 'jsonrpc-allowed-methods': ALLOWED_METHODS, 'jsonrpc-allowed-event-channels': 'c1,c2' },
        variables: { user_context: CALL_CONTEXT },
      },
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
