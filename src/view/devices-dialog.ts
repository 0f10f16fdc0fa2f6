import type { DeviceOption } from '../rtc/audio-devices';
import type { Dialog } from './ui-types';

type DevicesDialog = Extract<Dialog, { kind: 'devices' }>;

/** One labelled select; a device name is device-supplied text, so it goes in as the option's text. */
function select(doc: Document, label: string, name: string, options: readonly DeviceOption[], current: string): HTMLLabelElement {
  const s = doc.createElement('select');
  s.name = name;
  // No option selected (the default in use, or an id not listed): the browser shows the first, its default.
  s.append(...options.map((o) => Object.assign(doc.createElement('option'), { value: o.id, text: o.label, selected: o.id === current })));
  const l = doc.createElement('label');
  l.textContent = label;
  l.append(s);
  return l;
}

/** The Devices dialog's content: a microphone select, a speaker select where the browser can choose one, a camera select where there is one. */
export function devicesContent(doc: Document, d: DevicesDialog): HTMLElement {
  const section = doc.createElement('section');
  section.className = 'content';
  section.append(select(doc, 'Microphone', 'mic', d.mics, d.mic));
  if (d.speakers !== null) section.append(select(doc, 'Speaker', 'speaker', d.speakers, d.speaker));
  if (d.cameras.length > 0) section.append(select(doc, 'Camera', 'camera', d.cameras, d.camera));
  return section;
}
