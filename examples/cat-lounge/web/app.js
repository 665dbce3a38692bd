// The cat lounge page: <chatkit-panel> beside the cat's status panel.
//
// The panel follows the cat through the server's client effects (`update_cat_status`,
// `cat_say`) and reloads it from GET /api/cats/{thread} when the thread changes. The name
// picker's `cats.select_name` is a client action: the page forwards it to the server with
// sendCustomAction; `cats.more_names` sends a user message.

import { getJson, panelOptions, threadData } from '/page-kit.js';

const UNNAMED = 'Unnamed Cat';
const DEFAULT_CAT = { name: UNNAMED, energy: 6, happiness: 6, cleanliness: 6, age: 2, colorPattern: null, description: null };
const BUBBLE_MS = 10_000;

const panel = document.getElementById('chat');
const $ = (id) => document.getElementById(id);

let cat = { ...DEFAULT_CAT };
let bubbleTimer = null;

const QUICK_ACTIONS = {
  treat: (name) => `Please give ${name} a crunchy fish treat so they feel cared for.`,
  play: (name) => `Start a quick play session with ${name} using their favorite ribbon toy.`,
  groom: (name) => `Give ${name} a bath to freshen up.`,
};

function level(value) {
  if (value >= 7) return 'high';
  if (value >= 5) return 'mid';
  if (value >= 3) return 'low';
  return 'critical';
}

function renderCat() {
  $('cat-name').textContent = cat.name;
  const picture = $('cat-picture');
  const file = cat.colorPattern || 'unknown';
  const src = `/apps/cat-lounge/cats/${file}.svg`;
  if (picture.getAttribute('src') !== src) picture.setAttribute('src', src);
  picture.alt = cat.description || 'A cat whose coat is still a mystery';
  for (const meter of document.querySelectorAll('.meter')) {
    const value = Math.max(0, Math.min(10, Number(cat[meter.dataset.stat]) || 0));
    meter.querySelector('.value').textContent = `${value} / 10`;
    const fill = meter.querySelector('.fill');
    fill.style.width = `${value * 10}%`;
    fill.className = `fill ${level(value)}`;
    meter.setAttribute('aria-valuenow', String(value));
  }
}

/** Shows the cat's speech bubble or a flash note (one at a time), for ten seconds. */
function bubble(kind, text) {
  clearTimeout(bubbleTimer);
  const speech = $('cat-speech');
  const flash = $('cat-flash');
  speech.hidden = true;
  flash.hidden = true;
  if (!text) return;
  const el = kind === 'speech' ? speech : flash;
  el.textContent = text;
  el.hidden = false;
  bubbleTimer = setTimeout(() => {
    el.hidden = true;
  }, BUBBLE_MS);
}

function setCat(next) {
  const renamed = next.name !== cat.name;
  cat = { ...cat, ...next };
  renderCat();
  // The composer's placeholder speaks to the cat once it has a name.
  if (renamed) panel.setOptions(options());
}

/** The cat of the thread under way (before the first message: a new, unnamed one). */
const lounge = threadData({
  load: async (threadId) => (threadId ? (await getJson(`/api/cats/${encodeURIComponent(threadId)}`)).cat : { ...DEFAULT_CAT }),
  show: setCat,
});

async function onAction(action, item) {
  if (action.type === 'cats.more_names') {
    await panel.sendUserMessage({ text: 'More name suggestions, please' });
    return;
  }
  if (action.type === 'cats.select_name') {
    if (!lounge.threadId) return;
    // The server names the cat, redraws the picker and renames the thread...
    await panel.sendCustomAction(action, item.id);
    // ...then the panel shows the cat as the server has it.
    await lounge.refresh();
  }
}

function onEffect({ name, data }) {
  if (name === 'update_cat_status' && data?.state) {
    setCat(data.state);
    if (data.flash) bubble('flash', data.flash);
  }
  if (name === 'cat_say' && data?.message) bubble('speech', String(data.message));
}

function options() {
  return panelOptions({
    theme: { radius: 'round', density: 'spacious', color: { accent: { primary: '#0f172a', level: 1 } } },
    startScreen: {
      greeting: 'Welcome to the cozy cat lounge',
      prompts: [
        { label: 'Name ideas', prompt: 'Could you suggest some fun names for the cat?', icon: 'book-open' },
        { label: 'Check on the cat', prompt: 'How is the cat doing today?', icon: 'circle-question' },
        { label: 'Feed time', prompt: 'Please feed the cat something tasty.', icon: 'sparkle' },
        { label: 'Play time', prompt: 'Please play with the cat using a fun toy.', icon: 'confetti' },
        { label: 'Profile card', prompt: "Can you show me the cat's profile card?", icon: 'square-text' },
      ],
    },
    composer: { placeholder: cat.name === UNNAMED ? 'Ask how the cat feels or what it needs' : `${cat.name}, what would you like to do?` },
    threadItemActions: { feedback: false },
    widgets: { onAction },
    onEffect,
    initialThread: lounge.threadId,
    onThreadChange: ({ threadId }) => {
      if (threadId === lounge.threadId) return;
      bubble(null, null);
      lounge.setThread(threadId);
    },
    onResponseStart: () => setQuickEnabled(false),
    onResponseEnd: () => setQuickEnabled(true),
  });
}

function setQuickEnabled(enabled) {
  for (const button of document.querySelectorAll('[data-quick]')) button.disabled = !enabled;
}

for (const button of document.querySelectorAll('[data-quick]')) {
  button.addEventListener('click', () => {
    panel.sendUserMessage({ text: QUICK_ACTIONS[button.dataset.quick](cat.name) }).catch((err) => console.error(err));
  });
}

renderCat();
panel.setOptions(options());
lounge.refresh();
