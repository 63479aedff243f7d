// "Drop in your own model folder": a sentence-transformers all-MiniLM-L6-v2 folder (scripts/fetch-minilm.sh puts
// it in target/fixtures/) is picked in the method panel, built in the worker, and used for the map; the panel
// names the model. A folder without its tokenizer.json is refused with a message naming that file. Nothing is
// requested from anywhere but the app's own origin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, SHARED_DATA, useApp, openApp, upload, runJob, errorText, readCsv, toCsv, tempDir,
} from './support.mjs';

const FIXTURE = join(ROOT, 'target', 'fixtures', 'all-MiniLM-L6-v2');
const BOWLING_GREEN = join(SHARED_DATA, 'embeddings', 'bowling-green_all-MiniLM-L6-v2', 'metadata.csv');
const missing = [FIXTURE, BOWLING_GREEN].filter((path) => !existsSync(path));
const skip = missing.length > 0 ? `missing ${missing.join(', ')} (run scripts/fetch-minilm.sh)` : false;
// Embedding 60 statements with a 6-layer f32 model on one wasm thread of a loaded two-core machine.
const LIMIT = 10 * 60_000;

/** A CSV of the first `count` Bowling Green statements. */
function statementsCsv(count) {
  const rows = readCsv(BOWLING_GREEN).rows.slice(0, count).map((row) => [row.comment_id, row.text]);
  const path = join(tempDir(), 'bowling-green.csv');
  writeFileSync(path, toCsv([['id', 'text'], ...rows]));
  return { path, count: rows.length };
}

/** The fixture folder without tokenizer.json (the weights linked, not copied). */
function folderWithoutTokenizer() {
  const folder = join(tempDir(), 'broken-minilm');
  mkdirSync(join(folder, '1_Pooling'), { recursive: true });
  for (const file of ['config.json', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json']) {
    copyFileSync(join(FIXTURE, file), join(folder, file));
  }
  symlinkSync(join(FIXTURE, 'model.safetensors'), join(folder, 'model.safetensors'));
  return folder;
}

describe('your own model folder', { skip }, () => {
  const app = useApp();

  it('refuses a folder without tokenizer.json, then maps with all-MiniLM-L6-v2 and names it', { timeout: LIMIT }, async () => {
    const { page, requests, problems } = await openApp(app.browser, app.server.url);
    const { path, count } = statementsCsv(60);
    const first = await upload(page, path);
    assert.equal(first.status, 'ready', `TF-IDF map first: ${first.error}`);
    assert.equal(first.points, count);

    // Choosing "Your own model" opens the picker; nothing runs until a folder is given.
    await page.locator('[data-testid=vectoriser]').selectOption('own');
    const picker = page.locator('input[type=file][data-testid=model-folder]');
    await picker.waitFor({ state: 'attached' });
    assert.equal(await page.locator('[data-testid=model-name]').getAttribute('data-state'), 'none');

    const refused = await runJob(page, () => picker.setInputFiles(folderWithoutTokenizer()), { timeout: LIMIT });
    assert.equal(refused.status, 'error');
    assert.match(refused.error, /tokenizer\.json is missing/, refused.error);
    const name = page.locator('[data-testid=model-name]');
    assert.equal(await name.getAttribute('data-state'), 'failed');
    assert.match(await name.textContent(), /tokenizer\.json/);
    assert.equal(Number(await page.locator('[data-testid=app]').getAttribute('data-points')), first.points, 'the map stays');

    const used = await runJob(page, () => picker.setInputFiles(FIXTURE), { timeout: LIMIT });
    assert.equal(used.status, 'ready', `expected a map, got ${used.status}: ${used.error}`);
    assert.equal(used.points, count);
    assert.equal(await errorText(page), null);
    assert.equal(await name.getAttribute('data-state'), 'loaded');
    assert.match(await name.textContent(), /all-MiniLM-L6-v2 \(384 dimensions\)/);
    const summary = await page.locator('[data-testid=summary]').textContent();
    assert.match(summary, /all-MiniLM-L6-v2/, summary);
    assert.equal(await page.locator('[data-testid=vectoriser]').inputValue(), 'own');

    // The folder stays loaded: another setting re-runs with it without picking it again.
    const again = await runJob(page, () => page.locator('[data-testid=layout]').selectOption('pca'), { timeout: LIMIT });
    assert.equal(again.status, 'ready', again.error);
    assert.match(await page.locator('[data-testid=summary]').textContent(), /all-MiniLM-L6-v2/);

    const origin = new URL(app.server.url).origin;
    const foreign = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'nothing leaves the origin');
    assert.deepEqual(problems, []);
  });
});
