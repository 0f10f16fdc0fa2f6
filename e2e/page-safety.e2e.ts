import type { Client } from './support/session';
import { useSuite } from './support/session';

const { scenario } = useSuite();

/** Renames through the UI, as a person does: `Name: …` in the menu, the form, Save. */
async function rename(client: Client, from: string, to: string): Promise<void> {
  await client.page.locator('#nav-menu').getByRole('button', { name: `Name: ${from}`, exact: true }).click();
  const input = client.page.locator('#modal-content input[name="name"]');
  await input.fill(to);
  await client.page.locator('#modal-content').getByRole('button', { name: 'Save', exact: true }).click();
  await client.peer.waitForDialog(null);
}

/** Elements a name could have smuggled into the page's dynamic parts. */
const injected = (client: Client): Promise<number> => client.page.locator('#nav-menu img, #nav-menu script, #modal-content img, #modal-content script, #nav-status *').count();

scenario('9. hostile display names show as literal text on the other side and run no script', async (run) => {
  // CSP off for this test, so only the page's own handling of text stands between a name and the DOM.
  const [alice, bob] = await Promise.all([
    run.open('alice', { name: 'Alice', context: { bypassCSP: true } }),
    run.open('bob', { name: 'Bob', context: { bypassCSP: true } }),
  ]);
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);

  const img = '<img src=x onerror=__pwned=1>';
  await rename(alice, 'Alice', img);
  await bob.peer.waitForPeer(img);
  await alice.peer.waitForMenu((m) => m.includes(`Name: ${img}`), 'own hostile name shown as text');
  await alice.peer.call('Bob');
  await bob.peer.waitForDialog(`${img} is calling`);
  expect(await bob.peer.status()).toBe(`${img} is calling`);
  expect(await injected(bob)).toBe(0);
  await bob.peer.decline();

  const script = '</script><script>__pwned=2//';
  await rename(alice, img, script);
  await bob.peer.waitForPeer(script);
  expect(await injected(bob)).toBe(0);
  expect(await injected(alice)).toBe(0);
  // The name survives a reload as the same literal text (it is stored in localStorage).
  await alice.page.reload();
  await bob.peer.waitForPeer(script);
  expect(await alice.peer.pwned()).toBeNull();
  expect(await bob.peer.pwned()).toBeNull();
});

scenario('10. the page works under the server’s strict CSP: a whole call with no CSP violation', async (run) => {
  const [alice, bob] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob', { name: 'Bob' })]);
  const csp = alice.response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe');
  await Promise.all([alice.peer.waitForPeer('Bob'), bob.peer.waitForPeer('Alice')]);
  await alice.peer.call('Bob');
  await bob.peer.waitForDialog('Alice is calling');
  await bob.peer.accept();
  await Promise.all([alice.peer.waitForRemoteVideo(), bob.peer.waitForRemoteVideo()]);
  await bob.peer.hangUp();
  await Promise.all([alice.peer.waitForIdleMedia(), bob.peer.waitForIdleMedia()]);

  for (const client of [alice, bob]) {
    expect(await client.peer.cspViolations()).toEqual([]);
    expect(client.console.filter((line) => /Content Security Policy|Refused to/i.test(line))).toEqual([]);
    expect(client.console.filter((line) => line.startsWith('pageerror'))).toEqual([]);
  }
});
