import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_WITHOUT_SHIMS, FIREFOX_WITHOUT_SHIMS } from '../src/shims/versions';
import { metric, type BenchmarkResult } from './result';

/** The issue's budget, in bytes (35 KB read as 35 000 B, the stricter reading of "KB"). */
export const JS_GZIP_BUDGET_BYTES = 35_000;

const gzip9 = (bytes: Buffer | string): number => gzipSync(bytes, { level: 9 }).length;

/** `node_modules/<package>` (scoped too), `src` for our own code, else the webpack runtime or `(unmapped)`. */
export function packageOf(source: string | undefined): string {
  if (source === undefined) return '(unmapped)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (match) return match[1];
  if (source.includes('/src/')) return 'src (ours)';
  return source.includes('webpack/') ? '(webpack runtime)' : source;
}

/**
 * Minified bytes of the bundle per package, by walking every output character back through the
 * source map (node's own SourceMap: no analyser needed), plus each package's characters gzipped on
 * their own (an estimate of its gzip share; gzip of parts does not add up to gzip of the whole).
 */
export function minifiedShares(js: string, map: SourceMapPayload): Map<string, { minified: number; text: string }> {
  const sourceMap = new SourceMap(map);
  const shares = new Map<string, { minified: number; text: string }>();
  js.split('\n').forEach((line, lineIndex) => {
    let column = 0;
    for (const char of line) {
      const entry = sourceMap.findEntry(lineIndex, column) as { originalSource?: string };
      const pkg = packageOf(entry.originalSource);
      const share = shares.get(pkg) ?? { minified: 0, text: '' };
      share.minified += Buffer.byteLength(char);
      share.text += char;
      shares.set(pkg, share);
      column += char.length;
    }
  });
  return shares;
}

interface StatsModule {
  readonly name: string;
  readonly size: number;
  readonly orphan?: boolean;
  readonly moduleType?: string;
  readonly modules?: readonly StatsModule[];
}

/** Source size (after loaders, before minifying) and module count per package, from webpack's stats JSON. */
export function statsShares(stats: { modules?: readonly StatsModule[] }): Map<string, { modules: number; source: number }> {
  const shares = new Map<string, { modules: number; source: number }>();
  for (const top of stats.modules ?? []) {
    if (top.orphan) continue; // listed again inside the concatenated module that holds it
    for (const m of top.modules ?? [top]) {
      if (m.moduleType?.startsWith('css') || /\.css$/.test(m.name)) continue; // extracted to the CSS file
      const pkg = packageOf(m.name.replace(/^\.\//, '/'));
      const share = shares.get(pkg) ?? { modules: 0, source: 0 };
      share.modules += 1;
      share.source += m.size;
      shares.set(pkg, share);
    }
  }
  return shares;
}

/**
 * The per-browser webrtc-adapter chunks (src/browser-shims.ts), gzip -9 each: `dist/shims-<browser>.<hash>.js`.
 * Current Chromium and Firefox load none of them; Safari (and older Chromium and Firefox) load theirs after the entry.
 */
export function shimChunks(dist: string): Map<string, { file: string; minified: number; gzip: number }> {
  const chunks = new Map<string, { file: string; minified: number; gzip: number }>();
  for (const file of readdirSync(dist)) {
    const match = /^shims-([a-z]+)\.[0-9a-f]+\.js$/.exec(file);
    if (!match) continue;
    const text = readFileSync(join(dist, file));
    chunks.set(match[1], { file, minified: text.length, gzip: gzip9(text) });
  }
  return chunks;
}

/** Benchmark 3: the production bundle and CSS as built by `npm run bench` (webpack --mode production). */
export function benchBundleSize(root: string, statsPath: string): BenchmarkResult {
  const started = Date.now();
  const jsPath = join(root, 'dist', 'verto-peer.js');
  const cssPath = join(root, 'dist', 'verto-peer.css');
  const js = readFileSync(jsPath, 'utf8');
  const css = readFileSync(cssPath);
  const jsBytes = Buffer.byteLength(js);
  const jsGzip = gzip9(js);
  const shares = minifiedShares(js, JSON.parse(readFileSync(`${jsPath}.map`, 'utf8')) as SourceMapPayload);
  const stats = existsSync(statsPath) ? statsShares(JSON.parse(readFileSync(statsPath, 'utf8')) as { modules?: StatsModule[] }) : new Map();
  const rows = [...shares.entries()]
    .map(([pkg, s]) => ({
      package: pkg,
      minified: s.minified,
      minifiedShare: s.minified / jsBytes,
      gzipAlone: gzip9(s.text),
      modules: stats.get(pkg)?.modules ?? null,
      sourceBytes: stats.get(pkg)?.source ?? null,
    }))
    .sort((x, y) => y.minified - x.minified);
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const chunks = shimChunks(join(root, 'dist'));
  // What each browser loads: the entry, plus its shim chunk where it needs one (src/shims/versions.ts: current
  // Chromium and Firefox do not). The budget holds for the browsers we support (current Chromium, Firefox ESR,
  // Safari); an older Chromium or Firefox is reported only.
  const withChunk = (b: string): number => jsGzip + (chunks.get(b)?.gzip ?? 0);
  const loaded = [
    { browser: `Chromium ≥ ${CHROMIUM_WITHOUT_SHIMS}`, gzip: jsGzip, supported: true },
    { browser: `Firefox ≥ ${FIREFOX_WITHOUT_SHIMS}`, gzip: jsGzip, supported: true },
    { browser: 'Safari', gzip: withChunk('safari'), supported: true },
    { browser: `Chromium < ${CHROMIUM_WITHOUT_SHIMS}`, gzip: withChunk('chrome'), supported: false },
    { browser: `Firefox < ${FIREFOX_WITHOUT_SHIMS}`, gzip: withChunk('firefox'), supported: false },
  ];
  const worst = Math.max(...loaded.filter((l) => l.supported).map((l) => l.gzip));
  const top = rows.filter((r) => r.minifiedShare >= 0.02);
  return {
    benchmark: 'bundle size',
    metrics: [
      metric('dist/verto-peer.js minified', 'B', [jsBytes]),
      metric('dist/verto-peer.js gzip -9', 'B', [jsGzip]),
      metric('dist/verto-peer.css minified', 'B', [css.length]),
      metric('dist/verto-peer.css gzip -9', 'B', [gzip9(css)]),
      ...[...chunks.entries()].map(([b, c]) => metric(`dist/shims-${b}.*.js gzip -9`, 'B', [c.gzip])),
      ...loaded.map((l) => metric(`JS loaded by ${l.browser} gzip -9`, 'B', [l.gzip])),
      ...top.map((r) => metric(`share: ${r.package} (minified; ${pct(r.minifiedShare)})`, 'B', [r.minified])),
    ],
    budgets: [
      {
        benchmark: 'bundle size',
        budget: `JS ≤ ${JS_GZIP_BUDGET_BYTES} B gzip -9 (what the page loads, in the supported browser that loads most)`,
        measured: `${worst} B (${(worst / 1024).toFixed(1)} KiB); current Chromium and Firefox load ${jsGzip} B`,
        pass: worst <= JS_GZIP_BUDGET_BYTES,
      },
    ],
    notes: [
      `JS by package (minified bytes, share, each package gzipped alone): ${rows.map((r) => `${r.package} ${r.minified} B ${pct(r.minifiedShare)} ~${r.gzipAlone} B gz`).join('; ')}.`,
      ...(stats.size === 0 ? [`webpack stats not found at ${statsPath}: module counts missing`] : []),
    ],
    details: { files: { js: { minified: jsBytes, gzip: jsGzip }, css: { minified: css.length, gzip: gzip9(css) }, shims: Object.fromEntries(chunks) }, loaded, packages: rows },
    durationMs: Date.now() - started,
  };
}
