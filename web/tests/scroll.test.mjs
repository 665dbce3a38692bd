// Long threads and scrolling: older items page in on scroll-up (items.list, newest first) without
// moving the view, each thread keeps its scroll position across switches, and `thread.autoScroll`
// decides whether streaming output moves the view.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openTestPage, mount, send, waitResponses, requests, events, shot } from './harness.mjs';

const env = useBrowser();

/** Sends `echo m0` … `echo m{n-1}` into one thread; returns its id. */
async function longThread(page, n) {
  for (let i = 0; i < n; i++) await page.evaluate((i) => ck.panel.sendUserMessage({ text: `echo m${i}` }), i);
  return page.evaluate(() => ck.panel.threadId);
}

/** Scroll metrics of the transcript and where item elements sit relative to its top. */
function metrics(page) {
  return page.evaluate(() => {
    const sc = ck.panel.shadowRoot.querySelector('.ck-scroll');
    const top = sc.getBoundingClientRect().top;
    const spacer = ck.panel.shadowRoot.querySelector('.ck-spacer');
    const items = [...sc.querySelectorAll('.ck-items > .ck-item')].map((el) => ({ id: el.dataset.itemId, type: el.dataset.itemType, text: el.innerText.trim(), top: el.getBoundingClientRect().top - top }));
    const contentEnd = spacer.getBoundingClientRect().top - top;
    return { scrollTop: sc.scrollTop, clientHeight: sc.clientHeight, scrollHeight: sc.scrollHeight, items, below: contentEnd - sc.clientHeight };
  });
}

const assistants = async (page) => (await page.locator('.ck-assistant').allInnerTexts()).map((t) => t.trim());

test('R15 a long thread opens at its newest page; scrolling up pages older items in without moving the view', async () => {
  const page = await openTestPage(env.browser, env.server, { viewport: { width: 900, height: 600 } });
  await mount(page, () => ({ thread: { pageSize: 10 } }));
  const id = await longThread(page, 23);
  await page.evaluate(() => ck.panel.setThreadId(null));
  await page.evaluate((id) => ck.panel.setThreadId(id), id);
  // get_by_id gives the oldest items; the view starts from the newest page instead.
  const first = (await requests(page, 'items.list'))[0];
  assert.deepEqual(first.params, { thread_id: id, order: 'desc', limit: 10 });
  let m = await metrics(page);
  assert.equal(m.items.length, 10);
  assert.equal(m.items[m.items.length - 1].text, 'm22');
  assert.ok(m.below <= 1, `opens at the end (${m.below}px below)`);
  await page.getByRole('button', { name: 'Load earlier messages' }).waitFor();
  await shot(page, 'paging-newest');
  // Scroll up page by page: the item that was on top stays exactly where it was.
  let rounds = 0;
  while ((await assistants(page)).length < 23 && rounds++ < 10) {
    const before = await metrics(page);
    const lists = (await requests(page, 'items.list')).length;
    await page.locator('.ck-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForFunction((n) => ck.ofType('items.list').length > n, lists);
    await page.waitForFunction(() => !ck.panel.shadowRoot.querySelector('.ck-older [role="status"]'));
    const after = await metrics(page);
    const anchor = before.items[0];
    const moved = after.items.find((i) => i.id === anchor.id);
    assert.ok(after.items.length > before.items.length);
    // At scrollTop 0 the old first item sat at `anchor.top - before.scrollTop`; it still does.
    assert.ok(Math.abs(moved.top - (anchor.top + before.scrollTop)) <= 2, `view kept: ${moved.top} vs ${anchor.top + before.scrollTop} round ${rounds} ${JSON.stringify(before.items.slice(0, 2))} ${JSON.stringify(after.items.slice(0, 2))} ${before.scrollTop} ${after.scrollTop}`);
  }
  assert.deepEqual(await assistants(page), Array.from({ length: 23 }, (_, i) => `m${i}`));
  const users = (await page.locator('.ck-user').allInnerTexts()).map((t) => t.trim());
  assert.deepEqual(users, Array.from({ length: 23 }, (_, i) => `echo m${i}`));
  // Every page after the first continues from the previous page's cursor.
  const lists = await requests(page, 'items.list');
  assert.ok(lists.length >= 4, `${lists.length} pages`);
  for (const list of lists.slice(1)) {
    assert.equal(list.params.order, 'desc');
    assert.match(list.params.after, /^msg_/);
  }
  assert.equal(await page.locator('.ck-older').isHidden(), true);
  const loads = await events(page, 'thread.load.end');
  assert.ok(loads.some((e) => e.detail.threadId === id));
  assert.deepEqual(page.errors, []);
});

test('a page emptied by hidden items (has_more with no data) does not stop the paging', async () => {
  const page = await openTestPage(env.browser, env.server, { viewport: { width: 900, height: 600 } });
  await mount(page, () => ({ thread: { pageSize: 6 } }));
  const id = await longThread(page, 12);
  // The first older page comes back empty, as when every item in it is hidden context.
  let emptied = null;
  await page.route('**/chatkit', (route) => {
    const body = JSON.parse(route.request().postData() || '{}');
    if (body.type === 'items.list' && body.params.after && !emptied) {
      emptied = body.params.after;
      return route.fulfill({ json: { data: [], has_more: true, after: body.params.after } });
    }
    return route.fallback();
  });
  await page.evaluate(() => ck.panel.setThreadId(null));
  await page.evaluate((id) => ck.panel.setThreadId(id), id);
  for (let i = 0; i < 10 && (await assistants(page)).length < 12; i++) {
    await page.locator('.ck-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForTimeout(150);
    await page.waitForFunction(() => !ck.panel.shadowRoot.querySelector('.ck-older [role="status"]'));
  }
  assert.deepEqual(await assistants(page), Array.from({ length: 12 }, (_, i) => `m${i}`));
  const afters = (await requests(page, 'items.list')).map((r) => r.params.after ?? null);
  assert.equal(afters[0], null);
  assert.equal(afters[1], emptied);
  assert.equal(afters[2], emptied, 'the same cursor is asked again after the empty page');
  assert.equal(await page.locator('.ck-older').isHidden(), true);
});

test('each thread keeps its scroll position across thread switches', async () => {
  const page = await openTestPage(env.browser, env.server, { viewport: { width: 900, height: 560 } });
  await mount(page, () => ({ thread: { pageSize: 8 } }));
  const a = await longThread(page, 14);
  await page.evaluate(() => ck.panel.setThreadId(null));
  await page.evaluate((id) => ck.panel.setThreadId(id), a);
  // Scroll up into an older page, then a bit down: some older item is on top.
  for (let i = 0; i < 3; i++) {
    await page.locator('.ck-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForFunction(() => !ck.panel.shadowRoot.querySelector('.ck-older [role="status"]'));
  }
  await page.locator('.ck-scroll').evaluate((el) => {
    el.scrollTop += 130;
  });
  await page.waitForTimeout(100);
  const left = await metrics(page);
  const top = left.items.find((i) => i.top + 1 >= 0 && i.top < 200) || left.items.find((i) => i.top > -200);
  assert.ok(top, JSON.stringify(left.items.slice(0, 4)));
  // Another thread, scrolled to its end as usual.
  await page.evaluate(() => ck.panel.setThreadId(null));
  await send(page, 'echo other thread');
  await waitResponses(page, 15);
  const b = await page.evaluate(() => ck.panel.threadId);
  // Back to A: the same item at the same place, older pages fetched again as needed.
  await page.evaluate((id) => ck.panel.setThreadId(id), a);
  const back = await metrics(page);
  const same = back.items.find((i) => i.id === top.id);
  assert.ok(same, `item ${top.id} (${top.text}) is loaded again`);
  assert.ok(Math.abs(same.top - top.top) <= 2, `${same.top} vs ${top.top}`);
  await shot(page, 'scroll-restored');
  // setOptions re-renders every item (here in another language and spacing): the same item stays on top.
  await page.evaluate(() => ck.mount({ locale: 'de', theme: { density: 'spacious' }, thread: { pageSize: 8 } }));
  await page.getByRole('button', { name: 'Kopieren' }).first().waitFor({ state: 'attached' });
  const rerendered = (await metrics(page)).items.find((i) => i.id === top.id);
  assert.ok(Math.abs(rerendered.top - top.top) <= 2, `${rerendered.top} vs ${top.top}`);
  // And B comes back at its end.
  await page.evaluate((id) => ck.panel.setThreadId(id), b);
  const atEnd = await metrics(page);
  assert.ok(atEnd.below <= 1);
  // From the history panel too.
  await page.evaluate(() => ck.panel.showHistory());
  await page.locator('.ck-history-row').nth(1).getByRole('button').first().click();
  await page.waitForFunction((a) => ck.panel.threadId === a, a);
  await page.waitForFunction(() => ck.named('thread.load.end').length >= 4);
  const again = await metrics(page);
  const found = again.items.find((i) => i.id === top.id);
  assert.ok(found && Math.abs(found.top - top.top) <= 2, JSON.stringify(found));
  assert.deepEqual(page.errors, []);
});

/** Records the transcript's scrollTop on every animation frame until stopped. */
async function recordScroll(page) {
  await page.evaluate(() => {
    const sc = ck.panel.shadowRoot.querySelector('.ck-scroll');
    window.__scrolls = [];
    const tick = () => {
      window.__scrolls.push(sc.scrollTop);
      if (window.__scrolls) window.__raf = requestAnimationFrame(tick);
    };
    tick();
  });
}

async function stopRecording(page) {
  return page.evaluate(() => {
    cancelAnimationFrame(window.__raf);
    return window.__scrolls;
  });
}

test('thread.autoScroll off (default): the sent message moves to the top and the reply never moves the view', async () => {
  const page = await openTestPage(env.browser, env.server, { viewport: { width: 320, height: 360 } });
  await mount(page);
  for (const text of ['echo one', 'echo two', 'echo three', 'echo four']) await send(page, text);
  await waitResponses(page, 4);
  await send(page, 'slow 100');
  await page.waitForFunction(() => ck.named('response.start').length === 5);
  await page.locator('.ck-assistant').nth(4).waitFor();
  await recordScroll(page);
  await waitResponses(page, 5);
  const scrolls = await stopRecording(page);
  assert.ok(scrolls.length > 3);
  assert.equal(new Set(scrolls).size, 1, `the view stayed put: ${[...new Set(scrolls)].join(',')}`);
  const m = await metrics(page);
  const user = m.items.filter((i) => i.type === 'user_message').pop();
  assert.equal(user.text, 'slow 100');
  assert.ok(user.top >= 0 && user.top <= 24, `the sent message is at the top (${user.top})`);
  // The reply runs below the fold: a button jumps to it.
  assert.ok(m.below > 80, `${m.below}px below`);
  const jump = page.getByRole('button', { name: 'Scroll to latest' });
  await jump.waitFor();
  await shot(page, 'autoscroll-off');
  await jump.click();
  assert.ok((await metrics(page)).below <= 1);
  await jump.waitFor({ state: 'hidden' });
  // Scrolled up while a reply streams: nothing pulls the view down.
  await send(page, 'slow 40');
  await page.locator('.ck-assistant').nth(5).waitFor();
  await page.locator('.ck-scroll').evaluate((el) => {
    el.scrollTop = 0;
  });
  await waitResponses(page, 6);
  assert.equal((await metrics(page)).scrollTop, 0);
  assert.deepEqual(page.errors, []);
});

test('thread.autoScroll on: output is followed while the view is at the end, not after scrolling up', async () => {
  const page = await openTestPage(env.browser, env.server, { viewport: { width: 420, height: 460 } });
  await mount(page, () => ({ thread: { autoScroll: true } }));
  for (const text of ['echo one', 'echo two', 'echo three']) await send(page, text);
  await waitResponses(page, 3);
  await send(page, 'slow 100');
  await page.locator('.ck-assistant').nth(3).waitFor();
  await recordScroll(page);
  await waitResponses(page, 4);
  const scrolls = await stopRecording(page);
  assert.ok(new Set(scrolls).size > 1, 'the view followed the output');
  let m = await metrics(page);
  assert.ok(m.below <= 1, `at the end (${m.below}px below)`);
  assert.equal(await page.getByRole('button', { name: 'Scroll to latest' }).isHidden(), true);
  await shot(page, 'autoscroll-on');
  // Scrolled up mid-stream: the view stays where the reader put it.
  await send(page, 'slow 60');
  await page.locator('.ck-assistant').nth(4).waitFor();
  await page.locator('.ck-scroll').evaluate((el) => {
    el.scrollTop = 0;
  });
  await waitResponses(page, 5);
  m = await metrics(page);
  assert.equal(m.scrollTop, 0);
  await page.getByRole('button', { name: 'Scroll to latest' }).waitFor();
  assert.deepEqual(page.errors, []);
});
