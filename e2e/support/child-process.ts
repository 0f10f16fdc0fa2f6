import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Stops a server the tests started (nginx, coturn) and removes its temporary directory: SIGTERM,
 * SIGKILL if it has not exited after 3 s. Call it right after spawn so no exit is missed.
 */
export function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
