// The corners view: one map per kind of statement side by side, and brushing by respondent across them.
// Expectations come from the CSVs as read here, never from the app's own output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  useApp, openApp, loadExample, upload, readExample, tempDir, toCsv, EXAMPLE_TEXT_COLUMN,
} from './support.mjs';

/** The kind-count line ("årsag 230 · løsning 112") as { kind: count }. */
async function kindCounts(page) {
  const text = (await page.locator('[data-testid=kind-counts]').textContent()).trim();
  return Object.fromEntries(
    text.split('·').map((part) => {
      const match = part.trim().match(/^(.*)\s+([\d.,]+)$/);
      return [match[1], Number(match[2].replace(/[.,]/g, ''))];
    }),
  );
}

/** The corner maps as [{ kind, points, brushed }]. */
async function corners(page) {
  return page.locator('[data-testid=kind-map]').evaluateAll((maps) =>
    maps.map((m) => ({
      kind: m.getAttribute('data-kind'),
      points: Number(m.getAttribute('data-points')),
      brushed: Number(m.getAttribute('data-brushed')),
    })),
  );
}

/**
 * Moves the mouse over one corner's canvas, from its centre outwards, until that corner's tooltip shows.
 * Resolves to the tooltip's statement and metadata ({ text, fields: { column: value } }) or null.
 */
async function hoverCorner(page, kind, step = 10) {
  const corner = page.locator(`[data-testid=kind-map][data-kind="${kind}"]`);
  const box = await corner.locator('canvas.map').boundingBox();
  const tooltip = corner.locator('[data-testid=tooltip]');
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const spots = [];
  for (let y = box.y + step / 2; y < box.y + box.height; y += step) {
    for (let x = box.x + step / 2; x < box.x + box.width; x += step) spots.push({ x, y });
  }
  spots.sort((a, b) => Math.hypot(a.x - centre.x, a.y - centre.y) - Math.hypot(b.x - centre.x, b.y - centre.y));
  for (const spot of spots.slice(0, 3000)) {
    await page.mouse.move(spot.x, spot.y);
    if ((await tooltip.count()) > 0) {
      const shown = await tooltip.evaluate((t) => ({
        text: t.querySelector('.tooltip-text')?.textContent ?? '',
        fields: Object.fromEntries([...t.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])),
      }));
      return { ...shown, at: spot };
    }
  }
  return null;
}

describe('corners: one map per kind', () => {
  const app = useApp();
  const example = readExample();
  const withText = example.rows.filter((row) => row[EXAMPLE_TEXT_COLUMN].trim() !== '');

  it('shows one map per kind whose counts match the data, and brushes a respondent across them', { timeout: 150_000 }, async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    try {
      const loaded = await loadExample(page);
      assert.equal(loaded.status, 'ready', loaded.error);
      assert.equal(await page.locator('[data-testid=kind-map]').count(), 0, 'the single map shows first');
      assert.equal(await page.locator('[data-testid=map]').count(), 1);

      await page.locator('[data-testid=view-corners]').click();
      await page.locator('[data-testid=kind-map]').first().waitFor();
      assert.equal(await page.locator('[data-testid=view-corners]').getAttribute('aria-pressed'), 'true');
      const maps = await corners(page);
      const expected = {};
      for (const row of withText) expected[row.type.trim() || '–'] = (expected[row.type.trim() || '–'] ?? 0) + 1;
      assert.deepEqual(Object.fromEntries(maps.map((m) => [m.kind, m.points])), expected, 'a corner per kind, counted');
      assert.deepEqual(Object.fromEntries(maps.map((m) => [m.kind, m.points])), await kindCounts(page));
      assert.equal(maps.reduce((sum, m) => sum + m.points, 0), loaded.points, 'the corners hold every statement');
      assert.equal(await page.locator('[data-testid=map]').count(), 1, 'still exactly one [data-testid=map]');
      assert.equal(await page.locator('[data-testid=brush-note]').count(), 0, 'nothing brushed yet');
      for (const kind of Object.keys(expected)) {
        const title = await page.locator(`[data-testid=kind-map][data-kind="${kind}"] .corner-title`).textContent();
        assert.ok(title.includes(kind) && title.includes(String(expected[kind])), `title "${title}" names ${kind}`);
      }

      // Hover a cause: the note counts every statement of its respondent, across all corners.
      const hit = await hoverCorner(page, 'årsag');
      assert.ok(hit, 'a point of the årsag map was found under the pointer');
      const row = withText.find((r) => hit.text.includes(r[EXAMPLE_TEXT_COLUMN].trim()));
      assert.ok(row, `the tooltip "${hit.text}" shows a statement of the example`);
      assert.equal(row.type, 'årsag', 'the årsag map only offers causes');
      assert.equal(hit.fields.respondent, row.respondent);
      const theirs = withText.filter((r) => r.respondent === row.respondent);
      const note = page.locator('[data-testid=brush-note]');
      await note.waitFor();
      assert.equal(Number(await note.getAttribute('data-statements')), theirs.length, 'statements of the respondent');
      assert.equal(Number(await note.getAttribute('data-respondents')), 1);
      assert.match(await note.textContent(), new RegExp(`${theirs.length} statements? by 1 respondent`));
      const brushed = await corners(page);
      for (const m of brushed) {
        assert.equal(m.brushed, theirs.filter((r) => r.type === m.kind).length, `brushed in the ${m.kind} corner`);
      }

      // A click pins the brush: it stays when the pointer leaves, and Escape clears it.
      await page.mouse.click(hit.at.x, hit.at.y);
      await page.mouse.move(1, 1);
      assert.equal(Number(await note.getAttribute('data-statements')), theirs.length, 'the pinned brush stays');
      await page.keyboard.press('Escape');
      await note.waitFor({ state: 'detached' });
      assert.ok((await corners(page)).every((m) => m.brushed === 0), 'Escape cleared the brush');

      // From the keyboard: Tab reaches each corner's map; Enter brushes the statement nearest its centre.
      await page.locator('[data-testid=kind-map][data-kind="løsning"] canvas.map').focus();
      const focusedMap = () =>
        page.evaluate(() =>
          document.activeElement.matches('canvas.map')
            ? document.activeElement.closest('[data-testid=kind-map]')?.getAttribute('data-kind')
            : null,
        );
      for (let presses = 0; presses < 10 && (await focusedMap()) !== 'årsag'; presses += 1) {
        await page.keyboard.press('Shift+Tab');
      }
      assert.equal(await focusedMap(), 'årsag', 'Shift+Tab from the løsning map reaches the årsag map');
      await page.keyboard.press('Enter');
      const keyed = page.locator('[data-testid=kind-map][data-kind="årsag"] [data-testid=tooltip]');
      await keyed.waitFor();
      const keyedText = await keyed.locator('.tooltip-text').textContent();
      const keyedRow = withText.find((r) => keyedText.includes(r[EXAMPLE_TEXT_COLUMN].trim()));
      assert.ok(keyedRow, `Enter showed "${keyedText}", a statement of the example`);
      await note.waitFor();
      assert.equal(
        Number(await note.getAttribute('data-statements')),
        withText.filter((r) => r.respondent === keyedRow.respondent).length,
      );
      await page.keyboard.press('Escape');
      await note.waitFor({ state: 'detached' });
      assert.equal(await keyed.count(), 0, 'Escape hid the statement too');

      // Back to one map.
      await page.locator('[data-testid=view-single]').click();
      await page.locator('[data-testid=kind-map]').first().waitFor({ state: 'detached' });
      assert.equal(await page.locator('[data-testid=map]').count(), 1);
      assert.deepEqual(problems, [], 'console errors');
    } finally {
      await context.close();
    }
  });

  it('turns the corners off without a kind column, and brushing off without a respondent column', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const noKind = join(dir, 'no-kind.csv');
    writeFileSync(noKind, toCsv([['kommune', 'udsagn'], ...withText.map((r) => [r.kommune, r.udsagn])]));
    const noRespondent = join(dir, 'no-respondent.csv');
    writeFileSync(noRespondent, toCsv([['type', 'udsagn'], ...withText.map((r) => [r.type, r.udsagn])]));

    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const first = await upload(page, [noKind]);
      assert.equal(first.status, 'ready', first.error);
      const toggle = page.locator('[data-testid=view-corners]');
      assert.ok(await toggle.isDisabled(), 'no kinds, no corners');
      assert.match(await page.locator('[data-testid=corners-unavailable]').textContent(), /kind column/);
      assert.match(await toggle.getAttribute('title'), /kind column/);
      assert.equal(await page.locator('[data-testid=kind-map]').count(), 0);

      const second = await upload(page, [noRespondent]);
      assert.equal(second.status, 'ready', second.error);
      assert.ok(await toggle.isEnabled());
      await toggle.click();
      await page.locator('[data-testid=kind-map]').first().waitFor();
      assert.equal(await page.locator('[data-testid=kind-map]').count(), new Set(withText.map((r) => r.type)).size);
      assert.match(await page.locator('[data-testid=brush-unavailable]').textContent(), /respondent column/);
      // Pointing at a statement shows it but brushes nothing.
      const hit = await hoverCorner(page, 'løsning');
      assert.ok(hit, 'a point of the løsning map was found');
      assert.equal(await page.locator('[data-testid=brush-note]').count(), 0);
    } finally {
      await context.close();
    }
  });
});
