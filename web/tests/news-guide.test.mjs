// The news-guide example (`chatkit serve --app news-guide`, offline scripted model) in its own
// page: a search streams an article list, "View" opens the article beside the chat (client
// action, forwarded), the next turn summarizes the open page, and the event timeline opens
// an event's details through a server action.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, shot } from './harness.mjs';

let server;
let browser;
let dataDir;

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'chatkit-news-'));
  server = await startServer('serve', ['--app', 'news-guide', '--store', 'memory', '--data-dir', dataDir]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openApp() {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, extraHTTPHeaders: { 'x-user-id': `reader-${Math.random().toString(36).slice(2)}` } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(msg.text());
  });
  await page.goto(`${server.url}/`);
  await page.locator('#paper .story').nth(3).waitFor();
  return page;
}

async function send(page, text) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

const lastReply = (page) => page.locator('.ck-assistant').last();

test('search, open an article from the list, then ask about this page', async () => {
  const page = await openApp();
  assert.equal(await page.locator('#paper .story').count(), 4, 'the front page has the featured stories');
  await page.getByRole('button', { name: 'Browse trending stories' }).click();
  const list = page.locator('[data-item-type="widget"]').last();
  await list.getByRole('button', { name: 'View' }).nth(1).waitFor();
  assert.equal(await list.getByRole('button', { name: 'View' }).count(), 2, 'two stories by default');
  await list.getByRole('button', { name: 'View' }).first().click();

  await page.locator('#paper article.full[data-article="cafe-emotional-support-espresso"]').waitFor();
  await lastReply(page).getByText('Want a quick summary of', { exact: false }).waitFor();
  await shot(page, 'news-guide');

  // The open page travels with the request (article-id): the summary is of this article.
  await send(page, 'Give me a summary of this page.');
  const title = await page.locator('#paper article.full h1').innerText();
  await lastReply(page).getByText(title, { exact: false }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the event timeline opens an event on the server', async () => {
  const page = await openApp();
  await send(page, 'What events are happening on Saturday?');
  const timeline = page.locator('[data-item-type="widget"]').last();
  await timeline.getByText('Lantern Walk & Folk Session').waitFor();
  assert.equal(await timeline.getByText('A twilight lantern stroll', { exact: false }).count(), 0);
  await timeline.getByRole('button', { name: 'Show details ↓' }).nth(1).click();
  await timeline.getByText('A twilight lantern stroll', { exact: false }).waitFor();
  await shot(page, 'news-guide-events');
  assert.deepEqual(page.errors, []);
});

test('the puzzle composer tool routes the turn to the Puzzle Keeper', async () => {
  const page = await openApp();
  await page.evaluate(() => document.getElementById('chat').setComposerValue({ selectedToolId: 'puzzle' }));
  await send(page, 'Two truths and a lie, please');
  await lastReply(page).getByText('Which one is the lie?', { exact: false }).waitFor();
  assert.match(await lastReply(page).innerText(), /Coffee Break Puzzle Corner/);
  assert.deepEqual(page.errors, []);
});
