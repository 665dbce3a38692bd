// The metro-map example (`chatkit serve --app metro-map`, offline scripted model) driven
// through its own page: the line picker's server action, the placement arrows of the
// `location_select_mode` effect, the map redrawn by `add_station`, the selection on the map
// answering the `get_selected_stations` client tool, station @-mentions and route stops zoomed
// to, the "Add station" form, Select and Pan, zoom, and the dark theme.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, composer, say, lastReply, shot } from './harness.mjs';

const env = useApp('metro-map');

/** The metro page as a fresh user, once the map is drawn. */
async function openMetro() {
  const page = await openApp(env, { viewport: { width: 1440, height: 860 } });
  await page.locator('chatkit-panel .ck-root:not([hidden])').waitFor();
  await page.locator('#map .station').first().waitFor();
  return page;
}

const onMap = (page) => page.locator('#map');
const mapStation = (page, name) => onMap(page).getByRole('button', { name, exact: true });
/** Clicks a station on its circle (its slanted name takes no clicks). */
const clickStation = (page, name) => mapStation(page, name).locator('.ring').click();

/** Waits for the end of the response under way (the map takes no clicks meanwhile). */
async function idle(page) {
  await page.waitForFunction(() => !document.getElementById('map').classList.contains('busy'));
}

/** Waits until the map has stopped gliding (to a station, or back to the whole map). */
async function still(page) {
  await page.waitForFunction(() => !document.getElementById('map').classList.contains('gliding'));
}

/** Screen pixels per map unit. */
const zoomOf = async (page) => Number(await onMap(page).getAttribute('data-zoom'));

/** The screen box of a station's circle. */
const ringOf = (page, name) => mapStation(page, name).locator('.ring').boundingBox();
const centre = (box) => [box.x + box.width / 2, box.y + box.height / 2];

/** Asserts that the station is in the middle of the map, zoomed in as the sample zooms to it. */
async function assertShown(page, name) {
  await still(page);
  const [frame, ring] = [await onMap(page).boundingBox(), await ringOf(page, name)];
  const [[fx, fy], [rx, ry]] = [centre(frame), centre(ring)];
  assert.ok(Math.abs(fx - rx) < 2 && Math.abs(fy - ry) < 2, `${name} at ${[rx, ry]}, the middle is ${[fx, fy]}`);
  const zoom = await zoomOf(page);
  assert.ok(zoom >= 1.05 && zoom <= 1.3, `zoom ${zoom}`);
  // The circle (radius 19, plus its stroke) is drawn at that zoom.
  assert.ok(Math.abs(ring.width - 40.5 * zoom) < 1.5, `ring ${ring.width} at zoom ${zoom}`);
}

/** Drags the mouse from `[x, y]` by `[dx, dy]`. */
async function drag(page, [x, y], [dx, dy]) {
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 8 });
  await page.mouse.up();
}

/** Relative luminance (0 black to 1 white) of the first `rgb(…)` in a computed style. */
function luminance(css) {
  const [r, g, b] = /rgba?\(([^)]+)\)/.exec(css)[1].split(',').map((v) => Number(v) / 255);
  const linear = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

const sent = (page, type) => page.chatkit.filter((body) => body.type === type);

test('adding a station: the line picker, the placement arrows on the map, the new station drawn', async () => {
  const page = await openMetro();
  assert.equal(await onMap(page).locator('.station').count(), 15);
  assert.equal(await page.locator('#map-title').textContent(), 'Orbital Transit');
  await shot(page, 'metro-map-1-start');

  await page.getByRole('button', { name: 'Add a station' }).click();
  const purple = page.locator('chatkit-panel').getByRole('button', { name: 'Purple Line' });
  await purple.waitFor();
  await page.getByText('Which line should the new station join?').waitFor();
  await idle(page);

  // The server action replaces the picker, asks where, and sends `location_select_mode`.
  await purple.click();
  await page.getByText('Would you like to add the station to the beginning or end of the line?').waitFor();
  const end = onMap(page).getByRole('button', { name: 'Choose the end of Purple Line' });
  await end.waitFor();
  await onMap(page).getByRole('button', { name: 'Choose the start of Purple Line' }).waitFor();
  assert.equal(await onMap(page).locator('.line.target').getAttribute('data-line'), 'purple');
  assert.equal(await onMap(page).locator('.station.faded').count(), 9, 'the stations off the line step back');
  assert.match(await page.locator('#placement').textContent(), /Where should the new station join the Purple Line\?/);
  assert.equal(await page.locator('chatkit-panel').getByRole('button', { name: 'Purple Line' }).count(), 0, 'the chosen picker takes no more clicks');
  await page.locator('chatkit-panel .ck-widget [data-icon="check"]').waitFor();
  const [action] = sent(page, 'threads.custom_action');
  assert.deepEqual(action.params.action, { type: 'line.select', payload: { id: 'purple' } });
  await idle(page);
  await shot(page, 'metro-map-2-placing');

  // The arrow asks the assistant for the station there; the effect redraws the map.
  await end.click();
  await page.locator('chatkit-panel .ck-user').last().filter({ hasText: 'I would like to add the station to the end of the Purple Line.' }).waitFor();
  await lastReply(page).filter({ hasText: 'Done: Added Aurora (id aurora) at the end of the Purple Line. The map now has 16 stations.' }).waitFor();
  const aurora = onMap(page).locator('[data-station="aurora"]');
  await aurora.waitFor();
  assert.equal(await aurora.getAttribute('transform'), 'translate(960 80)', 'right of Lyra Verge');
  assert.match(await aurora.getAttribute('class'), /\bselected\b.*\bfocused\b/);
  assert.equal(await onMap(page).locator('.arrow').count(), 0);
  assert.equal(await page.locator('#placement').isHidden(), true);
  assert.equal(await onMap(page).locator('[data-line="purple"] path').count(), 6);
  await idle(page);
  await shot(page, 'metro-map-3-added');

  // A reload draws the map as the server keeps it.
  await page.reload();
  await onMap(page).locator('[data-station="aurora"]').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the stations selected on the map answer the client tool', async () => {
  const page = await openMetro();
  await clickStation(page, 'Cinderia');
  await clickStation(page, 'Vega Reach');
  assert.equal(await mapStation(page, 'Cinderia').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#selection-text').textContent(), '2 stations selected: Cinderia, Vega Reach');
  // Two stations or more: the start screen offers questions about them.
  await page.getByText('Any questions about the selected stations?').waitFor();
  await shot(page, 'metro-map-4-selected');
  await page.getByRole('button', { name: 'Tell me about these stations.' }).click();
  await lastReply(page).filter({ hasText: 'Done: {"stationIds": ["cinderia", "vega-reach"]}' }).waitFor();
  const [output] = sent(page, 'threads.add_client_tool_output');
  assert.deepEqual(output.params.result, { stationIds: ['cinderia', 'vega-reach'] });
  await idle(page);

  // A second click takes a station out; a box dragged on the map selects what it covers.
  await clickStation(page, 'Cinderia');
  assert.equal(await page.locator('#selection-text').textContent(), 'Selected: Vega Reach');
  const box = async (name) => (await mapStation(page, name).locator('.ring').boundingBox());
  const [top, bottom] = [await box('Lumen Cradle'), await box('Zephyr System')];
  await page.mouse.move(top.x - 30, top.y - 20);
  await page.mouse.down();
  await page.mouse.move(bottom.x + bottom.width + 30, bottom.y + bottom.height + 10, { steps: 8 });
  await page.mouse.up();
  assert.equal(await page.locator('#selection-text').textContent(), '3 stations selected: Lumen Cradle, Proxima Step, Zephyr System');
  await page.getByRole('button', { name: 'Ask about them' }).click();
  await lastReply(page).filter({ hasText: 'Done: {"stationIds": ["lumen-cradle", "proxima-step", "zephyr-system"]}' }).waitFor();
  await idle(page);
  await shot(page, 'metro-map-5-selection-answered');

  // A click on the empty map clears the selection.
  const frame = await onMap(page).boundingBox();
  await page.mouse.click(frame.x + 12, frame.y + frame.height - 12);
  assert.equal(await page.locator('#selection').isHidden(), true);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('@mentions: a station chip with its preview; mentioned stations and route stops show on the map', async () => {
  const page = await openMetro();
  const box = composer(page);
  const menu = page.getByRole('listbox', { name: 'Suggestions' });
  await box.click();
  await box.pressSequentially('Tell me about @tita', { delay: 20 });
  await menu.getByRole('option', { name: /Titan Border/ }).waitFor();
  // The menu first lists every station; wait until the search for "tita" answered.
  await page.waitForFunction(() => document.querySelector('chatkit-panel').shadowRoot.querySelectorAll('[role=option]').length === 1);
  await shot(page, 'metro-map-6-mention');
  await box.press('Enter');
  await page.locator('chatkit-panel .ck-input .ck-chip', { hasText: 'Titan Border' }).waitFor();
  await box.pressSequentially(' station', { delay: 10 });
  await box.press('Enter');
  await lastReply(page).filter({ hasText: 'Done: Titan Border (id titan-border; Blue Line): A frontier station' }).waitFor();
  const [create] = sent(page, 'threads.create');
  const tags = create.params.input.content.filter((c) => c.type === 'input_tag');
  assert.deepEqual(tags.map((t) => [t.id, t.data]), [['titan-border', { type: 'station', station_id: 'titan-border', name: 'Titan Border' }]]);
  await idle(page);

  // Hovering the sent chip previews the station; clicking it shows the station on the map.
  const chip = page.locator('chatkit-panel .ck-user .ck-chip', { hasText: 'Titan Border' });
  await chip.hover();
  await page.getByRole('tooltip').getByText('A frontier station perched on the hush between vast ice fields and silent cosmic tides.').waitFor();
  await page.getByRole('tooltip').getByText('Blue Line').waitFor();
  await shot(page, 'metro-map-7-preview');
  await page.mouse.move(5, 5);
  const wholeZoom = await zoomOf(page);
  await chip.click();
  await onMap(page).locator('[data-station="titan-border"].focused').waitFor();
  // The map glides to the station and zooms in (from the whole map's zoom plus a little).
  await assertShown(page, 'Titan Border');
  assert.ok((await zoomOf(page)) > wholeZoom);

  // A planned route names its stops; each one shows on the map.
  await say(page, 'What is the quickest way from Cinderia to Lyra Verge?');
  await lastReply(page).filter({ hasText: 'about 10.6 light years' }).waitFor();
  await idle(page);
  const stops = lastReply(page).locator('.ck-cite-entity');
  assert.equal(await stops.count(), 5);
  await lastReply(page).getByRole('button', { name: 'Lyra Verge' }).first().click();
  await onMap(page).locator('[data-station="lyra-verge"].focused').waitFor();
  assert.equal(await page.locator('#selection-text').textContent(), 'Selected: Lyra Verge');
  await assertShown(page, 'Lyra Verge');
  await shot(page, 'metro-map-8-route');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the "Add station" form: the server\'s complaints in the form, the new station drawn and shown, kept after a reload', async () => {
  const page = await openMetro();
  await page.getByRole('button', { name: 'Add station', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a station' });
  await dialog.waitFor();
  const name = dialog.getByRole('textbox', { name: 'Station name' });
  const lineField = dialog.getByRole('combobox', { name: 'Line' });
  assert.deepEqual(await lineField.locator('option').allTextContents(), ['Blue Line', 'Purple Line', 'Orange Line']);
  const submit = dialog.getByRole('button', { name: 'Add station', exact: true });
  const error = dialog.getByRole('alert');

  // Bad input: the route's error, on the field it names; nothing is drawn.
  await submit.click();
  await error.filter({ hasText: 'A station needs a name.' }).waitFor();
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  await name.fill('x'.repeat(41));
  await submit.click();
  await error.filter({ hasText: 'A station name has at most 40 characters.' }).waitFor();
  assert.equal(await onMap(page).locator('.station').count(), 15);

  await name.fill('solstice   point');
  await lineField.selectOption({ label: 'Orange Line' });
  await shot(page, 'metro-map-9-add-form');
  await submit.click();
  await dialog.waitFor({ state: 'hidden' });

  // Below Farpoint Prime, the end of the Orange Line, named as the assistant names stations.
  const added = onMap(page).locator('[data-station="solstice-point"]');
  await added.waitFor();
  assert.equal(await added.getAttribute('transform'), 'translate(480 240)');
  assert.equal(await added.getAttribute('aria-label'), 'Solstice Point');
  assert.match(await added.getAttribute('class'), /\bselected\b.*\bfocused\b/);
  assert.equal(await onMap(page).locator('[data-line="orange"] path').count(), 6);
  await page.locator('#legend').getByText('Orange Line · 7 stops').waitFor();
  await assertShown(page, 'Solstice Point');

  // As in the sample, a new thread asks the assistant about it.
  await page.locator('chatkit-panel .ck-user').filter({ hasText: 'How would you describe the Solstice Point station?' }).waitFor();
  const [create] = sent(page, 'threads.create');
  assert.deepEqual(create.params.input.content, [{ type: 'input_text', text: 'How would you describe the Solstice Point station?' }]);
  await lastReply(page).waitFor();
  await idle(page);
  await shot(page, 'metro-map-10-added-from-form');
  assert.deepEqual(page.failed, ['400 /api/stations', '400 /api/stations']);

  // The server kept it: a reload draws it again, and the assistant's tools see it.
  await page.reload();
  await onMap(page).locator('[data-station="solstice-point"]').waitFor();
  assert.equal(await onMap(page).locator('[data-station="solstice-point"]').getAttribute('transform'), 'translate(480 240)');
  await say(page, 'List the stations');
  await lastReply(page).filter({ hasText: 'Solstice Point (id solstice-point; Orange Line)' }).waitFor();
  // The browser logs each refused POST; nothing else went wrong.
  assert.deepEqual(page.errors, Array(2).fill('Failed to load resource: the server responded with a status of 400 (Bad Request)'));
  await page.context().close();
});

test('Select drags a box that selects stations; Pan drags the map', async () => {
  const page = await openMetro();
  const modes = page.getByRole('group', { name: 'Dragging on the map' });
  const [selectMode, panMode] = [modes.getByRole('button', { name: 'Select' }), modes.getByRole('button', { name: 'Pan' })];
  assert.equal(await selectMode.getAttribute('aria-pressed'), 'true');
  const viewBox = () => onMap(page).getAttribute('viewBox');
  const whole = await viewBox();

  // Select (the default): a box selects what it covers and the map stays where it is.
  const [top, bottom] = [await ringOf(page, 'Lumen Cradle'), await ringOf(page, 'Zephyr System')];
  await drag(page, [top.x - 30, top.y - 20], [bottom.x + bottom.width + 60 - top.x, bottom.y + bottom.height + 30 - top.y]);
  assert.equal(await page.locator('#selection-text').textContent(), '3 stations selected: Lumen Cradle, Proxima Step, Zephyr System');
  assert.equal(await viewBox(), whole);

  // Pan: switching clears the selection; the same drag moves the map and selects nothing.
  await panMode.click();
  assert.equal(await panMode.getAttribute('aria-pressed'), 'true');
  assert.equal(await selectMode.getAttribute('aria-pressed'), 'false');
  assert.equal(await page.locator('#selection').isHidden(), true);
  assert.match(await onMap(page).getAttribute('class'), /\bpan-mode\b/);
  assert.equal(await onMap(page).getAttribute('aria-label'), 'Metro map: click stations to select them, drag to move the map');
  const before = await ringOf(page, 'Orionis Gate');
  await drag(page, [top.x - 30, top.y - 20], [120, 60]);
  const after = await ringOf(page, 'Orionis Gate');
  assert.ok(Math.abs(after.x - before.x - 120) < 1.5 && Math.abs(after.y - before.y - 60) < 1.5, `moved by ${[after.x - before.x, after.y - before.y]}`);
  assert.equal(await page.locator('#selection').isHidden(), true);
  assert.equal(await onMap(page).locator('.lasso').getAttribute('visibility'), 'hidden');
  await shot(page, 'metro-map-11-panned');

  // A click still selects a station; a drag that starts on one moves the map and leaves it be.
  await clickStation(page, 'Cinderia');
  assert.equal(await page.locator('#selection-text').textContent(), 'Selected: Cinderia');
  const cinderia = await ringOf(page, 'Cinderia');
  await drag(page, centre(cinderia), [-80, 40]);
  const moved = await ringOf(page, 'Cinderia');
  assert.ok(Math.abs(moved.x - cinderia.x + 80) < 1.5 && Math.abs(moved.y - cinderia.y - 40) < 1.5);
  assert.equal(await page.locator('#selection-text').textContent(), 'Selected: Cinderia');

  // Back to Select: dragging selects again, and the map stays put.
  await selectMode.click();
  assert.equal(await page.locator('#selection').isHidden(), true);
  assert.equal(await onMap(page).getAttribute('aria-label'), 'Metro map: click stations to select them, drag to select several');
  const panned = await viewBox();
  const [a, b] = [await ringOf(page, 'Helios Prime'), await ringOf(page, 'Cinderia')];
  await drag(page, [a.x - 20, a.y - 20], [b.x + b.width + 40 - a.x, b.y + b.height + 40 - a.y]);
  assert.equal(await page.locator('#selection-text').textContent(), '2 stations selected: Helios Prime, Cinderia');
  assert.equal(await viewBox(), panned);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('zoom: the wheel about the pointer, the buttons, the limits, and the whole map again', async () => {
  const page = await openMetro();
  const whole = await zoomOf(page);
  const gate = await ringOf(page, 'Orionis Gate');
  const [x, y] = centre(gate);
  await page.mouse.move(x, y);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((z) => Number(document.getElementById('map').dataset.zoom) > z, whole);
  const zoomed = await zoomOf(page);
  const after = await ringOf(page, 'Orionis Gate');
  assert.ok(Math.abs(centre(after)[0] - x) < 1.5 && Math.abs(centre(after)[1] - y) < 1.5, 'the station under the pointer stays there');
  assert.ok(Math.abs(after.width / gate.width - zoomed / whole) < 0.02, `drawn ${after.width / gate.width}× as large at ${zoomed / whole}× the zoom`);
  await shot(page, 'metro-map-12-zoomed');

  const zoomIn = page.getByRole('button', { name: 'Zoom in' });
  const zoomOut = page.getByRole('button', { name: 'Zoom out' });
  await zoomOut.click();
  assert.ok(Math.abs((await zoomOf(page)) - zoomed * 0.8) < 0.002);
  for (let i = 0; i < 12; i += 1) await zoomIn.click();
  assert.equal(await zoomOf(page), 1.6, 'at most 1.6');
  for (let i = 0; i < 12; i += 1) await zoomOut.click();
  assert.equal(await zoomOf(page), Math.min(0.4, whole), 'at least 0.4');
  await page.getByRole('button', { name: 'Show the whole map' }).click();
  await still(page);
  assert.equal(await zoomOf(page), whole);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('?theme=dark: the map and its controls are dark too', async () => {
  const colours = (page) =>
    page.evaluate(() => {
      const css = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
      return {
        page: css('body', 'backgroundColor'),
        card: css('.map-card', 'backgroundImage'),
        ring: css('#map .station .ring', 'fill'),
        name: css('#map .station .name', 'fill'),
        title: css('#map-title', 'color'),
        control: css('.modes', 'backgroundColor'),
        chat: getComputedStyle(document.querySelector('chatkit-panel').shadowRoot.querySelector('.ck-root')).backgroundColor,
      };
    });
  const lightPage = await openMetro();
  const light = await colours(lightPage);
  await lightPage.context().close();
  const page = await openApp(env, { at: '/?theme=dark', viewport: { width: 1440, height: 860 } });
  await page.locator('chatkit-panel .ck-root:not([hidden])').waitFor();
  await page.locator('#map .station').first().waitFor();
  const dark = await colours(page);
  for (const part of ['page', 'card', 'ring', 'control', 'chat']) {
    assert.ok(luminance(light[part]) > 0.8, `light ${part}: ${light[part]}`);
    assert.ok(luminance(dark[part]) < 0.05, `dark ${part}: ${dark[part]}`);
  }
  for (const part of ['name', 'title']) {
    assert.ok(luminance(light[part]) < 0.1, `light ${part}: ${light[part]}`);
    assert.ok(luminance(dark[part]) > 0.6, `dark ${part}: ${dark[part]}`);
  }
  await shot(page, 'metro-map-13-dark');
  await page.getByRole('button', { name: 'Add station', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a station' });
  await dialog.waitFor();
  assert.ok(luminance(await dialog.evaluate((d) => getComputedStyle(d).backgroundColor)) < 0.05);
  await shot(page, 'metro-map-14-dark-form');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
