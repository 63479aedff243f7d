// Texts embedded in the browser by the multilingual sentence-embedding model the app serves itself: counted
// progress while it works, a map of Danish statements labelled in Danish, every request on the origin, and the
// model fetched once per browser, then taken from the browser's cache.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useApp, openApp, loadExample, upload, readExample, tempDir, EXAMPLE_TEXT_COLUMN } from './support.mjs';

const MODEL_FILE = 'models/e5-small-q4.bin';
// Embedding runs at a few statements per second on one wasm thread of a loaded two-core machine.
const LIMIT = 20 * 60_000;

/** Every stage label and counted-progress text the page shows while a job runs. */
function watchProgress(page) {
  const seen = { stages: new Set(), rates: [] };
  const timer = setInterval(async () => {
    try {
      const stage = page.locator('[data-testid=progress-stage]');
      if ((await stage.count()) > 0) seen.stages.add((await stage.textContent()).trim());
      const rate = page.locator('[data-testid=progress-rate]');
      if ((await rate.count()) > 0) seen.rates.push((await rate.textContent()).trim());
    } catch {
      // The panel disappears when the job ends; a read racing that is no failure.
    }
  }, 250);
  return { seen, stop: () => clearInterval(timer) };
}

describe('the language model in the browser', () => {
  const app = useApp();

  it('embeds the Danish example with counted progress, labels it in Danish, and caches the model', { timeout: LIMIT }, async () => {
    const { context, page, requests, problems } = await openApp(app.browser, app.server.url, { vectoriser: 'model' });
    // Counted once per request here: the shared request log hears the page and the context, so it lists a
    // worker's request twice.
    let modelFetches = 0;
    context.on('request', (request) => {
      if (request.url().endsWith(MODEL_FILE)) modelFetches += 1;
    });
    try {
      assert.equal(await page.locator('[data-testid=vectoriser]').count(), 0, 'method choices appear with a map');
      const watch = watchProgress(page);
      const result = await loadExample(page, { timeout: LIMIT });
      watch.stop();
      const { rows } = readExample();
      assert.equal(result.status, 'ready', `expected a map, got ${result.status}: ${result.error}`);
      assert.equal(result.points, rows.filter((r) => r[EXAMPLE_TEXT_COLUMN].trim() !== '').length);
      assert.ok(result.clusters >= 2, `clusters: ${result.clusters}`);

      const summary = await page.locator('[data-testid=summary]').textContent();
      assert.match(summary, /language model/, summary);
      assert.equal(await page.locator('[data-testid=vectoriser]').inputValue(), 'model');
      assert.ok([...watch.seen.stages].some((s) => /meaning/.test(s)), `stages: ${[...watch.seen.stages]}`);
      assert.ok(
        watch.seen.rates.some((r) => new RegExp(`of ${result.points}`).test(r)),
        `counted progress names the statements: ${watch.seen.rates.slice(0, 5)}`,
      );

      // Labels are words of the statements themselves: Danish, with Danish letters somewhere among them.
      const labels = await page.locator('[data-testid=cluster-list] li[data-cluster-id] .cluster-label').allTextContents();
      const words = new Set(rows.flatMap((r) => r[EXAMPLE_TEXT_COLUMN].toLowerCase().match(/[\p{L}]+/gu) ?? []));
      const named = labels.filter((l) => l !== 'Outside any cluster');
      for (const label of named) {
        for (const term of label.split(', ')) assert.ok(words.has(term), `"${term}" of "${label}" is a word of the data`);
      }
      assert.ok(named.join(' ').match(/[æøå]/), `some label has æ, ø or å: ${named}`);

      const origin = new URL(app.server.url).origin;
      assert.deepEqual(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')), []);
      assert.equal(modelFetches, 1, 'the model is fetched once');
      assert.deepEqual(problems, []);

      // A second visit in the same browser embeds without downloading: the model comes from Cache Storage.
      const dir = tempDir();
      const small = join(dir, 'dagsorden.csv');
      const texts = rows.slice(0, 40).map((r) => `"${r[EXAMPLE_TEXT_COLUMN].replaceAll('"', '""')}"`);
      writeFileSync(small, `udsagn\n${texts.join('\n')}\n`);
      const again = await openApp(app.browser, app.server.url, { context });
      const watchAgain = watchProgress(again.page);
      const second = await upload(again.page, [small], { timeout: LIMIT });
      watchAgain.stop();
      assert.equal(second.status, 'ready', `second visit: ${second.error}`);
      assert.match(await again.page.locator('[data-testid=summary]').textContent(), /language model/);
      assert.equal(modelFetches, 1, 'no second download');
      assert.ok(![...watchAgain.seen.stages].some((s) => /Downloading/.test(s)), `stages: ${[...watchAgain.seen.stages]}`);
    } finally {
      await context.close();
    }
  });
});
