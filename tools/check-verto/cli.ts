import { parseCheckArgs, UsageError, USAGE } from './args';
import { runChecks, Unreachable, type CheckResult } from './checks';
import { allPassed, header, line, redactor, summary } from './report';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Exit statuses, as `--help` lists them. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

/** `npm run check:verto -- …`: arguments → checks → one line each and a summary; resolves with the exit status. */
export async function runCli(argv: readonly string[], output: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseCheckArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`check-verto: ${error.message} (--help shows the usage)`);
    return EXIT.usage;
  }
  if (parsed.kind === 'help') {
    output.out(USAGE);
    return EXIT.ok;
  }
  const options = parsed.options;
  const redact = redactor(options);
  // The header comes with the first result, so an unreachable endpoint gives one line and nothing else.
  let started = false;
  const print = (result: CheckResult): void => {
    if (!started) output.out(header(options));
    started = true;
    // Details carry what the server answered: the only text that could hold a password.
    output.out(line({ ...result, detail: redact(result.detail) }));
  };
  try {
    const results = await runChecks(options, print);
    output.out(summary(results));
    return allPassed(results) ? EXIT.ok : EXIT.failed;
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
    output.err(`check-verto: ${redact(error.message)}`);
    return EXIT.unreachable;
  }
}
