import type { Page } from 'playwright-core';
import { useSuite } from './support/session';

const { scenario } = useSuite();

/** Tabs a person would press at most to reach a control from the top of the page. */
const MAX_TABS = 6;

/** The focused element: its text, and the focus ring the page draws for it. */
interface Focused {
  readonly text: string;
  readonly outline: string;
  readonly outlineWidth: number;
  readonly boxShadow: string;
}

const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement ?? document.body;
    const style = getComputedStyle(el);
    return { text: el === document.body ? '(body)' : (el.textContent ?? '').trim(), outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), boxShadow: style.boxShadow };
  });

/** Presses Tab until `text` has the focus; the number of Tabs it took (fails past MAX_TABS, listing what was passed). */
async function tabTo(page: Page, text: string): Promise<{ tabs: number; at: Focused }> {
  const passed: string[] = [];
  for (let tabs = 1; tabs <= MAX_TABS; tabs += 1) {
    await page.keyboard.press('Tab');
    const at = await focused(page);
    if (at.text === text) return { tabs, at };
    passed.push(at.text);
  }
  throw new Error(`"${text}" not reached in ${MAX_TABS} Tabs; focus went through: ${passed.join(' → ')}`);
}

/**
 * A ring a person can see: Picnic's own focus style is only a 20 % tint (an inset box-shadow), which
 * "box-shadow not none" would accept; the page's :focus-visible outline (src/app.css) is what shows.
 */
function expectFocusRing(at: Focused): void {
  expect({ text: at.text, outline: at.outline, wide: at.outlineWidth >= 2 }).toEqual({ text: at.text, outline: 'solid', wide: true });
}

scenario('keyboard only: Tab to "Call Bob", Enter; Bob answers with Enter; M mutes; Tab to Hang up, Enter', async (run) => {
  const [a, b] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob', { name: 'Bob' })]);
  const [alice, bob] = [a.peer, b.peer];
  await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);

  const call = await tabTo(alice.page, 'Call Bob');
  process.stdout.write(`keyboard: "Call Bob" after ${call.tabs} Tabs\n`);
  expectFocusRing(call.at);
  await alice.page.keyboard.press('Enter');
  await alice.waitForStatus(/^Calling Bob…$/);
  // The menu was redrawn ("Call Bob" became "Cancel"): the focus stays in it.
  expect((await focused(alice.page)).text).toBe('Cancel');

  await bob.waitForDialog('Alice is calling');
  const answer = await focused(bob.page);
  expect(answer.text).toBe('Accept');
  expectFocusRing(answer);
  await bob.page.keyboard.press('Enter');
  await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
  await bob.waitForDialog(null);

  await bob.page.keyboard.press('m');
  await alice.waitForStatus(/^In a call with Bob — Bob muted their microphone$/);

  const hangUp = await tabTo(bob.page, 'Hang up');
  process.stdout.write(`keyboard: "Hang up" after ${hangUp.tabs} Tabs\n`);
  expectFocusRing(hangUp.at);
  // Reached in the navbar or in the toolbar over the video: either way it must be on screen to be pressed.
  await expect(bob.page.evaluate(() => {
    const r = (document.activeElement as HTMLElement).getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.bottom <= innerHeight;
  })).resolves.toBe(true);
  await bob.page.keyboard.press('Enter');
  await Promise.all([alice.waitForStatus(/^Bob hung up$/), bob.waitForPeer('Alice')]);
});
