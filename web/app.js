// The page served at `/`: one <chatkit-panel> talking to this server's POST /chatkit.

import './chatkit-panel.js';

const panel = document.getElementById('chat');
const params = new URLSearchParams(location.search);
panel.setOptions({
  api: { url: '/chatkit', domainKey: 'local' },
  theme: params.get('theme') === 'dark' ? 'dark' : 'light',
  history: { enabled: true, showDelete: true, showRename: true },
  threadItemActions: { feedback: true, retry: true },
  startScreen: {
    greeting: 'What can I help with today?',
    prompts: [{ label: 'What can you do?', prompt: 'help', icon: 'circle-question' }],
  },
  initialThread: params.get('thread'),
  onThreadChange: ({ threadId }) => {
    const url = new URL(location.href);
    if (threadId) url.searchParams.set('thread', threadId);
    else url.searchParams.delete('thread');
    history.replaceState(null, '', url);
  },
});
