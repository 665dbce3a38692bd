// Chat basics against the real conformance app: served page, composer, streaming markdown,
// threads, history, stop, errors, retry, events.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openApp, openTestPage, lastReply, mount, composer, send, waitResponses, requests, events, shot } from './harness.mjs';

const env = useBrowser();

test('the binary serves the client at / and it chats with POST /chatkit', async () => {
  const page = await openApp(env, { viewport: { width: 1000, height: 700 } });
  assert.equal(page.response.status(), 200);
  assert.match(page.response.headers()['content-security-policy'], /script-src 'self'/);
  await page.getByRole('heading', { name: 'What can I help with today?' }).waitFor();
  await shot(page, 'start-screen');
  await send(page, 'echo Hello from the **web** client');
  const reply = lastReply(page);
  await reply.locator('strong', { hasText: 'web' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('chatkit-panel').streaming);
  assert.equal((await reply.innerText()).trim(), 'Hello from the web client');
  await page.getByRole('heading', { name: 'echo Hello from the **web**' }).waitFor();
  await shot(page, 'chat');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('R01 R02 R03 first send creates the thread, the next adds to it; text streams', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'echo one two three');
  await waitResponses(page, 1);
  await send(page, 'echo four');
  await waitResponses(page, 2);
  const created = await requests(page, 'threads.create');
  const added = await requests(page, 'threads.add_user_message');
  assert.equal(created.length, 1);
  assert.deepEqual(created[0].params.input, { content: [{ type: 'input_text', text: 'echo one two three' }], attachments: [], inference_options: {} });
  const threadId = await page.evaluate(() => ck.panel.threadId);
  assert.match(threadId, /^thr_/);
  assert.equal(added.length, 1);
  assert.equal(added[0].params.thread_id, threadId);
  const replies = await page.locator('.ck-assistant').allInnerTexts();
  assert.deepEqual(replies.map((t) => t.trim()), ['one two three', 'four']);
  const users = await page.locator('.ck-user').allInnerTexts();
  assert.deepEqual(users.map((t) => t.trim()), ['echo one two three', 'echo four']);
  const change = await events(page, 'thread.change');
  assert.deepEqual(change.map((e) => e.detail.threadId), [threadId]);
  assert.equal((await events(page, 'ready')).length, 1);
  const starts = await events(page, 'response.start');
  assert.equal(starts.length, 2);
  assert.deepEqual(page.errors, []);
});

test('Enter sends, Shift+Enter adds a newline, empty drafts do not send', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  const box = composer(page);
  await box.click();
  await box.press('Enter');
  assert.equal((await requests(page, 'threads.create')).length, 0);
  assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
  await box.pressSequentially('echo a');
  await box.press('Shift+Enter');
  await box.pressSequentially('b');
  await box.press('Enter');
  await waitResponses(page, 1);
  const [create] = await requests(page, 'threads.create');
  assert.equal(create.params.input.content[0].text, 'echo a\nb');
});

test('R08 E03 Stop aborts a slow stream and keeps the partial text', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'slow 40');
  const stop = page.getByRole('button', { name: 'Stop' });
  await stop.waitFor();
  await page.waitForFunction(() => (document.querySelector('chatkit-panel').shadowRoot.querySelector('.ck-assistant')?.innerText || '').includes('3'));
  await stop.click();
  await waitResponses(page, 1);
  const partial = (await page.locator('.ck-assistant').innerText()).trim();
  assert.match(partial, /^1 2 3/);
  assert.ok(!partial.includes('40'), partial);
  await page.getByRole('button', { name: 'Send' }).waitFor();
  // The server kept exactly what was shown.
  const id = await page.evaluate(() => ck.panel.threadId);
  await page.evaluate((id) => ck.panel.setThreadId(id), id);
  await page.locator('.ck-assistant').waitFor();
  const reloaded = (await page.locator('.ck-assistant').innerText()).trim();
  assert.ok(partial.startsWith(reloaded.slice(0, 5)), `${reloaded} vs ${partial}`);
});

test('Escape stops the stream', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'slow 40');
  await page.getByRole('button', { name: 'Stop' }).waitFor();
  await page.locator('.ck-assistant', { hasText: '2' }).waitFor();
  await composer(page).press('Escape');
  await waitResponses(page, 1);
  const text = (await page.locator('.ck-assistant').innerText()).trim();
  assert.ok(!text.endsWith('40'));
});

test('R07 E06 errors show inline; Retry only when allowed, and retries the turn', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ threadItemActions: { retry: true } }));
  await send(page, 'error custom Broken on purpose');
  await page.getByRole('alert').filter({ hasText: 'Broken on purpose' }).waitFor();
  assert.equal(await page.getByRole('alert').getByRole('button', { name: 'Retry' }).count(), 0);
  await waitResponses(page, 1);
  await send(page, 'error retryable Try later');
  const alert = page.getByRole('alert').filter({ hasText: 'Try later' });
  await alert.waitFor();
  await waitResponses(page, 2);
  await shot(page, 'error-retry');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await waitResponses(page, 3);
  const [retry] = await requests(page, 'threads.retry_after_item');
  const users = await page.evaluate(() => [...ck.panel.shadowRoot.querySelectorAll('.ck-user')].map((e) => e.dataset.itemId));
  assert.equal(retry.params.item_id, users[1]);
  const errors = await events(page, 'error');
  assert.ok(errors.length >= 3, JSON.stringify(errors));
  assert.equal(errors[0].detail.error.message, 'Broken on purpose');
});

test('R09 retry after an answer re-runs the turn (attempt 2)', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ threadItemActions: { retry: true, feedback: true } }));
  await send(page, 'attempt');
  await page.getByText('Attempt 1 for this message.').waitFor();
  await waitResponses(page, 1);
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByText('Attempt 2 for this message.').waitFor();
  assert.equal(await page.getByText('Attempt 1 for this message.').count(), 0);
});

test('R10 thumbs send items.feedback with the turn item ids', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ threadItemActions: { feedback: true } }));
  await send(page, 'echo rate me');
  await waitResponses(page, 1);
  await page.getByRole('button', { name: 'Good response' }).click();
  await page.waitForFunction(() => ck.ofType('items.feedback').length === 1);
  const [feedback] = await requests(page, 'items.feedback');
  const replyId = await page.locator('.ck-assistant').getAttribute('data-item-id');
  assert.deepEqual(feedback.params.item_ids, [replyId]);
  assert.equal(feedback.params.kind, 'positive');
  await page.locator('[aria-label="Good response"][aria-pressed="true"]').waitFor();
  await send(page, 'feedback');
  await page.getByText(`Feedback: ${replyId}=positive`).waitFor();
  const logs = await events(page, 'log');
  assert.ok(logs.some((l) => l.detail.name === 'message.feedback'));
});

test('R11 R13 R14 M06 history lists, switches, renames and deletes threads', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ history: { enabled: true, showRename: true, showDelete: true } }));
  await send(page, 'title First thread');
  await page.getByRole('heading', { name: 'First thread' }).waitFor();
  await waitResponses(page, 1);
  const first = await page.evaluate(() => ck.panel.threadId);
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('heading', { name: 'What can I help with today?' }).waitFor();
  await send(page, 'echo second');
  await waitResponses(page, 2);
  const change = await events(page, 'thread.change');
  assert.deepEqual(change.map((e) => e.detail.threadId).slice(0, 2), [first, null]);
  await page.getByRole('button', { name: 'History' }).click();
  const nav = page.getByRole('navigation', { name: 'Conversation history' });
  await nav.getByRole('button', { name: 'First thread', exact: true }).waitFor();
  const list = await requests(page, 'threads.list');
  assert.equal(list[0].params.order, 'desc');
  const rows = await nav.locator('.ck-history-open').allInnerTexts();
  assert.deepEqual(rows, ['echo second', 'First thread']);
  await shot(page, 'history');
  await nav.getByRole('button', { name: 'First thread', exact: true }).click();
  await page.getByText('Title set to First thread.').waitFor();
  assert.equal(await page.evaluate(() => ck.panel.threadId), first);
  // Rename.
  await nav.getByRole('button', { name: 'Rename First thread' }).click();
  const input = nav.getByRole('textbox', { name: 'New title' });
  await input.fill('Renamed');
  await input.press('Enter');
  await page.getByRole('heading', { name: 'Renamed' }).waitFor();
  const [update] = await requests(page, 'threads.update');
  assert.deepEqual(update.params, { thread_id: first, title: 'Renamed' });
  // Delete the active one: back to the start screen.
  await nav.getByRole('button', { name: 'Delete Renamed' }).click();
  await page.getByRole('heading', { name: 'What can I help with today?' }).waitFor();
  const [del] = await requests(page, 'threads.delete');
  assert.deepEqual(del.params, { thread_id: first });
  assert.equal(await nav.locator('.ck-history-open').count(), 1);
});

test('R13 history pages with after while scrolling', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  for (let i = 0; i < 22; i++) {
    await page.evaluate((i) => ck.panel.sendUserMessage({ text: `echo t${i}`, newThread: true }), i);
  }
  await page.evaluate(() => ck.panel.showHistory());
  const nav = page.getByRole('navigation', { name: 'Conversation history' });
  await nav.locator('.ck-history-open').nth(19).waitFor();
  await nav.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await page.waitForFunction(() => ck.ofType('threads.list').length >= 2);
  const [, second] = await requests(page, 'threads.list');
  assert.ok(second.params.after, JSON.stringify(second));
  await page.waitForFunction(() => ck.panel.shadowRoot.querySelectorAll('.ck-history-open').length >= 22);
});

test('E01 E02 E04 ready once; every streaming request is bracketed by response.start/end; thread.change', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ threadItemActions: { retry: true }, onClientTool: ({ params }) => ({ picked: params.args[0] }) }));
  // A second setOptions does not fire ready again.
  await page.evaluate(() => ck.mount({ threadItemActions: { retry: true }, onClientTool: ({ params }) => ({ picked: params.args[0] }) }));
  // One ordered log of streaming requests and response events.
  await page.evaluate(() => {
    window.__log = [];
    const STREAMING = ['threads.create', 'threads.add_user_message', 'threads.custom_action', 'threads.retry_after_item', 'threads.add_client_tool_output', 'threads.add_structured_input'];
    const push = ck.requests.push.bind(ck.requests);
    ck.requests.push = (body) => {
      if (STREAMING.includes(body.type)) window.__log.push(body.type);
      return push(body);
    };
    for (const name of ['response.start', 'response.end']) ck.panel.addEventListener(`chatkit.${name}`, () => window.__log.push(name));
  });
  await send(page, 'echo first');
  await waitResponses(page, 1);
  const threadId = await page.evaluate(() => ck.panel.threadId);
  await send(page, 'tool pick blue');
  await page.getByText('{"picked":"blue"}', { exact: false }).first().waitFor();
  await waitResponses(page, 3);
  await page.evaluate(() => ck.panel.sendCustomAction({ type: 'ping', payload: { a: 1 } }));
  await send(page, 'structured');
  await page.getByRole('form', { name: 'Answer the questions' }).waitFor();
  await waitResponses(page, 5);
  await page.getByRole('form', { name: 'Answer the questions' }).getByRole('button', { name: 'Skip' }).click();
  await waitResponses(page, 6);
  await page.evaluate(() => ck.panel.retry());
  await waitResponses(page, 7);
  const log = await page.evaluate(() => window.__log);
  const types = log.filter((x) => !x.startsWith('response.'));
  assert.deepEqual(types, ['threads.create', 'threads.add_user_message', 'threads.add_client_tool_output', 'threads.custom_action', 'threads.add_user_message', 'threads.add_structured_input', 'threads.retry_after_item']);
  // start, request, end — for each of them, never nested.
  assert.deepEqual(log, types.flatMap((type) => ['response.start', type, 'response.end']));
  assert.equal((await events(page, 'ready')).length, 1);
  // thread.change: the id on thread.created, null on new chat.
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('heading', { name: 'What can I help with today?' }).waitFor();
  const changes = (await events(page, 'thread.change')).map((e) => e.detail.threadId);
  assert.deepEqual(changes, [threadId, null]);
});

test('R04 undo removes an item (thread.item.removed)', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'echo keep me');
  await send(page, 'echo drop me');
  await waitResponses(page, 2);
  await send(page, 'undo');
  await page.getByText('Removed the previous assistant message.').waitFor();
  await waitResponses(page, 3);
  const replies = (await page.locator('.ck-assistant').allInnerTexts()).map((t) => t.trim());
  assert.deepEqual(replies, ['keep me', 'Removed the previous assistant message.']);
  // The store agrees after a reload.
  await page.evaluate(() => ck.panel.fetchUpdates());
  assert.deepEqual((await page.locator('.ck-assistant').allInnerTexts()).map((t) => t.trim()), replies);
});

test('E06 a failed request emits chatkit.error and shows it', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await page.evaluate(() => ck.panel.setThreadId('thr_missing').catch(() => {}));
  await page.getByRole('alert').waitFor();
  const errors = await events(page, 'error');
  assert.ok(errors.length >= 1);
  assert.match(errors[0].detail.error.message, /not found|thr_missing/i);
});

test('R05 R06 progress lines vanish at the end; notices are styled banners', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'progress 3');
  await page.getByText('Finished 3 steps.').waitFor();
  await waitResponses(page, 1);
  assert.equal(await page.locator('.ck-progress').isHidden(), true);
  await send(page, 'notice warning Mind the **gap**');
  const notice = page.locator('.ck-notice-warning');
  await notice.waitFor();
  assert.match(await notice.innerText(), /Notice/);
  assert.equal(await notice.locator('strong', { hasText: 'gap' }).count(), 1);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await page.locator('.ck-notice').count(), 0);
});

test('R03 R05 R17 output shows as it streams: text grows, progress lines come and go, workflow tasks update', async () => {
  const page = await openTestPage(env.browser, env.server);
  // Each SSE frame reaches the client 60 ms after the previous one, so every step can be seen.
  await mount(page, () => ({
    api: {
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (!(response.headers.get('content-type') || '').includes('text/event-stream')) return response;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const encoder = new TextEncoder();
        let buffer = '';
        const body = new ReadableStream({
          async pull(controller) {
            for (;;) {
              const end = buffer.indexOf('\n\n');
              if (end >= 0) {
                const frame = buffer.slice(0, end + 2);
                buffer = buffer.slice(end + 2);
                await new Promise((r) => setTimeout(r, 60));
                controller.enqueue(encoder.encode(frame));
                return;
              }
              const { done, value } = await reader.read();
              if (done) {
                if (buffer) controller.enqueue(encoder.encode(buffer));
                controller.close();
                return;
              }
              buffer += decoder.decode(value, { stream: true });
            }
          },
        });
        return new Response(body, { status: response.status, headers: response.headers });
      },
    },
  }));
  // What the panel showed after each change: the last reply, the progress line, workflow tasks.
  await page.evaluate(() => {
    window.__seen = { replies: [], progress: [], tasks: [] };
    const root = ck.panel.shadowRoot;
    const last = (list) => list[list.length - 1];
    const note = (list, value) => {
      if (value !== undefined && last(list) !== value) list.push(value);
    };
    new MutationObserver(() => {
      const reply = [...root.querySelectorAll('.ck-assistant')].pop();
      if (reply) note(window.__seen.replies, reply.innerText.trim());
      const progress = root.querySelector('.ck-progress');
      note(window.__seen.progress, progress.hidden ? '' : progress.textContent);
      const workflow = root.querySelector('details.ck-workflow');
      if (workflow) {
        const states = [...workflow.querySelectorAll('.ck-task')].map((t) => [...t.classList].find((c) => /^ck-task-(loading|complete|none)$/.test(c)).slice(8));
        note(window.__seen.tasks, `${states.join(',')}${workflow.open ? '' : ' (collapsed)'}`);
      }
    }).observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await send(page, 'echo one two three four five');
  await waitResponses(page, 1);
  const replies = await page.evaluate(() => window.__seen.replies.filter(Boolean));
  assert.deepEqual(replies, ['one', 'one two', 'one two three', 'one two three four', 'one two three four five']);
  // The final text is the one stored with the finished message.
  await page.evaluate(() => ck.panel.fetchUpdates());
  await page.locator('.ck-assistant', { hasText: 'one two three four five' }).waitFor();

  await send(page, 'progress 3');
  await waitResponses(page, 2);
  const progress = await page.evaluate(() => window.__seen.progress.filter((p, i, all) => p || i === all.length - 1));
  assert.deepEqual(progress, ['Step 1 of 3', 'Step 2 of 3', 'Step 3 of 3', '']);

  await send(page, 'workflow 2');
  await waitResponses(page, 3);
  const tasks = await page.evaluate(() => window.__seen.tasks.filter(Boolean));
  assert.deepEqual(tasks, ['loading', 'complete', 'complete,loading', 'complete,complete', 'complete,complete (collapsed)']);
  assert.deepEqual(page.errors, []);
});
