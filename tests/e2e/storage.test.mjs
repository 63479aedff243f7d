// What Vejkort keeps in the browser and what it hands out: autosave and restore after a reload, the list of local
// projects, "Delete all my data" (checked against the browser's own storage APIs, not the app's report), the
// offline copy (the server is shut down and the network cut before the reload), and "Publish" (the zip is
// compared file by file with dist/ and then served statically like any host would).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import {
  useApp, openApp, loadExample, clusterList, readExample, serveDist, waitForStatus, unzip, DIST,
} from './support.mjs';

const entry = (id) => `[data-testid=cluster-list] li[data-cluster-id="${id}"]`;

/** The project files Vejkort saved in IndexedDB, read in the page with the browser's own API. */
function storedProjects(page) {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes('vejkort')) return [];
    const db = await new Promise((ok, fail) => {
      const request = indexedDB.open('vejkort');
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    const texts = await new Promise((ok, fail) => {
      const request = db.transaction('project-files').objectStore('project-files').getAll();
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    db.close();
    return texts;
  });
}

/** Whether a saved project file holds `text`. */
async function storedProjectHolds(page, text) {
  return (await storedProjects(page)).some((project) => project.includes(text));
}

/** Everything the origin keeps in the browser, as the browser reports it. */
function browserStorage(page) {
  return page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name),
    local: localStorage.length,
    session: sessionStorage.length,
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
}

describe('keeping projects in the browser', () => {
  const app = useApp();

  it('autosaves, restores the project after a reload, and wipes every trace on request', { timeout: 180_000 }, async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    try {
      assert.equal(await page.locator('[data-testid=no-saved-projects]').count(), 1, 'nothing saved at first');
      assert.deepEqual((await browserStorage(page)).databases, [], 'merely opening the app creates no database');

      const loaded = await loadExample(page);
      assert.equal(loaded.status, 'ready', loaded.error);
      const [first] = (await clusterList(page)).filter((c) => c.id >= 0);
      const name = 'Autogemt: hænder nok';
      await page.locator(`${entry(first.id)} [data-testid=rename-cluster]`).click();
      const input = page.locator(`${entry(first.id)} [data-testid=cluster-name-input]`);
      await input.fill(name);
      await input.press('Enter');
      await page.locator(`${entry(first.id)}[data-provenance=person]`).waitFor();
      const before = await clusterList(page);

      // Saved after the edit: the stored project file itself holds the new name.
      const deadline = Date.now() + 20_000;
      while (!(await storedProjectHolds(page, name))) {
        assert.ok(Date.now() < deadline, 'the renamed project was saved within 20 s');
        await page.locator('[data-testid=autosave-status]').filter({ hasText: /Saved/ }).waitFor();
      }
      const stored = await storedProjects(page);
      assert.equal(stored.length, 1, 'one project, saved again after each change');
      assert.equal(JSON.parse(stored[0]).format, 'vejkort-project');
      await page.locator('[data-testid=projects-list] li[data-project-id]').first().waitFor();
      assert.equal(
        Number(await page.locator('[data-testid=projects-list] li').first().getAttribute('data-points')),
        readExample().points,
      );

      // Reload: the map comes back without a job, with the person's name and the history to undo it.
      await page.reload();
      await waitForStatus(page, 'ready', 30_000);
      assert.deepEqual(await page.evaluate(() => window.__vejkortE2E.log), ['empty', 'ready'], 'restored without a job');
      assert.equal(Number(await page.locator('[data-testid=app]').getAttribute('data-points')), readExample().points);
      assert.deepEqual(await clusterList(page), before, 'the same clusters, sizes and labels');
      assert.equal(await page.locator(`${entry(first.id)}`).getAttribute('data-provenance'), 'person');
      assert.equal(await page.locator('[data-testid=undo]').isDisabled(), false, 'the history came back too');

      // Put something in every kind of storage the wipe must empty: a model cache like the worker's, session
      // storage, another database.
      await page.evaluate(async () => {
        const cache = await caches.open('vejkort-models-v1');
        await cache.put('models/e5-small-q4.bin', new Response(new Uint8Array([1, 2, 3])));
        sessionStorage.setItem('vejkort.test', 'x');
        await new Promise((ok) => { const r = indexedDB.open('another'); r.onsuccess = () => { r.result.close(); ok(); }; });
        await navigator.serviceWorker.ready;
      });
      const full = await browserStorage(page);
      assert.ok(full.databases.includes('vejkort') && full.local > 0 && full.session > 0, JSON.stringify(full));
      assert.ok(full.caches.length >= 2 && full.workers === 1, `model and app caches, one worker: ${JSON.stringify(full)}`);

      await page.locator('[data-testid=delete-all-data]').click();
      await page.locator('[data-testid=cancel-delete-all]').click();
      assert.equal((await browserStorage(page)).databases.length, full.databases.length, 'backing out deletes nothing');
      await page.locator('[data-testid=delete-all-data]').click();
      await page.locator('[data-testid=confirm-delete-all]').press('Enter');
      const result = page.locator('[data-testid=wipe-result]');
      await result.waitFor({ timeout: 20_000 });
      const message = await result.textContent();
      assert.equal(await result.getAttribute('data-left'), '0', message);
      assert.match(message, /language model/, message);
      assert.match(message, /Nothing of Vejkort is left/, message);

      const empty = await browserStorage(page);
      assert.deepEqual(empty, { databases: [], local: 0, session: 0, caches: [], workers: 0 });
      // The map stays on screen, and editing it writes nothing back.
      assert.equal(await page.locator('[data-testid=app]').getAttribute('data-status'), 'ready');
      await page.locator(`${entry(first.id)} [data-testid=rename-cluster]`).click();
      await input.fill('Efter sletning');
      await input.press('Enter');
      await page.locator(`${entry(first.id)} .cluster-label`).filter({ hasText: 'Efter sletning' }).waitFor();
      assert.equal(await page.locator('[data-testid=autosave]').isChecked(), false);
      assert.deepEqual((await browserStorage(page)).databases, [], 'no autosave after the wipe');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('opens and loads the example with the server gone and the network cut', { timeout: 120_000 }, async () => {
    const server = await serveDist();
    let closed = false;
    const { context, page } = await openApp(app.browser, server.url);
    try {
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
      const cached = await page.evaluate(async () => {
        const name = (await caches.keys()).find((n) => n.startsWith('vejkort-app-'));
        return name ? (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname) : [];
      });
      const listed = JSON.parse(readFileSync(join(DIST, 'precache.json'), 'utf8')).files;
      for (const file of listed) assert.ok(cached.includes(`/${file}`), `${file} is in the offline copy`);

      await server.close();
      closed = true;
      await context.setOffline(true);
      await page.reload();
      await waitForStatus(page, 'empty', 30_000);
      const offline = await loadExample(page);
      assert.equal(offline.status, 'ready', offline.error);
      assert.equal(offline.points, readExample().points);
    } finally {
      await context.close();
      if (!closed) await server.close();
    }
  });

  it('publishes a folder that a plain static server opens, read-only, with every file it needs', { timeout: 180_000 }, async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    let host;
    try {
      const loaded = await loadExample(page);
      assert.equal(loaded.status, 'ready', loaded.error);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 120_000 }),
        page.locator('[data-testid=publish]').click(),
      ]);
      assert.match(download.suggestedFilename(), /^vejkort-velfaerd-workshop\.zip$/);
      const entries = unzip(readFileSync(await download.path()));
      const folder = 'vejkort-velfaerd-workshop/';
      assert.ok([...entries.keys()].every((name) => name.startsWith(folder)), 'one top folder');

      const index = entries.get(`${folder}index.html`).toString('utf8');
      assert.match(index, /http-equiv="refresh" content="0; url=app\/index\.html\?project=\.\.\/project\.vejkort\.json&amp;mode=explore"/);
      assert.ok(entries.get(`${folder}README.txt`).toString('utf8').includes('python3 -m http.server'));
      const project = JSON.parse(entries.get(`${folder}project.vejkort.json`).toString('utf8'));
      assert.equal(project.format, 'vejkort-project');
      assert.equal(project.data.rows.length, readExample().points, 'the project holds every statement of the example');

      // The app inside is the build, byte for byte, as its own list names it; the model stays out.
      const listed = JSON.parse(readFileSync(join(DIST, 'precache.json'), 'utf8')).files;
      for (const file of [...listed, 'sw.js', 'precache.json']) {
        const packed = entries.get(`${folder}app/${file}`);
        assert.ok(packed, `${file} is in the folder`);
        assert.ok(packed.equals(readFileSync(join(DIST, file))), `${file} is the built file`);
      }
      assert.ok(![...entries.keys()].some((name) => name.includes('/models/')), 'no language model in the folder');

      // Serve the folder as a plain static host would (no headers but the type) and open its index.
      const root = new Map([...entries].map(([name, bytes]) => [name.slice(folder.length), bytes]));
      const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
      host = createServer((request, response) => {
        const path = decodeURIComponent(new URL(request.url, 'http://x').pathname).slice(1) || 'index.html';
        const body = root.get(path.endsWith('/') ? `${path}index.html` : path);
        if (!body) return response.writeHead(404).end();
        response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
      });
      await new Promise((ok) => host.listen(0, '127.0.0.1', ok));
      const url = `http://127.0.0.1:${host.address().port}/`;
      const visitor = await app.browser.newContext({ locale: 'en-GB' });
      try {
        const view = await visitor.newPage();
        const failures = [];
        const seen = [];
        view.on('response', (response) => {
          seen.push(response.url());
          if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
        });
        view.on('requestfailed', (request) => failures.push(`failed ${request.url()}`));
        await view.goto(url);
        await view.waitForURL(/app\/index\.html\?project=/);
        // The index opens the project read-only: the whole map, the explorer's summary, no editing.
        await view.locator('[data-testid=app][data-status=ready]').waitFor();
        assert.equal(Number(await view.locator('[data-testid=app]').getAttribute('data-points')), readExample().points);
        await view.locator('[data-testid=explorer-summary]').waitFor();
        await view.evaluate(() => navigator.serviceWorker.ready);
        assert.deepEqual(failures, [], 'every file the published app asked for was in the folder');
        assert.deepEqual(seen.filter((u) => !u.startsWith(url)), [], 'no request left the host');
        assert.ok(seen.some((u) => u.endsWith('vejkort-app_bg.wasm')), 'the app loaded');
        const databases = await view.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
        assert.deepEqual(databases, [], "a published map writes nothing into the visitor's browser");
      } finally {
        await visitor.close();
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      if (host) await new Promise((ok) => host.close(ok));
    }
  });
});
