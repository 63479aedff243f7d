// Privacy: nothing Vejkort does sends anything off the origin that served it, and the Content-Security-Policy
// says so and is enforced.
//
// - The policy itself: the one in the built dist/index.html is parsed and must be strict (no host but the
//   origin, no 'unsafe-inline' or 'unsafe-eval', connect-src 'self', object-src 'none', base-uri and
//   form-action set), the same as index.html's source, the header `trunk serve` sends and the one these tests
//   serve; the built page has no inline script, style or handler to need more; the style sheet loads nothing
//   from elsewhere. Served with no header at all, as a plain static host would, the meta policy alone blocks
//   an injected inline script, eval, a fetch, an image and a form post to another origin.
// - Every workflow (upload of texts and of embeddings, TF-IDF and the language model, edits and undo, ways,
//   search and the table, live statements, exports, the tour and presenter mode, the share link, publishing,
//   a `?project=` link in explore mode, deleting all data) is driven while every request of the browser
//   context is recorded: Playwright reports the page's, the analysis worker's and (from 1.4x, on Chromium) the
//   service worker's requests on the context, and the test checks it saw requests of all three, so a recorder
//   that missed one kind would fail rather than pass silently. WebSockets are recorded too. None may leave the
//   origin; no CSP violation and no console error may occur.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import {
  useApp, openApp, loadExample, upload, runJob, readExample, readCsv, countWithText, hoverUntilTooltip,
  waitForStableCanvas, clusterList, toCsv, tempDir, unzip, SHARED_DATA, ROOT, DIST, CSP, STATUS_TRACKER,
} from './support.mjs';

const BOWLING_GREEN = join(SHARED_DATA, 'polis', 'american-assembly.bowling-green', 'comments.csv');

describe('privacy', () => {
  const app = useApp();

  it('keeps every request on the app origin, with no console errors or CSP violations', { timeout: 180_000 }, async () => {
    const origin = new URL(app.server.url).origin;
    const { context, page, requests, problems } = await openApp(app.browser, app.server.url);
    try {
      const example = await loadExample(page);
      assert.equal(example.status, 'ready', example.error);
      assert.equal(example.points, readExample().points);
      await waitForStableCanvas(page);
      assert.ok(await hoverUntilTooltip(page), 'hovering shows a statement');

      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        page.locator('[data-testid=export-csv]').click(),
      ]);
      assert.ok(await download.path(), 'the export downloaded');

      const uploaded = await upload(page, [BOWLING_GREEN]);
      assert.equal(uploaded.status, 'ready', uploaded.error);
      assert.equal(uploaded.points, countWithText(readCsv(BOWLING_GREEN).rows, 'comment-body'));
      await page.locator('[data-testid=language]').click();

      const seen = [...new Set(requests)];
      console.log(`requests in the session: ${seen.map((url) => url.replace(origin, '')).join(' ')}`);
      assert.ok(seen.some((url) => url.endsWith('.wasm')), 'the recording saw the app load its WebAssembly');
      // blob: URLs (the export) carry the origin that made them; their origin is checked like any other.
      const offOrigin = seen.filter((url) => new URL(url).origin !== origin);
      assert.deepEqual(offOrigin, [], 'requests that left the origin');
      assert.deepEqual(problems, [], 'console errors');
      assert.deepEqual(await page.evaluate(() => window.__vejkortE2E.csp), [], 'CSP violations');
    } finally {
      await context.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The policy, as written.

/** A policy as a Map from directive name to its list of sources; a directive given twice is an error. */
function parsePolicy(text) {
  const directives = new Map();
  for (const part of text.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (!name) continue;
    if (directives.has(name.toLowerCase())) throw new Error(`${name} is given twice in "${text}"`);
    directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

// What each directive may allow: the origin itself, nothing, and the few non-host sources the app needs. A hash
// (`'sha256-…'`) would be acceptable for script and style if Trunk ever needed an inline block; none is used now.
const ALLOWED = {
  'default-src': ["'self'", "'none'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'", 'hash'],
  'script-src-elem': ["'self'", 'hash'],
  'worker-src': ["'self'"],
  'style-src': ["'self'", 'hash'],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", "'none'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'", "'none'"],
  'form-action': ["'none'", "'self'"],
  'media-src': ["'self'", "'none'"],
  'manifest-src': ["'self'", "'none'"],
  'frame-src': ["'self'", "'none'"],
  'child-src': ["'self'", "'none'"],
};
const REQUIRED = ['default-src', 'script-src', 'connect-src', 'object-src', 'base-uri', 'form-action'];
// Browsers ignore these in a <meta> policy: one there would promise a protection that is not given.
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'report-to', 'sandbox'];

/** Why `policy` (a <meta> policy unless `header`) is not strict enough; empty when it is. */
function policyProblems(policy, { header = false } = {}) {
  const problems = [];
  let directives;
  try {
    directives = parsePolicy(policy);
  } catch (error) {
    return [error.message];
  }
  for (const name of REQUIRED) if (!directives.has(name)) problems.push(`${name} is missing`);
  const connect = directives.get('connect-src');
  if (connect && connect.join(' ') !== "'self'") problems.push(`connect-src is "${connect.join(' ')}", not 'self'`);
  for (const [name, sources] of directives) {
    if (HEADER_ONLY.includes(name)) {
      if (!header) problems.push(`${name} has no effect in a <meta> policy`);
      else if (name === 'frame-ancestors' && sources.some((s) => !["'self'", "'none'"].includes(s))) {
        problems.push(`frame-ancestors allows ${sources.join(' ')}`);
      }
      continue;
    }
    const allowed = ALLOWED[name];
    if (!allowed) {
      problems.push(`${name} is not a directive this app expects`);
      continue;
    }
    for (const source of sources) {
      const isHash = /^'sha(256|384|512)-[A-Za-z0-9+/=]+'$/.test(source);
      if (!(allowed.includes(source) || (isHash && allowed.includes('hash')))) problems.push(`${name} allows ${source}`);
    }
  }
  return problems;
}

/** The policy of an HTML page's <meta http-equiv="Content-Security-Policy">, or null. */
function metaPolicy(html) {
  const tag = /<meta\s[^>]*http-equiv="Content-Security-Policy"[^>]*>/is.exec(html)?.[0];
  const content = tag && /\scontent="([^"]*)"/is.exec(tag)?.[1];
  return content ? content.replace(/\s+/g, ' ').trim() : null;
}

const samePolicy = (a, b) => JSON.stringify([...parsePolicy(a)].sort()) === JSON.stringify([...parsePolicy(b)].sort());

describe('the Content-Security-Policy', () => {
  const app = useApp();

  it('is refused by the checker when it would let anything out (so the checks below can fail)', () => {
    const strict = CSP;
    assert.deepEqual(policyProblems(strict), []);
    const loosened = [
      [strict.replace("connect-src 'self'", "connect-src 'self' https://api.example.org"), /connect-src/],
      [strict.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"), /script-src allows 'unsafe-inline'/],
      [strict.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'"), /script-src allows 'unsafe-eval'/],
      [strict.replace("font-src 'self'", 'font-src https://fonts.gstatic.com'), /font-src allows https:\/\/fonts/],
      [strict.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"), /style-src allows 'unsafe-inline'/],
      [strict.replace("img-src 'self'", 'img-src *'), /img-src allows \*/],
      [strict.replace("object-src 'none'", "object-src 'self'"), /object-src allows 'self'/],
      [strict.replace("; base-uri 'self'", ''), /base-uri is missing/],
      [strict.replace("default-src 'self'", 'default-src https:'), /default-src allows https:/],
      [`${strict}; frame-ancestors 'none'`, /no effect in a <meta>/],
      [`${strict}; connect-src 'self'`, /given twice/],
    ];
    for (const [policy, reason] of loosened) {
      const problems = policyProblems(policy);
      assert.ok(problems.some((p) => reason.test(p)), `${policy}\n  gave ${JSON.stringify(problems)}`);
    }
    assert.deepEqual(policyProblems(`${strict}; frame-ancestors 'none'`, { header: true }), []);
  });

  it('is strict in the built page, the same in the source, the dev server and the tests, and needs no inline code', () => {
    const built = readFileSync(join(DIST, 'index.html'), 'utf8');
    const policy = metaPolicy(built);
    assert.ok(policy, 'dist/index.html has a <meta> Content-Security-Policy');
    assert.deepEqual(policyProblems(policy), [], policy);
    assert.ok(samePolicy(policy, metaPolicy(readFileSync(join(ROOT, 'index.html'), 'utf8'))), 'the same as index.html');
    assert.ok(samePolicy(policy, CSP), 'the tests serve the app under the same policy');
    const trunk = readFileSync(join(ROOT, 'Trunk.toml'), 'utf8');
    const header = /^Content-Security-Policy\s*=\s*"([^"]*)"/m.exec(trunk)?.[1];
    assert.ok(header, 'trunk serve sends the policy as a header');
    assert.deepEqual(policyProblems(header, { header: true }), [], header);
    const withoutHeaderOnly = [...parsePolicy(header)].filter(([name]) => !HEADER_ONLY.includes(name));
    assert.deepEqual(withoutHeaderOnly.sort(), [...parsePolicy(policy)].sort(), 'the header is the page policy (plus header-only directives)');

    // Nothing in the built page needs more than the policy allows: every script is a file of the origin, and
    // there are no inline scripts, style blocks, style attributes or handler attributes.
    const scripts = [...built.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length > 0, 'the page starts its script');
    for (const [tag, attributes, body] of scripts) {
      assert.match(attributes, /\ssrc="\.?\/?[\w./-]+"/, `a script from a file of the origin: ${tag}`);
      assert.equal(body.trim(), '', `no inline code: ${tag}`);
    }
    assert.ok(!/<style\b/i.test(built), 'no <style> block');
    assert.ok(!/\sstyle\s*=/i.test(built), 'no style attribute');
    assert.ok(!/\son[a-z]+\s*=/i.test(built), 'no event handler attribute');
    for (const [, url] of built.matchAll(/\s(?:src|href)\s*=\s*"([^"]*)"/gi)) {
      assert.ok(!/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url) || url.startsWith('data:'), `a link off the origin: ${url}`);
    }
    // No fonts, style sheets or images from elsewhere in the style sheets.
    for (const file of readdirSync(DIST).filter((name) => name.endsWith('.css'))) {
      const css = readFileSync(join(DIST, file), 'utf8');
      assert.ok(!/@import/i.test(css), `${file}: no @import`);
      for (const [, url] of css.matchAll(/url\(\s*['"]?([^'")]*)/gi)) {
        assert.ok(!/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url), `${file}: url(${url}) leaves the origin`);
      }
    }
  });

  it('is enforced from the page alone when a host sends no header: inline script, handlers and requests out are blocked', { timeout: 60_000 }, async () => {
    // A plain static host: the files, their types, no security headers at all.
    const server = createServer(async (request, response) => {
      const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
      const file = normalize(join(DIST, path.endsWith('/') ? `${path}index.html` : path));
      if (!file.startsWith(DIST) || !(await stat(file).catch(() => null))?.isFile()) return response.writeHead(404).end();
      const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
    });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${server.address().port}/`;
    const context = await app.browser.newContext({ locale: 'en-GB' });
    try {
      await context.addInitScript(STATUS_TRACKER);
      const page = await context.newPage();
      const headers = [];
      page.on('response', async (response) => headers.push(await response.headerValue('content-security-policy')));
      await page.goto(url);
      await page.locator('[data-testid=app][data-status=empty]').waitFor();
      assert.ok(headers.length > 0 && headers.every((h) => h === null), 'no policy header was sent');
      assert.deepEqual(await page.evaluate(() => window.__vejkortE2E.csp), [], 'the app itself needs nothing blocked');

      // Another origin on loopback: even if a request got out it would not leave the machine.
      const elsewhere = 'http://127.0.0.2:9';
      const outcome = await page.evaluate(async (elsewhere) => {
        const result = {};
        const script = document.createElement('script');
        script.textContent = 'window.__inline = 1';
        document.head.append(script);
        result.inlineRan = window.__inline === 1;
        // (eval is left out: code run through DevTools, as page.evaluate is, is exempt from the policy's eval
        // check, so a probe from here would prove nothing; the static test above refuses 'unsafe-eval'.)
        const handler = document.createElement('div');
        handler.setAttribute('onclick', 'window.__handler = 1');
        document.body.append(handler);
        handler.click();
        result.handlerRan = window.__handler === 1;
        try {
          await fetch(`${elsewhere}/data`, { method: 'POST', body: 'secret' });
          result.fetched = true;
        } catch {
          result.fetched = false;
        }
        const image = new Image();
        image.src = `${elsewhere}/pixel.png?secret`;
        document.body.append(image);
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/nowhere';
        document.body.append(form);
        form.submit();
        return result;
      }, elsewhere);
      assert.deepEqual(outcome, { inlineRan: false, handlerRan: false, fetched: false });
      const expected = ['script-src-elem', 'script-src-attr', 'connect-src', 'img-src', 'form-action'];
      await page.waitForFunction(
        (expected) => expected.every((d) => window.__vejkortE2E.csp.some((v) => v.startsWith(`${d} `))),
        expected,
        { timeout: 10_000 },
      );
      assert.equal(new URL(page.url()).pathname, '/', 'the form post did not navigate');
    } finally {
      await context.close();
      await new Promise((ok) => server.close(ok));
    }
  });

});

// ---------------------------------------------------------------------------------------------------------------
// Every workflow, recorded.

const EMBEDDINGS = join(SHARED_DATA, 'embeddings', 'bowling-green_all-MiniLM-L6-v2');
// Project files published into dist/ (served same-origin) for the `?project=` link, removed at the end.
const published = [];
after(() => published.forEach((file) => rmSync(join(DIST, file), { force: true })));

/** The first `count` statements of the example as a CSV of their own: enough for a map, quick to embed. */
function smallSurvey(count) {
  const { header, records } = readCsv(join(ROOT, 'public', 'example', 'velfaerd-workshop.csv'));
  const path = join(tempDir(), 'lille-workshop.csv');
  writeFileSync(path, toCsv([header, ...records.slice(0, count)]));
  return path;
}

async function download(page, testid, timeout = 30_000) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout }), page.locator(`[data-testid=${testid}]`).click()]);
  return file.path();
}

describe('every workflow, recorded', () => {
  const app = useApp();

  it('uploads, analyses with TF-IDF and the language model, edits, exports, presents, publishes and wipes without a request off the origin', { timeout: 900_000 }, async () => {
    const origin = new URL(app.server.url).origin;
    const context = await app.browser.newContext({ locale: 'en-GB', acceptDownloads: true, viewport: { width: 1400, height: 900 } });
    // (Not in a new tab's first about:blank, where storage is off limits and the attempt would throw.)
    await context.addInitScript(() => location.protocol === 'http:' && localStorage.setItem('vejkort.vectoriser', 'tfidf'));
    await context.addInitScript(STATUS_TRACKER);
    // Every request of the context (pages, the analysis worker, the service worker), with who made it.
    const seen = [];
    const sockets = [];
    context.on('request', (request) => {
      seen.push({ url: request.url(), by: request.serviceWorker() ? 'service worker' : 'page or worker' });
    });
    context.on('page', (page) => page.on('websocket', (socket) => sockets.push(socket.url())));
    context.on('serviceworker', (worker) => seen.push({ url: worker.url(), by: 'service worker (registered)' }));
    const pageProblems = [];
    const watch = (page) => {
      page.on('pageerror', (error) => pageProblems.push(`${page.url()}: ${error} ${error.stack}`));
      page.on('console', (message) => message.type() === 'error' && pageProblems.push(`${message.location().url}: ${message.text()}`));
      page.on('worker', (worker) => worker.on('console', (m) => m.type() === 'error' && pageProblems.push(`worker: ${m.text()}`)));
    };
    context.on('page', watch);
    const cspOf = async (page) => page.evaluate(() => window.__vejkortE2E.csp);
    try {
      const { page } = await openApp(app.browser, app.server.url, { context });

      // Upload: embeddings and their metadata, then texts.
      const vectors = await upload(page, [join(EMBEDDINGS, 'embeddings.npy'), join(EMBEDDINGS, 'metadata.csv')]);
      assert.equal(vectors.status, 'ready', vectors.error);
      const texts = await upload(page, [smallSurvey(40)]);
      assert.equal(texts.status, 'ready', texts.error);
      assert.equal(texts.points, 40);

      // The language model (served by the origin) on the same statements.
      await page.locator('[data-testid=vectoriser]').waitFor();
      const model = await runJob(page, () => page.locator('[data-testid=vectoriser]').selectOption('model'), { timeout: 600_000 });
      assert.equal(model.status, 'ready', model.error);
      assert.match(await page.locator('[data-testid=summary]').textContent(), /language model/);
      // A live statement, embedded by the same model.
      await page.locator('[data-testid=live-input]').fill('Vi mangler hænder i ældreplejen.');
      await page.locator('[data-testid=live-place]').click();
      await page.locator('[data-testid=live-new]').first().waitFor({ timeout: 120_000 });

      // Back to the example with TF-IDF for the editing workflows.
      const back = await runJob(page, () => page.locator('[data-testid=vectoriser]').selectOption('tfidf'));
      assert.equal(back.status, 'ready', back.error);
      const example = await loadExample(page);
      assert.equal(example.status, 'ready', example.error);
      assert.equal(example.points, readExample().points);

      // Edits: rename, merge two, undo.
      const entry = (id) => `[data-testid=cluster-list] li[data-cluster-id="${id}"]`;
      const [a, b, c] = (await clusterList(page)).filter((cluster) => cluster.id >= 0);
      await page.locator(`${entry(a.id)} [data-testid=rename-cluster]`).click();
      await page.locator(`${entry(a.id)} [data-testid=cluster-name-input]`).fill('Privat navn');
      await page.locator(`${entry(a.id)} [data-testid=cluster-name-input]`).press('Enter');
      await page.locator(`${entry(a.id)}[data-provenance=person]`).waitFor();
      await page.locator(`${entry(b.id)} [data-testid=select-cluster]`).check();
      await page.locator(`${entry(c.id)} [data-testid=select-cluster]`).check();
      await page.locator('[data-testid=merge-clusters]').click();
      await page.locator(entry(c.id)).waitFor({ state: 'detached' });
      await page.locator('[data-testid=undo]').click();
      await page.locator(entry(c.id)).waitFor();

      // Ways: a new one with two clusters.
      await page.locator('[data-testid=way-name-input]').fill('Privat vej');
      await page.locator('[data-testid=create-way]').click();
      const way = page.locator('[data-testid=way-list] li[data-way-id]').filter({ hasText: 'Privat vej' });
      await way.waitFor();
      const wayId = await way.getAttribute('data-way-id');
      for (const cluster of [a, b]) await page.locator(`${entry(cluster.id)} input.way-tick[data-way-id="${wayId}"]`).check();
      await page.locator(`[data-testid=way-list] li[data-way-id="${wayId}"][data-clusters="${[a.id, b.id].sort((x, y) => x - y).join(',')}"]`).waitFor();

      // Reading: search, the table, a tooltip.
      await page.locator('[data-testid=search]').fill('ældre');
      await page.locator('[data-testid=show-table]').click();
      await page.locator('[data-testid=table] tbody tr').first().waitFor();
      await page.locator('[data-testid=search]').fill('');
      await waitForStableCanvas(page);
      assert.ok(await hoverUntilTooltip(page), 'hovering shows a statement');

      // Exports.
      for (const testid of ['export-csv', 'export-svg', 'export-png', 'export-project']) {
        assert.ok(await download(page, testid), `${testid} downloaded`);
      }

      // A tour of two stops, presented with the keys a clicker sends; the share link.
      await page.locator('[data-testid=tour-add]').click();
      await page.locator('[data-testid=zoom-in]').click();
      await page.locator('[data-testid=tour-add]').click();
      await page.locator('[data-testid=present]').click();
      await page.locator('[data-testid=presenter-bar][data-presenting=true]').waitFor();
      await page.keyboard.press('ArrowRight');
      await page.locator('[data-testid=tour-position]').filter({ hasText: 'Stop 2 of 2' }).waitFor();
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=presenter-bar][data-presenting=false]').waitFor();
      await page.locator('[data-testid=share]').click();
      assert.ok((await page.locator('[data-testid=share-link]').inputValue()).startsWith(origin), 'the link is to this origin');

      // Publish: the app's files are packed from the origin.
      assert.ok(unzip(readFileSync(await download(page, 'publish', 180_000))).size > 5, 'a published folder');

      // A project link opened read-only in another tab.
      const name = `e2e-privacy-${process.pid}.json`;
      copyFileSync(await download(page, 'export-project'), join(DIST, name));
      published.push(name);
      const reader = await context.newPage();
      await reader.goto(`${app.server.url}?project=${encodeURIComponent(name)}&mode=explore`);
      await reader.locator('[data-testid=app][data-status=ready]').waitFor({ timeout: 60_000 });
      await reader.locator('[data-testid=explorer-summary]').waitFor();
      assert.deepEqual(await cspOf(reader), [], 'CSP violations in the reader');
      await reader.close();

      // Delete all my data.
      await page.locator('[data-testid=delete-all-data]').click();
      await page.locator('[data-testid=confirm-delete-all]').click();
      await page.locator('[data-testid=wipe-result][data-left="0"]').waitFor({ timeout: 30_000 });
      assert.deepEqual(await cspOf(page), [], 'CSP violations');

      // The recorder heard every kind of requester, so a silent one cannot hide a request.
      const by = (kind) => seen.filter((r) => r.by === kind).map((r) => r.url);
      console.log(
        `requests: ${seen.length} (service worker ${by('service worker').length}); ` +
          `distinct: ${[...new Set(seen.map((r) => r.url.replace(origin, '')))].join(' ')}`,
      );
      // Only the analysis worker fetches the model: seeing it proves the worker's requests are recorded.
      assert.ok(seen.some((r) => r.url === `${origin}/models/e5-small-q4.bin`), 'the analysis worker fetched the model from the origin');
      assert.ok(by('service worker').length > 0, 'requests of the service worker were recorded');
      assert.ok(seen.some((r) => r.url.endsWith('.wasm')), 'the app loaded its WebAssembly');
      const offOrigin = [...new Set(seen.map((r) => r.url))].filter((url) => new URL(url).origin !== origin);
      assert.deepEqual(offOrigin, [], 'requests that left the origin');
      assert.deepEqual(sockets, [], 'WebSockets opened');
      assert.deepEqual(pageProblems, [], 'console errors');
    } finally {
      await context.close();
    }
  });
});
