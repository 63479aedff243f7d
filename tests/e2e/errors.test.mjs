// Bad input: each problem ends in status "error" with a message naming the file (and the row where there is
// one); the app stays usable afterwards, and a map already on screen survives a failed load.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  useApp, openApp, upload, loadExample, clusterList, readExample, parseDelimited, tempDir, SHARED_DATA,
} from './support.mjs';

const EMBEDDINGS = join(SHARED_DATA, 'embeddings', 'bowling-green_all-MiniLM-L6-v2');
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('bad input', () => {
  const app = useApp();
  let dir;
  const example = readExample();
  const realVectors = readFileSync(join(EMBEDDINGS, 'vectors.tsv'), 'utf8').split('\n').filter(Boolean);
  const realMetadata = readFileSync(join(EMBEDDINGS, 'metadata.tsv'), 'utf8').split('\n').filter(Boolean);

  before(async () => {
    dir = tempDir();
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes files into a fresh sub-directory (so names can repeat across cases) and returns their paths. */
  function write(caseName, files) {
    const caseDir = join(dir, caseName);
    mkdirSync(caseDir, { recursive: true });
    return Object.entries(files).map(([name, content]) => {
      const path = join(caseDir, name);
      writeFileSync(path, content);
      return path;
    });
  }

  /** Uploads the files, expects an error whose message matches every pattern, then loads the example. */
  async function expectErrorThenRecover(paths, patterns) {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const result = await upload(page, paths);
      assert.equal(result.status, 'error', `expected an error, got ${result.status} with ${result.points} points`);
      assert.ok(result.error, 'an error message is shown');
      console.log(`error for ${paths.map((p) => p.split('/').pop()).join(' + ')}: ${result.error}`);
      for (const pattern of patterns) assert.match(result.error, pattern);
      assert.equal(result.points, 0, 'no map appears');

      const recovered = await loadExample(page);
      assert.equal(recovered.status, 'ready', `the example loads after the error: ${recovered.error}`);
      assert.equal(recovered.points, example.points);
      assert.equal(await page.locator('[data-testid=error]').count(), 0, 'the error is gone once a map loads');
      return result.error;
    } finally {
      await context.close();
    }
  }

  it('a ragged CSV row names the file and the row', { timeout: 180_000 }, async () => {
    const text =
      'id,udsagn,kommune\n' +
      '1,"Flere hænder, færre skemaer",Vejle\n' +
      '2,Mere forebyggelse,Aarhus\n' +
      '3,Ældre skal bo hjemme længere,Odense,ekstra\n' +
      '4,Bedre busser,Køge\n';
    const records = parseDelimited(text);
    // Rows as a person counts them in an editor: the header is row 1.
    const raggedRow = records.findIndex((record) => record.length !== records[0].length) + 1;
    assert.equal(raggedRow, 4);
    const [path] = write('ragged', { 'skaev-fil.csv': text });
    await expectErrorThenRecover([path], [/skaev-fil\.csv/, new RegExp(`\\brow ${raggedRow}\\b`)]);
  });

  it('a NaN in vectors.tsv names the file and the row', { timeout: 180_000 }, async () => {
    const vectors = realVectors.slice(0, 12);
    const badRow = 7; // vectors.tsv has no header: row n is line n
    const cells = vectors[badRow - 1].split('\t');
    cells[5] = 'NaN';
    vectors[badRow - 1] = cells.join('\t');
    const paths = write('nan', {
      'vectors.tsv': vectors.join('\n') + '\n',
      'metadata.tsv': realMetadata.slice(0, 13).join('\n') + '\n',
    });
    await expectErrorThenRecover(paths, [/vectors\.tsv/, new RegExp(`\\brow ${badRow}\\b`)]);
  });

  it('vectors.tsv and metadata.tsv with different counts name both files', { timeout: 180_000 }, async () => {
    const vectorCount = 12;
    const metadataRows = 9;
    const paths = write('mismatch', {
      'vectors.tsv': realVectors.slice(0, vectorCount).join('\n') + '\n',
      'metadata.tsv': realMetadata.slice(0, 1 + metadataRows).join('\n') + '\n',
    });
    await expectErrorThenRecover(paths, [
      /vectors\.tsv/, /metadata\.tsv/, new RegExp(`\\b${vectorCount}\\b`), new RegExp(`\\b${metadataRows}\\b`),
    ]);
  });

  it('an empty file is named', { timeout: 180_000 }, async () => {
    const [path] = write('empty', { 'tomme-svar.csv': '' });
    await expectErrorThenRecover([path], [/tomme-svar\.csv/]);
  });

  it('a binary file with an unknown extension is named', { timeout: 180_000 }, async () => {
    // Not UTF-8 and no known magic number: bytes 0x80-0xff with NULs, in a file named .bin.
    const bytes = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x00, 0x81]), randomBytes(2048).map((b) => b | 0x80)]);
    const [path] = write('binary', { 'maaling.bin': bytes });
    await expectErrorThenRecover([path], [new RegExp(escape('maaling.bin'))]);
  });

  it('a bad file after a successful map shows the error and keeps the map', { timeout: 180_000 }, async () => {
    const { context, page } = await openApp(app.browser, app.server.url);
    try {
      const first = await loadExample(page);
      assert.equal(first.status, 'ready', first.error);
      assert.equal(first.points, example.points);
      const before = await clusterList(page);
      assert.ok(before.length >= 2);

      const [path] = write('after-map', { 'tomme-svar.csv': '' });
      const result = await upload(page, [path]);
      assert.equal(result.status, 'error');
      assert.match(result.error ?? '', /tomme-svar\.csv/);
      assert.equal(result.points, first.points, 'data-points unchanged');
      assert.equal(result.clusters, first.clusters, 'data-clusters unchanged');
      assert.deepEqual(await clusterList(page), before, 'the cluster list is still there, unchanged');
      assert.equal(await page.locator('[data-testid=export-csv]').isEnabled(), true, 'the map can still be exported');
    } finally {
      await context.close();
    }
  });
});
