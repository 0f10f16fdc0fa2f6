import { filter, fromEvent, map, merge, tap, type Observable } from 'rxjs';
import { documentActivity$ } from './activity';
import { devicesContent } from './devices-dialog';
import type { Control, Dialog, Intent, MenuItem, PeerView, VideoSource } from './ui-types';

/** Intents a button can carry in `data-intent` without further data. */
const SIMPLE_INTENTS = ['accept', 'decline', 'cancel', 'hangup', 'edit-name', 'close-dialog', 'toggle-mic', 'toggle-camera', 'open-devices'] as const;
/** Keyboard shortcuts of the in-call toggles (shown in their labels), outside text fields. */
const SHORTCUTS: Readonly<Record<string, Intent>> = { m: { kind: 'toggle-mic' }, v: { kind: 'toggle-camera' } };
type SimpleIntent = (typeof SIMPLE_INTENTS)[number];
const isSimple = (v: string | undefined): v is SimpleIntent => SIMPLE_INTENTS.some((i) => i === v);

/** A DOM element the page must have (the DOM contract, static/channel.html). */
function must<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const el = doc.getElementById(id);
  if (!(el instanceof type)) throw new Error(`this page has no #${id}`);
  return el;
}

/**
 * The page as a driver: write methods take plain data, reads are lazy `fromEvent` streams,
 * no state and no subscriptions of its own. Every text goes in through `textContent`, never markup.
 */
export class View implements PeerView {
  readonly intents$: Observable<Intent>;
  readonly activity$: Observable<unknown>;
  readonly setSpeaker: ((deviceId: string) => Promise<void>) | null;
  private readonly nav: HTMLElement;
  private readonly status: HTMLElement;
  private readonly menu: HTMLElement;
  private readonly video: HTMLVideoElement;
  private readonly modalControl: HTMLInputElement;
  private readonly modalContent: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly cameraOff: HTMLElement;
  private readonly selfView: HTMLVideoElement;

  constructor(private readonly doc: Document) {
    this.status = must(doc, 'nav-status', HTMLElement);
    this.menu = must(doc, 'nav-menu', HTMLElement);
    this.video = must(doc, 'media-player', HTMLVideoElement);
    this.modalControl = must(doc, 'modal-control', HTMLInputElement);
    this.modalContent = must(doc, 'modal-content', HTMLElement);
    const overlay = must(doc, 'modal-overlay', HTMLElement);
    this.controls = must(doc, 'call-controls', HTMLElement);
    this.cameraOff = must(doc, 'remote-camera-off', HTMLElement);
    this.selfView = must(doc, 'self-view', HTMLVideoElement);
    this.nav = this.status.closest('nav') ?? this.status;
    this.activity$ = documentActivity$(doc);
    const video = this.video;
    this.setSpeaker = typeof video.setSinkId === 'function' ? (id) => video.setSinkId(id) : null;

    const clicks$ = merge(fromEvent<MouseEvent>(this.menu, 'click'), fromEvent<MouseEvent>(this.modalContent, 'click'), fromEvent<MouseEvent>(this.controls, 'click')).pipe(
      map((e) => (e.target instanceof Element ? e.target.closest<HTMLElement>('[data-intent]') : null)),
      map((button): Intent | null => {
        const kind = button?.dataset.intent;
        if (kind === 'call' && button?.dataset.peer) return { kind: 'call', peerId: button.dataset.peer };
        return isSimple(kind) ? { kind } : null;
      }),
      filter((i): i is Intent => i !== null),
      tap(() => this.closeBurger()),
    );
    const renames$ = fromEvent<SubmitEvent>(this.modalContent, 'submit').pipe(
      tap((e) => e.preventDefault()),
      map((e): Intent => {
        const input = e.target instanceof HTMLFormElement ? e.target.elements.namedItem('name') : null;
        return { kind: 'rename', name: input instanceof HTMLInputElement ? input.value : '' };
      }),
    );
    const escapes$ = fromEvent<KeyboardEvent>(doc, 'keydown').pipe(filter((e) => e.key === 'Escape' && this.modalControl.checked && this.closable()));
    // The overlay is a <label> for the checkbox: stop its toggle when the dialog wants an answer.
    const overlay$ = fromEvent<MouseEvent>(overlay, 'click').pipe(
      tap((e) => {
        if (!this.closable()) e.preventDefault();
      }),
      filter(() => this.closable()),
    );
    const dismissals$ = merge(escapes$, overlay$).pipe(map((): Intent => ({ kind: 'close-dialog' })));
    const shortcuts$ = fromEvent<KeyboardEvent>(doc, 'keydown').pipe(
      // A select's type-ahead (the Devices dialog) is no shortcut either.
      filter((e) => !e.ctrlKey && !e.metaKey && !e.altKey && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) && this.controls.childElementCount > 0),
      map((e) => SHORTCUTS[e.key.toLowerCase()] ?? null),
      filter((i): i is Intent => i !== null),
    );
    const devices$ = fromEvent<Event>(this.modalContent, 'change').pipe(
      map((e) => e.target),
      filter((t): t is HTMLSelectElement => t instanceof HTMLSelectElement), // only the Devices dialog has selects
      map((t): Intent => ({ kind: 'choose-device', role: t.name === 'mic' ? 'mic' : 'speaker', deviceId: t.value })),
    );
    this.intents$ = merge(clicks$, renames$, dismissals$, shortcuts$, devices$);
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  setMenu(items: readonly MenuItem[]): void {
    this.menu.replaceChildren(...items.map((item) => this.menuEntry(item)));
  }

  showDialog(dialog: Dialog | null): void {
    if (dialog === null) {
      this.modalControl.checked = false;
      this.modalContent.replaceChildren();
      delete this.modalContent.dataset.closable;
      return;
    }
    if (dialog.kind === 'incoming') {
      this.modalContent.dataset.closable = 'false';
      this.modalContent.replaceChildren(
        this.el('header', {}, this.el('h3', { text: `${dialog.name} is calling` })),
        this.el('footer', {}, this.button('Accept', 'accept', 'success'), this.button('Decline', 'decline', 'error')),
      );
    } else if (dialog.kind === 'devices') {
      this.modalContent.dataset.closable = 'true';
      this.modalContent.replaceChildren(
        this.el('header', {}, this.el('h3', { text: 'Devices' })),
        devicesContent(this.doc, dialog),
        this.el('footer', {}, this.button('Done', 'close-dialog', 'pseudo')),
      );
    } else {
      this.modalContent.dataset.closable = 'true';
      const input = this.el('input', {});
      Object.assign(input, { type: 'text', name: 'name', value: dialog.name, maxLength: 64, required: true, autocomplete: 'nickname' });
      const form = this.el(
        'form',
        {},
        this.el('header', {}, this.el('h3', { text: 'Your name' })),
        this.el('section', { className: 'content' }, this.el('label', { text: 'Shown to the others in this channel' }, input)),
        this.el('footer', {}, this.submit('Save'), this.button('Cancel', 'close-dialog', 'pseudo')),
      );
      this.modalContent.replaceChildren(form);
    }
    this.modalControl.checked = true;
  }

  setVideo(source: VideoSource): void {
    const video = this.video;
    video.srcObject = source?.stream ?? null;
    // Local preview is muted (no echo); the remote stream is heard.
    video.muted = source?.muted ?? true;
    video.classList.toggle('fit-contain', source?.fit === 'contain');
    video.classList.toggle('fit-cover', source?.fit !== 'contain');
    if (source === null) return;
    // play() may return undefined (old engines, jsdom) or reject (autoplay policy): neither is fatal.
    const played = video.play() as Promise<void> | undefined;
    played?.catch(() => undefined);
  }

  setNavHidden(hidden: boolean): void {
    this.nav.classList.toggle('nav-hidden', hidden);
  }

  setControls(controls: readonly Control[]): void {
    this.controls.replaceChildren(...controls.map((c) => this.control(c)));
  }

  setRemoteCameraOff(name: string | null): void {
    this.cameraOff.textContent = name === null ? '' : `${name} turned their camera off`;
    this.cameraOff.hidden = name === null;
    this.video.classList.toggle('camera-off', name !== null);
  }

  setSelfView(stream: MediaStream | null): void {
    this.selfView.srcObject = stream;
    this.selfView.muted = true;
    this.selfView.hidden = stream === null;
    if (stream === null) return;
    const played = this.selfView.play() as Promise<void> | undefined;
    played?.catch(() => undefined);
  }

  private control(c: Control): HTMLButtonElement {
    if (c.kind === 'hangup') return this.button('Hang up', 'hangup', 'error');
    if (c.kind === 'devices') return this.button('Devices', 'open-devices', 'pseudo');
    const mic = c.kind === 'toggle-mic';
    const b = this.button(mic ? (c.on ? 'Mute (M)' : 'Unmute (M)') : c.on ? 'Camera off (V)' : 'Camera on (V)', c.kind, c.on ? 'pseudo' : 'warning');
    // Pressed = the thing is turned off (muted / camera off): the label says what a press does.
    b.setAttribute('aria-pressed', String(!c.on));
    b.setAttribute('aria-keyshortcuts', mic ? 'M' : 'V');
    if (c.kind === 'toggle-camera') b.disabled = c.disabled;
    return b;
  }

  private closable(): boolean {
    return this.modalContent.dataset.closable === 'true';
  }

  private closeBurger(): void {
    const burger = this.doc.getElementById('nav-burger');
    if (burger instanceof HTMLInputElement) burger.checked = false;
  }

  private menuEntry(item: MenuItem): HTMLElement {
    switch (item.kind) {
      case 'call': {
        const b = this.button(`Call ${item.name}`, 'call', 'pseudo');
        b.dataset.peer = item.peerId;
        return b;
      }
      case 'busy':
        return this.el('span', { className: 'busy', text: `${item.name} (busy)` });
      case 'unreachable': // looks like busy: a name, not a button
        return this.el('span', { className: 'busy', text: `${item.name} (offline)` });
      case 'cancel':
        return this.button('Cancel', 'cancel', 'warning');
      case 'hangup':
        return this.button('Hang up', 'hangup', 'error');
      case 'name':
        return this.button(`Name: ${item.name}`, 'edit-name', 'pseudo');
    }
  }

  private button(text: string, intent: Intent['kind'], className: string): HTMLButtonElement {
    const b = this.el('button', { className, text });
    b.type = 'button';
    b.dataset.intent = intent;
    return b;
  }

  private submit(text: string): HTMLButtonElement {
    const b = this.el('button', { className: 'success', text });
    b.type = 'submit';
    return b;
  }

  private el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string }, ...children: Node[]): HTMLElementTagNameMap[K] {
    const e = this.doc.createElement(tag);
    if (props.className) e.className = props.className;
    if (props.text !== undefined) e.textContent = props.text;
    e.append(...children);
    return e;
  }
}
