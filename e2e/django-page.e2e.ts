import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDirectoryFile } from '../server/directory-file';
import { ROOT } from './support/bundle';
import { useSuite } from './support/session';

const PYTHON = '/usr/bin/python3';
const DJANGO_DIR = join(ROOT, 'deploy', 'django');

/** Runs one of deploy/django's render scripts with real Django; its stdout, or a clear failure. */
function django(script: string, args: readonly string[], input: unknown): string {
  const result = spawnSync(PYTHON, [join(DJANGO_DIR, script), ...args, '-'], { input: JSON.stringify(input), encoding: 'utf8' });
  if (result.error) throw new Error(`${PYTHON} ${script} could not run (${result.error.message}): install Debian's python3-django`);
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

// What `collectstatic` makes of deploy/README.md's STATICFILES_DIRS: the bundle and images under verto_peer/.
const collected = mkdtempSync(join(tmpdir(), 'verto-peer-static-'));
mkdirSync(join(collected, 'verto_peer'));
for (const [dir, name] of [['dist', 'verto-peer.js'], ['dist', 'verto-peer.css'], ['static', 'logo.svg'], ['static', 'poster.svg']]) {
  symlinkSync(join(ROOT, dir, name), join(collected, 'verto_peer', name));
}

const { suite, scenario } = useSuite({ staticDirs: [collected] });
afterAll(() => rmSync(collected, { recursive: true, force: true }));

scenario('12. the page rendered by real Django, with its CSP, logs in with directory-file credentials and reaches Online', async (run) => {
  // Django issues the client: a directory document (render_directory.py) that the development server loads.
  const user = { id: randomUUID(), password: randomUUID(), channels: [run.channelId] };
  const directory = django('render_directory.py', [], { domain: 'localhost', users: [user] });
  const directoryPath = join(collected, 'directory.xml');
  writeFileSync(directoryPath, directory);
  const { domains } = loadDirectoryFile(directoryPath, suite.store);
  expect(domains).toEqual(['localhost']);

  const pageUrl = `${suite.running.url}/django/channel/${run.channelId}/`;
  const config = { vertoUrl: '/verto', channelId: run.channelId, login: user.id, password: user.password, iceServers: [], indexUrl: '/' };
  const html = django('render_page.py', ['--static-url', '/static/'], config);
  const csp = django('render_page.py', ['--csp', '--page-url', pageUrl], config).trim();
  expect(html).toContain('/static/verto_peer/verto-peer.js');
  expect(csp).toContain("default-src 'none'");

  const logins: boolean[] = [];
  suite.running.events.on('login', (e) => {
    if (e.login.split('@')[0] === user.id) logins.push(e.ok);
  });
  const client = await run.open('django page', {
    name: 'Dana',
    url: pageUrl,
    routes: (context) =>
      context.route(pageUrl, (route) =>
        route.fulfill({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' }, body: html }),
      ),
  });
  await client.peer.waitForStatus(/^Online$/);
  expect(logins).toEqual([true]);
  expect(client.response?.headers()['content-security-policy']).toBe(csp);
  expect(await client.peer.cspViolations()).toEqual([]);
  expect(client.console.filter((line) => /Content Security Policy|Refused to|pageerror/i.test(line))).toEqual([]);
});
