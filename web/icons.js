// Inline SVG icons. Unknown names get a neutral dot, never an error.

import { ICON_SHAPES } from './vendor/icon-shapes.js';

const SVG = 'http://www.w3.org/2000/svg';
const FILLED = new Set(['star-filled', 'check-circle-filled']);

/** Whether `name` is a known icon (`lucide:<name>` resolves to the ChatKit name when listed). */
export function hasIcon(name) {
  return Object.hasOwn(ICON_SHAPES, iconKey(name));
}

function iconKey(name) {
  const key = String(name ?? '');
  return key.replace(/^(lucide|vendor):/, '');
}

/** An `aria-hidden` SVG icon, `size` px square (CSS may override). */
export function icon(name, { size = 16, className = '' } = {}) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `ck-icon ${className}`.trim());
  const key = iconKey(name);
  const shapes = Object.hasOwn(ICON_SHAPES, key) ? ICON_SHAPES[key] : null;
  svg.setAttribute('data-icon', shapes ? key : 'dot');
  if (!shapes) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', '12');
    dot.setAttribute('cy', '12');
    dot.setAttribute('r', '4');
    dot.setAttribute('fill', 'currentColor');
    svg.append(dot);
    return svg;
  }
  svg.setAttribute('fill', FILLED.has(key) ? 'currentColor' : 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  for (const [tag, attrs] of shapes) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    svg.append(node);
  }
  return svg;
}
