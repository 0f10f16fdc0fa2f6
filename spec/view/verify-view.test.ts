import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import { View } from '../../src/view/view';
import type { Intent } from '../../src/view/ui-types';

const page = readFileSync(join(__dirname, '../../static/channel.html'), 'utf8');
const HOSTILE = '<img src=x onerror=alert(1)>';
const WORDS = ['tomato', 'violin', 'comet', 'island', 'jacket', 'tiger'];

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const buttons = (root: HTMLElement) => Array.from(root.querySelectorAll('button'));
const texts = (root: HTMLElement) => buttons(root).map((b) => b.textContent);

describe('View: the Verify control and dialog (jsdom, static/channel.html)', () => {
  let view: View;
  let intents: Intent[];
  let sub: Subscription;
  beforeEach(() => {
    // The test fixture is our own static page (the DOM contract), so parsing it as markup is safe here.
    document.documentElement.innerHTML = new DOMParser().parseFromString(page, 'text/html').documentElement.innerHTML;
    view = new View(document);
    intents = [];
    sub = view.intents$.subscribe((i) => intents.push(i));
  });
  afterEach(() => sub.unsubscribe());

  it('a Verify button in the call controls; Verified once the person said the words match', () => {
    view.setControls([{ kind: 'verify', verified: false }, { kind: 'hangup' }]);
    expect(texts(byId('call-controls'))).toEqual(['Verify', 'Hang up']);
    buttons(byId('call-controls'))[0]?.click();
    expect(intents).toEqual([{ kind: 'verify' }]);
    view.setControls([{ kind: 'verify', verified: true }]);
    expect(buttons(byId('call-controls'))[0]?.className).toBe('success');
    expect(texts(byId('call-controls'))).toEqual(['Verified']);
  });

  it('the words, what comparing them means, and the three answers; the name stays text', () => {
    view.showDialog({ kind: 'verify', name: HOSTILE, words: WORDS });
    const content = byId('modal-content');
    expect((byId('modal-control') as HTMLInputElement).checked).toBe(true);
    expect(content.querySelector('h3')?.textContent).toBe(`Verify the call with ${HOSTILE}`);
    expect(content.querySelector('.sas-words')?.textContent).toBe('tomato violin comet island jacket tiger');
    expect(content.textContent).toContain(`Read these words to ${HOSTILE}. If ${HOSTILE} sees the same words, nobody is in between.`);
    expect(content.querySelector('img')).toBeNull();
    expect(texts(content)).toEqual(['They match', "They don't match", 'Close']);
    for (const b of buttons(content)) b.click();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(intents).toEqual([{ kind: 'verify-match' }, { kind: 'verify-mismatch' }, { kind: 'close-dialog' }, { kind: 'close-dialog' }]);
  });

  it('no words: "not available in this browser" (or reading), with only Close', () => {
    view.showDialog({ kind: 'verify', name: 'Bo', words: 'unavailable' });
    const content = byId('modal-content');
    expect(content.textContent).toContain('Verification is not available in this browser');
    expect(content.querySelector('.sas-words')).toBeNull();
    expect(texts(content)).toEqual(['Close']);
    view.showDialog({ kind: 'verify', name: 'Bo', words: 'reading' });
    expect(content.textContent).toContain('Reading the connection’s keys…');
    expect(texts(content)).toEqual(['Close']);
  });
});
