// Instant mode: statements embedded by the static word-vector table distilled from the language model. Chosen
// in the method panel, it maps the example with clusters and says so in the summary; it downloads the table,
// never the 72 MB model, only from the app's own origin; and without the table the job still ends, with TF-IDF
// and a warning that names what was missing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, loadExample, runJob, readExample, EXAMPLE_TEXT_COLUMN } from './support.mjs';

const TABLE_FILE = 'models/e5-small-static.bin';
const MODEL_FILE = 'models/e5-small-q4.bin';

describe('instant mode (static word vectors)', () => {
  const app = useApp();

  it('is chosen in the method panel and maps the example with the table, never the model', async () => {
    const { context, page, requests, problems } = await openApp(app.browser, app.server.url);
    const fetched = { table: 0, model: 0 };
    context.on('request', (request) => {
      if (request.url().endsWith(TABLE_FILE)) fetched.table += 1;
      if (request.url().endsWith(MODEL_FILE)) fetched.model += 1;
    });
    try {
      const first = await loadExample(page);
      assert.equal(first.status, 'ready', `TF-IDF map first: ${first.error}`);
      assert.doesNotMatch(await page.locator('[data-testid=summary]').textContent(), /static word vectors/);

      const select = page.locator('[data-testid=vectoriser]');
      assert.ok(
        (await select.locator('option[value=instant]').textContent()).includes('Instant'),
        'the choice is named in English',
      );
      const result = await runJob(page, () => select.selectOption('instant'));
      assert.equal(result.status, 'ready', `expected a map, got ${result.status}: ${result.error}`);
      const { rows } = readExample();
      assert.equal(result.points, rows.filter((r) => r[EXAMPLE_TEXT_COLUMN].trim() !== '').length);
      assert.ok(result.clusters >= 2, `clusters: ${result.clusters}`);
      const summary = await page.locator('[data-testid=summary]').textContent();
      assert.match(summary, /static word vectors of multilingual-e5-small/, summary);
      assert.equal(await select.inputValue(), 'instant');
      assert.equal(await page.locator('[data-testid=warnings]').count(), 0, 'no fallback warning');

      assert.equal(fetched.table, 1, 'the table is fetched once');
      assert.equal(fetched.model, 0, 'instant mode never downloads the full model');
      const origin = new URL(app.server.url).origin;
      assert.deepEqual(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')), []);
      assert.deepEqual(problems, []);

      // Another visit in the same browser takes the table from Cache Storage instead of the network.
      const again = await openApp(app.browser, app.server.url, { context });
      const tfidf = await loadExample(again.page);
      assert.equal(tfidf.status, 'ready', `second visit: ${tfidf.error}`);
      const second = await runJob(again.page, () => again.page.locator('[data-testid=vectoriser]').selectOption('instant'));
      assert.equal(second.status, 'ready', `second visit, instant: ${second.error}`);
      assert.match(await again.page.locator('[data-testid=summary]').textContent(), /static word vectors/);
      assert.equal(fetched.table, 1, 'the second visit takes the table from the browser cache');
    } finally {
      await context.close();
    }
  });

  it('falls back to TF-IDF with a Danish warning when the table is missing', async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url, { locale: 'da-DK', vectoriser: 'instant' });
    // A build without the table: the origin answers 404 for it.
    await context.route(`**/${TABLE_FILE}`, (route) => route.fulfill({ status: 404, body: 'not here' }));
    try {
      const result = await loadExample(page);
      assert.equal(result.status, 'ready', `the job still ends with a map: ${result.error}`);
      assert.ok(result.clusters >= 2, `clusters: ${result.clusters}`);
      const warnings = await page.locator('[data-testid=warnings]').textContent();
      assert.match(warnings, /statiske ordvektorer/, warnings);
      assert.match(warnings, /TF-IDF/, warnings);
      assert.match(await page.locator('[data-testid=summary]').textContent(), /TF-IDF/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
