// @-mentions, entity chips and previews, attachments (two-phase against `chatkit serve`, direct),
// dictation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openTestPage, mount, composer, waitResponses, requests, events, shot } from './harness.mjs';

const env = useBrowser({ serve: true });

const ENTITIES = () => ({
  entities: {
    showComposerMenu: true,
    onTagSearch: async (query) => {
      window.__searches = (window.__searches || []).concat([query]);
      const all = [
        { id: 'cinderia', title: 'Cinderia', group: 'Stations', interactive: true, data: { type: 'station' }, icon: 'map-pin' },
        { id: 'ciena', title: 'Ciena', group: 'People', interactive: true },
        { id: 'cider', title: 'Cider Lane', group: 'Stations', interactive: false },
        { id: 'misc', title: 'Circle' },
      ];
      // The empty query answers slowly: its late answer must not replace the newer one.
      if (query === '') await new Promise((r) => setTimeout(r, 600));
      return all.filter((e) => e.title.toLowerCase().includes(query.toLowerCase()));
    },
    onClick: (entity) => {
      window.__clicked = entity;
    },
    onRequestPreview: async (entity) => {
      window.__previews = (window.__previews || 0) + 1;
      if (entity.id === 'ciena') return { preview: null };
      return { preview: { type: 'Basic', children: [{ type: 'Title', value: `About ${entity.title}` }, { type: 'Text', value: 'A station on the red line' }] } };
    },
  },
});

test('N01 N02 N04 @ opens a grouped search, stale answers are dropped, the chip is sent as input_tag', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, ENTITIES);
  const box = composer(page);
  await box.click();
  await box.pressSequentially('echo to @ci', { delay: 30 });
  const menu = page.getByRole('listbox', { name: 'Suggestions' });
  await menu.getByRole('option', { name: 'Cinderia' }).waitFor();
  await page.waitForTimeout(800);
  const searches = await page.evaluate(() => window.__searches);
  assert.equal(searches[0], '');
  assert.equal(searches[searches.length - 1], 'ci');
  // The slow answer for "" came last and was dropped: only "ci" matches are listed.
  assert.deepEqual(await menu.getByRole('option').allInnerTexts(), ['Cinderia', 'Cider Lane', 'Ciena', 'Circle']);
  assert.deepEqual(await menu.locator('.ck-menu-group-title').allInnerTexts(), ['Stations', 'People']);
  await shot(page, 'mention-menu');
  await box.press('ArrowDown');
  await box.press('ArrowUp');
  await box.press('Enter');
  await page.locator('.ck-input .ck-chip', { hasText: 'Cinderia' }).waitFor();
  await box.pressSequentially('please');
  await box.press('Enter');
  await waitResponses(page, 1);
  const [create] = await requests(page, 'threads.create');
  assert.deepEqual(create.params.input.content, [
    { type: 'input_text', text: 'echo to ' },
    { type: 'input_tag', id: 'cinderia', text: 'Cinderia', data: { type: 'station' }, interactive: true, group: 'Stations' },
    { type: 'input_text', text: ' please' },
  ]);
  await page.getByText('to @Cinderia please', { exact: true }).waitFor();
  // The @ button opens the same menu.
  await page.getByRole('button', { name: 'Mention' }).click();
  await menu.waitFor();
  await box.press('Escape');
  assert.equal(await menu.isHidden(), true);
});

test('N03 Backspace deletes a chip as a unit', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, ENTITIES);
  await page.evaluate(() => ck.panel.setComposerValue({ content: [{ type: 'input_text', text: 'hi ' }, { type: 'input_tag', id: 'x', text: 'Xavier', data: {} }] }));
  await page.evaluate(() => ck.panel.focusComposer());
  await composer(page).press('Backspace');
  assert.equal(await page.locator('.ck-input .ck-chip').count(), 0);
  assert.equal((await composer(page).innerText()).trim(), 'hi');
});

test('N05 N06 interactive chips click and preview; null previews and inert chips show nothing', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, ENTITIES);
  await page.evaluate(() => ck.panel.sendUserMessage({ content: [
    { type: 'input_text', text: 'echo ' },
    { type: 'input_tag', id: 'cinderia', text: 'Cinderia', group: 'Stations', interactive: true, data: { type: 'station' } },
    { type: 'input_text', text: ' ' },
    { type: 'input_tag', id: 'ciena', text: 'Ciena', interactive: true, data: {} },
    { type: 'input_text', text: ' ' },
    { type: 'input_tag', id: 'cider', text: 'Cider Lane', interactive: false, data: {} },
  ] }));
  const chip = (text) => page.locator('.ck-user .ck-chip', { hasText: text });
  await chip('Cinderia').hover();
  await page.getByRole('tooltip').getByText('About Cinderia').waitFor();
  await shot(page, 'entity-preview');
  await page.mouse.move(5, 5);
  await chip('Cinderia').hover();
  await page.getByRole('tooltip').getByText('About Cinderia').waitFor();
  assert.equal(await page.evaluate(() => window.__previews), 1, 'previews are cached per entity');
  await chip('Cinderia').click();
  assert.deepEqual(await page.evaluate(() => window.__clicked), { id: 'cinderia', title: 'Cinderia', interactive: true, data: { type: 'station' }, group: 'Stations' });
  assert.ok((await events(page, 'log')).some((l) => l.detail.name === 'entity.click'));
  await page.mouse.move(5, 5);
  await chip('Ciena').hover();
  await page.waitForTimeout(600);
  assert.equal(await page.getByRole('tooltip').count(), 0);
  const before = await page.evaluate(() => window.__previews);
  await chip('Cider Lane').hover();
  await page.waitForTimeout(600);
  assert.equal(await page.evaluate(() => window.__previews), before);
  assert.equal(await chip('Cider Lane').getAttribute('role'), null);
});

test('N06 the preview takes the panel theme: dark scheme and accent', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, ENTITIES);
  await page.evaluate(() => ck.panel.setOptions({ ...ck.panel.options, theme: { colorScheme: 'dark', color: { accent: { primary: '#d946ef' } } } }));
  await page.evaluate(() => ck.panel.sendUserMessage({ content: [
    { type: 'input_text', text: 'echo ' },
    { type: 'input_tag', id: 'cinderia', text: 'Cinderia', group: 'Stations', interactive: true, data: { type: 'station' } },
  ] }));
  await page.locator('.ck-user .ck-chip', { hasText: 'Cinderia' }).hover();
  const tip = page.getByRole('tooltip');
  await tip.getByText('About Cinderia').waitFor();
  const look = await tip.evaluate((el) => {
    const style = getComputedStyle(el);
    return { background: style.backgroundColor, text: getComputedStyle(el.querySelector('.ck-widget, div') || el).color, accent: style.getPropertyValue('--ck-accent').trim() };
  });
  const lightness = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return (Math.max(r, g, b) + Math.min(r, g, b)) / 2 / 255;
  };
  assert.ok(lightness(look.background) < 0.3, `dark background, got ${look.background}`);
  assert.ok(lightness(look.text) > 0.7, `light text, got ${look.text}`);
  assert.equal(look.accent, '#d946ef');
  await shot(page, 'entity-preview-dark');
});

/** Whether box `inner` lies within box `outer` (Playwright bounding boxes, 1px slack). */
function inside(inner, outer) {
  return inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1;
}

test('N06 the preview stays inside the panel and the viewport: shifted left at the right edge, flipped above near the bottom', async () => {
  const page = await openTestPage(env.browser, env.server, { viewport: { width: 1000, height: 560 } });
  await mount(page, () => ({
    entities: {
      onRequestPreview: async (entity) => ({
        preview: { type: 'Basic', children: [{ type: 'Title', value: `About ${entity.title}` }, ...['On the red line since 1904, with step-free access from the street', 'Bike racks', 'Lifts', 'Night service'].map((value) => ({ type: 'Text', value }))] },
      }),
    },
  }));
  // A long first turn, so that the second can be scrolled down to the composer later.
  await page.evaluate(() => ck.panel.sendUserMessage({ text: `echo ${'many words of a long message '.repeat(30)}` }));
  await waitResponses(page, 1);
  // The user bubble is right-aligned: its last chip ends at the panel's right edge.
  await page.evaluate(() => ck.panel.sendUserMessage({ content: [{ type: 'input_text', text: 'echo route to ' }, { type: 'input_tag', id: 'cinderia', text: 'Cinderia', interactive: true, data: {} }] }));
  await waitResponses(page, 2);
  const panel = await page.locator('chatkit-panel').boundingBox();
  const viewport = page.viewportSize();
  const screen = { x: 0, y: 0, width: viewport.width, height: viewport.height };
  const tooltip = page.getByRole('tooltip');
  const chipEl = page.locator('.ck-user .ck-chip', { hasText: 'Cinderia' });
  await chipEl.hover();
  await tooltip.getByText('Night service').waitFor();
  let chip = await chipEl.boundingBox();
  let box = await tooltip.boundingBox();
  assert.ok(chip.x + 320 > panel.x + panel.width, 'a preview starting at the chip would not fit');
  assert.ok(inside(box, panel) && inside(box, screen), `preview ${JSON.stringify(box)} inside panel ${JSON.stringify(panel)}`);
  // Shifted, not squeezed against the edge: full width, clear of the edge.
  assert.equal(Math.round(box.width), 320);
  assert.ok(box.x + box.width <= panel.x + panel.width - 7, `clear of the edge: ${JSON.stringify(box)}`);
  assert.ok(box.y >= chip.y + chip.height, 'below the chip while there is room');
  await shot(page, 'entity-preview-right-edge');

  // The chip scrolled down to just above the composer: no room below, the preview opens above.
  await page.mouse.move(5, 5);
  await page.evaluate(() => {
    const root = ck.panel.shadowRoot;
    const scroll = root.querySelector('.ck-scroll');
    const el = root.querySelector('.ck-user .ck-chip');
    scroll.scrollTop += el.getBoundingClientRect().bottom - scroll.getBoundingClientRect().bottom + 4;
  });
  await chipEl.hover();
  await tooltip.getByText('Night service').waitFor();
  chip = await chipEl.boundingBox();
  box = await tooltip.boundingBox();
  assert.ok(inside(box, panel) && inside(box, screen), `preview ${JSON.stringify(box)} inside panel ${JSON.stringify(panel)}`);
  assert.ok(box.y + box.height <= chip.y, `above the chip: ${JSON.stringify(box)} ${JSON.stringify(chip)}`);
  await shot(page, 'entity-preview-above');
});

test('F01 F03 two-phase upload against chatkit serve, then sent as an id; removal deletes', async () => {
  const page = await openTestPage(env.browser, env.serve);
  await mount(page, () => ({ composer: { attachments: { enabled: true, maxSize: 1000, maxCount: 2 } } }));
  const input = page.locator('input[type=file]');
  await input.setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello file') }]);
  await page.locator('.ck-attachment-done', { hasText: 'notes.txt' }).waitFor();
  const [created] = await requests(page, 'attachments.create');
  assert.deepEqual(created.params, { name: 'notes.txt', size: 10, mime_type: 'text/plain' });
  const uploads = await page.evaluate(() => ck.requests.filter((r) => r.raw === 'multipart'));
  assert.equal(uploads.length, 1);
  // Too big and too many are refused in the browser.
  await input.setInputFiles([{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2000) }]);
  await page.getByRole('alert').filter({ hasText: 'big.bin' }).waitFor();
  await input.setInputFiles([{ name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('b') }]);
  await page.locator('.ck-attachment-done', { hasText: 'b.txt' }).waitFor();
  await input.setInputFiles([{ name: 'c.txt', mimeType: 'text/plain', buffer: Buffer.from('c') }]);
  await page.getByRole('alert').filter({ hasText: 'c.txt' }).waitFor();
  await shot(page, 'attachments');
  await page.getByRole('button', { name: 'Remove b.txt' }).click();
  await page.waitForFunction(() => ck.ofType('attachments.delete').length === 1);
  const created2 = await requests(page, 'attachments.create');
  const [deleted] = await requests(page, 'attachments.delete');
  assert.equal(deleted.params.attachment_id, created2[1] && (await page.evaluate(() => ck.requests.find((r) => r.type === 'attachments.delete').params.attachment_id)));
  await composer(page).click();
  await composer(page).pressSequentially('see file');
  await composer(page).press('Enter');
  await waitResponses(page, 1);
  const [create] = await requests(page, 'threads.create');
  assert.equal(create.params.input.attachments.length, 1);
  assert.match(create.params.input.attachments[0], /^atc_/);
  await page.locator('.ck-user .ck-attachment', { hasText: 'notes.txt' }).waitFor();
});

test('F01 a picked image shows from the local file while it uploads; nothing is asked of the server before it exists', async () => {
  const page = await openTestPage(env.browser, env.serve);
  const failed = [];
  page.on('requestfailed', (r) => failed.push(`${r.failure()?.errorText} ${new URL(r.url()).pathname}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  // Reads of an attachment's bytes issued before its upload answered.
  let uploaded = false;
  const early = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname.startsWith('/attachments/') && !uploaded) early.push(new URL(r.url()).pathname);
  });
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/attachments/')) uploaded = true;
  });
  // The bytes take a while to arrive.
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/attachments/**', async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  await mount(page, () => ({ composer: { attachments: { enabled: true } } }));
  // A 2×2 red PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==', 'base64');
  await page.locator('input[type=file]').setInputFiles([{ name: 'red.png', mimeType: 'image/png', buffer: png }]);
  const chip = page.locator('.ck-composer .ck-attachment', { hasText: 'red.png' });
  await page.waitForFunction(() => ck.ofType('attachments.create').length === 1);
  await chip.locator('img').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await chip.getAttribute('aria-busy'), 'true', 'still uploading');
  const during = await chip.locator('img').evaluate((img) => ({ src: img.src.slice(0, 5), width: img.naturalWidth, complete: img.complete }));
  assert.deepEqual(during, { src: 'blob:', width: 2, complete: true });
  await shot(page, 'attachment-uploading');
  release();
  await page.locator('.ck-attachment-done', { hasText: 'red.png' }).waitFor();
  assert.equal(await chip.locator('img').evaluate((img) => img.naturalWidth), 2);
  await composer(page).click();
  await composer(page).pressSequentially('echo look');
  await composer(page).press('Enter');
  await waitResponses(page, 1);
  // The sent message shows the server's copy.
  const sent = page.locator('.ck-user .ck-attachment img');
  await page.waitForFunction(() => ck.panel.shadowRoot.querySelector('.ck-user .ck-attachment img')?.naturalWidth === 2);
  assert.doesNotMatch(await sent.getAttribute('src'), /^blob:/);
  assert.deepEqual(failed, []);
  assert.deepEqual(early, [], 'no read of the attachment before its bytes were there');
});

test('F02 direct upload posts multipart to uploadUrl and uses the returned attachment', async () => {
  const page = await openTestPage(env.browser, env.server);
  await page.route('**/direct-upload', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ id: 'atc_direct1', type: 'file', name: 'd.txt', mime_type: 'text/plain' }) }));
  await mount(page, () => ({ api: { uploadStrategy: { type: 'direct', uploadUrl: '/direct-upload' } }, composer: { attachments: { enabled: true } } }));
  await page.locator('input[type=file]').setInputFiles([{ name: 'd.txt', mimeType: 'text/plain', buffer: Buffer.from('d') }]);
  await page.locator('.ck-attachment-done', { hasText: 'd.txt' }).waitFor();
  const uploads = await page.evaluate(() => ck.requests.filter((r) => r.raw === 'multipart'));
  assert.deepEqual(uploads.map((u) => [u.url, u.method]), [['/direct-upload', 'POST']]);
  assert.equal((await requests(page, 'attachments.create')).length, 0);
  assert.deepEqual(await page.evaluate(() => ck.panel.extras.readyAttachments().map((a) => a.id)), ['atc_direct1']);
});

test('F04 dictation records, transcribes and inserts the text without sending', async () => {
  const page = await openTestPage(env.browser, env.server);
  await page.context().grantPermissions(['microphone']);
  await mount(page, () => ({ composer: { dictation: { enabled: true } } }));
  const mic = page.getByRole('button', { name: 'Dictate' });
  await mic.click();
  await page.locator('.ck-dictate[aria-pressed="true"]').waitFor();
  await page.waitForTimeout(600);
  await mic.click();
  await page.waitForFunction(() => ck.ofType('input.transcribe').length === 1);
  const [req] = await requests(page, 'input.transcribe');
  assert.match(req.params.mime_type, /^audio\//);
  assert.ok(req.params.audio_base64.length > 10);
  await page.waitForFunction(() => /Transcribed \d+ bytes of audio\//.test(ck.panel.composer.input.innerText));
  assert.equal((await requests(page, 'threads.create')).length, 0);
});
