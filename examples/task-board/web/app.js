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

import { h as el, getJson, panelOptions, servedEntities, threadData } from '/page-kit.js';

const panel = document.getElementById('chat');
const $ = (id) => document.getElementById(id);

let people = [];
let tasks = [];
let shown = null;

/** GET `path` of the current thread (each thread keeps its own board). */
function api(path) {
  const threadId = board.threadId;
  return getJson(threadId ? `${path}${path.includes('?') ? '&' : '?'}thread=${encodeURIComponent(threadId)}` : path);
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
                el('span', { class: 'tb-title' }, task.title),
                el('span', { class: 'tb-who' }, personName(task.assignee) ?? 'Unassigned'),
              ),
            ),
          )
        : [el('li', { class: 'tb-empty' }, 'Nothing here.')]),
    );
  };
  list(open, $('open-tasks'));
  list(done, $('done-tasks'));
  if (shown) showTask(shown);
  if (source) $('updated').textContent = source;
}

/** The board of the current thread; `board.refresh(source)` reloads it, `source` saying why. */
const board = threadData({
  load: () => api('/api/board'),
  show: (loaded, source) => {
    people = loaded.people;
    tasks = loaded.tasks;
    renderBoard(source);
  },
  fail: (error) => {
    $('updated').textContent = `Could not load the board: ${error.message}`;
  },
});

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
    el('h2', {}, task.title),
    el('p', {}, `${personName(task.assignee) ? `Assigned to ${personName(task.assignee)}` : 'Unassigned'} · ${task.done ? 'done' : 'open'}`),
    el('p', {}, `Id ${task.id}`),
    el('button', { type: 'button', onclick: () => showTask(null) }, 'Close'),
  );
  detail.hidden = false;
}

panel.setOptions(panelOptions({
  theme: { radius: 'round', color: { accent: { primary: '#2563eb', level: 1 } } },
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
  entities: servedEntities('/api/entities', {
    get: api,
    onClick: (entity) => {
      if (entity.data?.type === 'task') showTask(entity.id);
    },
  }),
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
    if (name === 'board.updated') board.refresh('Updated by the assistant');
  },
  onThreadChange: ({ threadId }) => {
    shown = null;
    board.setThread(threadId);
  },
}));

board.refresh();
