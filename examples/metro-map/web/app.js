// The metro-map page: the Orbital Transit map (SVG) beside <chatkit-panel>.
//
// * The map comes from GET /api/map; the server's `add_station` effect carries the new map,
//   which is redrawn with the new station in focus.
// * The `location_select_mode` effect ({lineId}) puts arrows at both ends of that line; an
//   arrow sends "I would like to add the station to the end of the Blue Line." for the
//   assistant to place the station.
// * Clicking stations selects them; in Select mode dragging a box selects every station inside
//   it, in Pan mode dragging moves the map. The client tool `get_selected_stations` is
//   answered with the selection.
// * The wheel and the zoom buttons zoom; a station shown from the chat is zoomed to.
// * "Add station" opens a form that POSTs /api/stations; the answer's map is redrawn, the new
//   station shown, and a new thread asks the assistant to describe it.
// * Stations are @-mentionable: search and hover previews from /api/stations; clicking a
//   mentioned station (a chip, or a stop of a planned route) shows it on the map.
// * `?theme=dark` darkens the page and the map with the chat.

import { h, colorScheme, panelOptions, getJson, postJson, servedEntities, threadInUrl } from '/page-kit.js';

const X_UNIT = 160;
const Y_UNIT = 80;
const SVG = 'http://www.w3.org/2000/svg';
const ARROW_OFFSET = 62;
const ANGLES = { right: 0, down: 90, left: 180, up: -90 };
const STEPS = { right: [1, 0], down: [0, 1], left: [-1, 0], up: [0, -1] };
/** Screen pixels per map unit: the range of zooms (the whole map always fits in it too). */
const [MIN_ZOOM, MAX_ZOOM] = [0.4, 1.6];
/** A shown station is zoomed to at least this, at most `FOCUS_ZOOM[1]`. */
const FOCUS_ZOOM = [1.05, 1.3];
/** How long the map glides to a station or back to the whole map, in ms. */
const GLIDE = 800;

document.documentElement.classList.toggle('dark', colorScheme() === 'dark');

const panel = document.getElementById('chat');
const map = document.getElementById('map');
const $ = (id) => document.getElementById(id);

const state = {
  /** The network as the server has it. */
  metro: null,
  /** Selected station ids, in the order they were picked. */
  selected: [],
  /** The line whose ends are offered for a new station (`location_select_mode`). */
  placing: null,
  /** The station shown last (pulses once). */
  focused: null,
  /** A response is under way: the map takes no clicks. */
  busy: false,
  /** What dragging on the map does: `select` (a box) or `pan`. */
  mode: 'select',
  threadId: threadInUrl(),
  /** What the chat options were last built from (they are only replaced when it changes). */
  optionsKey: null,
};

/** An SVG element: `svg('circle', {r: 4})`. */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    // Custom properties through the CSSOM: the CSP allows no style attributes.
    if (key === 'style') for (const [name, v] of Object.entries(value)) node.style.setProperty(name, v);
    else node.setAttribute(key, String(value));
  }
  node.append(...children);
  return node;
}

const station = (id) => state.metro?.stations.find((s) => s.id === id);
const line = (id) => state.metro?.lines.find((l) => l.id === id);
const point = (s) => [s.x * X_UNIT, s.y * Y_UNIT];

/** "end of the Blue Line", "end of the Ring line". */
const lineWords = (l) => (/\bline$/i.test(l.name) ? l.name : `${l.name} line`);

function direction(dx, dy) {
  if (Math.abs(dx) >= Math.abs(dy)) return dx >= 0 ? 'right' : 'left';
  return dy >= 0 ? 'down' : 'up';
}

const OPPOSITE = { right: 'left', left: 'right', up: 'down', down: 'up' };

/** Where a new station would go at each end of a line: beyond the end, away from its neighbour. */
function lineEnds(l) {
  const stops = l.stations.map(station).filter(Boolean);
  if (!stops.length) return [];
  const [first, second] = [stops[0], stops[1]];
  const [last, before] = [stops[stops.length - 1], stops[stops.length - 2]];
  const start = OPPOSITE[direction(second ? second.x - first.x : 1, second ? second.y - first.y : 0)];
  const end = direction(before ? last.x - before.x : 1, before ? last.y - before.y : 0);
  return [
    { position: 'start', station: first, direction: start },
    { position: 'end', station: last, direction: end },
  ];
}

/** A track between two stations: straight when aligned, else an S-curve like a drawn map. */
function track([x1, y1], [x2, y2]) {
  if (x1 === x2 || y1 === y2) return `M${x1} ${y1}L${x2} ${y2}`;
  if (Math.abs(x2 - x1) >= Math.abs(y2 - y1)) {
    const mx = (x1 + x2) / 2;
    return `M${x1} ${y1}C${mx} ${y1} ${mx} ${y2} ${x2} ${y2}`;
  }
  const my = (y1 + y2) / 2;
  return `M${x1} ${y1}C${x1} ${my} ${x2} ${my} ${x2} ${y2}`;
}

// ---- the view: which part of the map the frame shows ------------------------------------------

/**
 * The SVG's viewBox `{x, y, w, h}` in map units; `fitted` while it is the whole map (a changed
 * map is then fitted again), `glide` the animation under way.
 */
const view = { box: null, fitted: true, glide: 0 };

/** The box around every station, with room for the slanted names and the placement arrows. */
function wholeMap() {
  const xs = state.metro.stations.map((s) => s.x * X_UNIT);
  const ys = state.metro.stations.map((s) => s.y * Y_UNIT);
  const [left, top] = [Math.min(...xs) - 90, Math.min(...ys) - 110];
  const [right, bottom] = [Math.max(...xs) + 170, Math.max(...ys) + 90];
  return { x: left, y: top, w: right - left, h: bottom - top };
}

/** The frame's size in pixels (1 × 1 before it is laid out). */
function frame() {
  const { width, height } = map.getBoundingClientRect();
  return { width: width || 1, height: height || 1 };
}

/** Screen pixels per map unit with `box` shown (the SVG fits the box in the frame). */
function zoomOf(box) {
  const { width, height } = frame();
  return Math.min(width / box.w, height / box.h);
}

/** The zooms allowed: MIN_ZOOM to MAX_ZOOM, widened to the whole map's zoom. */
function zoomRange() {
  const whole = zoomOf(wholeMap());
  return [Math.min(MIN_ZOOM, whole), Math.max(MAX_ZOOM, whole)];
}

/** The box of the frame's shape centred on `[x, y]` at `zoom`. */
function boxAround([x, y], zoom) {
  const { width, height } = frame();
  const [w, h] = [width / zoom, height / zoom];
  return { x: x - w / 2, y: y - h / 2, w, h };
}

/** Shows `box` at once (ending any glide). */
function setView(box, fitted = false) {
  cancelAnimationFrame(view.glide);
  view.glide = 0;
  map.classList.remove('gliding');
  showBox(box);
  view.fitted = fitted;
}

function showBox(box) {
  view.box = box;
  map.setAttribute('viewBox', `${box.x} ${box.y} ${box.w} ${box.h}`);
  map.dataset.zoom = zoomOf(box).toFixed(3);
}

/** Glides to `box` (`#map.gliding` meanwhile). */
function glideTo(box, fitted = false) {
  const from = view.box;
  if (!from || matchMedia('(prefers-reduced-motion: reduce)').matches) return setView(box, fitted);
  setView(from, fitted);
  const start = performance.now();
  const ease = (t) => (t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2);
  map.classList.add('gliding');
  const step = (now) => {
    const t = Math.min(1, (now - start) / GLIDE);
    const k = ease(t);
    showBox(Object.fromEntries(Object.keys(box).map((key) => [key, from[key] + (box[key] - from[key]) * k])));
    if (t < 1) view.glide = requestAnimationFrame(step);
    else setView(box, fitted);
  };
  view.glide = requestAnimationFrame(step);
}

/** Zooms by `factor` (within the range) keeping the map point `[x, y]` where it is on screen. */
function zoomAt(factor, [x, y]) {
  const box = view.box;
  const [min, max] = zoomRange();
  const zoom = zoomOf(box);
  const k = Math.min(max, Math.max(min, zoom * factor)) / zoom;
  if (Math.abs(k - 1) < 1e-6) return;
  setView({ x: x - (x - box.x) / k, y: y - (y - box.y) / k, w: box.w / k, h: box.h / k });
}

// The zoom read out follows the frame's size.
new ResizeObserver(() => view.box && showBox(view.box)).observe(map);

/** The middle of the frame, in map units. */
const middle = () => [view.box.x + view.box.w / 2, view.box.y + view.box.h / 2];

/** Shows the whole map. */
const fitMap = () => glideTo(wholeMap(), true);

// ---- drawing ---------------------------------------------------------------------------------

function draw() {
  const metro = state.metro;
  if (!metro) return;
  $('map-title').textContent = metro.name;
  $('map-summary').textContent = metro.summary;
  $('legend').replaceChildren(
    ...metro.lines.map((l) => h('li', {}, h('span', { class: 'swatch', style: { background: l.color } }), `${l.name} · ${l.stations.length} stops`)),
  );

  const whole = wholeMap();
  if (!view.box || (view.fitted && !view.glide)) setView(whole, true);

  const grid = svg('pattern', { id: 'grid', width: 40, height: 40, patternUnits: 'userSpaceOnUse', x: 0, y: 0 }, svg('circle', { cx: 1, cy: 1, r: 1.5, class: 'grid-dot' }));
  // The grid reaches past the map, to the edges of the frame at the smallest zoom.
  const margin = 6000;
  const background = svg('rect', { class: 'pane', x: whole.x - margin, y: whole.y - margin, width: whole.w + 2 * margin, height: whole.h + 2 * margin, fill: 'url(#grid)' });

  // Tracks; a stretch two lines share is drawn as parallel tracks.
  const shared = new Map();
  for (const l of metro.lines) {
    for (let i = 0; i + 1 < l.stations.length; i += 1) {
      const key = [l.stations[i], l.stations[i + 1]].sort().join('|');
      shared.set(key, [...(shared.get(key) || []), l.id]);
    }
  }
  const tracks = metro.lines.map((l) => {
    const group = svg('g', { class: `line${state.placing === l.id ? ' target' : ''}`, 'data-line': l.id, stroke: l.color });
    for (let i = 0; i + 1 < l.stations.length; i += 1) {
      const [a, b] = [station(l.stations[i]), station(l.stations[i + 1])];
      if (!a || !b) continue;
      const lines = shared.get([a.id, b.id].sort().join('|'));
      const [p, q] = [point(a), point(b)];
      const length = Math.hypot(q[0] - p[0], q[1] - p[1]) || 1;
      const shift = (lines.indexOf(l.id) - (lines.length - 1) / 2) * 7;
      const [nx, ny] = [(-(q[1] - p[1]) / length) * shift, ((q[0] - p[0]) / length) * shift];
      group.append(svg('path', { d: track([p[0] + nx, p[1] + ny], [q[0] + nx, q[1] + ny]) }));
    }
    return group;
  });

  const stations = metro.stations.map((s) => {
    const colors = s.lines.map((id) => line(id)?.color).filter(Boolean);
    const primary = colors[0] || '#0ea5e9';
    const [x, y] = point(s);
    const selected = state.selected.includes(s.id);
    const onTarget = state.placing && s.lines.includes(state.placing);
    const classes = ['station', selected && 'selected', state.focused === s.id && 'focused', state.placing && !onTarget && 'faded'];
    const group = svg('g', {
      class: classes.filter(Boolean).join(' '),
      'data-station': s.id,
      transform: `translate(${x} ${y})`,
      role: 'button',
      tabindex: 0,
      'aria-label': s.name,
      'aria-pressed': String(selected),
      style: { '--station': primary },
    });
    group.append(
      svg('circle', { class: 'halo', r: 27 }),
      svg('circle', { class: 'ring', r: 19 }),
      ...colors.map((color, i) => svg('circle', { class: 'dot', r: 7, cx: (i - (colors.length - 1) / 2) * 8, fill: color })),
      svg('text', { class: 'name', transform: 'rotate(-30) translate(24 -10)' }, s.name),
    );
    if (!colors.length) group.append(svg('circle', { class: 'dot', r: 7, fill: primary }));
    return group;
  });

  const arrows = [];
  const target = state.placing && line(state.placing);
  if (target) {
    for (const end of lineEnds(target)) {
      const [x, y] = point(end.station);
      const [dx, dy] = STEPS[end.direction];
      const label = `Choose the ${end.position} of ${target.name}`;
      arrows.push(
        svg(
          'g',
          { class: 'arrow', role: 'button', tabindex: 0, 'aria-label': label, 'data-position': end.position, transform: `translate(${x + dx * ARROW_OFFSET} ${y + dy * ARROW_OFFSET})`, style: { '--line': target.color } },
          svg('title', {}, label),
          svg('circle', { r: 18 }),
          svg('path', { d: 'M-7 0H7M1-6l6 6-6 6', transform: `rotate(${ANGLES[end.direction]})` }),
        ),
      );
    }
  }

  map.classList.toggle('placing', Boolean(target));
  map.replaceChildren(svg('defs', {}, grid), background, ...tracks, ...stations, ...arrows, lasso.rect);
  showStatus();
}

/** The notes over the map: the placement prompt, the selection. */
function showStatus() {
  const target = state.placing && line(state.placing);
  $('placement').hidden = !target;
  if (target) $('placement-text').textContent = `Where should the new station join the ${target.name}? Pick an arrow.`;
  const names = state.selected.map((id) => station(id)?.name).filter(Boolean);
  $('selection').hidden = !names.length;
  $('selection-text').textContent = names.length === 1 ? `Selected: ${names[0]}` : `${names.length} stations selected: ${names.join(', ')}`;
  $('selection-ask').textContent = names.length === 1 ? 'Ask about it' : 'Ask about them';
  map.classList.toggle('busy', state.busy);
  applyOptions();
}

function showError(error) {
  $('map-error').textContent = error ? `Could not load the map: ${error.message || error}` : '';
  $('map-error').hidden = !error;
}

// ---- what the user does on the map ------------------------------------------------------------

function select(ids) {
  state.selected = [...new Set(ids)].filter((id) => station(id));
  state.focused = null;
  draw();
}

/** Shows a station: selects it, makes it pulse, and zooms in to it at the middle of the map. */
function focusStation(id) {
  const shown = station(id);
  if (!shown) return;
  state.selected = [id];
  state.focused = id;
  draw();
  map.querySelector(`[data-station="${CSS.escape(id)}"]`)?.focus({ preventScroll: true });
  const zoom = Math.max(FOCUS_ZOOM[0], Math.min(FOCUS_ZOOM[1], zoomOf(view.box) + 0.1));
  glideTo(boxAround(point(shown), zoom));
}

/** An arrow of the placement mode: the assistant adds the station there. */
function choosePlacement(position) {
  const target = line(state.placing);
  state.placing = null;
  draw();
  if (!target) return;
  const where = position === 'start' ? 'beginning' : 'end';
  panel.sendUserMessage({ text: `I would like to add the station to the ${where} of the ${lineWords(target)}.` }).catch((err) => console.error(err));
}

function ask() {
  const text = state.selected.length === 1 ? "Tell me about the station I've selected" : "Tell me about the stations I've selected";
  panel.sendUserMessage({ text }).catch((err) => console.error(err));
}

function activate(target, event) {
  if (state.busy) return;
  const arrow = target.closest('.arrow');
  if (arrow) {
    choosePlacement(arrow.dataset.position);
    return;
  }
  const stop = target.closest('.station');
  if (!stop) return;
  // Each click adds the station to the selection or takes it out.
  const id = stop.dataset.station;
  select(state.selected.includes(id) ? state.selected.filter((s) => s !== id) : [...state.selected, id]);
  if (event.type === 'keydown') map.querySelector(`[data-station="${CSS.escape(id)}"]`)?.focus();
}

/** Dragging on the empty map draws a box; the stations inside it become the selection. */
const lasso = { rect: svg('rect', { class: 'lasso', visibility: 'hidden' }), from: null, dragged: false };

function toMap(event) {
  const matrix = map.getScreenCTM();
  if (!matrix) return [0, 0];
  const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
  return [p.x, p.y];
}

function lassoBox(event) {
  const [x1, y1] = lasso.from;
  const [x2, y2] = toMap(event);
  return { x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

/**
 * In Pan mode, dragging anywhere but on an arrow moves the map; `from` is where the pointer went
 * down (screen pixels) and the box shown then. A click ending a drag does nothing else.
 */
const pan = { from: null, box: null, dragged: false, pointer: null, swallowClick: false };

map.addEventListener('pointerdown', (event) => {
  pan.swallowClick = false;
  if (event.button !== 0 || event.target.closest('.arrow')) return;
  if (state.mode === 'pan') {
    if (!view.box) return;
    Object.assign(pan, { from: [event.clientX, event.clientY], box: view.box, dragged: false, pointer: event.pointerId, swallowClick: false });
    return;
  }
  if (state.busy || event.target.closest('.station')) return;
  lasso.from = toMap(event);
  lasso.dragged = false;
  map.setPointerCapture(event.pointerId);
});

map.addEventListener('pointermove', (event) => {
  if (pan.from && event.pointerId === pan.pointer) {
    const [dx, dy] = [event.clientX - pan.from[0], event.clientY - pan.from[1]];
    if (!pan.dragged && Math.hypot(dx, dy) < 4) return;
    if (!pan.dragged) {
      // Captured only now: a click without a drag still reaches the station under it.
      pan.dragged = true;
      map.setPointerCapture(event.pointerId);
      map.classList.add('panning');
    }
    const zoom = zoomOf(pan.box);
    setView({ ...pan.box, x: pan.box.x - dx / zoom, y: pan.box.y - dy / zoom });
    return;
  }
  if (!lasso.from) return;
  const box = lassoBox(event);
  if (!lasso.dragged && Math.hypot(box.width, box.height) < 8) return;
  lasso.dragged = true;
  for (const [key, value] of Object.entries(box)) lasso.rect.setAttribute(key, String(value));
  lasso.rect.setAttribute('visibility', 'visible');
});

function endPan(event) {
  if (!pan.from || event.pointerId !== pan.pointer) return false;
  pan.swallowClick = pan.dragged && event.type === 'pointerup';
  pan.from = null;
  map.classList.remove('panning');
  return true;
}

map.addEventListener('pointercancel', (event) => {
  if (endPan(event) || !lasso.from) return;
  lasso.from = null;
  lasso.rect.setAttribute('visibility', 'hidden');
});

map.addEventListener('pointerup', (event) => {
  if (endPan(event) || !lasso.from) return;
  const box = lassoBox(event);
  const dragged = lasso.dragged;
  lasso.from = null;
  lasso.rect.setAttribute('visibility', 'hidden');
  if (!dragged) {
    // A click on the empty map clears the selection.
    if (state.selected.length) select([]);
    return;
  }
  const inside = state.metro.stations
    .filter((s) => {
      const [x, y] = point(s);
      return x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
    })
    .map((s) => s.id);
  select(event.shiftKey ? [...state.selected, ...inside] : inside);
});

map.addEventListener('click', (event) => {
  if (pan.swallowClick) {
    pan.swallowClick = false;
    return;
  }
  activate(event.target, event);
});

// The wheel zooms about the pointer (a pinch on a touchpad arrives as a wheel with ctrlKey).
map.addEventListener(
  'wheel',
  (event) => {
    if (!view.box) return;
    event.preventDefault();
    const pixels = event.deltaY * (event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1);
    zoomAt(Math.exp(-pixels * (event.ctrlKey ? 0.01 : 0.002)), toMap(event));
  },
  { passive: false },
);

/** Select or Pan: what dragging on the map does. Switching clears the selection. */
function setMode(mode) {
  if (mode === state.mode) return;
  state.mode = mode;
  for (const b of document.querySelectorAll('.modes [data-mode]')) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
  map.classList.toggle('select-mode', mode === 'select');
  map.classList.toggle('pan-mode', mode === 'pan');
  const dragging = mode === 'pan' ? 'drag to move the map' : 'drag to select several';
  map.setAttribute('aria-label', `Metro map: click stations to select them, ${dragging}`);
  select([]);
}

for (const b of document.querySelectorAll('.modes [data-mode]')) b.addEventListener('click', () => setMode(b.dataset.mode));
$('zoom-in').addEventListener('click', () => view.box && zoomAt(1.25, middle()));
$('zoom-out').addEventListener('click', () => view.box && zoomAt(0.8, middle()));
$('zoom-fit').addEventListener('click', () => state.metro && fitMap());
map.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  event.preventDefault();
  activate(event.target, event);
});

// ---- the "Add station" form ------------------------------------------------------------------

const dialog = $('add-dialog');
const form = $('add-form');

function openAddForm() {
  if (!state.metro) return;
  const chosen = $('add-line').value;
  $('add-line').replaceChildren(...state.metro.lines.map((l) => h('option', { value: l.id }, l.name)));
  form.reset();
  if (line(chosen)) $('add-line').value = chosen;
  formError(null);
  dialog.showModal();
}

/** Shows the server's complaint under the fields, and marks the field it names. */
function formError(error) {
  $('add-error').textContent = error ? error.message : '';
  $('add-error').hidden = !error;
  for (const field of form.querySelectorAll('input, select')) {
    if (error?.error?.field === field.name) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    } else field.removeAttribute('aria-invalid');
  }
}

function saving(on) {
  $('add-submit').disabled = on;
  $('add-submit').textContent = on ? 'Adding...' : 'Add station';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  saving(true);
  try {
    const added = await postJson('/api/stations', { station_name: $('add-name').value, line_id: $('add-line').value });
    dialog.close();
    state.metro = added.map;
    state.placing = null;
    focusStation(added.station.id);
    // As the sample does: a new thread asks the assistant about the new station.
    if (!state.busy) {
      panel.sendUserMessage({ text: `How would you describe the ${added.station.name} station?`, newThread: true }).catch((err) => console.warn(err));
    }
  } catch (error) {
    formError(error);
  } finally {
    saving(false);
  }
});

$('add-station').addEventListener('click', openAddForm);
$('add-cancel').addEventListener('click', () => dialog.close());
$('add-close').addEventListener('click', () => dialog.close());
// A click on the backdrop (outside the form) closes it too, unless a save is under way.
dialog.addEventListener('click', (event) => {
  if (event.target === dialog && !$('add-submit').disabled) dialog.close();
});
dialog.addEventListener('cancel', (event) => {
  if ($('add-submit').disabled) event.preventDefault();
});

$('placement-cancel').addEventListener('click', () => {
  state.placing = null;
  draw();
});
$('selection-clear').addEventListener('click', () => select([]));
$('selection-ask').addEventListener('click', ask);

// ---- the chat -------------------------------------------------------------------------------

const tag = (id, text) => ({ type: 'input_tag', id, text, group: 'Stations', interactive: true, data: { type: 'station', station_id: id, name: text } });

const PROMPTS = [
  { label: 'Add a station', prompt: 'I would like to add a new metro station.', icon: 'sparkle' },
  {
    label: 'Plan a route',
    prompt: [{ type: 'input_text', text: "What's the quickest way from " }, tag('cinderia', 'Cinderia'), { type: 'input_text', text: ' to ' }, tag('lyra-verge', 'Lyra Verge'), { type: 'input_text', text: '?' }],
    icon: 'maps',
  },
  { label: 'Station overview', prompt: [{ type: 'input_text', text: 'Tell me about the ' }, tag('titan-border', 'Titan Border'), { type: 'input_text', text: ' station.' }], icon: 'map-pin' },
  { label: 'Line overview', prompt: 'Give me a short rundown of each line and where they cross.', icon: 'globe' },
];

const SELECTION_PROMPTS = [
  { label: 'Tell me about these stations.', prompt: "Tell me about the stations I've selected", icon: 'map-pin' },
  { label: 'Give me an itinerary to visit these stations.', prompt: "What is an itinerary to visit the stations I've selected?", icon: 'maps' },
];

/** The station an entity (a tag, or a route's annotation) stands for. */
const stationOf = (entity) => String(entity?.data?.station_id || entity?.id || '').trim();

function onClientTool({ name }) {
  // The assistant continues with the stations selected on the map.
  if (name === 'get_selected_stations') return { stationIds: [...state.selected] };
  throw new Error(`Unknown client tool ${name}`);
}

function onEffect({ name, data }) {
  if (name === 'location_select_mode') {
    if (!line(data?.lineId)) return;
    state.placing = data.lineId;
    state.selected = [];
    state.focused = null;
    draw();
    fitMap();
  } else if (name === 'add_station') {
    state.placing = null;
    if (data?.map?.stations && data.map.lines) state.metro = data.map;
    if (data?.stationId && station(data.stationId)) focusStation(data.stationId);
    else draw();
  }
}

function options() {
  const several = state.selected.length > 1;
  return panelOptions({
    theme: { density: 'spacious', radius: 'pill', color: { accent: { primary: '#0ea5e9', level: 1 } } },
    header: { title: { enabled: false } },
    startScreen: several ? { greeting: 'Any questions about the selected stations?', prompts: SELECTION_PROMPTS } : { greeting: 'Welcome to Orbital Transit', prompts: PROMPTS },
    composer: { placeholder: state.threadId ? "I'd like to add a new station." : 'Tell me about the Lyra Verge station.' },
    entities: servedEntities('/api/stations', { onClick: (entity) => focusStation(stationOf(entity)) }),
    threadItemActions: { feedback: false },
    onClientTool,
    onEffect,
    onThreadChange: ({ threadId }) => {
      state.threadId = threadId;
      applyOptions();
    },
    onResponseStart: () => {
      state.busy = true;
      showStatus();
    },
    onResponseEnd: () => {
      state.busy = false;
      showStatus();
    },
  });
}

/** Gives the chat its options again when what they depend on changed. */
function applyOptions() {
  const key = `${state.selected.length > 1}|${Boolean(state.threadId)}`;
  if (key === state.optionsKey) return;
  state.optionsKey = key;
  panel.setOptions(options());
}

applyOptions();
getJson('/api/map')
  .then(({ map: metro }) => {
    state.metro = metro;
    showError(null);
    draw();
  })
  .catch(showError);
