// Render benchmark: Vejkort's renderers against regl-scatterplot on the same seeded clustered points.
//
// Builds the bench page (crates/render/examples/bench.rs via wasm-bindgen --target web, regl-scatterplot bundled
// by esbuild from node_modules), serves it on loopback, and for each renderer and point count opens it in
// headless Chromium, which animates a continuous pan + zoom and reports frame intervals. Headless Chromium draws
// WebGL with SwiftShader on the CPU, so absolute figures are pessimistic; compare the ratios.
//
//   node scripts/bench-render.mjs   (environment: BENCH_FRAMES=120, BENCH_REPEATS=1, BENCH_POINTS=100000,1000000,
//                                    BENCH_RENDERERS=vejkort-webgl2,regl-scatterplot,vejkort-canvas2d, BENCH_SHOTS=dir)
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/e2e/support.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'target', 'bench-render');
const FRAMES = Number(process.env.BENCH_FRAMES ?? 120);
const COUNTS = (process.env.BENCH_POINTS ?? '100000,1000000').split(',').map(Number);
// Each configuration runs this many times, interleaved with the others, and the run with the median mean (the
// lower middle one for an even count) is reported: the machine is shared, and one busy moment should not decide
// a row.
const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);
const RENDERERS = (process.env.BENCH_RENDERERS ?? 'vejkort-webgl2,regl-scatterplot,vejkort-canvas2d').split(',');
// Canvas2D redraws every point on the CPU each frame; a million would take minutes for nothing new.
const CANVAS2D_MAX = 100_000;

function build() {
  const run = (command, args) => execFileSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  run('cargo', ['build', '--quiet', '-p', 'vejkort-render', '--example', 'bench', '--target', 'wasm32-unknown-unknown',
    '--release']);
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', join(OUT, 'pkg'),
    join(ROOT, 'target', 'wasm32-unknown-unknown', 'release', 'examples', 'bench.wasm')]);
  run(join(ROOT, 'node_modules', '.bin', 'esbuild'), ['bench/render/regl-entry.js', '--bundle', '--format=esm',
    '--minify', '--log-level=warning', `--outfile=${join(OUT, 'regl-scatterplot.js')}`]);
  for (const file of ['index.html', 'bench.js', 'bench.css']) copyFileSync(join(ROOT, 'bench', 'render', file), join(OUT, file));
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

async function serve() {
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    const file = normalize(join(OUT, path === '/' ? 'index.html' : path));
    try {
      if (!file.startsWith(OUT)) throw new Error('outside');
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

mkdirSync(OUT, { recursive: true });
build();
const server = await serve();
const browser = await launch();
const runs = [];
try {
  for (let repeat = 0; repeat < REPEATS; repeat += 1) for (const points of COUNTS) {
    for (const renderer of RENDERERS) {
      if (renderer === 'vejkort-canvas2d' && points > CANVAS2D_MAX) continue;
      const page = await browser.newPage({ viewport: { width: 820, height: 820 } });
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${server.url}?renderer=${renderer}&points=${points}&frames=${FRAMES}`);
      await page.waitForFunction(() => window.benchResult, undefined, { timeout: 600_000, polling: 500 });
      const result = await page.evaluate(() => window.benchResult);
      // BENCH_SHOTS=dir keeps a picture of each renderer's last frame, to check they show the same view.
      if (process.env.BENCH_SHOTS) await page.locator('#stage').screenshot({ path: join(process.env.BENCH_SHOTS, `${renderer}-${points}.png`) });
      await page.close();
      if (result.error || errors.length) throw new Error(`${renderer} at ${points}: ${result.error ?? errors.join('\n')}`);
      runs.push(result);
      console.log(`${renderer} ${points}: mean ${result.mean.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const rows = [];
for (const points of COUNTS) {
  for (const renderer of RENDERERS) {
    const same = runs.filter((r) => r.renderer === renderer && r.points === points).sort((a, b) => a.mean - b.mean);
    if (same.length) rows.push(same[Math.floor((same.length - 1) / 2)]);
  }
}
const pad = (value, width) => String(value).padStart(width);
console.log(`\n${FRAMES} frames of continuous pan + zoom, 800×800 CSS px, headless Chromium (SwiftShader), ` +
  `median of ${REPEATS} run(s)\n`);
console.log('| renderer | points | set-up ms | mean frame ms | p95 frame ms | fps (mean) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.renderer} | ${pad(r.points.toLocaleString('en'), 9)} | ${pad(r.setUpMs.toFixed(0), 6)} | ` +
    `${pad(r.mean.toFixed(1), 6)} | ${pad(r.p95.toFixed(1), 6)} | ${pad((1000 / r.mean).toFixed(1), 5)} |`);
}
console.log('\nHover index (spatial.rs grid), wasm release build:');
for (const r of rows.filter((r) => r.renderer === 'vejkort-webgl2' && r.index)) {
  console.log(`  ${r.points.toLocaleString('en')} points: build ${r.index.indexBuildMs.toFixed(1)} ms, ` +
    `query ${r.index.queryUs.toFixed(2)} µs (8 px reach at the fitted view, ${(100 * r.index.hitShare).toFixed(0)}% hit)`);
}
for (const points of COUNTS) {
  const ours = rows.find((r) => r.renderer === 'vejkort-webgl2' && r.points === points);
  const theirs = rows.find((r) => r.renderer === 'regl-scatterplot' && r.points === points);
  if (ours && theirs) console.log(`\n${points.toLocaleString('en')} points: regl-scatterplot mean / Vejkort mean = ${(theirs.mean / ours.mean).toFixed(2)}`);
}
