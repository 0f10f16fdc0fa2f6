/** Waiting on conditions (never fixed sleeps): poll a probe until its value satisfies a predicate. */

export interface UntilOptions {
  /** Give up after this many ms (generous: the machine is a noisy 2-core box). */
  readonly timeout: number;
  /** What is awaited, for the error message. */
  readonly what: string;
  /** Poll interval in ms (default 100). */
  readonly every?: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves with the first probed value that satisfies `done`; rejects after `timeout` with the last
 * value seen, so a failure reads like a bug report ("waited 15000 ms for …; last: …").
 */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, options: UntilOptions): Promise<T> {
  const deadline = Date.now() + options.timeout;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = lastError instanceof Error ? `error ${lastError.message}` : JSON.stringify(last);
      throw new Error(`waited ${options.timeout} ms for ${options.what}; last seen: ${seen}`);
    }
    await pause(options.every ?? 100);
  }
}
