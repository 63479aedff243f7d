// Statements per second of the language model in headless Chromium, timed from the page: the app embeds N
// StackOverflow titles (and N Danish statements) in its worker, and the time between the progress bar entering
// and leaving the embedding stage is measured here. The first run also downloads the model; later runs read it
// from the browser's cache, as a returning visitor would.
//
//   node bench/embed/browser.mjs [N ...]      (default: 100 1000 10000)
//   BENCH_EMBED_LANGUAGES=en|da|both (default both)
import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serveDist, launch, SHARED_DATA, readCsv, EXAMPLE_CSV, EXAMPLE_TEXT_COLUMN } from '../../tests/e2e/support.mjs';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const counts = sizes.length ? sizes : [100, 1000, 10000];
const english = readFileSync(join(SHARED_DATA, 'stackoverflow', 'title_StackOverflow.txt'), 'utf8').split('\n').filter((t) => t.trim());
const danish = readCsv(EXAMPLE_CSV).rows.map((r) => r[EXAMPLE_TEXT_COLUMN]).filter((t) => t && t.trim());
const dir = mkdtempSync(join(tmpdir(), 'vejkort-embed-bench-'));
const quote = (t) => `"${t.replaceAll('"', '""')}"`;

const server = await serveDist();
const browser = await launch();
const context = await browser.newContext();
await context.addInitScript(() => localStorage.setItem('vejkort.vectoriser', 'model'));
const rows = [];
const languages = process.env.BENCH_EMBED_LANGUAGES ?? 'both';
const sets = [['English (StackOverflow titles)', english, 'en'], ['Danish (example workshop, repeated)', danish, 'da']]
  .filter(([, , code]) => languages === 'both' || languages === code);
for (const [language, texts] of sets) {
  for (const n of counts) {
    const chosen = Array.from({ length: n }, (_, i) => texts[i % texts.length]);
    const file = join(dir, `texts-${n}.csv`);
    writeFileSync(file, `text\n${chosen.map(quote).join('\n')}\n`);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-testid=app][data-status=empty]');
    // Sampled in the page on every animation frame, so the times are the page's own.
    await page.evaluate(() => {
      window.__stages = [];
      const look = () => {
        const stage = document.querySelector('[data-testid=progress-stage]')?.dataset.stage ?? null;
        const last = window.__stages.at(-1);
        if (!last || last.stage !== stage) window.__stages.push({ stage, at: performance.now() });
        requestAnimationFrame(look);
      };
      look();
    });
    await page.setInputFiles('[data-testid=file-input]', file);
    await page.waitForSelector('[data-testid=app][data-status=ready], [data-testid=app][data-status=error]', { timeout: 60 * 60_000 });
    const stages = await page.evaluate(() => window.__stages);
    const start = stages.findIndex((s) => s.stage === 'Embedding');
    if (start < 0) throw new Error(`no embedding stage seen: ${JSON.stringify(stages)}`);
    const seconds = (stages[start + 1].at - stages[start].at) / 1000;
    const download = stages.find((s) => s.stage === 'Downloading') ? 'yes' : 'no (cache)';
    rows.push({ language, n, seconds, rate: n / seconds, download });
    console.log(`  ${language}, ${n}: ${seconds.toFixed(1)} s, ${(n / seconds).toFixed(1)} statements/s, model downloaded: ${download}`);
    await page.close();
  }
}
await browser.close();
await server.close();
console.log('\n| texts | statements | embedding seconds | statements/s | model downloaded |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.language} | ${r.n} | ${r.seconds.toFixed(1)} | ${r.rate.toFixed(1)} | ${r.download} |`);
