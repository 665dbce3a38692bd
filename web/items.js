// Renderers for thread items other than widgets. Each returns an element, or null for items
// that show nothing (hidden context, end of turn).

import { h, button } from './dom.js';
import { icon } from './icons.js';
import { imageAllowed, linkAllowed } from './markdown.js';
import { translator } from './i18n.js';

const EN = translator('en');
const tr = (ctx) => ctx?.t || EN;

const HIDDEN = new Set(['hidden_context_item', 'sdk_hidden_context', 'end_of_turn']);

/**
 * `ctx`: {markdown(text, opts) → fragment, widget(item) → element, chip(tag) → element,
 * entityPreview(el, entity), onEntityClick(entity), allowedImageDomains, t(key)}.
 */
export function renderItem(item, ctx) {
  if (!item || HIDDEN.has(item.type)) return null;
  const render = RENDERERS[item.type];
  if (!render) return null;
  const el = render(item, ctx);
  if (el) {
    el.dataset.itemId = item.id;
    el.dataset.itemType = item.type;
    el.classList.add('ck-item');
  }
  return el;
}

/** The text of an assistant message, all parts joined. */
export function assistantText(item) {
  return (item.content || []).map((part) => part.text || '').join('\n\n');
}

const RENDERERS = {
  user_message(item, ctx) {
    const body = h('div', { class: 'ck-user-bubble' });
    for (const part of item.content || []) {
      if (part.type === 'input_tag') body.append(ctx.chip(part));
      else body.append(document.createTextNode(part.text || ''));
    }
    const attachments = (item.attachments || []).map((a) => attachmentChip(a, ctx));
    return h(
      'div',
      { class: 'ck-user', role: 'article', 'aria-label': tr(ctx)('youSaid') },
      item.quoted_text ? h('blockquote', { class: 'ck-quote' }, item.quoted_text) : null,
      attachments.length ? h('div', { class: 'ck-attachments' }, attachments) : null,
      (item.content || []).length ? body : null,
    );
  },

  assistant_message(item, ctx) {
    const el = h('div', { class: 'ck-assistant', role: 'article', 'aria-label': tr(ctx)('assistantSaid') });
    fillAssistant(el, item, ctx);
    return el;
  },

  widget(item, ctx) {
    return h('div', { class: 'ck-widget-item' }, ctx.widget(item));
  },

  client_tool_call(item, ctx) {
    const t = tr(ctx);
    const pending = item.status !== 'completed';
    return h(
      'div',
      { class: `ck-tool-call${pending ? ' ck-pending' : ''}`, role: 'status' },
      pending ? h('span', { class: 'ck-spinner', 'aria-hidden': 'true' }) : icon('check', { size: 14 }),
      h('span', {}, t(pending ? 'toolWorking' : 'toolUsed', { name: item.name })),
    );
  },

  workflow(item, ctx) {
    const wf = item.workflow || {};
    const tasks = wf.tasks || [];
    const summary = wf.summary;
    const t = tr(ctx);
    const label = summary
      ? summary.title || (summary.duration !== undefined ? t('workedFor', { duration: t.formatSeconds(summary.duration) }) : t('done'))
      : tasks.length
        ? tasks[tasks.length - 1].title || t('working')
        : t('working');
    const details = h(
      'details',
      { class: 'ck-workflow', open: wf.expanded || !summary ? true : undefined },
      h(
        'summary',
        {},
        summary ? icon(summary.icon || 'check', { size: 14 }) : h('span', { class: 'ck-spinner', 'aria-hidden': 'true' }),
        h('span', {}, label),
      ),
      h('ol', { class: 'ck-tasks' }, tasks.map((task) => h('li', {}, renderTask(task, ctx)))),
    );
    return h('div', { class: 'ck-workflow-item' }, details);
  },

  task(item, ctx) {
    return h('div', { class: 'ck-task-item' }, renderTask(item.task || {}, ctx));
  },

  generated_image(item, ctx) {
    const el = h('figure', { class: 'ck-generated-image' });
    const image = item.image;
    if (image && image.url && imageAllowed(image.url, ctx.allowedImageDomains)) {
      el.append(h('img', { src: image.url, alt: tr(ctx)('generatedImage'), loading: 'lazy' }));
    } else {
      el.append(h('div', { class: 'ck-image-placeholder', role: 'img', 'aria-label': tr(ctx)('imageLoading') }));
    }
    if (item.progress !== undefined && item.progress < 1) {
      el.append(h('progress', { max: '1', value: String(item.progress), 'aria-label': tr(ctx)('imageProgress') }));
    }
    return el;
  },

  structured_input(item, ctx) {
    const t = tr(ctx);
    const rows = (item.inputs || []).map((input) => {
      const answer = input.answer;
      const text = !answer ? t(item.status === 'pending' ? 'waitingAnswer' : 'unanswered') : answer.skipped ? t('skipped') : answer.values.join(', ');
      return h('li', {}, h('span', { class: 'ck-si-question' }, input.question), ' ', h('span', { class: 'ck-si-answer' }, text));
    });
    return h('div', { class: `ck-structured ck-structured-${item.status || 'pending'}` }, h('ul', {}, rows));
  },
};

function renderTask(task, ctx) {
  const status = task.status_indicator || 'none';
  const indicator =
    status === 'loading'
      ? h('span', { class: 'ck-spinner', 'aria-label': tr(ctx)('inProgress') })
      : status === 'complete'
        ? icon('check', { size: 14 })
        : task.icon
          ? icon(task.icon, { size: 14 })
          : null;
  const body = h('div', { class: 'ck-task-body' });
  if (task.title) body.append(h('div', { class: 'ck-task-title' }, task.title));
  if (task.type === 'web_search') {
    for (const q of task.queries || []) body.append(h('div', { class: 'ck-task-query' }, q));
    body.append(sourceList(task.sources || [], ctx));
  } else if (task.type === 'file') {
    body.append(sourceList(task.sources || [], ctx));
  } else if (task.content) {
    const content = h('div', { class: 'ck-task-content ck-markdown' });
    content.append(ctx.markdown(task.content));
    body.append(content);
  }
  return h('div', { class: `ck-task ck-task-${status}` }, indicator, body);
}

function attachmentChip(attachment, ctx) {
  const preview =
    attachment.type === 'image' && attachment.preview_url && imageAllowed(attachment.preview_url, ctx.allowedImageDomains)
      ? h('img', { src: attachment.preview_url, alt: '', class: 'ck-attachment-preview' })
      : icon('document', { size: 16 });
  return h('span', { class: 'ck-attachment', title: attachment.name }, preview, h('span', { class: 'ck-attachment-name' }, attachment.name));
}

/** Fills an assistant message element: markdown with citation markers, then Sources. */
export function fillAssistant(el, item, ctx) {
  el.replaceChildren();
  const sources = [];
  for (const part of item.content || []) {
    const annotations = (part.annotations || []).filter((a) => a && a.source);
    const marked = insertMarkers(part.text || '', annotations);
    const body = h('div', { class: 'ck-markdown' });
    body.append(ctx.markdown(marked.text));
    replaceMarkers(body, (n) => {
      const annotation = annotations[n];
      let index = sources.indexOf(annotation.source);
      if (index < 0) index = sources.push(annotation.source) - 1;
      return marker(annotation.source, index + 1, ctx);
    });
    el.append(body);
  }
  el.setAttribute('aria-busy', String(!!item.__streaming));
  if (item.__streaming) {
    // The caret follows the last text: inside the last paragraph or list item when there is one.
    let host = el.lastElementChild || el;
    while (host.lastElementChild && ['P', 'UL', 'OL', 'LI', 'BLOCKQUOTE'].includes(host.lastElementChild.tagName)) host = host.lastElementChild;
    host.append(h('span', { class: 'ck-caret', 'aria-hidden': 'true' }));
  }
  if (sources.length) {
    el.append(
      h(
        'details',
        { class: 'ck-sources' },
        h('summary', {}, tr(ctx)('sources', { n: sources.length })),
        sourceList(sources, ctx, true),
      ),
    );
  }
}

const MARK = '\u2063';

function insertMarkers(text, annotations) {
  const order = annotations.map((a, i) => ({ index: Math.max(0, Math.min(text.length, a.index ?? text.length)), i }));
  order.sort((a, b) => b.index - a.index || b.i - a.i);
  let out = text.replaceAll(MARK, '');
  for (const { index, i } of order) out = `${out.slice(0, index)}${MARK}${i}${MARK}${out.slice(index)}`;
  return { text: out };
}

function replaceMarkers(root, make) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) if (walker.currentNode.nodeValue.includes(MARK)) nodes.push(walker.currentNode);
  const re = new RegExp(`${MARK}(\\d+)${MARK}`, 'g');
  for (const node of nodes) {
    const parts = [];
    let last = 0;
    const value = node.nodeValue;
    for (const m of value.matchAll(re)) {
      parts.push(document.createTextNode(value.slice(last, m.index)));
      parts.push(make(Number(m[1])));
      last = m.index + m[0].length;
    }
    parts.push(document.createTextNode(value.slice(last).replaceAll(MARK, '')));
    node.replaceWith(...parts);
  }
}

function marker(source, n, ctx) {
  if (source.type === 'entity') {
    const entity = entityOf(source);
    const label = source.inline_label || null;
    const el = h(
      source.interactive ? 'button' : 'span',
      { class: 'ck-cite ck-cite-entity', type: source.interactive ? 'button' : undefined, 'aria-label': source.title },
      label ? label : icon(source.icon || 'dot', { size: 12 }),
    );
    if (source.interactive) ctx.entityInteractive(el, entity, source);
    return el;
  }
  if (source.type === 'url' && linkAllowed(source.url)) {
    return h('a', { class: 'ck-cite', href: source.url, target: '_blank', rel: 'noopener noreferrer', 'aria-label': tr(ctx)('source', { n, title: source.title }) }, String(n));
  }
  return h('sup', { class: 'ck-cite', title: source.title }, String(n));
}

function entityOf(source) {
  const entity = { id: source.id, title: source.title, interactive: !!source.interactive, data: source.data || {} };
  if (source.icon) entity.icon = source.icon;
  if (source.group) entity.group = source.group;
  return entity;
}

function sourceList(sources, ctx, numbered = false) {
  const list = h(numbered ? 'ol' : 'ul', { class: 'ck-source-list' });
  for (const source of sources) {
    let row;
    if (source.type === 'url' && linkAllowed(source.url)) {
      row = h('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer' }, source.title || source.url);
    } else if (source.type === 'entity') {
      const entity = entityOf(source);
      row = h(source.interactive ? 'button' : 'span', { type: source.interactive ? 'button' : undefined, class: 'ck-source-entity' }, icon(source.icon || 'dot', { size: 14 }), source.label ? `${source.label}: ` : '', source.title);
      if (source.interactive) ctx.entityInteractive(row, entity, source);
    } else {
      row = h('span', {}, source.title || source.filename || '');
    }
    list.append(h('li', {}, row, source.description ? h('div', { class: 'ck-source-desc' }, source.description) : null));
  }
  return list;
}

