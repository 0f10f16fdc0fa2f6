import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import { View } from '../../src/view/view';
import { ICONS } from '../../src/view/icons';
import type { Intent } from '../../src/view/ui-types';

const page = readFileSync(join(__dirname, '../../static/channel.html'), 'utf8');
const HOSTILE = '<img src=x onerror=alert(1)>';

function load(): { view: View; intents: Intent[]; sub: Subscription } {
  // The test fixture is our own static page (the DOM contract), so parsing it as markup is safe here.
  document.documentElement.innerHTML = new DOMParser().parseFromString(page, 'text/html').documentElement.innerHTML;
  const view = new View(document);
  const intents: Intent[] = [];
  const sub = view.intents$.subscribe((i) => intents.push(i));
  return { view, intents, sub };
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const buttons = (root: HTMLElement) => Array.from(root.querySelectorAll('button'));
const press = (key: string) => document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));

describe('View (jsdom, static/channel.html)', () => {
  let ctx: ReturnType<typeof load>;
  beforeEach(() => {
    ctx = load();
  });
  afterEach(() => ctx.sub.unsubscribe());

  it('in-call controls: real buttons with labels, aria-pressed and shortcuts; M and V toggle, not while typing nor outside a call', () => {
    press('m');
    expect(ctx.intents).toEqual([]); // no controls, no call
    ctx.view.setControls([{ kind: 'toggle-mic', on: false }, { kind: 'toggle-camera', on: true, disabled: false }, { kind: 'hangup' }]);
    const [mic, camera, hangup] = buttons(byId('call-controls'));
    expect([mic?.textContent, camera?.textContent, hangup?.textContent]).toEqual(['Unmute (M)', 'Camera off (V)', 'Hang up']);
    expect([mic?.getAttribute('aria-pressed'), camera?.getAttribute('aria-pressed'), hangup?.hasAttribute('aria-pressed')]).toEqual(['true', 'false', false]);
    expect(mic?.getAttribute('aria-keyshortcuts')).toBe('M');
    mic?.click();
    hangup?.click();
    press('M');
    press('v');
    const input = document.createElement('input');
    document.body.append(input);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'm', bubbles: true }));
    expect(ctx.intents).toEqual([{ kind: 'toggle-mic' }, { kind: 'hangup' }, { kind: 'toggle-mic' }, { kind: 'toggle-camera' }]);
    ctx.view.setControls([{ kind: 'toggle-mic', on: true }, { kind: 'toggle-camera', on: false, disabled: true }, { kind: 'hangup' }]);
    expect(buttons(byId('call-controls'))[1]?.disabled).toBe(true);
  });

  it('in-call controls: an aria-hidden icon before each label, showing the toggle\'s state; the key part of the label marked droppable', () => {
    const iconPaths = (b: HTMLButtonElement | undefined) => [...(b?.querySelector('svg')?.querySelectorAll('path') ?? [])].map((p) => p.getAttribute('d'));
    ctx.view.setControls([{ kind: 'toggle-mic', on: true }, { kind: 'toggle-camera', on: false, disabled: false }, { kind: 'hangup' }]);
    let all = buttons(byId('call-controls'));
    for (const b of all) {
      expect(b.firstElementChild?.tagName.toLowerCase()).toBe('svg');
      expect(b.firstElementChild?.getAttribute('aria-hidden')).toBe('true');
    }
    expect(all.map((b) => b.textContent)).toEqual(['Mute (M)', 'Camera on (V)', 'Hang up']); // the icons add no text to the names
    expect(all.map(iconPaths)).toEqual([ICONS.microphone, ICONS['camera-off'], ICONS['phone-hangup']]);
    expect(all.map((b) => b.querySelector('.label-extra')?.textContent ?? null)).toEqual([' (M)', ' (V)', null]);
    ctx.view.setControls([{ kind: 'toggle-mic', on: false }, { kind: 'toggle-camera', on: true, disabled: false }, { kind: 'hangup' }]);
    all = buttons(byId('call-controls'));
    expect(all.map(iconPaths)).toEqual([ICONS['microphone-off'], ICONS.camera, ICONS['phone-hangup']]);
    expect(all.map((b) => b.querySelectorAll('svg').length)).toEqual([1, 1, 1]);
  });

  it('self-view button: next to #self-view, only with our picture; a press asks to toggle; hidden = pressed, the label says what a press does', () => {
    const self = byId<HTMLVideoElement>('self-view');
    const toggle = byId<HTMLButtonElement>('self-view-toggle');
    expect(self.nextElementSibling).toBe(toggle);
    expect([toggle.type, toggle.hidden, toggle.textContent, toggle.getAttribute('aria-pressed')]).toEqual(['button', true, 'Hide self-view', 'false']);
    const play = jest.spyOn(HTMLMediaElement.prototype, 'play').mockReturnValue(undefined as unknown as Promise<void>);
    ctx.view.setSelfView({ id: 'local', getVideoTracks: () => [] } as unknown as MediaStream);
    expect(toggle.hidden).toBe(false);
    toggle.click();
    expect(ctx.intents).toEqual([{ kind: 'toggle-self-view' }]);
    ctx.view.setSelfViewHidden(true);
    expect([toggle.textContent, toggle.getAttribute('aria-pressed'), self.classList.contains('user-hidden'), self.hidden]).toEqual(['Show self-view', 'true', true, false]);
    expect(toggle.querySelector('.label-extra')?.textContent).toBe(' self-view');
    ctx.view.setSelfViewHidden(false);
    expect([toggle.textContent, toggle.getAttribute('aria-pressed'), self.classList.contains('user-hidden')]).toEqual(['Hide self-view', 'false', false]);
    ctx.view.setSelfView(null);
    expect(toggle.hidden).toBe(true);
    play.mockRestore();
  });

  it('call duration: next to the status, outside its live region (a timer), hidden when there is none', () => {
    const duration = byId('call-duration');
    const status = byId('nav-status');
    expect(status.nextElementSibling).toBe(duration);
    expect([duration.getAttribute('role'), duration.hidden, status.contains(duration)]).toEqual(['timer', true, false]);
    ctx.view.setStatus('In a call with Bo');
    ctx.view.setCallDuration('3:07');
    expect([duration.textContent, duration.hidden, status.textContent]).toEqual(['3:07', false, 'In a call with Bo']);
    ctx.view.setCallDuration(null);
    expect([duration.textContent, duration.hidden]).toEqual(['', true]);
    status.after(document.createElement('button')); // e.g. "Notify me of calls" (src/view/attention.ts)
    ctx.view.setCallDuration('3:08');
    expect(status.nextElementSibling).toBe(duration);
  });

  it("their camera off: their name (as text) instead of the picture, and back", () => {
    ctx.view.setRemoteCameraOff(HOSTILE);
    expect(byId('remote-camera-off').textContent).toBe(`${HOSTILE} turned their camera off`);
    expect(byId('remote-camera-off').hidden).toBe(false);
    expect(byId('media-player').classList.contains('camera-off')).toBe(true);
    expect(document.querySelector('#remote-camera-off img')).toBeNull();
    ctx.view.setRemoteCameraOff(null);
    expect(byId('remote-camera-off').hidden).toBe(true);
    expect(byId('media-player').classList.contains('camera-off')).toBe(false);
  });

  it('sets the status text, hostile text staying text', () => {
    ctx.view.setStatus(`${HOSTILE} is calling`);
    expect(byId('nav-status').textContent).toBe(`${HOSTILE} is calling`);
    expect(document.querySelector('nav img[src="x"]')).toBeNull();
  });

  it('fills the menu: a button named "Call <name>" per available peer, busy peers not callable, call controls', () => {
    ctx.view.setMenu([
      { kind: 'call', peerId: 'bo', name: 'Bo' },
      { kind: 'call', peerId: 'evil', name: HOSTILE },
      { kind: 'busy', name: 'Dee' },
      { kind: 'unreachable', name: 'Cy' },
      { kind: 'name', name: 'Ann' },
    ]);
    const menu = byId('nav-menu');
    expect(buttons(menu).map((b) => b.textContent)).toEqual(['Call Bo', `Call ${HOSTILE}`, 'Name: Ann']);
    expect(menu.querySelector('img')).toBeNull();
    expect([...menu.querySelectorAll('.busy')].map((e) => e.textContent)).toEqual(['Dee (busy)', 'Cy (offline)']);
    expect(buttons(menu).every((b) => b.type === 'button')).toBe(true);

    buttons(menu)[1].click();
    buttons(menu)[2].click();
    expect(ctx.intents).toEqual([{ kind: 'call', peerId: 'evil' }, { kind: 'edit-name' }]);

    ctx.view.setMenu([{ kind: 'cancel' }]);
    expect(buttons(menu).map((b) => b.textContent)).toEqual(['Cancel']);
    ctx.view.setMenu([{ kind: 'hangup' }]);
    buttons(menu)[0].click();
    expect(buttons(menu).map((b) => b.textContent)).toEqual(['Hang up']);
    expect(ctx.intents.at(-1)).toEqual({ kind: 'hangup' });
  });

  it('closes the burger menu after a choice (small screens)', () => {
    const burger = byId<HTMLInputElement>('nav-burger');
    burger.checked = true;
    ctx.view.setMenu([{ kind: 'hangup' }]);
    buttons(byId('nav-menu'))[0].click();
    expect(burger.checked).toBe(false);
  });

  it('shows an incoming call that Escape and the overlay cannot dismiss', () => {
    ctx.view.showDialog({ kind: 'incoming', name: HOSTILE });
    const control = byId<HTMLInputElement>('modal-control');
    const content = byId('modal-content');
    expect(control.checked).toBe(true);
    expect(content.querySelector('h3')?.textContent).toBe(`${HOSTILE} is calling`);
    expect(content.querySelector('img')).toBeNull();
    expect(buttons(content).map((b) => b.textContent)).toEqual(['Accept', 'Decline']);

    press('Escape');
    byId('modal-overlay').click();
    expect(control.checked).toBe(true);
    expect(ctx.intents).toEqual([]);

    buttons(content)[0].click();
    buttons(content)[1].click();
    expect(ctx.intents).toEqual([{ kind: 'accept' }, { kind: 'decline' }]);

    ctx.view.showDialog(null);
    expect(control.checked).toBe(false);
    expect(content.childElementCount).toBe(0);
  });

  it('asks whether to go on audio-only with the camera blocked: Audio only or Cancel, Escape and the overlay cannot dismiss it', () => {
    ctx.view.showDialog({ kind: 'camera-blocked' });
    const content = byId('modal-content');
    expect(byId<HTMLInputElement>('modal-control').checked).toBe(true);
    expect(content.querySelector('h3')?.textContent).toBe('Your camera is blocked for this site. Go on with audio only?');
    press('Escape');
    byId('modal-overlay').click();
    expect(byId<HTMLInputElement>('modal-control').checked).toBe(true);
    buttons(content).forEach((b) => b.click());
    expect(ctx.intents).toEqual([{ kind: 'audio-only' }, { kind: 'cancel' }]);
    expect(buttons(content).map((b) => b.textContent)).toEqual(['Audio only', 'Cancel']);
  });

  it('shows the name form: submit renames, Escape / overlay / Cancel close it', () => {
    ctx.view.showDialog({ kind: 'name-form', name: 'Ann' });
    const control = byId<HTMLInputElement>('modal-control');
    const content = byId('modal-content');
    const input = content.querySelector('input') as HTMLInputElement;
    expect(input.value).toBe('Ann');
    input.value = 'Ann Lee';
    (content.querySelector('form') as HTMLFormElement).requestSubmit();
    expect(ctx.intents).toEqual([{ kind: 'rename', name: 'Ann Lee' }]);

    press('Enter'); // not Escape: nothing
    press('Escape');
    expect(ctx.intents.at(-1)).toEqual({ kind: 'close-dialog' });
    byId('modal-overlay').click();
    expect(control.checked).toBe(false); // the overlay label's native toggle was allowed
    expect(ctx.intents.filter((i) => i.kind === 'close-dialog')).toHaveLength(2);

    ctx.view.showDialog({ kind: 'name-form', name: 'Ann' });
    buttons(content).find((b) => b.textContent === 'Cancel')?.click();
    expect(ctx.intents.at(-1)).toEqual({ kind: 'close-dialog' });
  });

  it('the dialog: hidden when closed, named by its heading when open, focus on Accept (or the field) and given back after', () => {
    const content = byId('modal-content');
    ctx.view.showDialog(null);
    expect(content.hidden).toBe(true);
    ctx.view.setMenu([{ kind: 'name', name: 'Ann' }]);
    const nameButton = buttons(byId('nav-menu'))[0];
    nameButton.focus();
    ctx.view.showDialog({ kind: 'incoming', name: 'Bob' });
    expect(content.hidden).toBe(false);
    expect(document.getElementById(content.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('Bob is calling');
    expect(document.activeElement?.textContent).toBe('Accept');
    ctx.view.showDialog({ kind: 'name-form', name: 'Ann' }); // one dialog after another: still back to the first place
    expect(document.activeElement).toBe(content.querySelector('input'));
    expect(document.getElementById(content.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('Your name');
    ctx.view.showDialog(null);
    expect(content.hidden).toBe(true);
    expect(document.activeElement).toBe(nameButton);

    // Where the focus was is gone (the menu redrawn): it stays where it is, nothing thrown.
    ctx.view.showDialog({ kind: 'incoming', name: 'Bob' });
    byId('nav-menu').replaceChildren();
    ctx.view.showDialog(null);
    expect(document.activeElement).toBe(document.body);
  });

  it('a redrawn menu or toolbar keeps the focus: on the same intent, else in the same place', () => {
    ctx.view.setMenu([{ kind: 'name', name: 'Ann' }, { kind: 'call', peerId: 'p1', name: 'Bob' }, { kind: 'call', peerId: 'p2', name: 'Cy' }]);
    buttons(byId('nav-menu'))[2].focus();
    ctx.view.setMenu([{ kind: 'name', name: 'Ann' }, { kind: 'call', peerId: 'p2', name: 'Cy' }]);
    expect(document.activeElement?.textContent).toBe('Call Cy');
    ctx.view.setMenu([{ kind: 'name', name: 'Ann' }, { kind: 'cancel' }]);
    expect(document.activeElement?.textContent).toBe('Cancel');
    ctx.view.setMenu([{ kind: 'name', name: 'Ann' }, { kind: 'busy', name: 'Bob' }]);
    expect(document.activeElement).toBe(document.body); // a name, not a button: nothing to focus

    ctx.view.setControls([{ kind: 'toggle-mic', on: true }, { kind: 'toggle-camera', on: true, disabled: false }, { kind: 'hangup' }]);
    buttons(byId('call-controls'))[0].focus();
    ctx.view.setControls([{ kind: 'toggle-mic', on: false }, { kind: 'toggle-camera', on: true, disabled: false }, { kind: 'hangup' }]);
    expect(document.activeElement?.textContent).toBe('Unmute (M)');
    // Focus elsewhere is left alone.
    buttons(byId('nav-menu'))[0].focus();
    ctx.view.setControls([{ kind: 'hangup' }]);
    expect(document.activeElement?.textContent).toBe('Name: Ann');
  });

  it('Escape does nothing when no dialog is open', () => {
    press('Escape');
    expect(ctx.intents).toEqual([]);
  });

  it('fits the video: cover for the muted local preview, contain (on black) for the remote stream, poster when none', () => {
    const video = byId<HTMLVideoElement>('media-player');
    const play = jest.spyOn(HTMLMediaElement.prototype, 'play').mockReturnValue(undefined as unknown as Promise<void>);
    const local = { id: 'local', getVideoTracks: () => [] } as unknown as MediaStream;
    const remote = { id: 'remote' } as unknown as MediaStream;

    ctx.view.setVideo({ stream: local, fit: 'cover', muted: true });
    expect(video.srcObject).toBe(local);
    expect(video.muted).toBe(true);
    expect(video.classList.contains('fit-cover')).toBe(true);
    expect(video.classList.contains('fit-contain')).toBe(false);

    play.mockReturnValue(Promise.reject(new Error('NotAllowedError'))); // autoplay refused: tolerated
    ctx.view.setVideo({ stream: remote, fit: 'contain', muted: false });
    expect(video.srcObject).toBe(remote);
    expect(video.muted).toBe(false);
    expect(video.classList.contains('fit-contain')).toBe(true);
    expect(video.classList.contains('fit-cover')).toBe(false);

    ctx.view.setVideo(null);
    expect(video.srcObject).toBeNull();
    expect(video.classList.contains('fit-cover')).toBe(true);
    expect(video.getAttribute('poster')).toBeTruthy();
    expect(play).toHaveBeenCalledTimes(2);
    play.mockRestore();
  });

  it('self-view: our own stream, muted, shown only in a call; a refused autoplay is tolerated', () => {
    const self = byId<HTMLVideoElement>('self-view');
    const play = jest.spyOn(HTMLMediaElement.prototype, 'play').mockReturnValue(Promise.reject(new Error('NotAllowedError')));
    const local = { id: 'local', getVideoTracks: () => [] } as unknown as MediaStream;
    ctx.view.setSelfView(local);
    expect(self.srcObject).toBe(local);
    expect(self.muted).toBe(true);
    expect(self.hidden).toBe(false);
    ctx.view.setSelfView(null);
    expect(self.srcObject).toBeNull();
    expect(self.hidden).toBe(true);
    expect(play).toHaveBeenCalledTimes(1);
    play.mockRestore();
  });

  it('hides and shows the navbar', () => {
    ctx.view.setNavHidden(true);
    expect(document.querySelector('nav')?.classList.contains('nav-hidden')).toBe(true);
    ctx.view.setNavHidden(false);
    expect(document.querySelector('nav')?.classList.contains('nav-hidden')).toBe(false);
  });

  it('reports activity lazily from the document', () => {
    const seen: string[] = [];
    const sub = ctx.view.activity$.subscribe((e) => seen.push((e as Event).type));
    document.dispatchEvent(new MouseEvent('mousemove'));
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    sub.unsubscribe();
    document.dispatchEvent(new MouseEvent('mousemove'));
    expect(seen).toEqual(['mousemove', 'keydown']);
  });

  it('refuses a page without the DOM contract', () => {
    document.body.innerHTML = '<p>nothing here</p>';
    expect(() => new View(document)).toThrow('#nav-status');
  });
});
