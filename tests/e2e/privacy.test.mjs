// Privacy: a whole session (open, load the example, upload a file, hover, export) sends no request off the
// origin that served the app, and nothing is blocked by the Content-Security-Policy or fails in the console.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  useApp, openApp, loadExample, upload, readExample, readCsv, countWithText, hoverUntilTooltip,
  waitForStableCanvas, SHARED_DATA,
} from './support.mjs';

const BOWLING_GREEN = join(SHARED_DATA, 'polis', 'american-assembly.bowling-green', 'comments.csv');

describe('privacy', () => {
  const app = useApp();

  it('keeps every request on the app origin, with no console errors or CSP violations', { timeout: 180_000 }, async () => {
    const origin = new URL(app.server.url).origin;
    const { context, page, requests, problems } = await openApp(app.browser, app.server.url);
    try {
      const example = await loadExample(page);
      assert.equal(example.status, 'ready', example.error);
      assert.equal(example.points, readExample().points);
      await waitForStableCanvas(page);
      assert.ok(await hoverUntilTooltip(page), 'hovering shows a statement');

      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        page.locator('[data-testid=export-csv]').click(),
      ]);
      assert.ok(await download.path(), 'the export downloaded');

      const uploaded = await upload(page, [BOWLING_GREEN]);
      assert.equal(uploaded.status, 'ready', uploaded.error);
      assert.equal(uploaded.points, countWithText(readCsv(BOWLING_GREEN).rows, 'comment-body'));
      await page.locator('[data-testid=language]').click();

      const seen = [...new Set(requests)];
      console.log(`requests in the session: ${seen.map((url) => url.replace(origin, '')).join(' ')}`);
      assert.ok(seen.some((url) => url.endsWith('.wasm')), 'the recording saw the app load its WebAssembly');
      // blob: URLs (the export) carry the origin that made them; their origin is checked like any other.
      const offOrigin = seen.filter((url) => new URL(url).origin !== origin);
      assert.deepEqual(offOrigin, [], 'requests that left the origin');
      assert.deepEqual(problems, [], 'console errors');
      assert.deepEqual(await page.evaluate(() => window.__vejkortE2E.csp), [], 'CSP violations');
    } finally {
      await context.close();
    }
  });
});
