import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './bundle';
import { stopper } from './child-process';

/** Debian's nginx; NGINX_PATH overrides. */
export const NGINX_PATH = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const HOST = '127.0.0.1';
export const UPSTREAM_FILE = join(ROOT, 'deploy', 'nginx', 'verto-peer-upstream.conf');
export const LOCATION_FILE = join(ROOT, 'deploy', 'nginx', 'verto-peer.conf');
/** What the test server block adds to every answer, so a test sees which node a socket reached. */
export const NODE_HEADER = 'x-verto-peer-node';

/**
 * The shipped upstream file with its `server` lines replaced by one per test node (127.0.0.1:port),
 * each keeping the parameters of the shipped line (max_fails, fail_timeout). Everything else is kept.
 */
export function renderUpstream(shipped: string, nodePorts: readonly number[]): string {
  const lines = shipped.split('\n');
  const serverLine = /^(\s*)server\s+\S+((?:\s+[a-z_]+=\S+?)*)\s*;\s*$/;
  const first = lines.findIndex((line) => serverLine.test(line));
  if (first < 0) throw new Error('the shipped upstream has no server line');
  const [, indent, parameters] = serverLine.exec(lines[first]) as RegExpExecArray;
  const servers = nodePorts.map((port) => `${indent}server ${HOST}:${port}${parameters};`);
  return lines.flatMap((line, index) => (index === first ? servers : serverLine.test(line) ? [] : [line])).join('\n');
}

export interface NginxConfigOptions {
  /** Where pid, logs, temp files and the rendered upstream go. */
  readonly dir: string;
  readonly port: number;
  readonly nodePorts: readonly number[];
  /** Where everything but /verto goes (the page server), if anywhere. */
  readonly pagePort?: number;
  /** Worker processes; default 1 (the failure state is shared through the upstream's zone anyway). */
  readonly workers?: number;
  readonly workerConnections?: number;
  /** Whether nginx starts as root (writes `user root root;`); default: whether this process is root. */
  readonly asRoot?: boolean;
  /** nginx.conf's worker_shutdown_timeout in s (deploy/README.md: what re-places sockets after a reload); default none. */
  readonly shutdownTimeoutS?: number;
}

/**
 * A whole nginx.conf around the shipped files, for a test on this machine: 127.0.0.1 only, no daemon,
 * every path (pid, logs, temp) in `dir`, `user` only when running as root (workers keep root's uid, which
 * also exists inside `unshare -r`; nginx ignores the directive otherwise). The location file is included
 * as shipped; the upstream file is rendered for the test's node ports.
 */
export function renderNginxConfig(options: NginxConfigOptions): string {
  const { dir } = options;
  const upstreamPath = join(dir, 'verto-peer-upstream.conf');
  writeFileSync(upstreamPath, renderUpstream(readFileSync(UPSTREAM_FILE, 'utf8'), options.nodePorts));
  const asRoot = options.asRoot ?? process.getuid?.() === 0;
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${join(dir, `${kind}-temp`)};`);
  const pages = options.pagePort === undefined ? '        location / { return 404; }' : `        location / {\n            proxy_pass http://${HOST}:${options.pagePort};\n            proxy_set_header Host $http_host;\n        }`;
  return [
    ...(asRoot ? ['user root root;'] : []),
    'daemon off;',
    'master_process on;',
    `worker_processes ${options.workers ?? 1};`,
    ...(options.shutdownTimeoutS === undefined ? [] : [`worker_shutdown_timeout ${options.shutdownTimeoutS}s;`]),
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} notice;`,
    `events { worker_connections ${options.workerConnections ?? 1024}; }`,
    'http {',
    `    access_log off;`,
    ...temp,
    `    include ${upstreamPath};`,
    '    server {',
    `        listen ${HOST}:${options.port};`,
    `        add_header X-Verto-Peer-Node $upstream_addr always;`,
    `        include ${LOCATION_FILE};`,
    pages,
    '    }',
    '}',
    '',
  ].join('\n');
}

/** Runs `nginx -t` on a rendered config: status and what nginx said. */
export function checkConfig(dir: string, config: string): Promise<{ status: number | null; output: string }> {
  const path = join(dir, 'nginx.conf');
  writeFileSync(path, config);
  return new Promise((resolve) => {
    const child = spawn(NGINX_PATH, ['-t', '-p', dir, '-e', join(dir, 'error.log'), '-c', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', (error) => resolve({ status: null, output: error.message }));
    child.once('exit', (status) => resolve({ status, output }));
  });
}

/** A free 127.0.0.1 TCP port (bound and released: nginx cannot report an ephemeral one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export interface Nginx {
  readonly port: number;
  /** http://127.0.0.1:port */
  readonly url: string;
  readonly dir: string;
  /** What nginx wrote to its error log so far. */
  errorLog(): string;
  /** Renders the upstream for these node ports and reloads (SIGHUP); resolves once the old workers stopped taking connections. */
  reload(nodePorts: readonly number[]): Promise<void>;
  /** Stops nginx (SIGTERM, SIGKILL after 3 s) and removes its directory. */
  stop(): Promise<void>;
}

/** nginx with the shipped files rendered for these node ports, as a child process (no daemon); resolves once it listens. */
export async function startNginx(options: Omit<NginxConfigOptions, 'dir' | 'port'>): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'verto-peer-nginx-'));
  const port = await freePort();
  const path = join(dir, 'nginx.conf');
  writeFileSync(path, renderNginxConfig({ ...options, dir, port }));
  const upstreamPath = join(dir, 'verto-peer-upstream.conf');
  const child: ChildProcess = spawn(NGINX_PATH, ['-p', dir, '-e', join(dir, 'error.log'), '-c', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const stop = stopper(child, dir);
  const errorLog = (): string => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = `${stderr}${errorLog()}`;
      await stop();
      throw new Error(`nginx did not start: ${log.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const reload = async (nodePorts: readonly number[]): Promise<void> => {
    writeFileSync(upstreamPath, renderUpstream(readFileSync(UPSTREAM_FILE, 'utf8'), nodePorts));
    const count = (): number => (errorLog().match(/gracefully shutting down/g) ?? []).length;
    const before = count();
    child.kill('SIGHUP');
    const until = Date.now() + 10_000;
    // Once the new workers run, each old one logs this and closes its listening sockets.
    while (count() <= before) {
      if (Date.now() > until) throw new Error(`nginx did not reload: ${errorLog().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { port, url: `http://${HOST}:${port}`, dir, errorLog, reload, stop };
}
