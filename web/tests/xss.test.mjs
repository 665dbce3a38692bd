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

test('workflow task titles, summaries, task items and progress updates stay inert', async () => {
  const page = await openTestPage(env.browser, env.server);
  // Every element ever added to the panel, also the ones gone by the end (progress lines).
  await page.evaluate(() => {
    window.__added = [];
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1) continue;
          for (const el of [node, ...node.querySelectorAll('*')]) {
            if (['IMG', 'SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName) || [...el.attributes].some((a) => /^on/i.test(a.name))) window.__added.push(el.outerHTML.slice(0, 80));
          }
        }
      }
    }).observe(ck.panel.shadowRoot, { childList: true, subtree: true });
  });
  const now = new Date().toISOString();
  const sse = (events) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
  await page.route('**/chatkit', async (route) => {
    const body = JSON.parse(route.request().postData() || '{}');
    if (body.type !== 'threads.create') return route.fallback();
    const thread = { id: 'thr_wfxss', title: IMG, created_at: now, status: { type: 'active' }, metadata: {}, items: { data: [], has_more: false } };
    const user = { type: 'user_message', id: 'msg_u', thread_id: thread.id, created_at: now, content: body.params.input.content, attachments: [], inference_options: {} };
    const task = (title, status) => ({ type: 'custom', title, content: `${SCRIPT} ${SVG} [x](javascript:window.__xss=20)`, icon: IMG, status_indicator: status });
    const workflow = { type: 'workflow', id: 'msg_wf', thread_id: thread.id, created_at: now, workflow: { type: 'custom', tasks: [], expanded: true } };
    const search = { type: 'web_search', title: SVG, queries: [IMG], sources: [{ type: 'url', url: 'javascript:window.__xss=21', title: IMG }] };
    const file = { type: 'file', title: SCRIPT, sources: [{ type: 'file', filename: IMG, title: IMG }] };
    const done = { ...workflow, workflow: { type: 'custom', tasks: [task(IMG, 'complete'), search, file], summary: { title: `${IMG} ${SCRIPT}`, icon: SVG }, expanded: true } };
    const taskItem = { type: 'task', id: 'msg_task', thread_id: thread.id, created_at: now, task: task(`${SCRIPT}${IMG}`, 'complete') };
    return route.fulfill({
      contentType: 'text/event-stream',
      body: sse([
        { type: 'thread.created', thread },
        { type: 'thread.item.done', item: user },
        { type: 'progress_update', icon: IMG, text: `${IMG} ${SCRIPT}` },
        { type: 'thread.item.added', item: workflow },
        { type: 'thread.item.updated', item_id: 'msg_wf', update: { type: 'workflow.task.added', task_index: 0, task: task(IMG, 'loading') } },
        { type: 'progress_update', text: `${SVG} step two` },
        { type: 'thread.item.updated', item_id: 'msg_wf', update: { type: 'workflow.task.updated', task_index: 0, task: task(IMG, 'complete') } },
        { type: 'thread.item.done', item: done },
        { type: 'thread.item.done', item: taskItem },
      ]),
    });
  });
  await mount(page);
  await page.evaluate(() => {
    // The progress line as it was shown, before the end of the stream clears it.
    window.__progress = [];
    const progress = ck.panel.shadowRoot.querySelector('.ck-progress');
    new MutationObserver(() => window.__progress.push(progress.textContent)).observe(progress, { childList: true, subtree: true });
  });
  await send(page, 'hostile workflow');
  await waitResponses(page, 1);
  const workflow = page.locator('.ck-workflow');
  await workflow.locator('summary').getByText(`${IMG} ${SCRIPT}`, { exact: true }).waitFor();
  assert.deepEqual(await workflow.locator('.ck-task-title').allInnerTexts(), [IMG, SVG, SCRIPT]);
  assert.equal(await page.locator('.ck-task-item .ck-task-title').innerText(), `${SCRIPT}${IMG}`);
  assert.equal(await workflow.locator('.ck-task-query').innerText(), IMG);
  assert.ok((await page.evaluate(() => window.__progress)).includes(`${IMG} ${SCRIPT}`), 'the progress text was shown as text');
  assert.equal(await page.locator('.ck-title').innerText(), IMG);
  await shot(page, 'xss-workflow');
  assert.deepEqual(await page.evaluate(() => window.__added), []);
  await assertClean(page);
});
