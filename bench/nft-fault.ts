import { execFile } from 'node:child_process';

/**
 * Network faults on loopback with Debian's nftables (this kernel has no `tc netem`), for the faults
 * benchmark and e2e/faults.e2e.ts. Only meaningful inside their loopback-only namespace
 * (scripts/in-netns.sh): there `lo` carries everything the
 * pages and the server exchange, and the rules vanish with the namespace even if the process dies.
 * Playwright drives Chromium over a pipe (its default launch: --remote-debugging-pipe), so a
 * blackout does not cut the driver.
 */
const TABLE = 'verto_faults';

export type Fault = { readonly kind: 'blackout' } | { readonly kind: 'loss'; readonly percent: number };

export const faultName = (fault: Fault): string => (fault.kind === 'blackout' ? 'blackout' : `${fault.percent} % loss`);

function nft(args: readonly string[], stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('nft', [...args], { timeout: 5_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`nft ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve();
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** Every packet leaving on `lo` (so every packet between two local sockets) goes through this rule. */
const ruleFor = (fault: Fault): string => (fault.kind === 'blackout' ? 'oifname "lo" drop' : `oifname "lo" numgen random mod 100 < ${fault.percent} drop`);

/** Installs the fault in its own table (replacing any earlier one); returns Date.now() once it holds. */
export async function injectFault(fault: Fault): Promise<number> {
  await clearFaults();
  await nft(['-f', '-'], `table inet ${TABLE} {\n  chain output {\n    type filter hook output priority 0; policy accept;\n    ${ruleFor(fault)}\n  }\n}\n`);
  return Date.now();
}

/** Deletes the table (nothing to do when there is none); returns Date.now() once traffic flows again. */
export async function clearFaults(): Promise<number> {
  await nft(['delete', 'table', 'inet', TABLE]).catch((error: unknown) => {
    if (!/No such file or directory/.test(String(error))) throw error;
  });
  return Date.now();
}

/**
 * Holds `fault` for `ms` and always lifts it, even when `during` throws. Returns the wall times of the
 * cut and of the restore.
 */
export async function withFault(fault: Fault, ms: number, during: () => Promise<void> = () => Promise.resolve()): Promise<{ cut: number; restore: number }> {
  const cut = await injectFault(fault);
  try {
    await Promise.all([during(), new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - (Date.now() - cut))))]);
  } finally {
    await clearFaults();
  }
  return { cut, restore: Date.now() };
}
