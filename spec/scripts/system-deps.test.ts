import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '../../scripts/system-deps.sh');
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'system-deps-'));
  chmodSync(dir, 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An executable in the test's bin directory, which goes first on PATH. */
function fake(name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}
/** A fake apt-get that logs its arguments (and whether service starts are refused) and then runs `then`. */
function fakeAptGet(then = 'exit 0'): void {
  const policy = 'if [ "$1" = install ]; then /usr/sbin/policy-rc.d nginx start; echo "policy-rc.d says $?" >> ' + `${dir}/apt.log; fi`;
  fake('apt-get', `echo "$*" >> ${dir}/apt.log\n${policy}\n${then}`);
}
const aptLog = () => (existsSync(join(dir, 'apt.log')) ? readFileSync(join(dir, 'apt.log'), 'utf8').trim().split('\n') : []);

function run(purpose: string, env: Record<string, string> = {}, asNobody = false) {
  const started = Date.now();
  const command = asNobody ? ['setpriv', [...NOBODY, 'bash', SCRIPT, purpose]] as const : ['bash', [SCRIPT, purpose]] as const;
  const result = spawnSync(command[0], command[1], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

describe('scripts/system-deps.sh', () => {
  it('as root on a machine that has everything: silent, installs nothing', () => {
    fakeAptGet('exit 1');
    expect(run('test')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(aptLog()).toEqual([]);
  });

  it('as a user who is not root: stops within seconds with one line naming the exact command', () => {
    fakeAptGet('exit 1'); // should the script ever call it, nothing real runs
    const missing = { CHROMIUM_PATH: `${dir}/no-chromium`, VERTO_PEER_LUA: `${dir}/no-lua5.4` };
    const result = run('test', missing, true);
    expect(aptLog()).toEqual([]);
    expect(result).toMatchObject({
      status: 1,
      stdout: '',
      stderr: 'npm test needs the Debian packages chromium lua5.4: run as root: apt-get update && apt-get install -y chromium lua5.4\n',
    });
    expect(result.ms).toBeLessThan(5000);
  });

  it('names python3-django when the Python the tests use has no Django', () => {
    fakeAptGet('exit 1');
    fake('python-without-django', 'exit 1');
    const result = run('test', { VERTO_PEER_PYTHON: `${dir}/python-without-django` }, true);
    expect(result.stderr).toBe('npm test needs the Debian packages python3-django: run as root: apt-get update && apt-get install -y python3-django\n');
  });

  it('names firefox-esr when the Firefox the browser tests use is missing', () => {
    fakeAptGet('exit 1');
    const result = run('test', { FIREFOX_PATH: `${dir}/no-firefox` }, true);
    expect(result).toMatchObject({ status: 1, stderr: 'npm test needs the Debian packages firefox-esr: run as root: apt-get update && apt-get install -y firefox-esr\n' });
  });

  it('as root: says what it installs, updates first, installs with service starts refused, then checks again', () => {
    const chromium = join(dir, 'chromium');
    fakeAptGet(`[ "$1" = install ] && printf '#!/bin/sh\\n' > ${chromium} && chmod 755 ${chromium}; exit 0`);
    const result = run('test', { CHROMIUM_PATH: chromium });
    expect(result).toMatchObject({ status: 0, stdout: 'npm test: installing chromium from Debian (apt-get)\n', stderr: '' });
    expect(aptLog()).toEqual(['update -qq', 'install -y -qq chromium', 'policy-rc.d says 101']);
  });

  it('as root: a failing apt-get shows its last lines and one line saying what could not be installed', () => {
    fakeAptGet('[ "$1" = install ] && { echo "E: Unable to locate package chromium"; exit 100; }; exit 0');
    const result = run('test', { CHROMIUM_PATH: `${dir}/no-chromium` });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('E: Unable to locate package chromium\nnpm test: apt-get could not install chromium (its last lines are above)\n');
  });

  it('as root: a package still missing after the install is a failure, not a pass', () => {
    fakeAptGet();
    const result = run('test', { CHROMIUM_PATH: `${dir}/no-chromium` });
    expect(result).toMatchObject({ status: 1, stderr: 'npm test: chromium still missing after apt-get install\n' });
  });

  it('for npm start checks Node only: the development server needs no system package', () => {
    fakeAptGet('exit 1');
    expect(run('start', { CHROMIUM_PATH: `${dir}/no-chromium` }, true)).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(aptLog()).toEqual([]);
  });

  it('stops with one line on a Node.js older than 20', () => {
    fake('node', 'case "$1" in -p) echo 18 ;; --version) echo v18.19.0 ;; esac');
    expect(run('start')).toMatchObject({
      status: 1,
      stderr: "npm start needs Node.js 20 or newer (this is v18.19.0): install a current Node.js, e.g. Debian 13's nodejs package\n",
    });
  });

  it('refuses an unknown purpose', () => {
    expect(run('deploy')).toMatchObject({ status: 2, stderr: 'usage: scripts/system-deps.sh test|start\n' });
  });
});
