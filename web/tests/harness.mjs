// Starts the real `chatkit conformance-app` (port 0) and Debian's Chromium for the tests.

import { before, after } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
export const ARTIFACTS = path.join(here, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; font-src 'self' data: http: https:; connect-src 'self'; object-src 'none'; base-uri 'none'";

/**
 * The setup every test file shares: before its tests, starts the conformance app (`env.server`),
 * with `{serve: true}` also `chatkit serve` on a fresh in-memory store (`env.serve`), and
 * Chromium (`env.browser`); after them, stops all of it.
 *
 *     const env = useBrowser();
 *     test('…', async () => { const page = await openTestPage(env.browser, env.server); … });
 */
export function useBrowser({ serve = false } = {}) {
  const env = { server: null, serve: null, browser: null };
  before(async () => {
    env.server = await startServer();
    if (serve) env.serve = await startApp();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
    await env.serve?.stop();
  });
  return env;
}

/**
 * The setup of an example app's test file: before its tests, `chatkit serve --app APP` (the
 * task board without `app`) on a fresh in-memory store (`env.server`) and Chromium
 * (`env.browser`); after them, stops both.
 *
 *     const env = useApp('news-guide');
 *     test('…', async () => { const page = await openApp(env); … });
 */
export function useApp(app = null) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startApp(app);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/**
 * The app's own page at `at` as a fresh user (`page.user`). Console errors and uncaught
 * exceptions are collected in `page.errors`, answers of status 400 and above in `page.failed`,
 * the body of every POST /chatkit in `page.chatkit`; `page.response` is the answer to the page
 * itself.
 */
export async function openApp(env, { at = '/', viewport = { width: 1360, height: 900 }, user = `user-${Math.random().toString(36).slice(2)}` } = {}) {
  const context = await env.browser.newContext({ viewport, extraHTTPHeaders: { 'x-user-id': user } });
  const page = await context.newPage();
  collectErrors(page);
  page.failed = [];
  page.on('response', (r) => {
    if (r.status() >= 400) page.failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.chatkit = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || new URL(request.url()).pathname !== '/chatkit') return;
    try {
      page.chatkit.push(JSON.parse(request.postData() || '{}'));
    } catch {
      page.chatkit.push({ raw: true });
    }
  });
  page.response = await page.goto(`${env.server.url}${at}`);
  page.user = user;
  return page;
}

/** `chatkit serve` (with `--app APP` unless `null`) on a fresh in-memory store; `stop()` also deletes its data folder. */
export async function startApp(app = null) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `chatkit-${app ?? 'serve'}-`));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const server = await startServer('serve', [...(app ? ['--app', app] : []), '--store', 'memory', '--data-dir', dataDir]);
    return { url: server.url, stop: () => server.stop().then(remove) };
  } catch (err) {
    remove();
    throw err;
  }
}

/** Collects console errors and uncaught exceptions of `page` in `page.errors`. */
function collectErrors(page) {
  page.errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(msg.text());
  });
  page.on('pageerror', (err) => page.errors.push(String(err)));
}

/** Runs `chatkit <command> --port 0 ...args` and resolves to {url, stop()}. */
export async function startServer(command = 'conformance-app', args = []) {
  const bin = process.env.CHATKIT_BIN || path.join(repo, 'target/release/chatkit');
  // No model settings: `serve` then runs the scripted app, the same on every machine.
  const env = { ...process.env, RUST_LOG: 'warn' };
  for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CHATKIT_MODEL', 'CHATKIT_MODEL_API', 'CHATKIT_STORE', 'CHATKIT_DATA_DIR', 'CHATKIT_PUBLIC_URL']) delete env[key];
  const child = spawn(bin, [command, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    stop: () => stopProcess(child),
  };
}

/** Sends SIGTERM to `child` and resolves once it has exited (at once if it already has). */
export function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
}

/**
 * A page on the test page (`/test.html`, served from tests/page by interception, same origin,
 * same CSP as the real page). Console errors and CSP violations are collected in `page.errors`.
 */
export async function openTestPage(browser, server, { viewport = { width: 1000, height: 760 }, user = `user-${Math.random().toString(36).slice(2)}` } = {}) {
  // Each page is its own user of the server (unless told), so threads never leak between tests.
  const context = await browser.newContext({ viewport, extraHTTPHeaders: { 'x-user-id': user } });
  const page = await context.newPage();
  collectErrors(page);
  if (process.env.WEB_FROM_DISK) await serveFromDisk(page, server);
  await page.route('**/test.html', (route) =>
    route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: readFileSync(path.join(here, 'page/index.html')) }),
  );
  await page.route('**/test-helpers.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: readFileSync(path.join(here, 'page/helpers.js')) }),
  );
  await page.goto(`${server.url}/test.html`);
  await page.waitForFunction(() => window.ck && window.ck.panel);
  page.user = user;
  return page;
}

/** While editing the client: serve web/ from disk instead of the copy embedded in the binary. */
async function serveFromDisk(page, server) {
  const web = path.join(here, '..');
  await page.route(`${server.url}/**`, (route) => {
    const url = new URL(route.request().url());
    const file = path.join(web, url.pathname === '/' ? 'index.html' : url.pathname);
    if (route.request().method() !== 'GET' || !file.startsWith(web) || file.includes('/tests/')) return route.fallback();
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return route.fallback();
    }
    const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.html') ? 'text/html' : 'text/javascript';
    return route.fulfill({ contentType: type, body });
  });
}

/** Mounts the panel; `options` is a function run in the page returning the options. */
export async function mount(page, options = () => ({}), arg = null) {
  await page.evaluate(`ck.mount((${options.toString()})(${JSON.stringify(arg)}))`);
  await page.locator('.ck-root:not([hidden])').waitFor();
}

export const composer = (page) => page.getByRole('textbox', { name: 'Message' });

/** Types a message and presses Enter. */
export async function send(page, text) {
  const box = composer(page);
  await box.click();
  await box.pressSequentially(text, { delay: 2 });
  await box.press('Enter');
}

/** Fills the composer with `text` at once (`send` types it key by key) and presses Enter. */
export async function say(page, text) {
  const box = composer(page);
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

/** The last assistant message of the panel. */
export const lastReply = (page) => page.locator('chatkit-panel .ck-assistant').last();

/** Waits until the recorded response.end count reaches `n`. */
export async function waitResponses(page, n) {
  await page.waitForFunction((n) => ck.named('response.end').length >= n, n, { timeout: 15000 });
}

export async function requests(page, type) {
  return page.evaluate((type) => ck.ofType(type), type);
}

export async function events(page, name) {
  return page.evaluate((name) => ck.named(name), name);
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/**
 * Widgets the conformance app cannot produce: a message `fixture NAME` is answered here (by
 * request interception, before the server) with a thread holding the widget `widgets[NAME]`.
 * Actions on that thread are recorded by the page and answered with `onAction(body)` → list of
 * events (default: nothing), optionally after `delayMs`. Everything else goes to the server.
 */
export async function widgetFixtures(page, widgets, { onAction = () => [], delayMs = 0 } = {}) {
  let n = 0;
  const sse = (events) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
  const now = new Date().toISOString();
  await page.route('**/chatkit', async (route) => {
    const body = JSON.parse(route.request().postData() || '{}');
    const text = body.params?.input?.content?.[0]?.text || '';
    if (body.type === 'threads.create' && text.startsWith('fixture ')) {
      const name = text.slice(8).trim();
      n += 1;
      const thread = { id: `thr_fx${n}`, created_at: now, status: { type: 'active' }, metadata: {}, items: { data: [], has_more: false } };
      const user = { type: 'user_message', id: `msg_fxu${n}`, thread_id: thread.id, created_at: now, content: body.params.input.content, attachments: [], inference_options: {} };
      const widget = { type: 'widget', id: `msg_fxw${n}`, thread_id: thread.id, created_at: now, widget: widgets[name], copy_text: `copy of ${name}` };
      return route.fulfill({ contentType: 'text/event-stream', body: sse([{ type: 'thread.created', thread }, { type: 'thread.item.done', item: user }, { type: 'stream_options', stream_options: { allow_cancel: true } }, { type: 'thread.item.done', item: widget }]) });
    }
    if (String(body.params?.thread_id || '').startsWith('thr_fx')) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (body.type === 'threads.sync_custom_action') return route.fulfill({ contentType: 'application/json', body: '{}' });
      return route.fulfill({ contentType: 'text/event-stream', body: sse(onAction(body) || []) });
    }
    return route.fallback();
  });
}
