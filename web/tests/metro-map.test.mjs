// The metro-map example (`chatkit serve --app metro-map`, offline scripted model) driven
// through its own page: the line picker's server action, the placement arrows of the
// `location_select_mode` effect, the map redrawn by `add_station`, the selection on the map
// answering the `get_selected_stations` client tool, station @-mentions and route stops.

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
  await chip.click();
  await onMap(page).locator('[data-station="titan-border"].focused').waitFor();

  // A planned route names its stops; each one shows on the map.
  await say(page, 'What is the quickest way from Cinderia to Lyra Verge?');
  await lastReply(page).filter({ hasText: 'about 10.6 light years' }).waitFor();
  await idle(page);
  const stops = lastReply(page).locator('.ck-cite-entity');
  assert.equal(await stops.count(), 5);
  await lastReply(page).getByRole('button', { name: 'Lyra Verge' }).first().click();
  await onMap(page).locator('[data-station="lyra-verge"].focused').waitFor();
  assert.equal(await page.locator('#selection-text').textContent(), 'Selected: Lyra Verge');
  await shot(page, 'metro-map-8-route');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
