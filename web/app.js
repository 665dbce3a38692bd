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
    prompts: [
      { label: 'Show a counter widget', prompt: 'widget counter', icon: 'bolt' },
      { label: 'Fill in a form', prompt: 'widget form', icon: 'write' },
      { label: 'Stream some text', prompt: 'echo Hello from chatkit-rs', icon: 'sparkle' },
    ],
  },
  composer: { placeholder: 'Message the AI (try "help")' },
  initialThread: params.get('thread'),
  onThreadChange: ({ threadId }) => {
    const url = new URL(location.href);
    if (threadId) url.searchParams.set('thread', threadId);
    else url.searchParams.delete('thread');
    history.replaceState(null, '', url);
  },
});
