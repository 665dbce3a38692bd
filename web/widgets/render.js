// Widget rendering: one WidgetView per widget item, re-rendered from its JSON on every
// change; user input (values, focus, "show more") survives by component key and field name.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { imageAllowed } from '../markdown.js';
import { renderChart } from './chart.js';
import { dispatchAction } from './actions.js';
import {
  color, space, applyBox, applyFlex, applyDimensions, applySpacing, radius, dim,
  TEXT_SIZE, TITLE_SIZE, CAPTION_SIZE, ICON_SIZE, CONTROL_HEIGHT, WEIGHT, TEXT_ALIGN, fontSize,
} from './style.js';

let uid = 0;

export class WidgetView {
  constructor(panel, item, { preview = false } = {}) {
    this.panel = panel;
    this.item = item;
    this.preview = preview;
    this.uid = `w${++uid}`;
    this.el = h('div', { class: 'ck-widget' });
    this.expanded = new Set();
    this.transitions = new Map();
    this.busy = new Map();
    this.render();
  }

  get widget() {
    return this.item?.widget;
  }

  update(item) {
    this.item = item;
    this.busy.clear();
    this.render();
  }

  /** Applies a `thread.item.updated` widget update. */
  applyUpdate(update) {
    const widget = this.item.widget;
    if (update.type === 'widget.root.updated') {
      this.item.widget = update.widget;
    } else if (update.type === 'widget.component.updated') {
      if (widget?.id === update.component_id) this.item.widget = update.component;
      else replaceComponent(widget, update.component_id, update.component);
    } else if (update.type === 'widget.streaming_text.value_delta') {
      const node = findComponent(widget, update.component_id);
      if (node) {
        node.value = (node.value || '') + (update.delta || '');
        if (update.done) node.streaming = false;
      }
    }
    this.render();
  }

  render() {
    const state = captureState(this.el);
    const widget = this.widget;
    const scheme = widget?.theme || this.panel.root?.dataset.scheme || 'light';
    const ctx = { view: this, scheme, path: '0', controls: new Map() };
    const root = widget ? renderNode(widget, ctx, true) : null;
    this.el.replaceChildren();
    if (root) this.el.append(root);
    // A Label bound to a control names it; the placeholder fallback name would hide it.
    for (const label of this.el.querySelectorAll('label[for]')) {
      const target = this.el.querySelector(`#${CSS.escape(label.htmlFor)}`);
      target?.removeAttribute('aria-label');
    }
    restoreState(this.el, state);
    for (const [path, kind] of this.busy) this.markBusy(path, kind, true);
    if (this.queuedPath && this.item?.id && this.panel.hasQueued?.(this.item.id)) {
      const node = this.el.querySelector(`[data-ck-path="${this.queuedPath}"]`);
      if (node) {
        node.dataset.ckQueued = '1';
        node.setAttribute('aria-busy', 'true');
        node.classList.add('ck-queued');
      }
    }
  }

  /** Shows or clears the loading state of the node at `path` (`self`) or the whole widget. */
  markBusy(path, kind, on) {
    if (on) this.busy.set(path, kind);
    else this.busy.delete(path);
    if (kind === 'container') {
      const root = this.el.firstElementChild;
      if (!root) return;
      root.classList.toggle('ck-container-loading', on);
      root.inert = on;
      root.setAttribute('aria-busy', String(on));
      return;
    }
    const node = this.el.querySelector(`[data-ck-path="${path}"]`);
    if (!node) return;
    node.classList.toggle('ck-self-loading', on);
    node.setAttribute('aria-busy', String(on));
    if (on && !node.querySelector(':scope > .ck-node-spinner')) node.append(h('span', { class: 'ck-node-spinner ck-spinner', 'aria-hidden': 'true' }));
    if (!on) node.querySelector(':scope > .ck-node-spinner')?.remove();
  }

  clearQueued() {
    for (const node of this.el.querySelectorAll('[data-ck-queued]')) {
      node.removeAttribute('data-ck-queued');
      node.setAttribute('aria-busy', 'false');
      node.classList.remove('ck-queued');
    }
  }
}

/** Renders an entity preview (`Basic` or any root) without actions to the server. */
export function renderPreview(widget, panel) {
  const view = new WidgetView(panel, { id: null, widget }, { preview: true });
  return view.el;
}

function findComponent(node, id) {
  if (!node || typeof node !== 'object') return null;
  if (node.id === id) return node;
  for (const child of childrenOf(node)) {
    const found = findComponent(child, id);
    if (found) return found;
  }
  return null;
}

function replaceComponent(node, id, replacement) {
  if (!node || typeof node !== 'object') return false;
  for (const key of ['children', 'child']) {
    const list = node[key];
    if (Array.isArray(list)) {
      const at = list.findIndex((c) => c && c.id === id);
      if (at >= 0) {
        list[at] = replacement;
        return true;
      }
      if (list.some((c) => replaceComponent(c, id, replacement))) return true;
    } else if (list && typeof list === 'object') {
      if (list.id === id) {
        node[key] = replacement;
        return true;
      }
      if (replaceComponent(list, id, replacement)) return true;
    }
  }
  return false;
}

function childrenOf(node) {
  if (Array.isArray(node.children)) return node.children;
  if (node.children && typeof node.children === 'object') return [node.children];
  return [];
}

// ---- state across re-renders -------------------------------------------------------------

function controlId(el) {
  return el.dataset.ckState;
}

function captureState(container) {
  const state = { values: new Map(), focus: null, expanded: new Set() };
  for (const el of container.querySelectorAll('[data-ck-state]')) {
    const id = controlId(el);
    if (el.type === 'checkbox' || el.type === 'radio') state.values.set(`${id}|${el.value}`, { checked: el.checked, dirty: el.dataset.dirty === '1' });
    else state.values.set(id, { value: el.value, dirty: el.dataset.dirty === '1' });
  }
  const active = container.getRootNode().activeElement;
  if (active && container.contains(active) && active.dataset.ckState) {
    state.focus = { id: active.dataset.ckState, start: active.selectionStart, end: active.selectionEnd };
  }
  for (const el of container.querySelectorAll('[data-ck-expanded="1"]')) state.expanded.add(el.dataset.ckKey);
  return state;
}

function restoreState(container, state) {
  for (const el of container.querySelectorAll('[data-ck-state]')) {
    const id = controlId(el);
    if (el.type === 'checkbox' || el.type === 'radio') {
      const saved = state.values.get(`${id}|${el.value}`);
      if (saved?.dirty) {
        el.checked = saved.checked;
        el.dataset.dirty = '1';
      }
    } else {
      const saved = state.values.get(id);
      if (saved?.dirty) {
        el.value = saved.value;
        el.dataset.dirty = '1';
      }
    }
  }
  if (state.focus) {
    const el = [...container.querySelectorAll('[data-ck-state]')].find((e) => e.dataset.ckState === state.focus.id);
    if (el) {
      el.focus();
      try {
        if (state.focus.start !== null && state.focus.start !== undefined) el.setSelectionRange(state.focus.start, state.focus.end);
      } catch {
        // Not a text control.
      }
    }
  }
  for (const key of state.expanded) {
    const list = [...container.querySelectorAll('[data-ck-key]')].find((e) => e.dataset.ckKey === key && e.classList.contains('ck-listview'));
    list?.__expand?.();
  }
}

// ---- components --------------------------------------------------------------------------

function renderChildren(node, ctx, parent) {
  childrenOf(node).forEach((child, i) => {
    const el = renderNode(child, { ...ctx, path: `${ctx.path}.${i}` });
    if (el) parent.append(el);
  });
}

function renderNode(node, ctx, isRoot = false) {
  if (!node || typeof node !== 'object' || typeof node.type !== 'string') return null;
  const render = COMPONENTS[node.type];
  if (!render) return null;
  let scheme = ctx.scheme;
  if (node.theme === 'light' || node.theme === 'dark') scheme = node.theme;
  const keyPath = node.key ? `${ctx.keyPath || ''}/${node.key}` : ctx.keyPath || '';
  const el = render(node, { ...ctx, scheme, keyPath, isRoot });
  if (!el) return null;
  el.classList.add(`ck-w-${node.type.replace('.', '-').toLowerCase()}`);
  el.dataset.ckPath = ctx.path;
  if (node.key !== undefined) el.dataset.ckKey = String(node.key);
  if (node.id !== undefined) el.dataset.ckId = String(node.id);
  if (node.theme === 'light' || node.theme === 'dark') el.dataset.scheme = node.theme;
  return el;
}

function textStyle(el, node, ctx, { sizes, defaultSize, defaultColor, defaultWeight }) {
  const size = sizes[node.size] ?? sizes[defaultSize];
  el.style.fontSize = fontSize(size);
  const weight = WEIGHT[node.weight] ?? (defaultWeight ? WEIGHT[defaultWeight] : null);
  if (weight) el.style.fontWeight = String(weight);
  const c = color(node.color ?? defaultColor, ctx.scheme, 'text');
  if (c) el.style.color = c;
  if (TEXT_ALIGN[node.textAlign]) el.style.textAlign = TEXT_ALIGN[node.textAlign];
  if (node.italic) el.style.fontStyle = 'italic';
  if (node.lineThrough) el.style.textDecoration = 'line-through';
  if (node.truncate) el.classList.add('ck-truncate');
  if (typeof node.maxLines === 'number' && node.maxLines > 0) {
    el.classList.add('ck-clamp');
    el.style.webkitLineClamp = String(node.maxLines);
    el.style.lineClamp = String(node.maxLines);
  }
  if (typeof node.minLines === 'number' && node.minLines > 0) el.style.minHeight = `calc(${node.minLines} * 1.5em)`;
  const w = dim(node.width);
  if (w) el.style.width = w;
}

function fieldKey(ctx, name) {
  return `${ctx.keyPath}|${name}`;
}

function control(el, node, ctx) {
  el.dataset.ckState = fieldKey(ctx, node.name ?? ctx.path);
  if (node.name !== undefined) {
    el.dataset.ckName = String(node.name);
    el.id = `${ctx.view.uid}-${String(node.name).replace(/[^a-zA-Z0-9_.-]/g, '_')}`;
  }
  if (node.disabled) el.disabled = true;
  el.addEventListener('input', () => {
    el.dataset.dirty = '1';
  });
  el.addEventListener('change', () => {
    el.dataset.dirty = '1';
  });
  if (node.autoFocus && !ctx.view.autofocused) {
    ctx.view.autofocused = true;
    queueMicrotask(() => {
      if (el.isConnected) el.focus({ preventScroll: true });
    });
  }
  if (node.autoSelect) el.addEventListener('focus', () => el.select?.(), { once: true });
  return el;
}

function controlSize(el, node, fallback = 'md') {
  const height = CONTROL_HEIGHT[node.size] ?? CONTROL_HEIGHT[fallback];
  el.style.minHeight = `${height}px`;
  if (node.pill) el.classList.add('ck-pill');
  if (node.block) el.classList.add('ck-block');
  el.classList.add(`ck-variant-${['soft', 'outline', 'solid', 'ghost'].includes(node.variant) ? node.variant : 'outline'}`);
}

function onAction(el, ctx, node, action, binding, event = 'click') {
  if (!action) return;
  el.addEventListener(event, (e) => {
    if (event === 'click') {
      e.preventDefault();
      e.stopPropagation();
    }
    dispatchAction(ctx.view, action, { node: el, binding, path: el.dataset.ckPath || ctx.path, component: node });
  });
}

const COMPONENTS = {
  Card(node, ctx) {
    const size = ['sm', 'md', 'lg', 'full'].includes(node.size) ? node.size : 'md';
    const card = h('div', { class: `ck-card ck-card-${size}` });
    if (node.asForm) card.dataset.asForm = '1';
    applySpacing(card.style, 'padding', node.padding);
    const bg = color(node.background, ctx.scheme, 'background');
    if (bg) card.style.background = bg;
    if (node.border !== undefined) applyBox(card, { border: node.border }, ctx.scheme);
    if (node.status) card.append(status(node.status, ctx));
    const body = h('div', { class: 'ck-card-body' });
    renderChildren(node, ctx, body);
    if (node.collapsed) {
      const toggle = h('button', { type: 'button', class: 'ck-card-expand', 'aria-expanded': 'false' }, icon('chevron-down', { size: 14 }), ctx.view.panel.t('showDetails'));
      body.hidden = true;
      toggle.addEventListener('click', () => {
        body.hidden = !body.hidden;
        toggle.setAttribute('aria-expanded', String(!body.hidden));
        toggle.lastChild.textContent = ctx.view.panel.t(body.hidden ? 'showDetails' : 'hideDetails');
      });
      card.append(toggle);
    }
    card.append(body);
    if (node.confirm || node.cancel) {
      const footer = h('div', { class: 'ck-card-footer' });
      if (node.cancel) {
        const cancel = h('button', { type: 'button', class: 'ck-btn ck-btn-secondary ck-variant-soft', dataset: { ckPath: `${ctx.path}.cancel` } }, node.cancel.label || ctx.view.panel.t('cancel'));
        onAction(cancel, { ...ctx, path: `${ctx.path}.cancel` }, node, node.cancel.action, 'cancel');
        footer.append(cancel);
      }
      if (node.confirm) {
        const confirm = h('button', { type: 'button', class: 'ck-btn ck-btn-primary ck-variant-solid', dataset: { ckPath: `${ctx.path}.confirm` } }, node.confirm.label || ctx.view.panel.t('confirm'));
        onAction(confirm, { ...ctx, path: `${ctx.path}.confirm` }, node, node.confirm.action, 'confirm');
        footer.append(confirm);
      }
      card.append(footer);
    }
    return card;
  },

  ListView(node, ctx) {
    const list = h('div', { class: 'ck-listview' });
    if (node.status) list.append(status(node.status, ctx));
    const rows = h('div', { class: 'ck-listview-rows', role: 'list' });
    renderChildren(node, ctx, rows);
    list.append(rows);
    const all = [...rows.children];
    let limit = node.limit === 'auto' ? (all.length <= 6 ? all.length : 5) : typeof node.limit === 'number' ? node.limit : all.length;
    if (limit < all.length) {
      for (const row of all.slice(limit)) row.hidden = true;
      const more = h('button', { type: 'button', class: 'ck-show-more' }, ctx.view.panel.t('showMore', { n: all.length - limit }));
      const expand = () => {
        for (const row of all) row.hidden = false;
        more.remove();
        list.dataset.ckExpanded = '1';
      };
      more.addEventListener('click', expand);
      list.__expand = expand;
      list.append(more);
    }
    return list;
  },

  ListViewItem(node, ctx) {
    const row = h('div', { class: 'ck-lvi', role: 'listitem' });
    applyFlex(row, node, { direction: 'row', align: 'center' });
    const gap = space(node.gap ?? 2);
    if (gap) row.style.gap = gap;
    renderChildren(node, ctx, row);
    if (node.onClickAction) {
      row.classList.add('ck-clickable');
      const inner = h('div', { class: 'ck-lvi-button', role: 'button', tabindex: '0' });
      while (row.firstChild) inner.append(row.firstChild);
      Object.assign(inner.style, { display: row.style.display, flexDirection: row.style.flexDirection, alignItems: row.style.alignItems, gap: row.style.gap, justifyContent: row.style.justifyContent });
      row.removeAttribute('style');
      row.append(inner);
      inner.dataset.ckPath = ctx.path;
      onAction(inner, ctx, node, node.onClickAction, 'click');
      inner.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          inner.click();
        }
      });
    }
    return row;
  },

  Basic(node, ctx) {
    const el = h('div', { class: 'ck-basic' });
    applyFlex(el, node, { direction: node.direction === 'row' ? 'row' : 'column' });
    applySpacing(el.style, 'padding', node.padding);
    renderChildren(node, ctx, el);
    return el;
  },

  Box(node, ctx) {
    return box(node, ctx, node.direction === 'row' ? 'row' : 'column', 'stretch');
  },
  Row(node, ctx) {
    return box(node, ctx, 'row', 'center');
  },
  Col(node, ctx) {
    return box(node, ctx, 'column', 'stretch');
  },

  Form(node, ctx) {
    const form = h('form', { class: 'ck-form' });
    applyFlex(form, node, { direction: node.direction === 'row' ? 'row' : 'column' });
    applyBox(form, node, ctx.scheme);
    renderChildren(node, ctx, form);
    let viaEnter = false;
    form.addEventListener('keydown', (e) => {
      viaEnter = e.key === 'Enter' && e.target.tagName === 'INPUT';
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const submitter = viaEnter ? null : e.submitter;
      viaEnter = false;
      if (!node.onSubmitAction) return;
      const target = submitter || form;
      dispatchAction(ctx.view, node.onSubmitAction, {
        node: target,
        binding: submitter ? 'submit' : 'submit-enter',
        path: target.dataset.ckPath || ctx.path,
        component: node,
        validated: true,
      });
    });
    return form;
  },

  Spacer(node) {
    const el = h('div', { class: 'ck-spacer', 'aria-hidden': 'true' });
    el.style.flex = '1 1 auto';
    const min = dim(node.minSize);
    if (min) {
      el.style.minWidth = min;
      el.style.minHeight = min;
    }
    return el;
  },

  Divider(node, ctx) {
    const el = h('div', { class: 'ck-divider', role: 'separator' });
    el.style.setProperty('--ck-divider-size', `${typeof node.size === 'number' ? node.size : 1}px`);
    el.style.setProperty('--ck-divider-color', color(node.color ?? 'default', ctx.scheme, 'border') || 'var(--ck-border-default)');
    const sp = space(node.spacing);
    if (sp) el.style.setProperty('--ck-divider-spacing', sp);
    if (node.flush) el.classList.add('ck-flush');
    return el;
  },

  Transition(node, ctx) {
    const el = h('div', { class: 'ck-transition' });
    const child = Array.isArray(node.children) ? node.children[0] : node.children;
    const rendered = renderNode(child, { ...ctx, path: `${ctx.path}.0` });
    if (rendered) el.append(rendered);
    const identity = child ? `${child.type}:${child.key ?? ''}` : '';
    const previous = ctx.view.transitions.get(ctx.path);
    if (previous !== undefined && previous !== identity) el.classList.add('ck-transition-enter');
    ctx.view.transitions.set(ctx.path, identity);
    return el;
  },

  Text(node, ctx) {
    if (node.editable && typeof node.editable === 'object') {
      const e = node.editable;
      const input = h('input', {
        type: 'text',
        class: 'ck-input-field ck-text-editable',
        name: e.name,
        value: node.value ?? '',
        placeholder: e.placeholder,
        required: !!e.required,
        pattern: e.pattern,
        autocomplete: e.autoComplete,
        'aria-label': e.placeholder || e.name,
      });
      textStyle(input, node, ctx, { sizes: TEXT_SIZE, defaultSize: 'md', defaultColor: 'prose' });
      return control(input, { ...e, name: e.name, disabled: node.disabled }, ctx);
    }
    const el = h('div', { class: 'ck-text' }, String(node.value ?? ''));
    textStyle(el, node, ctx, { sizes: TEXT_SIZE, defaultSize: 'md', defaultColor: 'prose' });
    if (node.streaming) el.append(h('span', { class: 'ck-caret', 'aria-hidden': 'true' }));
    return el;
  },

  Title(node, ctx) {
    const el = h('div', { class: 'ck-title-text', role: 'heading', 'aria-level': '3' }, String(node.value ?? ''));
    textStyle(el, node, ctx, { sizes: TITLE_SIZE, defaultSize: 'md', defaultColor: 'primary', defaultWeight: 'semibold' });
    return el;
  },

  Caption(node, ctx) {
    const el = h('div', { class: 'ck-caption' }, String(node.value ?? ''));
    textStyle(el, node, ctx, { sizes: CAPTION_SIZE, defaultSize: 'md', defaultColor: 'secondary' });
    return el;
  },

  Markdown(node, ctx) {
    const el = h('div', { class: 'ck-markdown ck-widget-markdown' });
    el.append(ctx.view.panel.markdown(String(node.value ?? '')));
    if (node.streaming) el.append(h('span', { class: 'ck-caret', 'aria-hidden': 'true' }));
    return el;
  },

  Label(node, ctx) {
    const el = h('label', { class: 'ck-label', for: node.fieldName !== undefined ? `${ctx.view.uid}-${String(node.fieldName).replace(/[^a-zA-Z0-9_.-]/g, '_')}` : undefined }, String(node.value ?? ''));
    textStyle(el, node, ctx, { sizes: TEXT_SIZE, defaultSize: 'sm', defaultColor: 'primary', defaultWeight: 'medium' });
    return el;
  },

  Badge(node) {
    const c = ['secondary', 'success', 'danger', 'warning', 'info', 'discovery'].includes(node.color) ? node.color : 'secondary';
    const v = ['solid', 'soft', 'outline'].includes(node.variant) ? node.variant : 'soft';
    const s = ['sm', 'md', 'lg'].includes(node.size) ? node.size : 'sm';
    return h('span', { class: `ck-badge ck-badge-${c} ck-badge-${v} ck-badge-${s}${node.pill ? ' ck-pill' : ''}` }, String(node.label ?? ''));
  },

  Icon(node, ctx) {
    const size = ICON_SIZE[node.size] ?? ICON_SIZE.md;
    const el = h('span', { class: 'ck-w-icon-wrap' }, icon(node.name, { size }));
    const c = color(node.color, ctx.scheme, 'text');
    if (c) el.style.color = c;
    return el;
  },

  Image(node, ctx) {
    const allowed = ctx.view.panel.thread?.allowed_image_domains;
    const src = typeof node.src === 'string' ? node.src : '';
    let el;
    if (src && imageAllowed(src, allowed)) {
      el = h('img', { class: 'ck-image', src, alt: node.alt ?? '', loading: 'lazy' });
    } else {
      el = h('div', { class: 'ck-image ck-image-placeholder', role: 'img', 'aria-label': node.alt || ctx.view.panel.t('imageNotShown') });
    }
    const fit = ['cover', 'contain', 'fill', 'scale-down', 'none'].includes(node.fit) ? node.fit : null;
    if (fit) el.style.objectFit = fit;
    const pos = String(node.position ?? '').replace('-', ' ');
    if (/^(top|center|bottom)( (left|center|right))?$|^(left|right)$/.test(pos)) el.style.objectPosition = pos;
    applyDimensions(el.style, node);
    applySpacing(el.style, 'margin', node.margin);
    const r = radius(node.radius);
    if (r) el.style.borderRadius = r;
    if (node.frame) el.classList.add('ck-image-frame');
    if (node.flush) el.classList.add('ck-flush');
    const bg = color(node.background, ctx.scheme, 'background');
    if (bg) el.style.background = bg;
    return el;
  },

  Button(node, ctx) {
    const preset = node.style === 'primary' ? { color: 'primary', variant: 'solid' } : node.style === 'secondary' ? { color: 'secondary', variant: 'soft' } : { color: 'secondary', variant: 'solid' };
    const c = ['primary', 'secondary', 'info', 'discovery', 'success', 'caution', 'warning', 'danger'].includes(node.color) ? node.color : preset.color;
    const v = ['solid', 'soft', 'outline', 'ghost'].includes(node.variant) ? node.variant : preset.variant;
    const iconSize = ICON_SIZE[node.iconSize] ?? 16;
    const label = node.label !== undefined && node.label !== null ? String(node.label) : '';
    const el = h(
      'button',
      { type: node.submit ? 'submit' : 'button', class: `ck-btn ck-btn-${c} ck-variant-${v}`, 'aria-label': label ? undefined : node.iconStart || node.iconEnd || ctx.view.panel.t('button') },
      node.iconStart ? icon(node.iconStart, { size: iconSize }) : null,
      label ? h('span', { class: 'ck-btn-label' }, label) : null,
      node.iconEnd ? icon(node.iconEnd, { size: iconSize }) : null,
    );
    const height = CONTROL_HEIGHT[node.size] ?? CONTROL_HEIGHT.md;
    el.style.minHeight = `${height}px`;
    if (node.uniform) {
      el.classList.add('ck-uniform');
      el.style.width = `${height}px`;
    }
    if (node.pill) el.classList.add('ck-pill');
    if (node.block) el.classList.add('ck-block');
    if (node.disabled) {
      el.disabled = true;
      return el;
    }
    if (node.onClickAction && !node.submit) onAction(el, ctx, node, node.onClickAction, 'click');
    else if (node.onClickAction && node.submit) {
      // A submit button with its own action: the form's validation runs first, then this action.
      el.addEventListener('click', (e) => {
        const form = el.form;
        e.preventDefault();
        if (form && !form.reportValidity()) return;
        dispatchAction(ctx.view, node.onClickAction, { node: el, binding: 'click', path: ctx.path, component: node, validated: true });
      });
    }
    return el;
  },

  Input(node, ctx) {
    const type = ['text', 'number', 'email', 'password', 'tel', 'url'].includes(node.inputType) ? node.inputType : 'text';
    const el = h('input', {
      type,
      class: 'ck-input-field',
      name: node.name,
      value: node.defaultValue ?? undefined,
      placeholder: node.placeholder,
      required: !!node.required,
      pattern: node.pattern,
      autocomplete: node.allowAutofillExtensions ? undefined : 'off',
      'aria-label': node.placeholder || node.name,
    });
    controlSize(el, node);
    if (node.gutterSize) el.classList.add(`ck-gutter-${node.gutterSize}`);
    return control(el, node, ctx);
  },

  Textarea(node, ctx) {
    const el = h('textarea', {
      class: 'ck-input-field ck-textarea',
      name: node.name,
      placeholder: node.placeholder,
      required: !!node.required,
      rows: String(node.rows ?? 3),
      'aria-label': node.placeholder || node.name,
    });
    el.value = node.defaultValue ?? '';
    controlSize(el, node);
    if (node.autoResize) {
      const maxRows = node.maxRows ?? 10;
      el.addEventListener('input', () => {
        el.style.height = 'auto';
        const line = parseFloat(getComputedStyle(el).lineHeight) || 20;
        el.style.height = `${Math.min(el.scrollHeight, line * maxRows + 16)}px`;
      });
    }
    return control(el, node, ctx);
  },

  Select(node, ctx) {
    const el = h('select', { class: 'ck-input-field ck-select', name: node.name, 'aria-label': node.placeholder || node.name });
    const hasDefault = node.defaultValue !== undefined && node.defaultValue !== null;
    el.append(h('option', { value: '', disabled: !node.clearable, selected: !hasDefault }, node.placeholder ?? ''));
    for (const option of node.options || []) {
      el.append(h('option', { value: String(option.value), disabled: !!option.disabled, selected: hasDefault && option.value === node.defaultValue, title: option.description }, String(option.label ?? option.value)));
    }
    controlSize(el, node);
    control(el, node, ctx);
    if (node.onChangeAction) changeAction(el, ctx, node);
    return el;
  },

  DatePicker(node, ctx) {
    const el = h('input', {
      type: 'date',
      class: 'ck-input-field ck-date',
      name: node.name,
      value: isoDate(node.defaultValue),
      min: isoDate(node.min),
      max: isoDate(node.max),
      'aria-label': node.placeholder || node.name,
    });
    controlSize(el, node);
    control(el, node, ctx);
    if (node.onChangeAction) changeAction(el, ctx, node);
    return el;
  },

  Checkbox(node, ctx) {
    const input = h('input', { type: 'checkbox', name: node.name, required: !!node.required, checked: !!node.defaultChecked });
    control(input, node, ctx);
    const el = h('label', { class: 'ck-checkbox' }, input, node.label !== undefined ? h('span', {}, String(node.label)) : null);
    if (node.onChangeAction) changeAction(input, ctx, node);
    return el;
  },

  RadioGroup(node, ctx) {
    const el = h('div', { class: `ck-radiogroup ck-dir-${node.direction === 'col' ? 'col' : 'row'}`, role: 'radiogroup', 'aria-label': node.ariaLabel || node.name });
    const group = `${ctx.view.uid}-${ctx.path}-${node.name}`;
    for (const option of node.options || []) {
      const input = h('input', { type: 'radio', name: group, value: String(option.value), required: !!node.required, checked: option.value === node.defaultValue, disabled: !!(option.disabled || node.disabled) });
      input.dataset.ckState = fieldKey(ctx, node.name ?? ctx.path);
      input.dataset.ckRadio = String(node.name ?? '');
      input.addEventListener('change', () => {
        for (const r of el.querySelectorAll('input')) r.dataset.dirty = '1';
      });
      if (node.onChangeAction) changeAction(input, ctx, node, el);
      el.append(h('label', { class: 'ck-radio' }, input, h('span', {}, String(option.label ?? option.value))));
    }
    if (node.name !== undefined) el.dataset.ckName = String(node.name);
    el.dataset.ckRadiogroup = '1';
    return el;
  },

  Table(node, ctx) {
    const table = h('table', { class: 'ck-table' });
    const body = h('tbody');
    renderChildren(node, ctx, body);
    table.append(body);
    return table;
  },

  'Table.Row'(node, ctx) {
    const row = h('tr');
    childrenOf(node).forEach((cell, i) => {
      const el = renderCell(cell, { ...ctx, path: `${ctx.path}.${i}` }, !!node.header);
      if (el) row.append(el);
    });
    return row;
  },

  'Table.Cell'(node, ctx) {
    return renderCell(node, ctx, false);
  },

  Chart(node, ctx) {
    return renderChart(node, ctx);
  },
};

function renderCell(node, ctx, header) {
  if (!node || node.type !== 'Table.Cell') return renderNode(node, ctx);
  const cell = h(header ? 'th' : 'td', { class: 'ck-cell', scope: header ? 'col' : undefined });
  if (Number.isInteger(node.colSpan) && node.colSpan > 1) cell.colSpan = node.colSpan;
  if (Number.isInteger(node.rowSpan) && node.rowSpan > 1) cell.rowSpan = node.rowSpan;
  const w = dim(node.width);
  if (w) cell.style.width = w;
  applySpacing(cell.style, 'padding', node.padding);
  if (TEXT_ALIGN[node.align]) cell.style.textAlign = TEXT_ALIGN[node.align];
  const v = { start: 'top', center: 'middle', end: 'bottom' }[node.vAlign];
  if (v) cell.style.verticalAlign = v;
  if (node.colSize) cell.classList.add(`ck-col-${node.colSize}`);
  renderChildren(node, ctx, cell);
  cell.dataset.ckPath = ctx.path;
  return cell;
}

function box(node, ctx, direction, align) {
  const el = h('div', { class: 'ck-box' });
  applyFlex(el, node, { direction, align });
  applyBox(el, node, ctx.scheme);
  renderChildren(node, ctx, el);
  return el;
}

function status(value, ctx) {
  const el = h('div', { class: 'ck-status' });
  if (value.favicon && imageAllowed(value.favicon, ctx.view.panel.thread?.allowed_image_domains)) {
    el.append(h('img', { class: `ck-favicon${value.frame ? ' ck-favicon-frame' : ''}`, src: value.favicon, alt: '' }));
  } else if (value.icon) {
    el.append(icon(value.icon, { size: 14 }));
  }
  el.append(h('span', {}, String(value.text ?? '')));
  return el;
}

function changeAction(el, ctx, node, nodeEl) {
  el.addEventListener('change', () => {
    dispatchAction(ctx.view, node.onChangeAction, { node: nodeEl || el, binding: 'change', path: ctx.path, component: node, changed: nodeEl || el });
  });
}

function isoDate(value) {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return m ? m[1] : undefined;
}

