// Loaded by the test page: records requests and events, mounts the panel with test options.
import '/chatkit-panel.js';

const panel = document.querySelector('chatkit-panel');
const EVENTS = ['ready', 'error', 'log', 'response.start', 'response.end', 'thread.change', 'thread.load.start', 'thread.load.end', 'tool.change', 'effect', 'deeplink'];

function plain(detail) {
  if (detail === undefined) return undefined;
  return JSON.parse(JSON.stringify(detail, (k, v) => (v instanceof Error ? { message: v.message, code: v.code } : v)));
}

window.ck = {
  panel,
  requests: [],
  events: [],
  calls: [],
  /** Mounts with `options`; every request goes through a recording fetch. */
  mount(options = {}) {
    const record = async (url, init = {}) => {
      let body = null;
      try {
        body = JSON.parse(init.body);
      } catch {
        body = { raw: init.body instanceof FormData ? 'multipart' : String(init.body), url: String(url), method: init.method };
      }
      this.requests.push(body);
      return fetch(url, init);
    };
    const api = { url: '/chatkit', domainKey: 'test', fetch: record, ...(options.api || {}) };
    panel.setOptions({ ...options, api });
  },
  ofType(type) {
    return this.requests.filter((r) => r.type === type);
  },
  named(name) {
    return this.events.filter((e) => e.name === name);
  },
};
for (const name of EVENTS) {
  panel.addEventListener(`chatkit.${name}`, (event) => window.ck.events.push({ name, detail: plain(event.detail) }));
}
