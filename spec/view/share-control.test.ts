// The "Share screen (S)" toggle: only where the browser has getDisplayMedia; S is its shortcut; the
// self-view shows a shared screen unmirrored (jsdom, static/channel.html).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { View } from '../../src/view/view';
import type { Control, Intent } from '../../src/view/ui-types';

const page = readFileSync(join(__dirname, '../../static/channel.html'), 'utf8');
const CONTROLS: Control[] = [{ kind: 'toggle-mic', on: true }, { kind: 'toggle-screen', on: false, disabled: false }, { kind: 'hangup' }];

function load(): { view: View; intents: Intent[] } {
  // Our own static page (the DOM contract), so parsing it as markup is safe here.
  document.documentElement.innerHTML = new DOMParser().parseFromString(page, 'text/html').documentElement.innerHTML;
  const view = new View(document);
  const intents: Intent[] = [];
  view.intents$.subscribe((i) => intents.push(i));
  return { view, intents };
}
const texts = () => Array.from(document.querySelectorAll('#call-controls button')).map((b) => b.textContent);
const press = (key: string) => document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
const withDevices = (devices: object | undefined) => Object.defineProperty(navigator, 'mediaDevices', { value: devices, configurable: true });

describe('View: screen sharing', () => {
  afterEach(() => withDevices(undefined));

  it('a browser with getDisplayMedia: the toggle with its label, aria-pressed and shortcut; clicking and S ask for it', () => {
    withDevices({ getDisplayMedia: () => undefined });
    const { view, intents } = load();
    view.setControls(CONTROLS);
    expect(texts()).toEqual(['Mute (M)', 'Share screen (S)', 'Hang up']);
    const share = document.querySelector<HTMLButtonElement>('[data-intent="toggle-screen"]');
    expect([share?.getAttribute('aria-pressed'), share?.getAttribute('aria-keyshortcuts'), share?.disabled]).toEqual(['false', 'S', false]);
    share?.click();
    press('s');
    expect(intents).toEqual([{ kind: 'toggle-screen' }, { kind: 'toggle-screen' }]);
    view.setControls([{ kind: 'toggle-screen', on: true, disabled: false }]);
    expect(texts()).toEqual(['Stop sharing (S)']);
    expect(document.querySelector('[data-intent="toggle-screen"]')?.getAttribute('aria-pressed')).toBe('true');
    view.setControls([{ kind: 'toggle-screen', on: false, disabled: true }]);
    expect(document.querySelector<HTMLButtonElement>('[data-intent="toggle-screen"]')?.disabled).toBe(true);
  });

  it('a phone (no getDisplayMedia): no toggle, and S does nothing', () => {
    withDevices({});
    const { view, intents } = load();
    view.setControls(CONTROLS);
    expect(texts()).toEqual(['Mute (M)', 'Hang up']);
    press('s');
    press('m');
    expect(intents).toEqual([{ kind: 'toggle-mic' }]);
  });

  it('the self-view mirrors our camera, not a shared screen', () => {
    const { view } = load();
    const stream = (settings: MediaTrackSettings) => ({ getVideoTracks: () => [{ getSettings: () => settings }] }) as unknown as MediaStream;
    const self = document.getElementById('self-view') as HTMLVideoElement;
    jest.spyOn(HTMLMediaElement.prototype, 'play').mockReturnValue(Promise.resolve());
    view.setSelfView(stream({ displaySurface: 'monitor' }));
    expect(self.classList.contains('screen')).toBe(true);
    view.setSelfView(stream({ width: 640 }));
    expect(self.classList.contains('screen')).toBe(false);
  });
});
