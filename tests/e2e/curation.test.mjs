// Curating the machine's map: renaming, merging, splitting, the cluster card, undo and redo, the change log.
// Expectations come from the cluster list before each edit and from the example CSV, never from the edit's own
// report.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useApp, openApp, loadExample, clusterList, readExample, parseDelimited, EXAMPLE_TEXT_COLUMN } from './support.mjs';

const entry = (id) => `[data-testid=cluster-list] li[data-cluster-id="${id}"]`;

async function exportCsv(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15_000 }),
    page.locator('[data-testid=export-csv]').click(),
  ]);
  const [header, ...records] = parseDelimited(readFileSync(await download.path(), 'utf8'));
  return { header, records };
}

async function clusterCount(page) {
  return Number(await page.locator('[data-testid=app]').getAttribute('data-clusters'));
}

async function waitForClusterCount(page, count) {
  await page.locator(`[data-testid=app][data-clusters="${count}"]`).waitFor({ timeout: 10_000 });
}

/** The list as "id:size" strings (label text left out: it includes the size text). */
const shape = (clusters) => clusters.map((c) => `${c.id}:${c.size}`);

async function logLines(page) {
  return page.locator('[data-testid=change-log] li').evaluateAll((items) =>
    items.map((item) => ({ text: item.textContent.trim(), undone: item.getAttribute('data-undone') === 'true' })),
  );
}

describe('curating the map', () => {
  const app = useApp();
  const example = readExample();

  it('renames, merges, undoes, redoes and splits clusters, and logs every step', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    try {
      const loaded = await loadExample(page);
      assert.equal(loaded.status, 'ready', loaded.error);
      const start = await clusterList(page);
      const named = start.filter((c) => c.id >= 0);
      assert.ok(named.length >= 3, `the example has at least three clusters, not ${named.length}`);
      assert.equal(await clusterCount(page), named.length);
      for (const c of named) {
        assert.equal(await page.locator(entry(c.id)).getAttribute('data-provenance'), 'machine');
      }
      assert.equal(await page.locator('[data-testid=undo]').isDisabled(), true, 'nothing to undo yet');
      assert.equal(await page.locator('[data-testid=redo]').isDisabled(), true, 'nothing to redo yet');

      // Rename a cluster: an empty name is refused with a message, Escape cancels, Enter saves.
      const [a, b] = named;
      const name = 'Hænder nok i plejen';
      const machineLabel = await page.locator(`${entry(a.id)} .cluster-label`).textContent();
      await page.locator(`${entry(a.id)} [data-testid=rename-cluster]`).click();
      const input = page.locator(`${entry(a.id)} [data-testid=cluster-name-input]`);
      await input.fill('   ');
      await input.press('Enter');
      await page.locator('[data-testid=edit-error]').waitFor();
      assert.match(await page.locator('[data-testid=edit-error]').textContent(), /empty/i);
      await input.press('Escape');
      await input.waitFor({ state: 'detached' });
      assert.equal(await page.locator(`${entry(a.id)} .cluster-label`).textContent(), machineLabel, 'Escape keeps the label');
      assert.equal(await page.locator(entry(a.id)).getAttribute('data-provenance'), 'machine');

      await page.locator(`${entry(a.id)} [data-testid=rename-cluster]`).click();
      await input.fill(name);
      await input.press('Enter');
      await page.locator(`${entry(a.id)}[data-provenance=person]`).waitFor();
      assert.equal(await page.locator(`${entry(a.id)} .cluster-label`).textContent(), name);
      assert.equal(await page.locator('[data-testid=edit-error]').count(), 0, 'a saved edit clears the refusal');
      assert.equal(await page.locator(`${entry(a.id)} .provenance[role=img]`).getAttribute('aria-label'), 'Named by a person');

      // The export carries the person's name for exactly that cluster's rows.
      const exported = await exportCsv(page);
      const col = (n) => exported.header.indexOf(n);
      const rowsOfA = exported.records.filter((r) => r[col('cluster')] === String(a.id));
      assert.equal(rowsOfA.length, a.size);
      assert.ok(rowsOfA.every((r) => r[col('label')] === name), 'every row of the renamed cluster has the name');
      assert.ok(
        exported.records.filter((r) => r[col('cluster')] !== String(a.id)).every((r) => r[col('label')] !== name),
        'no other row has it',
      );

      // The card of the renamed cluster quotes statements of that cluster verbatim.
      await page.locator(`${entry(a.id)} .cluster-entry`).click();
      const card = page.locator('[data-testid=cluster-card]');
      await card.waitFor();
      assert.match(await card.textContent(), new RegExp(name));
      assert.match(await card.textContent(), /Share of respondents/);
      const quotes = await card.locator('[data-testid=representative]').allTextContents();
      assert.equal(quotes.length, Math.min(3, a.size));
      const text = example.header.indexOf(EXAMPLE_TEXT_COLUMN);
      const statementsOfA = new Set(rowsOfA.map((r) => r[col(EXAMPLE_TEXT_COLUMN)]));
      for (const quote of quotes) {
        assert.ok(example.records.some((r) => r[text] === quote), `"${quote}" is a statement of the data, verbatim`);
        assert.ok(statementsOfA.has(quote), `"${quote}" is in the cluster`);
      }
      await page.locator(`${entry(a.id)} .cluster-entry`).click(); // un-highlight, so split acts on the selection
      await card.waitFor({ state: 'detached' });

      // Merge two clusters: one cluster fewer, sizes add up, the person's name wins.
      const merge = page.locator('[data-testid=merge-clusters]');
      await page.locator(`${entry(a.id)} [data-testid=select-cluster]`).check();
      assert.equal(await merge.isDisabled(), true, 'merging needs two');
      await page.locator(`${entry(b.id)} [data-testid=select-cluster]`).check();
      assert.equal(await merge.isDisabled(), false);
      await merge.click();
      await waitForClusterCount(page, named.length - 1);
      const merged = await clusterList(page);
      const keeper = a.size > b.size || (a.size === b.size && a.id < b.id) ? a : b;
      const gone = keeper === a ? b : a;
      assert.equal(merged.find((c) => c.id === keeper.id)?.size, a.size + b.size, 'the sizes add up');
      assert.equal(merged.find((c) => c.id === gone.id), undefined, 'the other cluster is gone');
      assert.equal(await page.locator(`${entry(keeper.id)} .cluster-label`).textContent(), name);
      assert.equal(
        merged.reduce((sum, c) => sum + c.size, 0),
        start.reduce((sum, c) => sum + c.size, 0),
        'every statement is still on the map',
      );

      // Undo: back to before the merge, the rename kept; redo: merged again; then the same by keyboard.
      await page.locator('[data-testid=undo]').click();
      await waitForClusterCount(page, named.length);
      assert.deepEqual(shape(await clusterList(page)), shape(start));
      assert.equal(await page.locator(`${entry(a.id)} .cluster-label`).textContent(), name);
      assert.equal(await page.locator(`${entry(a.id)}`).getAttribute('data-provenance'), 'person');
      let log = await logLines(page);
      assert.equal(log.length, 2);
      assert.match(log[0].text, new RegExp(`Renamed .* to “${name}”`));
      assert.equal(log[0].undone, false);
      assert.match(log[1].text, /^Merged cluster/);
      assert.equal(log[1].undone, true, 'the undone merge is marked');
      assert.equal(await page.locator('[data-testid=redo]').isDisabled(), false);

      await page.locator('[data-testid=redo]').click();
      await waitForClusterCount(page, named.length - 1);
      assert.equal((await clusterList(page)).find((c) => c.id === keeper.id)?.size, a.size + b.size);
      assert.ok((await logLines(page)).every((line) => !line.undone));

      await page.locator('body').press('Control+z');
      await waitForClusterCount(page, named.length);
      await page.locator('body').press('Control+Shift+Z');
      await waitForClusterCount(page, named.length - 1);
      await page.locator('body').press('Control+z');
      await waitForClusterCount(page, named.length);
      await page.locator('body').press('Control+y');
      await waitForClusterCount(page, named.length - 1);

      // Split the merged cluster: one cluster more, its statements shared between two new ids.
      await page.locator(`${entry(keeper.id)} .cluster-entry`).click();
      const split = page.locator('[data-testid=split-cluster]');
      assert.equal(await split.isDisabled(), false);
      const before = await clusterList(page);
      await split.click();
      await waitForClusterCount(page, named.length);
      const after = await clusterList(page);
      assert.equal(after.find((c) => c.id === keeper.id), undefined, 'the split cluster retires its id');
      const fresh = after.filter((c) => !before.some((old) => old.id === c.id));
      assert.equal(fresh.length, 2);
      assert.equal(fresh[0].size + fresh[1].size, a.size + b.size);
      log = await logLines(page);
      assert.equal(log.length, 3);
      assert.match(log[2].text, /^Split “/);
      assert.ok(log.every((line) => !line.undone));

      // The log follows the language.
      await page.locator('[data-testid=language]').click();
      await page.locator('html[lang=da]').waitFor();
      log = await logLines(page);
      assert.match(log[0].text, /^Omdøbte /);
      assert.match(log[1].text, /^Slog klynge/);
      assert.match(log[2].text, /^Delte /);
      assert.equal(await page.locator('[data-testid=undo]').textContent(), 'Fortryd');

      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
