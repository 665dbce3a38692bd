// Everything around the transcript that options switch on: theme, composer tools and models,
// attachments, dictation, the @-mention menu and entity chips, client tools, structured input.

import { h, button } from './dom.js';
import { icon } from './icons.js';
import { imageAllowed } from './markdown.js';
import { renderPreview } from './widgets/render.js';

const RADIUS = {
  pill: { control: '999px', surface: '24px', bubble: '20px' },
  round: { control: '12px', surface: '16px', bubble: '16px' },
  soft: { control: '8px', surface: '10px', bubble: '12px' },
  sharp: { control: '2px', surface: '2px', bubble: '2px' },
};
const DENSITY = { compact: 0.875, normal: 1, spacious: 1.125 };
const MIB = 1024 * 1024;

export class Extras {
  /** Labels of the parts built once, in the panel's language. */
  setLabels(t) {
    this.menuEl.setAttribute('aria-label', t('suggestions'));
    for (const relabel of this.structuredLabels) relabel(t);
  }

  constructor(panel) {
    this.panel = panel;
    this.tools = [];
    this.models = [];
    this.toolId = null;
    this.modelId = null;
    this.attachments = [];
    this.reply = null;
    this.entities = {};
    this.menu = null;
    this.searchSeq = 0;
    this.previewCache = new Map();
    this.popoverEl = h('div', { class: 'ck-popover', role: 'tooltip', hidden: true });
    this.structuredEl = h('div', { class: 'ck-structured-input', hidden: true });
    /** Setters of the structured-input form's UI strings, rerun when the locale changes. */
    this.structuredLabels = [];
    this.menuEl = h('div', { class: 'ck-mention-menu', role: 'listbox', hidden: true });
    this.replyEl = h('div', { class: 'ck-reply', hidden: true });
    this.fileInput = h('input', { type: 'file', multiple: true, hidden: true, 'aria-hidden': 'true', tabindex: '-1' });
    this.fileInput.addEventListener('change', () => {
      this.addFiles([...this.fileInput.files]);
      this.fileInput.value = '';
    });
    const composer = panel.composer;
    composer.el.prepend(this.menuEl, this.replyEl);
    composer.el.append(this.fileInput);
    composer.input.addEventListener('paste', (event) => {
      const files = [...(event.clipboardData?.files || [])];
      if (files.length && this.attachOptions()?.enabled) {
        event.preventDefault();
        this.addFiles(files);
      }
    });
    composer.el.addEventListener('dragover', (event) => {
      if (this.attachOptions()?.enabled) event.preventDefault();
    });
    composer.el.addEventListener('drop', (event) => {
      if (!this.attachOptions()?.enabled) return;
      event.preventDefault();
      this.addFiles([...(event.dataTransfer?.files || [])]);
    });
  }

  // ---- theme -----------------------------------------------------------------------------

  applyTheme(theme) {
    const root = this.panel.root;
    const t = typeof theme === 'string' ? { colorScheme: theme } : theme || {};
    const scheme = t.colorScheme === 'dark' ? 'dark' : 'light';
    root.dataset.scheme = scheme;
    const style = root.style;
    const radius = RADIUS[t.radius] || RADIUS.pill;
    style.setProperty('--ck-radius-control', radius.control);
    style.setProperty('--ck-radius-surface', radius.surface);
    style.setProperty('--ck-radius-bubble', radius.bubble);
    root.dataset.radius = RADIUS[t.radius] ? t.radius : 'pill';
    const density = DENSITY[t.density] || 1;
    root.dataset.density = DENSITY[t.density] ? t.density : 'normal';
    style.setProperty('--ck-density', String(density));
    const typography = t.typography || {};
    const base = Number(typography.baseSize);
    style.setProperty('--ck-font-size', `${base >= 14 && base <= 18 ? base : 16}px`);
    if (typography.fontFamily) style.setProperty('--ck-font', typography.fontFamily);
    else style.removeProperty('--ck-font');
    if (typography.fontFamilyMono) style.setProperty('--ck-font-mono', typography.fontFamilyMono);
    else style.removeProperty('--ck-font-mono');
    for (const source of typography.fontSources || []) this.#loadFont(source);
    const color = t.color || {};
    if (color.accent?.primary) {
      style.setProperty('--ck-accent', color.accent.primary);
      const level = Math.max(0, Math.min(3, Number(color.accent.level ?? 1)));
      style.setProperty('--ck-accent-soft', `color-mix(in srgb, ${color.accent.primary} ${8 + level * 6}%, transparent)`);
    } else {
      style.removeProperty('--ck-accent');
      style.removeProperty('--ck-accent-soft');
    }
    if (color.grayscale && Number.isFinite(Number(color.grayscale.hue))) {
      style.setProperty('--ck-gray-hue', String(Number(color.grayscale.hue)));
      style.setProperty('--ck-gray-sat', `${Math.max(0, Math.min(9, Number(color.grayscale.tint ?? 0))) * 3}%`);
      style.setProperty('--ck-gray-shade', String(Math.max(-4, Math.min(4, Number(color.grayscale.shade ?? 0)))));
    } else {
      style.removeProperty('--ck-gray-hue');
      style.removeProperty('--ck-gray-sat');
      style.removeProperty('--ck-gray-shade');
    }
    if (color.surface?.background) style.setProperty('--ck-bg', color.surface.background);
    else style.removeProperty('--ck-bg');
    if (color.surface?.foreground) style.setProperty('--ck-fg', color.surface.foreground);
    else style.removeProperty('--ck-fg');
  }

  #loadFont(source) {
    if (!source?.family || !source.src || typeof FontFace === 'undefined') return;
    const src = /^url\(/.test(source.src) ? source.src : `url(${JSON.stringify(source.src)})`;
    try {
      const face = new FontFace(source.family, src, {
        weight: source.weight ? String(source.weight) : undefined,
        style: source.style,
        display: source.display,
        unicodeRange: source.unicodeRange,
      });
      document.fonts.add(face);
      face.load().catch(() => {});
    } catch {
      // Invalid descriptor: ignore that font.
    }
  }

  // ---- composer options ------------------------------------------------------------------

  attachOptions() {
    return this.panel.options.composer?.attachments;
  }

  applyComposerOptions(composer, entities) {
    this.tools = Array.isArray(composer.tools) ? composer.tools : [];
    this.models = Array.isArray(composer.models) ? composer.models : [];
    this.entities = entities || {};
    if (this.toolId && !this.tools.some((t) => t.id === this.toolId)) this.toolId = null;
    if (!this.models.some((m) => m.id === this.modelId && !m.disabled)) {
      this.modelId = (this.models.find((m) => m.default && !m.disabled) || null)?.id ?? null;
    }
    this.renderComposerChrome();
  }

  renderComposerChrome() {
    const { leading, trailing } = this.panel.composer;
    leading.replaceChildren();
    trailing.replaceChildren();
    const attach = this.attachOptions();
    if (attach?.enabled) {
      const accept = attach.accept ? Object.entries(attach.accept).flatMap(([mime, exts]) => [mime, ...(exts || [])]).join(',') : '';
      if (accept) this.fileInput.setAttribute('accept', accept);
      else this.fileInput.removeAttribute('accept');
      leading.append(button(this.panel.t('addFiles'), { class: 'ck-icon-button ck-attach', onclick: () => this.fileInput.click() }, icon('paperclip', { size: 18 })));
    }
    const menuTools = this.tools.filter((t) => !t.pinned);
    if (menuTools.length) {
      const list = h('div', { class: 'ck-tool-menu', role: 'menu', hidden: true });
      const toggle = button(this.panel.t('tools'), { class: 'ck-icon-button ck-tools', 'aria-haspopup': 'menu', 'aria-expanded': 'false' }, icon('plus', { size: 18 }));
      const close = () => {
        list.hidden = true;
        toggle.setAttribute('aria-expanded', 'false');
      };
      toggle.addEventListener('click', () => {
        list.hidden = !list.hidden;
        toggle.setAttribute('aria-expanded', String(!list.hidden));
        if (!list.hidden) list.querySelector('button')?.focus();
      });
      for (const tool of menuTools) {
        list.append(
          h('button', {
            type: 'button',
            role: 'menuitemradio',
            'aria-checked': String(this.toolId === tool.id),
            class: 'ck-tool-option',
            onclick: () => {
              close();
              this.selectTool(this.toolId === tool.id ? null : tool.id);
            },
            onkeydown: (event) => {
              if (event.key === 'Escape') {
                close();
                toggle.focus();
              }
            },
          }, icon(tool.icon, { size: 16 }), h('span', {}, tool.label)),
        );
      }
      leading.append(h('div', { class: 'ck-tool-wrap' }, toggle, list));
    }
    for (const tool of this.tools.filter((t) => t.pinned)) {
      leading.append(
        h('button', {
          type: 'button',
          class: 'ck-tool-pinned',
          'aria-pressed': String(this.toolId === tool.id),
          onclick: () => this.selectTool(this.toolId === tool.id ? null : tool.id),
        }, icon(tool.icon, { size: 14 }), h('span', {}, tool.shortLabel ?? tool.label)),
      );
    }
    const selected = this.selectedTool();
    if (selected && !selected.pinned) {
      leading.append(
        h('span', { class: 'ck-tool-chip' }, icon(selected.icon, { size: 14 }), h('span', {}, selected.shortLabel ?? selected.label), button(this.panel.t('remove', { name: selected.label }), { class: 'ck-icon-button ck-tool-remove', onclick: () => this.selectTool(null) }, icon('close', { size: 12 }))),
      );
    }
    if (this.entities.onTagSearch && this.entities.showComposerMenu) {
      leading.append(button(this.panel.t('mention'), { class: 'ck-icon-button ck-mention', onclick: () => this.#openMentionFromButton() }, icon('at', { size: 18 })));
    }
    if (this.panel.options.composer?.dictation?.enabled) {
      trailing.append(this.#dictationButton());
    }
    if (this.models.length) {
      const select = h('select', { class: 'ck-model', 'aria-label': this.panel.t('model') });
      for (const model of this.models) {
        select.append(h('option', { value: model.id, disabled: !!model.disabled, selected: model.id === this.modelId }, model.label));
      }
      select.addEventListener('change', () => {
        this.modelId = select.value;
      });
      trailing.append(select);
    }
    this.#renderAttachments();
    this.#renderReply();
  }

  selectedTool() {
    return this.tools.find((t) => t.id === this.toolId) || null;
  }

  selectedModel() {
    return this.modelId;
  }

  selectTool(id) {
    const next = id && this.tools.some((t) => t.id === id) ? id : null;
    if (next === this.toolId) return;
    this.toolId = next;
    this.renderComposerChrome();
    this.panel.updatePlaceholder();
    this.panel.emit('tool.change', { toolId: next });
  }

  afterSend() {
    const tool = this.selectedTool();
    if (tool && !tool.persistent) this.selectTool(null);
    this.#setAttachments([]);
    this.reply = null;
    this.closeMenu();
    this.renderComposerChrome();
  }

  afterThreadChange() {
    this.closeMenu();
  }

  async setComposerValue(value) {
    const { text, content, reply, attachments, files, selectedToolId, selectedModelId } = value;
    if (text !== undefined || content !== undefined) this.panel.composer.setValue({ text, content });
    if (reply !== undefined) this.reply = reply || null;
    if (Array.isArray(attachments)) this.#setAttachments(attachments.map((a) => ({ attachment: a, state: 'done' })));
    if (selectedToolId !== undefined) this.selectTool(selectedToolId);
    if (selectedModelId !== undefined && this.models.some((m) => m.id === selectedModelId && !m.disabled)) this.modelId = selectedModelId;
    this.renderComposerChrome();
    if (Array.isArray(files) && files.length) await this.addFiles(files);
  }

  #renderReply() {
    this.replyEl.hidden = !this.reply;
    this.replyEl.replaceChildren();
    if (this.reply) {
      this.replyEl.append(
        h('span', { class: 'ck-reply-text' }, this.reply),
        button(this.panel.t('removeReply'), { class: 'ck-icon-button', onclick: () => {
          this.reply = null;
          this.#renderReply();
        } }, icon('close', { size: 12 })),
      );
    }
  }

  // ---- attachments -----------------------------------------------------------------------

  /** Uploaded attachments for the next message; `null` while some still upload. */
  readyAttachments() {
    if (this.attachments.some((a) => a.state === 'uploading')) {
      this.panel.emitError(new Error(this.panel.t('waitUploads')));
      return null;
    }
    return this.attachments.filter((a) => a.state === 'done').map((a) => a.attachment);
  }

  async addFiles(files) {
    const opts = this.attachOptions();
    if (!opts?.enabled) return;
    const maxCount = opts.maxCount ?? 10;
    for (const file of files) {
      const problem = this.#checkFile(file, opts, maxCount);
      if (problem) {
        this.#attachmentError(problem);
        continue;
      }
      const entry = { file, state: 'uploading', attachment: null, progress: 0 };
      this.attachments.push(entry);
      this.#renderAttachments();
      this.#upload(entry).then(
        () => this.#renderAttachments(),
        (err) => {
          entry.state = 'failed';
          entry.error = err.message;
          this.panel.emitError(err);
          this.#renderAttachments();
        },
      );
    }
  }

  #checkFile(file, opts, maxCount) {
    if (this.attachments.length >= maxCount) return this.panel.t('tooMany', { name: file.name, n: maxCount });
    if (opts.accept) {
      const ok = Object.entries(opts.accept).some(([mime, exts]) => mimeMatches(mime, file.type) || (exts || []).some((ext) => file.name.toLowerCase().endsWith(String(ext).toLowerCase())));
      if (!ok) return this.panel.t('notAccepted', { name: file.name });
    }
    let max = 100 * MIB;
    if (typeof opts.maxSize === 'number') max = opts.maxSize;
    else if (opts.maxSize && typeof opts.maxSize === 'object') {
      const match = Object.entries(opts.maxSize).find(([mime]) => mime !== '*' && mime !== '' && mimeMatches(mime, file.type));
      max = match ? match[1] : opts.maxSize['*'] ?? opts.maxSize[''] ?? max;
    }
    if (file.size > max) return this.panel.t('tooLarge', { name: file.name, size: formatBytes(max) });
    return null;
  }

  #attachmentError(message) {
    const row = h('div', { class: 'ck-attachment-error', role: 'alert' }, message);
    this.panel.composer.attachmentsRow.hidden = false;
    this.panel.composer.attachmentsRow.append(row);
    setTimeout(() => row.remove(), 6000);
  }

  async #upload(entry) {
    const strategy = this.panel.options.api?.uploadStrategy || { type: 'two_phase' };
    const fetchFn = this.panel.options.api?.fetch || ((...a) => globalThis.fetch(...a));
    const file = entry.file;
    const form = new FormData();
    form.append('file', file, file.name);
    if (strategy.type === 'direct') {
      const response = await fetchFn(strategy.uploadUrl, { method: 'POST', body: form });
      if (!response.ok) throw new Error(`Upload of ${file.name} failed (HTTP ${response.status})`);
      entry.attachment = await response.json();
    } else {
      const attachment = await this.panel.request('attachments.create', { name: file.name, size: file.size, mime_type: file.type || 'application/octet-stream' });
      entry.attachment = attachment;
      this.#renderAttachments();
      const descriptor = attachment.upload_descriptor;
      if (descriptor?.url) {
        const response = await fetchFn(descriptor.url, { method: descriptor.method || 'POST', headers: descriptor.headers || {}, body: form });
        if (!response.ok) throw new Error(`Upload of ${file.name} failed (HTTP ${response.status})`);
        if ((response.headers.get('content-type') || '').includes('application/json')) {
          const body = await response.json().catch(() => null);
          if (body && typeof body.preview_url === 'string') entry.attachment = { ...attachment, preview_url: body.preview_url };
        }
      }
    }
    if (!entry.attachment || !entry.attachment.id) throw new Error(`Upload of ${file.name} returned no attachment`);
    entry.state = 'done';
  }

  /** Replaces the composer's attachments, releasing the local previews of the dropped ones. */
  #setAttachments(entries) {
    for (const entry of this.attachments) {
      if (entry.localUrl && !entries.includes(entry)) URL.revokeObjectURL(entry.localUrl);
    }
    this.attachments = entries;
  }

  async #removeAttachment(entry) {
    this.#setAttachments(this.attachments.filter((a) => a !== entry));
    this.#renderAttachments();
    if (entry.attachment?.id && (this.panel.options.api?.uploadStrategy?.type ?? 'two_phase') === 'two_phase') {
      try {
        await this.panel.request('attachments.delete', { attachment_id: entry.attachment.id });
      } catch {
        // Emitted as chatkit.error.
      }
    }
  }

  #renderAttachments() {
    const row = this.panel.composer.attachmentsRow;
    for (const chip of row.querySelectorAll('.ck-attachment')) chip.remove();
    for (const entry of this.attachments) {
      const a = entry.attachment;
      const name = a?.name || entry.file?.name || 'file';
      // A picked image shows from the local file: the server's preview URL only serves the
      // bytes once the upload is complete, and the local copy needs no request at all.
      if (entry.file && /^image\//.test(entry.file.type) && !entry.localUrl) entry.localUrl = URL.createObjectURL(entry.file);
      const src = entry.localUrl || (entry.state === 'done' && a?.type === 'image' && a.preview_url && imageAllowed(a.preview_url) ? a.preview_url : null);
      const preview = src ? h('img', { src, alt: '', class: 'ck-attachment-preview' }) : icon('document', { size: 16 });
      row.append(
        h(
          'span',
          { class: `ck-attachment ck-attachment-${entry.state}`, title: entry.error || name, 'aria-busy': String(entry.state === 'uploading') },
          preview,
          h('span', { class: 'ck-attachment-name' }, name),
          entry.state === 'uploading' ? h('span', { class: 'ck-spinner', 'aria-label': this.panel.t('uploading') }) : null,
          entry.state === 'failed' ? h('span', { class: 'ck-attachment-failed' }, 'failed') : null,
          button(this.panel.t('remove', { name }), { class: 'ck-icon-button ck-attachment-remove', onclick: () => this.#removeAttachment(entry) }, icon('close', { size: 12 })),
        ),
      );
    }
    row.hidden = !row.childElementCount;
  }

  // ---- dictation -------------------------------------------------------------------------

  #dictationButton() {
    const mic = button(this.panel.t('dictate'), { class: 'ck-icon-button ck-dictate', 'aria-pressed': 'false' }, icon('mic', { size: 18 }));
    let recorder = null;
    mic.addEventListener('click', async () => {
      if (recorder) {
        recorder.stop();
        return;
      }
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        const type = ['audio/webm;codecs=opus', 'audio/mp4', 'audio/ogg;codecs=opus'].find((t) => window.MediaRecorder?.isTypeSupported?.(t));
        recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
        const chunks = [];
        recorder.addEventListener('dataavailable', (e) => chunks.push(e.data));
        recorder.addEventListener('stop', async () => {
          stream.getTracks().forEach((t) => t.stop());
          const mimeType = recorder.mimeType || type || 'audio/webm';
          recorder = null;
          mic.setAttribute('aria-pressed', 'false');
          const blob = new Blob(chunks, { type: mimeType });
          const audio = await blobToBase64(blob);
          try {
            const answer = await this.panel.request('input.transcribe', { audio_base64: audio, mime_type: mimeType });
            if (answer?.text) this.panel.composer.insertText(answer.text);
          } catch {
            // Emitted as chatkit.error.
          }
        });
        recorder.start();
        mic.setAttribute('aria-pressed', 'true');
      } catch (err) {
        recorder = null;
        this.panel.emitError(err);
      }
    });
    return mic;
  }

  // ---- @-mentions ------------------------------------------------------------------------

  onComposerInput() {
    if (!this.entities.onTagSearch) return;
    const ctx = this.panel.composer.caretContext();
    if (!ctx) return this.closeMenu();
    const at = findMention(ctx.before);
    if (at < 0) return this.closeMenu();
    const query = ctx.before.slice(at + 1);
    if (this.menu && this.menu.emptyResult && /\s$/.test(query)) return this.closeMenu();
    this.#search(query, { node: ctx.node, start: at, end: ctx.offset });
  }

  #openMentionFromButton() {
    const composer = this.panel.composer;
    composer.focus();
    const ctx = composer.caretContext();
    const needsSpace = ctx && ctx.before && !/\s$/.test(ctx.before);
    composer.insertText(needsSpace ? ' @' : '@');
    this.onComposerInput();
  }

  #search(query, anchor) {
    const first = !this.menu;
    if (!this.menu) this.menu = { results: [], active: 0, query: null, loading: true, anchor };
    this.menu.anchor = anchor;
    if (this.menu.query === query) return;
    this.menu.query = query;
    this.menu.loading = true;
    const seq = ++this.searchSeq;
    clearTimeout(this.searchTimer);
    const run = async () => {
      let results = [];
      try {
        results = (await this.entities.onTagSearch(query)) || [];
      } catch (err) {
        this.panel.emitError(err);
      }
      if (seq !== this.searchSeq || !this.menu) return;
      this.menu.results = results;
      this.menu.active = 0;
      this.menu.loading = false;
      this.menu.emptyResult = results.length === 0;
      this.#renderMenu();
    };
    if (first) run();
    else this.searchTimer = setTimeout(run, 120);
    this.#renderMenu();
  }

  #renderMenu() {
    const menu = this.menu;
    this.menuEl.hidden = !menu;
    this.panel.composer.input.setAttribute('aria-expanded', String(!!menu));
    if (!menu) return this.menuEl.replaceChildren();
    this.menuEl.replaceChildren();
    if (menu.loading && !menu.results.length) {
      this.menuEl.append(h('div', { class: 'ck-menu-status', role: 'status' }, this.panel.t('searching')));
      return;
    }
    if (!menu.results.length) {
      this.menuEl.append(h('div', { class: 'ck-menu-status', role: 'status' }, this.panel.t('noResults')));
      return;
    }
    const groups = new Map();
    for (const entity of menu.results) {
      const key = entity.group || '';
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(entity);
    }
    const ordered = [...groups.entries()].sort((a, b) => (a[0] === '' ? 1 : 0) - (b[0] === '' ? 1 : 0));
    const flat = [];
    for (const [group, entities] of ordered) {
      const section = h('div', { class: 'ck-menu-group', role: 'group', 'aria-label': group || this.panel.t('other') });
      if (group) section.append(h('div', { class: 'ck-menu-group-title', 'aria-hidden': 'true' }, group));
      for (const entity of entities) {
        const index = flat.push(entity) - 1;
        section.append(
          h('div', {
            class: 'ck-menu-option',
            role: 'option',
            id: `ck-opt-${index}`,
            'aria-selected': String(index === menu.active),
            onmousedown: (event) => {
              event.preventDefault();
              this.#choose(entity);
            },
          }, icon(entity.icon || 'dot', { size: 14 }), h('span', {}, entity.title)),
        );
      }
      this.menuEl.append(section);
    }
    menu.flat = flat;
    this.panel.composer.input.setAttribute('aria-activedescendant', `ck-opt-${menu.active}`);
  }

  onComposerKeyDown(event) {
    const menu = this.menu;
    if (!menu) return false;
    if (event.key === 'Escape') {
      event.preventDefault();
      this.closeMenu();
      return true;
    }
    const count = menu.flat?.length || 0;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!count) return true;
      event.preventDefault();
      menu.active = (menu.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
      this.#renderMenu();
      return true;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && count) {
      event.preventDefault();
      this.#choose(menu.flat[menu.active]);
      return true;
    }
    return false;
  }

  #choose(entity) {
    const anchor = this.menu?.anchor;
    this.closeMenu();
    if (!anchor || !anchor.node.isConnected) return;
    this.panel.composer.replaceWithChip(anchor.node, anchor.start, anchor.end, entity);
  }

  closeMenu() {
    if (!this.menu) return;
    this.menu = null;
    this.searchSeq++;
    clearTimeout(this.searchTimer);
    this.panel.composer.input.removeAttribute('aria-activedescendant');
    this.#renderMenu();
  }

  // ---- entity chips ----------------------------------------------------------------------

  /** Makes `el` act for an interactive entity: click → onClick, hover/focus → preview. */
  entityInteractive(el, entity) {
    el.classList.add('ck-entity-interactive');
    if (el.tagName !== 'BUTTON') {
      el.setAttribute('role', 'button');
      el.tabIndex = 0;
    }
    const click = () => {
      this.panel.log('entity.click', { entity });
      try {
        this.panel.options.entities?.onClick?.(entity);
      } catch (err) {
        this.panel.emitError(err);
      }
    };
    el.addEventListener('click', (event) => {
      event.preventDefault();
      click();
    });
    el.addEventListener('keydown', (event) => {
      if (el.tagName !== 'BUTTON' && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        click();
      }
      if (event.key === 'Escape') this.hidePreview();
    });
    let timer = null;
    const show = (delay) => {
      clearTimeout(timer);
      timer = setTimeout(() => this.#showPreview(el, entity), delay);
    };
    const hide = () => {
      clearTimeout(timer);
      this.hidePreview();
    };
    el.addEventListener('mouseenter', () => show(300));
    el.addEventListener('mouseleave', hide);
    el.addEventListener('focus', () => show(0));
    el.addEventListener('blur', hide);
  }

  async #showPreview(el, entity) {
    const request = this.panel.options.entities?.onRequestPreview;
    if (!request) return;
    let preview = this.previewCache.get(entity.id);
    if (preview === undefined) {
      try {
        const answer = await request(entity);
        preview = answer?.preview ?? null;
      } catch (err) {
        this.panel.emitError(err);
        preview = null;
      }
      this.previewCache.set(entity.id, preview);
    }
    if (!preview || !el.isConnected || !el.matches(':hover, :focus')) return;
    this.popoverEl.replaceChildren(renderPreview(preview, this.panel));
    this.popoverEl.hidden = false;
    this.#placePopover(el);
    const id = `ck-preview-${entity.id}`.replace(/[^a-zA-Z0-9_-]/g, '_');
    this.popoverEl.id = id;
    el.setAttribute('aria-describedby', id);
  }

  /**
   * Puts the preview below `anchor` (above when there is more room there), shifted sideways so
   * that it stays inside both the panel and the viewport.
   */
  #placePopover(anchor) {
    const pop = this.popoverEl;
    const GAP = 6;
    const MARGIN = 8;
    const host = this.panel.getBoundingClientRect();
    const bounds = {
      left: Math.max(host.left, 0) + MARGIN,
      right: Math.min(host.right, window.innerWidth) - MARGIN,
      top: Math.max(host.top, 0) + MARGIN,
      bottom: Math.min(host.bottom, window.innerHeight) - MARGIN,
    };
    const rect = anchor.getBoundingClientRect();
    pop.style.left = '0px';
    pop.style.top = '0px';
    pop.style.maxWidth = `${Math.max(0, Math.min(320, bounds.right - bounds.left))}px`;
    pop.style.maxHeight = '';
    const below = bounds.bottom - rect.bottom - GAP;
    const above = rect.top - GAP - bounds.top;
    const width = pop.offsetWidth;
    const flip = pop.offsetHeight > below && above > below;
    pop.style.maxHeight = `${Math.max(0, flip ? above : below)}px`;
    const height = pop.offsetHeight;
    const left = Math.max(bounds.left, Math.min(rect.left, bounds.right - width));
    const top = flip ? rect.top - GAP - height : rect.bottom + GAP;
    // The root (`position: relative`) is the popover's containing block.
    const origin = this.panel.root.getBoundingClientRect();
    pop.style.left = `${left - origin.left}px`;
    pop.style.top = `${top - origin.top}px`;
  }

  hidePreview() {
    this.popoverEl.hidden = true;
    this.popoverEl.replaceChildren();
  }

  // ---- client tools and structured input -------------------------------------------------

  async runClientTool(item) {
    const panel = this.panel;
    panel.composer.setStreaming(true, false);
    let result;
    try {
      const handler = panel.options.onClientTool;
      if (typeof handler !== 'function') throw new Error(`No onClientTool handler for client tool ${item.name}`);
      result = await handler({ name: item.name, params: item.arguments || {} });
      if (result === undefined || result === null) result = {};
    } catch (err) {
      panel.emitError(err);
      result = { error: err && err.message ? err.message : String(err) };
    }
    item.status = 'completed';
    item.output = result;
    panel.replaceItem(item);
    try {
      await panel.runStream('threads.add_client_tool_output', { thread_id: panel.threadId, result });
    } catch {
      // Shown inline.
    }
  }

  updateStructured(item) {
    const el = this.structuredEl;
    const panel = this.panel;
    el.hidden = !item;
    panel.composerArea.classList.toggle('ck-replaced', !!item);
    el.replaceChildren();
    this.structuredLabels = [];
    if (!item) return;
    // Labelled in place, so that a new locale keeps what was typed and picked.
    const labelled = (node, relabel) => {
      relabel(node, panel.t);
      this.structuredLabels.push((t) => relabel(node, t));
      return node;
    };
    const answers = new Map();
    const form = labelled(h('form', { class: 'ck-si-form' }), (node, t) => node.setAttribute('aria-label', t('answerQuestions')));
    for (const input of item.inputs || []) {
      const field = h('fieldset', { class: 'ck-si-field' }, h('legend', {}, input.question));
      if (input.type === 'multiple_choice') {
        const chosen = new Set();
        const other = labelled(h('input', { type: 'text', class: 'ck-si-other' }), (node, t) => {
          node.setAttribute('aria-label', t('otherOf', { question: input.question }));
          node.placeholder = t('other');
        });
        const chips = h('div', { class: 'ck-si-options', role: 'group' });
        const unpick = () => {
          chosen.clear();
          for (const c of chips.children) c.setAttribute('aria-pressed', 'false');
        };
        for (const option of input.options || []) {
          const chip = h('button', { type: 'button', class: 'ck-si-option', 'aria-pressed': 'false' }, option.value);
          chip.addEventListener('click', () => {
            if (chosen.has(option.value)) chosen.delete(option.value);
            else {
              // A single choice has one answer: a pick replaces the previous pick and the
              // "other" text.
              if (!input.multiple) {
                unpick();
                other.value = '';
              }
              chosen.add(option.value);
            }
            chip.setAttribute('aria-pressed', String(chosen.has(option.value)));
          });
          chips.append(chip);
        }
        // ...and typing an "other" answer replaces the pick.
        if (!input.multiple) other.addEventListener('input', () => other.value.trim() && unpick());
        answers.set(input.id, () => {
          const values = [...chosen];
          if (other.value.trim()) values.push(other.value.trim());
          return values;
        });
        field.append(chips, other);
      } else {
        if (input.description) field.append(h('p', { class: 'ck-si-desc' }, input.description));
        const area = h('textarea', { rows: '2', 'aria-label': input.question });
        answers.set(input.id, () => (area.value.trim() ? [area.value.trim()] : []));
        field.append(area);
      }
      form.append(field);
    }
    const submit = async (status) => {
      const payload = { status, answers: {} };
      if (status === 'answered') {
        for (const [id, read] of answers) {
          const values = read();
          payload.answers[id] = { values, skipped: values.length === 0 };
        }
      }
      this.updateStructured(null);
      try {
        await panel.runStream('threads.add_structured_input', { thread_id: panel.threadId, item_id: item.id, input: payload });
      } catch {
        // Shown inline.
      }
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit('answered');
    });
    form.append(
      h('div', { class: 'ck-si-actions' },
        labelled(h('button', { type: 'button', class: 'ck-btn ck-btn-secondary ck-variant-soft', onclick: () => submit('skipped') }), (node, t) => (node.textContent = t('skip'))),
        labelled(h('button', { type: 'submit', class: 'ck-btn ck-btn-primary ck-variant-solid' }), (node, t) => (node.textContent = t('submit')))),
    );
    el.append(form);
  }
}

/** Index of the `@` that starts the mention being typed before the caret, or -1. */
export function findMention(before) {
  const at = before.lastIndexOf('@');
  if (at < 0) return -1;
  if (at > 0 && !/\s/.test(before[at - 1])) return -1;
  return at;
}

function mimeMatches(pattern, type) {
  if (!pattern || pattern === '*' || pattern === '*/*') return true;
  if (pattern.endsWith('/*')) return (type || '').startsWith(pattern.slice(0, -1));
  return pattern === type;
}

function formatBytes(n) {
  if (n >= MIB) return `${Math.round(n / MIB)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

function blobToBase64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
