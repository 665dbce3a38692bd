// The customer-support example (`chatkit serve --app customer-support`, offline scripted model)
// in its own page: pick a meal and a flight in the widgets, watch the pickers lock and chain,
// the side panel follow through client effects, and the next turn use the hidden context.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp as open, say as send, lastReply, shot } from './harness.mjs';

const env = useApp('customer-support');

async function openApp() {
  const page = await open(env);
  assert.match(page.response.headers()['content-security-policy'], /script-src 'self'/);
  await page.locator('#customer h2', { hasText: 'Jordan Miles' }).waitFor();
  return page;
}

test('meal picker: click, the widget locks, the side panel follows, the next turn knows', async () => {
  const page = await openApp();
  await page.getByRole('tab', { name: 'Trips' }).click();
  await page.getByTestId('meal').getByText('Not set').waitFor();
  // The start screen follows the tab.
  await page.getByText('Need help with flights, seats, or booking?').waitFor();
  await page.getByRole('button', { name: 'Set a meal preference' }).click();

  const picker = page.locator('[data-item-type="widget"]').last();
  await picker.getByText('Gluten intolerant').waitFor();
  assert.equal(await picker.getByRole('button').count(), 4, 'four meals to pick from');
  await picker.getByRole('button', { name: 'Kosher' }).click();

  await lastReply(page).getByText('Your meal preference has been updated to "Kosher".').waitFor();
  await page.getByTestId('meal').getByText('Kosher').waitFor();
  // Locked: the same widget, nothing clickable, Kosher checked.
  await picker.locator('[role="button"]').first().waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-item-type="widget"]').count(), 1);
  await page.getByTestId('timeline').getByText('Meal preference updated to Kosher.').waitFor();
  await shot(page, 'customer-support-meal');

  await send(page, 'What did I pick so far?');
  await lastReply(page).getByText('In this chat you set your meal preference to kosher.').waitFor();
  assert.deepEqual(page.errors, []);
});

test('flight pickers chain: outbound locks, returns appear, the itinerary grows', async () => {
  const page = await openApp();
  await page.getByRole('button', { name: 'Book a flight' }).click();
  const outbound = page.locator('[data-item-type="widget"]').first();
  await outbound.getByText('SFO → CDG').first().waitFor();
  await outbound.getByRole('button').nth(1).click();

  await page.getByText('Here are return options that line up with your trip:').waitFor();
  const returns = page.locator('[data-item-type="widget"]').nth(1);
  await returns.getByText('CDG → SFO').first().waitFor();
  assert.equal(await outbound.getByRole('button').count(), 0, 'the outbound picker is locked');
  assert.equal(await outbound.getByText('12:35').count(), 1, 'showing the chosen flight');

  await page.getByRole('tab', { name: 'Trips' }).click();
  await page.getByTestId('flights').getByText('OA917').waitFor();
  await returns.getByRole('button').nth(2).click();
  await page.getByText('Return scheduled. Want me to watch for upgrades?', { exact: false }).waitFor();
  await page.getByTestId('flights').getByText('OA927').waitFor();
  await shot(page, 'customer-support');

  await send(page, 'What did I pick?');
  await lastReply(page).getByText('booked the outbound SFO → CDG flight at 12:35, then booked the return CDG → SFO flight at 21:55', { exact: false }).waitFor();
  // The thread was named by the model.
  assert.match(await page.evaluate(() => document.querySelector('chatkit-panel').shadowRoot.textContent), /New trip booking/);
  assert.deepEqual(page.errors, []);
});

test('a destination photo is attached and the concierge offers flights there', async () => {
  const page = await openApp();
  await page.locator('[data-destination="tokyo"]').click();
  const box = page.getByRole('textbox', { name: 'Message' });
  // The photo is uploaded (two-phase) and the composer holds the text.
  await page.locator('.ck-attachment-done').waitFor();
  assert.equal((await box.innerText()).trim(), "Let's explore flights to Tokyo.");
  await box.press('Enter');
  await page.locator('[data-item-type="widget"]').getByText('SFO → HND').first().waitFor();
  await page.locator('.ck-user img').first().waitFor();
  await shot(page, 'customer-support-photo');
  // The composer showed the photo from the local file: nothing was asked for before it existed.
  assert.deepEqual(page.failed, []);
  assert.deepEqual(page.errors, []);
});
