// Starts the real `chatkit conformance-app` (port 0) and Debian's Chromium for the tests.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
export const ARTIFACTS = path.join(here, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; font-src 'self' data: http: https:; connect-src 'self'; object-src 'none'; base-uri 'none'";

/** Runs `chatkit <command> --port 0 ...args` and resolves to {url, stop()}. */
export async function startServer(command = 'conformance-app', args = []) {
  const bin = process.env.CHATKIT_BIN || path.join(repo, 'target/release/chatkit');
  const child = spawn(bin, [command, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' } });
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
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
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
export async function openTestPage(browser, server, { viewport = { width: 1000, height: 760 } } = {}) {
  // Each page is its own user of the server, so threads never leak between tests.
  const user = `user-${Math.random().toString(36).slice(2)}`;
  const context = await browser.newContext({ viewport, extraHTTPHeaders: { 'x-user-id': user } });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(msg.text());
  });
  page.on('pageerror', (err) => page.errors.push(String(err)));
  if (process.env.WEB_FROM_DISK) await serveFromDisk(page, server);
  await page.route('**/test.html', (route) =>
    route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: readFileSync(path.join(here, 'page/index.html')) }),
  );
  await page.route('**/test-helpers.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: readFileSync(path.join(here, 'page/helpers.js')) }),
  );
  await page.goto(`${server.url}/test.html`);
  await page.waitForFunction(() => window.ck && window.ck.panel);
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
