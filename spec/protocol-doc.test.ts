import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const DOC = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8');

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
const anchors = new Set([...DOC.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'build' || name === 'reports') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|js|mjs|sh|lua|py|md|xml|conf|html)$/.test(name)) yield path;
  }
}

/** Every link into a section of docs/protocol.md from the repository (and within the document), as [file, anchor]. */
function links(): [string, string][] {
  const found: [string, string][] = [];
  for (const file of files(ROOT)) {
    const text = readFileSync(file, 'utf8');
    const matches = file.endsWith('protocol.md') ? text.matchAll(/\]\(#([^)]+)\)/g) : text.matchAll(/docs\/protocol\.md#([\w-]+)/g);
    for (const [, anchor] of matches) found.push([relative(ROOT, file), anchor]);
  }
  return found;
}

describe('docs/protocol.md', () => {
  it('has every section that a file in the repository points to', () => {
    const all = links();
    expect(all.length).toBeGreaterThan(10); // the check below is not vacuous
    expect(all.filter(([, anchor]) => !anchors.has(anchor)).map(([file, anchor]) => `${file}: #${anchor}`)).toEqual([]);
  });
});
