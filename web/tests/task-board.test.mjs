// The default demo (`chatkit serve`: examples/task-board) end to end in its own page: every
// seed pattern, driven by clicks and typing against the real server and its offline model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, composer, send as say, shot } from './harness.mjs';

const env = useApp();

/** The demo page as a fresh user. */
async function openDemo() {
  const page = await openApp(env, { viewport: { width: 1200, height: 800 } });
  await page.locator('chatkit-panel .ck-root:not([hidden])').waitFor();
  await side(page).summary.getByText('3 open, 0 done').waitFor();
  return page;
}

const side = (page) => ({
  summary: page.locator('#summary'),
  open: page.locator('#open-tasks'),
  done: page.locator('#done-tasks'),
  detail: page.locator('#detail'),
  updated: page.locator('#updated'),
});

const sent = (page, type) => page.chatkit.filter((r) => r.type === type);

/** The widget of the last assistant turn with this text. */
const listWidget = (page) => page.locator('.ck-listview').last();


/** Waits until the panel is idle again (the Send button is back). */
async function idle(page) {
  await page.getByRole('button', { name: 'Send' }).waitFor();
}

const assistantText = (page, text) => page.locator('.ck-assistant').getByText(text, { exact: false });

test('start screen prompts; server action replaces the list in place; the effect updates the side panel; hidden context reaches the next turn', async () => {
  const page = await openDemo();
  for (const label of ['Show the board', 'Add a task for Grace', 'Open the new-task form', 'What did I change?', 'What can you do?']) {
    await page.getByRole('button', { name: label, exact: true }).waitFor();
  }
  assert.equal(await side(page).open.getByRole('button').count(), 3);
  await shot(page, 'task-board-start');

  await page.getByRole('button', { name: 'Show the board', exact: true }).click();
  await page.getByText('All tasks · 3 open, 0 done').waitFor();
  await assistantText(page, '3 of 3 tasks on the board are open.').waitFor();
  await idle(page);
  assert.ok(new URL(page.url()).searchParams.get('thread'), 'the thread is in the URL');

  // Server action: "Done" on the first task redraws the same widget item.
  const list = listWidget(page);
  await list.getByRole('button', { name: 'Done', exact: true }).first().click();
  await page.getByText('All tasks · 2 open, 1 done').waitFor();
  assert.equal(await page.locator('.ck-listview').count(), 1, 'replaced in place, not appended');
  const [toggle] = sent(page, 'threads.custom_action');
  assert.equal(toggle.params.action.type, 'task.toggle');
  assert.equal(toggle.params.action.payload.taskId, 'task-1');
  // Client effect board.updated → the side panel reloads the thread's board.
  await side(page).summary.getByText('2 open, 1 done').waitFor();
  await side(page).done.getByText('Write the release notes').waitFor();
  await side(page).updated.getByText('Updated by the assistant').waitFor();
  await idle(page);
  await shot(page, 'task-board');

  // Hidden context: the next turn knows what the click did.
  await say(page, 'what did I change?');
  await assistantText(page, 'You completed “Write the release notes”').waitFor();
  await idle(page);
  await shot(page, 'task-board-recap');
  assert.deepEqual(page.errors, []);
});

test('client action task.open shows the task beside the chat; task.select is forwarded with sendCustomAction', async () => {
  const page = await openDemo();
  await say(page, 'show tasks');
  await page.getByText('All tasks · 3 open, 0 done').waitFor();
  await idle(page);

  // task.open: handled by the page alone.
  const rows = listWidget(page).getByRole('listitem');
  await rows.nth(1).getByRole('button', { name: 'Open', exact: true }).click();
  await side(page).detail.getByRole('heading', { name: 'Review the widget designs' }).waitFor();
  await side(page).detail.getByText('Assigned to Alan · open').waitFor();
  assert.equal(sent(page, 'threads.custom_action').length, 0, 'task.open never reaches the server');

  // task.select: the page shows the task, then forwards the action; the server marks it.
  await rows.nth(2).getByText('Plan the launch demo').click();
  await side(page).detail.getByRole('heading', { name: 'Plan the launch demo' }).waitFor();
  await listWidget(page).getByText('Selected').waitFor();
  const [select] = sent(page, 'threads.custom_action');
  assert.equal(select.params.action.type, 'task.select');
  assert.equal(select.params.action.payload.taskId, 'task-3');
  assert.ok(select.params.item_id, 'forwarded with the widget item id');
  assert.equal(await side(page).open.locator('[aria-current="true"]').innerText(), 'Plan the launch demo\nUnassigned');
  await idle(page);
  await shot(page, 'task-board-open-task');

  await say(page, 'recap');
  await assistantText(page, 'You looked at “Plan the launch demo”').waitFor();
  assert.deepEqual(page.errors, []);
});

test('@mentions: search, chips, hover preview from the thread board, and the model acting on them', async () => {
  const page = await openDemo();
  const box = composer(page);
  const menu = page.getByRole('listbox', { name: 'Suggestions' });
  await box.click();
  await box.pressSequentially('assign @pla', { delay: 20 });
  await menu.getByRole('option', { name: 'Plan the launch demo' }).waitFor();
  // The menu first lists everything; wait until the search for "pla" answered (only Tasks left).
  await page.waitForFunction(() => {
    const titles = [...document.querySelector('chatkit-panel').shadowRoot.querySelectorAll('.ck-menu-group-title')].map((e) => e.textContent);
    return titles.length === 1 && titles[0] === 'Tasks';
  });
  await shot(page, 'task-board-mention');
  await box.press('Enter');
  await page.locator('.ck-input .ck-chip', { hasText: 'Plan the launch demo' }).waitFor();
  await box.pressSequentially(' to @gra', { delay: 20 });
  await menu.getByRole('option', { name: 'Grace' }).waitFor();
  // Once the search for "gra" answered, only Grace is left, under People.
  await page.waitForFunction(() => {
    const titles = [...document.querySelector('chatkit-panel').shadowRoot.querySelectorAll('.ck-menu-group-title')].map((e) => e.textContent);
    return titles.length === 1 && titles[0] === 'People';
  });
  await box.press('Enter');
  await page.locator('.ck-input .ck-chip', { hasText: 'Grace' }).waitFor();
  await box.press('Enter');
  await assistantText(page, 'Assigned “Plan the launch demo” to Grace.').waitFor();
  await idle(page);
  const [create] = sent(page, 'threads.create');
  const tags = create.params.input.content.filter((c) => c.type === 'input_tag');
  assert.deepEqual(tags.map((t) => [t.id, t.data.type]), [['task-3', 'task'], ['grace', 'person']]);
  await side(page).open.getByText('Grace').waitFor();

  // Hovering the sent chip previews the person from this thread's board.
  await page.locator('.ck-user .ck-chip', { hasText: 'Grace' }).hover();
  await page.getByRole('tooltip').getByText('1 open, 0 done').waitFor();
  // The chip ends near the chat's right edge: the preview moves left to stay clear of it.
  const preview = await page.getByRole('tooltip').boundingBox();
  const chat = await page.locator('chatkit-panel').boundingBox();
  assert.ok(preview.x >= chat.x && preview.x + preview.width <= chat.x + chat.width - 7, `${JSON.stringify(preview)} inside ${JSON.stringify(chat)}`);
  await shot(page, 'task-board-preview');
  // Clicking a task chip shows the task beside the chat.
  await page.mouse.move(5, 5);
  await page.locator('.ck-user .ck-chip', { hasText: 'Plan the launch demo' }).click();
  await side(page).detail.getByText('Assigned to Grace · open').waitFor();
  assert.deepEqual(page.errors, []);
});

test('composer tools route the message; the form submits its fields once', async () => {
  const page = await openDemo();
  // "Task": every message is a task.
  await page.getByRole('button', { name: 'Task', exact: true }).click();
  assert.equal(await composer(page).getAttribute('aria-placeholder'), 'What needs doing?');
  await say(page, 'show tasks');
  await assistantText(page, 'Added “show tasks”.').waitFor();
  await idle(page);
  assert.equal(sent(page, 'threads.create')[0].params.input.inference_options.tool_choice.id, 'new_task');
  await side(page).summary.getByText('4 open, 0 done').waitFor();

  // "Board": every message shows the board (an @-mentioned person filters it).
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await say(page, 'add task this is not added');
  await page.getByText('All tasks · 4 open, 0 done').waitFor();
  await idle(page);
  assert.equal(sent(page, 'threads.add_user_message')[0].params.input.inference_options.tool_choice.id, 'board');

  // The form: a server action whose payload carries the fields.
  await say(page, 'new task');
  const form = page.locator('.ck-widget form').last();
  await form.waitFor();
  await form.getByRole('textbox').fill('Sketch the logo');
  await form.getByRole('combobox').selectOption('alan').catch(async () => {
    await form.getByRole('combobox').click();
    await page.getByRole('option', { name: 'Alan' }).click();
  });
  await form.getByRole('button', { name: 'Add task', exact: true }).click();
  await page.getByText('Added “Sketch the logo”').first().waitFor();
  await idle(page);
  const submit = sent(page, 'threads.custom_action').find((r) => r.params.action.type === 'task.create');
  assert.equal(submit.params.action.payload.title, 'Sketch the logo');
  assert.equal(submit.params.action.payload.assignee, 'alan');
  assert.equal(await page.locator('.ck-widget form').count(), 0, 'the form is replaced by a confirmation');
  await side(page).summary.getByText('5 open, 0 done').waitFor();
  await side(page).open.getByText('Sketch the logo').waitFor();
  await shot(page, 'task-board-form');
  assert.deepEqual(page.errors, []);
});

test('feedback is sent; retry re-runs the turn without adding the task twice; the board reloads with its thread', async () => {
  const page = await openDemo();
  await say(page, 'add task Buy milk for Grace');
  await assistantText(page, 'Added “Buy milk” for Grace.').waitFor();
  await idle(page);
  await page.getByRole('button', { name: 'Good response' }).click();
  await page.locator('[aria-label="Good response"][aria-pressed="true"]').waitFor();
  const [feedback] = sent(page, 'items.feedback');
  assert.equal(feedback.params.kind, 'positive');

  const retried = page.waitForResponse((r) => (r.request().postData() || '').includes('threads.retry_after_item'));
  await page.getByRole('button', { name: 'Retry' }).click();
  await (await retried).finished();
  await idle(page);
  await assistantText(page, 'Added “Buy milk” for Grace.').waitFor();
  assert.equal(sent(page, 'threads.retry_after_item').length, 1);
  await side(page).summary.getByText('4 open, 0 done').waitFor();
  assert.equal(await side(page).open.getByText('Buy milk').count(), 1, 'a retried message adds its task once');

  // The board is kept with the thread: reloading the page shows it again.
  const thread = new URL(page.url()).searchParams.get('thread');
  await page.reload();
  await side(page).summary.getByText('4 open, 0 done').waitFor();
  await side(page).open.getByText('Buy milk').waitFor();
  assert.equal(new URL(page.url()).searchParams.get('thread'), thread);
  // A new chat starts from the sample board.
  await page.getByRole('button', { name: 'New chat' }).click();
  await side(page).summary.getByText('3 open, 0 done').waitFor();
  assert.deepEqual(page.errors, []);
});
