/**
 * `npm run bench:server`: load on the development verto server.
 *
 * Per run: the server (build/server/main.js) starts in a child process on an ephemeral 127.0.0.1 port, so its RSS
 * is its own; 50 channels are made through `GET /` and 10 clients issued per channel through `GET /c/<id>`
 * (500 page loads); 500 WebSocket clients open, log in, wait for verto.clientReady and subscribe (connection setup);
 * then every client broadcasts presence (localBroadcast) ROUNDS times and each copy's delivery latency is
 * measured at every subscriber of the channel. Results are medians over RUNS runs, written to bench/README.md.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';

const CHANNELS = 50;
const CLIENTS_PER_CHANNEL = 10;
const ROUNDS = 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Concurrent connection setups (a burst of page loads, not one huge thundering herd). */
const SETUP_CONCURRENCY = 50;
/** Hard bound for one run. */
const RUN_TIMEOUT_MS = 60_000;

const root = join(__dirname, '..', '..');
const serverMain = join(root, 'build', 'server', 'main.js');

interface RunResult {
  readonly setupPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly deliveries: number;
  readonly expectedDeliveries: number;
  readonly rssAfterSetupMb: number;
  readonly peakRssMb: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function httpGet(url: string): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads VmRSS / VmHWM (kB) of the server process from /proc. */
function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverMain, '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const match = /open (http:\/\/127\.0\.0\.1:\d+)\//.exec(buffered);
      if (match) {
        // Keep draining the server's log so it never blocks on a full pipe.
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

interface Client {
  readonly ws: WebSocket;
  readonly channel: string;
  readonly login: string;
}

/** Opens one client and takes it through login → clientReady → subscribe, as the browser client does. */
function setUpClient(vertoUrl: string, channel: string, login: string, password: string, onEvent: (sentAt: number) => void): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(vertoUrl);
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'login', method: 'login', params: { login, passwd: password } })));
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { id?: unknown; method?: string; result?: unknown; error?: unknown; params?: { eventData?: string } };
      if (frame.method === 'verto.clientReady') ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'sub', method: 'verto.subscribe', params: { eventChannel: channel } }));
      else if (frame.id === 'sub' && frame.result) resolve({ ws, channel, login });
      else if (frame.error) reject(new Error(`setup failed: ${JSON.stringify(frame.error)}`));
      else if (frame.method === 'verto.event' && frame.params?.eventData) {
        const presence = JSON.parse(Buffer.from(frame.params.eventData, 'base64').toString('utf8')) as { sentAt: number };
        onEvent(presence.sentAt);
      }
    });
  });
}

async function oneRun(): Promise<RunResult> {
  const { child, url } = await startChild();
  const deadline = setTimeout(() => {
    console.error('bench: run took too long; stopping the server');
    child.kill('SIGKILL');
  }, RUN_TIMEOUT_MS);
  try {
    const credentials: Array<{ channel: string; login: string; password: string }> = [];
    for (let c = 0; c < CHANNELS; c += 1) {
      const channelPath = (await httpGet(`${url}/`)).location ?? '';
      for (let i = 0; i < CLIENTS_PER_CHANNEL; i += 1) {
        const page = await httpGet(`${url}${channelPath}`);
        const json = /<script id="channel-config" type="application\/json">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '';
        const config = JSON.parse(json) as { channelId: string; login: string; password: string };
        credentials.push({ channel: config.channelId, login: config.login, password: config.password });
      }
    }
    const latencies: number[] = [];
    const onEvent = (sentAt: number): void => void latencies.push(performance.now() - sentAt);
    const vertoUrl = `${url.replace(/^http/, 'ws')}/verto`;
    const clients: Client[] = [];
    const setupStart = performance.now();
    for (let i = 0; i < credentials.length; i += SETUP_CONCURRENCY) {
      const batch = credentials.slice(i, i + SETUP_CONCURRENCY);
      clients.push(...(await Promise.all(batch.map((c) => setUpClient(vertoUrl, c.channel, c.login, c.password, onEvent)))));
    }
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const afterSetup = memoryMb(child.pid ?? 0);

    const expectedDeliveries = clients.length * CLIENTS_PER_CHANNEL * ROUNDS;
    for (let round = 0; round < ROUNDS; round += 1) {
      const target = latencies.length + clients.length * CLIENTS_PER_CHANNEL;
      for (const client of clients) {
        const eventData = Buffer.from(JSON.stringify({ peerStatus: 'available', peerName: client.login.slice(0, 5), sentAt: performance.now() })).toString('base64');
        client.ws.send(JSON.stringify({ jsonrpc: '2.0', id: `b${round}`, method: 'verto.broadcast', params: { eventChannel: client.channel, localBroadcast: true, eventData } }));
      }
      // Wait (bounded) for this round's copies before the next one.
      const until = performance.now() + 10_000;
      while (latencies.length < target && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const peak = memoryMb(child.pid ?? 0).peak;
    await Promise.all(clients.map((c) => new Promise((resolve) => (c.ws.once('close', resolve), c.ws.close(1000)))));
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      setupPerSecond: clients.length / setupSeconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      deliveries: latencies.length,
      expectedDeliveries,
      rssAfterSetupMb: afterSetup.rss,
      peakRssMb: peak,
    };
  } finally {
    clearTimeout(deadline);
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}

function writeReadme(table: string): void {
  const path = join(root, 'bench', 'README.md');
  const start = '<!-- server-load:start -->';
  const end = '<!-- server-load:end -->';
  const section = `${start}\n${table}${end}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const next = current.includes(start)
    ? current.slice(0, current.indexOf(start)) + section + current.slice(current.indexOf(end) + end.length)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

async function main(): Promise<void> {
  if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing: run npm run build:server first`);
  const load = loadavg()[0];
  const runs: RunResult[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const result = await oneRun();
    console.log(`run ${i + 1}/${RUNS}: ${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
    runs.push(result);
  }
  const m = (pick: (r: RunResult) => number): string => median(runs.map(pick)).toFixed(1);
  const range = (pick: (r: RunResult) => number): string => `${Math.min(...runs.map(pick)).toFixed(1)}–${Math.max(...runs.map(pick)).toFixed(1)}`;
  const date = new Date().toISOString().slice(0, 10);
  const table = [
    '## Server load',
    '',
    `\`npm run bench:server\` (bench/server-load.ts): ${CHANNELS * CLIENTS_PER_CHANNEL} WebSocket clients in ${CHANNELS} channels, each issued through`,
    '`GET /c/<channel>`, logged in and subscribed; then every client broadcasts presence (`localBroadcast`) ' + `${ROUNDS} times,`,
    `so each round delivers ${CHANNELS * CLIENTS_PER_CHANNEL * CLIENTS_PER_CHANNEL} copies. The server runs in its own child process (its RSS is measured from /proc)`,
    'and logs every event to a pipe, as `npm start` does. Delivery latency includes the ~40 ms event flush delay the server',
    'adds on purpose to match mod_verto (events are queued and flushed when the socket idles), and the setup rate is',
    `bounded by the ~100 ms verto.clientReady delay (also mod_verto's): at most ${SETUP_CONCURRENCY * 10} clients/s with ${SETUP_CONCURRENCY} setups in flight.`,
    '',
    `Machine: ${availableParallelism()} CPUs (nproc), node ${process.version}, load average ${load.toFixed(1)} at start; ${date}. Medians of ${runs.length} runs (min–max).`,
    '',
    '| measure | median | range |',
    '| --- | --- | --- |',
    `| connection setup (open → login → clientReady → subscribe, ${SETUP_CONCURRENCY} at a time) | ${m((r) => r.setupPerSecond)} clients/s | ${range((r) => r.setupPerSecond)} |`,
    `| broadcast delivery latency p50 | ${m((r) => r.p50)} ms | ${range((r) => r.p50)} |`,
    `| broadcast delivery latency p99 | ${m((r) => r.p99)} ms | ${range((r) => r.p99)} |`,
    `| deliveries received / expected per run | ${m((r) => r.deliveries)} / ${runs[0].expectedDeliveries} | ${range((r) => r.deliveries)} |`,
    `| server RSS after setup | ${m((r) => r.rssAfterSetupMb)} MB | ${range((r) => r.rssAfterSetupMb)} |`,
    `| server peak RSS (VmHWM) | ${m((r) => r.peakRssMb)} MB | ${range((r) => r.peakRssMb)} |`,
    '',
  ].join('\n');
  console.log(`\n${table}`);
  writeReadme(table);
  console.log('written to bench/README.md (section "Server load")');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
