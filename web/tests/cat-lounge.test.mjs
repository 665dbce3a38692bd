// The cat lounge example (`chatkit serve --app cat-lounge`, offline scripted model) driven
// through its own page: the name picker's client action forwarded to the server, the thread
// title, the side panel following the client effects, hidden context used by the next turn,
// a picture of the cat drawn with the image generation tool (partial images, then the final one).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, composer, say, lastReply, shot } from './harness.mjs';

const env = useApp('cat-lounge');

async function openLounge() {
  const page = await openApp(env, { viewport: { width: 1280, height: 860 } });
  await page.locator('chatkit-panel .ck-root:not([hidden])').waitFor();
  return page;
}

/** Waits for the end of the response under way (the page disables its quick actions meanwhile). */
async function idle(page) {
  await page.waitForFunction(() => !document.querySelector('[data-quick]').disabled);
}

test('naming the cat from the picker renames the lounge and updates the side panel', async () => {
  const page = await openLounge();
  assert.equal(await page.locator('#cat-name').textContent(), 'Unnamed Cat');
  assert.match(await page.locator('#cat-picture').getAttribute('src'), /unknown\.svg$/);
  await page.getByRole('button', { name: 'Name ideas' }).click();
  const willow = page.getByRole('button', { name: /^Willow/ });
  await willow.waitFor();
  await page.getByText('Here are some name suggestions for your cat.').waitFor();
  await idle(page);
  await shot(page, 'cat-lounge-1-picker');

  // A client action: the page forwards it with sendCustomAction; the server replaces the picker.
  await willow.click();
  await page.getByText('Love that choice. Willow’s profile card is now ready.').waitFor();
  await page.locator('#cat-name', { hasText: 'Willow' }).waitFor();
  assert.equal(await page.getByRole('button', { name: /^Willow/ }).count(), 0, 'the chosen picker takes no more clicks');
  assert.equal(await page.locator('chatkit-panel #ck-title').textContent(), 'Willow’s Lounge');
  assert.equal(await page.locator('#cat-flash').textContent(), 'Now called Willow');
  const picture = await page.locator('#cat-picture').getAttribute('src');
  assert.match(picture, /\/apps\/cat-lounge\/cats\/(black|calico|colorpoint|tabby|white)\.svg$/, 'the coat is revealed');
  assert.match(await composer(page).getAttribute('aria-placeholder'), /^Willow, what would you like to do\?/);
  await idle(page);
  await shot(page, 'cat-lounge-2-named');

  // A quick action of the side panel; the effect moves the meters.
  await page.getByRole('button', { name: /Give snack/ }).click();
  await page.locator('#cat-flash', { hasText: 'Fed Willow a crunchy fish treat' }).waitFor();
  await page.locator('.meter[data-stat=energy] .value', { hasText: '9 / 10' }).waitFor();
  assert.equal(await page.locator('.meter[data-stat=happiness] .value').textContent(), '7 / 10');
  await idle(page);

  // The next turn uses what the hidden context recorded.
  await say(page, 'How is the cat doing?');
  await lastReply(page).filter({ hasText: 'Done in this chat so far: named Willow; Fed Willow a crunchy fish treat.' }).waitFor();
  await idle(page);

  // The profile card shows the revealed coat.
  await say(page, "Can you show me the cat's profile card?");
  await page.getByText('License checked! Would you like to feed, play with, or clean Willow?').waitFor();
  const card = page.locator('chatkit-panel img[src*="/apps/cat-lounge/cats/"]').last();
  assert.equal(await card.getAttribute('src'), picture);
  await page.waitForFunction(() => {
    const img = document.querySelector('chatkit-panel').shadowRoot.querySelectorAll('img[src*="/apps/cat-lounge/cats/"]');
    return img.length && img[img.length - 1].complete && img[img.length - 1].naturalWidth > 0;
  });
  await idle(page);
  await shot(page, 'cat-lounge-3-profile');

  // A second pick, from a newer picker, keeps the first name.
  await say(page, 'More name suggestions, please');
  const mochi = page.getByRole('button', { name: /^Mochi/ });
  await mochi.waitFor();
  await idle(page);
  await mochi.click();
  await page.getByText('Willow already has a name, so we can\'t rename them.').waitFor();
  assert.equal(await page.getByRole('button', { name: /^Mochi/ }).count(), 0);
  assert.equal(await page.locator('#cat-name').textContent(), 'Willow');
  assert.equal(await page.locator('chatkit-panel #ck-title').textContent(), 'Willow’s Lounge');
  await idle(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the cat talks in a speech bubble, and each thread has its own cat', async () => {
  const page = await openLounge();
  await say(page, 'Hello, cat! How are you feeling?');
  await page.locator('#cat-speech', { hasText: 'Meow! (Hello, human. Is it snack time?)' }).waitFor();
  await idle(page);
  await page.getByRole('button', { name: /Play with toy/ }).click();
  await page.locator('.meter[data-stat=happiness] .value', { hasText: '8 / 10' }).waitFor();
  await idle(page);
  await shot(page, 'cat-lounge-4-speech');

  // A new chat starts with a new, unnamed cat.
  await page.locator('chatkit-panel .ck-new-chat').click();
  await page.locator('.meter[data-stat=happiness] .value', { hasText: '6 / 10' }).waitFor();
  assert.equal(await page.locator('#cat-name').textContent(), 'Unnamed Cat');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/**
 * Whether the panel's last generated picture is loaded (a PNG of `width` pixels), and is a
 * partial one (with its progress bar) or the finished one, as `partial` says.
 */
function pictureLoaded({ width, partial }) {
  const figures = document.querySelector('chatkit-panel').shadowRoot.querySelectorAll('figure.ck-generated-image');
  const figure = figures[figures.length - 1];
  const img = figure?.querySelector('img');
  const progress = figure?.querySelector('progress');
  const loaded = Boolean(img && img.complete && img.naturalWidth === width && img.src.startsWith('data:image/png;base64,'));
  return loaded && (partial ? Boolean(progress) && Number(progress.value) < 1 : !progress);
}

/** The boxes of the panel's last generated picture and of its progress bar (null when none). */
function pictureBoxes() {
  const figures = document.querySelector('chatkit-panel').shadowRoot.querySelectorAll('figure.ck-generated-image');
  const figure = figures[figures.length - 1];
  const box = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
  };
  return { img: box(figure.querySelector('img')), progress: box(figure.querySelector('progress')) };
}

test('a picture of the named cat is drawn in partial images, then kept with the thread', async () => {
  const page = await openLounge();
  // An unnamed cat is not drawn: the assistant asks for a name first.
  await say(page, 'Can you draw a picture of the cat?');
  await lastReply(page).filter({ hasText: "Let's give your cat a name first" }).waitFor();
  await idle(page);
  assert.equal(await page.locator('chatkit-panel figure.ck-generated-image').count(), 0);

  await say(page, 'Your name is Whiskers');
  await page.locator('#cat-name', { hasText: 'Mr. Whiskers' }).waitFor();
  await idle(page);
  await say(page, 'Draw a picture of Mr. Whiskers, please');
  // A partial image first, with its progress bar...
  await page.waitForFunction(pictureLoaded, { width: 256, partial: true });
  await shot(page, 'cat-lounge-5-partial-picture');
  // The progress bar runs under the picture, as wide as it.
  const partial = await page.evaluate(pictureBoxes);
  assert.ok(partial.progress, 'the partial picture has its progress bar');
  assert.ok(partial.progress.top >= partial.img.bottom, `progress under the picture: ${JSON.stringify(partial)}`);
  assert.ok(Math.abs(partial.progress.width - partial.img.width) <= 1, `progress as wide as the picture: ${JSON.stringify(partial)}`);
  // ...then the finished picture, and what the assistant drew.
  const description = await page.locator('#cat-picture').getAttribute('alt');
  await lastReply(page).filter({ hasText: `Here is Mr. Whiskers lounging at home on the rug. ${description}` }).waitFor();
  await idle(page);
  await page.waitForFunction(pictureLoaded, { width: 256, partial: false });
  const figure = page.locator('chatkit-panel figure.ck-generated-image');
  const finished = await figure.locator('img').getAttribute('src');
  await figure.scrollIntoViewIfNeeded();
  await shot(page, 'cat-lounge-6-picture');
  // The picture starts where the messages start (no indent of its own) and keeps its shape.
  const done = await page.evaluate(pictureBoxes);
  const message = await lastReply(page).boundingBox();
  assert.ok(Math.abs(done.img.left - message.x) <= 1, `picture aligned with the reply: ${JSON.stringify({ done, message })}`);
  assert.ok(Math.abs(done.img.width - done.img.height) <= 1, `a square picture stays square: ${JSON.stringify(done)}`);

  // A reload lists the thread's items again: the stored picture is the finished one.
  await page.reload();
  await page.locator('chatkit-panel figure.ck-generated-image img').waitFor();
  await page.waitForFunction(pictureLoaded, { width: 256, partial: false });
  assert.equal(await page.locator('chatkit-panel figure.ck-generated-image img').getAttribute('src'), finished);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
