// Nothing lost: the tab is killed in the middle of an edit and in the middle of a job, and the reopened app shows
// the last autosaved state intact and works; a project file saved, opened and saved again says the same thing.
//
// storage.test.mjs covers a polite reload after a saved edit; here the page is closed without its unload
// handlers (`page.close({ runBeforeUnload: false })`) or the whole browser profile is shut down
// (`context.close()` of a persistent context, then a new browser on the same profile directory). What "saved"
// means is read from the browser's own IndexedDB, not from the app's word for it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  useApp, openApp, loadExample, clusterList, readExample, tempDir, waitForStatus, STATUS_TRACKER,
} from './support.mjs';

const entry = (id) => `[data-testid=cluster-list] li[data-cluster-id="${id}"]`;

/**
 * Waits until a project file Vejkort saved in IndexedDB holds `text`, read with the browser's own API. (Polled
 * inside the page: Playwright's waitForFunction does not wait for an async predicate's answer.)
 */
async function waitUntilStored(page, text, timeout = 30_000) {
  const found = await page.evaluate(
    async ({ needle, timeout }) => {
      const holds = async () => {
        if (!(await indexedDB.databases()).some((d) => d.name === 'vejkort')) return false;
        const db = await new Promise((ok, fail) => {
          const request = indexedDB.open('vejkort');
          request.onsuccess = () => ok(request.result);
          request.onerror = () => fail(request.error);
        });
        try {
          if (!db.objectStoreNames.contains('project-files')) return false;
          const texts = await new Promise((ok, fail) => {
            const request = db.transaction('project-files').objectStore('project-files').getAll();
            request.onsuccess = () => ok(request.result);
            request.onerror = () => fail(request.error);
          });
          return texts.some((project) => project.includes(needle));
        } finally {
          db.close();
        }
      };
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        if (await holds()) return true;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      return false;
    },
    { needle: JSON.stringify(text).slice(1, -1), timeout },
  );
  assert.ok(found, `a saved project holds "${text}" within ${timeout} ms`);
}

async function rename(page, id, name) {
  await page.locator(`${entry(id)} [data-testid=rename-cluster]`).click();
  const input = page.locator(`${entry(id)} [data-testid=cluster-name-input]`);
  await input.fill(name);
  await input.press('Enter');
  await page.locator(`${entry(id)} .cluster-label`).filter({ hasText: name }).waitFor();
}

/** Opens another page in `context` on the app and waits for the autosaved map to come back. */
async function reopen(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await page.goto(url);
  try {
    await waitForStatus(page, 'ready', 60_000);
  } catch (error) {
    const app = page.locator('[data-testid=app]');
    const said = await page.locator('[data-testid=error], [data-testid=autosave-status], [data-testid=projects-list], .edit-error').allTextContents();
    throw new Error(`the reopened app is ${await app.getAttribute('data-status')}: ${said.join(' | ')} ${problems.join(' | ')}`, { cause: error });
  }
  return { page, problems };
}

function download(page, testid) {
  return Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.locator(`[data-testid=${testid}]`).click()]).then(
    ([file]) => file.path(),
  );
}

/** A persistent browser profile in `dir`, set up like openApp's contexts. */
async function persistentContext(dir) {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    locale: 'en-GB',
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
  });
  await context.addInitScript(STATUS_TRACKER);
  return context;
}

describe('nothing lost', () => {
  const app = useApp();
  const points = readExample().points;

  it('a tab closed mid-edit reopens on the last autosave, whole', { timeout: 180_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      assert.equal((await loadExample(page)).status, 'ready');
      const [a, b, c] = (await clusterList(page)).filter((cluster) => cluster.id >= 0);
      await rename(page, a.id, 'Gemt før lukning');
      await waitUntilStored(page, 'Gemt før lukning');
      const saved = await clusterList(page);

      // A second rename committed a moment before the tab dies (inside autosave's quiet time, or just after),
      // and a third one typed but not committed.
      await rename(page, b.id, 'Måske nået');
      const perhaps = await clusterList(page);
      await page.locator(`${entry(c.id)} [data-testid=rename-cluster]`).click();
      await page.locator(`${entry(c.id)} [data-testid=cluster-name-input]`).fill('Aldrig gemt');
      await page.close({ runBeforeUnload: false });

      const again = await reopen(context, app.server.url);
      assert.deepEqual(await again.page.evaluate(() => window.__vejkortE2E.log), ['empty', 'ready'], 'restored without a job');
      assert.equal(Number(await again.page.locator('[data-testid=app]').getAttribute('data-points')), points);
      const restored = await clusterList(again.page);
      // Whichever autosave was the last, it is whole: exactly the map as it was then, never a mix.
      assert.ok(
        JSON.stringify(restored) === JSON.stringify(saved) || JSON.stringify(restored) === JSON.stringify(perhaps),
        `restored ${JSON.stringify(restored)}`,
      );
      assert.ok(!restored.some((cluster) => cluster.label.includes('Aldrig gemt')), 'an uncommitted name is not saved');
      // And it works: the rename can be undone and redone.
      await again.page.locator('[data-testid=undo]').click();
      await again.page.locator('[data-testid=redo]').click();
      assert.deepEqual(await clusterList(again.page), restored);
      assert.deepEqual(again.problems, []);
    } finally {
      await context.close();
    }
  });

  it('a browser shut down after an edit reopens the same profile on it', { timeout: 180_000 }, async () => {
    const profile = tempDir();
    let context = await persistentContext(profile);
    try {
      await context.addInitScript(() => localStorage.setItem('vejkort.vectoriser', 'tfidf'));
      const { page } = await openApp(null, app.server.url, { context });
      assert.equal((await loadExample(page)).status, 'ready');
      const [a] = (await clusterList(page)).filter((cluster) => cluster.id >= 0);
      await rename(page, a.id, 'Overlevede nedlukning');
      await waitUntilStored(page, 'Overlevede nedlukning');
      const saved = await clusterList(page);
      await context.close();

      context = await persistentContext(profile);
      const again = await reopen(context, app.server.url);
      assert.deepEqual(await clusterList(again.page), saved);
      assert.equal(await again.page.locator(`${entry(a.id)}`).getAttribute('data-provenance'), 'person');
      assert.deepEqual(again.problems, []);
    } finally {
      await context.close();
    }
  });

  it('a tab closed while the language model works reopens on the saved map, not stuck working', { timeout: 600_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      assert.equal((await loadExample(page)).status, 'ready');
      const [a] = (await clusterList(page)).filter((cluster) => cluster.id >= 0);
      await rename(page, a.id, 'Før sprogmodellen');
      await waitUntilStored(page, 'Før sprogmodellen');
      const saved = await clusterList(page);

      // Re-run the map with the language model and close the tab while it reads the statements.
      await page.locator('[data-testid=vectoriser]').selectOption('model');
      await page.locator('[data-testid=app][data-status=working]').waitFor({ timeout: 30_000 });
      await page
        .locator('[data-testid=progress-stage]')
        .filter({ hasText: /meaning/ })
        .waitFor({ timeout: 300_000 });
      await page.close({ runBeforeUnload: false });

      const again = await reopen(context, app.server.url);
      assert.deepEqual(await clusterList(again.page), saved, 'the map saved before the job');
      assert.equal(await again.page.locator('[data-testid=app]').getAttribute('data-status'), 'ready');
      assert.equal(await again.page.locator('[data-testid=progress]').count(), 0, 'no job left running');
      // It works: an edit goes through and is saved.
      const [, b] = (await clusterList(again.page)).filter((cluster) => cluster.id >= 0);
      await rename(again.page, b.id, 'Efter genåbning');
      await waitUntilStored(again.page, 'Efter genåbning');
      assert.deepEqual(again.problems, []);
    } finally {
      await context.close();
    }
  });

  it('a project file saved, opened and saved again says the same, and so does its autosaved copy', { timeout: 180_000 }, async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    try {
      assert.equal((await loadExample(page)).status, 'ready');
      // Something of every kind of work a project holds: a name, a merge, an undone edit, a way, an axis, a
      // tour stop.
      const [a, b, c] = (await clusterList(page)).filter((cluster) => cluster.id >= 0);
      await rename(page, a.id, 'Rundtur');
      await page.locator(`${entry(b.id)} [data-testid=select-cluster]`).check();
      await page.locator(`${entry(c.id)} [data-testid=select-cluster]`).check();
      await page.locator('[data-testid=merge-clusters]').click();
      await page.locator(entry(c.id)).waitFor({ state: 'detached' });
      await page.locator('[data-testid=undo]').click();
      await page.locator(entry(c.id)).waitFor();
      await page.locator('[data-testid=way-name-input]').fill('Rundturens vej');
      await page.locator('[data-testid=create-way]').click();
      await page.locator('[data-testid=way-list] li[data-way-id]').filter({ hasText: 'Rundturens vej' }).waitFor();
      // The tour stop comes after the last cluster or way edit has been saved: a tour is saved for itself.
      await waitUntilStored(page, 'Rundturens vej');
      await page.locator('[data-testid=tour-add]').click();
      const caption = page.locator('[data-testid=tour-caption-input]').last();
      await caption.fill('Første stop');
      await caption.press('Enter');
      await caption.evaluate((element) => element.blur());
      await waitUntilStored(page, 'Første stop');

      const firstText = readFileSync(await download(page, 'export-project'), 'utf8');
      const first = JSON.parse(firstText);
      assert.equal(first.tour?.[0]?.caption, 'Første stop', 'the tour is in the file');

      // The autosaved copy is the same document as the download.
      const stored = await page.evaluate(async () => {
        const db = await new Promise((ok) => { const r = indexedDB.open('vejkort'); r.onsuccess = () => ok(r.result); });
        const texts = await new Promise((ok) => {
          const r = db.transaction('project-files').objectStore('project-files').getAll();
          r.onsuccess = () => ok(r.result);
        });
        db.close();
        return texts;
      });
      assert.equal(stored.length, 1);
      // Nothing in a project file changes by itself between saves (no time stamp; the camera is where it was), so
      // no field is left out of the comparison.
      assert.deepEqual(JSON.parse(stored[0]), first, 'autosaved copy and download agree');
      assert.equal(stored[0], firstText, 'byte for byte');

      // Open the file in a fresh browser context (nothing autosaved there) and save it again.
      const fresh = await openApp(app.browser, app.server.url);
      try {
        const file = join(tempDir(), 'rundtur.vejkort.json');
        writeFileSync(file, firstText);
        await fresh.page.locator('input[type=file][data-testid=file-input]').setInputFiles(file);
        await fresh.page.locator(`[data-testid=app][data-status=ready][data-points="${points}"]`).waitFor({ timeout: 30_000 });
        const secondText = readFileSync(await download(fresh.page, 'export-project'), 'utf8');
        assert.deepEqual(JSON.parse(secondText), first, 'saved, opened and saved again');
        assert.equal(secondText, firstText, 'byte for byte');
        assert.deepEqual(fresh.problems, []);
      } finally {
        await fresh.context.close();
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
