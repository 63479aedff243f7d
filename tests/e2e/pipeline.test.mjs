// The default pipeline in the browser (neighbour graph → UMAP → HDBSCAN), the map moving while UMAP converges,
// and the method choices: k-means, the PCA map, the smallest cluster.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useApp, openApp, upload, runJob, clusterList, readCsv, SHARED_DATA } from './support.mjs';

const BOWLING_GREEN = join(SHARED_DATA, 'polis', 'american-assembly.bowling-green', 'comments.csv');

describe('the analysis pipeline in the browser', () => {
  const app = useApp();

  it('lays out with UMAP while the map animates, clusters with HDBSCAN, and switches methods', { timeout: 600_000 }, async () => {
    const { context, page, requests, problems } = await openApp(app.browser, app.server.url);
    try {
      const statements = readCsv(BOWLING_GREEN).rows.filter((r) => (r['comment-body'] ?? '').trim() !== '').length;
      const first = await upload(page, [BOWLING_GREEN], { timeout: 300_000 });
      assert.equal(first.status, 'ready', first.error);
      assert.equal(first.points, statements);

      // UMAP sent its converging layout to the map, and the finished map replaced it.
      const map = page.locator('[data-testid=map]');
      assert.ok(Number(await map.getAttribute('data-live-frames')) >= 10, 'intermediate layouts were shown');
      assert.equal(await map.getAttribute('data-live'), 'false');
      assert.equal(await page.locator('[data-testid=layout]').inputValue(), 'umap');
      assert.equal(await page.locator('[data-testid=algorithm]').inputValue(), 'hdbscan');
      assert.match(await page.locator('[data-testid=summary]').textContent(), /UMAP/);

      // HDBSCAN leaves outliers: they have their own entry, and every point is counted once.
      const clusters = await clusterList(page);
      assert.equal(clusters.filter((c) => c.id >= 0).length, first.clusters);
      assert.equal(clusters.reduce((sum, c) => sum + c.size, 0), statements);

      // A larger smallest cluster gives fewer clusters.
      const coarse = await runJob(page, () => page.locator('[data-testid=min-cluster-size]').selectOption('50'), { timeout: 300_000 });
      assert.equal(coarse.status, 'ready', coarse.error);
      assert.ok(coarse.clusters < first.clusters, `${coarse.clusters} clusters at 50 vs ${first.clusters} automatic`);

      // k-means with a chosen k assigns every point, so there is no outlier entry.
      const kmeans = await runJob(page, () => page.locator('[data-testid=cluster-count]').selectOption('6'), { timeout: 300_000 });
      assert.equal(kmeans.clusters, 6);
      assert.equal(await page.locator('[data-testid=algorithm]').inputValue(), 'kmeans');
      assert.equal(await page.locator('[data-testid=cluster-list] li[data-cluster-id="-1"]').count(), 0);

      // The PCA map is instant and sends no intermediate layouts.
      const pca = await runJob(page, () => page.locator('[data-testid=layout]').selectOption('pca'), { timeout: 300_000 });
      assert.equal(pca.status, 'ready', pca.error);
      assert.match(await page.locator('[data-testid=summary]').textContent(), /PCA/);
      assert.equal(await map.getAttribute('data-live-frames'), '0');

      const origin = new URL(app.server.url).origin;
      assert.deepEqual(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
