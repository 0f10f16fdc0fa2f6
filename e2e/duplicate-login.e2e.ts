import { useSuite } from './support/session';

const { suite, scenario } = useSuite();

/** How long the suite watches for a reconnect storm after the older page stopped. */
const WATCH_MS = 20_000;
/** The older page must know within this that a newer page took its login. */
const SUPERSEDED_WITHIN_MS = 5_000;

const sentFrames = (frames: string[]): number => frames.filter((f) => f.split(' ')[1] === '>').length;

scenario(
  '8. same credentials in two pages (own sessids, kept both by the server as FreeSWITCH does): the older page stops, the other side sees one entry and only the newer page rings',
  async (run) => {
    const bob = await run.open('Bob', { name: 'Bob' });
    const first = await run.open('first page', { name: 'Alice One' });
    await Promise.all([bob.peer.waitForStatus(/^Online$/), first.peer.waitForStatus(/^Online$/)]);
    await bob.peer.waitForPeer('Alice One');
    const html = await first.response!.text();
    const headers = first.response!.headers();
    const login = await first.page.evaluate(() => (JSON.parse(document.getElementById('channel-config')?.textContent ?? '{}') as { login: string }).login);

    // Another browser profile gets the very same page, config and credentials (as if its HTML were
    // copied): its own sessionStorage, so its own sessid, and its own display name.
    const copyUrl = `${run.channelUrl}?copy`;
    const second = await run.open('second page', {
      url: copyUrl,
      name: 'Alice Two',
      routes: (context) => context.route(copyUrl, (route) => route.fulfill({ status: 200, headers, body: html })),
    });
    expect(await second.page.evaluate(() => document.getElementById('channel-config')?.textContent)).toContain(login);

    await Promise.all([
      first.peer.waitForStatus(/^Signed in elsewhere\. Reload this page to use it here\.$/, SUPERSEDED_WITHIN_MS),
      second.peer.waitForStatus(/^Online$/),
    ]);
    const sentWhenStopped = sentFrames(await first.peer.frames());
    expect(await first.peer.menu()).toEqual([]); // nothing to call from a stopped page

    // Bob sees Alice once, with the newer page's name, and calling her rings the newer page only.
    const bobsMenu = await bob.peer.waitForMenu((m) => m.includes('Call Alice Two'), '"Call Alice Two"');
    expect(bobsMenu.filter((entry) => entry.includes('Alice'))).toEqual(['Call Alice Two']);
    await bob.peer.call('Alice Two');
    await second.peer.waitForDialog('Bob is calling');
    expect(await first.peer.dialog()).toBeNull();
    await second.peer.decline();
    await bob.peer.waitForStatus(/declined/);

    const before = suite.running.loginAttempts(login);
    // A timed observation, not a wait for a condition: the claim is that nothing happens in this window.
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    expect({
      loginAttemptsIn20s: suite.running.loginAttempts(login) - before,
      framesSentByStoppedPage: sentFrames(await first.peer.frames()) - sentWhenStopped,
      bobsAliceEntries: (await bob.peer.menu()).filter((entry) => entry.includes('Alice')),
    }).toEqual({ loginAttemptsIn20s: 0, framesSentByStoppedPage: 0, bobsAliceEntries: ['Call Alice Two'] });
    expect(await first.peer.status()).toBe('Signed in elsewhere. Reload this page to use it here.');
    expect(await second.peer.status()).toBe('Online');
  },
  90_000,
);
