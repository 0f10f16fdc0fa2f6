import { useSuite } from './support/session';

const { suite, scenario } = useSuite();

/** How long the suite watches for a reconnect storm (the 20 s). */
const WATCH_MS = 20_000;

scenario(
  '8. same credentials in two tabs: one is signed in elsewhere and stops retrying (login attempts counted over 20 s)',
  async (run) => {
    const first = await run.open('first tab', { name: 'Alice' });
    await first.peer.waitForStatus(/^Online$/);
    const html = await first.response!.text();
    const headers = first.response!.headers();
    const login = await first.page.evaluate(() => (JSON.parse(document.getElementById('channel-config')?.textContent ?? '{}') as { login: string }).login);

    // The second tab gets the very same page, config and credentials (as if its HTML were copied).
    const copyUrl = `${run.channelUrl}?copy`;
    const second = await run.open('second tab', {
      url: copyUrl,
      sameContextAs: first,
      routes: (context) => context.route(copyUrl, (route) => route.fulfill({ status: 200, headers, body: html })),
    });
    expect(await second.page.evaluate(() => document.getElementById('channel-config')?.textContent)).toContain(login);

    await Promise.all([first.peer.waitForStatus(/^Signed in elsewhere$/), second.peer.waitForStatus(/^Online$/)]);
    const before = suite.running.loginAttempts(login);
    // A timed observation, not a wait for a condition: the claim is that nothing happens in this window.
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    const during = suite.running.loginAttempts(login) - before;

    expect({ loginAttemptsIn20s: during }).toEqual({ loginAttemptsIn20s: 0 });
    expect(await first.peer.status()).toBe('Signed in elsewhere');
    expect(await second.peer.status()).toBe('Online');
  },
  90_000,
);
