// The ways editor and what leaves the app: a new way with clusters ticked into it shows in the way list, on the
// axis and in the SVG export (well-formed XML, its name escaped); a project file round-trips the curated map
// through a fresh page; a project from a future version is refused with a message naming the file and version.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useApp, openApp, loadExample, clusterList, errorText, tempDir } from './support.mjs';

// A name people could type, with markup and an ampersand that must stay text in the SVG.
const WAY_NAME = 'Grøn <script>alert(1)</script> & co';
const WAY_COLOUR = '#56b4e9'; // the first colour a new way gets (Okabe–Ito sky blue)

async function download(page, testid) {
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 20_000 }),
    page.locator(`[data-testid=${testid}]`).click(),
  ]);
  return { name: file.suggestedFilename(), path: await file.path() };
}

async function wayList(page) {
  return page.locator('[data-testid=way-list] li[data-way-id]').evaluateAll((items) =>
    items.map((item) => ({
      id: item.getAttribute('data-way-id'),
      clusters: item.getAttribute('data-clusters'),
      name: item.querySelector('[data-testid=way-name]')?.textContent,
    })),
  );
}

/** Creates a way and ticks the two largest clusters into it; resolves to its id and the clusters. */
async function createWayWithTwoClusters(page) {
  const before = await wayList(page);
  await page.locator('[data-testid=way-name-input]').fill(WAY_NAME);
  await page.locator('[data-testid=create-way]').click();
  const item = page.locator('[data-testid=way-list] li[data-way-id]').filter({ hasText: 'Grøn' });
  await item.waitFor();
  const id = await item.getAttribute('data-way-id');
  assert.ok(!before.some((way) => way.id === id), 'a new id');
  const clusters = (await clusterList(page)).filter((c) => c.id >= 0).sort((a, b) => b.size - a.size).slice(0, 2);
  assert.equal(clusters.length, 2);
  for (const cluster of clusters) {
    await page
      .locator(`[data-testid=cluster-list] li[data-cluster-id="${cluster.id}"] input.way-tick[data-way-id="${id}"]`)
      .check();
  }
  const expected = clusters.map((c) => c.id).sort((a, b) => a - b).join(',');
  await page.locator(`[data-testid=way-list] li[data-way-id="${id}"][data-clusters="${expected}"]`).waitFor();
  return { id, clusters: expected };
}

describe('ways and exports', () => {
  const app = useApp();

  it('a new way with two clusters shows in the list, on the axis and in the SVG', { timeout: 120_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      assert.equal((await loadExample(page)).status, 'ready');
      const way = await createWayWithTwoClusters(page);
      await page.locator(`[data-testid=axis] [data-way-id="${way.id}"]`).filter({ hasText: WAY_NAME }).waitFor();

      // Focusing it from the axis marks it focused in the list; clicking again unfocuses.
      await page.locator(`[data-testid=axis] [data-way-id="${way.id}"]`).click();
      await page.locator(`[data-testid=way-list] li.focused[data-way-id="${way.id}"]`).waitFor();
      await page.locator(`[data-testid=axis] [data-way-id="${way.id}"]`).click();
      await page.locator('[data-testid=way-list] li.focused').waitFor({ state: 'detached' });

      const svg = await download(page, 'export-svg');
      assert.match(svg.name, /\.svg$/);
      const text = readFileSync(svg.path, 'utf8');
      assert.ok(!text.includes('<script'), 'markup in a name must be escaped');
      assert.ok(text.includes('Grøn &lt;script&gt;alert(1)&lt;/script&gt; &amp; co'), 'the way is in the key');
      assert.ok(text.toLowerCase().includes(`fill="${WAY_COLOUR}"`), 'its colour is drawn');
      // The browser's own XML parser must accept it, and find the way's name as text.
      const parsed = await page.evaluate((source) => {
        const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
        const error = doc.querySelector('parsererror');
        return {
          error: error ? error.textContent : null,
          root: doc.documentElement.localName,
          circles: doc.querySelectorAll('circle').length,
          texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
        };
      }, text);
      assert.equal(parsed.error, null);
      assert.equal(parsed.root, 'svg');
      assert.ok(parsed.circles > 100, `${parsed.circles} points drawn`);
      assert.ok(parsed.texts.includes(WAY_NAME), parsed.texts.join(' | '));

      const png = await download(page, 'export-png');
      const bytes = readFileSync(png.path);
      assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
      const width = bytes.readUInt32BE(16);
      const mapWidth = await page.locator('[data-testid=map]').evaluate((c) => c.getBoundingClientRect().width);
      assert.ok(Math.abs(width - 2 * mapWidth) <= 2, `PNG ${width} px wide for a ${mapWidth} px map`);
    } finally {
      await context.close();
    }
  });

  it('a project file brings back the same clusters, labels and ways in a fresh page', { timeout: 120_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      assert.equal((await loadExample(page)).status, 'ready');
      await createWayWithTwoClusters(page);
      const clusters = await clusterList(page);
      const ways = await wayList(page);
      const points = await page.locator('[data-testid=app]').getAttribute('data-points');

      const project = await download(page, 'export-project');
      assert.equal(project.name, 'vejkort-project.json');
      const saved = readFileSync(project.path, 'utf8');
      assert.ok(saved.startsWith('{"format":"vejkort-project"'));

      await page.reload();
      await page.locator('[data-testid=app][data-status=empty]').waitFor();
      const dir = tempDir();
      const file = join(dir, 'workshop.vejkort.json');
      // A view setting of some newer Vejkort, which this one must keep and write back.
      assert.ok(saved.includes('"view":{'));
      writeFileSync(file, saved.replace('"view":{', '"view":{"future_setting":42,'));
      await page.locator('input[type=file][data-testid=file-input]').setInputFiles(file);
      await page.locator(`[data-testid=app][data-status=ready][data-points="${points}"]`).waitFor({ timeout: 30_000 });
      // No analysis ran: the status never passed through "working".
      assert.ok(!(await page.evaluate(() => window.__vejkortE2E.log)).includes('working'));
      assert.deepEqual(await clusterList(page), clusters);
      assert.deepEqual(await wayList(page), ways);
      // Saved again, it holds the same curated map and history, and the newer setting.
      const again = JSON.parse(readFileSync((await download(page, 'export-project')).path, 'utf8'));
      const first = JSON.parse(saved);
      for (const part of ['data', 'positions', 'space', 'curation', 'history', 'options']) {
        assert.deepEqual(again[part], first[part], part);
      }
      assert.equal(again.view.future_setting, 42);

      // A project from a newer Vejkort is refused by name and version; the restored map stays.
      const future = join(dir, 'from-the-future.json');
      writeFileSync(future, saved.replace('"version":1,', '"version":7,'));
      await page.locator('input[type=file][data-testid=file-input]').setInputFiles(future);
      await page.locator('[data-testid=app][data-status=error]').waitFor({ timeout: 15_000 });
      const message = await errorText(page);
      assert.match(message, /from-the-future\.json/);
      assert.match(message, /newer Vejkort: version 7, this app reads up to 1/);
      assert.equal(await page.locator('[data-testid=app]').getAttribute('data-points'), points);
      assert.deepEqual(await wayList(page), ways);
    } finally {
      await context.close();
    }
  });

  it('ways are renamed, described, recoloured, reordered, deleted and the axis renamed', { timeout: 120_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      assert.equal((await loadExample(page)).status, 'ready');
      const order = async () =>
        page.locator('[data-testid=axis] [data-way-id]').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-way-id')));
      const start = await order();
      assert.equal(start.length, 4);
      const [first, second] = start;
      const item = (id) => page.locator(`[data-testid=way-list] li[data-way-id="${id}"]`);

      await item(first).locator('[data-testid=edit-way]').click();
      await item(first).locator('[data-testid=way-rename-input]').fill('Mindre er mere');
      await item(first).locator('[data-testid=way-description-input]').fill('Enklere & bedre');
      await item(first).locator('[data-testid=save-way]').click();
      await item(first).locator('[data-testid=way-name]').filter({ hasText: 'Mindre er mere' }).waitFor();
      await item(first).locator('.way-description').filter({ hasText: 'Enklere & bedre' }).waitFor();
      await page.locator(`[data-testid=axis] [data-way-id="${first}"]`).filter({ hasText: 'Mindre er mere' }).waitFor();

      // Another way's name is refused with a message, and nothing changes.
      await item(second).locator('[data-testid=edit-way]').click();
      await item(second).locator('[data-testid=way-rename-input]').fill('Mindre er mere');
      await item(second).locator('[data-testid=save-way]').click();
      assert.match(await page.locator('[data-testid=way-error]').textContent(), /already a way named "Mindre er mere"/);
      await item(second).locator('[data-testid=edit-way]').click();

      // The colour picker recolours the way on the axis.
      await item(first).locator('[data-testid=edit-way]').click();
      await item(first).locator('[data-testid=way-colour-input]').evaluate((input) => {
        input.value = '#123456';
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await page.locator(`[data-testid=axis] [data-way-id="${first}"][data-colour="#123456"]`).waitFor();

      // Down by button, then back up by keyboard.
      await item(first).locator('[data-testid=move-way-down]').click();
      await page.waitForFunction(
        ([a, b]) => [...document.querySelectorAll('[data-testid=axis] [data-way-id]')].map((c) => c.dataset.wayId).slice(0, 2).join() === `${b},${a}`,
        [first, second],
      );
      await item(first).locator('[data-testid=move-way-up]').focus();
      await page.keyboard.press('Alt+ArrowUp');
      await page.waitForFunction(
        (a) => document.querySelector('[data-testid=axis] [data-way-id]')?.dataset.wayId === a,
        first,
      );
      assert.deepEqual(await order(), start);

      await page.locator('[data-testid=axis-start-input]').evaluate((input) => input.closest('details').open = true);
      await page.locator('[data-testid=axis-start-input]').fill('Nu');
      await page.locator('[data-testid=axis-end-input]').fill('Fremtiden');
      await page.locator('[data-testid=name-axis]').click();
      await page.locator('[data-testid=axis-start]').filter({ hasText: 'Nu' }).waitFor();
      await page.locator('[data-testid=axis-end]').filter({ hasText: 'Fremtiden' }).waitFor();

      await item(second).locator('[data-testid=edit-way]').click();
      await item(second).locator('[data-testid=delete-way]').click();
      await item(second).locator('[data-testid=confirm-delete-way]').click();
      await item(second).waitFor({ state: 'detached' });
      assert.deepEqual(await order(), start.filter((id) => id !== second));
    } finally {
      await context.close();
    }
  });
});
