import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { ROOT } from './support/bundle';
import type { Client } from './support/session';
import { useSuite } from './support/session';

const { scenario } = useSuite();

/**
 * axe's source, evaluated through the DevTools protocol: `addScriptTag` would add an inline script the
 * page's Content-Security-Policy (script-src 'self') refuses, and CSP stays on here so the page is
 * checked as it is served.
 */
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** One violation as a line a person can act on: rule, impact, where, what to do. */
interface Finding {
  readonly id: string;
  readonly impact: string;
  readonly targets: string[];
  readonly help: string;
}

async function axeFindings(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => (window as unknown as { axe: { run(o: object): Promise<AxeResults> } }).axe.run({ resultTypes: ['violations'] }));
  return results.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'none', targets: v.nodes.map((n) => n.target.join(' ')), help: `${v.help} (${v.helpUrl})` }));
}

/** Runs axe on each page; every serious or critical violation goes into `report` as a line (id, impact, target, help). */
async function check(report: string[], state: string, clients: readonly Client[]): Promise<void> {
  for (const client of clients) {
    const findings = await axeFindings(client.page);
    for (const f of findings) {
      const line = `${state}, ${client.peer.label}: ${f.id} [${f.impact}] at ${f.targets.join(', ')} — ${f.help}`;
      if (f.impact === 'serious' || f.impact === 'critical') report.push(line);
      else process.stdout.write(`axe (not failing): ${line}\n`);
    }
  }
}

scenario('axe finds no serious or critical violation: idle, ringing on both sides, in a call', async (run) => {
  const [alice, bob] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob', { name: 'Bob' })]);
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);
  // Every state is checked before failing, so one run lists everything there is to fix.
  const report: string[] = [];
  await alice.peer.waitForStatus(/^Online$/);
  await check(report, 'idle', [alice]);

  await alice.peer.call('Bob');
  await bob.peer.waitForDialog('Alice is calling');
  await alice.peer.waitForStatus(/^Calling Bob…$/);
  // A mouse click's focus is not carried into the redrawn menu (Enter would press an unseen Cancel, later Hang up).
  expect(await alice.page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await check(report, 'ringing', [alice, bob]);

  await bob.peer.accept();
  await Promise.all([alice.peer.waitForStatus(/^In a call with Bob$/), bob.peer.waitForStatus(/^In a call with Alice$/)]);
  await bob.page.locator('#call-controls button').first().waitFor({ state: 'visible' });
  await check(report, 'in a call', [alice, bob]);
  if (report.length > 0) throw new Error(`axe: ${report.length} serious or critical violation(s):\n${report.join('\n')}`);
});
