// Labels the user can steer: the detected label language, stop words of their own, built-in ones given back.
// Each change re-runs the analysis; the map and clusters must stay while the labels change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, loadExample, runJob, appNumbers } from './support.mjs';

/** Every cluster's label terms, in legend order. */
async function labelTerms(page) {
  const labels = await page.locator('[data-testid=cluster-list] li[data-cluster-id] .cluster-label').allTextContents();
  return labels.map((label) => label.split(',').map((term) => term.trim()).filter(Boolean));
}

describe('label language and stop words', () => {
  const app = useApp();

  it('detects Danish, strikes a word the user adds, and gives it back', async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    try {
      const loaded = await loadExample(page);
      assert.equal(loaded.status, 'ready');
      const language = page.locator('[data-testid=label-language]');
      assert.equal(await language.inputValue(), 'auto');
      assert.equal(await language.getAttribute('data-detected'), 'da');
      assert.match(await language.locator('option[value=auto]').textContent(), /Danish/);

      const before = await labelTerms(page);
      const word = before[0][0];
      assert.ok(word, `a label term to strike (labels: ${JSON.stringify(before)})`);
      const input = page.locator('[data-testid=stop-word-input]');
      await input.fill(word.toUpperCase());
      const struck = await runJob(page, () => input.press('Enter'));
      assert.equal(struck.status, 'ready');
      assert.equal(struck.points, loaded.points, 'the same statements are mapped');
      assert.equal(struck.clusters, loaded.clusters, 'the same clusters are found');
      const after = await labelTerms(page);
      assert.ok(after.flat().every((term) => term !== word), `"${word}" left the labels: ${JSON.stringify(after)}`);
      assert.equal(await input.inputValue(), '', 'the input is cleared for the next word');
      const chip = page.locator(`[data-testid=stop-word-list] li[data-kind=added][data-word="${word}"]`);
      assert.equal(await chip.count(), 1, 'the word shows as the user\'s stop word, lower-cased');

      const restored = await runJob(page, () => chip.getByRole('button').click());
      assert.equal(restored.status, 'ready');
      assert.deepEqual(await labelTerms(page), before, 'removing the stop word brings the labels back');
      assert.equal(await page.locator('[data-testid=stop-word-list] li[data-kind=added]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('re-allows a built-in stop word, refuses a phrase with a reason, and honours a chosen language', async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url, { locale: 'da-DK' });
    try {
      await loadExample(page);
      assert.equal(await page.locator('#stop-words-heading').textContent(), 'Etiketter');

      const list = page.locator('[data-testid=stop-word-list]');
      await list.locator('details summary').click();
      const og = list.locator('li[data-kind=builtin][data-word=og]');
      assert.equal(await og.count(), 1, 'the Danish list holds "og"');
      const allowed = await runJob(page, () => og.getByRole('button').click());
      assert.equal(allowed.status, 'ready');
      assert.equal(await list.locator('li[data-kind=kept][data-word=og]').count(), 1);
      assert.equal(await list.locator('li[data-kind=builtin][data-word=og]').count(), 0);

      const input = page.locator('[data-testid=stop-word-input]');
      await input.fill('åben sag');
      await input.press('Enter');
      const problem = page.locator('[data-testid=stop-word-problem]');
      await problem.filter({ hasText: /ét ord/ }).waitFor();
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      assert.equal((await appNumbers(page)).status, 'ready', 'a refused word starts no job');

      const language = page.locator('[data-testid=label-language]');
      const english = await runJob(page, () => language.selectOption('en'));
      assert.equal(english.status, 'ready');
      assert.equal(await language.inputValue(), 'en');
      assert.equal(await language.getAttribute('data-detected'), 'da', 'detection is still reported');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
