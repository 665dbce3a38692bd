// The news-guide example (`chatkit serve --app news-guide`, offline scripted model) in its own
// page: a search streams an article list, "View" opens the article beside the chat (client
// action, forwarded), the next turn summarizes the open page, and the event timeline opens
// an event's details through a server action.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp as open, say as send, lastReply, shot } from './harness.mjs';

const env = useApp('news-guide');

async function openApp({ viewport } = {}) {
  const page = await open(env, viewport ? { viewport } : {});
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

test('@-mention an article: search, chip, sent as a tag, the model answers from the article reference', async () => {
  const page = await openApp();
  const chatkit = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/chatkit') chatkit.push(JSON.parse(request.postData() || '{}'));
  });
  const box = page.getByRole('textbox', { name: 'Message' });
  const menu = page.getByRole('listbox', { name: 'Suggestions' });
  await box.click();
  await box.pressSequentially('Tell me about @crossw', { delay: 20 });
  // The menu first lists every story and author; wait for the answer to "crossw".
  await page.waitForFunction(() => {
    const options = [...document.getElementById('chat').shadowRoot.querySelectorAll('.ck-menu-option')];
    return options.length === 1 && options[0].textContent === 'Crosswalk Button Plays Soft...';
  });
  assert.deepEqual(await menu.locator('.ck-menu-group-title').allInnerTexts(), ['Articles']);
  await shot(page, 'news-guide-mention-menu');
  await menu.getByRole('option', { name: 'Crosswalk Button Plays Soft...' }).click();
  const draftChip = page.locator('.ck-input .ck-chip', { hasText: 'Crosswalk Button Plays Soft...' });
  await draftChip.waitFor();
  assert.equal(await menu.isHidden(), true);
  await box.press('Enter');

  // The chip is in the sent message; the message went out as text and an input_tag.
  const sentChip = page.locator('.ck-user .ck-chip', { hasText: 'Crosswalk Button Plays Soft...' });
  await sentChip.waitFor();
  assert.equal(await draftChip.count(), 0, 'the composer is empty again');
  const create = chatkit.find((r) => r.type === 'threads.create');
  assert.deepEqual(create.params.input.content, [
    { type: 'input_text', text: 'Tell me about ' },
    { type: 'input_tag', id: 'jazz-crosswalk', text: 'Crosswalk Button Plays Soft...', data: { article_id: 'jazz-crosswalk', url: create.params.input.content[1].data.url }, interactive: true, group: 'Articles' },
  ]);

  // The text alone names no article: the answer is that article, looked up by the id in
  // <ARTICLE_REFERENCE>jazz-crosswalk</ARTICLE_REFERENCE>, under its full title.
  const title = 'Crosswalk Button Plays Soft Jazz When Pressed, Slowing Traffic and Stress Levels Simultaneously';
  const reply = lastReply(page);
  await reply.locator('em', { hasText: title }).waitFor();
  assert.match(await reply.innerText(), /Do you have any questions about it\?/);
  assert.equal(await page.locator('[data-item-type="widget"]').count(), 0, 'no search results list: the reference was resolved');
  await page.getByRole('button', { name: 'Send' }).waitFor();
  await shot(page, 'news-guide-mention');

  // The sent chip previews the article and opens it beside the chat.
  await sentChip.hover();
  await page.getByRole('tooltip').getByText(title, { exact: false }).first().waitFor();
  await page.mouse.move(5, 5);
  await sentChip.click();
  await page.locator('#paper article.full[data-article="jazz-crosswalk"]').waitFor();
  assert.deepEqual(page.errors, []);
});

/** The `<text>` lines of a cover SVG: `[{y, text}]`, the masthead line first. */
async function coverLines(page, src) {
  const svg = await page.evaluate(async (src) => (await fetch(src)).text(), src);
  return [...svg.matchAll(/<text[^>]* y="(\d+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ y: Number(m[1]), text: m[2] }));
}

test('layout at narrow and wide widths: whole covers with whole headlines, the back button clear of the section label', async () => {
  for (const viewport of [{ width: 720, height: 900 }, { width: 1360, height: 900 }]) {
    const page = await openApp({ viewport });
    // Front page: each card shows the top 4:3 band of its cover, which holds the whole headline.
    const cards = page.locator('#paper .story img');
    for (let i = 0; i < (await cards.count()); i++) {
      const box = await cards.nth(i).boundingBox();
      assert.ok(Math.abs(box.width / box.height - 4 / 3) < 0.02, `card ${i} shows a 4:3 band`);
      const lines = await coverLines(page, await cards.nth(i).getAttribute('src'));
      assert.ok(lines.length > 1 && lines.every((l) => l.y <= 236), JSON.stringify(lines));
    }
    await shot(page, `news-guide-front-${viewport.width}`);

    // The longest headline, opened: its cover is shown whole and carries every word.
    await page.locator('#paper .story').first().waitFor();
    await page.evaluate(() => history.pushState(null, '', '?article=jazz-crosswalk'));
    await page.evaluate(() => dispatchEvent(new PopStateEvent('popstate')));
    const hero = page.locator('#paper article.full[data-article="jazz-crosswalk"] img.hero');
    await hero.waitFor();
    await page.waitForFunction(() => document.querySelector('img.hero').complete);
    const [natural, shown] = await hero.evaluate((img) => [img.naturalWidth / img.naturalHeight, img.clientWidth / img.clientHeight]);
    assert.ok(Math.abs(natural - shown) < 0.02, `uncropped: ${natural} vs ${shown}`);
    const title = await page.locator('#paper article.full h1').innerText();
    const headline = (await coverLines(page, await hero.getAttribute('src'))).slice(1).map((l) => l.text).join(' ');
    assert.equal(headline, title);
    // "← Front page" stands clear above the section label.
    const back = await page.getByRole('button', { name: '← Front page' }).boundingBox();
    const label = await page.locator('#paper article.full .section-title').boundingBox();
    assert.ok(label.y - (back.y + back.height) >= 12, `gap ${label.y - (back.y + back.height)}`);
    // Nothing sticks out sideways; the chat sits beside the paper, or above it on narrow screens.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
    const chat = await page.locator('section.chat').boundingBox();
    const paper = await page.locator('#paper').boundingBox();
    if (viewport.width < 880) assert.ok(chat.y + chat.height <= paper.y + 1 && chat.width >= viewport.width - 1, 'stacked');
    else assert.ok(chat.x + chat.width <= paper.x + 1, 'side by side');
    // The send button stays on the input's row.
    const input = await page.getByRole('textbox', { name: 'Message' }).boundingBox();
    const send = await page.getByRole('button', { name: 'Send' }).boundingBox();
    assert.ok(send.y < input.y + input.height, 'send beside the input');
    await shot(page, `news-guide-article-${viewport.width}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
