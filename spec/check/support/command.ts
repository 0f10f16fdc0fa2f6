import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadDirectoryFile } from '../../../server/directory-file';
import { projectRoot } from '../../../server/server';

const run = promisify(execFile);
const ROOT = projectRoot(__dirname);
/** Where `npm run check:verto` puts the command (tools/check-verto/tsconfig.json). */
const MAIN = join(ROOT, 'build', 'tools', 'check-verto', 'main.js');

/** Compiles the command as `npm run check:verto` does, so the tests run what an administrator runs. */
export async function buildCommand(): Promise<void> {
  await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tools', 'check-verto', 'tsconfig.json')], { cwd: ROOT });
}

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built command as a child process; resolves with its exit status and output (never rejects on a non-zero exit). */
export async function runCommand(args: readonly string[]): Promise<CommandRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export interface DirectoryUserSpec {
  readonly id: string;
  readonly password: string;
  readonly channel: string;
}

/** The locked-down method list the shipped directory gives every page client. */
export const PAGE_METHODS = 'verto.subscribe,verto.broadcast,verto.info,verto.ping';

/** Writes a FreeSWITCH directory document for `users` and loads it as the development server would (`--directory`). */
export function directoryStore(domain: string, users: readonly DirectoryUserSpec[]): ReturnType<typeof loadDirectoryFile> {
  const xmlUsers = users
    .map(
      (u) =>
        `<user id="${u.id}"><params><param name="password" value="${u.password}"/>` +
        `<param name="jsonrpc-allowed-methods" value="${PAGE_METHODS}"/>` +
        `<param name="jsonrpc-allowed-event-channels" value="${u.channel}"/></params></user>`,
    )
    .join('\n');
  const xml = `<?xml version="1.0" encoding="utf-8"?>\n<document type="freeswitch/xml"><section name="directory">` +
    `<domain name="${domain}"><users>\n${xmlUsers}\n</users></domain></section></document>\n`;
  const path = join(mkdtempSync(join(tmpdir(), 'check-verto-')), 'directory.xml');
  writeFileSync(path, xml);
  return loadDirectoryFile(path);
}
