// The page served at `/`: one <chatkit-panel> talking to this server's POST /chatkit.

import { panelOptions } from './page-kit.js';

document.getElementById('chat').setOptions(panelOptions({
  history: { enabled: true, showDelete: true, showRename: true },
  threadItemActions: { feedback: true, retry: true },
  startScreen: {
    greeting: 'What can I help with today?',
    prompts: [{ label: 'What can you do?', prompt: 'help', icon: 'circle-question' }],
  },
}));
