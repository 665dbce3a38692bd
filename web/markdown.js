// Markdown → sanitized DOM. Server text never reaches innerHTML unsanitized.

import { Marked } from './vendor/marked.esm.js';
import DOMPurify from './vendor/purify.es.mjs';
import { translator } from './i18n.js';

const EN = translator('en');

const marked = new Marked({ gfm: true, breaks: false, async: false });

// http(s), mailto, tel, the ChatKit deeplink scheme and relative URLs; nothing else.
const ALLOWED_URI = /^(?:(?:https?|mailto|tel|chatkit-link):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

const PURIFY = {
  RETURN_DOM_FRAGMENT: true,
  ALLOWED_URI_REGEXP: ALLOWED_URI,
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'svg', 'math'],
  FORBID_ATTR: ['style', 'class', 'id'],
};

/** Whether `url` may be loaded as an image under the thread's `allowed_image_domains`. */
export function imageAllowed(url, allowedDomains) {
  let parsed;
  try {
    parsed = new URL(url, document.baseURI);
  } catch {
    return false;
  }
  if (!['http:', 'https:', 'data:', 'blob:'].includes(parsed.protocol)) return false;
  if (parsed.protocol === 'data:' && !/^data:image\//i.test(url)) return false;
  if (!allowedDomains || !allowedDomains.length) return true;
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  return allowedDomains.some((d) => parsed.hostname === d || parsed.hostname.endsWith(`.${d}`));
}

/** Whether `url` is safe as a link target (no `javascript:` and friends). */
export function linkAllowed(url) {
  return typeof url === 'string' && ALLOWED_URI.test(url.trim()) && !/^\s*(javascript|vbscript|data):/i.test(url);
}

/**
 * Renders markdown into a fragment: links open in a new tab, `chatkit-link://` links call
 * `onDeeplink({name, data})`, code blocks get a copy button, images outside the allowed
 * domains become a placeholder.
 */
export function renderMarkdown(text, { onDeeplink, allowedImageDomains, t = EN } = {}) {
  const html = marked.parse(String(text ?? ''));
  const fragment = DOMPurify.sanitize(html, PURIFY);
  for (const a of fragment.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (/^chatkit-link:/i.test(href)) {
      a.addEventListener('click', (event) => {
        event.preventDefault();
        if (onDeeplink) onDeeplink(parseDeeplink(href));
      });
    } else {
      a.setAttribute('target', '_blank');
      a.setAttribute('rel', 'noopener noreferrer');
    }
  }
  for (const img of fragment.querySelectorAll('img')) {
    img.setAttribute('loading', 'lazy');
    if (!imageAllowed(img.getAttribute('src') || '', allowedImageDomains)) {
      const span = document.createElement('span');
      span.className = 'ck-img-blocked';
      span.textContent = img.getAttribute('alt') || t('imageNotShown');
      img.replaceWith(span);
    }
  }
  for (const pre of fragment.querySelectorAll('pre')) {
    const wrap = document.createElement('div');
    wrap.className = 'ck-code';
    pre.replaceWith(wrap);
    wrap.append(pre);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'ck-code-copy';
    button.textContent = t('copy');
    button.setAttribute('aria-label', t('copyCode'));
    button.addEventListener('click', () => {
      copyText(pre.textContent || '');
      button.textContent = t('copied');
      setTimeout(() => {
        button.textContent = t('copy');
      }, 1500);
    });
    wrap.append(button);
  }
  return fragment;
}

/** `chatkit-link://host/path?x=1` → `{name: "host/path", data: {x: "1"}}`. */
export function parseDeeplink(href) {
  const rest = href.replace(/^chatkit-link:\/*/i, '');
  const [path, query = ''] = rest.split('?', 2);
  const data = {};
  for (const [k, v] of new URLSearchParams(query)) data[k] = v;
  return { name: decodeURIComponent(path.replace(/\/+$/, '')), data };
}

/** Copies text to the clipboard when the page may; never throws. */
export function copyText(text) {
  try {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(() => {});
    }
  } catch {
    // Clipboard unavailable (insecure context): nothing to do.
  }
}
