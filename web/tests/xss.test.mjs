// Hostile strings from the server and from host callbacks never become markup or script.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openTestPage, mount, send, waitResponses, shot, widgetFixtures } from './harness.mjs';

const env = useBrowser();

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=2</script>';
const SVG = '<svg onload="window.__xss=3"></svg>';

/** Nothing ran, and the shadow DOM holds no script, no handler attribute, no script URL. */
async function assertClean(page) {
  await page.waitForTimeout(300);
  const report = await page.evaluate(() => {
    const root = ck.panel.shadowRoot;
    const all = [...root.querySelectorAll('*')];
    return {
      xss: window.__xss ?? null,
      scripts: root.querySelectorAll('script, iframe, object, embed').length,
      handlers: all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 80)),
      jsUrls: all.filter((el) => [...el.attributes].some((a) => /^\s*(javascript|vbscript|data:text)/i.test(a.value) && /href|src|action|formaction|xlink/i.test(a.name))).map((el) => el.outerHTML.slice(0, 80)),
      styles: all.filter((el) => /url\(/i.test(el.getAttribute('style') || '')).map((el) => el.outerHTML.slice(0, 80)),
    };
  });
  assert.deepEqual(report, { xss: null, scripts: 0, handlers: [], jsUrls: [], styles: [] });
}

test('markdown, titles and notices from the server stay inert', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ history: { enabled: true } }));
  await send(page, `echo ${IMG} ${SCRIPT} ${SVG} [click](javascript:window.__xss=4) <a href="javascript:window.__xss=5">a</a> ![i](javascript:window.__xss=6)`);
  await waitResponses(page, 1);
  await send(page, `title ${IMG}`);
  await waitResponses(page, 2);
  assert.equal(await page.locator('.ck-title').innerText(), `${IMG}`.split(/\s+/).join(' '));
  await send(page, `notice danger ${IMG} ${SCRIPT}`);
  await waitResponses(page, 3);
  await send(page, `error custom ${IMG}`);
  await waitResponses(page, 4);
  await page.evaluate(() => ck.panel.showHistory());
  await page.getByRole('navigation').locator('.ck-history-open').first().waitFor();
  await page.locator('.ck-assistant a', { hasText: 'click' }).click().catch(() => {});
  await shot(page, 'xss-chat');
  await assertClean(page);
});

test('widget strings, image URLs, colours and entity titles stay inert', async () => {
  const page = await openTestPage(env.browser, env.server);
  const hostile = {
    type: 'Card',
    status: { text: IMG, favicon: 'javascript:window.__xss=7' },
    background: 'url(https://example.com/track.png)',
    confirm: { label: SCRIPT, action: { type: 'x' } },
    children: [
      { type: 'Title', value: IMG },
      { type: 'Text', value: SCRIPT, color: 'red; background: url(https://example.com/x.png)' },
      { type: 'Markdown', value: `${IMG} [m](javascript:window.__xss=8) ${SVG}` },
      { type: 'Image', src: 'javascript:window.__xss=9', alt: IMG },
      { type: 'Image', src: 'data:text/html,<script>window.__xss=10</script>' },
      { type: 'Badge', label: IMG },
      { type: 'Button', label: IMG, iconStart: '<svg onload=alert(1)>', onClickAction: { type: 'x' } },
      { type: 'Select', name: 's', options: [{ value: IMG, label: IMG }] },
      { type: 'Label', value: IMG, fieldName: '"><img src=x onerror=window.__xss=11>' },
      { type: 'Input', name: '"><img src=x onerror=window.__xss=12>', placeholder: IMG },
      { type: 'Box', background: 'red', padding: 'calc(1px); background: url(https://example.com/y.png)', children: [] },
    ],
  };
  await widgetFixtures(page, { hostile });
  await mount(page, (img) => ({
    entities: {
      onTagSearch: async () => [{ id: 'e', title: img, group: img, interactive: true }],
      onRequestPreview: async () => ({ preview: { type: 'Basic', children: [{ type: 'Text', value: img }] } }),
    },
  }), IMG);
  await send(page, 'fixture hostile');
  await page.locator('.ck-card').waitFor();
  await page.getByRole('heading', { name: IMG }).waitFor();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially('@');
  await page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().waitFor();
  await box.press('Enter');
  await page.locator('.ck-input .ck-chip').hover();
  await shot(page, 'xss-widget');
  await assertClean(page);
});
