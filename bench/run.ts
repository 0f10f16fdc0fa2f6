/**
 * `npm run bench`: the benchmarks in real Chromium against the development server.
 * Prints the table and writes bench/results.json; `npm run bench -- --write-readme` also puts the
 * table into bench/README.md (a full run only: a partial table would drop the other rows).
 *
 * Exit code: 0 when every benchmark ran to the end, whatever the budgets say (a budget FAIL is a
 * finding, printed as FAIL); 1 when a benchmark could not run; BENCH_STRICT=1 also exits 1 on a FAIL.
 * Counts: BENCH_RUNS (default 20), BENCH_CYCLES (default 100), BENCH_ONLY=call,turn,reconnect,bundle,leaks,online,faults,toggle
 * (faults has fixed counts, see bench/faults.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../server/server';
import { benchBundleSize } from './bundle-size';
import { benchCallSetup } from './call-setup';
import { benchFaults } from './faults';
import { BenchEnv } from './harness';
import { benchLeaks } from './leaks';
import { benchReconnect } from './reconnect';
import { markdownReport, replaceBetweenMarkers, type Machine } from './report';
import type { BenchmarkResult } from './result';
import { benchTimeToOnline } from './time-to-online';
import { benchToggle } from './toggle';
import { benchTurnSetup } from './turn-setup';

const ROOT = projectRoot(__dirname);
const STATS_PATH = join(ROOT, 'build', 'bench', 'webpack-stats.json');
const RESULTS_PATH = join(ROOT, 'bench', 'results.json');
const README_PATH = join(ROOT, 'bench', 'README.md');
const TABLE_START = '<!-- bench:table:start -->';
const TABLE_END = '<!-- bench:table:end -->';
/** A hard stop well past the ~10-minute full run (14 with the faults benchmark): every wait is bounded, this only catches the unforeseen. */
const WATCHDOG_MS = 20 * 60_000;

const count = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

async function main(): Promise<number> {
  const runs = count('BENCH_RUNS', 20);
  const cycles = count('BENCH_CYCLES', 100);
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const wanted = (name: string): boolean => only === undefined || only.includes(name);
  const full = only === undefined && runs === 20 && cycles === 100;
  const writeReadme = process.argv.slice(2).includes('--write-readme');
  const unknown = process.argv.slice(2).filter((a) => a !== '--write-readme');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')} (the only one is --write-readme; counts are BENCH_RUNS, BENCH_CYCLES, BENCH_ONLY)`);
  const loadAtStart = loadavg()[0];
  const started = Date.now();
  const results: BenchmarkResult[] = [];

  const attempt = async (benchmark: string, body: () => Promise<BenchmarkResult> | BenchmarkResult): Promise<void> => {
    const t = Date.now();
    process.stdout.write(`[bench] ${benchmark}…\n`);
    try {
      results.push(await body());
    } catch (error) {
      results.push({ benchmark, metrics: [], budgets: [], notes: [], details: {}, durationMs: Date.now() - t, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    process.stdout.write(`[bench] ${benchmark} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  };

  if (wanted('bundle')) await attempt('bundle size', () => benchBundleSize(ROOT, STATS_PATH));
  const env = await BenchEnv.start();
  const chromium = env.browser.version();
  try {
    if (wanted('call')) await attempt('call setup', () => benchCallSetup(env, runs));
    if (wanted('turn')) await attempt('TURN call setup', () => benchTurnSetup(env, runs));
    if (wanted('reconnect')) await attempt('reconnect', () => benchReconnect(env, runs));
    if (wanted('online')) await attempt('time to online', () => benchTimeToOnline(env, runs));
    if (wanted('leaks')) await attempt('leaks', () => benchLeaks(env, cycles));
    if (wanted('faults')) await attempt('faults', () => benchFaults(env));
    if (wanted('toggle')) await attempt('toggle', () => benchToggle(env, runs));
  } finally {
    await env.stop();
  }

  const machine: Machine = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    chromium,
    loadAtStart,
    loadAtEnd: loadavg()[0],
  };
  const table = markdownReport(results, machine);
  const totalMs = Date.now() - started;
  process.stdout.write(`\n${table}\n\nTotal ${(totalMs / 1000).toFixed(0)} s (runs ${runs}, cycles ${cycles}).\n`);

  const failedBudgets = results.flatMap((r) => r.budgets.filter((b) => !b.pass));
  const broken = results.filter((r) => r.error !== undefined);
  writeFileSync(RESULTS_PATH, `${JSON.stringify({ machine, config: { runs, cycles, only: only ?? null, full }, totalMs, results }, null, 2)}\n`);
  process.stdout.write(`Wrote ${RESULTS_PATH}\n`);
  if (writeReadme && !full) process.stdout.write(`--write-readme: not a full run (BENCH_ONLY, BENCH_RUNS or BENCH_CYCLES set): ${README_PATH} left alone\n`);
  if (writeReadme && full) {
    const readme = replaceBetweenMarkers(readFileSync(README_PATH, 'utf8'), table, TABLE_START, TABLE_END);
    if (readme === null) process.stdout.write(`${README_PATH} has no ${TABLE_START} … ${TABLE_END} markers: table not written there\n`);
    else {
      writeFileSync(README_PATH, readme);
      process.stdout.write(`Wrote the table into ${README_PATH}\n`);
    }
  }

  const verdict = broken.length > 0 ? 'INCOMPLETE' : failedBudgets.length > 0 ? 'FAIL' : 'PASS';
  process.stdout.write(
    `\nBudgets: ${verdict} — ${failedBudgets.length} failed${failedBudgets.length ? ` (${failedBudgets.map((b) => `${b.benchmark}: ${b.budget}`).join('; ')})` : ''}` +
      `${broken.length ? `; did not complete: ${broken.map((r) => r.benchmark).join(', ')}` : ''}\n`,
  );
  if (broken.length > 0) return 1;
  return failedBudgets.length > 0 && process.env.BENCH_STRICT === '1' ? 1 : 0;
}

const watchdog = setTimeout(() => {
  process.stderr.write(`[bench] still running after ${WATCHDOG_MS / 60_000} min: giving up\n`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
