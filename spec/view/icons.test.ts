import { gzipSync } from 'node:zlib';
import { ICONS, icon, type IconName } from '../../src/view/icons';

describe('icons', () => {
  it('each is an aria-hidden, unfocusable <svg> of its own paths, made without markup', () => {
    for (const name of Object.keys(ICONS) as IconName[]) {
      const svg = icon(document, name);
      expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
      expect([svg.getAttribute('aria-hidden'), svg.getAttribute('focusable'), svg.getAttribute('viewBox'), svg.getAttribute('class')]).toEqual(['true', 'false', '0 0 24 24', 'icon']);
      expect([...svg.querySelectorAll('path')].map((p) => p.getAttribute('d'))).toEqual(ICONS[name]);
      expect(svg.textContent).toBe(''); // adds nothing to a button's name
    }
  });

  it('has the in-call set, the "off" ones the plain one struck through, all in well under 1 KB gzipped', () => {
    expect(Object.keys(ICONS).sort()).toEqual(['camera', 'camera-off', 'microphone', 'microphone-off', 'phone-hangup', 'screen-share', 'settings', 'shield-check']);
    expect(ICONS['microphone-off'].slice(0, -1)).toEqual(ICONS.microphone);
    expect(ICONS['camera-off'].slice(0, -1)).toEqual(ICONS.camera);
    expect(gzipSync(JSON.stringify(ICONS)).length).toBeLessThan(512);
  });
});
