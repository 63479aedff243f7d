// The tests compute their expectations with their own readers (support.mjs), never from the app: these checks
// keep those readers honest, so a wrong expectation cannot hide an app bug.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseDelimited, toCsv, countWithText, readXlsx, npyShape, tempDir, SHARED_DATA, ROOT } from './support.mjs';

describe('RFC 4180 parser used for expectations', () => {
  it('reads quotes, doubled quotes, delimiters and line breaks inside quoted fields', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\n2,"two\nlines",\r\n3,,"crlf\r\ninside"';
    assert.deepEqual(parseDelimited(text), [
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
      ['3', '', 'crlf\r\ninside'],
    ]);
  });

  it('does not add a record for a final line break, keeps blank lines and reads other delimiters', () => {
    assert.deepEqual(parseDelimited('a\tb\n\n1\t2\n', '\t'), [['a', 'b'], [''], ['1', '2']]);
    assert.deepEqual(parseDelimited(''), []);
    assert.deepEqual(parseDelimited('"only"'), [['only']]);
    assert.throws(() => parseDelimited('a,"open'));
  });

  it('writes CSV that it reads back unchanged', () => {
    const records = [['title'], ['with, comma'], ['with "quote"'], ['line\nbreak'], ['plain']];
    assert.deepEqual(parseDelimited(toCsv(records)), records);
  });

  it('counts rows with text after trimming', () => {
    assert.equal(countWithText([{ t: ' a ' }, { t: '  ' }, { t: '' }, {}, { t: 'b' }], 't'), 2);
  });
});

describe('file readers used for expectations', () => {
  it('reads the XLSX fixture: sheet names in order, header and text rows', () => {
    const sheets = readXlsx(join(ROOT, 'crates', 'engine', 'tests', 'fixtures', 'survey.xlsx'));
    assert.deepEqual(sheets.map((s) => s.name), ['Svar', 'Baggrund', 'Vektorer', 'Tom']);
    const [svar] = sheets;
    assert.deepEqual(svar.rows[0], ['Respondent', 'Kommune', 'Svar', 'Alder', 'Vægt', 'Indsendt', 'Note']);
    assert.equal(svar.rows[3][2], 'Færgen skal sejle oftere – også søndag');
    assert.equal(sheets[3].rows.length, 0);
  });

  it('reads the shape of an .npy header', () => {
    const dir = tempDir();
    try {
      const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (7, 3), }";
      const padded = header.padEnd(118, ' ') + '\n';
      const bytes = Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), Buffer.from([padded.length, 0]),
        Buffer.from(padded, 'latin1'), Buffer.alloc(7 * 3 * 4)]);
      writeFileSync(join(dir, 'm.npy'), bytes);
      assert.deepEqual(npyShape(join(dir, 'm.npy')), [7, 3]);
      assert.equal(npyShape(join(SHARED_DATA, 'embeddings', 'bowling-green_all-MiniLM-L6-v2', 'embeddings.npy')).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
