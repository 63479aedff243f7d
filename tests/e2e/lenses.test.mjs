// The scale and conflict lenses, and the Polis import they read votes from.
// Expectations come from the input files as read here (the example CSV; Polis's own comment_group_stats.csv,
// computed by Polis from the votes) joined with the app's exported assignments, never from the app's numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  useApp, openApp, upload, loadExample, readCsv, readExample, parseDelimited, waitForStableCanvas,
  SHARED_DATA,
} from './support.mjs';

const POLIS = join(SHARED_DATA, 'polis', 'bg2050-volunteers');

async function exportCsv(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 15_000 }),
    page.locator('[data-testid=export-csv]').click(),
  ]);
  const [header, ...records] = parseDelimited(readFileSync(await download.path(), 'utf8'));
  return records.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])));
}

/** The entries of a lens list as objects of their data attributes. */
function listed(page, testid) {
  return page.locator(`[data-testid=${testid}] li[data-cluster-id]`).evaluateAll((items) =>
    items.map((item) => Object.fromEntries([...item.attributes].filter((a) => a.name.startsWith('data-'))
      .map((a) => [a.name.slice(5), a.value]))),
  );
}

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

describe('lenses', () => {
  const app = useApp();

  it('imports a Polis conversation and ranks clusters by the group gaps Polis reports', { timeout: 150_000 }, async () => {
    const comments = readCsv(join(POLIS, 'comments.csv')).rows;
    const accepted = comments.filter((row) => row.moderated !== '-1');
    const stats = new Map(readCsv(join(POLIS, 'comment_group_stats.csv')).rows.map((row) => [row.comment_id, row]));
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    try {
      const loaded = await upload(page, [join(POLIS, 'comments.csv'), join(POLIS, 'participants-votes.csv')]);
      assert.equal(loaded.status, 'ready', loaded.error);
      assert.equal(loaded.points, accepted.length, 'one point per accepted comment; the vote matrix adds none');
      const warnings = await page.locator('[data-testid=warnings]').textContent();
      assert.match(warnings, new RegExp(`left out ${comments.length - accepted.length} comments the moderators rejected`));

      await page.locator('[data-testid=lens-conflict]').click();
      assert.equal(await page.locator('[data-testid=lens-conflict]').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('[data-testid=conflict-basis]').getAttribute('data-basis'), 'votes');
      const divisive = await listed(page, 'conflict-list');
      const shared = await listed(page, 'shared-list');
      assert.ok(divisive.length >= 3, `at least three clusters ranked, got ${divisive.length}`);

      // Per cluster, from the export and Polis's statistics: the mean gap and consensus of its statements.
      const rows = await exportCsv(page);
      assert.equal(rows.length, accepted.length);
      const byCluster = new Map();
      for (const row of rows) {
        if (row.cluster === '-1' || row.cluster === '') continue;
        const stat = stats.get(row['comment-id']);
        assert.ok(stat, `Polis has statistics for comment ${row['comment-id']}`);
        const list = byCluster.get(row.cluster) ?? [];
        list.push(stat);
        byCluster.set(row.cluster, list);
      }
      const polis = [...byCluster].map(([cluster, members]) => ({
        cluster,
        gap: mean(members.map((s) => Number(s.group_disagreement))),
        consensus: mean(members.map((s) => Number(s.group_informed_consensus))),
      }));
      polis.sort((a, b) => b.gap - a.gap);
      assert.ok(polis.length >= 4, `enough clusters to rank (${polis.length})`);
      const topThree = polis.slice(0, 3).map((c) => c.cluster);
      const top = divisive[0];
      assert.ok(topThree.includes(top['cluster-id']), `the most divisive cluster ${top['cluster-id']} is among Polis's top three by gap: ${JSON.stringify(polis.slice(0, 3))}`);
      // Each listed figure is the mean of Polis's per-statement figures (rounded there to 3 and 4 decimals).
      for (const entry of divisive) {
        const expected = polis.find((c) => c.cluster === entry['cluster-id']);
        assert.ok(Math.abs(Number(entry.divisiveness) - expected.gap) < 1e-3, `cluster ${entry['cluster-id']}: ${entry.divisiveness} vs ${expected.gap}`);
      }
      for (const entry of shared) {
        const expected = polis.find((c) => c.cluster === entry['cluster-id']);
        assert.ok(Math.abs(Number(entry.shared) - expected.consensus) < 1e-3, `cluster ${entry['cluster-id']}: ${entry.shared} vs ${expected.consensus}`);
      }
      const mostShared = [...polis].sort((a, b) => b.consensus - a.consensus)[0];
      assert.equal(shared[0]['cluster-id'], mostShared.cluster, 'the most shared cluster has the highest consensus');

      // Colouring by conflict repaints the map.
      await waitForStableCanvas(page);
      const before = await page.locator('[data-testid=map]').screenshot();
      await page.locator('[data-testid=colour-by-conflict]').check();
      await waitForStableCanvas(page);
      const after = await page.locator('[data-testid=map]').screenshot();
      assert.notDeepEqual(after, before, 'the map is drawn in other colours');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('charts the scale of each cluster from the example\'s respondents and municipalities', { timeout: 150_000 }, async () => {
    const example = readExample();
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    try {
      const loaded = await loadExample(page);
      assert.equal(loaded.status, 'ready', loaded.error);
      await page.locator('[data-testid=lens-scale]').click();
      const bars = await listed(page, 'scale-bars');
      assert.equal(bars.length, loaded.clusters, 'a bar per cluster');

      // The export says which statement (by the example's own id) is in which cluster; the example says who
      // wrote it, and in which municipality.
      const rows = await exportCsv(page);
      const byId = new Map(example.rows.map((row) => [row.id, row]));
      const clusters = new Map();
      for (const row of rows) {
        const source = byId.get(row.input_id);
        assert.ok(source, `exported statement ${row.input_id} is in the example`);
        const entry = clusters.get(row.cluster) ?? { statements: 0, respondents: new Set(), groups: new Set() };
        entry.statements += 1;
        if (source.respondent.trim()) entry.respondents.add(source.respondent.trim());
        if (source.kommune.trim()) entry.groups.add(source.kommune.trim());
        clusters.set(row.cluster, entry);
      }
      for (const bar of bars) {
        const expected = clusters.get(bar['cluster-id']);
        assert.ok(expected, `cluster ${bar['cluster-id']} is in the export`);
        assert.equal(Number(bar.statements), expected.statements, `cluster ${bar['cluster-id']}: statements`);
        assert.equal(Number(bar.respondents), expected.respondents.size, `cluster ${bar['cluster-id']}: respondents`);
        assert.equal(Number(bar.groups), expected.groups.size, `cluster ${bar['cluster-id']}: municipalities`);
      }
      const sizes = bars.map((bar) => Number(bar.statements));
      assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'largest first');

      // Without votes, the conflict lens reads the group column instead.
      await page.locator('[data-testid=lens-conflict]').click();
      assert.equal(await page.locator('[data-testid=conflict-basis]').getAttribute('data-basis'), 'group-column');
      assert.ok((await listed(page, 'conflict-list')).length > 0);

      // Sizing points by scale repaints the map.
      await waitForStableCanvas(page);
      const before = await page.locator('[data-testid=map]').screenshot();
      await page.locator('[data-testid=lens-scale]').click();
      await page.locator('[data-testid=size-by-scale]').check();
      await waitForStableCanvas(page);
      assert.notDeepEqual(await page.locator('[data-testid=map]').screenshot(), before);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
