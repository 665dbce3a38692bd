// The customer-support page: the concierge chat, and the traveller's account beside it.
// The account comes from GET /api/customer?thread_id=… and from the `customer_profile/update`
// client effect the server sends after every change.

import { h as el, getJson, panelOptions, threadData } from '/page-kit.js';

const panel = document.getElementById('chat');
const side = document.getElementById('customer');
const upload = document.getElementById('upload');

const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const PROMPTS = {
  overview: {
    greeting: 'How can I keep your day running smoothly?',
    prompts: [
      { label: 'Book a flight', prompt: 'Book a new trip to Paris in business class.', icon: 'map-pin' },
      { label: 'Account snapshot', prompt: 'Give me a quick overview of my account.', icon: 'sparkle' },
      { label: 'What did I pick?', prompt: 'What did I pick so far?', icon: 'notebook' },
    ],
  },
  trips: {
    greeting: 'Need help with flights, seats, or booking?',
    prompts: [
      { label: 'Change my seat', prompt: 'Move me to seat 14C on flight OA476.', icon: 'lightbulb' },
      { label: 'Cancel trip', prompt: 'Cancel my upcoming trip and request a refund.', icon: 'sparkle' },
      { label: 'Add checked bag', prompt: 'Add one more checked bag to the reservation.', icon: 'suitcase' },
      { label: 'Set a meal preference', prompt: 'Set my meal preference.', icon: 'notebook-pencil' },
    ],
  },
  loyalty: {
    greeting: "Let's talk loyalty perks, points, and status.",
    prompts: [
      { label: 'Explain Gold perks', prompt: 'Explain what Aviator Gold currently unlocks for me.', icon: 'star' },
      { label: 'Assistance', prompt: 'I need wheelchair assistance for the gate transfer.', icon: 'profile' },
    ],
  },
};

/** Destination ideas: a photo is drawn on a canvas, so the page needs no image files. */
const DESTINATIONS = [
  { id: 'tokyo', name: 'Tokyo', airport: 'HND', headline: 'Shibuya light trails & Daikanyama studios', colors: ['#fb7185', '#312e81'] },
  { id: 'santorini', name: 'Santorini', airport: 'JTR', headline: 'Cycladic galleries & cliffside studios', colors: ['#0ea5e9', '#f8fafc'] },
  { id: 'paris', name: 'Paris', airport: 'CDG', headline: 'Left Bank ateliers & Seine-side salons', colors: ['#facc15', '#1e3a8a'] },
];

const state = { view: 'overview', profile: null, error: null, uploadError: null };

const formatDate = (value) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
};

function timeline(entries, limit) {
  const shown = limit ? entries.slice(0, limit) : entries;
  if (!shown.length) return null;
  return el('div', { class: 'card' }, el('h3', {}, 'Service timeline'),
    el('ul', { class: 'timeline', 'data-testid': 'timeline' }, shown.map((e) =>
      el('li', {}, el('span', { class: `dot ${e.kind}` }), el('div', {}, el('div', {}, e.entry), el('div', { class: 'when' }, new Date(e.timestamp).toLocaleString()))))));
}

function overview(p) {
  return [
    el('div', { class: 'card' }, el('h3', {}, "Today's snapshot"), el('div', {}, p.travel_summary),
      el('div', { class: 'chips' }, p.spotlight.map((s) => el('span', { class: 'chip' }, s)))),
    timeline(p.timeline, 3),
    destinationShelf(),
  ];
}

function trips(p) {
  const flights = el('div', { class: 'card', 'data-testid': 'flights' }, el('h3', {}, 'Upcoming flights'), p.segments.map((s) =>
    el('article', { class: 'flight' },
      el('div', {}, el('div', { class: 'num' }, s.flight_number), el('div', { class: 'route' }, `${s.origin} → ${s.destination}`),
        el('div', { class: 'muted' }, `${formatDate(s.date)} · ${s.departure_time} – ${s.arrival_time}`)),
      el('div', {}, el('div', { class: 'seat' }, `Seat ${s.seat}`), el('div', { class: `status ${s.status === 'Cancelled' ? 'cancelled' : ''}` }, s.status)))));
  const pill = (label, value, id) => el('div', { class: 'pill', 'data-testid': id }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, String(value)));
  return [
    flights,
    el('div', { class: 'pills' }, pill('Checked bags', p.bags_checked, 'bags'), pill('Meal preference', p.meal_preference || 'Not set', 'meal'),
      pill('Assistance', p.special_assistance || 'None', 'assistance')),
    timeline(p.timeline),
  ];
}

function loyalty(p) {
  const progress = p.loyalty_progress;
  const percent = Math.min(100, Math.round((progress.points_earned / progress.points_required) * 100));
  const bar = el('div', { class: 'bar' }, el('div', {}));
  bar.firstChild.style.width = `${percent}%`;
  return [
    el('div', { class: 'card' }, el('h3', {}, 'Status track'), el('div', { class: 'route' }, `${progress.current_tier} → ${progress.next_tier} · ${percent}% to ${progress.next_tier}`), bar,
      el('div', {}, `Points ${progress.points_earned.toLocaleString()} / ${progress.points_required.toLocaleString()} · Segments ${progress.segments_flown} / ${progress.segments_required}`),
      el('div', { class: 'muted' }, `Renewal on ${formatDate(progress.renewal_date)}`)),
    el('div', { class: 'card' }, el('h3', {}, `${progress.current_tier} perks`), el('ul', {}, p.tier_benefits.map((b) => el('li', {}, b)))),
  ];
}

/** A 480×270 PNG of a destination, drawn on a canvas. */
function drawDestination(dest) {
  const canvas = document.createElement('canvas');
  canvas.width = 480;
  canvas.height = 270;
  const g = canvas.getContext('2d');
  const gradient = g.createLinearGradient(0, 0, 480, 270);
  gradient.addColorStop(0, dest.colors[0]);
  gradient.addColorStop(1, dest.colors[1]);
  g.fillStyle = gradient;
  g.fillRect(0, 0, 480, 270);
  g.fillStyle = 'rgb(255 255 255 / 85%)';
  g.font = 'bold 56px system-ui, sans-serif';
  g.fillText(dest.name, 28, 200);
  g.font = '600 24px system-ui, sans-serif';
  g.fillText(dest.airport, 30, 240);
  return canvas;
}

function destinationShelf() {
  const cards = DESTINATIONS.map((dest) => {
    const img = el('img', { alt: dest.name, src: drawDestination(dest).toDataURL('image/png') });
    return el('button', { class: 'dest', type: 'button', 'data-destination': dest.id, onclick: () => attachDestination(dest) }, img,
      el('div', { class: 'txt' }, el('div', { class: 'code' }, dest.airport), el('div', { class: 'name' }, dest.name),
        el('div', { class: 'muted' }, dest.headline), el('div', { class: 'tap' }, 'Tap to attach')));
  });
  return el('div', { class: 'card' }, el('h3', {}, 'Destination ideas'),
    el('button', { class: 'upload', type: 'button', onclick: () => upload.click() }, 'Upload inspiration'),
    el('span', { class: 'muted' }, ' PNG or JPG up to 5MB'),
    state.uploadError ? el('div', { class: 'error' }, state.uploadError) : null,
    el('div', { class: 'shelf' }, cards));
}

async function attachDestination(dest) {
  const blob = await new Promise((resolve) => drawDestination(dest).toBlob(resolve, 'image/png'));
  const file = new File([blob], `${dest.name}.png`, { type: 'image/png' });
  await attach(file, `Let's explore flights to ${dest.name}.`);
}

async function attach(file, text) {
  state.uploadError = null;
  if (file.size > MAX_UPLOAD_BYTES) {
    state.uploadError = 'Use an image under 5MB so it streams quickly.';
    return render();
  }
  try {
    await panel.setComposerValue({ text, files: [file] });
    await panel.focusComposer();
  } catch (err) {
    state.uploadError = err instanceof Error ? err.message : 'Unable to attach that photo.';
    render();
  }
}

upload.addEventListener('change', async () => {
  const file = upload.files?.[0];
  if (file) await attach(file, 'Book a flight to this destination.');
  upload.value = '';
});

function render() {
  const p = state.profile;
  if (state.error) {
    side.replaceChildren(el('h2', {}, 'Customer profile'), el('p', { class: 'error' }, state.error));
    return;
  }
  if (!p) {
    side.replaceChildren(el('p', { class: 'muted' }, 'Loading customer data…'));
    return;
  }
  const tabs = ['overview', 'trips', 'loyalty'].map((view) =>
    el('button', { type: 'button', role: 'tab', 'aria-selected': String(state.view === view), onclick: () => setView(view) }, view[0].toUpperCase() + view.slice(1)));
  const body = state.view === 'trips' ? trips(p) : state.view === 'loyalty' ? loyalty(p) : overview(p);
  side.replaceChildren(
    el('div', { class: 'customer-head' },
      el('div', {}, el('p', { class: 'kicker' }, 'Concierge customer'), el('h2', {}, p.name),
        el('div', { class: 'contact' }, el('span', {}, `✉ ${p.email}`), el('span', {}, `☎ ${p.phone}`))),
      el('div', { class: 'badge' }, `${p.loyalty_status} · ${p.loyalty_id}`)),
    el('nav', { class: 'tabs', role: 'tablist' }, tabs),
    el('div', { class: 'body' }, body),
  );
}

function setView(view) {
  state.view = view;
  panel.setOptions(options());
  render();
}

/** The traveller's account for the thread under way (the default account before the first). */
const customer = threadData({
  load: (threadId) => getJson(`/api/customer${threadId ? `?thread_id=${encodeURIComponent(threadId)}` : ''}`),
  show: ({ customer: profile }) => {
    state.profile = profile;
    state.error = null;
    render();
  },
  fail: (error) => {
    state.error = `Failed to load customer context: ${error.message}`;
    render();
  },
});

function options() {
  return panelOptions({
    api: { uploadStrategy: { type: 'two_phase' } },
    theme: { radius: 'round', color: { accent: { primary: '#0f172a', level: 1 } } },
    startScreen: PROMPTS[state.view],
    composer: {
      placeholder: 'Ask the concierge a question',
      attachments: { enabled: true, maxSize: MAX_UPLOAD_BYTES, accept: { 'image/*': ['.png', '.jpg', '.jpeg', '.webp'] } },
    },
    threadItemActions: { feedback: true },
    initialThread: customer.threadId,
    onEffect: ({ name, data }) => {
      if (name === 'customer_profile/update' && data?.profile) {
        state.profile = data.profile;
        state.error = null;
        render();
      }
    },
    onResponseEnd: () => customer.refresh(),
    onThreadChange: ({ threadId }) => customer.setThread(threadId),
  });
}

panel.setOptions(options());
customer.refresh();
