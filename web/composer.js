// The composer: a contenteditable textbox that holds text and entity chips, the send/stop
// button, the tool menu and model picker, attachment chips and the @-mention menu.

import { h, button } from './dom.js';
import { icon } from './icons.js';

/** A chip for an entity tag (`input_tag` segment or `Entity`). */
export function tagChip(tag, { editable = false } = {}) {
  const chip = h(
    'span',
    {
      class: `ck-chip${tag.interactive ? ' ck-chip-interactive' : ''}`,
      contenteditable: editable ? 'false' : undefined,
      dataset: { tag: '1' },
    },
    icon(tag.icon || 'dot', { size: 12 }),
    h('span', { class: 'ck-chip-text' }, tag.text ?? tag.title ?? ''),
  );
  chip.__tag = {
    id: String(tag.id ?? ''),
    text: String(tag.text ?? tag.title ?? ''),
    group: tag.group ?? undefined,
    interactive: !!tag.interactive,
    data: tag.data && typeof tag.data === 'object' ? tag.data : {},
    icon: tag.icon,
  };
  return chip;
}

export class Composer {
  /** `host`: {onSend(), onStop(), onInput(), onKeyDown(event) → handled?}. */
  constructor(host) {
    this.host = host;
    this.t = (key) => ({ message: 'Message', send: 'Send', stop: 'Stop', placeholder: 'Message the AI' })[key];
    this.placeholder = this.t('placeholder');
    this.input = h('div', {
      class: 'ck-input',
      contenteditable: 'plaintext-only',
      role: 'textbox',
      'aria-label': 'Message',
      'aria-multiline': 'true',
      tabindex: '0',
      spellcheck: 'true',
    });
    this.input.addEventListener('keydown', (event) => this.#keydown(event));
    this.input.addEventListener('input', () => {
      this.#normalize();
      this.host.onInput?.();
    });
    this.sendButton = button(this.t('send'), { class: 'ck-send', onclick: () => this.#sendOrStop() }, icon('send', { size: 18 }));
    this.leading = h('div', { class: 'ck-composer-leading' });
    this.trailing = h('div', { class: 'ck-composer-trailing' });
    this.attachmentsRow = h('div', { class: 'ck-composer-attachments', hidden: true });
    this.el = h(
      'div',
      { class: 'ck-composer' },
      this.attachmentsRow,
      h('div', { class: 'ck-composer-row' }, this.leading, this.input, this.trailing, this.sendButton),
    );
    this.streaming = false;
    this.allowCancel = false;
    this.locked = null;
    this.#normalize();
  }

  /** Accessible names from the panel's message table (`t` of i18n.js). */
  setLabels(t) {
    this.t = t;
    this.input.setAttribute('aria-label', t('message'));
    this.#updateButton();
  }

  setPlaceholder(text) {
    this.placeholder = text;
    this.input.dataset.placeholder = this.locked ?? text;
    this.input.setAttribute('aria-placeholder', this.locked ?? text);
  }

  /** `reason` string or `null`: a locked thread disables typing, the reason is the placeholder. */
  setLocked(reason) {
    this.locked = reason;
    const disabled = reason !== null;
    this.input.contentEditable = disabled ? 'false' : 'plaintext-only';
    this.input.setAttribute('aria-disabled', String(disabled));
    this.el.classList.toggle('ck-locked', disabled);
    this.setPlaceholder(this.placeholder);
    this.#updateButton();
  }

  setStreaming(streaming, allowCancel) {
    this.streaming = streaming;
    this.allowCancel = allowCancel;
    this.#updateButton();
  }

  #updateButton() {
    const stop = this.streaming && this.allowCancel;
    this.sendButton.replaceChildren(icon(stop ? 'stop' : 'send', { size: 18 }));
    const name = this.t(stop ? 'stop' : 'send');
    this.sendButton.setAttribute('aria-label', name);
    this.sendButton.title = name;
    this.sendButton.classList.toggle('ck-stop', stop);
    this.sendButton.disabled = stop ? false : this.streaming || this.locked !== null || this.isEmpty();
  }

  #sendOrStop() {
    if (this.streaming && this.allowCancel) this.host.onStop();
    else this.host.onSend();
  }

  #keydown(event) {
    if (this.host.onKeyDown?.(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (!this.streaming) this.host.onSend();
      return;
    }
    if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      this.insertLineBreak();
      return;
    }
    if (event.key === 'Escape' && this.streaming && this.allowCancel) {
      event.preventDefault();
      this.host.onStop();
      return;
    }
    if (event.key === 'Backspace') this.#backspaceChip(event);
  }

  #backspaceChip(event) {
    const sel = this.input.getRootNode().getSelection?.() || document.getSelection();
    if (!sel || !sel.isCollapsed || !sel.rangeCount) return;
    const range = sel.getRangeAt(0);
    let node = range.startContainer;
    let offset = range.startOffset;
    let before = null;
    if (node === this.input) before = this.input.childNodes[offset - 1];
    else if (node.nodeType === Node.TEXT_NODE && offset === 0) before = node.previousSibling;
    else if (node.nodeType === Node.TEXT_NODE && offset === 1 && node.nodeValue === '\u200b') before = node.previousSibling;
    if (before && before.dataset && before.dataset.tag) {
      event.preventDefault();
      before.remove();
      this.#normalize();
      this.host.onInput?.();
    }
  }

  /** A newline at the caret; at the very end a second one keeps the caret on the new line. */
  insertLineBreak() {
    if (!this.#selection()) this.focus();
    document.execCommand('insertLineBreak');
    this.#normalize();
    this.host.onInput?.();
  }

  /** Inserts plain text at the caret (or at the end). */
  insertText(text) {
    const sel = this.#selection();
    if (sel && document.execCommand('insertText', false, text)) {
      // The editing command keeps the caret after the text (and the undo stack).
    } else if (sel) {
      const range = sel.getRangeAt(0);
      range.deleteContents();
      const node = document.createTextNode(text);
      range.insertNode(node);
      range.setStartAfter(node);
      range.collapse(true);
      sel.removeAllRanges();
      sel.addRange(range);
    } else {
      this.input.append(document.createTextNode(text));
    }
    this.#normalize();
    this.host.onInput?.();
  }

  #selection() {
    const root = this.input.getRootNode();
    const sel = (root.getSelection && root.getSelection()) || document.getSelection();
    if (!sel || !sel.rangeCount) return null;
    const range = sel.getRangeAt(0);
    return this.input.contains(range.startContainer) ? sel : null;
  }

  /** The text from the start of the current text node to the caret, and that node. */
  caretContext() {
    const sel = this.#selection();
    if (!sel || !sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (range.startContainer.nodeType !== Node.TEXT_NODE) return null;
    return { node: range.startContainer, offset: range.startOffset, before: range.startContainer.nodeValue.slice(0, range.startOffset) };
  }

  /** Replaces `[start, end)` of text node `node` with a chip for `entity` plus a space. */
  replaceWithChip(node, start, end, entity) {
    const after = node.splitText(start);
    after.nodeValue = after.nodeValue.slice(end - start);
    const chip = tagChip({ ...entity, text: entity.title }, { editable: true });
    const space = document.createTextNode('\u00a0');
    after.before(chip, space);
    const sel = this.input.getRootNode().getSelection?.() || document.getSelection();
    const range = document.createRange();
    range.setStartAfter(space);
    range.collapse(true);
    sel.removeAllRanges();
    sel.addRange(range);
    this.#normalize();
    this.host.onInput?.();
  }

  #normalize() {
    // A lone <br> left by the browser counts as empty.
    if (this.input.childNodes.length === 1 && this.input.firstChild.nodeName === 'BR') this.input.replaceChildren();
    this.input.classList.toggle('ck-empty', this.isEmpty());
    this.#updateButton();
  }

  /** The draft as protocol segments (`input_text` / `input_tag`), adjacent text merged. */
  segments() {
    const out = [];
    const pushText = (text) => {
      if (!text) return;
      const last = out[out.length - 1];
      if (last && last.type === 'input_text') last.text += text;
      else out.push({ type: 'input_text', text });
    };
    const walk = (parent) => {
      for (const node of parent.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) pushText(node.nodeValue.replaceAll('\u00a0', ' ').replaceAll('\u200b', ''));
        else if (node.dataset && node.dataset.tag) {
          const tag = node.__tag;
          const seg = { type: 'input_tag', id: tag.id, text: tag.text, data: tag.data || {}, interactive: tag.interactive };
          if (tag.group) seg.group = tag.group;
          out.push(seg);
        } else if (node.nodeName === 'BR') pushText('\n');
        else if (node.nodeName === 'DIV' || node.nodeName === 'P') {
          if (out.length) pushText('\n');
          walk(node);
        } else walk(node);
      }
    };
    walk(this.input);
    // Trim surrounding whitespace of the whole draft.
    if (out.length && out[0].type === 'input_text') out[0].text = out[0].text.replace(/^\s+/, '');
    const last = out[out.length - 1];
    if (last && last.type === 'input_text') last.text = last.text.replace(/\s+$/, '');
    return out.filter((s) => s.type !== 'input_text' || s.text !== '');
  }

  /** The tags currently in the draft. */
  tags() {
    return [...this.input.querySelectorAll('[data-tag]')].map((chip) => chip.__tag);
  }

  isEmpty() {
    return this.segments().length === 0;
  }

  /** Replaces the draft with `text` or `content` segments (tags become chips). */
  setValue({ text, content } = {}) {
    this.input.replaceChildren();
    if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'input_tag') this.input.append(tagChip(part, { editable: true }));
        else if (part.type === 'input_text') this.input.append(document.createTextNode(part.text || ''));
      }
    } else if (text) {
      this.input.append(document.createTextNode(text));
    }
    this.#normalize();
  }

  clear() {
    this.input.replaceChildren();
    this.#normalize();
  }

  focus() {
    this.input.focus();
    const sel = this.input.getRootNode().getSelection?.() || document.getSelection();
    if (sel) {
      const range = document.createRange();
      range.selectNodeContents(this.input);
      range.collapse(false);
      sel.removeAllRanges();
      sel.addRange(range);
    }
  }
}
