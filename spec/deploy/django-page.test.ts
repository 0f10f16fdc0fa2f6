/**
 * The Django channel page, rendered by real Django and parsed by jsdom's HTML parser (the
 * WHATWG algorithm browsers use), against the DOM contract of static/channel.html.
 * @jest-environment jsdom
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PYTHON, REPO, requireInterpreter, run } from './support/interpreters';

const DJANGO_HINT = "the Django tests need Debian's /usr/bin/python3 with Django (apt-get install python3-django; bash .ci/run installs it)";

const CONFIG = {
  // page_config appends the channel: nginx hashes on it (deploy/nginx).
  vertoUrl: '/verto/7c1d6a0e-62d0-4ed8-8cbb-4b7a8f61094d',
  channelId: '7c1d6a0e-62d0-4ed8-8cbb-4b7a8f61094d',
  login: 'ef5a7e82-d675-440a-b1ce-3278006b89be@pbx.example.org',
  password: 'de6980d8-ee66-4c68-9ec4-3a2c5e66b6c9',
  iceServers: [{ urls: 'stun:stun.example.org' }],
  indexUrl: '/',
};

function render(config: unknown, ...flags: string[]): string {
  const result = run(PYTHON, ['deploy/django/render_page.py', ...flags, '-'], JSON.stringify(config), DJANGO_HINT);
  if (result.status !== 0) throw new Error(`render_page.py failed: ${result.stderr}`);
  return result.stdout;
}

const parse = (html: string): Document => new DOMParser().parseFromString(html, 'text/html');
const URL_ATTRS = new Set(['src', 'href', 'poster']);

/** An element tree as tag, attributes and leaf text; URLs reduced to their file name (static URLs differ by prefix). */
interface Shape {
  tag: string;
  attrs: Record<string, string>;
  text?: string;
  children: Shape[];
}
function shape(el: Element): Shape {
  const attrs: Record<string, string> = {};
  for (const a of Array.from(el.attributes)) attrs[a.name] = URL_ATTRS.has(a.name) ? a.value.slice(a.value.lastIndexOf('/') + 1) : a.value;
  const children = Array.from(el.children).map(shape);
  return children.length === 0 && el.textContent?.trim() ? { tag: el.localName, attrs, text: el.textContent.trim(), children } : { tag: el.localName, attrs, children };
}

function configScripts(doc: Document): HTMLScriptElement[] {
  return Array.from(doc.querySelectorAll('script')).filter((s) => s.id === 'channel-config');
}

beforeAll(() => requireInterpreter(PYTHON, ['-c', 'import django'], DJANGO_HINT));

describe('verto_peer/channel_detail.html rendered by Django', () => {
  const contract = parse(fs.readFileSync(path.join(REPO, 'static/channel.html'), 'utf8'));
  let page: Document;
  beforeAll(() => {
    page = parse(render(CONFIG));
  });

  it('has exactly the body structure of static/channel.html, plus the config block where its placeholder is', () => {
    const children = Array.from(page.body.children);
    expect(children[children.length - 1]?.id).toBe('channel-config');
    expect(children.slice(0, -1).map(shape)).toEqual(Array.from(contract.body.children).map(shape));
  });

  it('has the head of static/channel.html: icon, stylesheet and the deferred bundle', () => {
    expect(shape(page.head)).toEqual(shape(contract.head));
    const bundle = page.querySelector('script[src]');
    expect(bundle?.getAttribute('src')).toBe('/static/verto_peer/verto-peer.js');
    expect(bundle?.hasAttribute('defer')).toBe(true);
    expect(page.querySelector('link[rel=stylesheet]')?.getAttribute('href')).toBe('/static/verto_peer/verto-peer.css');
  });

  it('takes static URLs from STATIC_URL ({% static %})', () => {
    const cdn = parse(render(CONFIG, '--static-url', 'https://cdn.example.org/s/'));
    expect(cdn.querySelector('script[src]')?.getAttribute('src')).toBe('https://cdn.example.org/s/verto_peer/verto-peer.js');
    expect(cdn.getElementById('media-player')?.getAttribute('poster')).toBe('https://cdn.example.org/s/verto_peer/poster.svg');
  });

  it('passes the config with json_script as a JSON data block the client reads back unchanged', () => {
    const [block] = configScripts(page);
    expect(block.type).toBe('application/json');
    expect(JSON.parse(block.textContent ?? '')).toEqual(CONFIG);
    expect(page.getElementById('nav-brand')?.getAttribute('href')).toBe('/');
  });

  it('has nothing a strict CSP would block: no inline script, handler or style attribute', () => {
    for (const script of Array.from(page.querySelectorAll('script'))) {
      expect(script.hasAttribute('src') || script.type === 'application/json').toBe(true);
    }
    for (const el of Array.from(page.querySelectorAll('*'))) {
      expect(Array.from(el.attributes).filter((a) => a.name.startsWith('on') || a.name === 'style')).toEqual([]);
    }
    expect(page.querySelectorAll('style')).toHaveLength(0);
  });
});

describe('hostile config values cannot break out of the config block', () => {
  const hostile = {
    ...CONFIG,
    channelId: '</script><script id="pwned">window.pwned=1</script>',
    login: '<!--<script>',
    password: `&amp; &lt; ' " \\ \u2028\u2029 </SCRIPT >`,
    iceServers: [{ urls: ['stun:a', '<\\/script>'], username: '-->', credential: '<![CDATA[' }],
    indexUrl: '/x"><script>window.pwned=2</script>',
  };
  let html: string;
  let page: Document;
  beforeAll(() => {
    html = render(hostile);
    page = parse(html);
  });

  it('round-trips every value exactly through the HTML parser and JSON.parse', () => {
    const blocks = configScripts(page);
    expect(blocks).toHaveLength(1);
    expect(JSON.parse(blocks[0].textContent ?? '')).toEqual(hostile);
  });

  it('adds no element: still one bundle script and one data block, and the contract intact', () => {
    expect(page.getElementById('pwned')).toBeNull();
    expect(page.querySelectorAll('script')).toHaveLength(2);
    const contract = parse(fs.readFileSync(path.join(REPO, 'static/channel.html'), 'utf8'));
    const expected = Array.from(contract.body.children).map(shape);
    const body = Array.from(page.body.children).slice(0, -1).map(shape);
    body[0].children[0].attrs.href = expected[0].children[0].attrs.href; // the brand link carries indexUrl: checked below
    expect(body).toEqual(expected);
    expect(page.getElementById('nav-brand')?.getAttribute('href')).toBe(hostile.indexUrl);
  });

  it('is escaped by json_script, not by luck: no raw "<" inside the block', () => {
    const inner = /<script id="channel-config" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(inner).not.toMatch(/[<>&]/);
    expect(inner).toContain('\\u003C/script\\u003E');
  });
});

describe('render_page.py --csp', () => {
  const directives = (csp: string): Map<string, string[]> =>
    new Map(csp.trim().split(/\s*;\s*/).map((d) => { const [name, ...values] = d.split(/\s+/); return [name, values]; }));

  it('allows the bundle from self and the socket only to the verto endpoint, resolved like the client does', () => {
    const csp = directives(render(CONFIG, '--csp', '--page-url', 'https://example.org/channels/7c1d/'));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(['wss://example.org']);
    expect(csp.get('media-src')).toEqual(['blob:', 'mediastream:']);
  });

  it('never allows inline script or eval', () => {
    const csp = render({ ...CONFIG, vertoUrl: 'ws://127.0.0.1:8081/verto' }, '--csp');
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(directives(csp).get('connect-src')).toEqual(['ws://127.0.0.1:8081']);
  });

  it('refuses a verto URL that is not ws(s)', () => {
    const result = run(PYTHON, ['deploy/django/render_page.py', '--csp', '-'], JSON.stringify({ ...CONFIG, vertoUrl: 'ftp://x/' }), DJANGO_HINT);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('vertoUrl must resolve to a ws:// or wss:// URL');
  });
});

describe('verto_peer.page.page_config', () => {
  type Outcome = { config?: Record<string, unknown>; error?: string };
  const build = (cases: readonly { domain: string | null; args: Record<string, unknown> }[]): Outcome[] => {
    const result = run(PYTHON, ['spec/deploy/support/page_config.py'], JSON.stringify(cases), DJANGO_HINT);
    if (result.status !== 0) throw new Error(`page_config.py failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as Outcome[];
  };
  const args = { client_id: 'ef5a7e82-d675-440a-b1ce-3278006b89be', password: 'de6980d8-ee66-4c68-9ec4-3a2c5e66b6c9', channel_id: '7c1d6a0e-62d0-4ed8-8cbb-4b7a8f61094d' };
  let outcomes: Outcome[];
  beforeAll(() => {
    outcomes = build([
      { domain: 'pbx.example.org', args: { ...args, ice_servers: [{ urls: 'stun:stun.example.org' }] } },
      { domain: null, args },
      { domain: 'pbx example.org', args },
      { domain: 'pbx.example.org', args: { ...args, client_id: 'u|1' } },
      { domain: 'pbx.example.org', args: { ...args, channel_id: 'c1,c2' } },
      { domain: 'pbx.example.org', args: { ...args, ice_transport_policy: 'relay' } },
      { domain: 'pbx.example.org', args: { ...args, ice_transport_policy: 'direct' } },
      { domain: 'pbx.example.org', args: { ...args, verto_url: 'wss://example.org/ws/' } },
      { domain: 'pbx.example.org', args: { ...args, verto_url: '/verto?channel=x' } },
    ]);
  });

  it('builds the page config with the login as id@VERTO_PEER_DOMAIN, which logs in with or without force-register-domain', () => {
    expect(outcomes[0]).toEqual({ config: CONFIG });
  });

  it('refuses to build one without a usable VERTO_PEER_DOMAIN (nobody could log in)', () => {
    expect(outcomes[1].error).toMatch(/^ImproperlyConfigured: VERTO_PEER_DOMAIN/);
    expect(outcomes[2].error).toMatch(/^ImproperlyConfigured: VERTO_PEER_DOMAIN/);
  });

  it('passes a relay-only policy next to the ICE servers, and refuses one the page would not take', () => {
    expect(outcomes[5].config).toEqual({ ...CONFIG, iceServers: [], iceTransportPolicy: 'relay' });
    expect(Object.keys(outcomes[5].config ?? {})).toEqual(['vertoUrl', 'channelId', 'login', 'password', 'iceServers', 'iceTransportPolicy', 'indexUrl']);
    expect(outcomes[6].error).toBe('ValueError: ice_transport_policy must be None, "all" or "relay"');
  });

  it('puts the channel id into the verto URL as its last path segment, after a path or an absolute wss:// URL', () => {
    expect(outcomes[0].config?.vertoUrl).toBe(`/verto/${args.channel_id}`);
    expect(outcomes[7].config?.vertoUrl).toBe(`wss://example.org/ws/${args.channel_id}`);
    expect(outcomes[8].error).toBe('ValueError: verto_url must be a path or URL without query or fragment: the channel id is appended');
  });

  it('refuses ids FreeSWITCH and the relay could not use', () => {
    expect(outcomes[3].error).toBe('ValueError: invalid client id');
    expect(outcomes[4].error).toBe('ValueError: invalid channel id');
  });
});
