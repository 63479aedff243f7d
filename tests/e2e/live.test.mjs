// Live statements: during a workshop new statements are placed into the map on screen, one at a time, without
// moving any existing point, each into the cluster of the statement it nearly copies and within the time budget;
// "re-run layout" then analyses everything again with the new statements as ordinary rows.
//
// The expected cluster of each new statement is read from the app's own export *before* it is placed (the
// cluster of the statement it copies), so the oracle does not come from the placement under test. Times are
// measured in the page with performance.now() (data-place-ms: from sending the request to the worker to having
// its answer; data-worker-ms: the worker's embedding and placing) and printed; the 300 ms budget of the issue is
// reported, and asserted only generously, since this machine's load varies by an order of magnitude.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { appNumbers, loadExample, openApp, parseDelimited, runJob, useApp } from './support.mjs';

const BUDGET_MS = 300;

async function exportCsv(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid=export-csv]').click(),
  ]);
  const [header, ...records] = parseDelimited(readFileSync(await download.path(), 'utf8'));
  const column = (name) => header.indexOf(name);
  return { header, records, column };
}

/**
 * Five statements, nearly copied, spread over the largest clusters: the first members of the five largest, or,
 * when the map has fewer clusters (how many depends on the vectoriser and the seed), the next members of the
 * largest ones in turn, so the five copies always come from at least two clusters.
 */
function nearCopies(exported) {
  const { records, column } = exported;
  const [cluster, text] = [column('cluster'), column('udsagn')];
  const members = new Map();
  for (const record of records) {
    if (record[cluster] !== '-1') members.set(record[cluster], [...(members.get(record[cluster]) ?? []), record]);
  }
  const largest = [...members.entries()]
    .sort((a, b) => b[1].length - a[1].length || Number(a[0]) - Number(b[0]))
    .slice(0, 5);
  assert.ok(largest.length >= 2, `the example has at least two clusters (found ${largest.length})`);
  return Array.from({ length: 5 }, (_, i) => {
    const [id, sources] = largest[i % largest.length];
    const source = sources[Math.floor(i / largest.length)];
    // A filler word in front: a workshop participant saying the same thing again.
    return { text: `Altså, ${source[text]}`, expectedCluster: Number(id), source: source[text] };
  });
}

async function placeOne(page, text, already) {
  await page.locator('[data-testid=live-input]').fill(text);
  await page.locator('[data-testid=live-place]').click();
  await page.locator('[data-testid=live-new]').nth(already).waitFor({ timeout: 60_000 });
  // The list shows the newest first.
  const newest = page.locator('[data-testid=live-new]').first();
  return {
    point: Number(await newest.getAttribute('data-point')),
    cluster: Number(await newest.getAttribute('data-cluster-id')),
    placeMs: Number(await newest.getAttribute('data-place-ms')),
    workerMs: Number(await newest.getAttribute('data-worker-ms')),
  };
}

async function placeFiveWithoutMovingAnything(page, label, generousLimitMs) {
  const before = await exportCsv(page);
  const pointsBefore = (await appNumbers(page)).points;
  assert.equal(before.records.length, pointsBefore);
  const statements = nearCopies(before);

  const placed = [];
  for (const [i, statement] of statements.entries()) {
    const result = await placeOne(page, statement.text, i);
    assert.equal(result.point, pointsBefore + i, 'a new statement is a new point after the existing ones');
    placed.push({ ...statement, ...result });
  }
  assert.equal((await appNumbers(page)).points, pointsBefore + 5);

  console.log(`\nLive statements (${label}), budget ${BUDGET_MS} ms per statement:`);
  console.log('  #  round trip ms  worker ms  cluster  expected');
  for (const [i, p] of placed.entries()) {
    console.log(
      `  ${i + 1}  ${p.placeMs.toFixed(1).padStart(13)}  ${p.workerMs.toFixed(1).padStart(9)}  ${String(p.cluster).padStart(7)}  ${String(p.expectedCluster).padStart(8)}`,
    );
  }
  const within = placed.filter((p) => p.placeMs <= BUDGET_MS).length;
  console.log(`  ${within} of 5 within ${BUDGET_MS} ms (round trip); median ${median(placed.map((p) => p.placeMs)).toFixed(1)} ms`);

  for (const p of placed) {
    assert.ok(p.placeMs > 0 && p.workerMs >= 0, 'times were measured');
    assert.ok(p.placeMs < generousLimitMs, `"${p.text}" took ${p.placeMs} ms`);
    assert.equal(p.cluster, p.expectedCluster, `"${p.text}" joined cluster ${p.cluster}, its source is in ${p.expectedCluster}`);
  }

  const after = await exportCsv(page);
  assert.equal(after.records.length, pointsBefore + 5);
  const [x, y, cluster, text] = ['x', 'y', 'cluster', 'udsagn'].map(after.column);
  // Every existing point is exactly where it was: the export writes each coordinate in the shortest form that
  // reads back to the same float, so equal text is equal bits.
  for (let i = 0; i < pointsBefore; i++) {
    assert.equal(after.records[i][x], before.records[i][x], `point ${i + 1} moved in x`);
    assert.equal(after.records[i][y], before.records[i][y], `point ${i + 1} moved in y`);
  }
  // The new statements are rows of the data, in their clusters, with their text.
  for (const [i, p] of placed.entries()) {
    const row = after.records[pointsBefore + i];
    assert.equal(row[text], p.text);
    assert.equal(Number(row[cluster]), p.expectedCluster);
    assert.ok(Number.isFinite(Number(row[x])) && Number.isFinite(Number(row[y])));
  }
  return { pointsBefore, placed };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('live statements', () => {
  const app = useApp();

  it('places five statements with TF-IDF without moving the map, then re-runs the layout with them', async () => {
    const { context, page, requests, problems } = await openApp(app.browser, app.server.url);
    try {
      await loadExample(page);
      const { pointsBefore } = await placeFiveWithoutMovingAnything(page, 'TF-IDF', 5_000);

      // The clusters count their new members.
      const sizes = await page
        .locator('[data-testid=cluster-list] li[data-cluster-id]')
        .evaluateAll((items) => items.reduce((sum, item) => sum + Number(item.getAttribute('data-size')), 0));
      assert.equal(sizes, pointsBefore + 5, 'cluster sizes (noise included) add up to every point');

      // A batch can be taken back as a whole, and placed again.
      await placeOne(page, 'kind: an English sentence about nothing in particular', 5);
      assert.equal((await appNumbers(page)).points, pointsBefore + 6);
      await page.locator('[data-testid=live-remove]').click();
      await page.locator('[data-testid=live-new]').nth(5).waitFor({ state: 'detached' });
      assert.equal((await appNumbers(page)).points, pointsBefore + 5);

      // Ctrl+Enter places from the keyboard.
      await page.locator('[data-testid=live-input]').fill('Altså, vi mangler hænder i ældreplejen.');
      await page.locator('[data-testid=live-input]').press('Control+Enter');
      await page.locator('[data-testid=live-new]').nth(5).waitFor();
      assert.equal((await appNumbers(page)).points, pointsBefore + 6);

      // Re-run: a whole analysis of every statement, animated, after which the new ones are ordinary rows.
      const rerun = await runJob(page, () => page.locator('[data-testid=rerun-layout]').click());
      assert.equal(rerun.status, 'ready', rerun.error ?? '');
      assert.equal(rerun.points, pointsBefore + 6);
      assert.ok(Number(await page.locator('[data-testid=map]').getAttribute('data-live-frames')) > 0, 'the layout animated');
      assert.equal(await page.locator('[data-testid=live-new]').count(), 0, 'after a re-run nothing is new');
      const rerunExport = await exportCsv(page);
      const text = rerunExport.column('udsagn');
      assert.ok(rerunExport.records.some((r) => r[text] === 'Altså, vi mangler hænder i ældreplejen.'));
      // Statements can be placed into the re-run map too.
      await placeOne(page, 'Altså, flere hænder i plejen.', 0);

      assert.deepEqual(problems, []);
      const origin = new URL(app.server.url).origin;
      assert.deepEqual(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')), []);
    } finally {
      await context.close();
    }
  });

  it('places five statements with the language model without moving the map', { timeout: 900_000 }, async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url, { vectoriser: 'model' });
    try {
      const loaded = await loadExample(page, { timeout: 840_000 });
      assert.equal(loaded.status, 'ready', loaded.error ?? '');
      await placeFiveWithoutMovingAnything(page, 'language model', 20_000);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
