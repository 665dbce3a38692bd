// Options, public methods and events, thread status, citations, workflows, client tools,
// client effects and structured input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openTestPage, mount, composer, send, waitResponses, requests, events, shot } from './harness.mjs';

const env = useBrowser();

const placeholder = (page) => composer(page).getAttribute('aria-placeholder');

test('O01 a second setOptions replaces the first', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ composer: { placeholder: 'Ask me' }, startScreen: { greeting: 'Hi there' } }));
  assert.equal(await placeholder(page), 'Ask me');
  await page.getByRole('heading', { name: 'Hi there' }).waitFor();
  await mount(page, () => ({}));
  assert.equal(await placeholder(page), 'Message the AI');
  await page.getByRole('heading', { name: 'What can I help with today?' }).waitFor();
  assert.equal((await events(page, 'ready')).length, 1);
});

test('O02 O03 theme: dark scheme both ways, radius and density change the chrome', async () => {
  const page = await openTestPage(env.browser, env.server);
  const bg = () => page.locator('.ck-root').evaluate((el) => getComputedStyle(el).backgroundColor);
  await mount(page, () => ({ theme: 'light' }));
  const light = await bg();
  await mount(page, () => ({ theme: 'dark' }));
  const dark = await bg();
  assert.notEqual(light, dark);
  await mount(page, () => ({ theme: { colorScheme: 'dark' } }));
  assert.equal(await bg(), dark);
  await shot(page, 'dark-start');
  const radius = () => page.locator('.ck-composer').evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
  const padding = () => page.locator('.ck-scroll').evaluate((el) => getComputedStyle(el).paddingTop);
  await mount(page, () => ({ theme: { radius: 'pill', density: 'compact' } }));
  const [pillRadius, compact] = [await radius(), await padding()];
  await mount(page, () => ({ theme: { radius: 'sharp', density: 'spacious' } }));
  assert.equal(await radius(), '2px');
  assert.notEqual(pillRadius, '2px');
  assert.equal(compact, '14px');
  assert.equal(await padding(), '18px');
  await mount(page, () => ({ theme: { color: { accent: { primary: '#16a34a', level: 2 } } } }));
  assert.equal(await page.locator('.ck-send').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(22, 163, 74)');
});

test('O04 O05 header title override, hidden header, custom actions', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ header: { title: { text: 'Support' }, rightAction: { icon: 'settings-cog', onClick: () => { window.__right = true; } } } }));
  await send(page, 'title From server');
  await waitResponses(page, 1);
  assert.equal(await page.locator('.ck-title').innerText(), 'Support');
  await page.getByRole('button', { name: 'settings-cog' }).click();
  assert.equal(await page.evaluate(() => window.__right), true);
  await mount(page, () => ({}));
  assert.equal(await page.locator('.ck-title').innerText(), 'From server');
  await mount(page, () => ({ header: { enabled: false } }));
  assert.equal(await page.locator('.ck-header').isHidden(), true);
});

test('O06 O07 O08 start screen prompts send string and structured prompts', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({
    startScreen: {
      greeting: 'Pick one',
      prompts: [
        { label: 'Echo', prompt: 'echo from a prompt', icon: 'bolt' },
        { label: 'Tagged', prompt: [{ type: 'input_text', text: 'echo about ' }, { type: 'input_tag', id: 'ada', text: 'Ada', group: 'People', interactive: true, data: { kind: 'person' } }] },
      ],
    },
  }));
  await page.getByRole('button', { name: 'Echo' }).click();
  await page.getByText('from a prompt', { exact: true }).waitFor();
  await waitResponses(page, 1);
  assert.equal(await page.getByRole('heading', { name: 'Pick one' }).isHidden(), true);
  const [first] = await requests(page, 'threads.create');
  assert.deepEqual(first.params.input.content, [{ type: 'input_text', text: 'echo from a prompt' }]);
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('button', { name: 'Tagged' }).click();
  await waitResponses(page, 2);
  const [, second] = await requests(page, 'threads.create');
  assert.deepEqual(second.params.input.content, [
    { type: 'input_text', text: 'echo about ' },
    { type: 'input_tag', id: 'ada', text: 'Ada', data: { kind: 'person' }, interactive: true, group: 'People' },
  ]);
  await page.locator('.ck-user .ck-chip', { hasText: 'Ada' }).waitFor();
});

test('O09 disclaimer markdown renders under the composer', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ disclaimer: { text: 'Answers may be **wrong**.' } }));
  await page.locator('.ck-disclaimer strong', { hasText: 'wrong' }).waitFor();
});

test('O10 O11 E05 composer tools: placeholder override, clearing, persistence, tool.change, M03', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({
    composer: {
      placeholder: 'Ask',
      tools: [
        { id: 'search', label: 'Search the web', shortLabel: 'Search', icon: 'globe', placeholderOverride: 'Search for…' },
        { id: 'draw', label: 'Draw', icon: 'images', pinned: true, persistent: true },
      ],
      models: [{ id: 'fast', label: 'Fast', default: true }, { id: 'deep', label: 'Deep' }, { id: 'off', label: 'Off', disabled: true }],
    },
  }));
  await page.getByRole('button', { name: 'Tools' }).click();
  await page.getByRole('menuitemradio', { name: 'Search the web' }).click();
  assert.equal(await placeholder(page), 'Search for…');
  await shot(page, 'composer-tool');
  await send(page, 'options');
  await page.getByText('tool_choice=search; model=fast').waitFor();
  await waitResponses(page, 1);
  assert.equal(await placeholder(page), 'Ask');
  await page.getByRole('button', { name: 'Draw' }).click();
  await page.getByRole('combobox', { name: 'Model' }).selectOption('deep');
  await send(page, 'options');
  await page.getByText('tool_choice=draw; model=deep').waitFor();
  await waitResponses(page, 2);
  assert.equal(await page.getByRole('button', { name: 'Draw' }).getAttribute('aria-pressed'), 'true');
  await page.evaluate(() => ck.panel.setComposerValue({ selectedToolId: null }));
  const changes = (await events(page, 'tool.change')).map((e) => e.detail.toolId);
  assert.deepEqual(changes, ['search', null, 'draw', null]);
  // M03: per-message choices leave the composer alone.
  await page.evaluate(() => ck.panel.sendUserMessage({ text: 'options', toolChoice: { id: 'search' }, model: 'fast' }));
  await page.getByText('tool_choice=search; model=fast').nth(1).waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Model' }).inputValue(), 'deep');
  assert.equal(await page.getByRole('button', { name: 'Draw' }).getAttribute('aria-pressed'), 'false');
});

test('O12 initialThread loads on mount with thread.load.start/end', async () => {
  const first = await openTestPage(env.browser, env.server);
  await mount(first);
  await send(first, 'echo remembered');
  await waitResponses(first, 1);
  const id = await first.evaluate(() => ck.panel.threadId);
  const page = await openTestPage(env.browser, env.server, { user: first.user });
  await mount(page, (id) => ({ initialThread: id }), id);
  await page.getByText('remembered', { exact: true }).waitFor();
  const [get] = await requests(page, 'threads.get_by_id');
  assert.deepEqual(get.params, { thread_id: id });
  assert.deepEqual((await events(page, 'thread.load.start')).map((e) => e.detail), [{ threadId: id }]);
  assert.deepEqual((await events(page, 'thread.load.end')).map((e) => e.detail), [{ threadId: id }]);
});

test('M01 M02 M04 M05 sendUserMessage and setComposerValue', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await composer(page).click();
  await composer(page).pressSequentially('my draft');
  await page.evaluate(() => ck.panel.sendUserMessage({ text: 'echo sent', reply: 'q' }));
  assert.equal(await composer(page).innerText(), 'my draft');
  const [create] = await requests(page, 'threads.create');
  assert.equal(create.params.input.quoted_text, 'q');
  const first = await page.evaluate(() => ck.panel.threadId);
  await page.evaluate(() => ck.panel.sendUserMessage({ text: 'echo fresh', newThread: true }));
  assert.equal((await requests(page, 'threads.create')).length, 2);
  assert.notEqual(await page.evaluate(() => ck.panel.threadId), first);
  await page.evaluate(() => ck.panel.setComposerValue({ content: [{ type: 'input_text', text: 'echo hi ' }, { type: 'input_tag', id: 'e1', text: 'Eve', interactive: false, data: { a: '1' } }] }));
  await page.locator('.ck-input .ck-chip', { hasText: 'Eve' }).waitFor();
  await composer(page).press('End');
  await composer(page).press('Enter');
  await waitResponses(page, 3);
  const [added] = await requests(page, 'threads.add_user_message');
  assert.deepEqual(added.params.input.content, [{ type: 'input_text', text: 'echo hi ' }, { type: 'input_tag', id: 'e1', text: 'Eve', data: { a: '1' }, interactive: false }]);
});

test('M06 M07 M10 setThreadId, fetchUpdates, history and focus methods; R12 status', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'status locked Maintenance window');
  await waitResponses(page, 1);
  assert.equal(await placeholder(page), 'Maintenance window');
  assert.equal(await composer(page).getAttribute('aria-disabled'), 'true');
  await shot(page, 'locked');
  const id = await page.evaluate(() => ck.panel.threadId);
  // Out of band: another client closes the thread.
  await page.evaluate(async (id) => {
    const res = await fetch('/chatkit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'threads.add_user_message', params: { thread_id: id, input: { content: [{ type: 'input_text', text: 'status closed Archived' }], attachments: [], inference_options: {} } } }) });
    await res.text();
  }, id);
  await page.evaluate(() => ck.panel.fetchUpdates());
  await page.getByText('Archived', { exact: true }).waitFor();
  assert.equal(await page.locator('.ck-composer-area').isHidden(), true);
  await page.evaluate(() => ck.panel.setThreadId(null));
  await page.getByRole('heading', { name: 'What can I help with today?' }).waitFor();
  await page.evaluate((id) => ck.panel.setThreadId(id), id);
  await page.getByText('Status is now locked.').waitFor();
  await page.evaluate(() => ck.panel.showHistory());
  await page.getByRole('navigation', { name: 'Conversation history' }).waitFor();
  await page.evaluate(() => ck.panel.hideHistory());
  assert.equal(await page.getByRole('navigation', { name: 'Conversation history' }).count(), 0);
  await page.evaluate(() => ck.panel.setThreadId(null));
  await page.evaluate(() => ck.panel.focusComposer());
  assert.equal(await page.evaluate(() => ck.panel.shadowRoot.activeElement?.getAttribute('aria-label')), 'Message');
});

test('M08 M09 sendCustomAction with and without an item id', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'widget counter');
  await waitResponses(page, 1);
  await page.evaluate(() => ck.panel.sendCustomAction({ type: 'ping', payload: { a: 1 } }));
  await page.getByText('pong {"a":1}').waitFor();
  const itemId = await page.locator('[data-item-type="widget"]').getAttribute('data-item-id');
  await page.evaluate((id) => ck.panel.sendCustomAction({ type: 'counter.increment', payload: { by: 5 } }, id), itemId);
  await page.getByText('Count: 5').waitFor();
  const [ping, inc] = await requests(page, 'threads.custom_action');
  assert.equal('item_id' in ping.params, false);
  assert.equal(inc.params.item_id, itemId);
  const rejected = await page.evaluate(async () => {
    await ck.panel.setThreadId(null);
    return ck.panel.sendCustomAction({ type: 'ping' }).then(() => 'resolved', (e) => e.message);
  });
  assert.match(rejected, /thread/);
});

test('R16 citations: numbered markers, Sources, an interactive entity source', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ entities: { onClick: (entity) => { window.__clicked = entity; } } }));
  await send(page, 'cite');
  await page.locator('.ck-sources').waitFor();
  const marker = page.locator('a.ck-cite');
  assert.equal(await marker.innerText(), '1');
  assert.equal(await marker.getAttribute('href'), 'https://example.com/docs');
  await page.locator('.ck-sources summary').click();
  await page.getByRole('link', { name: 'Example docs', exact: true }).waitFor();
  await page.locator('.ck-source-entity', { hasText: 'Ada' }).click();
  assert.deepEqual(await page.evaluate(() => window.__clicked), { id: 'ent-ada', title: 'Ada', icon: 'profile', interactive: true, data: {} });
  await shot(page, 'citations');
});

test('R17 workflow tasks then a collapsed summary', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'workflow 2');
  await page.getByText('Workflow finished with 2 tasks.').waitFor();
  const wf = page.locator('details.ck-workflow');
  assert.equal(await wf.locator('summary').innerText(), 'Completed 2 tasks');
  assert.equal(await wf.evaluate((el) => el.open), false);
  await wf.locator('summary').click();
  await wf.getByText('Finished task 2').waitFor();
});

test('T01 T02 T04 client tool round trip and client effects', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ onClientTool: async ({ name, params }) => ({ picked: params.args[0], by: name }) }));
  await send(page, 'tool pick x');
  await page.getByText('Tool pick returned {"by":"pick","picked":"x"}').waitFor();
  const [output] = await requests(page, 'threads.add_client_tool_output');
  assert.deepEqual(output.params.result, { picked: 'x', by: 'pick' });
  await send(page, 'effect ping 1');
  await page.waitForFunction(() => ck.named('effect').length === 1);
  assert.deepEqual((await events(page, 'effect'))[0].detail, { name: 'ping', data: { args: ['1'] } });
});

test('T03 a throwing onClientTool reports the error and still completes the turn', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ onClientTool: () => { throw new Error('no canvas'); } }));
  await send(page, 'tool pick x');
  await page.getByText('Tool pick returned {"error":"no canvas"}').waitFor();
  const errors = await events(page, 'error');
  assert.ok(errors.some((e) => e.detail.error.message === 'no canvas'));
});

test('F05 structured input replaces the composer; Submit and Skip', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'structured');
  const form = page.getByRole('form', { name: 'Answer the questions' });
  await form.waitFor();
  assert.equal(await page.locator('.ck-composer-area').isHidden(), true);
  await form.getByRole('button', { name: 'Green' }).click();
  await form.getByRole('textbox', { name: 'Anything else?' }).fill('thanks');
  await shot(page, 'structured-input');
  await form.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Structured input answered: color=Green; note=thanks').waitFor();
  const [submit] = await requests(page, 'threads.add_structured_input');
  assert.deepEqual(submit.params.input, { status: 'answered', answers: { color: { values: ['Green'], skipped: false }, note: { values: ['thanks'], skipped: false } } });
  await send(page, 'structured');
  await page.getByRole('form', { name: 'Answer the questions' }).getByRole('button', { name: 'Skip' }).click();
  await page.getByText('Structured input skipped: color=(skipped); note=(skipped)').waitFor();
});

test('F05 a single choice answers one value: a pick clears the other text, other text clears the pick', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'structured');
  let form = page.getByRole('form', { name: 'Answer the questions' });
  const other = () => form.getByRole('textbox', { name: 'Pick a color: other' });
  const pressed = (name) => form.getByRole('button', { name }).getAttribute('aria-pressed');
  await form.getByRole('button', { name: 'Green' }).click();
  await other().fill('Teal');
  assert.equal(await pressed('Green'), 'false');
  await form.getByRole('button', { name: 'Blue' }).click();
  assert.equal(await other().inputValue(), '');
  assert.equal(await pressed('Blue'), 'true');
  await form.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Structured input answered: color=Blue;').waitFor();

  await send(page, 'structured');
  form = page.getByRole('form', { name: 'Answer the questions' });
  await form.getByRole('button', { name: 'Red' }).click();
  await other().fill('Teal');
  assert.equal(await pressed('Red'), 'false');
  await form.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Structured input answered: color=Teal;').waitFor();
  const answers = (await requests(page, 'threads.add_structured_input')).map((r) => r.params.input.answers.color.values);
  assert.deepEqual(answers, [['Blue'], ['Teal']]);
});

test('F05 a multiple choice answers every pick and the other text', async () => {
  const page = await openTestPage(env.browser, env.server);
  // The same questions with the color asked as a multiple choice.
  await page.route('**/chatkit', async (route) => {
    const body = JSON.parse(route.request().postData() || '{}');
    if (body.type !== 'threads.create') return route.fallback();
    const response = await route.fetch();
    return route.fulfill({ response, body: (await response.text()).replace('"multiple":false', '"multiple":true') });
  });
  await mount(page);
  await send(page, 'structured');
  const form = page.getByRole('form', { name: 'Answer the questions' });
  await form.getByRole('button', { name: 'Red' }).click();
  await form.getByRole('button', { name: 'Blue' }).click();
  await form.getByRole('textbox', { name: 'Pick a color: other' }).fill('Teal');
  for (const name of ['Red', 'Blue']) assert.equal(await form.getByRole('button', { name }).getAttribute('aria-pressed'), 'true');
  await form.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Structured input answered:').waitFor();
  const [submit] = await requests(page, 'threads.add_structured_input');
  assert.deepEqual(submit.params.input.answers.color, { values: ['Red', 'Blue', 'Teal'], skipped: false });
});

test('items: task, generated image, end of turn and hidden context; deeplinks in markdown', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page);
  await send(page, 'task Water the plants');
  await page.locator('.ck-task-item', { hasText: 'Water the plants' }).waitFor();
  await waitResponses(page, 1);
  await send(page, 'image');
  await page.locator('.ck-generated-image img[src="https://example.com/img-1.png"]').waitFor({ state: 'attached' });
  await waitResponses(page, 2);
  await send(page, 'hidden secret words');
  await page.getByText('Noted.').waitFor();
  assert.equal(await page.getByText('secret words', { exact: true }).count(), 0);
  await waitResponses(page, 3);
  await send(page, 'end');
  await page.getByText('Ending turn.').waitFor();
  await waitResponses(page, 4);
  assert.equal(await page.locator('[data-item-type="end_of_turn"]').count(), 0);
  await send(page, 'echo [open](chatkit-link://board/card?id=7)');
  await page.getByRole('link', { name: 'open' }).click();
  await page.waitForFunction(() => ck.named('deeplink').length === 1);
  assert.deepEqual((await events(page, 'deeplink'))[0].detail, { name: 'board/card', data: { id: '7' } });
});

test('the embedding example page handles client actions and mentions', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1200, height: 760 }, extraHTTPHeaders: { 'x-user-id': 'embed-example' } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${env.server.url}/examples/embed.html`);
  await page.getByRole('button', { name: 'Pick a pet name' }).click();
  await page.getByRole('button', { name: 'Pepper' }).click();
  await page.getByText('Named Pepper').waitFor();
  await page.locator('#log li', { hasText: 'client action names.pick' }).waitFor();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.pressSequentially('echo @emb');
  await page.getByRole('option', { name: 'Ember Gate' }).click();
  await box.press('Enter');
  await page.locator('.ck-user .ck-chip', { hasText: 'Ember Gate' }).last().hover();
  await page.getByRole('tooltip').getByText('On the blue line').waitFor();
  await shot(page, 'embed-example');
  assert.deepEqual(errors, []);
  await context.close();
});
