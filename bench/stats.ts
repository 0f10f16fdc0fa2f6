/** Summary statistics for a benchmark's samples (pure). */
export interface Summary {
  /** Samples that made it (failed runs are counted apart, never averaged in). */
  readonly n: number;
  readonly median: number;
  /** Nearest-rank 90th percentile. */
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

/** Median of sorted values: the mean of the two middle ones for an even count. */
function medianOfSorted(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Summary of the finite samples; null when there are none. */
export function summarize(samples: readonly number[]): Summary | null {
  const sorted = samples.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(0.9 * sorted.length));
  return { n: sorted.length, median: medianOfSorted(sorted), p90: sorted[rank - 1], min: sorted[0], max: sorted[sorted.length - 1] };
}
