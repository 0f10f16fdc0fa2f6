/** When and what to click: a `#nav-menu` button's exact text, an epoch ms. */
export interface ClickAt {
  readonly label: string;
  readonly when: number;
}

/** A page's evaluate, whichever driver (playwright-core or puppeteer-core): both take a function and its argument. */
export type Evaluate = (fn: (arg: ClickAt) => Promise<string>, arg: ClickAt) => Promise<string>;

/**
 * Schedules a click on `Call <name>` at an absolute time (every page shares the machine's clock), so two
 * sides click in the same tick; resolves with the status text right after the click.
 */
export function clickCallAt(evaluate: Evaluate, name: string, at: number): Promise<string> {
  return evaluate(
    ({ label, when }) =>
      new Promise<string>((resolve, reject) => {
        const button = Array.from(document.querySelectorAll<HTMLButtonElement>('#nav-menu button')).find((b) => b.textContent === label);
        if (!button) return reject(new Error(`no ${label} button`));
        setTimeout(() => {
          button.click();
          resolve(document.getElementById('nav-status')?.textContent ?? '');
        }, when - Date.now());
      }),
    { label: `Call ${name}`, when: at },
  );
}
