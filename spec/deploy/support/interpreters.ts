import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');

/** Debian's Python: the pyenv python3 on PATH has no Django. Overridable for other machines. */
export const PYTHON = process.env.VERTO_PEER_PYTHON ?? '/usr/bin/python3';
export const LUA = process.env.VERTO_PEER_LUA ?? 'lua5.4';

/** Runs an interpreter; throws (so the test fails, never skips) with an install hint when it is missing. */
export function run(command: string, args: readonly string[], input: string, hint: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { input, encoding: 'utf8', cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
  if (result.error) throw new Error(`cannot run ${command} (${result.error.message}): ${hint}`);
  return result;
}

/** Throws with the hint unless `command args` exits 0: a missing interpreter is a failure with a reason. */
export function requireInterpreter(command: string, args: readonly string[], hint: string): void {
  const result = run(command, args, '', hint);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.stderr.trim().split('\n').pop() ?? ''}): ${hint}`);
}
