// Reading the map: search, the lasso and its exported selection, a pinned point's card, and the statement table.
// Expectations come from the example CSV as read here, never from the app's own output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useApp, openApp, loadExample, readExample, parseDelimited, hoverUntilTooltip, EXAMPLE_TEXT_COLUMN } from './support.mjs';

describe('reading the map', () => {
  const app = useApp();
  const example = readExample();
  const statements = example.rows.filter((row) => (row[EXAMPLE_TEXT_COLUMN] ?? '').trim() !== '');
  const texts = new Set(statements.map((row) => row[EXAMPLE_TEXT_COLUMN]));

  async function withExample(run) {
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    try {
      const loaded = await loadExample(page);
      assert.equal(loaded.status, 'ready', loaded.error);
      assert.equal(loaded.points, example.points);
      await run(page, loaded);
      assert.deepEqual(problems, [], 'no console errors');
    } finally {
      await context.close();
    }
  }

  it('search counts the statements that contain a word, in any column and any case', { timeout: 120_000 }, async () => {
    await withExample(async (page, loaded) => {
      const word = 'Ældre';
      const expected = statements.filter((row) =>
        example.header.some((name) => (row[name] ?? '').toLowerCase().includes(word.toLowerCase())),
      ).length;
      assert.ok(expected > 0 && expected < loaded.points, `the word is in some statements (${expected})`);

      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'search', '/ focuses search');
      await page.keyboard.type(word);
      const count = page.locator('[data-testid=search-count]');
      await page.locator(`[data-testid=search-count][data-count="${expected}"]`).waitFor({ timeout: 10_000 });
      assert.match(await count.textContent(), new RegExp(`^${expected} of ${loaded.points}`));
      // Enter flies to the matches; the map must still be there and nothing must break.
      await page.keyboard.press('Enter');

      // The table lists only the matches.
      await page.locator('[data-testid=show-table]').click();
      const rows = page.locator('[data-testid=table] tbody tr');
      await page.locator(`[data-testid=table-count][data-shown="${expected}"]`).waitFor();
      assert.equal(await rows.count(), Math.min(expected, 200));
      for (const text of await rows.locator('td.statement-cell').allTextContents()) {
        const row = statements.find((r) => r[EXAMPLE_TEXT_COLUMN] === text);
        assert.ok(row, `"${text}" is a statement of the example`);
        assert.ok(Object.values(row).some((cell) => cell.toLowerCase().includes(word.toLowerCase())), `"${text}" matches`);
      }

      // Emptying the box shows everything again.
      await page.locator('[data-testid=search]').fill('');
      await page.locator(`[data-testid=table-count][data-shown="${loaded.points}"]`).waitFor();
      assert.equal(await count.getAttribute('data-count'), null);
    });
  });

  it('the lasso selects the points inside its path, and the exported selection has exactly those', { timeout: 120_000 }, async () => {
    await withExample(async (page) => {
      const selection = page.locator('[data-testid=selection]');
      assert.equal(await selection.getAttribute('data-count'), '0');
      const lasso = page.locator('[data-testid=lasso]');
      await lasso.click();
      await page.locator('[data-testid=lasso][aria-pressed=true]').waitFor();

      // A freehand loop around the middle of the map.
      const box = await page.locator('[data-testid=map]').boundingBox();
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      const r = Math.min(box.width, box.height) * 0.3;
      await page.mouse.move(cx + r, cy);
      await page.mouse.down();
      for (let step = 1; step <= 24; step += 1) {
        const angle = (step / 24) * 2 * Math.PI;
        await page.mouse.move(cx + r * Math.cos(angle), cy + r * Math.sin(angle), { steps: 2 });
      }
      await page.mouse.up();
      await page.locator('[data-testid=selection]:not([data-count="0"])').waitFor({ timeout: 10_000 });
      const count = Number(await selection.getAttribute('data-count'));
      assert.ok(count > 0, 'some points are inside');
      assert.ok(count < example.points, 'not every point is inside a loop around the middle');

      // The listed statements are verbatim statements of the example.
      for (const text of (await selection.locator('.selection-list li').allTextContents()).slice(0, 20)) {
        assert.ok(texts.has(text), `"${text}" is verbatim`);
      }

      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        page.locator('[data-testid=export-selection]').click(),
      ]);
      assert.match(download.suggestedFilename(), /selection\.csv$/);
      const [header, ...records] = parseDelimited(readFileSync(await download.path(), 'utf8'));
      assert.equal(records.length, count, 'one exported row per selected point');
      const column = header.indexOf(EXAMPLE_TEXT_COLUMN);
      assert.ok(column >= 0, 'the statements are exported');
      for (const record of records) assert.ok(texts.has(record[column]), `"${record[column]}" is verbatim`);

      // The table marks the selected rows.
      await page.locator('[data-testid=show-table]').click();
      // In input order the table's first window holds rows 1–200; the export's id is the row number.
      await page.locator('[data-testid=table]').waitFor();
      const ids = records.map((record) => Number(record[header.indexOf('id')]));
      const marked = await page
        .locator('[data-testid=table] tbody tr[aria-selected=true]')
        .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-point')) + 1));
      assert.deepEqual(marked.sort((a, b) => a - b), ids.filter((id) => id <= 200).sort((a, b) => a - b));
    });
  });

  it('clicking a point pins its card with the verbatim statement and five neighbours; Escape closes it', { timeout: 120_000 }, async () => {
    await withExample(async (page) => {
      const spot = await hoverUntilTooltip(page);
      assert.ok(spot, 'a point can be hovered');
      const hovered = (await page.locator('[data-testid=tooltip] .tooltip-text').textContent()).replace(/^“|”$/g, '');
      await page.mouse.click(spot.x, spot.y);
      const card = page.locator('[data-testid=point-card]');
      await card.waitFor({ timeout: 10_000 });
      const text = await card.locator('[data-testid=point-card-text]').textContent();
      assert.equal(text, hovered, 'the card shows the clicked point');
      assert.ok(texts.has(text), 'verbatim');
      const neighbours = card.locator('[data-testid=point-neighbours] li button');
      assert.equal(await neighbours.count(), 5);

      // A neighbour pins its own card.
      const next = await neighbours.first().textContent();
      const nextPoint = await neighbours.first().getAttribute('data-point');
      await neighbours.first().click();
      await page.locator(`[data-testid=point-card][data-point="${nextPoint}"]`).waitFor();
      assert.equal(await card.locator('[data-testid=point-card-text]').textContent(), next);

      await page.keyboard.press('Escape');
      await card.waitFor({ state: 'detached' });

      // Without a mouse: Enter on the focused map pins the statement nearest its centre; L switches the lasso.
      await page.locator('[data-testid=map]').focus();
      await page.keyboard.press('Enter');
      await card.waitFor();
      assert.ok(texts.has(await card.locator('[data-testid=point-card-text]').textContent()), 'verbatim');
      await page.keyboard.press('Escape');
      await card.waitFor({ state: 'detached' });
      await page.keyboard.press('l');
      await page.locator('[data-testid=lasso][aria-pressed=true]').waitFor();
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=lasso][aria-pressed=false]').waitFor();
    });
  });

  it('the table sorts by cluster, and the keyboard selects and pins rows', { timeout: 120_000 }, async () => {
    await withExample(async (page, loaded) => {
      await page.locator('[data-testid=show-table]').click();
      const table = page.locator('[data-testid=table]');
      await table.waitFor();
      const rows = table.locator('tbody tr');
      assert.equal(await rows.count(), Math.min(200, loaded.points), 'a window of rows, not all');
      if (loaded.points > 200) await page.locator('[data-testid=show-more]').waitFor();

      const header = table.locator('th[data-sort=cluster]');
      await header.locator('button').click();
      await table.locator('th[data-sort=cluster][aria-sort=ascending]').waitFor();
      const labels = (await table.locator('tbody tr td[data-cluster-id]').allTextContents()).map((l) => l.toLowerCase());
      assert.ok(new Set(labels).size > 1, 'more than one cluster shown');
      for (let i = 1; i < labels.length; i += 1) assert.ok(labels[i - 1] <= labels[i], `row ${i} in order`);
      await header.locator('button').click();
      await table.locator('th[data-sort=cluster][aria-sort=descending]').waitFor();
      const reversed = (await table.locator('tbody tr td[data-cluster-id]').allTextContents()).map((l) => l.toLowerCase());
      for (let i = 1; i < reversed.length; i += 1) assert.ok(reversed[i - 1] >= reversed[i], `row ${i} in reverse order`);

      // Space ticks a row into the selection; Enter pins its card.
      const point = await rows.nth(3).getAttribute('data-point');
      const row = table.locator(`tbody tr[data-point="${point}"]`);
      await row.focus();
      await page.keyboard.press(' ');
      await table.locator(`tbody tr[data-point="${point}"][aria-selected=true]`).waitFor();
      await page.locator('[data-testid=selection][data-count="1"]').waitFor();
      await page.keyboard.press('Enter');
      const card = page.locator('[data-testid=point-card]');
      await page.locator(`[data-testid=point-card][data-point="${point}"]`).waitFor();
      assert.equal(
        await card.locator('[data-testid=point-card-text]').textContent(),
        await row.locator('td.statement-cell').textContent(),
      );
    });
  });

  it('a filter dims the points of a kind left out, and the table lists only the rest', { timeout: 120_000 }, async () => {
    await withExample(async (page, loaded) => {
      const filters = page.locator('[data-testid=filters]');
      await filters.waitFor();
      const kinds = [...new Set(statements.map((row) => row.type))];
      assert.ok(kinds.length > 1, 'the example has several kinds');
      const left = kinds[0];
      const expected = statements.filter((row) => row.type !== left).length;
      await filters.locator(`input[type=checkbox][data-value="${left}"]`).first().uncheck();
      await page.locator('[data-testid=filters][data-active=true]').waitFor();
      await page.locator('[data-testid=show-table]').click();
      await page.locator(`[data-testid=table-count][data-shown="${expected}"]`).waitFor();
      // Dimmed, not hidden: the map still has every point.
      assert.equal(Number(await page.locator('[data-testid=app]').getAttribute('data-points')), loaded.points);
      await page.locator('[data-testid=filter-reset]').click();
      await page.locator(`[data-testid=table-count][data-shown="${loaded.points}"]`).waitFor();
    });
  });
});
