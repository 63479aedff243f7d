// Loading real data through the file input and by drag and drop: texts (CSV, XLSX) and vectors (Embedding
// Projector pair, .npy). Every expected count is computed here from the files themselves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  useApp, openApp, upload, runJob, clusterList, readCsv, countWithText, npyShape, readXlsx,
  parseDelimited, tempDir, SHARED_DATA, ROOT, EXAMPLE_CSV, EXAMPLE_TEXT_COLUMN,
} from './support.mjs';

const BOWLING_GREEN = join(SHARED_DATA, 'polis', 'american-assembly.bowling-green', 'comments.csv');
const EMBEDDINGS = join(SHARED_DATA, 'embeddings', 'bowling-green_all-MiniLM-L6-v2');
const SURVEY_XLSX = join(ROOT, 'crates', 'engine', 'tests', 'fixtures', 'survey.xlsx');
const DANISH_AGENDAS = join(SHARED_DATA, 'danish_agendas', 'test_agendas.csv');

/** Checks the invariants every ready map keeps: clusters listed, sizes adding up to the points. */
async function assertConsistentMap(page, result, expectedPoints) {
  assert.equal(result.status, 'ready', `expected a ready map, got ${result.status}: ${result.error}`);
  assert.equal(result.points, expectedPoints, 'data-points');
  const clusters = await clusterList(page);
  const real = clusters.filter((c) => c.id >= 0);
  assert.ok(result.clusters >= 2, `at least 2 clusters, got ${result.clusters}`);
  assert.equal(real.length, result.clusters, 'cluster-list items (noise excluded) = data-clusters');
  assert.equal(new Set(clusters.map((c) => c.id)).size, clusters.length, 'cluster ids are unique');
  assert.equal(clusters.reduce((sum, c) => sum + c.size, 0), expectedPoints, 'cluster sizes sum to the points');
  assert.ok(clusters.every((c) => c.size > 0 && c.label !== ''), 'every cluster has points and a label');
  return clusters;
}

describe('loading files', () => {
  const app = useApp();

  it('maps the Bowling Green Polis export (comments.csv)', { timeout: 180_000 }, async () => {
    const { header, rows } = readCsv(BOWLING_GREEN);
    assert.ok(header.includes('comment-body'));
    const expected = countWithText(rows, 'comment-body');
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const result = await upload(page, [BOWLING_GREEN]);
      console.log(`Bowling Green comments.csv (${expected} statements): ${Math.round(result.ms)} ms`);
      await assertConsistentMap(page, result, expected);
      assert.equal(await page.locator('[data-testid=text-column]').inputValue(), 'comment-body');
      const summary = await page.locator('[data-testid=summary]').textContent();
      assert.match(summary, new RegExp(`\\b${expected}\\b`), `summary "${summary}" gives the number of points`);
    } finally {
      await context.close();
    }
  });

  it('maps the Embedding Projector pair vectors.tsv + metadata.tsv uploaded together', { timeout: 180_000 }, async () => {
    const vectors = readFileSync(join(EMBEDDINGS, 'vectors.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const metadata = parseDelimited(readFileSync(join(EMBEDDINGS, 'metadata.tsv'), 'utf8'), '\t');
    assert.equal(vectors.length, 896, 'the data set has 896 vectors');
    assert.equal(metadata.length - 1, vectors.length, 'one metadata row per vector after the header');
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const result = await upload(page, [join(EMBEDDINGS, 'vectors.tsv'), join(EMBEDDINGS, 'metadata.tsv')]);
      console.log(`vectors.tsv + metadata.tsv (${vectors.length} vectors): ${Math.round(result.ms)} ms`);
      await assertConsistentMap(page, result, vectors.length);
    } finally {
      await context.close();
    }
  });

  it('maps embeddings.npy + metadata.csv uploaded together', { timeout: 180_000 }, async () => {
    const [count] = npyShape(join(EMBEDDINGS, 'embeddings.npy'));
    const { rows } = readCsv(join(EMBEDDINGS, 'metadata.csv'));
    assert.equal(count, 896);
    assert.equal(rows.length, count);
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const result = await upload(page, [join(EMBEDDINGS, 'embeddings.npy'), join(EMBEDDINGS, 'metadata.csv')]);
      console.log(`embeddings.npy + metadata.csv (${count} vectors): ${Math.round(result.ms)} ms`);
      await assertConsistentMap(page, result, count);
    } finally {
      await context.close();
    }
  });

  it('reads the first sheet of an XLSX workbook and re-runs on another sheet', { timeout: 180_000 }, async () => {
    const sheets = readXlsx(SURVEY_XLSX);
    const [first] = sheets;
    // "Vektorer" is the other sheet with statements (column "tekst", beside ten numeric columns).
    const other = sheets.find((s) => s.name === 'Vektorer');
    const withText = (sheet, column) => {
      const index = sheet.rows[0].indexOf(column);
      assert.ok(index >= 0, `${sheet.name} has column ${column}`);
      return sheet.rows.slice(1).filter((row) => (row[index] ?? '').trim() !== '').length;
    };
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const result = await upload(page, [SURVEY_XLSX]);
      assert.equal(result.status, 'ready', `first sheet: ${result.error}`);
      assert.equal(await page.locator('[data-testid=text-column]').inputValue(), 'Svar', 'the statements column');
      assert.equal(result.points, withText(first, 'Svar'));
      const sheetSelect = page.locator('[data-testid=sheet]');
      assert.deepEqual(
        await sheetSelect.locator('option').evaluateAll((options) => options.map((o) => o.value)),
        sheets.map((s) => s.name),
        'the sheet choice offers every sheet in workbook order',
      );
      assert.equal(await sheetSelect.inputValue(), first.name, 'the first sheet is read by default');
      assert.equal(await page.locator('[data-testid=cluster-list] li[data-cluster-id]').count(), result.clusters);

      const rerun = await runJob(page, () => sheetSelect.selectOption(other.name));
      assert.equal(rerun.status, 'ready', `sheet ${other.name}: ${rerun.error}`);
      assert.equal(await page.locator('[data-testid=sheet]').inputValue(), other.name);
      assert.equal(rerun.points, withText(other, 'tekst'));
      const columns = await page
        .locator('[data-testid=text-column] option')
        .evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
      assert.ok(columns.includes('tekst'), `text column choices come from ${other.name}: ${columns}`);
      assert.ok(!columns.includes('Svar'), `no column of ${first.name} is left: ${columns}`);
    } finally {
      await context.close();
    }
  });

  it('maps a CSV dropped onto the app (drag and drop)', { timeout: 180_000 }, async () => {
    const text = readFileSync(DANISH_AGENDAS, 'utf8');
    const { rows } = readCsv(DANISH_AGENDAS);
    const expected = countWithText(rows, 'text');
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const transfer = await page.evaluateHandle((content) => {
        const data = new DataTransfer();
        data.items.add(new File([content], 'dagsordener.csv', { type: 'text/csv' }));
        return data;
      }, text);
      const app = page.locator('[data-testid=app]');
      const result = await runJob(page, async () => {
        await app.dispatchEvent('dragenter', { dataTransfer: transfer });
        await app.dispatchEvent('dragover', { dataTransfer: transfer });
        await app.dispatchEvent('drop', { dataTransfer: transfer });
      });
      console.log(`dropped test_agendas.csv (${expected} Danish texts): ${Math.round(result.ms)} ms`);
      await assertConsistentMap(page, result, expected);
    } finally {
      await context.close();
    }
  });

  it('maps JSON (array of objects) and JSON Lines built from the example, with the kind counted', { timeout: 180_000 }, async () => {
    const { rows: records } = readCsv(EXAMPLE_CSV);
    const causes = records.filter((record) => record.type === 'årsag').length;
    const dir = tempDir();
    const json = join(dir, 'svar.json');
    const jsonLines = join(dir, 'svar.jsonl');
    writeFileSync(json, JSON.stringify(records));
    writeFileSync(jsonLines, records.map((record) => JSON.stringify(record)).join('\n'));
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      for (const file of [json, jsonLines]) {
        const result = await upload(page, [file]);
        await assertConsistentMap(page, result, countWithText(records, EXAMPLE_TEXT_COLUMN));
        assert.equal(await page.locator('[data-testid=text-column]').inputValue(), EXAMPLE_TEXT_COLUMN);
        assert.equal(await page.locator('[data-testid=kind-column]').inputValue(), 'type');
        const counts = await page.locator('[data-testid=kind-counts]').textContent();
        assert.match(counts, new RegExp(`årsag ${causes}\\b`), `kind counts "${counts}"`);
      }
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
