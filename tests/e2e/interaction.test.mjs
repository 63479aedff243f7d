// Working with a map: export, ways, column and cluster-count choices, language, zoom, hover and the legend.
// Expectations come from the example CSV as read here, never from the app's own output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  useApp, openApp, loadExample, runJob, clusterList, readExample, parseDelimited, countWithText,
  waitForStableCanvas, hoverUntilTooltip, EXAMPLE_TEXT_COLUMN,
} from './support.mjs';

const OWN_COLUMNS = ['id', 'x', 'y', 'cluster', 'label', 'ways'];

/** Clicks Export CSV and parses the download. */
async function exportCsv(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15_000 }),
    page.locator('[data-testid=export-csv]').click(),
  ]);
  const [header, ...records] = parseDelimited(readFileSync(await download.path(), 'utf8'));
  return { name: download.suggestedFilename(), header, records };
}

describe('working with a map', () => {
  const app = useApp();
  const example = readExample();


  async function withExample(run, query = '') {
    const { context, page } = await openApp(app.browser, app.server.url + query);
    try {
      const loaded = await loadExample(page);
      assert.equal(loaded.status, 'ready', loaded.error);
      assert.equal(loaded.points, example.points);
      await run(page, loaded);
    } finally {
      await context.close();
    }
  }

  it('exports one CSV row per point, and a cluster ticked into a way carries its name', { timeout: 120_000 }, async () => {
    await withExample(async (page, loaded) => {
      const clusters = await clusterList(page);
      const exported = await exportCsv(page);
      assert.match(exported.name, /\.csv$/);
      const expectedHeader = [
        ...OWN_COLUMNS,
        ...example.header.map((name) => (OWN_COLUMNS.includes(name) ? `input_${name}` : name)),
      ];
      assert.deepEqual(expectedHeader.slice(6), ['input_id', 'respondent', 'kommune', 'type', 'udsagn']);
      assert.deepEqual(exported.header, expectedHeader);
      assert.equal(exported.records.length, loaded.points, 'one row per point');

      const column = (name) => exported.header.indexOf(name);
      const ids = new Set(clusters.map((c) => String(c.id)));
      for (const [i, record] of exported.records.entries()) {
        assert.equal(record.length, expectedHeader.length, `row ${i + 2} has every column`);
        assert.ok(Number.isFinite(Number(record[column('x')])) && record[column('x')] !== '', `x of row ${i + 2}`);
        assert.ok(Number.isFinite(Number(record[column('y')])) && record[column('y')] !== '', `y of row ${i + 2}`);
        assert.ok(ids.has(record[column('cluster')]), `cluster ${record[column('cluster')]} is in the cluster list`);
        assert.equal(record[column('ways')], '', 'no ways yet');
      }
      // The input columns come through unchanged, in input order (every example row has text).
      assert.deepEqual(exported.records.map((r) => r.slice(6)), example.records);
      for (const cluster of clusters) {
        const rows = exported.records.filter((r) => r[column('cluster')] === String(cluster.id));
        assert.equal(rows.length, cluster.size, `cluster ${cluster.id} has data-size rows`);
      }

      // Tick the first cluster into "Join forces" (way 3).
      const way = page.locator('[data-testid=way-list] li[data-way-id="3"]');
      assert.match(await way.textContent(), /Join forces/);
      const chosen = clusters[0];
      const tick = page.locator(
        `[data-testid=cluster-list] li[data-cluster-id="${chosen.id}"] input.way-tick[data-way-id="3"]`,
      );
      assert.equal(await tick.isChecked(), false);
      await tick.check();
      await page.waitForFunction(
        (id) => {
          const value = document.querySelector('[data-testid=way-list] li[data-way-id="3"]')?.getAttribute('data-clusters');
          return value !== null && value !== undefined && value.split(',').includes(String(id));
        },
        chosen.id,
        { timeout: 5_000 },
      );
      const again = await exportCsv(page);
      assert.equal(again.records.length, loaded.points);
      for (const record of again.records) {
        const ways = record[column('ways')].split(';').map((w) => w.trim()).filter(Boolean);
        if (record[column('cluster')] === String(chosen.id)) assert.deepEqual(ways, ['Join forces']);
        else assert.deepEqual(ways, [], `cluster ${record[column('cluster')]} is in no way`);
      }
    });
  });

  it('re-runs with a chosen number of clusters and another text column', { timeout: 180_000 }, async () => {
    await withExample(async (page, loaded) => {
      const labelsBefore = (await clusterList(page)).map((c) => c.label);
      const five = await runJob(page, () => page.locator('[data-testid=cluster-count]').selectOption('5'));
      assert.equal(five.status, 'ready', five.error);
      assert.equal(five.clusters, 5);
      assert.equal(five.points, loaded.points);
      assert.equal((await clusterList(page)).filter((c) => c.id >= 0).length, 5);
      assert.equal(await page.locator('[data-testid=cluster-count]').inputValue(), '5');
      const labelsFive = (await clusterList(page)).map((c) => c.label);

      const byKommune = await runJob(page, () => page.locator('[data-testid=text-column]').selectOption('kommune'));
      assert.equal(byKommune.status, 'ready', byKommune.error);
      assert.equal(await page.locator('[data-testid=text-column]').inputValue(), 'kommune');
      assert.equal(byKommune.points, countWithText(example.rows, 'kommune'));
      const clusters = await clusterList(page);
      assert.ok(clusters.length >= 2);
      assert.equal(clusters.reduce((sum, c) => sum + c.size, 0), byKommune.points);
      const labels = clusters.map((c) => c.label);
      assert.notDeepEqual(labels, labelsFive, 'the clusters changed with the text column');
      assert.notDeepEqual(labels, labelsBefore);
      // The labels now come from municipality names, not from the statements.
      const kommuner = new Set(example.rows.map((r) => r.kommune.toLowerCase()));
      const words = labels.join(' ').toLowerCase().split(/[^\p{L}\p{N}-]+/u).filter(Boolean);
      assert.ok(words.some((w) => [...kommuner].some((k) => k.includes(w))), `labels from kommune: ${labels}`);
    });
  });

  it('follows the browser language and switches on request', { timeout: 60_000 }, async () => {
    for (const [locale, expected, other] of [
      ['da-DK', 'Indlæs eksempel', 'Load example'],
      ['en-GB', 'Load example', 'Indlæs eksempel'],
    ]) {
      const { context, page } = await openApp(app.browser, app.server.url, { locale });
      try {
        const button = page.locator('[data-testid=load-example]');
        assert.equal((await button.textContent()).trim(), expected, `${locale}`);
        await page.locator('[data-testid=language]').click();
        await page.waitForFunction(
          (other) => document.querySelector('[data-testid=load-example]').textContent.trim() === other,
          other,
          { timeout: 5_000 },
        );
      } finally {
        await context.close();
      }
    }
  });

  it('zooms and resets the map, shows statements on hover, highlights from the legend', { timeout: 120_000 }, async () => {
    await withExample(async (page) => {
      const statements = example.rows.map((r) => r[EXAMPLE_TEXT_COLUMN].trim()).filter(Boolean);
      const map = page.locator('[data-testid=map]');
      // WebGL2 where the browser has it (headless Chromium does, through SwiftShader), Canvas2D otherwise.
      const renderer = await map.getAttribute('data-renderer');
      assert.ok(['webgl2', 'canvas2d'].includes(renderer), `renderer ${renderer}`);
      console.log(`map drawn with ${renderer}`);

      // Zoom: the pixels change; reset brings back exactly the first image.
      await waitForStableCanvas(page);
      await page.evaluate(() => {
        window.__original = document.querySelector('[data-testid=map]').toDataURL();
      });
      await page.locator('[data-testid=zoom-in]').click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid=map]').toDataURL() !== window.__original,
        undefined,
        { timeout: 5_000 },
      );
      await page.locator('[data-testid=zoom-reset]').click();
      await waitForStableCanvas(page);
      assert.ok(
        await page.evaluate(() => document.querySelector('[data-testid=map]').toDataURL() === window.__original),
        'zoom-reset restores the original image',
      );
      await page.locator('[data-testid=zoom-out]').click();
      await waitForStableCanvas(page);
      await page.locator('[data-testid=zoom-reset]').click();
      await waitForStableCanvas(page);

      // Hover: scan until a point is under the pointer; the tooltip shows one of the example's statements.
      const found = await hoverUntilTooltip(page);
      assert.ok(found, 'a point was found under the pointer');
      console.log(`tooltip found after ${found.moves} pointer moves`);
      const tooltip = (await page.locator('[data-testid=tooltip]').textContent()).replace(/\s+/g, ' ');
      const shown = statements.filter((s) => tooltip.includes(s.replace(/\s+/g, ' ')));
      assert.ok(shown.length >= 1, `tooltip "${tooltip}" shows a statement of the example`);

      // Legend: a click highlights the cluster (and only it); a second click clears it.
      await page.mouse.move(0, 0);
      const entries = page.locator('[data-testid=cluster-list] li[data-cluster-id] button.cluster-entry');
      assert.ok((await entries.count()) >= 2);
      const pressed = () => entries.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-pressed')));
      assert.ok((await pressed()).every((p) => p === 'false'));
      await entries.nth(1).click();
      await page.locator('[data-testid=cluster-list] li[data-cluster-id] button.cluster-entry[aria-pressed=true]').waitFor({ timeout: 5_000 });
      assert.deepEqual(await pressed(), (await pressed()).map((_, i) => (i === 1 ? 'true' : 'false')));
      await entries.nth(1).click();
      await page.waitForFunction(
        () => [...document.querySelectorAll('[data-testid=cluster-list] button.cluster-entry')].every((b) => b.getAttribute('aria-pressed') === 'false'),
        undefined,
        { timeout: 5_000 },
      );
    });
  });

  it('draws with Canvas2D when ?renderer=canvas2d asks for it: zoom changes the image, hover finds a statement', { timeout: 120_000 }, async () => {
    await withExample(async (page) => {
      const map = page.locator('[data-testid=map]');
      assert.equal(await map.getAttribute('data-renderer'), 'canvas2d');
      await waitForStableCanvas(page);
      const before = await page.evaluate(() => document.querySelector('[data-testid=map]').toDataURL());
      await page.locator('[data-testid=zoom-in]').click();
      await waitForStableCanvas(page);
      assert.notEqual(await page.evaluate(() => document.querySelector('[data-testid=map]').toDataURL()), before);
      await page.locator('[data-testid=zoom-reset]').click();
      await waitForStableCanvas(page);
      assert.ok(await hoverUntilTooltip(page), 'a point was found under the pointer');
    }, '?renderer=canvas2d');
  });
});
