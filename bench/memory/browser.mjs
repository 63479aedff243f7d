// Peak memory of Vejkort in headless Chromium while it analyses large inputs: generated, seeded, clustered
// embeddings as float32 .npy (100,000 × 384 and 100,000 × 1,536) and a 200 MB CSV of numeric vectors with a text
// column, written to a temporary folder (never committed) and uploaded through the file input.
//
// While each job runs, every 200 ms: the proportional set size (PSS, so shared pages are not counted twice) of
// every Chromium process this script started, summed, and the largest single process's RSS (the renderer, which
// runs the page and its worker); the page's JS heap (CDP Performance.getMetrics). After the job: the size of the
// app's and the worker's WebAssembly memory (exposed by src/upload.rs and the worker's main as
// __vejkortWasmMemory; WebAssembly memory only grows, so its size at the end is its peak).
//
//   node bench/memory/browser.mjs [case ...]     cases: npy-100k-384 npy-100k-1536 csv-200mb (default), npy-limit
//
// Use a release build (make bench-memory builds one): a debug build parses and analyses many times slower.
import { closeSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serveDist, launch } from '../../tests/e2e/support.mjs';

const CASES = {
  'npy-100k-384': { kind: 'npy', rows: 100_000, dims: 384 },
  'npy-100k-1536': { kind: 'npy', rows: 100_000, dims: 1536 },
  // Just under the .npy limit (1,000 MB): the check that the limit itself is safe. Not run by default.
  'npy-limit': { kind: 'npy', rows: 162_000, dims: 1536 },
  // 50,000 rows of a text column and 384 numbers of about ten characters each: about 200 MB.
  'csv-200mb': { kind: 'csv', rows: 50_000, dims: 384 },
};
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ['npy-100k-384', 'npy-100k-1536', 'csv-200mb'];
const CLUSTERS = 20;

/** mulberry32: a small seeded generator, so the data is the same on every run. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal numbers by Box–Muller. */
function normals(random) {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Calls `emit(rowIndex, Float32Array)` for each row: points scattered around CLUSTERS random centres. */
function clusteredRows(rows, dims, emit) {
  const normal = normals(generator(7));
  const centres = Array.from({ length: CLUSTERS }, () => Float32Array.from({ length: dims }, () => normal()));
  const row = new Float32Array(dims);
  for (let i = 0; i < rows; i++) {
    const centre = centres[i % CLUSTERS];
    for (let d = 0; d < dims; d++) row[d] = centre[d] + 0.6 * normal();
    emit(i, row);
  }
}

function npyHeader(rows, dims) {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dims}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const head = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = 1;
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1')]);
}

/** Writes the case's file in pieces (the biggest is 614 MB) and returns its path. */
function writeCase(dir, name, { kind, rows, dims }) {
  const path = join(dir, `${name}.${kind}`);
  const fd = openSync(path, 'w');
  let pending = [];
  let pendingBytes = 0;
  const flush = () => {
    writeSync(fd, Buffer.concat(pending));
    pending = [];
    pendingBytes = 0;
  };
  const push = (buffer) => {
    pending.push(buffer);
    pendingBytes += buffer.length;
    if (pendingBytes > 16e6) flush();
  };
  if (kind === 'npy') {
    push(npyHeader(rows, dims));
    clusteredRows(rows, dims, (_, row) => push(Buffer.from(new Uint8Array(row.buffer.slice(0)))));
  } else {
    push(Buffer.from(['id', 'text', ...Array.from({ length: dims }, (_, d) => `e${d}`)].join(',') + '\n'));
    clusteredRows(rows, dims, (i, row) => {
      const text = `statement ${i} about topic ${i % CLUSTERS}`;
      push(Buffer.from(`${i + 1},${text},${Array.from(row, (x) => x.toFixed(6)).join(',')}\n`));
    });
  }
  flush();
  closeSync(fd);
  return path;
}

/** Every process below this one (Chromium and its helpers), by walking /proc's parent links. */
function descendants() {
  const parent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const isOurs = (pid) => {
    for (let at = parent.get(pid); at; at = parent.get(at)) if (at === process.pid) return true;
    return false;
  };
  return [...parent.keys()].filter(isOurs);
}

/** Kilobytes of a field in /proc/<pid>/smaps_rollup or status (0 when the process is gone). */
function procKb(pid, file, field) {
  try {
    const match = readFileSync(`/proc/${pid}/${file}`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function sampleProcesses() {
  let pss = 0;
  let largestRss = 0;
  for (const pid of descendants()) {
    pss += procKb(pid, 'smaps_rollup', 'Pss');
    largestRss = Math.max(largestRss, procKb(pid, 'status', 'VmRSS'));
  }
  return { pss: pss * 1024, largestRss: largestRss * 1024 };
}

const MB = (bytes) => (bytes / 1e6).toFixed(0);
const dir = mkdtempSync(join(tmpdir(), 'vejkort-memory-bench-'));
const server = await serveDist();
const results = [];
try {
  for (const name of chosen) {
    const spec = CASES[name];
    if (!spec) throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(', ')}`);
    const path = writeCase(dir, name, spec);
    const fileBytes = statSync(path).size;
    console.log(`${name}: ${MB(fileBytes)} MB written; analysing…`);
    const browser = await launch();
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(server.url);
      await page.locator('[data-testid=app][data-status=empty]').waitFor();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const idle = sampleProcesses();
      let peak = { ...idle, jsHeap: 0 };
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const now = sampleProcesses();
          peak.pss = Math.max(peak.pss, now.pss);
          peak.largestRss = Math.max(peak.largestRss, now.largestRss);
          try {
            const { metrics } = await cdp.send('Performance.getMetrics');
            const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
            peak.jsHeap = Math.max(peak.jsHeap, heap);
          } catch {
            // The page is busy or gone; the process figures still count.
          }
          await new Promise((ok) => setTimeout(ok, 200));
        }
      })();
      const started = performance.now();
      await page.locator('input[type=file][data-testid=file-input]').setInputFiles(path);
      await page.locator('[data-testid=app][data-status=ready], [data-testid=app][data-status=error]').waitFor({
        timeout: 60 * 60_000,
      });
      const seconds = (performance.now() - started) / 1000;
      sampling = false;
      await sampler;
      const status = await page.locator('[data-testid=app]').getAttribute('data-status');
      const points = await page.locator('[data-testid=app]').getAttribute('data-points');
      const error = status === 'error' ? await page.locator('[data-testid=error]').textContent() : '';
      const appWasm = await page.evaluate(() => window.__vejkortWasmMemory?.buffer.byteLength ?? 0);
      const worker = page.workers().find((w) => w.url().includes('vejkort-worker'));
      const workerWasm = worker ? await worker.evaluate(() => self.__vejkortWasmMemory?.buffer.byteLength ?? 0) : 0;
      const row = { name, fileBytes, status, points, error, seconds, idle, peak, appWasm, workerWasm };
      results.push(row);
      console.log(
        `  ${status} (${points} points) in ${seconds.toFixed(1)} s; peak PSS ${MB(peak.pss)} MB (idle ${MB(idle.pss)}), ` +
          `largest process RSS ${MB(peak.largestRss)} MB, wasm app ${MB(appWasm)} MB, worker ${MB(workerWasm)} MB, ` +
          `JS heap ${MB(peak.jsHeap)} MB ${error}`,
      );
    } finally {
      await browser.close();
      rmSync(path, { force: true });
    }
  }
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  '\n| input | file MB | status | peak total PSS MB | peak renderer RSS MB | wasm app MB | wasm worker MB | JS heap MB | s to ready |',
);
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.name} | ${MB(r.fileBytes)} | ${r.status} | ${MB(r.peak.pss)} | ${MB(r.peak.largestRss)} | ${MB(r.appWasm)} | ` +
      `${MB(r.workerWasm)} | ${MB(r.peak.jsHeap)} | ${r.seconds.toFixed(0)} |`,
  );
}
