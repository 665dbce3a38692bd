// Widgets: every component, in-place updates, form values, client/server/sync actions,
// loading behaviour and actions while a response streams.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openTestPage, mount, send, waitResponses, requests, events, shot, widgetFixtures } from './harness.mjs';

const env = useBrowser();

/** Records whether any element ever matched `selector` (e.g. a loading state). */
async function watch(page, selector) {
  await page.evaluate((selector) => {
    window.__seen = window.__seen || {};
    window.__seen[selector] = false;
    const root = ck.panel.shadowRoot;
    const check = () => {
      if (root.querySelector(selector)) window.__seen[selector] = true;
    };
    new MutationObserver(check).observe(root, { subtree: true, childList: true, attributes: true });
  }, selector);
}

const seen = (page, selector) => page.evaluate((s) => window.__seen[s], selector);

test('W01-W04 counter: card, server action, replaced in place, spinner on the button', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'echo before');
  await waitResponses(page, 1);
  await send(page, 'widget counter');
  const card = page.locator('.ck-card');
  await card.getByText('Count: 0').waitFor();
  await send(page, 'echo after');
  await waitResponses(page, 3);
  const before = await page.evaluate(() => [...ck.panel.shadowRoot.querySelectorAll('.ck-item')].map((e) => e.dataset.itemType));
  await watch(page, '.ck-btn.ck-self-loading[aria-busy="true"]');
  await page.getByRole('button', { name: 'Increment' }).click();
  await card.getByText('Count: 1').waitFor();
  await waitResponses(page, 4);
  const [action] = await requests(page, 'threads.custom_action');
  const itemId = await page.locator('[data-item-type="widget"]').getAttribute('data-item-id');
  assert.deepEqual(action.params, { thread_id: action.params.thread_id, item_id: itemId, action: { type: 'counter.increment', payload: { by: 1 } } });
  assert.equal(await seen(page, '.ck-btn.ck-self-loading[aria-busy="true"]'), true);
  // Same position: the widget is still the fourth item, before "echo after".
  const after = await page.evaluate(() => [...ck.panel.shadowRoot.querySelectorAll('.ck-item')].map((e) => e.dataset.itemType));
  assert.deepEqual(after.slice(0, before.length), before);
  assert.equal(await page.locator('.ck-item').nth(3).getAttribute('data-item-type'), 'widget');
  await page.getByText('Count is now 1').waitFor();
  await shot(page, 'widget-counter');
});

test('W05 W06 list rows send item.select; the highlight effect reaches chatkit.effect', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'widget list');
  await page.getByText('Pick a color').waitFor();
  const rows = page.getByRole('listitem');
  assert.equal(await rows.count(), 3);
  await page.getByRole('button', { name: 'Green' }).click();
  await page.getByText('Selected: Green').waitFor();
  await waitResponses(page, 2);
  const [action] = await requests(page, 'threads.custom_action');
  assert.deepEqual(action.params.action, { type: 'item.select', payload: { id: 'green' } });
  const effects = await events(page, 'effect');
  assert.deepEqual(effects.map((e) => e.detail), [{ name: 'highlight', data: { id: 'green' } }]);
  await shot(page, 'widget-list');
});

test('W07-W10 form: native validation blocks, values go into the payload, Enter submits', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'widget form');
  const form = page.locator('form.ck-form');
  await form.waitFor();
  assert.equal(await form.getByRole('textbox', { name: 'Your name' }).count(), 1);
  assert.equal(await form.locator('select').count(), 1);
  await form.getByRole('button', { name: 'Submit' }).click();
  await page.waitForTimeout(200);
  assert.equal((await requests(page, 'threads.custom_action')).length, 0);
  assert.equal(await form.getByRole('textbox', { name: 'Your name' }).evaluate((el) => el.validity.valueMissing), true);
  await form.getByRole('textbox', { name: 'Your name' }).fill('Ada');
  await form.locator('select').selectOption('m');
  await shot(page, 'widget-form');
  await form.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Received name=Ada, size=m').waitFor();
  const [action] = await requests(page, 'threads.custom_action');
  assert.deepEqual(action.params.action, { type: 'form.submit', payload: { name: 'Ada', size: 'm' } });
  // Enter in the input submits identically (new form).
  await waitResponses(page, 2);
  await send(page, 'widget form');
  const second = page.locator('form.ck-form');
  await second.waitFor();
  await second.getByRole('textbox', { name: 'Your name' }).fill('Grace');
  await second.getByRole('textbox', { name: 'Your name' }).press('Enter');
  await page.getByText('Received name=Grace, size=null').waitFor();
  const actions = await requests(page, 'threads.custom_action');
  assert.deepEqual(actions[1].params.action, { type: 'form.submit', payload: { name: 'Grace', size: null } });
});

test('W13 W14 sync toggle works, also while another response streams', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'widget toggle');
  await page.getByText('Light: off').waitFor();
  await waitResponses(page, 1);
  await page.getByRole('button', { name: 'Flip' }).click();
  await page.getByText('Light: on').waitFor();
  const [sync] = await requests(page, 'threads.sync_custom_action');
  assert.deepEqual(sync.params.action, { type: 'toggle.flip' });
  assert.equal((await requests(page, 'threads.custom_action')).length, 0);
  await send(page, 'slow 100');
  await page.getByRole('button', { name: 'Stop' }).waitFor();
  await page.getByRole('button', { name: 'Flip' }).click();
  // Sent at once, mid-stream (this server orders requests per thread, so it answers after the stream).
  assert.deepEqual(await page.evaluate(() => [ck.ofType('threads.sync_custom_action').length, ck.panel.streaming]), [2, true]);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.getByText('Light: off').waitFor();
});

test('W15 typewriter text streams into the Text and ends without the caret', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'widget typewriter alpha beta gamma');
  await page.locator('[data-ck-id="tw"]', { hasText: 'alpha beta gamma' }).waitFor();
  await waitResponses(page, 1);
  assert.equal(await page.locator('[data-ck-id="tw"] .ck-caret').count(), 0);
});

test('W16 W17 names: client action calls onAction, the host forwards it with sendCustomAction', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({
    widgets: {
      onAction: async (action, item) => {
        window.__clientActions = (window.__clientActions || []).concat([{ action, itemId: item.id }]);
        await ck.panel.sendCustomAction(action, item.id);
      },
    },
  }));
  await send(page, 'widget names');
  await page.getByText('Pick a name').waitFor();
  await waitResponses(page, 1);
  await page.getByRole('button', { name: 'Biscuit' }).click();
  await page.getByText('Named Biscuit').waitFor();
  await page.getByRole('heading', { name: "Biscuit's Lounge" }).waitFor();
  const client = await page.evaluate(() => window.__clientActions);
  const itemId = await page.locator('[data-item-type="widget"]').getAttribute('data-item-id');
  assert.deepEqual(client, [{ action: { type: 'names.pick', payload: { name: 'Biscuit', options: ['Mochi', 'Biscuit', 'Pepper'] } }, itemId }]);
  const [forwarded] = await requests(page, 'threads.custom_action');
  assert.equal(forwarded.params.item_id, itemId);
  // The replacement has no actions: rows are inert.
  assert.equal(await page.getByRole('button', { name: 'Mochi' }).count(), 0);
});

test('updateWidget (extension) replaces a widget locally after a client action; no request', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({
    widgets: {
      onAction: async (action, item) => {
        await ck.panel.updateWidget(item.id, { type: 'Card', key: 'picked', children: [{ type: 'Text', value: `Picked ${action.payload.name}` }, { type: 'Input', name: 'note', placeholder: 'Note' }] });
      },
    },
  }));
  await send(page, 'widget names');
  await page.getByText('Pick a name').waitFor();
  await waitResponses(page, 1);
  const widget = page.locator('[data-item-type="widget"]');
  const itemId = await widget.getAttribute('data-item-id');
  const index = () => page.evaluate((id) => [...ck.panel.shadowRoot.querySelectorAll('.ck-item')].findIndex((el) => el.dataset.itemId === id), itemId);
  const at = await index();
  await page.getByRole('button', { name: 'Pepper' }).click();
  await page.getByText('Picked Pepper').waitFor();
  assert.equal(await index(), at);
  assert.equal(await page.getByRole('button', { name: 'Mochi' }).count(), 0);
  assert.equal(await page.evaluate((id) => ck.panel.itemById(id).widget.children[0].value, itemId), 'Picked Pepper');
  // Typed input survives a second local update of the same keyed root.
  await page.getByRole('textbox', { name: 'Note' }).fill('kept');
  await page.evaluate((id) => ck.panel.updateWidget(id, { type: 'Card', key: 'picked', children: [{ type: 'Text', value: 'Picked again' }, { type: 'Input', name: 'note', placeholder: 'Note' }] }), itemId);
  await page.getByText('Picked again').waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Note' }).inputValue(), 'kept');
  assert.equal((await requests(page, 'threads.custom_action')).length, 0);
  assert.equal((await requests(page, 'threads.sync_custom_action')).length, 0);
  // Bad calls reject and change nothing.
  const errors = await page.evaluate(async (id) => {
    const out = [];
    for (const args of [['msg_nope', { type: 'Card', children: [] }], [id, null], [id, { children: [] }]]) {
      await ck.panel.updateWidget(...args).then(() => out.push('resolved'), (err) => out.push(err.message));
    }
    return out;
  }, itemId);
  assert.deepEqual(errors, ['No widget item msg_nope', 'updateWidget needs a widget root with a type', 'updateWidget needs a widget root with a type']);
  await page.getByText('Picked again').waitFor();
  assert.deepEqual(page.errors, []);
});

test('W18 wizard advances to Done', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'widget wizard');
  for (const [label, next] of [['Next', 'Step 2 of 3'], ['Next', 'Step 3 of 3'], ['Finish', 'Done']]) {
    await page.getByRole('button', { name: label }).click();
    await page.getByRole('heading', { name: next }).waitFor();
    await page.waitForFunction(() => !ck.panel.streaming);
  }
  await page.getByText('Wizard complete.').waitFor();
});

test('W19 W20 mid-stream: client actions run, server actions queue and go after response.end', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ widgets: { onAction: (action) => { window.__client = action; } } }));
  await send(page, 'widget counter');
  await page.getByText('Count: 0').waitFor();
  await waitResponses(page, 1);
  await send(page, 'widget names');
  await page.getByText('Pick a name').waitFor();
  await waitResponses(page, 2);
  await send(page, 'slow 30');
  await page.getByRole('button', { name: 'Stop' }).waitFor();
  await page.getByRole('button', { name: 'Mochi' }).click();
  assert.deepEqual(await page.evaluate(() => window.__client), { type: 'names.pick', payload: { name: 'Mochi', options: ['Mochi', 'Biscuit', 'Pepper'] } });
  const inc = page.getByRole('button', { name: 'Increment' });
  await inc.click();
  assert.equal(await inc.getAttribute('aria-busy'), 'true');
  await shot(page, 'widget-queued');
  assert.equal((await requests(page, 'threads.custom_action')).length, 0);
  await page.getByText('Count: 1').waitFor({ timeout: 10000 });
  const starts = await page.evaluate(() => ck.events.map((e) => e.name).filter((n) => n.startsWith('response.')));
  // The queued action started after the slow response ended.
  assert.deepEqual(starts.slice(-4), ['response.start', 'response.end', 'response.start', 'response.end']);
});

test('W20 a second click on a queued action cancels it', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'widget counter');
  await page.getByText('Count: 0').waitFor();
  await waitResponses(page, 1);
  await send(page, 'slow 10');
  await page.getByRole('button', { name: 'Stop' }).waitFor();
  const inc = page.getByRole('button', { name: 'Increment' });
  await inc.click();
  await inc.click();
  assert.equal(await inc.getAttribute('aria-busy'), 'false');
  await waitResponses(page, 2);
  await page.waitForTimeout(300);
  assert.equal((await requests(page, 'threads.custom_action')).length, 0);
});

const FIXTURES = {
  kitchen: {
    type: 'Card',
    key: 'kitchen',
    size: 'lg',
    status: { text: 'All components', icon: 'sparkle' },
    confirm: { label: 'Save', action: { type: 'kitchen.save' } },
    cancel: { label: 'Discard', action: { type: 'kitchen.discard' } },
    asForm: true,
    children: [
      { type: 'Title', value: 'Kitchen sink', size: 'xl' },
      { type: 'Caption', value: 'Every component renders' },
      { type: 'Row', gap: 2, padding: { x: 4, y: 1 }, children: [
        { type: 'Badge', label: 'New', color: 'success' },
        { type: 'Badge', label: 'Beta', color: 'discovery', variant: 'outline', pill: true },
        { type: 'Icon', name: 'star-filled', color: 'warning' },
        { type: 'Icon', name: 'no-such-icon' },
        { type: 'Spacer' },
        { type: 'Text', value: 'token', color: 'danger' },
        { type: 'Text', value: 'primitive', color: 'blue-500' },
        { type: 'Text', value: 'raw', color: '#ff00aa' },
        { type: 'Text', value: 'scheme', color: { light: 'green-600', dark: 'red-400' } },
      ] },
      { type: 'Text', value: 'A very long line of text that keeps going and going and going until it has to be clamped somewhere because it is far too long for two lines of a card like this one, really.', maxLines: 2, id: 'clamped' },
      { type: 'Text', value: 'Truncated text that is much too long to fit on one single line of this card at all', truncate: true, id: 'trunc' },
      { type: 'Markdown', value: 'Some **markdown** with `code`.' },
      { type: 'Divider', spacing: 2 },
      { type: 'Label', value: 'Your email', fieldName: 'contact.email' },
      { type: 'Input', name: 'contact.email', inputType: 'email', placeholder: 'Email', required: true },
      { type: 'Textarea', name: 'notes', placeholder: 'Notes', rows: 2 },
      { type: 'Select', name: 'plan', placeholder: 'Plan', defaultValue: 'pro', options: [{ value: 'free', label: 'Free' }, { value: 'pro', label: 'Pro' }] },
      { type: 'DatePicker', name: 'when', defaultValue: '2026-12-24T10:00:00Z' },
      { type: 'Checkbox', name: 'agree', label: 'I agree', defaultChecked: false },
      { type: 'RadioGroup', name: 'size', ariaLabel: 'Size', defaultValue: 'm', options: [{ label: 'Small', value: 's' }, { label: 'Medium', value: 'm' }] },
      { type: 'Image', src: 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', alt: 'pixel', width: 40, height: 40, fit: 'cover', position: 'top', radius: 'md', frame: true },
      { type: 'Table', children: [
        { type: 'Table.Row', header: true, children: [{ type: 'Table.Cell', children: [{ type: 'Text', value: 'Name' }] }, { type: 'Table.Cell', children: [{ type: 'Text', value: 'Qty' }] }] },
        { type: 'Table.Row', children: [{ type: 'Table.Cell', colSpan: 2, children: [{ type: 'Text', value: 'Both columns' }] }] },
      ] },
      { type: 'Chart', height: 120, showLegend: true, showYAxis: true, xAxis: 'month', data: [{ month: 'Jan', a: 3, b: 5 }, { month: 'Feb', a: 6, b: 2 }, { month: 'Mar', a: 4, b: 7 }], series: [{ type: 'bar', dataKey: 'a', label: 'Apples' }, { type: 'line', dataKey: 'b', label: 'Berries', color: 'orange' }] },
      { type: 'Box', direction: 'row', gap: 2, children: [
        { type: 'Button', label: 'Primary', style: 'primary', onClickAction: { type: 'b.primary', loadingBehavior: 'none' } },
        { type: 'Button', label: 'Danger', color: 'danger', variant: 'outline', onClickAction: { type: 'b.danger', loadingBehavior: 'container' } },
        { type: 'Button', label: 'Disabled', disabled: true, onClickAction: { type: 'b.disabled' } },
        { type: 'Button', iconStart: 'settings-slider', uniform: true, onClickAction: { type: 'b.icon' } },
      ] },
      { type: 'MysteryComponent', value: 'never shown' },
      { type: 'Text', value: 'after the unknown one' },
    ],
  },
  collide: {
    type: 'Card',
    children: [{ type: 'Form', onSubmitAction: { type: 'f.submit', payload: { name: 'configured', extra: 1 } }, children: [
      { type: 'Input', name: 'name', defaultValue: 'typed' },
      { type: 'Input', name: 'a.b', defaultValue: 'nested' },
      { type: 'Button', label: 'Go', submit: true },
    ] }],
  },
  changes: {
    type: 'Card',
    children: [
      { type: 'Select', name: 'color', placeholder: 'Color', options: [{ value: 'r', label: 'Red' }, { value: 'g', label: 'Green' }], onChangeAction: { type: 'pick.color', payload: { from: 'select' } } },
      { type: 'Checkbox', name: 'ok', label: 'OK', onChangeAction: { type: 'pick.ok' } },
      { type: 'DatePicker', name: 'day', onChangeAction: { type: 'pick.day' } },
      { type: 'RadioGroup', name: 'r', ariaLabel: 'Choice', options: [{ label: 'One', value: '1' }, { label: 'Two', value: '2' }], onChangeAction: { type: 'pick.radio' } },
    ],
  },
  longlist: {
    type: 'ListView',
    limit: 2,
    children: ['A', 'B', 'C', 'D'].map((v) => ({ type: 'ListViewItem', children: [{ type: 'Text', value: `Row ${v}` }] })),
  },
  basic: { type: 'Basic', children: [{ type: 'Text', value: 'chromeless' }] },
  dark: { type: 'Card', theme: 'dark', children: [{ type: 'Text', value: 'dark card', color: { light: 'green-600', dark: 'red-400' } }] },
  keyed: { type: 'Card', key: 'keyed', children: [{ type: 'Input', name: 'q', key: 'q' }, { type: 'Button', label: 'Refresh', onClickAction: { type: 'refresh' } }, { type: 'Text', id: 'n', value: 'v1' }] },
};

test('W21-W35 every component renders with its props', async () => {
  const page = await openTestPage(env.browser, env.server, { viewport: { width: 1000, height: 1400 } });
  await widgetFixtures(page, FIXTURES, { delayMs: 400 });
  await mount(page, () => ({ threadItemActions: { feedback: false } }));
  await send(page, 'fixture kitchen');
  const card = page.locator('.ck-card');
  await card.getByRole('heading', { name: 'Kitchen sink' }).waitFor();
  await waitResponses(page, 1);
  await shot(page, 'widget-kitchen-sink');
  const style = (selector, prop) => page.locator(selector).first().evaluate((el, prop) => getComputedStyle(el)[prop], prop);
  // W28 spacing units.
  const row = card.locator('.ck-w-row').first();
  assert.equal(await row.evaluate((el) => getComputedStyle(el).gap), '8px');
  assert.equal(await row.evaluate((el) => getComputedStyle(el).paddingLeft), '16px');
  assert.equal(await row.evaluate((el) => getComputedStyle(el).paddingTop), '4px');
  // W29 colours.
  const color = (text) => card.getByText(text, { exact: true }).evaluate((el) => getComputedStyle(el).color);
  assert.equal(await color('raw'), 'rgb(255, 0, 170)');
  assert.notEqual(await color('primitive'), await color('token'));
  assert.equal(await color('token'), await page.locator('.ck-root').evaluate((el) => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--ck-text-danger)';
    el.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  }));
  // W30 clamp and truncate.
  assert.equal(await style('[data-ck-id="clamped"]', 'webkitLineClamp'), '2');
  assert.equal(await style('[data-ck-id="trunc"]', 'textOverflow'), 'ellipsis');
  // W31 image props.
  assert.equal(await style('img.ck-image', 'objectFit'), 'cover');
  assert.equal(await style('img.ck-image', 'borderRadius'), '8px');
  assert.match(await style('img.ck-image', 'objectPosition'), /50% 0%/);
  // W32 unknown component and icon.
  assert.equal(await card.getByText('never shown').count(), 0);
  await card.getByText('after the unknown one').waitFor();
  assert.equal(await card.locator('svg[data-icon="dot"]').count(), 1);
  // W34 table.
  assert.equal(await card.locator('th').count(), 2);
  assert.equal(await card.locator('td').first().getAttribute('colspan'), '2');
  // W35 chart.
  assert.equal(await card.locator('.ck-chart svg').count(), 1);
  assert.equal(await card.locator('.ck-chart rect.ck-chart-bar').count(), 3);
  assert.equal(await card.locator('.ck-chart path.ck-chart-line').count(), 1);
  assert.deepEqual(await card.locator('.ck-chart-legend-item').allInnerTexts(), ['Apples', 'Berries']);
  // Label bound to its field.
  await card.getByLabel('Your email').fill('ada@example.com');
  // W21 W22 confirm/cancel footer; asForm confirm carries the values and fades the card.
  const footer = card.locator('.ck-card-footer');
  assert.deepEqual(await footer.getByRole('button').allInnerTexts(), ['Discard', 'Save']);
  await watch(page, '.ck-card.ck-container-loading');
  await footer.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => ck.ofType('threads.custom_action').length === 1);
  const [save] = await requests(page, 'threads.custom_action');
  assert.deepEqual(save.params.action, {
    type: 'kitchen.save',
    payload: { contact: { email: 'ada@example.com' }, notes: '', plan: 'pro', when: '2026-12-24', agree: false, size: 'm' },
  });
  await waitResponses(page, 2);
  assert.equal(await seen(page, '.ck-card.ck-container-loading'), true);
  // W22 validation: an invalid email blocks confirm.
  await card.getByLabel('Your email').fill('not an email');
  await footer.getByRole('button', { name: 'Save' }).click();
  await page.waitForTimeout(200);
  assert.equal((await requests(page, 'threads.custom_action')).length, 1);
  // W23 none shows nothing; container makes the widget inert.
  await watch(page, '.ck-self-loading');
  await card.getByRole('button', { name: 'Primary' }).click();
  await waitResponses(page, 3);
  assert.equal(await seen(page, '.ck-self-loading'), false);
  await card.getByRole('button', { name: 'Danger' }).click();
  await page.locator('.ck-card.ck-container-loading[inert]').waitFor();
  await waitResponses(page, 4);
  // W24 disabled never dispatches.
  await card.getByRole('button', { name: 'Disabled' }).click({ force: true });
  await page.waitForTimeout(200);
  const types = (await requests(page, 'threads.custom_action')).map((r) => r.params.action.type);
  assert.deepEqual(types, ['kitchen.save', 'b.primary', 'b.danger']);
  // Icon-only button has an accessible name.
  assert.equal(await card.getByRole('button', { name: 'settings-slider' }).count(), 1);
});

test('W11 W12 a colliding field is ignored with chatkit.error; dotted names nest', async () => {
  const page = await openTestPage(env.browser, env.server);
  await widgetFixtures(page, FIXTURES);
  await mount(page);
  await send(page, 'fixture collide');
  await page.getByRole('button', { name: 'Go' }).click();
  await page.waitForFunction(() => ck.ofType('threads.custom_action').length === 1);
  const [action] = await requests(page, 'threads.custom_action');
  assert.deepEqual(action.params.action, { type: 'f.submit', payload: { name: 'configured', extra: 1, a: { b: 'nested' } } });
  const errors = await events(page, 'error');
  assert.ok(errors.some((e) => /name/.test(e.detail.error.message)), JSON.stringify(errors));
});

test('W26 W27 change actions carry {name: value} with typed values', async () => {
  const page = await openTestPage(env.browser, env.server);
  await widgetFixtures(page, FIXTURES);
  await mount(page);
  await send(page, 'fixture changes');
  await page.locator('select').waitFor();
  await page.locator('select').selectOption('g');
  await page.getByRole('checkbox', { name: 'OK' }).check();
  await page.locator('input[type=date]').fill('2026-03-04');
  await page.getByRole('radio', { name: 'Two' }).check();
  await page.waitForFunction(() => ck.ofType('threads.custom_action').length === 4);
  const actions = (await requests(page, 'threads.custom_action')).map((r) => r.params.action);
  assert.deepEqual(actions, [
    { type: 'pick.color', payload: { from: 'select', color: 'g' } },
    { type: 'pick.ok', payload: { ok: true } },
    { type: 'pick.day', payload: { day: '2026-03-04' } },
    { type: 'pick.radio', payload: { r: '2' } },
  ]);
});

test('W25 W33 ListView limit shows "Show more"; Basic has no card chrome; Card.theme flips colours', async () => {
  const page = await openTestPage(env.browser, env.server);
  await widgetFixtures(page, FIXTURES);
  await mount(page);
  await send(page, 'fixture longlist');
  await page.getByText('Row A').waitFor();
  assert.equal(await page.getByText('Row C').isVisible(), false);
  await page.getByRole('button', { name: 'Show more (2)' }).click();
  await page.getByText('Row D').waitFor();
  await page.evaluate(() => ck.panel.setThreadId(null));
  await send(page, 'fixture basic');
  const basic = page.locator('.ck-basic');
  await basic.getByText('chromeless').waitFor();
  assert.equal(await basic.evaluate((el) => getComputedStyle(el).borderTopWidth), '0px');
  await page.evaluate(() => ck.panel.setThreadId(null));
  await send(page, 'fixture dark');
  const dark = page.locator('.ck-card[data-scheme="dark"]');
  await dark.waitFor();
  const bg = await dark.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(bg, 'rgb(255, 255, 255)');
  const [r, g] = (await dark.getByText('dark card').evaluate((el) => getComputedStyle(el).color)).match(/\d+/g).map(Number);
  assert.ok(r > 200 && g < 120, 'the dark variant (red-400) is used');
});

test('W36 input text survives a root update that keeps its key; component updates apply in place', async () => {
  const page = await openTestPage(env.browser, env.server);
  const updated = { type: 'Card', key: 'keyed', children: [{ type: 'Input', name: 'q', key: 'q' }, { type: 'Button', label: 'Refresh', onClickAction: { type: 'refresh' } }, { type: 'Text', id: 'n', value: 'v2' }] };
  await widgetFixtures(page, FIXTURES, {
    onAction: (body) => [
      { type: 'thread.item.updated', item_id: body.params.item_id, update: { type: 'widget.root.updated', widget: updated } },
      { type: 'thread.item.updated', item_id: body.params.item_id, update: { type: 'widget.component.updated', component_id: 'n', component: { type: 'Text', id: 'n', value: 'v3' } } },
    ],
  });
  await mount(page);
  await send(page, 'fixture keyed');
  const input = page.locator('input[data-ck-name="q"]');
  await input.fill('still here');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByText('v3').waitFor();
  assert.equal(await input.inputValue(), 'still here');
});

test('W37 copy on a widget turn copies copy_text', async () => {
  const page = await openTestPage(env.browser, env.server);
  await widgetFixtures(page, FIXTURES);
  await mount(page);
  await send(page, 'fixture basic');
  await page.getByRole('button', { name: 'Copy' }).click();
  const logs = await events(page, 'log');
  const copy = logs.find((l) => l.detail.name === 'message.copy');
  assert.equal(copy.detail.data.text, 'copy of basic');
});
