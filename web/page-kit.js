// What the pages around a <chatkit-panel> share: the panel's usual options, the thread kept in
// the page's address, JSON from the app's own routes, a side panel that follows the thread, and
// entity search over the app's data. Plain ES module, no inline script: it runs under the
// client's content-security policy.
//
//     import { h, panelOptions, getJson, threadData } from '/page-kit.js';
//
//     const side = threadData({
//       load: (threadId) => getJson(`/api/board?thread=${encodeURIComponent(threadId ?? '')}`),
//       show: (board) => document.getElementById('side').replaceChildren(h('p', {}, board.title)),
//     });
//     document.getElementById('chat').setOptions(panelOptions({
//       startScreen: { greeting: 'What needs doing?' },
//       onThreadChange: ({ threadId }) => side.setThread(threadId),
//     }));

import './chatkit-panel.js';

export { h } from './dom.js';

/** The query parameters of the page's address. */
export const params = () => new URLSearchParams(location.search);

/** The thread named in the page's address (`?thread=…`), or `null`. */
export const threadInUrl = () => params().get('thread');

/** Records `threadId` in the page's address (no history entry), so a reload reopens it. */
export function rememberThread(threadId) {
  const url = new URL(location.href);
  if (threadId) url.searchParams.set('thread', threadId);
  else url.searchParams.delete('thread');
  history.replaceState(null, '', url);
}

/** `dark` when the address asks for it (`?theme=dark`), else `light`. */
export const colorScheme = () => (params().get('theme') === 'dark' ? 'dark' : 'light');

/**
 * The panel's options: the page's own `options` over what every page starts from — this
 * origin's `POST /chatkit`, the history, the thread of the address (kept up to date there, so a
 * reload reopens it), the color scheme of `?theme=dark` and errors reported on the console.
 * `api` and `theme` are merged with the defaults; `onThreadChange` runs after the address is
 * updated.
 */
export function panelOptions({ api, theme, onThreadChange, ...options }) {
  return {
    history: { enabled: true },
    initialThread: threadInUrl(),
    onError: ({ error }) => console.warn('ChatKit error', error),
    ...options,
    api: { url: '/chatkit', domainKey: 'local', ...api },
    theme: { colorScheme: colorScheme(), ...theme },
    onThreadChange: (event) => {
      rememberThread(event.threadId);
      onThreadChange?.(event);
    },
  };
}

/** GET `url` as JSON; a failed answer throws with the server's error message. */
export async function getJson(url) {
  return answerOf(url, await fetch(url, { headers: { accept: 'application/json' } }));
}

/**
 * POST `body` as JSON to `url`; resolves to the JSON answer. A failed answer throws an `Error`
 * with the server's message, its `status` and its `error` (`{code, message, field?}`, or `null`).
 */
export async function postJson(url, body) {
  const headers = { accept: 'application/json', 'content-type': 'application/json' };
  return answerOf(url, await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) }));
}

/** The JSON body of `response`, or the `Error` of `getJson` and `postJson` for a failed one. */
async function answerOf(url, response) {
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.error?.message || `${url}: HTTP ${response.status}`;
    throw Object.assign(new Error(message), { status: response.status, error: body?.error ?? null });
  }
  return body;
}

/**
 * What a side panel shows of the current thread. `refresh(...args)` loads it with
 * `load(threadId)` and hands it to `show(data, ...args)`, or the failure to `fail(error,
 * ...args)`; an answer that arrives after a newer `refresh` (another thread, say) is dropped.
 * The thread starts as the one of the page's address.
 */
export function threadData({ load, show, fail = (error) => console.error(error) }) {
  let threadId = threadInUrl();
  let latest = 0;
  return {
    get threadId() {
      return threadId;
    },
    /** Follows another thread (`null`: none yet) and loads its data. */
    setThread(id, ...args) {
      threadId = id ?? null;
      return this.refresh(...args);
    },
    async refresh(...args) {
      const ask = ++latest;
      try {
        const data = await load(threadId);
        if (ask === latest) show(data, ...args);
      } catch (error) {
        if (ask === latest) fail(error, ...args);
      }
    },
  };
}

/**
 * The panel's `entities` options over a list of `{entity, preview}` that `load()` fetches once:
 * @-mention search matches a title, id or group containing the query; previews come from the
 * list. A failed load counts as an empty list and is tried again at the next search.
 */
export function listedEntities(load, { onClick } = {}) {
  let entries = null;
  const all = () => {
    entries ??= load().catch((error) => {
      console.warn('entities', error);
      entries = null;
      return [];
    });
    return entries;
  };
  return {
    showComposerMenu: true,
    onTagSearch: async (query) => {
      const q = query.trim().toLowerCase();
      const matches = ({ entity }) => !q || [entity.title, entity.id, entity.group].some((s) => s?.toLowerCase().includes(q));
      return (await all()).filter(matches).map((e) => e.entity);
    },
    onRequestPreview: async (entity) => ({ preview: (await all()).find((e) => e.entity.id === entity.id)?.preview ?? null }),
    onClick,
  };
}

/**
 * The panel's `entities` options answered by the app's routes: `GET {base}?q=QUERY` lists the
 * matches, `GET {base}/{id}/preview` answers a preview. `get` fetches JSON (default
 * [`getJson`]; pass your own to add, say, the thread to the address).
 */
export function servedEntities(base, { onClick, get = getJson } = {}) {
  return {
    showComposerMenu: true,
    onTagSearch: (query) => get(`${base}?q=${encodeURIComponent(query)}`),
    onRequestPreview: (entity) => get(`${base}/${encodeURIComponent(entity.id)}/preview`),
    onClick,
  };
}
