// <chatkit-panel>: an open ChatKit client as a custom element. Plain ES modules, no build step.
//
//   <script type="module" src="/chatkit-panel.js"></script>
//   <chatkit-panel></chatkit-panel>
//   document.querySelector('chatkit-panel').setOptions({api: {url: '/chatkit'}});

import { h, button } from './dom.js';
import { icon } from './icons.js';
import { ChatKitApi, ChatKitError } from './protocol.js';
import { renderMarkdown, copyText } from './markdown.js';
import { renderItem, fillAssistant, assistantText } from './items.js';
import { Composer, tagChip } from './composer.js';
import { WidgetView } from './widgets/render.js';
import { Extras } from './extras.js';
import { translator } from './i18n.js';

/** Handler keys accepted inside `setOptions` (as the React wrapper does) → event names. */
const HANDLER_KEYS = {
  onReady: 'ready',
  onError: 'error',
  onLog: 'log',
  onResponseStart: 'response.start',
  onResponseEnd: 'response.end',
  onThreadChange: 'thread.change',
  onThreadLoadStart: 'thread.load.start',
  onThreadLoadEnd: 'thread.load.end',
  onToolChange: 'tool.change',
  onEffect: 'effect',
  onDeeplink: 'deeplink',
};

/** Items per `items.list` page unless `thread.pageSize` says otherwise. */
const PAGE = 30;
/** Pixels from the top of the transcript at which older items are fetched. */
const OLDER_MARGIN = 160;

export class ChatKitPanel extends HTMLElement {
  #options = {};
  #api = null;
  #ready = false;
  #threadId = null;
  #thread = null;
  #items = [];
  #views = new Map();
  #stream = null;
  #queue = new Map();
  #history = { open: false, threads: [], after: null, hasMore: false, loading: false };
  #pendingUser = null;
  #feedback = new Map();
  #loadToken = 0;
  #renderScheduled = new Set();
  /** Paging towards older items of the shown thread (`items.list`, newest first). */
  #older = { after: null, hasMore: false, loading: false };
  /** Scroll position per thread id: `{bottom: true}` or `{itemId, offset}`. */
  #scrollMemory = new Map();
  /** Whether the view was at the end of the transcript at the last scroll. */
  #atEnd = true;
  /** The last sent user message is kept at the top while its reply streams (autoScroll off). */
  #anchored = false;
  #locale = undefined;

  constructor() {
    super();
    /** UI strings and formats of the current `locale` (see i18n.js). */
    this.t = translator();
    const t = this.t;
    this.attachShadow({ mode: 'open' });
    const css = h('link', { rel: 'stylesheet', href: new URL('./chatkit.css', import.meta.url).href });
    this.composer = new Composer({
      onSend: () => this.#sendFromComposer(),
      onStop: () => this.stop(),
      onInput: () => this.extras.onComposerInput(),
      onKeyDown: (event) => this.extras.onComposerKeyDown(event),
    });
    this.extras = new Extras(this);
    this.titleEl = h('h1', { class: 'ck-title', id: 'ck-title' }, t('newChat'));
    this.headerLeft = h('div', { class: 'ck-header-side' });
    this.headerRight = h('div', { class: 'ck-header-side' });
    this.header = h('header', { class: 'ck-header' }, this.headerLeft, this.titleEl, this.headerRight);
    this.historyList = h('ul', { class: 'ck-history-list', role: 'list' });
    this.historyMore = h('button', { type: 'button', class: 'ck-history-more', hidden: true, onclick: () => this.#loadHistory(false) });
    this.historyHeading = h('h2', {});
    this.historyClose = h('button', { type: 'button', class: 'ck-icon-button', onclick: () => this.hideHistory() }, icon('close'));
    this.historyPanel = h(
      'nav',
      { class: 'ck-history', hidden: true },
      h('div', { class: 'ck-history-head' }, this.historyHeading, this.historyClose),
      this.historyList,
      this.historyMore,
    );
    this.historyList.parentElement.addEventListener('scroll', () => {
      const el = this.historyPanel;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 40 && this.#history.hasMore && !this.#history.loading) this.#loadHistory(false);
    });
    this.greetingEl = h('h2', { class: 'ck-greeting' });
    this.promptsEl = h('div', { class: 'ck-prompts', role: 'group' });
    this.startEl = h('div', { class: 'ck-start' }, this.greetingEl, this.promptsEl);
    this.itemsEl = h('div', { class: 'ck-items' });
    this.progressEl = h('div', { class: 'ck-progress', role: 'status', 'aria-live': 'polite', hidden: true });
    this.errorEl = h('div', { class: 'ck-error-slot' });
    this.olderEl = h('div', { class: 'ck-older', hidden: true });
    this.spacerEl = h('div', { class: 'ck-spacer', 'aria-hidden': 'true' });
    this.scrollEl = h('div', { class: 'ck-scroll', role: 'log', 'aria-live': 'polite' }, this.olderEl, this.startEl, this.itemsEl, this.progressEl, this.errorEl, this.spacerEl);
    this.scrollEl.addEventListener('scroll', () => this.#onScroll(), { passive: true });
    this.jumpEl = h('button', { type: 'button', class: 'ck-jump', hidden: true, onclick: () => this.scrollToEnd() }, icon('chevron-down', { size: 16 }));
    this.noticesEl = h('div', { class: 'ck-notices' });
    this.composerArea = h('div', { class: 'ck-composer-area' }, this.composer.el);
    this.closedEl = h('div', { class: 'ck-closed', role: 'status', hidden: true });
    this.disclaimerEl = h('div', { class: 'ck-disclaimer', hidden: true });
    this.mainEl = h('div', { class: 'ck-main' }, h('div', { class: 'ck-scroll-wrap' }, this.scrollEl, this.jumpEl), this.noticesEl, this.extras.structuredEl, this.closedEl, this.composerArea, this.disclaimerEl);
    // The preview popover lives inside the root so it takes the theme (scheme, accent, fonts).
    this.root = h('div', { class: 'ck-root', role: 'region' }, this.header, h('div', { class: 'ck-body' }, this.historyPanel, this.mainEl), this.extras.popoverEl);
    this.root.hidden = true;
    css.addEventListener('load', () => {
      this.root.hidden = false;
    });
    css.addEventListener('error', () => {
      this.root.hidden = false;
    });
    this.shadowRoot.append(css, this.root);
    this.#applyLabels();
  }

  /** Labels of the fixed chrome in the current language. */
  #applyLabels() {
    const t = this.t;
    this.root.lang = t.tag;
    this.historyMore.textContent = t('loadMore');
    this.historyPanel.setAttribute('aria-label', t('historyPanel'));
    this.historyHeading.textContent = t('history');
    label(this.historyClose, t('closeHistory'));
    this.promptsEl.setAttribute('aria-label', t('suggestions'));
    this.scrollEl.setAttribute('aria-label', t('conversation'));
    label(this.jumpEl, t('scrollToLatest'));
    this.composer.setLabels(t);
    this.extras.setLabels?.(t);
  }

  connectedCallback() {
    if (this.#api && !this.#ready) this.#start();
  }

  // ---- options ---------------------------------------------------------------------------

  /** Replaces every option (never merges). Keys `onX` are event handlers. */
  setOptions(options) {
    const previous = this.#options;
    // New chrome and re-rendered items may change heights (locale, theme): the item on top stays.
    const place = this.#ready ? this.#scrollPlace() : null;
    this.#options = options && typeof options === 'object' ? options : {};
    const api = this.#options.api || {};
    if (api.getClientSecret && !api.url) {
      this.#emitError(new ChatKitError('Hosted API (getClientSecret) is not supported; pass api.url', { code: 'invalid_options' }));
      this.#api = null;
    } else {
      try {
        this.#api = new ChatKitApi({ url: api.url, fetch: api.fetch });
      } catch (err) {
        this.#api = null;
        this.#emitError(err);
      }
    }
    this.#applyChrome();
    if (this.#ready) {
      const before = previous.initialThread;
      if (this.#options.initialThread !== undefined && this.#options.initialThread !== before && this.#options.initialThread !== this.#threadId) {
        this.setThreadId(this.#options.initialThread);
      }
      this.#rerenderAll();
      this.#updateSpacer();
      if (place?.bottom && !this.#anchored) this.scrollEl.scrollTop = this.scrollEl.scrollHeight;
      else if (place?.itemId) this.#applyPlace(place);
    } else if (this.isConnected && this.#api) {
      this.#start();
    }
  }

  get options() {
    return this.#options;
  }

  get threadId() {
    return this.#threadId;
  }

  get api() {
    return this.#api;
  }

  async #start() {
    this.#ready = true;
    const initial = this.#options.initialThread;
    this.#showThread();
    this.#emit('ready');
    if (initial) await this.#loadThread(initial).catch(() => {});
  }

  #applyChrome() {
    const o = this.#options;
    if (o.locale !== this.#locale) {
      this.#locale = o.locale;
      this.t = translator(o.locale);
      this.#applyLabels();
      this.#renderOlder();
      if (this.#history.open) this.#renderHistory();
    }
    const t = this.t;
    this.root.setAttribute('aria-label', o.frameTitle || t('frameTitle'));
    this.extras.applyTheme(o.theme);
    // Header.
    const header = o.header || {};
    this.header.hidden = header.enabled === false;
    this.headerLeft.replaceChildren();
    this.headerRight.replaceChildren();
    if (header.leftAction) this.headerLeft.append(this.#headerAction(header.leftAction));
    if (o.history?.enabled !== false) {
      this.headerLeft.append(button(t('history'), { class: 'ck-icon-button ck-history-toggle', 'aria-expanded': String(this.#history.open), onclick: () => (this.#history.open ? this.hideHistory() : this.showHistory()) }, icon('history')));
    }
    this.headerRight.append(button(t('newChat'), { class: 'ck-icon-button ck-new-chat', onclick: () => this.setThreadId(null) }, icon('compose')));
    if (header.rightAction) this.headerRight.append(this.#headerAction(header.rightAction));
    if (o.history?.enabled === false) this.hideHistory();
    this.#updateTitle();
    // Start screen.
    const start = o.startScreen || {};
    this.greetingEl.textContent = start.greeting || t('greeting');
    this.promptsEl.replaceChildren(
      ...(start.prompts || []).map((prompt) =>
        h(
          'button',
          { type: 'button', class: 'ck-prompt', onclick: () => this.#sendPrompt(prompt) },
          prompt.icon ? icon(prompt.icon, { size: 16 }) : null,
          h('span', {}, prompt.label ?? (typeof prompt.prompt === 'string' ? prompt.prompt : '')),
        ),
      ),
    );
    // Disclaimer.
    const disclaimer = o.disclaimer;
    this.disclaimerEl.hidden = !disclaimer || !disclaimer.text;
    this.disclaimerEl.classList.toggle('ck-high-contrast', !!disclaimer?.highContrast);
    this.disclaimerEl.replaceChildren(disclaimer?.text ? this.markdown(disclaimer.text) : '');
    this.extras.applyComposerOptions(o.composer || {}, o.entities || {});
    this.#updatePlaceholder();
    this.#updateComposerState();
  }

  #headerAction(action) {
    const name = action.label || action.icon || this.t('headerAction');
    return button(name, {
      class: 'ck-icon-button ck-header-action',
      onclick: () => {
        try {
          action.onClick?.();
        } catch (err) {
          this.#emitError(err);
        }
      },
    }, icon(action.icon || 'dots', { size: 18 }));
  }

  #updatePlaceholder() {
    const tool = this.extras.selectedTool();
    this.composer.setPlaceholder(tool?.placeholderOverride || this.#options.composer?.placeholder || this.t('placeholder'));
  }

  updatePlaceholder() {
    this.#updatePlaceholder();
  }

  #updateTitle() {
    const custom = this.#options.header?.title;
    const hidden = custom?.enabled === false;
    this.titleEl.hidden = hidden;
    this.titleEl.textContent = custom?.text || this.#thread?.title || this.t(this.#threadId ? 'conversation' : 'newChat');
  }

  // ---- events ----------------------------------------------------------------------------

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(`chatkit.${name}`, { detail, bubbles: true, composed: true }));
    for (const [key, event] of Object.entries(HANDLER_KEYS)) {
      if (event === name && typeof this.#options[key] === 'function') {
        try {
          this.#options[key](detail);
        } catch (err) {
          console.error(err);
        }
      }
    }
  }

  emit(name, detail) {
    this.#emit(name, detail);
  }

  #emitError(error) {
    const err = error instanceof Error ? error : new Error(String(error));
    this.#emit('error', { error: err });
  }

  emitError(error) {
    this.#emitError(error);
  }

  log(name, data) {
    this.#emit('log', data === undefined ? { name } : { name, data });
  }

  // ---- rendering -------------------------------------------------------------------------

  markdown(text, extra = {}) {
    return renderMarkdown(text, {
      t: this.t,
      onDeeplink: (link) => this.#emit('deeplink', link),
      allowedImageDomains: this.#thread?.allowed_image_domains,
      ...extra,
    });
  }

  #ctx() {
    return {
      markdown: (text) => this.markdown(text),
      t: this.t,
      widget: (item) => this.#widgetView(item).el,
      chip: (tag) => {
        const chip = tagChip(tag);
        if (tag.interactive) {
          const entity = { id: tag.id, title: tag.text, interactive: true, data: tag.data || {} };
          if (tag.group) entity.group = tag.group;
          this.extras.entityInteractive(chip, entity);
        }
        return chip;
      },
      entityInteractive: (el, entity) => this.extras.entityInteractive(el, entity),
      allowedImageDomains: this.#thread?.allowed_image_domains,
    };
  }

  #widgetView(item) {
    let view = this.#views.get(item.id)?.widget;
    if (!view) {
      view = new WidgetView(this, item);
      const entry = this.#views.get(item.id) || {};
      entry.widget = view;
      this.#views.set(item.id, entry);
    } else {
      view.update(item);
    }
    return view;
  }

  /** Element of an item (creates it). */
  #renderItemEl(item) {
    if (item.type === 'assistant_message') {
      const entry = this.#views.get(item.id);
      if (entry?.el?.classList.contains('ck-assistant')) {
        fillAssistant(entry.el, item, this.#ctx());
        return entry.el;
      }
    }
    if (item.type === 'widget') {
      const entry = this.#views.get(item.id);
      if (entry?.el && entry.widget) {
        entry.widget.update(item);
        return entry.el;
      }
    }
    const el = renderItem(item, this.#ctx());
    const entry = this.#views.get(item.id) || {};
    entry.el = el;
    this.#views.set(item.id, entry);
    return el;
  }

  /** Inserts or replaces `item` keeping its position. */
  #upsert(item, { afterId } = {}) {
    const index = this.#items.findIndex((i) => i.id === item.id);
    const oldEl = this.#views.get(item.id)?.el;
    if (index >= 0) this.#items[index] = item;
    else if (afterId !== undefined) {
      const at = this.#items.findIndex((i) => i.id === afterId);
      this.#items.splice(at + 1, 0, item);
    } else this.#items.push(item);
    const el = this.#renderItemEl(item);
    if (oldEl && oldEl !== el) {
      if (el) oldEl.replaceWith(el);
      else oldEl.remove();
    } else if (!oldEl && el) {
      const pos = this.#items.findIndex((i) => i.id === item.id);
      const next = this.#items.slice(pos + 1).map((i) => this.#views.get(i.id)?.el).find((e) => e && e.isConnected);
      if (next) next.before(el);
      else this.itemsEl.append(el);
    }
    this.#showThread();
  }

  #remove(itemId) {
    this.#items = this.#items.filter((i) => i.id !== itemId);
    const entry = this.#views.get(itemId);
    entry?.el?.remove();
    this.#views.delete(itemId);
  }

  #rerenderAll() {
    for (const entry of this.#views.values()) entry.el?.remove();
    this.#views.clear();
    this.itemsEl.replaceChildren();
    for (const item of this.#items) {
      const el = this.#renderItemEl(item);
      if (el) this.itemsEl.append(el);
    }
    this.#refreshTurnActions();
    this.#showThread();
  }

  #showThread() {
    const empty = !this.#threadId && this.#items.length === 0 && !this.#pendingUser;
    this.startEl.hidden = !empty;
    this.root.classList.toggle('ck-is-new', empty);
  }

  // ---- scrolling -------------------------------------------------------------------------

  /** Offset of `el`'s top from the top of the scrolled content. */
  #contentTop(el) {
    return el.getBoundingClientRect().top - this.scrollEl.getBoundingClientRect().top + this.scrollEl.scrollTop;
  }

  /** Pixels of transcript below the visible area (the spacer does not count). */
  #belowView() {
    const sc = this.scrollEl;
    return this.#contentTop(this.spacerEl) - (sc.scrollTop + sc.clientHeight);
  }

  #nearBottom() {
    return this.#belowView() < 80;
  }

  /** Scrolls so that the end of the transcript is visible. */
  scrollToEnd() {
    const sc = this.scrollEl;
    const padding = parseFloat(getComputedStyle(sc).paddingBottom) || 0;
    sc.scrollTop = Math.max(0, this.#contentTop(this.spacerEl) + padding - sc.clientHeight);
    this.#atEnd = true;
    this.#updateJump();
  }

  #scrollToBottom() {
    this.#anchored = false;
    this.spacerEl.style.height = '0px';
    this.scrollEl.scrollTop = this.scrollEl.scrollHeight;
    this.#atEnd = true;
    this.#updateJump();
  }

  /** The newest user message element (the turn being answered). */
  #lastUserEl() {
    const users = this.itemsEl.querySelectorAll('.ck-item[data-item-type="user_message"]');
    return users[users.length - 1] || null;
  }

  /**
   * After a send: with `thread.autoScroll` the view sticks to the end; without it (the default)
   * the new message moves to the top and its reply fills the space below, so nothing moves
   * while it streams.
   */
  #revealTurn() {
    if (this.#options.thread?.autoScroll === true) {
      this.#scrollToBottom();
      return;
    }
    const user = this.#lastUserEl();
    if (!user) return;
    this.#anchored = true;
    this.#updateSpacer();
    const margin = parseFloat(getComputedStyle(this.scrollEl).paddingTop) || 0;
    this.scrollEl.scrollTop = Math.max(0, this.#contentTop(user) - margin);
    this.#atEnd = this.#nearBottom();
    this.#updateJump();
  }

  /** Room below the content so that the anchored user message can sit at the top. */
  #updateSpacer() {
    const user = this.#anchored ? this.#lastUserEl() : null;
    if (!user) {
      this.spacerEl.style.height = '0px';
      return;
    }
    const sc = this.scrollEl;
    const style = getComputedStyle(sc);
    const top = parseFloat(style.paddingTop) || 0;
    const bottom = parseFloat(style.paddingBottom) || 0;
    const need = this.#contentTop(user) - top + sc.clientHeight - this.#contentTop(this.spacerEl) - bottom;
    this.spacerEl.style.height = `${Math.max(0, Math.floor(need))}px`;
  }

  #updateJump() {
    this.jumpEl.hidden = this.#items.length === 0 || this.#nearBottom();
  }

  /** New output arrived: follow it only when `thread.autoScroll` is on and the view is at the end. */
  #followOutput() {
    this.#updateSpacer();
    if (this.#options.thread?.autoScroll === true && this.#atEnd) {
      this.scrollEl.scrollTop = this.scrollEl.scrollHeight;
    }
    this.#updateJump();
  }

  #onScroll() {
    this.#atEnd = this.#nearBottom();
    this.#updateJump();
    if (this.scrollEl.scrollTop < OLDER_MARGIN) this.#loadOlderWhileNeeded();
  }

  #pageSize() {
    const n = Number(this.#options.thread?.pageSize);
    return Number.isInteger(n) && n > 0 ? Math.min(n, 100) : PAGE;
  }

  /** Where the transcript is scrolled to: `{bottom: true}`, `{itemId, offset}` or `null`. */
  #scrollPlace() {
    if (!this.#items.length) return null;
    if (this.#nearBottom()) return { bottom: true };
    const top = this.scrollEl.getBoundingClientRect().top;
    for (const el of this.itemsEl.querySelectorAll(':scope > .ck-item')) {
      const rect = el.getBoundingClientRect();
      if (rect.bottom > top) return { itemId: el.dataset.itemId, offset: rect.top - top };
    }
    return null;
  }

  /** Scrolls item `place.itemId` back to its offset; false when it is not shown. */
  #applyPlace(place) {
    const el = this.#views.get(place.itemId)?.el;
    if (!el?.isConnected) return false;
    this.scrollEl.scrollTop += el.getBoundingClientRect().top - this.scrollEl.getBoundingClientRect().top - place.offset;
    this.#atEnd = this.#nearBottom();
    this.#updateJump();
    return true;
  }

  /** Remembers where the shown thread was scrolled to, for coming back to it. */
  #rememberScroll() {
    const place = this.#threadId ? this.#scrollPlace() : null;
    if (place) this.#scrollMemory.set(this.#threadId, place);
  }

  /** Scrolls the freshly loaded thread back to where it was left (else to its end). */
  async #restoreScroll(id, token) {
    const memory = this.#scrollMemory.get(id);
    if (!memory || memory.bottom) {
      this.#scrollToBottom();
      return;
    }
    this.#scrollToBottom();
    for (let i = 0; i < 100 && !this.#items.some((item) => item.id === memory.itemId) && this.#older.hasMore; i++) {
      if (!(await this.#loadOlder())) break;
      if (token !== this.#loadToken) return;
    }
    this.#applyPlace(memory);
  }

  async #loadOlderWhileNeeded() {
    for (let i = 0; i < 20 && this.#older.hasMore && !this.#older.loading && this.scrollEl.scrollTop < OLDER_MARGIN; i++) {
      if (!(await this.#loadOlder())) break;
    }
  }

  /** Fetches the page of items before the oldest shown one and prepends it, keeping the view still. */
  async #loadOlder() {
    const older = this.#older;
    if (!older.hasMore || older.loading || !this.#threadId) return false;
    const token = this.#loadToken;
    older.loading = true;
    this.#keepView(() => this.#renderOlder());
    try {
      const page = await this.#request('items.list', { thread_id: this.#threadId, order: 'desc', after: older.after, limit: this.#pageSize() });
      if (token !== this.#loadToken) return false;
      const data = page.data || [];
      older.after = page.after ?? data[data.length - 1]?.id ?? null;
      older.hasMore = !!page.has_more && !!older.after;
      const known = new Set(this.#items.map((i) => i.id));
      this.#prepend(data.filter((i) => !known.has(i.id)).reverse());
      return true;
    } catch {
      older.hasMore = false;
      return false;
    } finally {
      if (token === this.#loadToken) {
        older.loading = false;
        this.#keepView(() => this.#renderOlder());
      }
    }
  }

  #prepend(items) {
    if (!items.length) return;
    this.#keepView(() => {
      this.#items = items.concat(this.#items);
      const els = items.map((item) => this.#renderItemEl(item)).filter(Boolean);
      this.itemsEl.prepend(...els);
      this.#refreshTurnActions();
    });
  }

  /** Runs `change` (which grows or shrinks content above the view) without moving what is shown. */
  #keepView(change) {
    const sc = this.scrollEl;
    const fromEnd = sc.scrollHeight - sc.scrollTop;
    change();
    sc.scrollTop = sc.scrollHeight - fromEnd;
  }

  #renderOlder() {
    const { hasMore, loading } = this.#older;
    this.olderEl.hidden = !hasMore && !loading;
    if (loading) {
      this.olderEl.replaceChildren(h('span', { class: 'ck-spinner', 'aria-hidden': 'true' }), h('span', { role: 'status' }, this.t('loadingEarlier')));
    } else if (hasMore) {
      this.olderEl.replaceChildren(h('button', { type: 'button', class: 'ck-older-button', onclick: () => this.#loadOlder() }, this.t('loadEarlier')));
    } else {
      this.olderEl.replaceChildren();
    }
  }

  // ---- threads ---------------------------------------------------------------------------

  /** `null` → new-thread view; an id → load that thread. */
  async setThreadId(id) {
    if (this.#stream) this.stop();
    if (!id) {
      this.#resetThread();
      this.#emit('thread.change', { threadId: null });
      this.extras.afterThreadChange();
      return;
    }
    await this.#loadThread(id);
    this.#emit('thread.change', { threadId: id });
  }

  #resetThread() {
    this.#rememberScroll();
    this.#loadToken++;
    this.#older = { after: null, hasMore: false, loading: false };
    this.#renderOlder();
    this.#anchored = false;
    this.spacerEl.style.height = '0px';
    this.jumpEl.hidden = true;
    this.#threadId = null;
    this.#thread = null;
    this.#items = [];
    this.#views.clear();
    this.#queue.clear();
    this.#pendingUser = null;
    this.itemsEl.replaceChildren();
    this.errorEl.replaceChildren();
    this.noticesEl.replaceChildren();
    this.progressEl.hidden = true;
    this.#updateTitle();
    this.#applyStatus();
    this.#showThread();
    this.#markHistoryActive();
    this.extras.updateStructured(null);
  }

  async #loadThread(id) {
    this.#resetThread();
    const token = this.#loadToken;
    this.#threadId = id;
    this.#showThread();
    this.#emit('thread.load.start', { threadId: id });
    try {
      const thread = await this.#request('threads.get_by_id', { thread_id: id });
      if (token !== this.#loadToken) return;
      // get_by_id carries the oldest items; a longer thread is shown from its newest page,
      // older pages follow on scroll-up.
      let items = thread.items?.data || [];
      if (thread.items?.has_more) {
        const page = await this.#request('items.list', { thread_id: id, order: 'desc', limit: this.#pageSize() });
        if (token !== this.#loadToken) return;
        const data = page.data || [];
        items = [...data].reverse();
        this.#older.after = page.after ?? data[data.length - 1]?.id ?? null;
        this.#older.hasMore = !!page.has_more && !!this.#older.after;
      }
      this.#thread = { ...thread, items: undefined };
      this.#items = items;
      this.#rerenderAll();
      this.#renderOlder();
      this.#updateTitle();
      this.#applyStatus();
      this.#markHistoryActive();
      this.extras.updateStructured(this.#pendingStructured());
      await this.#restoreScroll(id, token);
      if (token === this.#loadToken) await this.#loadOlderWhileNeeded();
    } catch (err) {
      if (token === this.#loadToken) this.#showError(err, { retry: false });
      throw err;
    } finally {
      if (token === this.#loadToken) this.#emit('thread.load.end', { threadId: id });
    }
  }

  /** Re-reads the current thread and shows what changed out of band. */
  async fetchUpdates() {
    if (!this.#threadId) return;
    await this.#loadThread(this.#threadId);
  }

  #applyStatus() {
    const status = this.#thread?.status || { type: 'active' };
    const closed = status.type === 'closed';
    this.closedEl.hidden = !closed;
    this.closedEl.textContent = closed ? status.reason || this.t('closed') : '';
    this.composerArea.hidden = closed;
    this.composer.setLocked(status.type === 'locked' ? status.reason || this.t('locked') : null);
    this.#updateComposerState();
  }

  #pendingStructured() {
    const last = [...this.#items].reverse().find((i) => !['hidden_context_item', 'sdk_hidden_context'].includes(i.type));
    return last && last.type === 'structured_input' && last.status === 'pending' ? last : null;
  }

  // ---- history ---------------------------------------------------------------------------

  async showHistory() {
    if (this.#options.history?.enabled === false) throw new Error('History is disabled');
    this.#history.open = true;
    this.historyPanel.hidden = false;
    this.shadowRoot.querySelector('.ck-history-toggle')?.setAttribute('aria-expanded', 'true');
    await this.#loadHistory(true);
  }

  async hideHistory() {
    this.#history.open = false;
    this.historyPanel.hidden = true;
    this.shadowRoot.querySelector('.ck-history-toggle')?.setAttribute('aria-expanded', 'false');
  }

  async #loadHistory(reset) {
    if (this.#history.loading) return;
    this.#history.loading = true;
    try {
      const params = { limit: 20, order: 'desc' };
      if (!reset && this.#history.after) params.after = this.#history.after;
      const page = await this.#request('threads.list', params);
      if (reset) this.#history.threads = [];
      this.#history.threads.push(...(page.data || []));
      this.#history.hasMore = !!page.has_more;
      this.#history.after = page.after ?? page.data?.[page.data.length - 1]?.id ?? null;
      this.#renderHistory();
    } catch (err) {
      this.#emitError(err);
    } finally {
      this.#history.loading = false;
    }
  }

  #renderHistory() {
    const opts = this.#options.history || {};
    const t = this.t;
    this.historyList.replaceChildren(
      ...this.#history.threads.map((thread) => {
        const title = thread.title || t('chatFrom', { date: t.formatDate(thread.created_at) ?? t('earlier') });
        const open = h('button', { type: 'button', class: 'ck-history-open', onclick: () => this.#pickHistory(thread.id) }, title);
        const row = h('li', { class: 'ck-history-row', dataset: { threadId: thread.id } }, open);
        if (opts.showRename !== false) {
          row.append(button(t('rename', { title }), { class: 'ck-icon-button ck-rename', onclick: () => this.#renameRow(row, thread) }, icon('edit', { size: 14 })));
        }
        if (opts.showDelete !== false) {
          row.append(button(t('delete', { title }), { class: 'ck-icon-button ck-delete', onclick: () => this.#deleteThread(thread) }, icon('trash', { size: 14 })));
        }
        return row;
      }),
    );
    if (!this.#history.threads.length) this.historyList.append(h('li', { class: 'ck-history-empty' }, t('noConversations')));
    this.historyMore.hidden = !this.#history.hasMore;
    this.#markHistoryActive();
  }

  #markHistoryActive() {
    for (const row of this.historyList.querySelectorAll('.ck-history-row')) {
      const active = row.dataset.threadId === this.#threadId;
      row.classList.toggle('ck-active', active);
      row.querySelector('.ck-history-open')?.toggleAttribute('aria-current', active);
    }
  }

  async #pickHistory(id) {
    try {
      await this.setThreadId(id);
    } catch (err) {
      this.#emitError(err);
    }
  }

  #renameRow(row, thread) {
    const input = h('input', { class: 'ck-rename-input', 'aria-label': this.t('newTitle'), value: thread.title || '' });
    const finish = async (save) => {
      const title = input.value.trim();
      if (save && title && title !== thread.title) {
        try {
          const updated = await this.#request('threads.update', { thread_id: thread.id, title });
          Object.assign(thread, { title: updated.title ?? title });
          if (thread.id === this.#threadId && this.#thread) {
            this.#thread.title = thread.title;
            this.#updateTitle();
          }
        } catch (err) {
          this.#emitError(err);
        }
      }
      this.#renderHistory();
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') finish(true);
      if (event.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true), { once: true });
    row.querySelector('.ck-history-open').replaceWith(input);
    input.focus();
    input.select();
  }

  async #deleteThread(thread) {
    try {
      await this.#request('threads.delete', { thread_id: thread.id });
      this.#scrollMemory.delete(thread.id);
      this.#history.threads = this.#history.threads.filter((t) => t.id !== thread.id);
      this.#renderHistory();
      if (thread.id === this.#threadId) await this.setThreadId(null);
    } catch (err) {
      this.#emitError(err);
    }
  }

  #historyTitle(thread) {
    const row = this.#history.threads.find((t) => t.id === thread.id);
    if (row) {
      Object.assign(row, thread);
      this.#renderHistory();
    } else if (this.#history.open) {
      this.#history.threads.unshift({ ...thread });
      this.#renderHistory();
    }
  }

  // ---- requests --------------------------------------------------------------------------

  async #request(type, params) {
    if (!this.#api) throw new ChatKitError('No api configured; call setOptions({api: {url}})', { code: 'invalid_options' });
    try {
      return await this.#api.request(type, params);
    } catch (err) {
      this.#emitError(err);
      throw err;
    }
  }

  request(type, params) {
    return this.#request(type, params);
  }

  get streaming() {
    return !!this.#stream;
  }

  /** Runs one streaming request; resolves when the stream closes (any way). */
  async #runStream(type, params) {
    if (!this.#api) throw new ChatKitError('No api configured', { code: 'invalid_options' });
    if (this.#stream) throw new ChatKitError('A response is already streaming', { code: 'busy' });
    const abort = new AbortController();
    const stream = { abort, allowCancel: false, type, added: new Set(), failed: null };
    this.#stream = stream;
    this.errorEl.replaceChildren();
    this.#emit('response.start');
    this.#updateComposerState();
    try {
      for await (const event of this.#api.stream(type, params, abort.signal)) {
        this.#applyEvent(event, stream);
      }
    } catch (err) {
      if (err && err.name === 'AbortError') {
        stream.cancelled = true;
      } else {
        stream.failed = err;
        this.#removePendingUser();
        this.#showError(err, { retry: false });
        this.#emitError(err);
      }
    } finally {
      for (const id of stream.added) {
        const item = this.#items.find((i) => i.id === id);
        if (item && item.__streaming) {
          item.__streaming = false;
          if (item.type === 'assistant_message' && stream.cancelled && !assistantText(item).trim()) this.#remove(id);
          else if (item.type !== 'assistant_message' && stream.cancelled) this.#remove(id);
          else this.#renderItemEl(item);
        }
      }
      this.#pendingUser = null;
      this.progressEl.hidden = true;
      this.progressEl.replaceChildren();
      this.#stream = null;
      this.#updateComposerState();
      this.#refreshTurnActions();
      this.#showThread();
      this.#followOutput();
      this.#emit('response.end');
    }
    if (stream.failed && !stream.errorShown) throw stream.failed;
    await this.#afterStream(stream);
    return stream;
  }

  runStream(type, params) {
    return this.#runStream(type, params);
  }

  async #afterStream(stream) {
    if (stream.cancelled) {
      this.#queue.clear();
      for (const view of this.#views.values()) view.widget?.clearQueued();
      return;
    }
    const pendingTool = this.#items[this.#items.length - 1];
    if (!stream.failed && pendingTool && pendingTool.type === 'client_tool_call' && pendingTool.status === 'pending') {
      await this.extras.runClientTool(pendingTool);
      return;
    }
    this.extras.updateStructured(this.#pendingStructured());
    await this.#drainQueue();
  }

  /** Stops the streaming response (keeps partial text). */
  stop() {
    if (this.#stream) this.#stream.abort.abort();
  }

  #applyEvent(event, stream) {
    if (!event || typeof event !== 'object') return;
    switch (event.type) {
      case 'thread.created': {
        this.#thread = { ...event.thread, items: undefined };
        this.#threadId = event.thread.id;
        this.#updateTitle();
        this.#applyStatus();
        this.#emit('thread.change', { threadId: this.#threadId });
        this.#historyTitle(this.#thread);
        break;
      }
      case 'thread.updated': {
        this.#thread = { ...this.#thread, ...event.thread, items: undefined };
        this.#updateTitle();
        this.#applyStatus();
        this.#historyTitle(this.#thread);
        break;
      }
      case 'thread.item.added': {
        const item = { ...event.item, __streaming: true };
        stream.added.add(item.id);
        this.#upsert(item);
        this.#followOutput();
        break;
      }
      case 'thread.item.done': {
        stream.added.delete(event.item.id);
        if (event.item.type === 'user_message') this.#removePendingUser();
        this.#upsert(event.item);
        this.#followOutput();
        break;
      }
      case 'thread.item.replaced': {
        stream.added.delete(event.item.id);
        this.#upsert(event.item);
        break;
      }
      case 'thread.item.removed':
        stream.added.delete(event.item_id);
        this.#remove(event.item_id);
        break;
      case 'thread.item.updated':
        this.#applyUpdate(event.item_id, event.update);
        break;
      case 'stream_options':
        stream.allowCancel = !!event.stream_options?.allow_cancel;
        this.#updateComposerState();
        break;
      case 'progress_update':
        this.progressEl.hidden = false;
        this.progressEl.replaceChildren(event.icon ? icon(event.icon, { size: 14 }) : h('span', { class: 'ck-spinner', 'aria-hidden': 'true' }), h('span', {}, event.text || ''));
        this.#followOutput();
        break;
      case 'client_effect':
        this.#emit('effect', event.data === undefined ? { name: event.name } : { name: event.name, data: event.data });
        break;
      case 'notice':
        this.#showNotice(event);
        break;
      case 'error': {
        const err = new ChatKitError(event.message || errorText(event.code, this.t), { code: event.code || 'stream.error', allowRetry: !!event.allow_retry });
        stream.errorShown = true;
        this.#showError(err, { retry: !!event.allow_retry });
        this.#emitError(err);
        break;
      }
      default:
        break;
    }
  }

  #applyUpdate(itemId, update) {
    const item = this.#items.find((i) => i.id === itemId);
    if (!item || !update) return;
    switch (update.type) {
      case 'assistant_message.content_part.added':
        item.content = item.content || [];
        item.content[update.content_index] = { ...update.content, annotations: update.content.annotations || [] };
        break;
      case 'assistant_message.content_part.text_delta': {
        item.content = item.content || [];
        const part = item.content[update.content_index] || (item.content[update.content_index] = { type: 'output_text', text: '', annotations: [] });
        part.text = (part.text || '') + (update.delta || '');
        break;
      }
      case 'assistant_message.content_part.annotation_added': {
        const part = item.content?.[update.content_index];
        if (part) {
          part.annotations = part.annotations || [];
          part.annotations[update.annotation_index] = update.annotation;
        }
        break;
      }
      case 'assistant_message.content_part.done':
        item.content = item.content || [];
        item.content[update.content_index] = update.content;
        break;
      case 'workflow.task.added':
      case 'workflow.task.updated':
        item.workflow = item.workflow || { type: 'custom', tasks: [] };
        item.workflow.tasks = item.workflow.tasks || [];
        item.workflow.tasks[update.task_index] = update.task;
        break;
      case 'generated_image.updated':
        item.image = update.image;
        item.progress = update.progress;
        break;
      case 'widget.streaming_text.value_delta':
      case 'widget.root.updated':
      case 'widget.component.updated':
        this.#widgetView(item).applyUpdate(update);
        return;
      default:
        return;
    }
    this.#scheduleRender(item);
  }

  #scheduleRender(item) {
    if (this.#renderScheduled.has(item.id)) return;
    this.#renderScheduled.add(item.id);
    requestAnimationFrame(() => {
      this.#renderScheduled.delete(item.id);
      const current = this.#items.find((i) => i.id === item.id);
      if (current) this.#upsert(current);
      this.#followOutput();
    });
  }

  // ---- sending ---------------------------------------------------------------------------

  #updateComposerState() {
    const streaming = !!this.#stream;
    this.composer.setStreaming(streaming, !!this.#stream?.allowCancel);
    this.root.classList.toggle('ck-streaming', streaming);
    this.root.setAttribute('aria-busy', String(streaming));
  }

  async #sendFromComposer() {
    if (this.#stream || this.composer.locked !== null) return;
    const content = this.composer.segments();
    if (!content.length) return;
    const attachments = this.extras.readyAttachments();
    if (attachments === null) return;
    const tool = this.extras.selectedTool();
    const model = this.extras.selectedModel();
    const reply = this.extras.reply;
    this.composer.clear();
    this.extras.afterSend();
    try {
      await this.#send({ content, attachments, toolChoice: tool ? { id: tool.id } : null, model, reply });
    } catch {
      // Shown inline and emitted as chatkit.error already.
    }
  }

  async #sendPrompt(prompt) {
    const content = typeof prompt.prompt === 'string' ? [{ type: 'input_text', text: prompt.prompt }] : (prompt.prompt || []).map(normalizeSegment);
    try {
      await this.#send({ content, attachments: [], newThread: true });
    } catch {
      // Shown inline.
    }
  }

  async #send({ content, attachments = [], toolChoice = null, model = null, reply = null, newThread = false }) {
    const input = { content, attachments: attachments.map((a) => a.id), inference_options: {} };
    if (reply) input.quoted_text = reply;
    if (toolChoice) input.inference_options.tool_choice = { id: toolChoice.id };
    if (model) input.inference_options.model = model;
    this.#pendingUser = {
      id: `__pending_${Date.now()}`,
      type: 'user_message',
      content,
      attachments,
      quoted_text: reply || undefined,
      inference_options: input.inference_options,
    };
    const pending = this.#pendingUser;
    const create = newThread || !this.#threadId;
    if (create && this.#threadId) {
      this.#resetThread();
      this.#emit('thread.change', { threadId: null });
      this.#pendingUser = pending;
    }
    this.#upsert(pending);
    this.#revealTurn();
    await this.#runStream(create ? 'threads.create' : 'threads.add_user_message', create ? { input } : { thread_id: this.#threadId, input });
  }

  #removePendingUser() {
    for (const item of [...this.#items]) if (item.id.startsWith('__pending_')) this.#remove(item.id);
  }

  /** Sends a user message; the draft stays untouched. */
  async sendUserMessage({ text, content, reply, attachments, newThread, toolChoice, model } = {}) {
    if (this.#stream) throw new Error('Cannot send while a response is streaming');
    const segments = Array.isArray(content) ? content.map(normalizeSegment) : text ? [{ type: 'input_text', text }] : [];
    if (!segments.length) throw new Error('sendUserMessage needs text or content');
    await this.#send({ content: segments, attachments: attachments || [], toolChoice, model, reply, newThread: !!newThread });
  }

  /** Replaces the draft. */
  async setComposerValue(value = {}) {
    await this.extras.setComposerValue(value);
  }

  async focusComposer() {
    this.composer.focus();
  }

  // ---- actions ---------------------------------------------------------------------------

  /** `threads.custom_action`; queued while another response streams. */
  async sendCustomAction(action, itemId) {
    if (!this.#threadId) throw new Error('sendCustomAction needs an active thread');
    if (!action || typeof action.type !== 'string') throw new Error('sendCustomAction needs an action with a type');
    const wire = wireAction(action);
    if (this.#stream) {
      return new Promise((resolve, reject) => {
        const key = itemId ? `item:${itemId}` : `host:${Math.random()}`;
        const previous = this.#queue.get(key);
        previous?.reject(new Error('Replaced by a newer action'));
        this.#queue.set(key, { action: wire, itemId, resolve, reject });
      });
    }
    const params = { thread_id: this.#threadId, action: wire };
    if (itemId) params.item_id = itemId;
    await this.#runStream('threads.custom_action', params);
  }

  /** Queues a widget's streaming action (one per item, last wins); returns a promise settled when sent. */
  queueAction(itemId, action, onCancel) {
    const key = `item:${itemId}`;
    const previous = this.#queue.get(key);
    if (previous) {
      previous.cancel?.();
      previous.resolve({ cancelled: true });
    }
    return new Promise((resolve, reject) => {
      this.#queue.set(key, { action: wireAction(action), itemId, resolve, reject, cancel: onCancel });
    });
  }

  /** Drops the queued action of an item (a second click cancels). */
  cancelQueued(itemId) {
    const key = `item:${itemId}`;
    const entry = this.#queue.get(key);
    if (!entry) return false;
    this.#queue.delete(key);
    entry.resolve({ cancelled: true });
    return true;
  }

  hasQueued(itemId) {
    return this.#queue.has(`item:${itemId}`);
  }

  async #drainQueue() {
    while (this.#queue.size && !this.#stream) {
      const [key, entry] = this.#queue.entries().next().value;
      this.#queue.delete(key);
      const params = { thread_id: this.#threadId, action: entry.action };
      if (entry.itemId) params.item_id = entry.itemId;
      try {
        await this.#runStream('threads.custom_action', params);
        entry.resolve({});
      } catch (err) {
        entry.reject(err);
      }
    }
  }

  // ---- turn actions, errors, notices -----------------------------------------------------

  #turns() {
    const turns = [];
    let current = null;
    for (const item of this.#items) {
      if (item.type === 'user_message') {
        current = { user: item, items: [] };
        turns.push(current);
      } else if (!['hidden_context_item', 'sdk_hidden_context'].includes(item.type)) {
        if (!current) {
          current = { user: null, items: [] };
          turns.push(current);
        }
        current.items.push(item);
      }
    }
    return turns;
  }

  #refreshTurnActions() {
    for (const bar of this.itemsEl.querySelectorAll('.ck-turn-actions')) bar.remove();
    if (this.#stream) return;
    const opts = this.#options.threadItemActions || {};
    const t = this.t;
    for (const turn of this.#turns()) {
      const visible = turn.items.filter((i) => ['assistant_message', 'widget'].includes(i.type));
      if (!visible.length) continue;
      const last = turn.items[turn.items.length - 1];
      const anchor = [...turn.items].reverse().map((i) => this.#views.get(i.id)?.el).find((e) => e && e.isConnected);
      if (!anchor) continue;
      const ids = turn.items.map((i) => i.id);
      const text = visible.map((i) => (i.type === 'widget' ? i.copy_text || '' : assistantText(i))).filter(Boolean).join('\n\n');
      const bar = h('div', { class: 'ck-turn-actions', role: 'toolbar', 'aria-label': t('responseActions'), dataset: { lastItem: last.id } });
      bar.append(
        button(t('copy'), {
          class: 'ck-icon-button ck-copy',
          onclick: () => {
            copyText(text);
            this.log('message.copy', { threadId: this.#threadId, itemIds: ids, text });
          },
        }, icon('copy', { size: 15 })),
      );
      if (opts.feedback) {
        const chosen = this.#feedback.get(ids.join(','));
        for (const kind of ['positive', 'negative']) {
          bar.append(
            button(t(kind === 'positive' ? 'goodResponse' : 'badResponse'), {
              class: `ck-icon-button ck-feedback-${kind}`,
              'aria-pressed': String(chosen === kind),
              onclick: () => this.#sendFeedback(ids, kind),
            }, icon(kind === 'positive' ? 'thumbs-up' : 'thumbs-down', { size: 15 })),
          );
        }
      }
      if (opts.retry && turn.user) {
        bar.append(button(t('retry'), { class: 'ck-icon-button ck-retry', onclick: () => this.retry(turn.user.id) }, icon('retry', { size: 15 })));
      }
      if (opts.share) {
        bar.append(button(t('share'), { class: 'ck-icon-button ck-share', onclick: () => this.log('message.share', { threadId: this.#threadId, itemIds: ids, text }) }, icon('share', { size: 15 })));
      }
      anchor.after(bar);
    }
  }

  async #sendFeedback(ids, kind) {
    try {
      await this.#request('items.feedback', { thread_id: this.#threadId, item_ids: ids, kind });
      this.#feedback.set(ids.join(','), kind);
      this.log('message.feedback', { threadId: this.#threadId, itemIds: ids, kind });
      this.#refreshTurnActions();
    } catch {
      // Emitted as chatkit.error.
    }
  }

  /** Retries the turn of user message `userItemId` (the last one when omitted). */
  async retry(userItemId) {
    if (this.#stream) throw new Error('Cannot retry while a response is streaming');
    const id = userItemId || [...this.#items].reverse().find((i) => i.type === 'user_message' && !i.id.startsWith('__pending_'))?.id;
    if (!id || !this.#threadId) throw new Error('Nothing to retry');
    const at = this.#items.findIndex((i) => i.id === id);
    for (const item of this.#items.slice(at + 1)) this.#remove(item.id);
    this.log('message.retry', { threadId: this.#threadId, itemId: id });
    try {
      await this.#runStream('threads.retry_after_item', { thread_id: this.#threadId, item_id: id });
    } catch {
      // Shown inline.
    }
  }

  #showError(err, { retry }) {
    const message = err?.message || this.t('somethingWrong');
    const row = h(
      'div',
      { class: 'ck-error', role: 'alert' },
      icon('warning', { size: 16 }),
      h('span', { class: 'ck-error-text' }, message),
      retry ? button(this.t('retry'), { class: 'ck-error-retry', onclick: () => this.retry() }, this.t('retry')) : null,
    );
    this.errorEl.replaceChildren(row);
    this.#updateSpacer();
    row.scrollIntoView({ block: 'nearest' });
  }

  #showNotice(event) {
    const level = ['info', 'warning', 'danger'].includes(event.level) ? event.level : 'info';
    const body = h('div', { class: 'ck-notice-body' });
    if (event.title) body.append(h('strong', { class: 'ck-notice-title' }, event.title));
    const message = h('div', { class: 'ck-markdown' });
    message.append(this.markdown(event.message || ''));
    body.append(message);
    const notice = h('div', { class: `ck-notice ck-notice-${level}`, role: level === 'info' ? 'status' : 'alert' }, icon(level === 'info' ? 'info' : level, { size: 16 }), body);
    notice.append(button(this.t('dismiss'), { class: 'ck-icon-button ck-notice-close', onclick: () => notice.remove() }, icon('close', { size: 14 })));
    this.noticesEl.append(notice);
  }

  // ---- for widgets and extras ------------------------------------------------------------

  itemById(id) {
    return this.#items.find((i) => i.id === id);
  }

  get thread() {
    return this.#thread;
  }

  /** Applies an item returned by `threads.sync_custom_action`. */
  replaceItem(item) {
    this.#upsert(item);
    this.#refreshTurnActions();
  }

  /**
   * Replaces the widget of widget item `itemId` in place, locally (no request): the host page
   * can patch a widget after a client action. Typed input survives where `key`s match. Our
   * extension; the official client runs in an iframe and cannot offer it.
   *
   *     panel.updateWidget('msg_1', {type: 'Card', children: [{type: 'Text', value: 'Saved'}]});
   */
  async updateWidget(itemId, widget) {
    const item = this.#items.find((i) => i.id === itemId);
    if (!item || item.type !== 'widget') throw new Error(`No widget item ${itemId}`);
    if (!widget || typeof widget !== 'object' || typeof widget.type !== 'string') throw new Error('updateWidget needs a widget root with a type');
    this.replaceItem({ ...item, widget });
  }
}

function normalizeSegment(part) {
  if (part.type === 'input_tag') {
    const seg = { type: 'input_tag', id: String(part.id), text: String(part.text ?? part.title ?? ''), data: part.data && typeof part.data === 'object' ? part.data : {}, interactive: !!part.interactive };
    if (part.group) seg.group = part.group;
    return seg;
  }
  return { type: 'input_text', text: String(part.text ?? '') };
}

/** Only `type` and `payload` go on the wire. */
export function wireAction(action) {
  const wire = { type: action.type };
  if (action.payload !== undefined && action.payload !== null && !(typeof action.payload === 'object' && !Array.isArray(action.payload) && !Object.keys(action.payload).length)) wire.payload = action.payload;
  return wire;
}

function errorText(code, t) {
  return code === 'stream.error' ? t('streamError') : t('errorCode', { code: code || 'unknown' });
}

/** Sets an icon button's accessible name and tooltip. */
function label(el, text) {
  el.setAttribute('aria-label', text);
  el.title = text;
}


if (!customElements.get('chatkit-panel')) customElements.define('chatkit-panel', ChatKitPanel);
