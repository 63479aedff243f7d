// Big jobs: 20,000 StackOverflow titles. The UI thread must keep responding while the worker computes, and
// Cancel must end the job and leave the previous map.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  useApp, openApp, loadExample, statusMark, waitForSettled, appNumbers, errorText, readExample,
  toCsv, readCsv, countWithText, tempDir, SHARED_DATA,
} from './support.mjs';

const TITLES = join(SHARED_DATA, 'stackoverflow', 'title_StackOverflow.txt');

describe('big jobs', () => {
  const app = useApp();
  let dir;
  let bigCsv;
  let bigCount;
  const example = readExample();

  before(async () => {
    // One big CSV per run: a header, then one quoted-as-needed title per row.
    dir = tempDir();
    bigCsv = join(dir, 'stackoverflow-titles.csv');
    const titles = readFileSync(TITLES, 'utf8').split(/\r?\n/).filter((line) => line !== '');
    writeFileSync(bigCsv, toCsv([['title'], ...titles.map((title) => [title])]));
    bigCount = countWithText(readCsv(bigCsv).rows, 'title');
    assert.equal(bigCount, 20_000, 'the benchmark has 20,000 titles');
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the UI responsive during a 20,000-title job', { timeout: 300_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const language = page.locator('[data-testid=language]');
      const before = (await language.textContent()).trim();
      const mark = await statusMark(page);
      const started = performance.now();
      await page.locator('input[type=file][data-testid=file-input]').setInputFiles(bigCsv);
      await page.locator('[data-testid=app][data-status=working]').waitFor({ timeout: 30_000 });

      const clicked = performance.now();
      await language.click({ timeout: 10_000 });
      await page.waitForFunction(
        (before) => document.querySelector('[data-testid=language]').textContent.trim() !== before,
        before,
        { timeout: 5_000 },
      );
      const answered = performance.now() - clicked;
      const during = await appNumbers(page);
      assert.equal(during.status, 'working', 'the language switched while the job was still running');
      assert.notEqual((await language.textContent()).trim(), before);

      await waitForSettled(page, mark, 120_000);
      const total = performance.now() - started;
      const result = await appNumbers(page);
      console.log(
        `20,000 StackOverflow titles: job took ${(total / 1000).toFixed(1)} s; ` +
          `language switch answered in ${Math.round(answered)} ms during the job`,
      );
      assert.equal(result.status, 'ready', `expected ready: ${await errorText(page)}`);
      assert.equal(result.points, bigCount);
      assert.ok(result.clusters >= 2);
    } finally {
      await context.close();
    }
  });

  it('cancels a big job and keeps the previous map', { timeout: 300_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const first = await loadExample(page);
      assert.equal(first.status, 'ready', first.error);
      assert.equal(first.points, example.points);

      const mark = await statusMark(page);
      await page.locator('input[type=file][data-testid=file-input]').setInputFiles(bigCsv);
      const progress = page.locator('[data-testid=progress]');
      await progress.waitFor({ timeout: 30_000 });
      assert.notEqual((await page.locator('[data-testid=progress-stage]').textContent()).trim(), '', 'a stage shows');
      const clicked = performance.now();
      await page.locator('[data-testid=cancel]').click({ timeout: 10_000 });
      await waitForSettled(page, mark, 30_000);
      console.log(`cancel took effect in ${Math.round(performance.now() - clicked)} ms`);

      const after = await appNumbers(page);
      assert.equal(after.status, 'ready', `status after cancel: ${await errorText(page)}`);
      assert.equal(after.points, first.points, 'the previous map is back');
      assert.equal(after.clusters, first.clusters);
      assert.equal(await progress.count(), 0, 'the progress panel is gone');

      const again = await loadExample(page);
      assert.equal(again.status, 'ready', `the app still works after cancel: ${again.error}`);
      assert.equal(again.points, example.points);
    } finally {
      await context.close();
    }
  });
});
