// The task board page: <chatkit-panel> with the board's hooks, and the board beside it.
//
// * entities: @-mention search and hover previews from the server's /api/entities routes;
//   clicking a mentioned task shows it in the side panel;
// * composer tools `new_task` and `board` (the server routes the message to an agent that
//   must use them);
// * widget actions handled here: `task.open` shows the task in the side panel (client only);
//   `task.select` highlights it here, then is forwarded with sendCustomAction so the server
//   marks it in the list and remembers it for the next turn;
// * the `board.updated` client effect refreshes the side panel from /api/board.

import '/chatkit-panel.js';

const panel = document.getElementById('chat');
const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

let threadId = params.get('thread');
let people = [];
let tasks = [];
let shown = null;

/** `path` with the current thread (each thread keeps its own board). */
function withThread(path) {
  if (!threadId) return path;
  return `${path}${path.includes('?') ? '&' : '?'}thread=${encodeURIComponent(threadId)}`;
}

async function api(path) {
  const response = await fetch(withThread(path), { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error?.message || `${path}: HTTP ${response.status}`);
  return body;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

const personName = (id) => people.find((p) => p.id === id)?.name;

function renderBoard(source) {
  const open = tasks.filter((t) => !t.done);
  const done = tasks.filter((t) => t.done);
  $('summary').textContent = `${open.length} open, ${done.length} done`;
  const list = (items, target) => {
    target.replaceChildren(
      ...(items.length
        ? items.map((task) =>
            el(
              'li',
              {},
              el(
                'button',
                {
                  type: 'button',
                  class: `tb-task${task.done ? ' tb-done' : ''}`,
                  'data-task': task.id,
                  'aria-current': String(task.id === shown),
                  onclick: () => showTask(task.id),
                },
                el('span', { class: 'tb-title', text: task.title }),
                el('span', { class: 'tb-who', text: personName(task.assignee) ?? 'Unassigned' }),
              ),
            ),
          )
        : [el('li', { class: 'tb-empty', text: 'Nothing here.' })]),
    );
  };
  list(open, $('open-tasks'));
  list(done, $('done-tasks'));
  if (shown) showTask(shown);
  if (source) $('updated').textContent = source;
}

/** Reloads the board of the current thread. */
async function refreshBoard(source) {
  try {
    const board = await api('/api/board');
    people = board.people;
    tasks = board.tasks;
    renderBoard(source);
  } catch (error) {
    $('updated').textContent = `Could not load the board: ${error.message}`;
  }
}

/** Shows one task at the top of the side panel. */
function showTask(id) {
  const task = tasks.find((t) => t.id === id);
  const detail = $('detail');
  shown = task ? id : null;
  for (const button of document.querySelectorAll('.tb-task')) button.setAttribute('aria-current', String(button.dataset.task === shown));
  if (!task) {
    detail.hidden = true;
    return;
  }
  detail.replaceChildren(
    el('h2', { text: task.title }),
    el('p', { text: `${personName(task.assignee) ? `Assigned to ${personName(task.assignee)}` : 'Unassigned'} · ${task.done ? 'done' : 'open'}` }),
    el('p', { text: `Id ${task.id}` }),
    el('button', { type: 'button', text: 'Close', onclick: () => showTask(null) }),
  );
  detail.hidden = false;
}

panel.setOptions({
  api: { url: '/chatkit', domainKey: 'local' },
  theme: params.get('theme') === 'dark' ? 'dark' : { colorScheme: 'light', radius: 'round', color: { accent: { primary: '#2563eb', level: 1 } } },
  header: { title: { text: 'Task board' } },
  history: { enabled: true, showDelete: true, showRename: true },
  threadItemActions: { feedback: true, retry: true },
  startScreen: {
    greeting: 'Your team’s task board. What needs doing?',
    prompts: [
      { label: 'Show the board', prompt: 'show tasks', icon: 'check-circle' },
      { label: 'Add a task for Grace', prompt: 'add task Water the plants for Grace', icon: 'plus' },
      { label: 'Open the new-task form', prompt: 'new task', icon: 'write' },
      { label: 'What did I change?', prompt: 'recap', icon: 'history' },
      { label: 'What can you do?', prompt: 'help', icon: 'circle-question' },
    ],
  },
  composer: {
    placeholder: 'Ask about your tasks — type @ to mention a task or a person',
    tools: [
      { id: 'new_task', label: 'New task', shortLabel: 'Task', icon: 'plus', placeholderOverride: 'What needs doing?', pinned: true },
      { id: 'board', label: 'Show the board', shortLabel: 'Board', icon: 'check-circle', placeholderOverride: 'Whose tasks? (@ a person, or nothing for all)', pinned: true },
    ],
  },
  entities: {
    showComposerMenu: true,
    onTagSearch: (query) => api(`/api/entities?q=${encodeURIComponent(query)}`),
    onRequestPreview: (entity) => api(`/api/entities/${encodeURIComponent(entity.id)}/preview`),
    onClick: (entity) => {
      if (entity.data?.type === 'task') showTask(entity.id);
    },
  },
  widgets: {
    onAction: async (action, item) => {
      const taskId = action.payload?.taskId;
      if (action.type === 'task.open') {
        showTask(taskId);
      } else if (action.type === 'task.select') {
        showTask(taskId);
        await panel.sendCustomAction(action, item.id);
      }
    },
  },
  onEffect: ({ name }) => {
    if (name === 'board.updated') refreshBoard('Updated by the assistant');
  },
  initialThread: threadId,
  onThreadChange: ({ threadId: id }) => {
    threadId = id;
    const url = new URL(location.href);
    if (id) url.searchParams.set('thread', id);
    else url.searchParams.delete('thread');
    history.replaceState(null, '', url);
    shown = null;
    refreshBoard();
  },
});

refreshBoard();
