// Widget value types → CSS: spacing units, sizes, colors, borders, radii, alignment.

const TEXT_TOKENS = new Set(['prose', 'primary', 'emphasis', 'secondary', 'tertiary', 'success', 'warning', 'danger', 'info', 'discovery', 'caution']);
const SURFACE_TOKENS = new Set(['surface', 'surface-secondary', 'surface-tertiary', 'surface-elevated', 'surface-elevated-secondary']);
const BORDER_TOKENS = new Set(['default', 'subtle', 'strong']);
const CHART_TOKENS = new Set(['blue', 'purple', 'orange', 'green', 'red', 'yellow', 'pink']);

/** Hue angle and saturation of each primitive palette. */
const PALETTE = {
  red: [0, 84], orange: [25, 95], amber: [38, 92], yellow: [48, 96], lime: [84, 81], green: [142, 71],
  emerald: [160, 84], teal: [173, 80], cyan: [189, 94], sky: [199, 89], blue: [217, 91], indigo: [239, 84],
  violet: [258, 90], purple: [271, 91], fuchsia: [292, 84], pink: [330, 81], rose: [350, 89],
  gray: [220, 9], slate: [215, 20], zinc: [240, 5], neutral: [0, 0], stone: [25, 6],
};
const SHADE_LIGHTNESS = { 25: 99, 50: 97, 100: 94, 150: 90, 200: 86, 250: 81, 300: 76, 350: 70, 400: 64, 450: 58, 500: 53, 550: 49, 600: 45, 650: 41, 700: 37, 750: 32, 800: 28, 850: 24, 900: 20, 950: 13, 1000: 8 };

/** Values a server may not smuggle into CSS (resource loads, legacy script hooks). */
function safeCss(value) {
  const text = String(value);
  return /url\s*\(|expression\s*\(|image-set|@import|javascript:|[;{}<>]/i.test(text) ? null : text;
}

/** A color: token, `<hue>-<shade>`, `alpha-N`, raw CSS or `{light, dark}` by `scheme`. */
export function color(value, scheme, kind = 'text') {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object') return color(scheme === 'dark' ? value.dark ?? value.light : value.light ?? value.dark, scheme, kind);
  const v = String(value);
  if (kind === 'text' && TEXT_TOKENS.has(v)) return `var(--ck-text-${v})`;
  if (kind === 'background' && SURFACE_TOKENS.has(v)) return `var(--ck-${v})`;
  if (kind === 'border' && BORDER_TOKENS.has(v)) return `var(--ck-border-${v})`;
  if (TEXT_TOKENS.has(v)) return `var(--ck-text-${v})`;
  if (SURFACE_TOKENS.has(v)) return `var(--ck-${v})`;
  if (BORDER_TOKENS.has(v)) return `var(--ck-border-${v})`;
  if (CHART_TOKENS.has(v)) return `var(--ck-chart-${v})`;
  const alpha = /^alpha-(\d{1,3})$/.exec(v);
  if (alpha) return `color-mix(in srgb, var(--ck-fg) ${Math.min(100, Number(alpha[1]))}%, transparent)`;
  const prim = /^([a-z]+)-(\d{2,4})$/.exec(v);
  if (prim && PALETTE[prim[1]] && SHADE_LIGHTNESS[prim[2]] !== undefined) {
    const [hue, sat] = PALETTE[prim[1]];
    return `hsl(${hue} ${sat}% ${SHADE_LIGHTNESS[prim[2]]}%)`;
  }
  return safeCss(v);
}

/** Spacing unit count or CSS length. */
export function space(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value === 0 ? '0px' : `calc(var(--ck-unit) * ${value})`;
  return safeCss(value);
}

/** Applies `padding`/`margin` (number, CSS, or per-side object) to `style` under `prop`. */
export function applySpacing(style, prop, value) {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object') {
    const v = space(value);
    if (v) style[prop] = v;
    return;
  }
  const sides = { top: value.y, right: value.x, bottom: value.y, left: value.x };
  for (const side of ['top', 'right', 'bottom', 'left']) {
    const v = space(value[side] ?? sides[side]);
    if (v) style[`${prop}${side[0].toUpperCase()}${side.slice(1)}`] = v;
  }
}

/** A dimension: number = px, string = CSS. */
export function dim(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return `${value}px`;
  return safeCss(value);
}

export function applyDimensions(style, node) {
  const set = (prop, value) => {
    const v = dim(value);
    if (v) style[prop] = v;
  };
  set('width', node.size ?? node.width);
  set('height', node.size ?? node.height);
  set('minWidth', node.minSize ?? node.minWidth);
  set('minHeight', node.minSize ?? node.minHeight);
  set('maxWidth', node.maxSize ?? node.maxWidth);
  set('maxHeight', node.maxSize ?? node.maxHeight);
  if (node.aspectRatio !== undefined && node.aspectRatio !== null) {
    const v = safeCss(node.aspectRatio);
    if (v) style.aspectRatio = v;
  }
  if (node.flex !== undefined && node.flex !== null) {
    const v = safeCss(node.flex);
    if (v) style.flex = v;
  }
}

export const RADIUS = { '2xs': '2px', xs: '4px', sm: '6px', md: '8px', lg: '10px', xl: '12px', '2xl': '16px', '3xl': '24px', '4xl': '32px', full: '9999px', '100%': '100%', none: '0px' };

export function radius(value) {
  if (value === undefined || value === null) return null;
  return RADIUS[value] ?? null;
}

const BORDER_STYLES = new Set(['solid', 'dashed', 'dotted', 'double', 'groove', 'ridge', 'inset', 'outset']);

function borderValue(value, scheme) {
  if (typeof value === 'number') return `${value}px solid var(--ck-border-default)`;
  if (!value || typeof value !== 'object') return null;
  const size = typeof value.size === 'number' ? value.size : 1;
  const style = BORDER_STYLES.has(value.style) ? value.style : 'solid';
  const c = color(value.color ?? 'default', scheme, 'border') || 'var(--ck-border-default)';
  return `${size}px ${style} ${c}`;
}

export function applyBorder(style, value, scheme) {
  if (value === undefined || value === null) return;
  if (typeof value === 'number' || (typeof value === 'object' && ('size' in value || 'color' in value || 'style' in value))) {
    const v = borderValue(value, scheme);
    if (v) style.border = v;
    return;
  }
  const sides = { top: value.y, right: value.x, bottom: value.y, left: value.x };
  for (const side of ['top', 'right', 'bottom', 'left']) {
    const v = borderValue(value[side] ?? sides[side], scheme);
    if (v) style[`border${side[0].toUpperCase()}${side.slice(1)}`] = v;
  }
}

const ALIGN = { start: 'flex-start', center: 'center', end: 'flex-end', baseline: 'baseline', stretch: 'stretch' };
const JUSTIFY = { start: 'flex-start', center: 'center', end: 'flex-end', between: 'space-between', around: 'space-around', evenly: 'space-evenly', stretch: 'stretch' };

export function applyFlex(el, node, { direction = 'column', align = 'stretch' } = {}) {
  const style = el.style;
  style.display = 'flex';
  style.flexDirection = direction;
  style.alignItems = ALIGN[node.align] || ALIGN[align];
  if (node.justify) {
    style.justifyContent = JUSTIFY[node.justify] || 'flex-start';
    if (node.justify === 'stretch') el.classList.add('ck-justify-stretch');
  }
  if (['nowrap', 'wrap', 'wrap-reverse'].includes(node.wrap)) style.flexWrap = node.wrap;
  const gap = space(node.gap);
  if (gap) style.gap = gap;
}

export function applyBox(el, node, scheme) {
  const style = el.style;
  applySpacing(style, 'padding', node.padding);
  applySpacing(style, 'margin', node.margin);
  applyBorder(style, node.border, scheme);
  const r = radius(node.radius);
  if (r) style.borderRadius = r;
  const bg = color(node.background, scheme, 'background');
  if (bg) style.background = bg;
  applyDimensions(style, node);
}

export const TEXT_SIZE = { xs: 12, sm: 14, md: 16, lg: 18, xl: 20 };
export const TITLE_SIZE = { sm: 16, md: 18, lg: 20, xl: 24, '2xl': 28, '3xl': 32, '4xl': 36, '5xl': 48 };
export const CAPTION_SIZE = { sm: 12, md: 13, lg: 14 };
export const ICON_SIZE = { xs: 12, sm: 14, md: 16, lg: 18, xl: 20, '2xl': 24, '3xl': 32 };
export const CONTROL_HEIGHT = { '3xs': 22, '2xs': 24, xs: 26, sm: 28, md: 32, lg: 36, xl: 40, '2xl': 44, '3xl': 48 };
export const WEIGHT = { normal: 400, medium: 500, semibold: 600, bold: 700 };
export const TEXT_ALIGN = { start: 'start', center: 'center', end: 'end' };

/** A font size scaled by the theme's base size. */
export function fontSize(px) {
  return `calc(${px}px * var(--ck-scale, 1))`;
}
