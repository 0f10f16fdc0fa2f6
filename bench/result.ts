import { summarize, type Summary } from './stats';

export type Unit = 'ms' | 's' | 'x' | 'B' | 'MB' | 'msgs' | 'count';

/** One row of the table: a summary of samples, with how many runs failed to produce one. */
export interface Metric {
  readonly name: string;
  readonly unit: Unit;
  readonly summary: Summary | null;
  readonly failedRuns: number;
}

/** A budget from the issue, judged on this run. */
export interface BudgetCheck {
  readonly benchmark: string;
  readonly budget: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface BenchmarkResult {
  readonly benchmark: string;
  readonly metrics: Metric[];
  readonly budgets: BudgetCheck[];
  /** Findings worth reading next to the table (what dominates, what was seen). */
  readonly notes: string[];
  /** Raw per-run data and breakdowns. */
  readonly details: Record<string, unknown>;
  readonly durationMs: number;
  /** Set when the benchmark itself could not run to the end. */
  readonly error?: string;
}

export const metric = (name: string, unit: Unit, samples: readonly number[], failedRuns = 0): Metric => ({ name, unit, summary: summarize(samples), failedRuns });

/** A metric's median, or NaN when it has no samples (a NaN never passes a budget). */
export const medianOf = (m: Metric): number => m.summary?.median ?? Number.NaN;
