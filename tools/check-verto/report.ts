import type { CheckOptions } from './args';
import type { CheckResult } from './checks';

const LABEL = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every password of the options where it stands as a whole token (so a short password does
 * not mangle ordinary words around it). Applied to what the server and the network said (details,
 * error texts): a server that echoes a request back must not put a password on the screen.
 */
export function redactor(options: CheckOptions): (text: string) => string {
  const secrets = [options.users[0].password, options.users[1].password, options.other.password].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(secrets.map((s) => `(?<![A-Za-z0-9])${escapeRegExp(s)}(?![A-Za-z0-9])`).join('|'), 'g');
  return (text) => text.replace(pattern, '***');
}

export const header = (options: CheckOptions): string =>
  `check-verto ${options.url}: A1 ${options.users[0].login} and A2 ${options.users[1].login} in channel A (${options.channel}), ` +
  `B1 ${options.other.login} in channel B (${options.otherChannel})`;

export const line = (result: CheckResult): string => `${LABEL[result.status]}  ${result.name} — ${result.detail}`;

/** The closing line CI reads: `N passed, N failed` (checks that could not run count as failed). */
export function summary(results: readonly CheckResult[]): string {
  const passed = results.filter((r) => r.status === 'pass').length;
  const skipped = results.filter((r) => r.status === 'skip').length;
  const failed = results.length - passed;
  return `${passed} passed, ${failed} failed${skipped > 0 ? ` (${skipped} of them not run)` : ''}`;
}

export const allPassed = (results: readonly CheckResult[]): boolean => results.length > 0 && results.every((r) => r.status === 'pass');
