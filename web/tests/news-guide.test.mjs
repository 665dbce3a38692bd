// The news-guide example (`chatkit serve --app news-guide`, offline scripted model) in its own
// page: a search streams an article list, "View" opens the article beside the chat (client
// action, forwarded), the next turn summarizes the open page, and the event timeline opens
// an event's details through a server action.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp as open, say as send, lastReply, shot } from './harness.mjs';

const env = useApp('news-guide');

async function openApp() {
  const page = await open(env);
  await page.locator('#paper .story').nth(3).waitFor();
  return page;
}

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
