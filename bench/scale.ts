/**
 * `npm run bench:scale`: channels spread over several nodes behind nginx, and one node's failure.
 *
 * Per run, all on 127.0.0.1 inside the loopback-only namespace (scripts/in-netns.sh): a page server
 * (build/server/main.js, Django's stand-in: it issues the clients and serves them at its directory view),
 * a counting proxy in front of that view (bench/scale-directory.ts), three nodes (build/server/main.js
 * --directory-url, one process each, on fixed ports so the hash ring is the same every run), and Debian's
 * nginx with the shipped deploy/nginx files rendered for those ports (e2e/support/nginx.ts). 3 000 pages
 * (bench/scale-client.ts: raw verto, the client's presence protocol and reconnect schedule) in 300
 * channels connect through nginx. Measured: clients per node, channels on more than one node, presence
 * delivery through the proxy, directory requests per login and per call setup (with and without the
 * users' cacheable attribute), and after SIGKILL of the busiest node: when each of its clients is back
 * and seen by every other page of its channel, and how many clients of the other nodes were disturbed.
 * Medians over BENCH_RUNS runs (default 3), written to bench/README.md between the scale markers.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { NGINX_PATH, startNginx, type Nginx } from '../e2e/support/nginx';
import { ScaleClient, type ClientHooks } from './scale-client';
import { startDirectoryProxy, type DirectoryProxy } from './scale-directory';

const NODES = 3;
const CHANNELS = 300;
const PER_CHANNEL = 10;
const ROUNDS = 2;
/** Broadcasts of one round are spread over this long (a steady rate, not one burst). */
const ROUND_SPREAD_MS = 2_000;
/** Call setups per group (users with and without cacheable), run one after the other. */
const CALLS = 5;
/** Peer messages of one call setup (bench/README.md, call setup: 11 verto.info per call). */
const CALL_MESSAGES = 11;
/** The last channels' users are answered without cacheable (the control group). */
const UNCACHED_CHANNELS = 10;
const SETUP_CONCURRENCY = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Fixed node ports (a fresh namespace has them free): the ring is built from the server names. */
const NODE_BASE_PORT = 18081;
const STEP_TIMEOUT_MS = 60_000;
/** The whole benchmark, all runs: it must end well inside 5 minutes. */
const WATCHDOG_MS = 290_000;

const root = join(__dirname, '..', '..');
const serverMain = join(root, 'build', 'server', 'main.js');
const children = new Set<ChildProcess>();

interface RunResult {
  readonly setupSeconds: number;
  readonly perNode: readonly number[];
  readonly splitChannels: number;
  readonly presenceP50: number;
  readonly presenceP99: number;
  readonly presenceDelivered: number;
  readonly presenceExpected: number;
  readonly lookupsPerLogin: number;
  readonly lookupsPerCallCached: number;
  readonly lookupsPerCallUncached: number;
  readonly victimClients: number;
  readonly victimChannels: number;
  readonly backP50: number;
  readonly backP99: number;
  readonly seenP50: number;
  readonly seenP99: number;
  readonly seenMax: number;
  readonly unseen: number;
  readonly movedSplit: number;
  readonly disturbed: number;
  readonly failoverLookups: number;
}

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
const percentile = (values: readonly number[], p: number): number => {
  const s = sorted(values);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const median = (values: readonly number[]): number => percentile(values, 50);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 10 ms until it holds or `ms` passed; says which. */
async function until(done: () => boolean, ms = STEP_TIMEOUT_MS): Promise<boolean> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) return false;
    await sleep(10);
  }
  return true;
}

/** A server process; resolves with its port once it printed its listening line. */
function spawnServer(args: readonly string[], env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverMain, '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    children.add(child);
    child.once('exit', () => children.delete(child));
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const match = /(?:open http|verto on ws):\/\/127\.0\.0\.1:(\d+)\//.exec(buffered);
      if (!match) return;
      // Keep draining the log so the process never blocks on a full pipe.
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve({ child, port: Number(match[1]) });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server ${args.join(' ')} exited early with ${code}`)));
  });
}

async function pageJson(url: string): Promise<{ channelId: string; login: string; password: string }> {
  const html = await (await fetch(url)).text();
  const json = /<script id="channel-config" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
  return JSON.parse(json) as { channelId: string; login: string; password: string };
}

/** Channels through `GET /`, clients through `GET /c/<id>`, as pages load. */
async function issueClients(pageUrl: string): Promise<Array<{ channelId: string; login: string; password: string }>> {
  const channels: string[] = [];
  for (let c = 0; c < CHANNELS; c += 1) channels.push(new URL((await fetch(`${pageUrl}/`, { redirect: 'manual' })).headers.get('location') ?? '', pageUrl).pathname);
  const pages: Array<{ channelId: string; login: string; password: string }> = [];
  for (const path of channels) pages.push(...(await Promise.all(Array.from({ length: PER_CHANNEL }, () => pageJson(`${pageUrl}${path}`)))));
  return pages;
}

/** What every page has seen of every other, with times. */
class Observations implements ClientHooks {
  /** viewer login → (sender login → performance.now() of the latest presence seen). */
  readonly seen = new Map<string, Map<string, number>>();
  readonly latencies: number[] = [];
  measuring = false;
  readonly drops = new Map<ScaleClient, number>();
  readonly backAt = new Map<ScaleClient, number>();
  readonly peerMessages: Array<{ to: string; from: string; seq: number }> = [];

  onPresence(client: ScaleClient, from: string, kind: string, sentAt: number): void {
    const now = performance.now();
    let row = this.seen.get(client.login);
    if (!row) this.seen.set(client.login, (row = new Map()));
    row.set(from, now);
    if (this.measuring && kind === 'available' && Number.isFinite(sentAt)) this.latencies.push(now - sentAt);
  }

  onPeerMessage(client: ScaleClient, from: string, body: Record<string, unknown>): void {
    this.peerMessages.push({ to: client.login, from, seq: Number(body.seq) });
  }

  onDrop(client: ScaleClient): void {
    this.drops.set(client, (this.drops.get(client) ?? 0) + 1);
  }

  onBack(client: ScaleClient): void {
    this.backAt.set(client, performance.now());
  }

  /** When `viewer` last saw `sender`, if ever. */
  sawAt(viewer: string, sender: string): number | undefined {
    return this.seen.get(viewer)?.get(sender);
  }
}

function byChannel(clients: readonly ScaleClient[]): Map<string, ScaleClient[]> {
  const channels = new Map<string, ScaleClient[]>();
  for (const client of clients) channels.set(client.channel, [...(channels.get(client.channel) ?? []), client]);
  return channels;
}

/** Channels whose pages are on more than one node. */
const splitChannels = (channels: Iterable<ScaleClient[]>): number => [...channels].filter((members) => new Set(members.map((c) => c.node)).size !== 1).length;

/** One call setup's worth of peer messages between two pages, each sent when the previous one arrived; returns the directory lookups it cost. */
async function callSetup(a: ScaleClient, b: ScaleClient, observations: Observations, proxy: DirectoryProxy): Promise<number> {
  const before = proxy.counts.login + proxy.counts.userData;
  for (let seq = 0; seq < CALL_MESSAGES; seq += 1) {
    const [from, to] = seq % 2 === 0 ? [a, b] : [b, a];
    from.message(to.login, { kind: 'call', seq });
    const arrived = await until(() => observations.peerMessages.some((m) => m.to === to.login && m.seq === seq), 5_000);
    if (!arrived) throw new Error(`call message ${seq} never arrived`);
  }
  return proxy.counts.login + proxy.counts.userData - before;
}

async function oneRun(): Promise<RunResult> {
  const secret = `bench:${randomBytes(16).toString('hex')}`;
  const page = await spawnServer(['--port', '0', '--directory-cacheable', '60000'], { VERTO_PEER_XML_CURL_CREDENTIALS: secret });
  const pageUrl = `http://127.0.0.1:${page.port}`;
  const proxy = await startDirectoryProxy(`${pageUrl}/freeswitch/directory/`);
  const nodes = await Promise.all(
    Array.from({ length: NODES }, (_, i) => spawnServer(['--port', String(NODE_BASE_PORT + i), '--directory-url', proxy.url], { VERTO_PEER_DIRECTORY_CREDENTIALS: secret })),
  );
  let nginx: Nginx | undefined;
  const observations = new Observations();
  const clients: ScaleClient[] = [];
  try {
    nginx = await startNginx({ nodePorts: nodes.map((n) => n.port), pagePort: page.port, workerConnections: 16_384 });
    const pages = await issueClients(pageUrl);
    const channelIds = [...new Set(pages.map((p) => p.channelId))];
    const uncachedChannels = new Set(channelIds.slice(-UNCACHED_CHANNELS));
    for (const p of pages) if (uncachedChannels.has(p.channelId)) proxy.uncached.add(p.login.split('@')[0]);
    const wsBase = nginx.url.replace(/^http/, 'ws');
    for (const p of pages) clients.push(new ScaleClient(`${wsBase}/verto/${p.channelId}`, p.channelId, p.login, p.password, randomUUID(), observations));

    // Setup: every page connects through nginx, a burst of page loads at a time.
    const loginsBefore = proxy.counts.login;
    const setupStart = performance.now();
    for (let i = 0; i < clients.length; i += SETUP_CONCURRENCY) await Promise.all(clients.slice(i, i + SETUP_CONCURRENCY).map((c) => c.connect()));
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const lookupsPerLogin = (proxy.counts.login - loginsBefore) / clients.length;
    const channels = byChannel(clients);
    const everyoneSeen = (members: readonly ScaleClient[], since = 0): boolean =>
      members.every((viewer) => members.every((sender) => sender === viewer || (observations.sawAt(viewer.login, sender.login) ?? -1) >= since));
    if (!(await until(() => [...channels.values()].every((m) => everyoneSeen(m))))) throw new Error('pages did not all see each other after setup');
    const perNode = nodes.map((n) => clients.filter((c) => c.node === `127.0.0.1:${n.port}`).length);
    const split = splitChannels(channels.values());

    // Presence through the proxy: every page broadcasts `available`, ROUNDS times, at a steady rate.
    observations.measuring = true;
    const expectedPerRound = clients.length * (PER_CHANNEL - 1);
    for (let round = 0; round < ROUNDS; round += 1) {
      const target = observations.latencies.length + expectedPerRound;
      const start = performance.now();
      for (const [index, client] of clients.entries()) {
        const due = start + (index / clients.length) * ROUND_SPREAD_MS;
        if (due > performance.now()) await sleep(due - performance.now());
        client.broadcast('available');
      }
      await until(() => observations.latencies.length >= target, 15_000);
    }
    observations.measuring = false;
    const presence = [...observations.latencies];

    // Directory requests per call setup: users with cacheable (looked up at login), and without.
    const cached = [...channels.entries()].filter(([id]) => !uncachedChannels.has(id)).slice(0, CALLS);
    const uncached = [...channels.entries()].filter(([id]) => uncachedChannels.has(id)).slice(0, CALLS);
    const callLookups = async (group: Array<[string, ScaleClient[]]>): Promise<number[]> => {
      const counts: number[] = [];
      for (const [, members] of group) counts.push(await callSetup(members[0], members[1], observations, proxy));
      return counts;
    };
    const cachedCounts = await callLookups(cached);
    const uncachedCounts = await callLookups(uncached);

    // Failover: SIGKILL the busiest node; its pages reconnect through nginx.
    const victimIndex = perNode.indexOf(Math.max(...perNode));
    const victimAddress = `127.0.0.1:${nodes[victimIndex].port}`;
    const victims = clients.filter((c) => c.node === victimAddress);
    const victimChannels = [...channels.values()].filter((members) => members[0].node === victimAddress);
    const others = clients.filter((c) => c.node !== victimAddress);
    const failoverLookupsBefore = proxy.counts.login + proxy.counts.userData;
    observations.drops.clear();
    const killedAt = performance.now();
    nodes[victimIndex].child.kill('SIGKILL');
    const allSeen = await until(() => victimChannels.every((members) => everyoneSeen(members, killedAt)));
    // Seen: the latest time any other page of its channel first saw it after the kill.
    const seenTimes: number[] = [];
    let unseen = 0;
    for (const members of victimChannels) {
      for (const sender of members) {
        const times = members.filter((v) => v !== sender).map((viewer) => observations.sawAt(viewer.login, sender.login) ?? -1);
        if (times.some((t) => t < killedAt)) unseen += 1;
        else seenTimes.push(Math.max(...times) - killedAt);
      }
    }
    if (!allSeen) console.error(`bench: ${unseen} pages of the killed node's channels were not seen again within ${STEP_TIMEOUT_MS / 1000} s`);
    const backTimes = victims.map((c) => (observations.backAt.get(c) ?? NaN) - killedAt).filter(Number.isFinite);
    const disturbed = others.filter((c) => observations.drops.has(c)).length;
    return {
      setupSeconds,
      perNode,
      splitChannels: split,
      presenceP50: percentile(presence, 50),
      presenceP99: percentile(presence, 99),
      presenceDelivered: presence.length,
      presenceExpected: expectedPerRound * ROUNDS,
      lookupsPerLogin,
      lookupsPerCallCached: median(cachedCounts),
      lookupsPerCallUncached: median(uncachedCounts),
      victimClients: victims.length,
      victimChannels: victimChannels.length,
      backP50: percentile(backTimes, 50),
      backP99: percentile(backTimes, 99),
      seenP50: percentile(seenTimes, 50),
      seenP99: percentile(seenTimes, 99),
      seenMax: Math.max(...seenTimes),
      unseen,
      movedSplit: splitChannels(victimChannels) + victimChannels.filter((m) => m[0].node === victimAddress).length,
      disturbed,
      failoverLookups: proxy.counts.login + proxy.counts.userData - failoverLookupsBefore,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await nginx?.stop();
    for (const { child } of [...nodes, page]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all([...nodes, page].map(({ child }) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await proxy.close();
  }
}

function writeReadme(table: string): void {
  const path = join(root, 'bench', 'README.md');
  const start = '<!-- scale:start -->';
  const end = '<!-- scale:end -->';
  const current = readFileSync(path, 'utf8');
  const section = `${start}\n${table}${end}`;
  const next = current.includes(start)
    ? current.slice(0, current.indexOf(start)) + section + current.slice(current.indexOf(end) + end.length)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

function table(runs: readonly RunResult[], load: number, endLoad: number): string {
  const m = (pick: (r: RunResult) => number, digits = 0): string => median(runs.map(pick)).toFixed(digits);
  const range = (pick: (r: RunResult) => number, digits = 0): string => `${Math.min(...runs.map(pick)).toFixed(digits)}–${Math.max(...runs.map(pick)).toFixed(digits)}`;
  const row = (what: string, pick: (r: RunResult) => number, unit: string, digits = 0): string => `| ${what} | ${m(pick, digits)}${unit} | ${range(pick, digits)}${unit} |`;
  const mean = (CHANNELS * PER_CHANNEL) / NODES;
  const spread = (r: RunResult): number => Math.max(...r.perNode.map((n) => Math.abs(n - mean) / mean)) * 100;
  return [
    '## Scale: several nodes behind nginx',
    '',
    `\`npm run bench:scale\` (bench/scale.ts): ${CHANNELS * PER_CHANNEL} simulated pages (raw verto over WebSocket, the client's presence protocol and`,
    `reconnect schedule) in ${CHANNELS} channels of ${PER_CHANNEL}, through Debian's nginx (${NGINX_PATH}) with the shipped deploy/nginx files rendered for`,
    `${NODES} development-server nodes (each its own process, reading its users from a URL as mod_xml_curl does), all on 127.0.0.1 in a`,
    'loopback-only namespace. The directory is the page server\'s view (Django\'s stand-in), behind a counting proxy; the users of',
    `${UNCACHED_CHANNELS} channels are answered without \`cacheable\` (Django with VERTO_PEER_DIRECTORY_CACHE_MS = 0), the others with 60 000 ms.`,
    `Presence: every page broadcasts \`available\` ${ROUNDS} times, each round spread over ${ROUND_SPREAD_MS / 1000} s; latency from send to each other page of the`,
    'channel, which includes the nodes\' ~40 ms event flush (as mod_verto) and the benchmark process\'s own queueing (one process holds',
    `all ${CHANNELS * PER_CHANNEL} sockets). Call setup: ${CALL_MESSAGES} peer messages between two pages, each sent when the previous arrived. Failover: SIGKILL of the`,
    'node with the most pages; "back" is logged in, subscribed and `ready` sent again; "seen" is when the last other page of its channel',
    'had its presence again (its `ready`, or its direct answer to the other\'s `ready`); "disturbed" counts pages of the other nodes whose',
    'socket dropped at all.',
    '',
    `Machine: ${availableParallelism()} CPUs (nproc), node ${process.version}, load average ${load.toFixed(1)} at start and ${endLoad.toFixed(1)} at end (shared with`,
    `other work: absolute times are noisy); ${new Date().toISOString().slice(0, 10)}. Medians of ${runs.length} runs (min–max).`,
    '',
    '| measure | median | range |',
    '| --- | --- | --- |',
    row('pages on the busiest node', (r) => Math.max(...r.perNode), ''),
    row('pages on the least busy node', (r) => Math.min(...r.perNode), ''),
    row(`largest distance of a node from the mean (${mean})`, spread, ' %'),
    row('channels on more than one node', (r) => r.splitChannels, ''),
    row(`setup: ${CHANNELS * PER_CHANNEL} pages connected, ${SETUP_CONCURRENCY} at a time`, (r) => r.setupSeconds, ' s', 1),
    row('presence delivery through nginx, p50', (r) => r.presenceP50, ' ms'),
    row('presence delivery through nginx, p99', (r) => r.presenceP99, ' ms'),
    row(`presence copies received (of ${runs[0].presenceExpected})`, (r) => r.presenceDelivered, ''),
    row('directory requests per login (mod_verto\'s lookup)', (r) => r.lookupsPerLogin, '', 2),
    row(`directory requests per call setup (${CALL_MESSAGES} peer messages), users cacheable 60 s`, (r) => r.lookupsPerCallCached, ''),
    row('directory requests per call setup, users not cacheable', (r) => r.lookupsPerCallUncached, ''),
    row('killed node: its pages', (r) => r.victimClients, ''),
    row('killed node: channels', (r) => r.victimChannels, ''),
    row('kill → page back on another node, p50', (r) => r.backP50, ' ms'),
    row('kill → page back on another node, p99', (r) => r.backP99, ' ms'),
    row('kill → page seen by every other page of its channel, p50', (r) => r.seenP50, ' ms'),
    row('kill → page seen by every other page of its channel, p99', (r) => r.seenP99, ' ms'),
    row('kill → last page seen', (r) => r.seenMax, ' ms'),
    row('pages of the killed node not seen again within 60 s', (r) => r.unseen, ''),
    row('moved channels on more than one node (or still on the dead one)', (r) => r.movedSplit, ''),
    row('pages of the other nodes disturbed', (r) => r.disturbed, ''),
    row('directory requests during the failover', (r) => r.failoverLookups, ''),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing: run npm run build:server first`);
  if (!existsSync(NGINX_PATH)) throw new Error(`${NGINX_PATH} is missing: apt-get install nginx`);
  const watchdog = setTimeout(() => {
    console.error(`bench: over ${WATCHDOG_MS / 1000} s; stopping`);
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  }, WATCHDOG_MS);
  const load = loadavg()[0];
  const runs: RunResult[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    const result = await oneRun();
    console.log(`run ${i + 1}/${RUNS} (${((performance.now() - started) / 1000).toFixed(0)} s): ${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
    runs.push(result);
  }
  clearTimeout(watchdog);
  const text = table(runs, load, loadavg()[0]);
  console.log(`\n${text}`);
  writeReadme(text);
  console.log('written to bench/README.md (section "Scale: several nodes behind nginx")');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
