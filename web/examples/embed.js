// Embedding <chatkit-panel> in a page of your own: client-handled widget actions, entity search,
// previews and clicks, client tools and effects, all answered by the host page.

import '/chatkit-panel.js';

const chat = document.getElementById('chat');
const log = document.getElementById('log');

const STATIONS = [
  { id: 'cinderia', title: 'Cinderia', group: 'Stations', icon: 'map-pin', interactive: true, data: { line: 'red' } },
  { id: 'ember-gate', title: 'Ember Gate', group: 'Stations', icon: 'map-pin', interactive: true, data: { line: 'blue' } },
  { id: 'ada', title: 'Ada Lovelace', group: 'People', icon: 'profile', interactive: true, data: {} },
];

function note(text) {
  const li = document.createElement('li');
  li.textContent = text;
  log.prepend(li);
}

chat.setOptions({
  api: { url: '/chatkit', domainKey: 'local' },
  theme: { colorScheme: 'light', radius: 'round', color: { accent: { primary: '#0f766e', level: 1 } } },
  threadItemActions: { feedback: true, retry: true, share: true },
  startScreen: {
    greeting: 'Ask about a station',
    prompts: [
      { label: 'Pick a pet name', prompt: 'widget names', icon: 'star' },
      { label: 'Mention a station', prompt: [{ type: 'input_text', text: 'echo Tell me about ' }, { type: 'input_tag', id: 'cinderia', text: 'Cinderia', group: 'Stations', interactive: true, data: { line: 'red' } }] },
    ],
  },
  widgets: {
    // `handler: "client"` actions arrive here; this page forwards them to the server.
    onAction: async (action, item) => {
      note(`client action ${action.type} from ${item.id}`);
      await chat.sendCustomAction(action, item.id);
    },
  },
  entities: {
    showComposerMenu: true,
    onTagSearch: async (query) => STATIONS.filter((s) => s.title.toLowerCase().includes(query.toLowerCase())),
    onClick: (entity) => note(`clicked ${entity.title}`),
    onRequestPreview: async (entity) => ({
      preview: {
        type: 'Basic',
        gap: 1,
        children: [
          { type: 'Title', value: entity.title, size: 'sm' },
          { type: 'Caption', value: entity.group === 'Stations' ? `On the ${entity.data?.line ?? 'unknown'} line` : 'A person' },
        ],
      },
    }),
  },
  onClientTool: async ({ name, params }) => {
    note(`client tool ${name}`);
    return { answeredBy: 'the host page', args: params.args ?? [] };
  },
  onEffect: ({ name, data }) => note(`effect ${name} ${JSON.stringify(data ?? {})}`),
  onThreadChange: ({ threadId }) => note(`thread ${threadId ?? '(new)'}`),
  onLog: ({ name }) => note(`log ${name}`),
  onError: ({ error }) => note(`error ${error.message}`),
});
