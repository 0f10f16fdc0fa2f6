import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { checkConfig, LOCATION_FILE, NGINX_PATH, NODE_HEADER, renderNginxConfig, renderUpstream, startNginx, UPSTREAM_FILE, type Nginx } from '../../e2e/support/nginx';
import type { RunningServer } from '../../server/server';
import { fixtureStore } from '../server/support/fixture-users';
import { startTestServer } from '../server/support/start';

const NGINX_HINT = "the nginx tests need Debian's nginx at /usr/sbin/nginx (apt-get install nginx; bash .ci/run installs it) or NGINX_PATH";
const strip = (text: string): string => text.replace(/#.*$/gm, '');
const upstream = strip(readFileSync(UPSTREAM_FILE, 'utf8'));
const location = strip(readFileSync(LOCATION_FILE, 'utf8'));
const seconds = (conf: string, directive: string): number => Number(new RegExp(`${directive}\\s+(\\d+)s;`).exec(conf)?.[1] ?? NaN);

describe('the shipped nginx files', () => {
  it('hash the verto path\'s channel id over the nodes, consistently, with failure state shared by the workers', () => {
    expect(upstream).toMatch(/upstream\s+verto_peer_freeswitch\s*\{/);
    expect(upstream).toMatch(/^\s*hash\s+\$verto_peer_channel\s+consistent;/m);
    expect(upstream).toMatch(/^\s*zone\s+verto_peer_freeswitch\s+\d+k;/m);
    // The location is the only place the key comes from: /verto/<id>, nothing else.
    expect(location).toMatch(/location\s+~\s+"\^\/verto\/\(\?<verto_peer_channel>\[A-Za-z0-9\]\[A-Za-z0-9._-\]\{0,127\}\)\$"\s*\{/);
    expect(location).toMatch(/proxy_pass\s+http:\/\/verto_peer_freeswitch;/);
  });

  it('take a dead node out at its first failed connect, for at most 10 s, and retry the request on the next node', () => {
    const servers = [...upstream.matchAll(/^\s*server\s+(\S+)\s+(.*);/gm)];
    expect(servers.length).toBeGreaterThan(0);
    for (const [, , parameters] of servers) {
      expect(parameters).toMatch(/\bmax_fails=1\b/);
      expect(Number(/\bfail_timeout=(\d+)s\b/.exec(parameters)?.[1])).toBeLessThanOrEqual(10);
    }
    expect(seconds(location, 'proxy_connect_timeout')).toBeLessThanOrEqual(2);
    expect(location).toMatch(/proxy_next_upstream\s+error\s+timeout;/);
    expect(seconds(location, 'proxy_next_upstream_timeout')).toBeLessThanOrEqual(10);
  });

  it('proxy the upgrade, and keep idle sockets open well past the 40-50 s client keepalive', () => {
    expect(location).toMatch(/proxy_http_version\s+1\.1;/);
    expect(location).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade;/);
    expect(location).toMatch(/proxy_set_header\s+Connection\s+\$verto_peer_connection_upgrade;/);
    expect(upstream).toMatch(/map\s+\$http_upgrade\s+\$verto_peer_connection_upgrade\s*\{\s*default\s+upgrade;\s*''\s+close;\s*\}/);
    for (const directive of ['proxy_read_timeout', 'proxy_send_timeout']) expect(seconds(location, directive)).toBeGreaterThanOrEqual(90);
  });

  it('render for a test by replacing only the server lines, each keeping the shipped parameters', () => {
    const shipped = readFileSync(UPSTREAM_FILE, 'utf8');
    const rendered = renderUpstream(shipped, [9001, 9002, 9003]);
    expect([...rendered.matchAll(/^\s*server\s+(.*);$/gm)].map((m) => m[1])).toEqual([9001, 9002, 9003].map((p) => `127.0.0.1:${p} max_fails=1 fail_timeout=10s`));
    const others = (text: string): string[] => text.split('\n').filter((line) => !/^\s*server\s/.test(line));
    expect(others(rendered)).toEqual(others(shipped));
    expect(() => renderUpstream('upstream x { hash $a consistent; }', [1])).toThrow('the shipped upstream has no server line');
  });
});

describe('nginx with the shipped files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'verto-peer-nginx-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the rendered configuration (nginx -t)', async () => {
    const result = await checkConfig(dir, renderNginxConfig({ dir, port: 18080, nodePorts: [18081, 18082, 18083], pagePort: 18090 }));
    if (result.status === null) throw new Error(`${result.output}: ${NGINX_HINT}`);
    expect(result.output).toContain('test is successful');
    expect(result.status).toBe(0);
  });

  it('accepts it as an unprivileged user too (CI runs the tests as root)', async () => {
    const config = renderNginxConfig({ dir, port: 18080, nodePorts: [18081], asRoot: false });
    expect(config).not.toMatch(/^user /m);
    if (process.getuid?.() !== 0) return void expect((await checkConfig(dir, config)).status).toBe(0);
    // As root: the same render checked as nobody, every path in the test's directory.
    const path = join(dir, 'nginx.conf');
    writeFileSync(path, config);
    chmodSync(dir, 0o777);
    const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', NGINX_PATH, '-t', '-p', dir, '-e', join(dir, 'error.log'), '-c', path], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toContain('test is successful');
    expect(result.status).toBe(0);
  });

  it('refuses a broken configuration with nginx\'s own message', async () => {
    const result = await checkConfig(dir, renderNginxConfig({ dir, port: 18080, nodePorts: [18081] }).replace('daemon off;', 'daemon off'));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/\[emerg\]/);
  });
});

describe('channel affinity through nginx', () => {
  let nodes: RunningServer[];
  let nginx: Nginx;
  const store = fixtureStore();

  /** Opens a socket through nginx; resolves with the node that took it (the test header), or the refusal status. */
  const open = (path: string): Promise<{ node?: string; status?: number; ws?: WebSocket }> =>
    new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${nginx.port}${path}`);
      // $upstream_addr lists every node tried ("dead, next"): the socket is on the last.
      ws.once('upgrade', (res: IncomingMessage) => resolve({ node: String(res.headers[NODE_HEADER]).split(', ').pop(), ws }));
      ws.once('unexpected-response', (_req, res: IncomingMessage) => (resolve({ status: res.statusCode }), ws.terminate()));
      ws.once('error', () => undefined);
    });

  beforeAll(async () => {
    nodes = await Promise.all([0, 1, 2].map(() => startTestServer({ store })));
    nginx = await startNginx({ nodePorts: nodes.map((n) => n.port) });
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(nodes.map((n) => n.close()));
  });

  it('sends every socket of a channel to one node, and moves only the channels of a node that died, each to one other node', async () => {
    const channels = Array.from({ length: 30 }, (_, i) => `channel-${i}`);
    const nodeOf = async (channel: string): Promise<string> => {
      const seen = new Set<string>();
      for (let i = 0; i < 3; i += 1) {
        const { node, ws } = await open(`/verto/${channel}`);
        seen.add(node ?? 'refused');
        ws?.close();
      }
      expect(seen.size).toBe(1);
      return [...seen][0];
    };
    const before = new Map<string, string>();
    for (const channel of channels) before.set(channel, await nodeOf(channel));
    // 30 channels over 3 nodes: all three get some.
    expect(new Set(before.values()).size).toBe(3);
    const victim = nodes[1];
    const victimAddress = `127.0.0.1:${victim.port}`;
    await victim.close();
    for (const channel of channels) {
      const after = await nodeOf(channel);
      if (before.get(channel) === victimAddress) expect(after).not.toBe(victimAddress);
      else expect(after).toBe(before.get(channel));
    }
    // nginx took the node out at its first refused connect, and said so.
    expect(nginx.errorLog()).toMatch(/connect\(\) failed \(111: Connection refused\) while connecting to upstream/);
  });

  it('refuses a verto path without a well-formed channel id (no socket outside the hash)', async () => {
    for (const path of ['/verto', '/verto/', '/verto/a|b', '/verto/a/b', `/verto/${'x'.repeat(129)}`]) expect((await open(path)).status).toBe(404);
  });
});

describe('adding a node: nginx -s reload with worker_shutdown_timeout (deploy/README.md)', () => {
  let nodes: RunningServer[];
  let nginx: Nginx;
  const store = fixtureStore();

  beforeAll(async () => {
    nodes = await Promise.all([0, 1, 2].map(() => startTestServer({ store })));
    nginx = await startNginx({ nodePorts: [nodes[0].port, nodes[1].port], shutdownTimeoutS: 1 });
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(nodes.map((n) => n.close()));
  });

  const connect = (channel: string): Promise<{ node: string; ws: WebSocket; closed: Promise<void> }> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${nginx.port}/verto/${channel}`);
      const closed = new Promise<void>((done) => ws.once('close', () => done()));
      ws.once('upgrade', (res: IncomingMessage) => resolve({ node: String(res.headers[NODE_HEADER]).split(', ').pop() ?? '', ws, closed }));
      ws.once('error', reject);
    });

  it('moves only the channels the new node takes, and closes the old sockets so that no channel stays split', async () => {
    const channels = Array.from({ length: 30 }, (_, i) => `ch-${i}`);
    const before = await Promise.all(channels.map(connect));
    await nginx.reload(nodes.map((n) => n.port));
    // A socket opened now follows the new ring; the old ones are still where they were.
    const fresh = await Promise.all(channels.map(connect));
    const third = `127.0.0.1:${nodes[2].port}`;
    const moved = channels.filter((_, i) => fresh[i].node !== before[i].node);
    expect(moved.length).toBeGreaterThan(0);
    for (const [i] of channels.entries()) if (fresh[i].node !== before[i].node) expect(fresh[i].node).toBe(third);
    // worker_shutdown_timeout: the old worker closes what it still holds, so every page reconnects by the new ring.
    const started = Date.now();
    await Promise.all(before.map((b) => b.closed));
    expect(Date.now() - started).toBeLessThan(5000);
    const again = await Promise.all(channels.map(connect));
    expect(again.map((a) => a.node)).toEqual(fresh.map((f) => f.node));
    for (const socket of [...fresh, ...again]) socket.ws.close();
  });
});
