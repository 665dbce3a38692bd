// The ChatKit wire protocol as a client sees it: one POST per request, JSON or SSE answers.

/** Request types whose answer is a `text/event-stream`. */
export const STREAMING_TYPES = new Set([
  'threads.create',
  'threads.add_user_message',
  'threads.add_client_tool_output',
  'threads.add_structured_input',
  'threads.retry_after_item',
  'threads.custom_action',
]);

/** A failed request: HTTP status plus the server's `{error: {code, message}}` when it sent one. */
export class ChatKitError extends Error {
  constructor(message, { status = 0, code = 'request_failed', allowRetry = false } = {}) {
    super(message);
    this.name = 'ChatKitError';
    this.status = status;
    this.code = code;
    this.allowRetry = allowRetry;
  }
}

/** Talks to one ChatKit endpoint. `fetch` replaces the global one (e.g. to add headers). */
export class ChatKitApi {
  constructor({ url, fetch: fetchFn } = {}) {
    if (!url) throw new ChatKitError('api.url is required', { code: 'invalid_options' });
    this.url = url;
    this.fetch = fetchFn || ((...args) => globalThis.fetch(...args));
  }

  async #post(type, params, signal) {
    let response;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, params }),
        signal,
      });
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new ChatKitError(`${type}: ${err && err.message ? err.message : 'network error'}`, { code: 'network_error' });
    }
    if (!response.ok) {
      let code = 'http_error';
      let message = `${type} failed with HTTP ${response.status}`;
      try {
        const body = await response.json();
        if (body && body.error) {
          code = String(body.error.code || code);
          if (body.error.message) message = `${type}: ${body.error.message}`;
        }
      } catch {
        // Not JSON: keep the generic message.
      }
      throw new ChatKitError(message, { status: response.status, code });
    }
    return response;
  }

  /** A non-streaming request; resolves to the parsed JSON answer. */
  async request(type, params) {
    const response = await this.#post(type, params);
    return response.json();
  }

  /** A streaming request; yields each event of the answer. Abort with `signal`. */
  async *stream(type, params, signal) {
    const response = await this.#post(type, params, signal);
    if (!response.body) throw new ChatKitError(`${type}: empty response`);
    yield* parseEventStream(response.body, signal);
  }
}

/** Parses `data:` frames of a server-sent event stream into JSON values. */
export async function* parseEventStream(body, signal) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      if (signal && signal.aborted) return;
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = frameEnd(buffer)) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^(\r?\n)+/, '');
        const event = parseFrame(frame);
        if (event !== undefined) yield event;
      }
    }
    buffer += decoder.decode();
    const event = parseFrame(buffer);
    if (event !== undefined) yield event;
  } finally {
    reader.releaseLock();
  }
}

function frameEnd(buffer) {
  const match = /\r?\n\r?\n/.exec(buffer);
  return match ? match.index + match[0].length : -1;
}

function parseFrame(frame) {
  const data = [];
  for (const line of frame.split(/\r?\n/)) {
    if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length) return undefined;
  try {
    return JSON.parse(data.join('\n'));
  } catch {
    return undefined;
  }
}
