// Widget actions: form values into the payload, loading behaviour, routing to the page
// (`handler: "client"`), to `threads.sync_custom_action` (`streaming: false`) or to a
// streamed `threads.custom_action` — queued, never dropped, while another response streams.

/** Which loading display `auto` means for each way an action fires. */
const AUTO = { click: 'self', submit: 'self', 'submit-enter': 'container', change: 'none', confirm: 'container', cancel: 'container' };

export async function dispatchAction(view, action, { node, binding, path, changed, validated = false }) {
  const panel = view.panel;
  if (!action || typeof action.type !== 'string') return;
  if (node.disabled || node.getAttribute('aria-disabled') === 'true') return;
  const handler = action.handler === 'client' ? 'client' : 'server';
  const streaming = !(action.streaming === false || action.streaming === 'false');
  const itemId = view.item?.id ?? null;

  // A second click on a queued node cancels it.
  if (node.dataset.ckQueued === '1' && itemId && panel.cancelQueued(itemId)) {
    clearQueued(view, node);
    return;
  }
  if (node.dataset.ckInflight === '1') return;

  const scope = findScope(node, view.el);
  if (binding === 'confirm' && scope && scope.dataset.asForm === '1' && !validated && !validate(scope)) return;

  const payload = buildPayload(panel, action.payload, scope, binding === 'change' ? changed : null);
  const wire = { type: action.type };
  if (payload !== undefined) wire.payload = payload;

  if (handler === 'server') {
    const status = panel.thread?.status?.type;
    const blocked = view.preview || !itemId || !panel.threadId ? 'no thread' : status === 'locked' || status === 'closed' ? `thread ${status}` : null;
    if (blocked) {
      node.setAttribute('aria-disabled', 'true');
      const reason = panel.t(blocked === 'no thread' ? 'noThread' : blocked === 'thread locked' ? 'threadLocked' : 'threadClosed');
      node.title = panel.t('unavailable', { reason });
      panel.log('widget.action.blocked', { type: action.type, itemId, reason: blocked });
      return;
    }
  }

  panel.log('widget.action', { type: action.type, handler, itemId });
  const behavior = ['self', 'container', 'none'].includes(action.loadingBehavior) ? action.loadingBehavior : AUTO[binding] || 'self';
  const loading = (on) => {
    if (behavior === 'none') return;
    view.markBusy(behavior === 'container' ? 'root' : path, behavior, on);
  };
  node.dataset.ckInflight = '1';
  try {
    if (handler === 'client') {
      loading(true);
      const onAction = panel.options.widgets?.onAction;
      if (typeof onAction === 'function') await onAction(wire, { id: itemId, widget: view.item?.widget });
    } else if (!streaming) {
      loading(true);
      const answer = await panel.request('threads.sync_custom_action', { thread_id: panel.threadId, item_id: itemId, action: wire });
      if (answer && answer.updated_item) panel.replaceItem(answer.updated_item);
    } else if (panel.streaming) {
      delete node.dataset.ckInflight;
      markQueued(view, node, path);
      const result = await panel.queueAction(itemId, wire, () => clearQueued(view, node));
      clearQueued(view, node);
      if (result?.cancelled) return;
    } else {
      loading(true);
      await panel.runStream('threads.custom_action', { thread_id: panel.threadId, item_id: itemId, action: wire });
    }
  } catch (err) {
    if (handler === 'client') panel.emitError(err);
    // Server failures are shown inline and emitted by the panel.
  } finally {
    delete node.dataset.ckInflight;
    loading(false);
  }
}

function markQueued(view, node, path) {
  view.queuedPath = path;
  node.dataset.ckQueued = '1';
  node.setAttribute('aria-busy', 'true');
  node.classList.add('ck-queued');
  node.title = view.panel.t('queued');
}

function clearQueued(view, node) {
  view.queuedPath = null;
  for (const el of [node, ...view.el.querySelectorAll('[data-ck-queued]')]) {
    delete el.dataset.ckQueued;
    el.setAttribute('aria-busy', 'false');
    el.classList.remove('ck-queued');
    el.removeAttribute('title');
  }
}

/** The nearest Form or `asForm` Card around `node`, inside the widget. */
function findScope(node, root) {
  const scope = node.closest('form.ck-form, [data-as-form="1"]');
  return scope && root.contains(scope) ? scope : null;
}

/** Native validation of every field in `scope`; shows the browser's message on the first failure. */
function validate(scope) {
  for (const el of scope.querySelectorAll('input, select, textarea')) {
    if (!el.checkValidity()) {
      el.reportValidity();
      return false;
    }
  }
  return true;
}

/** The value a control contributes to the payload. */
export function fieldValue(el) {
  if (el.dataset.ckRadiogroup === '1') {
    const checked = el.querySelector('input[type=radio]:checked');
    return checked ? checked.value : null;
  }
  if (el.type === 'checkbox') return el.checked;
  if (el.tagName === 'SELECT' || el.type === 'date') return el.value === '' ? null : el.value;
  return el.value ?? '';
}

/** Form values of `scope` (or only the changed control) merged into the configured payload. */
function buildPayload(panel, configured, scope, changed) {
  const fields = [];
  if (scope) {
    for (const el of scope.querySelectorAll('[data-ck-name]')) fields.push([el.dataset.ckName, fieldValue(el)]);
  } else if (changed) {
    const el = changed.dataset.ckName !== undefined ? changed : changed.closest('[data-ck-name]');
    if (el) fields.push([el.dataset.ckName, fieldValue(el)]);
  }
  const hasConfigured = configured !== undefined && configured !== null;
  if (!fields.length) return hasConfigured ? configured : undefined;
  if (hasConfigured && (typeof configured !== 'object' || Array.isArray(configured))) {
    panel.emitError(new Error('Form values cannot be merged into a payload that is not an object'));
    return configured;
  }
  const payload = hasConfigured ? structuredClone(configured) : {};
  for (const [name, value] of fields) {
    if (!name) continue;
    const parts = name.split('.');
    if (hasConfigured && pathExists(configured, parts)) {
      panel.emitError(new Error(`Field "${name}" collides with the action payload key; the payload value is kept`));
      continue;
    }
    let target = payload;
    for (const part of parts.slice(0, -1)) {
      if (!target[part] || typeof target[part] !== 'object') target[part] = {};
      target = target[part];
    }
    target[parts[parts.length - 1]] = value;
  }
  return payload;
}

function pathExists(obj, parts) {
  let cur = obj;
  for (const part of parts) {
    if (!cur || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return false;
    cur = cur[part];
  }
  return true;
}
