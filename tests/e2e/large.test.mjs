// Files too big to analyse in a tab are refused before they are read: the message names the file, its size and
// the limit, no job starts, the app's memory does not grow by the file's size, and the app keeps working.
// The big files are sparse (fs.truncate), so they cost no disk and no time to make; reading one would cost
// gigabytes, which the memory check would see.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  useApp, openApp, loadExample, readExample, statusMark, waitForSettled, appNumbers, errorText, tempDir,
} from './support.mjs';

// The limits of crates/engine/src/io/limits.rs, in bytes, restated here so a change there is a change here too.
const MAX_NPY_BYTES = 1_000_000_000;
const MAX_TEXT_BYTES = 250_000_000;
const MAX_VECTOR_MILLIONS = 250;

/** A .npy header as NumPy writes it (version 1, padded to a multiple of 64 bytes). */
function npyHeader(rows, dims) {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dims}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const header = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(header);
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(dict.length, 8);
  return Buffer.concat([header, Buffer.from(dict, 'latin1')]);
}

/** Writes `start` and makes the file `size` bytes long without writing the rest (a sparse file). */
function sparseFile(path, start, size) {
  const fd = openSync(path, 'w');
  writeSync(fd, start);
  closeSync(fd);
  truncateSync(path, size);
  return path;
}

const megabytes = (bytes) => Math.ceil(bytes / 1e6).toLocaleString('en-GB');

describe('files over the limits', () => {
  const app = useApp();
  const example = readExample();
  let dir;

  before(() => {
    dir = tempDir();
    mkdirSync(dir, { recursive: true });
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Uploads the files, expects a refusal without a job, checks memory, then loads the example. */
  async function expectRefusal(paths, patterns, locale = 'en-GB') {
    const { context, page } = await openApp(app.browser, app.server.url, { locale });
    try {
      const before = await page.evaluate(() => window.__vejkortWasmMemory.buffer.byteLength);
      const mark = await statusMark(page);
      await page.locator('input[type=file][data-testid=file-input]').setInputFiles(paths);
      await waitForSettled(page, mark);
      const log = await page.evaluate((mark) => window.__vejkortE2E.log.slice(mark), mark);
      assert.deepEqual(log, ['error'], 'refused before any job started');
      const numbers = await appNumbers(page);
      assert.equal(numbers.points, 0);
      const message = await errorText(page);
      console.log(`refusal: ${message}`);
      for (const pattern of patterns) assert.match(message, pattern);
      const after = await page.evaluate(() => window.__vejkortWasmMemory.buffer.byteLength);
      assert.ok(
        after - before < 50e6,
        `the app's memory grew by ${((after - before) / 1e6).toFixed(0)} MB: the file was read before the check`,
      );

      const recovered = await loadExample(page);
      assert.equal(recovered.status, 'ready', `the example loads after the refusal: ${recovered.error}`);
      assert.equal(recovered.points, example.points);
      assert.equal(await page.locator('[data-testid=error]').count(), 0);
      return message;
    } finally {
      await context.close();
    }
  }

  it('refuses a CSV over the text limit, naming file, size and limit', async () => {
    const size = 2 * MAX_TEXT_BYTES;
    const path = sparseFile(join(dir, 'survey-huge.csv'), Buffer.from('id,text\n1,hello\n'), size);
    await expectRefusal([path], [/survey-huge\.csv/, new RegExp(`${megabytes(size)} MB`), /at most 250 MB/]);
  });

  it('refuses a 2 GB .npy by its size, in Danish too', async () => {
    const size = 2 * MAX_NPY_BYTES;
    // The header claims a shape within the value limit, so the size is what refuses it.
    const path = sparseFile(join(dir, 'embeddings-2gb.npy'), npyHeader(1000, 384), size);
    await expectRefusal([path], [/embeddings-2gb\.npy/, /2\.000 MB/, /højst 1\.000 MB/], 'da-DK');
  });

  it('refuses a .npy whose header declares more numbers than the limit, before reading its data', async () => {
    // 200,000 × 1,536 float32 is 1.23 GB of data; the file itself is only its header and a little.
    const path = sparseFile(join(dir, 'openai-200k.npy'), npyHeader(200_000, 1536), 4096);
    await expectRefusal(
      [path],
      [/openai-200k\.npy/, /200,000 × 1,536/, /308 million numbers/, new RegExp(`at most ${MAX_VECTOR_MILLIONS} million`)],
    );
  });

  it('refuses files that pass alone but not together', async () => {
    const npy = sparseFile(join(dir, 'part-vectors.npy'), npyHeader(1000, 384), MAX_NPY_BYTES);
    const csvA = sparseFile(join(dir, 'part-a.csv'), Buffer.from('id,text\n'), MAX_TEXT_BYTES);
    const csvB = sparseFile(join(dir, 'part-b.csv'), Buffer.from('id,text\n'), MAX_TEXT_BYTES);
    await expectRefusal([npy, csvA, csvB], [/3 files/, /1,500 MB together/, /at most 1,250 MB/]);
  });
});
