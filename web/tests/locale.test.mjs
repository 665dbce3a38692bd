// The `locale` option: the panel's own strings come from a message table (English, French,
// German), dates are formatted with Intl in that locale, unknown locales fall back to English.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openTestPage, mount, composer, send, waitResponses, shot, widgetFixtures } from './harness.mjs';

const env = useBrowser();

const LONGLIST = { type: 'ListView', limit: 2, children: ['A', 'B', 'C', 'D'].map((x) => ({ type: 'ListViewItem', children: [{ type: 'Text', value: `Row ${x}` }] })) };

/**
 * Answers threads.list with one untitled thread created at a fixed time (plus the real ones), and
 * threads.get_by_id of `thr_workflow` with a finished workflow whose summary is a duration.
 */
async function untitledThread(page) {
  await page.route('**/chatkit', async (route) => {
    const body = JSON.parse(route.request().postData() || '{}');
    if (body.type === 'threads.get_by_id' && body.params.thread_id === 'thr_workflow') {
      const at = '2026-01-05T12:00:00Z';
      const workflow = { type: 'workflow', id: 'msg_wf', thread_id: 'thr_workflow', created_at: at, workflow: { type: 'custom', tasks: [{ type: 'custom', title: 'Étape', status_indicator: 'complete' }], summary: { duration: 12 }, expanded: false } };
      return route.fulfill({ json: { id: 'thr_workflow', title: 'Flux', created_at: at, status: { type: 'active' }, metadata: {}, items: { data: [workflow], has_more: false } } });
    }
    if (body.type !== 'threads.list') return route.fallback();
    const response = await route.fetch();
    const page1 = await response.json();
    const thread = { id: 'thr_untitled', created_at: '2026-01-05T12:00:00Z', status: { type: 'active' }, metadata: {}, items: { data: [], has_more: false } };
    page1.data = [...(page1.data || []), thread];
    return route.fulfill({ response, json: page1 });
  });
}

test('locale fr-FR: chrome, turn actions, widgets and history dates are French', async () => {
  const page = await openTestPage(env.browser, env.server);
  await widgetFixtures(page, { longlist: LONGLIST });
  await untitledThread(page);
  await mount(page, () => ({ locale: 'fr-FR', history: { enabled: true }, threadItemActions: { feedback: true, retry: true } }));
  await page.getByRole('heading', { name: 'Comment puis-je vous aider aujourd’hui ?' }).waitFor();
  assert.equal(await page.locator('.ck-root').getAttribute('lang'), 'fr-FR');
  assert.equal(await page.locator('.ck-root').getAttribute('aria-label'), 'Discussion');
  assert.equal(await composer(page).getAttribute('aria-placeholder'), 'Écrire à l’IA');
  await page.getByRole('button', { name: 'Historique' }).waitFor();
  await page.getByRole('button', { name: 'Nouvelle discussion' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Envoyer' }).count(), 1);
  await send(page, 'echo Bonjour tout le monde');
  await waitResponses(page, 1);
  const actions = page.getByRole('toolbar', { name: 'Actions sur la réponse' });
  for (const name of ['Copier', 'Bonne réponse', 'Mauvaise réponse', 'Réessayer']) await actions.getByRole('button', { name }).waitFor();
  assert.equal(await page.getByRole('article', { name: 'L’assistant a dit' }).count(), 1);
  // Stop is translated too.
  await send(page, 'slow 30');
  await page.getByRole('button', { name: 'Arrêter' }).click();
  await waitResponses(page, 2);
  // A stream error without a message shows the localized text of its code.
  await send(page, 'error');
  const alert = page.getByRole('alert');
  await alert.getByText('Une erreur est survenue pendant la réponse.').waitFor();
  await alert.getByRole('button', { name: 'Réessayer' }).waitFor();
  await waitResponses(page, 3);
  // A workflow summary with only a duration: spelled out with Intl.
  await page.evaluate(() => ck.panel.setThreadId('thr_workflow'));
  await page.getByText('A travaillé 12 secondes').waitFor();
  // Widget chrome strings.
  await page.evaluate(() => ck.panel.setThreadId(null));
  await send(page, 'fixture longlist');
  await page.getByRole('button', { name: 'Afficher plus (2)' }).click();
  await page.getByText('Row D').waitFor();
  // History: an untitled thread is named by its date, formatted for French.
  await page.getByRole('button', { name: 'Historique' }).click();
  const nav = page.getByRole('navigation', { name: 'Historique des conversations' });
  const untitled = nav.locator('[data-thread-id="thr_untitled"] .ck-history-open');
  await untitled.waitFor();
  const text = await untitled.innerText();
  const expected = await page.evaluate(() => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2026-01-05T12:00:00Z')));
  assert.equal(text, `Discussion du ${expected}`);
  assert.match(text, /^Discussion du 5 janv\. 2026/);
  await nav.getByRole('button', { name: `Renommer Discussion du ${expected}` }).waitFor();
  await shot(page, 'locale-fr');
  assert.deepEqual(page.errors, []);
});

test('locale switches live with setOptions; bare languages resolve; unknown ones fall back to English', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ locale: 'de' }));
  await page.getByRole('heading', { name: 'Wobei kann ich heute helfen?' }).waitFor();
  const box = page.getByRole('textbox', { name: 'Nachricht' });
  await box.click();
  await box.pressSequentially('echo eins');
  await page.getByRole('button', { name: 'Senden' }).click();
  await waitResponses(page, 1);
  await page.getByRole('button', { name: 'Kopieren' }).waitFor();
  assert.equal(await box.getAttribute('aria-placeholder'), 'Nachricht an die KI');
  assert.equal(await page.locator('.ck-title').innerText(), 'echo eins');
  // Same thread, other language: chrome and rendered items follow, the transcript stays.
  await page.evaluate(() => ck.mount({ locale: 'fr-CA' }));
  await page.getByRole('button', { name: 'Copier' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Envoyer' }).count(), 1);
  assert.equal(await page.locator('.ck-root').getAttribute('lang'), 'fr-CA');
  assert.deepEqual((await page.locator('.ck-assistant').allInnerTexts()).map((t) => t.trim()), ['eins']);
  // No table for Japanese, none for nonsense: English, dates too.
  for (const locale of ['ja-JP', 'not a locale!']) {
    await page.evaluate((locale) => ck.mount({ locale }), locale);
    await page.getByRole('button', { name: 'Copy', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send' }).count(), 1);
    assert.equal(await page.locator('.ck-root').getAttribute('lang'), 'en');
    assert.equal(await page.evaluate(() => ck.panel.t.formatDate('2026-01-05T12:00:00Z')), await page.evaluate(() => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2026-01-05T12:00:00Z'))));
  }
  await page.evaluate(() => ck.panel.setThreadId(null));
  await page.getByRole('heading', { name: 'What can I help with today?' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a pending structured-input form follows the locale and keeps what was picked and typed', async () => {
  const page = await openTestPage(env.browser, env.server);
  await mount(page, () => ({ locale: 'en' }));
  await send(page, 'structured');
  let form = page.getByRole('form', { name: 'Answer the questions' });
  await form.waitFor();
  await form.getByRole('button', { name: 'Green' }).click();
  await form.getByRole('textbox', { name: 'Anything else?' }).fill('merci');
  assert.equal(await form.getByRole('textbox', { name: 'Pick a color: other' }).getAttribute('placeholder'), 'Other');
  await page.getByText('Waiting for an answer').first().waitFor();

  await page.evaluate(() => ck.mount({ locale: 'fr' }));
  form = page.getByRole('form', { name: 'Répondre aux questions' });
  await form.waitFor();
  for (const name of ['Passer', 'Valider']) await form.getByRole('button', { name, exact: true }).waitFor();
  const other = form.getByRole('textbox', { name: 'Pick a color : autre' });
  assert.equal(await other.getAttribute('placeholder'), 'Autre');
  assert.equal(await form.getByRole('button', { name: 'Green' }).getAttribute('aria-pressed'), 'true');
  await page.getByText('En attente d’une réponse').first().waitFor();
  await shot(page, 'structured-input-fr');

  await page.evaluate(() => ck.mount({ locale: 'de-DE' }));
  form = page.getByRole('form', { name: 'Fragen beantworten' });
  await form.waitFor();
  assert.equal(await form.getByRole('textbox', { name: 'Pick a color: andere' }).getAttribute('placeholder'), 'Andere');
  assert.equal(await page.getByRole('form', { name: 'Répondre aux questions' }).count(), 0);
  assert.equal(await form.getByRole('textbox', { name: 'Anything else?' }).inputValue(), 'merci');
  await page.getByText('Wartet auf eine Antwort').first().waitFor();
  await shot(page, 'structured-input-de');
  await form.getByRole('button', { name: 'Absenden', exact: true }).click();
  await page.getByText('Structured input answered: color=Green; note=merci').waitFor();
  assert.deepEqual(page.errors, []);
});
