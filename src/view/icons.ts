/**
 * The in-call icons: a few stroked paths on a 24 × 24 grid each, drawn in the button's text colour
 * (stroke width and caps in src/app.css). Built with DOM calls, never markup; always `aria-hidden`,
 * the button's visible text being its name.
 */
const MIC = ['M9 5a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0z', 'M5 11a7 7 0 0 0 14 0M12 18v3M9 21h6'];
const CAMERA = ['M3 7h11v10H3z', 'M14 10l7-3v10l-7-3z'];
const SLASH = 'M3 3l18 18';

export const ICONS = {
  microphone: MIC,
  'microphone-off': [...MIC, SLASH],
  camera: CAMERA,
  'camera-off': [...CAMERA, SLASH],
  'phone-hangup': ['M2 16v-3c0-2.5 4.5-5 10-5s10 2.5 10 5v3l-5 1v-3.5c-3-1.2-7-1.2-10 0V17z'],
  'screen-share': ['M3 4h18v12H3zM8 20h8M12 16v4', 'M12 13V8M9 10l3-3 3 3'],
  settings: ['M4 6h16M4 12h16M4 18h16', 'M15 4v4M8 10v4M12 16v4'],
  'shield-check': ['M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z', 'M8.5 12l2.5 2.5 4.5-5'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type IconName = keyof typeof ICONS;

const SVG = 'http://www.w3.org/2000/svg';

/** An `<svg class="icon">` of the named icon, hidden from assistive technology. */
export function icon(doc: Document, name: IconName): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name]) {
    const path = doc.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
