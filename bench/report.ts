import type { BenchmarkResult, Metric } from './result';

/** Where and when the numbers were taken. */
export interface Machine {
  readonly date: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly chromium: string;
  readonly loadAtStart: number;
  readonly loadAtEnd: number;
}

const fmt = (value: number, unit: Metric['unit']): string => {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'x') return value.toFixed(2);
  if (unit === 'MB') return value.toFixed(2);
  if (unit === 'msgs') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  return String(Math.round(value));
};

/** The results as one markdown table (median, p90, min, max, runs) plus the budget verdicts. */
export function markdownReport(results: readonly BenchmarkResult[], machine: Machine): string {
  const lines = [
    `Measured ${machine.date} on ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, Chromium ${machine.chromium}; ` +
      `1-min load average ${machine.loadAtStart.toFixed(1)} at start, ${machine.loadAtEnd.toFixed(1)} at end.`,
    '',
    '| benchmark | metric | unit | median | p90 | min | max | runs (failed) |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    if (r.error) lines.push(`| ${r.benchmark} | **did not complete**: ${r.error.replace(/\|/g, '/').split('\n')[0]} | | | | | | |`);
    for (const m of r.metrics) {
      const s = m.summary;
      const cells = s ? [s.median, s.p90, s.min, s.max].map((v) => fmt(v, m.unit)) : ['n/a', 'n/a', 'n/a', 'n/a'];
      lines.push(`| ${r.benchmark} | ${m.name} | ${m.unit} | ${cells.join(' | ')} | ${s?.n ?? 0} (${m.failedRuns}) |`);
    }
  }
  lines.push('', '| budget | measured | verdict |', '| --- | --- | --- |');
  for (const r of results) {
    for (const b of r.budgets) lines.push(`| ${b.benchmark}: ${b.budget} | ${b.measured} | ${b.pass ? 'PASS' : '**FAIL**'} |`);
    if (r.error && r.budgets.length === 0) lines.push(`| ${r.benchmark} | did not complete | **FAIL** |`);
  }
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.benchmark}: ${n}`));
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n');
}

/** Replaces the text between the table markers of a README (everything else stays as it is). */
export function replaceBetweenMarkers(readme: string, content: string, start: string, end: string): string | null {
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) return null;
  return `${readme.slice(0, i + start.length)}\n${content}\n${readme.slice(j)}`;
}
