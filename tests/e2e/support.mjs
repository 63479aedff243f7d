// Shared set-up of Vejkort's end-to-end tests: a static server for the built app (dist/) on loopback, and
// Debian's Chromium driven by playwright-core. Tests find elements only through data-testid hooks.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const DIST = join(ROOT, 'dist');
export const SHARED_DATA = resolve(ROOT, '..', 'shared', 'data');

// The same policy as index.html, sent as a header too so it also binds the worker.
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; " +
  "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.csv': 'text/csv; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
};

/** Serves dist/ on 127.0.0.1 at a free port; resolves to { url, close }. */
export async function serveDist() {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = normalize(join(DIST, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(DIST)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'cache-control': 'no-store',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches headless Chromium with the flags that keep it off the network. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Opens the app in a fresh context and records every request and console error, so a test can assert that
 * nothing left the origin and nothing broke.
 */
export async function openApp(browser, baseUrl, { locale = 'en-GB' } = {}) {
  const context = await browser.newContext({ locale, acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (request) => requests.push(request.url()));
  context.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(baseUrl);
  await page.locator('[data-testid=app][data-status=empty]').waitFor();
  return { context, page, requests, problems };
}

/** Waits until the app settles in `status` (ready or error), with a generous limit for slow machines. */
export async function waitForStatus(page, status, timeout = 120_000) {
  await page.locator(`[data-testid=app][data-status=${status}]`).waitFor({ timeout });
}

export async function appNumbers(page) {
  const app = page.locator('[data-testid=app]');
  return {
    status: await app.getAttribute('data-status'),
    points: Number(await app.getAttribute('data-points')),
    clusters: Number(await app.getAttribute('data-clusters')),
  };
}

export function tempDir() {
  return mkdtempSync(join(tmpdir(), 'vejkort-e2e-'));
}
