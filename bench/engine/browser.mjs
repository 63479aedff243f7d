// The browser half of the engine benchmark: in one headless Chromium, Vejkort's release build (the worker, timed
// from the page: upload to a clustered map) and the JavaScript/WASM UMAPs of npm (umap-js, Embedding Atlas) on
// the same .npy inputs. Layouts are written as .npy files for bench/engine/report.py to score.
//
//   node bench/engine/browser.mjs <out-dir> <name>...
import { createServer } from 'node:http';
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [outDir, ...names] = process.argv.slice(2);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const SERVED = ['dist', 'node_modules', 'bench', 'target/bench/data', 'target/bench/npm'].map((p) => join(ROOT, p));

const server = createServer(async (request, response) => {
  const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
  const file = normalize(join(ROOT, path.endsWith('/') ? path + 'index.html' : path));
  if (!SERVED.some((root) => file.startsWith(root))) return response.writeHead(403).end();
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    response.end(await readFile(file));
  } catch {
    response.writeHead(404).end('not found');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

function npy(values, cols) {
  const rows = values.length / cols;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(63 - ((header.length + 10) % 64)) + '\n';
  const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, header.length & 255, header.length >> 8]), Buffer.from(header, 'latin1')]);
  return Buffer.concat([head, Buffer.from(new Float32Array(values).buffer)]);
}

const timings = {};
const limitSeconds = Number(process.env.BENCH_BROWSER_LIMIT ?? 900);

async function vejkort(name, dir) {
  const page = await browser.newPage();
  await page.goto(`${base}/dist/index.html`);
  await page.waitForSelector('[data-testid=app][data-status=empty]');
  // When each stage first shows, from the page's own clock: the map alone (PCA, neighbours, 2-D UMAP) is what
  // umap-js and Embedding Atlas compute, so it is timed apart from the whole job.
  await page.evaluate(() => {
    window.stageStarts = {};
    new MutationObserver(() => {
      const stage = document.querySelector('[data-testid=progress-stage]')?.dataset.stage;
      if (stage && !(stage in window.stageStarts)) window.stageStarts[stage] = performance.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const started = Date.now();
  await page.setInputFiles('[data-testid=file-input]', join(ROOT, 'target/bench/data', `${name}.npy`));
  await page.waitForSelector('[data-testid=app][data-status=ready], [data-testid=app][data-status=error]', { timeout: limitSeconds * 1000 });
  const seconds = (Date.now() - started) / 1000;
  const stages = await page.evaluate(() => window.stageStarts);
  if (stages.Reducing !== undefined && stages.Clustering !== undefined) {
    timings[name].vejkort_wasm_map = (stages.Clustering - stages.Reducing) / 1000;
  }
  // Each stage's seconds, from its start to the next one's (the last runs to ready): where the worker spends them.
  const order = Object.entries(stages).sort((a, b) => a[1] - b[1]);
  const finished = await page.evaluate(() => performance.now());
  timings[name].vejkort_wasm_stages = Object.fromEntries(
    order.map(([stage, at], i) => [stage, ((order[i + 1]?.[1] ?? finished) - at) / 1000]));
  console.log(`  chromium ${name} vejkort stages: ${order.map(([stage]) =>
    `${stage} ${timings[name].vejkort_wasm_stages[stage].toFixed(2)} s`).join(', ')}`);
  const status = await page.getAttribute('[data-testid=app]', 'data-status');
  if (status !== 'ready') throw new Error(`Vejkort failed on ${name}: ${await page.textContent('[data-testid=error]')}`);
  const download = page.waitForEvent('download');
  await page.click('[data-testid=export-csv]');
  await (await download).saveAs(join(dir, 'vejkort_wasm.csv'));
  await page.close();
  return seconds;
}

async function inPage(fn, name) {
  const page = await browser.newPage();
  await page.goto(`${base}/bench/engine/page.html`);
  await page.waitForFunction(() => window.benchReady === true);
  const result = await page.evaluate(([fn, name]) => window[fn](name), [fn, name]);
  await page.close();
  return result;
}

for (const name of names) {
  const dir = join(outDir, name);
  await mkdir(dir, { recursive: true });
  timings[name] = {};
  const run = async (key, fn) => {
    try {
      timings[name][key] = await fn();
      console.log(`  chromium ${name} ${key}: ${timings[name][key].toFixed(2)} s`);
    } catch (error) {
      timings[name][key] = null;
      console.log(`  chromium ${name} ${key}: failed: ${error.message.split('\n')[0]}`);
    }
  };
  await run('vejkort_wasm', () => vejkort(name, dir));
  for (const [key, fn] of [['umap_js', 'runUmapJs'], ['embedding_atlas', 'runAtlas']]) {
    if (key === 'umap_js' && name.startsWith('synth100k')) {
      console.log(`  chromium ${name} ${key}: skipped (umap-js needs ~15 min at 100k)`);
      continue;
    }
    await run(key, async () => {
      const { seconds, layout } = await inPage(fn, name);
      await writeFile(join(dir, `${key}_2d.npy`), npy(layout, 2));
      return seconds;
    });
  }
  await writeFile(join(dir, 'browser_timings.json'), JSON.stringify(timings[name], null, 1));
}
await browser.close();
server.close();
