// Shared set-up of Vejkort's end-to-end tests: a static server for the built app (dist/) on loopback, and
// Debian's Chromium driven by playwright-core. Tests find elements only through data-testid hooks.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const DIST = join(ROOT, 'dist');
// A git worktree elsewhere can point at the data with VEJKORT_SHARED_DATA.
export const SHARED_DATA = process.env.VEJKORT_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');

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
 * Starts the static server and Chromium once for the enclosing `describe` block (and stops them after it).
 * Returns a holder whose `server` and `browser` are set when the tests run.
 */
export function useApp() {
  const app = { server: null, browser: null };
  before(async () => {
    app.server = await serveDist();
    app.browser = await launch();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/**
 * Opens the app in a fresh context and records every request and console error, so a test can assert that
 * nothing left the origin and nothing broke. Texts are vectorised with TF-IDF (the remembered choice is set
 * before the page loads) unless a test asks for the language model: embedding takes minutes on this machine,
 * and only the tests about the model need it.
 */
export async function openApp(browser, baseUrl, { locale = 'en-GB', vectoriser = 'tfidf', context: shared } = {}) {
  const context =
    shared ?? (await browser.newContext({ locale, acceptDownloads: true, viewport: { width: 1400, height: 900 } }));
  if (!shared) await context.addInitScript((choice) => localStorage.setItem('vejkort.vectoriser', choice), vectoriser);
  // Before any page script runs: record every change of the root's data-status (so a test can wait for a job to
  // start *and* end, however fast it is) and every CSP violation the document reports.
  if (!shared) await context.addInitScript(STATUS_TRACKER);
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (request) => requests.push(request.url()));
  context.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  // The analysis runs in a dedicated worker: its console errors count too.
  page.on('worker', (worker) =>
    worker.on('console', (message) => {
      if (message.type() === 'error') problems.push(`worker: ${message.text()}`);
    }),
  );
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

// ---------------------------------------------------------------------------------------------------------------
// Waiting for jobs. A job shows as data-status=working and ends in ready, error or empty; a fast job may pass
// through "working" between two polls, so openApp installs this tracker and tests wait on its log instead.

const STATUS_TRACKER = `(() => {
  const state = (window.__vejkortE2E = { log: [], csp: [] });
  let last = null;
  const record = () => {
    const app = document.querySelector('[data-testid=app]');
    const status = app ? app.getAttribute('data-status') : null;
    if (status !== null && status !== last) {
      last = status;
      state.log.push(status);
    }
  };
  new MutationObserver(record).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'],
  });
  document.addEventListener('securitypolicyviolation', (event) => {
    state.csp.push(event.violatedDirective + ' ' + event.blockedURI);
  });
})();`;

/** A mark in the page's status log; pass it to waitForSettled to wait for what happens after it. */
export async function statusMark(page) {
  return page.evaluate(() => window.__vejkortE2E.log.length);
}

/**
 * Waits until, after `mark`, a job ran and ended (the status went to working and then left it), or the status
 * went straight to error (a file the browser could not read never starts a job).
 */
export async function waitForSettled(page, mark, timeout = 120_000) {
  await page.waitForFunction(
    (mark) => {
      const log = window.__vejkortE2E.log.slice(mark);
      if (log.length === 0) return false;
      const last = log[log.length - 1];
      return last !== 'working' && (log.includes('working') || last === 'error');
    },
    mark,
    { timeout, polling: 50 },
  );
}

/** The current error message, or null. */
export async function errorText(page) {
  const error = page.locator('[data-testid=error]');
  return (await error.count()) > 0 ? (await error.textContent()).trim() : null;
}

/**
 * Runs `action` (which starts a job) and waits for the job to end. Resolves to the app's numbers afterwards,
 * the error message if any, and how long it took in milliseconds.
 */
export async function runJob(page, action, { timeout = 120_000 } = {}) {
  const mark = await statusMark(page);
  const started = performance.now();
  await action();
  await waitForSettled(page, mark, timeout);
  const ms = performance.now() - started;
  return { ...(await appNumbers(page)), error: await errorText(page), ms };
}

/** Uploads files through the file input and waits for the job. */
export function upload(page, paths, options) {
  return runJob(page, () => page.locator('input[type=file][data-testid=file-input]').setInputFiles(paths), options);
}

/** Clicks "load example" and waits for the job. */
export function loadExample(page, options) {
  return runJob(page, () => page.locator('[data-testid=load-example]').click(), options);
}

/** The cluster list as [{ id, size, label }]. */
export async function clusterList(page) {
  return page.locator('[data-testid=cluster-list] li[data-cluster-id]').evaluateAll((items) =>
    items.map((item) => ({
      id: Number(item.getAttribute('data-cluster-id')),
      size: Number(item.getAttribute('data-size')),
      label: item.textContent.trim(),
    })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the input files independently of the app, to compute what the app should show.

/**
 * Parses delimited text per RFC 4180: fields may be quoted, quotes inside are doubled, quoted fields may hold
 * delimiters and line breaks; records end at CRLF, LF or CR. A leading UTF-8 BOM is dropped, and a line break
 * at the very end does not start another record. Returns an array of records (arrays of strings); a blank line
 * is a record with one empty field.
 */
export function parseDelimited(text, delimiter = ',') {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = [];
  let record = [];
  let field = '';
  let i = 0;
  let quoted = false; // inside a quoted field
  let atFieldStart = true;
  const endField = () => {
    record.push(field);
    field = '';
    atFieldStart = true;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
      i += 1;
    } else if (c === delimiter) {
      endField();
      i += 1;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      atFieldStart = false;
      i += 1;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  // The last record, unless the text ended with a line break (or is empty).
  if (!atFieldStart || field !== '' || record.length > 0) endRecord();
  return records;
}

/** Reads a CSV file into { header, rows, records } where rows are objects keyed by column name. */
export function readCsv(path, delimiter = ',') {
  const [header, ...records] = parseDelimited(readFileSync(path, 'utf8'), delimiter);
  const rows = records.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])));
  return { header, records, rows };
}

/** Writes records as RFC 4180 CSV (quoting fields that need it), `\n` line ends. */
export function toCsv(records) {
  const quote = (field) => {
    const text = String(field);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return records.map((record) => record.map(quote).join(',')).join('\n') + '\n';
}

/** Count of rows whose `column` holds text after trimming. */
export function countWithText(rows, column) {
  return rows.filter((row) => (row[column] ?? '').trim() !== '').length;
}

/** The shape of a NumPy .npy file, read from its header. */
export function npyShape(path) {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${path} is not .npy`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!shape) throw new Error(`no shape in ${header}`);
  return shape[1].split(',').map((n) => n.trim()).filter(Boolean).map(Number);
}

/** The entries of a ZIP archive (stored or deflated) as a Map from name to Buffer. */
export function unzip(buffer) {
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error('no ZIP end of central directory');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const entries = new Map();
  for (let n = 0; n < count; n += 1) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error('bad ZIP central directory');
    const method = buffer.readUInt16LE(at + 10);
    const compressed = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataStart, dataStart + compressed);
    entries.set(name, method === 0 ? data : method === 8 ? inflateRawSync(data) : null);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const xmlText = (text) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');

const xmlAttributes = (tag) =>
  Object.fromEntries([...tag.matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)].map(([, name, value]) => [name, xmlText(value)]));

/** The text of all <t> elements inside an XML fragment (plain and rich-text runs). */
const runsText = (fragment) => [...fragment.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => xmlText(m[1])).join('');

/**
 * A minimal XLSX reader for checking the app: the sheets in workbook order, each as { name, rows } where rows
 * holds the non-empty rows as arrays of cell strings (numbers as written in the file, dates as serials).
 */
export function readXlsx(path) {
  const files = unzip(readFileSync(path));
  const text = (name) => files.get(name)?.toString('utf8');
  const shared = [...(text('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runsText(m[1]));
  const relations = Object.fromEntries(
    [...text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b[^>]*>/g)].map(([tag]) => {
      const { Id, Target } = xmlAttributes(tag);
      return [Id, Target.startsWith('/') ? Target.slice(1) : `xl/${Target}`];
    }),
  );
  const column = (reference) =>
    [...reference.replace(/\d+/g, '')].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0) - 1;
  return [...text('xl/workbook.xml').matchAll(/<sheet\b[^>]*>/g)].map(([tag]) => {
    const attributes = xmlAttributes(tag);
    const xml = text(relations[attributes['r:id']]);
    const rows = [];
    for (const [, cells] of xml.matchAll(/<row\b[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
      const row = [];
      for (const [, cellTag, body] of (cells ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const { r, t } = xmlAttributes(cellTag);
        const value = /<v>([\s\S]*?)<\/v>/.exec(body ?? '')?.[1];
        let cell = '';
        if (t === 's') cell = shared[Number(value)] ?? '';
        else if (t === 'inlineStr') cell = runsText(body ?? '');
        else if (value !== undefined) cell = xmlText(value);
        row[column(r)] = cell;
      }
      const filled = Array.from(row, (cell) => cell ?? '');
      if (filled.some((cell) => cell.trim() !== '')) rows.push(filled);
    }
    return { name: attributes.name, rows };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The built-in example, as the tests read it themselves.

export const EXAMPLE_CSV = join(ROOT, 'public', 'example', 'velfaerd-workshop.csv');
export const EXAMPLE_TEXT_COLUMN = 'udsagn';

export function readExample() {
  const example = readCsv(EXAMPLE_CSV);
  return { ...example, points: countWithText(example.rows, EXAMPLE_TEXT_COLUMN) };
}

// ---------------------------------------------------------------------------------------------------------------
// The map, seen from outside: pixels and the pointer.

/** Waits until the map canvas shows the same image over several animation frames (drawing has settled). */
export async function waitForStableCanvas(page, timeout = 20_000) {
  const token = Math.random();
  await page.waitForFunction(
    (token) => {
      const canvas = document.querySelector('[data-testid=map]');
      const image = canvas.toDataURL();
      let probe = window.__vejkortCanvasProbe;
      if (probe?.token !== token) probe = window.__vejkortCanvasProbe = { token, image: null, same: 0 };
      probe.same = image === probe.image ? probe.same + 1 : 0;
      probe.image = image;
      return probe.same >= 3;
    },
    token,
    { timeout, polling: 'raf' },
  );
}

/**
 * Moves the mouse over the map on a grid, from the centre outwards, until the tooltip appears. The grid step
 * (`step` CSS pixels) is below the distance at which a point counts as hovered, so any point in the canvas is
 * found; `limit` bounds the number of moves. Resolves to { x, y, moves } or null.
 */
export async function hoverUntilTooltip(page, { step = 10, limit = 4000 } = {}) {
  const box = await page.locator('[data-testid=map]').boundingBox();
  const tooltip = page.locator('[data-testid=tooltip]');
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const spots = [];
  for (let y = box.y + step / 2; y < box.y + box.height; y += step) {
    for (let x = box.x + step / 2; x < box.x + box.width; x += step) spots.push({ x, y });
  }
  spots.sort((a, b) => Math.hypot(a.x - centre.x, a.y - centre.y) - Math.hypot(b.x - centre.x, b.y - centre.y));
  let moves = 0;
  for (const spot of spots.slice(0, limit)) {
    moves += 1;
    await page.mouse.move(spot.x, spot.y);
    if ((await tooltip.count()) > 0) return { ...spot, moves };
  }
  return null;
}

// For suites that make their own contexts (a persistent profile, a server of their own): the same page-side
// status and CSP recorder openApp installs.
export { STATUS_TRACKER };
