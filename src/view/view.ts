import { filter, map, merge, tap, type Observable } from 'rxjs';
import { fromEvent } from '../dom-event';
import { documentActivity$ } from './activity';
import { devicesContent } from './devices-dialog';
import { icon, type IconName } from './icons';
import type { Control, Dialog, Intent, MenuItem, PeerView, VideoSource } from './ui-types';

/** Intents a button can carry in `data-intent` without further data. */
const SIMPLE_INTENTS = ['accept', 'decline', 'cancel', 'hangup', 'edit-name', 'close-dialog', 'toggle-mic', 'toggle-camera', 'toggle-screen', 'toggle-self-view', 'verify', 'verify-match', 'verify-mismatch', 'audio-only', 'open-devices'] as const;
/** Keyboard shortcuts of the in-call toggles (shown in their labels), outside text fields. */
const SHORTCUTS: Readonly<Record<string, Intent>> = { m: { kind: 'toggle-mic' }, v: { kind: 'toggle-camera' }, s: { kind: 'toggle-screen' } };
/** The icon of each in-call control by kind; a toggle shows its state, [on, off]. */
const CONTROL_ICONS: { readonly [K in Control['kind']]?: IconName | readonly [IconName, IconName] } = {
  'toggle-mic': ['microphone', 'microphone-off'],
  'toggle-camera': ['camera', 'camera-off'],
  'toggle-screen': 'screen-share',
  hangup: 'phone-hangup',
  verify: 'shield-check',
  devices: 'settings',
};
/** The open dialog's heading, which names it (aria-labelledby). */
const DIALOG_TITLE_ID = 'modal-title';
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
 * no state (but where to give the focus back) and no subscriptions of its own. Every text goes in through `textContent`, never markup.
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
  private readonly selfViewToggle: HTMLButtonElement;
  private readonly duration: HTMLElement;
  /** Where the focus was when the dialog opened (given back when it closes): the View's only memory. */
  private focusBefore: HTMLElement | null = null;

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
    // Made here, not part of the page's DOM contract: pages (and Django templates) written before them still work.
    this.duration = this.el('span', { className: 'call-duration' });
    Object.assign(this.duration, { id: 'call-duration', hidden: true });
    this.duration.setAttribute('role', 'timer'); // not a live region: the ticking is not read out
    this.status.after(this.duration);
    this.selfViewToggle = this.button('', 'toggle-self-view', 'pseudo');
    Object.assign(this.selfViewToggle, { id: 'self-view-toggle', hidden: true });
    this.selfView.after(this.selfViewToggle);
    this.setSelfViewHidden(false);
    this.activity$ = documentActivity$(doc);
    const video = this.video;
    this.setSpeaker = typeof video.setSinkId === 'function' ? (id) => video.setSinkId(id) : null;

    const clicks$ = merge(fromEvent<MouseEvent>(this.menu, 'click'), fromEvent<MouseEvent>(this.modalContent, 'click'), fromEvent<MouseEvent>(this.controls, 'click'), fromEvent<MouseEvent>(this.selfViewToggle, 'click')).pipe(
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
      filter((i): i is Intent => i !== null && (i.kind !== 'toggle-screen' || this.canShare())),
    );
    const devices$ = fromEvent<Event>(this.modalContent, 'change').pipe(
      map((e) => e.target),
      filter((t): t is HTMLSelectElement => t instanceof HTMLSelectElement), // only the Devices dialog has selects
      map((t): Intent => ({ kind: 'choose-device', role: t.name === 'mic' || t.name === 'camera' ? t.name : 'speaker', deviceId: t.value })),
    );
    this.intents$ = merge(clicks$, renames$, dismissals$, shortcuts$, devices$);
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  setMenu(items: readonly MenuItem[]): void {
    this.replaceKeepingFocus(this.menu, items.map((item) => this.menuEntry(item)));
  }

  showDialog(dialog: Dialog | null): void {
    const wasOpen = !this.modalContent.hidden;
    if (dialog === null) {
      this.modalControl.checked = false;
      this.modalContent.replaceChildren();
      delete this.modalContent.dataset.closable;
      // Hidden, not only faded: an open aria-modal dialog hides the rest of the page from screen readers.
      this.modalContent.hidden = true;
      if (wasOpen) this.giveFocusBack();
      return;
    }
    if (!wasOpen) this.focusBefore = this.doc.activeElement instanceof HTMLElement ? this.doc.activeElement : null;
    const title = (text: string) => this.el('header', {}, Object.assign(this.el('h3', { text }), { id: DIALOG_TITLE_ID }));
    let first: HTMLElement;
    if (dialog.kind === 'incoming') {
      this.modalContent.dataset.closable = 'false';
      first = this.button('Accept', 'accept', 'success');
      this.modalContent.replaceChildren(title(`${dialog.name} is calling`), this.el('footer', {}, first, this.button('Decline', 'decline', 'error')));
    } else if (dialog.kind === 'camera-blocked') {
      this.modalContent.dataset.closable = 'false';
      first = this.button('Audio only', 'audio-only', 'success');
      this.modalContent.replaceChildren(title('Your camera is blocked for this site. Go on with audio only?'), this.el('footer', {}, first, this.button('Cancel', 'cancel', 'error')));
    } else if (dialog.kind === 'verify') {
      this.modalContent.dataset.closable = 'true';
      const verify = this.verifyDialog(dialog, title);
      first = verify.first;
      this.modalContent.replaceChildren(...verify.parts);
    } else if (dialog.kind === 'devices') {
      this.modalContent.dataset.closable = 'true';
      const done = this.button('Done', 'close-dialog', 'pseudo');
      const content = devicesContent(this.doc, dialog);
      first = content.querySelector('select') ?? done;
      this.modalContent.replaceChildren(title('Devices'), content, this.el('footer', {}, done));
    } else {
      this.modalContent.dataset.closable = 'true';
      const input = this.el('input', {});
      Object.assign(input, { type: 'text', name: 'name', value: dialog.name, maxLength: 64, required: true, autocomplete: 'nickname' });
      first = input;
      const form = this.el(
        'form',
        {},
        title('Your name'),
        this.el('section', { className: 'content' }, this.el('label', { text: 'Shown to the others in this channel' }, input)),
        this.el('footer', {}, this.submit('Save'), this.button('Cancel', 'close-dialog', 'pseudo')),
      );
      this.modalContent.replaceChildren(form);
    }
    this.modalContent.setAttribute('aria-labelledby', DIALOG_TITLE_ID);
    this.modalContent.hidden = false;
    this.modalControl.checked = true;
    // Keyboard and screen-reader users land on the answer (Accept) or the field, not behind the dialog.
    first.focus();
  }

  /** Focus back where it was before the dialog opened, if that is still on the page; else wherever it is. */
  private giveFocusBack(): void {
    const before = this.focusBefore;
    this.focusBefore = null;
    if (before?.isConnected) before.focus();
  }

  /**
   * Replaces a container's entries; if one of them had the keyboard's focus, it goes to the new entry with
   * the same intent (and peer), else to the one in the same place: a keyboard user is not dropped to the page.
   * A focus left by a mouse click is not carried (Enter or Space would then press, unseen, e.g. Hang up).
   */
  private replaceKeepingFocus(container: HTMLElement, entries: readonly HTMLElement[]): void {
    const focused = this.doc.activeElement;
    const old = focused instanceof HTMLElement && focused.parentElement === container && focused.matches(':focus-visible') ? focused : null;
    const index = old === null ? -1 : Array.from(container.children).indexOf(old);
    container.replaceChildren(...entries);
    if (old === null) return;
    const same = entries.find((e) => e.dataset.intent !== undefined && e.dataset.intent === old.dataset.intent && e.dataset.peer === old.dataset.peer);
    const next = same ?? entries[Math.min(index, entries.length - 1)];
    if (next instanceof HTMLButtonElement && !next.disabled) next.focus();
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
    // Screen sharing only where the browser has it (phones do not).
    const shown = controls.filter((c) => c.kind !== 'toggle-screen' || this.canShare());
    this.replaceKeepingFocus(this.controls, shown.map((c) => this.withIcon(this.control(c), c)));
  }

  setRemoteCameraOff(name: string | null): void {
    this.cameraOff.textContent = name === null ? '' : `${name} turned their camera off`;
    this.cameraOff.hidden = name === null;
    this.video.classList.toggle('camera-off', name !== null);
  }

  setSelfView(stream: MediaStream | null): void {
    this.selfView.srcObject = stream;
    this.selfView.muted = true;
    // A shared screen is shown as the others see it, not mirrored.
    this.selfView.classList.toggle('screen', stream?.getVideoTracks()[0]?.getSettings().displaySurface !== undefined);
    this.selfView.hidden = stream === null;
    this.selfViewToggle.hidden = stream === null;
    if (stream === null) return;
    const played = this.selfView.play() as Promise<void> | undefined;
    played?.catch(() => undefined);
  }

  setSelfViewHidden(hidden: boolean): void {
    this.selfView.classList.toggle('user-hidden', hidden);
    // Pressed = hidden; the label says what a press does. "self-view" goes on phones (src/app.css), still read.
    this.selfViewToggle.replaceChildren(hidden ? 'Show' : 'Hide', this.el('span', { className: 'label-extra', text: ' self-view' }));
    this.selfViewToggle.setAttribute('aria-pressed', String(hidden));
  }

  setCallDuration(text: string | null): void {
    // Others put their notes right after the status too (src/view/attention.ts, ringer.ts): the duration goes first.
    if (this.status.nextElementSibling !== this.duration) this.status.after(this.duration);
    this.duration.textContent = text ?? '';
    this.duration.hidden = text === null;
  }

  /** The control's icon (CONTROL_ICONS) before its label. */
  private withIcon(b: HTMLButtonElement, c: Control): HTMLButtonElement {
    const icons = CONTROL_ICONS[c.kind];
    if (icons !== undefined) b.prepend(icon(this.doc, typeof icons === 'string' ? icons : icons['on' in c && !c.on ? 1 : 0]));
    return b;
  }

  private control(c: Control): HTMLButtonElement {
    if (c.kind === 'hangup') return this.button('Hang up', 'hangup', 'error');
    if (c.kind === 'verify') return this.button(c.verified ? 'Verified' : 'Verify', 'verify', c.verified ? 'success' : 'pseudo');
    if (c.kind === 'toggle-screen') {
      const b = this.button(c.on ? 'Stop sharing' : 'Share screen', c.kind, c.on ? 'warning' : 'pseudo');
      b.append(this.el('span', { className: 'label-extra', text: ' (S)' }));
      b.setAttribute('aria-pressed', String(c.on)); // pressed = sharing
      b.setAttribute('aria-keyshortcuts', 'S');
      b.disabled = c.disabled;
      return b;
    }
    if (c.kind === 'devices') return this.button('Devices', 'open-devices', 'pseudo');
    const mic = c.kind === 'toggle-mic';
    const b = this.button(mic ? (c.on ? 'Mute' : 'Unmute') : c.on ? 'Camera off' : 'Camera on', c.kind, c.on ? 'pseudo' : 'warning');
    // The key in the label, dropped on phones (no keyboard) but still read (src/app.css).
    b.append(this.el('span', { className: 'label-extra', text: mic ? ' (M)' : ' (V)' }));
    // Pressed = the thing is turned off (muted / camera off): the label says what a press does.
    b.setAttribute('aria-pressed', String(!c.on));
    b.setAttribute('aria-keyshortcuts', mic ? 'M' : 'V');
    if (c.kind === 'toggle-camera') b.disabled = c.disabled;
    return b;
  }

  /** The Verify dialog's parts, and what gets the focus: Close, so a stray Enter cannot say "They match". */
  private verifyDialog({ name, words }: Extract<Dialog, { kind: 'verify' }>, title: (text: string) => HTMLElement): { parts: HTMLElement[]; first: HTMLElement } {
    const close = this.button('Close', 'close-dialog', 'pseudo');
    const header = title(`Verify the call with ${name}`);
    const says = (text: string) => ({ parts: [header, this.el('section', { className: 'content' }, this.el('p', { text })), this.el('footer', {}, close)], first: close });
    if (words === 'unavailable') return says('Verification is not available in this browser.');
    if (words === 'reading') return says('Reading the connection’s keys…');
    const parts = [
      header,
      this.el(
        'section',
        { className: 'content' },
        this.el('p', { className: 'sas-words' }, this.el('strong', { text: words.join(' ') })),
        this.el('p', { text: `Read these words to ${name}. If ${name} sees the same words, nobody is in between. If ${name}'s browser cannot show them, this call cannot be verified.` }),
      ),
      this.el('footer', {}, this.button('They match', 'verify-match', 'success'), this.button("They don't match", 'verify-mismatch', 'error'), close),
    ];
    return { parts, first: close };
  }

  private canShare(): boolean {
    return typeof this.doc.defaultView?.navigator.mediaDevices?.getDisplayMedia === 'function';
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
