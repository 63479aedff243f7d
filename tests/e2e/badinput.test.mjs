// The bad-input corpus through the real page: every case of tests/fixtures/bad/expected.json (the table the
// engine's own test reads too) is uploaded through the file input, one after another in one page, as a person
// trying file after file would. A case that must fail shows data-status=error and a message holding every
// fragment of its row (file, row, expectation) in English; a case that must load shows a map of the expected
// size and its warnings. No case may leave a console error or a panic behind, and the app must still analyse
// the example afterwards (checked halfway and at the end).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  useApp, openApp, loadExample, readExample, tempDir, statusMark, appNumbers, errorText, ROOT,
} from './support.mjs';

const CORPUS = join(ROOT, 'tests', 'fixtures', 'bad');
const TABLE = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8'));

/** The recipes of generated fixtures, the same as crates/engine/tests/bad_inputs.rs. */
function generate(recipe) {
  if (recipe === 'ten-megabyte-line') {
    const parts = ['id,udsagn,kommune'];
    let bytes = Buffer.byteLength(parts[0]);
    for (let row = 1; bytes < 10 * 1024 * 1024; row++) {
      const part = `,${row},Flere hænder i ældreplejen nummer ${row},Vejle`;
      parts.push(part);
      bytes += Buffer.byteLength(part);
    }
    return parts.join('');
  }
  throw new Error(`unknown recipe ${recipe}`);
}

/**
 * Uploads files and waits until the page has answered: a job ran and ended, or (for a project file, which opens
 * without a job) the error message changed. Resolves to the app's numbers, its error and its warnings.
 */
async function uploadAndSettle(page, paths) {
  const mark = await statusMark(page);
  const before = await errorText(page);
  await page.locator('input[type=file][data-testid=file-input]').setInputFiles(paths);
  await page.waitForFunction(
    ({ mark, before }) => {
      const log = window.__vejkortE2E.log.slice(mark);
      const last = log[log.length - 1];
      if (log.includes('working') && last !== 'working') return true;
      const error = document.querySelector('[data-testid=error]');
      const text = error ? error.textContent.trim() : null;
      const status = document.querySelector('[data-testid=app]').getAttribute('data-status');
      return status === 'error' && text !== null && text !== before;
    },
    { mark, before },
    { timeout: 120_000, polling: 50 },
  );
  const warnings = page.locator('[data-testid=warnings]');
  return {
    ...(await appNumbers(page)),
    error: await errorText(page),
    warnings: (await warnings.count()) > 0 ? (await warnings.textContent()).trim() : '',
  };
}

describe('the bad-input corpus in the browser', () => {
  const app = useApp();
  let dir;
  const example = readExample();

  before(() => {
    dir = tempDir();
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every case shows its specific message or loads, and the app keeps working', { timeout: 900_000 }, async () => {
    for (const { name, recipe } of TABLE.generated) writeFileSync(join(dir, name), generate(recipe));
    const pathOf = (name) =>
      TABLE.generated.some((generated) => generated.name === name) ? join(dir, name) : join(CORPUS, name);
    const cases = TABLE.cases.filter((row) => row.ui !== false);
    assert.ok(cases.length >= 55, `${cases.length} cases reach the page`);

    const { context, page, problems, requests } = await openApp(app.browser, app.server.url);
    const failures = [];
    try {
      for (const [index, row] of cases.entries()) {
        const label = row.files.join(' + ');
        const shown = await uploadAndSettle(page, row.files.map(pathOf));
        const wrong = [];
        if (row.outcome === 'error') {
          if (shown.status !== 'error') wrong.push(`status ${shown.status}, expected error`);
          for (const fragment of row.message) {
            if (!(shown.error ?? '').includes(fragment)) wrong.push(`message lacks ${JSON.stringify(fragment)}`);
          }
        } else {
          if (shown.status !== 'ready') wrong.push(`status ${shown.status}, expected ready (${shown.error})`);
          if (row.points !== undefined && shown.points !== row.points) {
            wrong.push(`${shown.points} points, expected ${row.points}`);
          }
          for (const fragment of row.warnings ?? []) {
            if (!shown.warnings.includes(fragment)) wrong.push(`warnings lack ${JSON.stringify(fragment)}`);
          }
        }
        if (problems.length > 0) wrong.push(`console errors: ${problems.splice(0).join(' | ')}`);
        if (wrong.length > 0) failures.push(`${label}: ${wrong.join('; ')} — shown: ${JSON.stringify(shown)}`);

        // Still working halfway: the example analyses and draws a map.
        if (index === Math.floor(cases.length / 2)) {
          const recovered = await loadExample(page);
          assert.equal(recovered.status, 'ready', `the example loads halfway: ${recovered.error}`);
          assert.equal(recovered.points, example.points);
        }
      }
      const recovered = await loadExample(page);
      assert.equal(recovered.status, 'ready', `the example loads after the corpus: ${recovered.error}`);
      assert.equal(recovered.points, example.points);
      assert.equal(await page.locator('[data-testid=error]').count(), 0, 'the last error is gone once a map loads');
      assert.match(await page.locator('[data-testid=map]').getAttribute('data-renderer'), /^(webgl2|canvas2d)$/, 'a map is drawn');
      assert.deepEqual(problems, [], 'no console errors');
      const origin = new URL(app.server.url).origin;
      assert.deepEqual(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')), []);
    } finally {
      await context.close();
      if (failures.length > 0) console.log(failures.join('\n'));
    }
    assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases differ:\n${failures.join('\n')}`);
  });
});
