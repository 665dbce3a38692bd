// The client against the Python reference server (openai-chatkit 1.6.5 running the
// conformance kit's reference_app.py): the client's files come from our binary, every
// POST /chatkit goes to the reference. Proves our client speaks the upstream protocol, not
// just our server's reading of it. The Python comes from REFERENCE_PYTHON (the test script
// installs it into bench/.venv).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBrowser, openTestPage, stopProcess, mount, send, waitResponses, requests, events, shot } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const env = useBrowser();
let reference = null;

before(async () => {
  reference = await startReference();
});
after(async () => {
  await reference?.stop();
});

/** A free port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts reference_app.py and resolves once it answers; `stop()` ends it. */
async function startReference() {
  const python = process.env.REFERENCE_PYTHON || path.join(repo, 'bench/.venv/bin/python');
  const kit = execFileSync('bash', [path.join(repo, 'scripts/kit-dir.sh')], { encoding: 'utf8' }).trim();
  const port = await freePort();
  const child = spawn(python, [path.join(kit, 'conformance/reference_app.py'), '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`reference app exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/chatkit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"threads.list","params":{}}' });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`reference app did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () => stopProcess(child),
  };
}

/** The test page, with every POST /chatkit answered by the reference server. */
async function openOnReference() {
  const page = await openTestPage(env.browser, env.server);
  page.toReference = 0;
  await page.route(`${env.server.url}/chatkit`, async (route) => {
    page.toReference += 1;
    const response = await route.fetch({ url: `${reference.url}/chatkit` });
    await route.fulfill({ response });
  });
  return page;
}

test('chat on the reference: the thread is created, then added to; text shows', async () => {
  const page = await openOnReference();
  await mount(page);
  await send(page, 'echo one two three');
  await waitResponses(page, 1);
  await send(page, 'echo four');
  await waitResponses(page, 2);
  const replies = await page.locator('.ck-assistant').allInnerTexts();
  assert.deepEqual(replies.map((t) => t.trim()), ['one two three', 'four']);
  const threadId = await page.evaluate(() => ck.panel.threadId);
  const [added] = await requests(page, 'threads.add_user_message');
  assert.equal(added.params.thread_id, threadId);
  assert.deepEqual((await events(page, 'thread.change')).map((e) => e.detail.threadId), [threadId]);
  assert.ok(page.toReference >= 2, 'the requests went to the reference');
  assert.deepEqual(page.errors, []);
});

test('widgets on the reference: a server action replaces the counter in place', async () => {
  const page = await openOnReference();
  await mount(page);
  await send(page, 'widget counter');
  const card = page.locator('.ck-card');
  await card.getByText('Count: 0').waitFor();
  await waitResponses(page, 1);
  await page.getByRole('button', { name: 'Increment' }).click();
  await card.getByText('Count: 1').waitFor();
  await page.getByText('Count is now 1').waitFor();
  assert.equal(await page.locator('[data-item-type="widget"]').count(), 1);
  const [action] = await requests(page, 'threads.custom_action');
  assert.deepEqual(action.params.action, { type: 'counter.increment', payload: { by: 1 } });
  await shot(page, 'python-reference-counter');
  assert.deepEqual(page.errors, []);
});

test('effects, feedback and history on the reference', async () => {
  const page = await openOnReference();
  await mount(page, () => ({ threadItemActions: { feedback: true }, history: { enabled: true } }));
  await send(page, 'title Palette');
  await page.getByRole('heading', { name: 'Palette' }).waitFor();
  await waitResponses(page, 1);
  await send(page, 'widget list');
  await page.getByText('Pick a color').waitFor();
  await waitResponses(page, 2);
  await page.getByRole('button', { name: 'Green' }).click();
  await page.getByText('Selected: Green').waitFor();
  await waitResponses(page, 3);
  const effects = await events(page, 'effect');
  assert.deepEqual(effects.map((e) => e.detail), [{ name: 'highlight', data: { id: 'green' } }]);

  await send(page, 'echo rate me');
  await waitResponses(page, 4);
  await page.getByRole('button', { name: 'Good response' }).last().click();
  await page.waitForFunction(() => ck.ofType('items.feedback').length === 1);
  await send(page, 'feedback');
  await page.getByText(/Feedback: .+=positive/).waitFor();

  // The thread list comes from the reference too.
  await page.getByRole('button', { name: 'History' }).click();
  const nav = page.getByRole('navigation', { name: 'Conversation history' });
  await nav.getByRole('button', { name: 'Palette', exact: true }).waitFor();
  await shot(page, 'python-reference-history');
  assert.deepEqual(page.errors, []);
});
