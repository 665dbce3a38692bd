// The news-guide page: News Guide in the chat, the Foxhollow Dispatch beside it. The page the
// reader has open travels with every ChatKit request as the `article-id` header, so the
// assistant can answer about "this page".

import { renderMarkdown } from '/markdown.js';
import { h as el, getJson, listedEntities, panelOptions, params } from '/page-kit.js';

const panel = document.getElementById('chat');
const paper = document.getElementById('paper');

const state = { articleId: params().get('article'), lastOpened: null };

const formatDate = (value) => new Date(`${value}T12:00:00`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' });

/** Shows the front page, or the article `id`; `push` records it in the history. */
async function show(id, push = true) {
  state.articleId = id || null;
  if (push) {
    const url = new URL(location.href);
    if (id) url.searchParams.set('article', id);
    else url.searchParams.delete('article');
    history.pushState(null, '', url);
  }
  paper.dataset.page = id || 'featured';
  try {
    if (id) {
      const { article } = await getJson(`/api/articles/${encodeURIComponent(id)}`);
      if (state.articleId !== id) return;
      const body = el('div', { class: 'body' });
      body.append(renderMarkdown(article.content));
      paper.replaceChildren(el('article', { class: 'full', 'data-article': article.id },
        el('button', { class: 'back', type: 'button', onclick: () => show(null) }, '← Front page'),
        el('p', { class: 'section-title' }, article.tags.join(' · ')),
        el('h1', {}, article.title),
        el('div', { class: 'byline' }, `By ${article.author} · ${formatDate(article.date)}`),
        el('img', { class: 'hero', src: article.heroImageUrl, alt: article.title }),
        body));
    } else {
      const { articles } = await getJson('/api/articles/featured');
      if (state.articleId) return;
      paper.replaceChildren(el('p', { class: 'section-title' }, 'Featured'),
        el('div', { class: 'grid' }, articles.map((a) =>
          el('button', { class: 'story', type: 'button', 'data-article': a.id, onclick: () => show(a.id) },
            el('img', { src: a.heroImageUrl, alt: '' }),
            el('div', { class: 'meta' }, el('div', { class: 'byline' }, formatDate(a.date)), el('h3', {}, a.title),
              el('div', { class: 'byline' }, `by ${a.author}`), el('div', { class: 'tags' }, a.tags.map((t) => el('span', { class: 'tag' }, t))))))));
    }
  } catch (err) {
    paper.replaceChildren(el('p', { class: 'error' }, String(err.message || err)));
  }
}

window.addEventListener('popstate', () => show(params().get('article'), false));
document.getElementById('home').addEventListener('click', (event) => {
  event.preventDefault();
  show(null);
});

panel.setOptions(panelOptions({
  api: {
    // The open page goes with every request, for `get_current_page`.
    fetch: (input, init = {}) => {
      const headers = new Headers(init.headers || {});
      headers.set('article-id', state.articleId || 'featured');
      return fetch(input, { ...init, headers });
    },
  },
  theme: { density: 'spacious', radius: 'sharp', color: { accent: { primary: '#ff5f42', level: 1 } } },
  startScreen: {
    greeting: 'I’m here to help you find the latest news from Foxhollow',
    prompts: [
      { label: 'Browse trending stories', prompt: "What's trending right now?", icon: 'globe' },
      { label: 'Read some gossip', prompt: 'Any small-town drama lately?', icon: 'sparkle' },
      { label: 'Get public works updates', prompt: "What's the latest on public infrastructure projects?", icon: 'lightbulb' },
      { label: 'Summarize this page', prompt: 'Give me a summary of this page.', icon: 'document' },
    ],
  },
  composer: {
    placeholder: 'Any small-town drama this week?',
    tools: [
      { id: 'event_finder', label: 'Event finder', icon: 'calendar', placeholderOverride: 'Anything happening this weekend?', persistent: true },
      { id: 'puzzle', label: 'Coffee break puzzle', shortLabel: 'Puzzle', icon: 'atom', placeholderOverride: 'Give me a puzzle to solve', persistent: true },
    ],
  },
  // Every article and author as an entity with its preview (a small archive: loaded once).
  entities: listedEntities(() => getJson('/api/articles/tags').then((d) => d.tags), {
    onClick: (entity) => {
      const id = entity.data?.article_id;
      if (typeof id === 'string' && id.trim()) show(id.trim());
    },
  }),
  threadItemActions: { feedback: false },
  widgets: {
    onAction: async (action, item) => {
      if (action.type !== 'open_article') return;
      const id = action.payload?.id;
      if (typeof id !== 'string' || !id) return;
      await show(id);
      // The server offers a summary; once per article in a row.
      if (id !== state.lastOpened) {
        state.lastOpened = id;
        await panel.sendCustomAction(action, item.id);
      }
    },
  },
}));

show(state.articleId, false);
