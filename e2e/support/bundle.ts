import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../server/server';

export const ROOT = projectRoot(__dirname);
export const BUNDLE_PATH = join(ROOT, 'dist', 'verto-peer.js');

/** The suite drives the built bundle: fail at once, clearly, when it is missing. */
export function requireBundle(): void {
  if (!existsSync(BUNDLE_PATH)) {
    throw new Error(`${BUNDLE_PATH} is missing: run \`npm run build\` before the end-to-end suite (\`npm test\` does)`);
  }
}
