#!/usr/bin/env python3
"""Writes the bad-input corpus under tests/fixtures/bad/: each file one real way an upload goes wrong.

Kept as a script so every odd byte in the corpus is explained (encodings, truncations, zip tricks) and can be
re-made; the files themselves are committed, so the tests never depend on running this. The 10 MB single line
is not here: the tests generate it into a temporary folder (see expected.json, "generate").
Run: python3 scripts/make-bad-fixtures.py
"""
import io
import os
import struct
import zipfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'bad')

STATEMENTS = [
    'Flere hænder i ældreplejen',
    'Mindre dokumentation, mere tid til borgerne',
    'Bedre busforbindelser i landdistrikterne',
    'Skolerne mangler uddannede lærere',
    'Ældre skal kunne bo hjemme længere',
    'Kortere ventetid på psykiatrisk hjælp',
    'Grønne områder tæt på boligerne',
    'Mere forebyggelse i sundhedsvæsenet',
]


def write(name, data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)


def table(delimiter=',', rows=STATEMENTS, header=('id', 'udsagn', 'kommune'), newline='\n'):
    towns = ['Vejle', 'Aarhus', 'Odense', 'Køge', 'Aalborg', 'Esbjerg', 'Roskilde', 'Horsens']
    quote = lambda cell: '"' + cell.replace('"', '""') + '"' if (delimiter in cell or '"' in cell) else cell
    lines = [delimiter.join(quote(name) for name in header)]
    for i, text in enumerate(rows):
        cell = '"' + text.replace('"', '""') + '"' if (delimiter in text or '"' in text or '\n' in text) else text
        lines.append(delimiter.join([str(i + 1), cell, towns[i % len(towns)]]))
    return newline.join(lines) + newline


def npy(descr, shape, data, fortran=False, version=1):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, 'True' if fortran else 'False', shape)
    prefix = 10 if version == 1 else 12
    while (prefix + len(header) + 1) % 64:
        header += ' '
    header += '\n'
    out = b'\x93NUMPY' + bytes([version, 0])
    out += struct.pack('<H', len(header)) if version == 1 else struct.pack('<I', len(header))
    return out + header.encode('latin-1') + data


def matrix(rows, dim):
    """Deterministic, distinct vectors: row r, column c."""
    return [[((r * 7 + c * 3) % 11) / 10.0 - 0.5 + r * 0.01 for c in range(dim)] for r in range(rows)]


def f32(values, endian='<'):
    return b''.join(struct.pack(endian + 'f', v) for row in values for v in row)


def tsv_block(values):
    return ''.join('\t'.join('%.4f' % v for v in row) + '\n' for row in values)


def put(z, name, text):
    """A zip member with a fixed date, so re-running the script leaves committed files unchanged."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = z.compression
    z.writestr(info, text)


def xlsx(sheets):
    """A minimal XLSX (inline strings) with the given sheets: {name: [[cell, ...], ...]}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as z:
        names = list(sheets)
        put(z, '[Content_Types].xml',
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + ''.join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1) for i in range(len(names)))
                   + '</Types>')
        put(z, '_rels/.rels',
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        put(z, 'xl/workbook.xml',
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + ''.join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i + 1, i + 1) for i, n in enumerate(names))
                   + '</sheets></workbook>')
        put(z, 'xl/_rels/workbook.xml.rels',
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + ''.join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1) for i in range(len(names)))
                   + '</Relationships>')
        for i, name in enumerate(names):
            rows = sheets[name]
            xml = ''
            for r, row in enumerate(rows):
                cells = ''
                for c, value in enumerate(row):
                    ref = chr(ord('A') + c) + str(r + 1)
                    if isinstance(value, (int, float)):
                        cells += '<c r="%s"><v>%s</v></c>' % (ref, value)
                    else:
                        text = str(value).replace('&', '&amp;').replace('<', '&lt;')
                        cells += '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)
                xml += '<row r="%d">%s</row>' % (r + 1, cells)
            put(z, 'xl/worksheets/sheet%d.xml' % (i + 1),
                       '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       '<sheetData>%s</sheetData></worksheet>' % xml)
    return buffer.getvalue()


def main():
    os.makedirs(HERE, exist_ok=True)
    base = table()
    lines = base.splitlines(keepends=True)

    # --- delimited text -------------------------------------------------------------------------------------
    write('ragged-too-many-fields.csv', ''.join(lines[:3]) + lines[3].rstrip('\n') + ',ekstra\n' + ''.join(lines[4:]))
    write('ragged-too-few-fields.csv', ''.join(lines[:2]) + '2,Mindre dokumentation\n' + ''.join(lines[3:]))
    write('semicolons-named.tsv', table(';'))
    write('tabs-named.csv', table('\t'))
    mixed = lines[:3] + [lines[3].replace(',', ';')] + lines[4:]
    write('mixed-delimiters.csv', ''.join(mixed))
    write('latin-1.csv', table(';').encode('latin-1'))
    cp1252_rows = ['Prisen på buskort skal ned til 10 €', '“Nærhed” betyder mest for ældre', 'Mindre bureaukrati – mere tid'] + STATEMENTS[:5]
    write('windows-1252.csv', table(';', cp1252_rows).encode('cp1252'))
    write('utf-16-le-bom.txt', b'\xff\xfe' + table('\t').encode('utf-16-le'))
    write('utf-16-be-bom.csv', b'\xfe\xff' + table(',').encode('utf-16-be'))
    write('utf-16-le-no-bom.csv', table(',').encode('utf-16-le'))
    write('utf-8-bom.csv', b'\xef\xbb\xbf' + base.encode('utf-8'))
    write('crlf-line-endings.csv', table(',', newline='\r\n'))
    write('cr-only-line-endings.csv', table(',', newline='\r'))
    multi = list(STATEMENTS)
    multi[2] = 'Bedre busser.\nOgså om aftenen, og i weekenden'
    write('multiline-quoted-cell.csv', table(',', multi))
    multi_text = table(',', multi).splitlines(keepends=True)
    # Header (line 1), rows 2-3, a record on lines 4-5, rows 6.. : break the record on line 7.
    multi_text[6] = multi_text[6].rstrip('\n') + ',ekstra\n'
    write('multiline-then-ragged.csv', ''.join(multi_text))
    write('unterminated-quote.csv', ''.join(lines[:4]) + '4,"Skolerne mangler lærere,Køge\n' + ''.join(lines[5:]))
    write('header-only.csv', 'id,udsagn,kommune\n')
    write('one-row.csv', ''.join(lines[:2]))
    write('blank-lines-only.csv', '\n\n   \n\r\n\n')
    write('rows-of-empty-cells.csv', 'id,udsagn,kommune\n,,\n,,\n,,\n')
    dup_rows = lines[:4] + [lines[4].replace('4,', '2,', 1)] + lines[5:]
    write('duplicate-ids.csv', ''.join(dup_rows))
    write('duplicate-column-names.csv', table(',', header=('id', 'svar', 'svar')))
    long_name = 'Hvad mener du er det vigtigste, kommunen bør gøre for ' * 40
    write('very-long-header-names.csv', table(',', header=('id', long_name.strip(), 'kommune ' * 200)))
    write('empty-text-column.csv', 'id,udsagn,antal\n1,,3\n2,,4\n3,,5\n4,,6\n')
    html = ['<script>alert("xss")</script> Flere hænder', '<b>fed</b> &amp; <i>kursiv</i> tekst om skolen',
            '<img src=x onerror=alert(1)> bedre busser', "Ældre'); DROP TABLE svar;-- hjemme længere"] + STATEMENTS[4:]
    write('html-and-script.csv', table(',', html))
    rtl = ['المزيد من الأيدي في رعاية المسنين', 'حافلات أفضل في المناطق الريفية', 'מורים נוספים בבתי הספר',
           'זמן המתנה קצר יותר לעזרה נפשית', 'Ældre skal bo hjemme ‏שלום‏ længere'] + STATEMENTS[5:]
    write('right-to-left.csv', table(',', rtl))
    emoji = ['Flere hænder 👩‍⚕️👨‍⚕️ i plejen', 'Bedre busser 🚌🚌 tak', 'Skolen 🏫 mangler lærere 👩🏽‍🏫',
             '🌳🌳 grønne områder 🌳', 'Kortere ventetid ⏳ på hjælp'] + STATEMENTS[5:]
    write('emoji.csv', table(',', emoji))
    garbage = bytes((i * 73 + 41) % 256 for i in range(4096))
    write('binary-garbage.csv', garbage)
    write('pdf-named.csv', b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n' + garbage[:512])
    write('old-excel-97.xls', b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(504) + garbage[:512])

    # --- vectors ---------------------------------------------------------------------------------------------
    vectors = matrix(8, 8)
    block = tsv_block(vectors).splitlines(keepends=True)
    cells = block[2].split('\t'); cells[4] = 'NaN'; block_nan = block[:2] + ['\t'.join(cells)] + block[3:]
    write('vectors-nan.tsv', ''.join(block_nan))
    cells = block[1].split('\t'); cells[0] = 'inf'; block_inf = block[:1] + ['\t'.join(cells)] + block[2:]
    write('vectors-inf.tsv', ''.join(block_inf))
    cells = block[3].split('\t'); cells[6] = '#VALUE!'; block_text = block[:3] + ['\t'.join(cells)] + block[4:]
    write('vectors-text-cell.tsv', ''.join(block_text))
    cells = block[3].rstrip('\n').split('\t'); block_short = block[:3] + ['\t'.join(cells[:7]) + '\n'] + block[4:]
    write('vectors-mixed-length.tsv', ''.join(block_short))
    head = ','.join(['udsagn'] + ['d%d' % i for i in range(8)]) + '\n'
    rows = [','.join(['"%s"' % STATEMENTS[r]] + ['%.4f' % v for v in vectors[r]]) for r in range(8)]
    nan_rows = list(rows); cells = nan_rows[4].split(','); cells[3] = 'nan'; nan_rows[4] = ','.join(cells)
    write('table-vectors-lowercase-nan.csv', head + '\n'.join(nan_rows) + '\n')
    empty_rows = list(rows); cells = empty_rows[5].split(','); cells[8] = ''; empty_rows[5] = ','.join(cells)
    write('table-vectors-empty-cell.csv', head + '\n'.join(empty_rows) + '\n')
    write('projector-count-vectors.tsv', tsv_block(matrix(10, 8)))
    write('projector-count-metadata.tsv', 'label\n' + ''.join(s + '\n' for s in STATEMENTS[:7]))
    write('projector-headerless-vectors.tsv', tsv_block(matrix(8, 8)))
    write('projector-headerless-metadata.tsv', ''.join(s + '\n' for s in STATEMENTS))
    import json
    records = [{'text': STATEMENTS[r], 'embedding': [round(v, 4) for v in vectors[r]]} for r in range(6)]
    mixed_json = json.loads(json.dumps(records)); mixed_json[3]['embedding'] = mixed_json[3]['embedding'][:5]
    write('json-vectors-mixed-length.json', json.dumps(mixed_json, ensure_ascii=False, indent=1))
    text_json = json.loads(json.dumps(records)); text_json[2]['embedding'][1] = 'NaN'
    write('json-vector-with-text.json', json.dumps(text_json, ensure_ascii=False, indent=1))

    # --- .npy ------------------------------------------------------------------------------------------------
    good = npy('<f4', '(8, 8)', f32(vectors))
    write('npy-truncated-header.npy', good[:30])
    write('npy-truncated-data.npy', good[:len(good) - 100])
    write('npy-int64.npy', npy('<i8', '(8, 8)', b''.join(struct.pack('<q', r * 8 + c) for r in range(8) for c in range(8))))
    write('npy-complex64.npy', npy('<c8', '(8, 8)', f32([[v, 0.0] for row in vectors for v in row])))
    write('npy-unicode-strings.npy', npy('<U4', '(3,)', ''.join(s.ljust(4, '\0') for s in ['ja', 'nej', 'ved']).encode('utf-32-le')))
    write('npy-object-pickle.npy', npy('|O', '(2,)', b'\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00]\x94(K\x01K\x02e.'))
    transposed = [[vectors[r][c] for r in range(8)] for c in range(8)]
    write('npy-fortran-order.npy', npy('<f4', '(8, 8)', f32(transposed), fortran=True))
    write('npy-3d.npy', npy('<f4', '(2, 4, 8)', f32(vectors)))
    write('npy-1d.npy', npy('<f4', '(8,)', f32([vectors[0]])))
    write('npy-big-endian.npy', npy('>f4', '(8, 8)', f32(vectors, '>')))
    nan_vectors = [list(row) for row in vectors]; nan_vectors[5][2] = float('nan')
    write('npy-nan.npy', npy('<f4', '(8, 8)', f32(nan_vectors)))
    write('npy-named.csv', good)
    write('npy-dim-a.npy', npy('<f4', '(4, 8)', f32(vectors[:4])))
    write('npy-dim-b.npy', npy('<f4', '(4, 6)', f32([row[:6] for row in vectors[4:]])))

    # --- workbooks -------------------------------------------------------------------------------------------
    write('xlsx-empty-sheet.xlsx', xlsx({'Ark1': []}))
    write('xlsx-header-only.xlsx', xlsx({'Svar': [['id', 'udsagn']]}))
    write('xlsx-named.csv', xlsx({'Ark1': [['id', 'udsagn']] + [[i + 1, s] for i, s in enumerate(STATEMENTS)]}))
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, 'w') as z:
        put(z, '[Content_Types].xml', '<Types/>')
        put(z, 'word/document.xml', '<w:document><w:body><w:p>Referat</w:p></w:body></w:document>')
    write('word-document-named.xlsx', docx.getvalue())
    write('corrupt-zip.xlsx', b'PK\x03\x04\x14\x00\x00\x00\x08\x00' + garbage[:300])

    # --- JSON ------------------------------------------------------------------------------------------------
    write('json-object-not-array.json', json.dumps({'svar': STATEMENTS}, ensure_ascii=False, indent=1))
    write('json-array-of-strings.json', json.dumps(STATEMENTS, ensure_ascii=False, indent=1))
    items = [{'udsagn': s} for s in STATEMENTS]
    text = json.dumps(items, ensure_ascii=False, indent=1).splitlines()
    text[8] = text[8].replace('"udsagn"', 'udsagn')  # an unquoted key on line 9
    write('json-invalid-syntax.json', '\n'.join(text) + '\n')
    full = json.dumps(items, ensure_ascii=False, indent=1)
    write('json-truncated.json', full[:len(full) // 2])
    write('json-empty-array.json', '[]\n')
    jl = [json.dumps(i, ensure_ascii=False) for i in items]
    jl[2] = jl[2][:-1]  # a line cut short: line 3
    write('jsonl-bad-line.jsonl', '\n'.join(jl) + '\n')
    jl = [json.dumps(i, ensure_ascii=False) for i in items]
    jl[4] = json.dumps([STATEMENTS[4]], ensure_ascii=False)
    write('jsonl-array-line.jsonl', '\n'.join(jl) + '\n')
    write('json-html-and-script.json', json.dumps([{'udsagn': s} for s in html], ensure_ascii=False, indent=1))

    # --- Polis -----------------------------------------------------------------------------------------------
    comments = 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n' + ''.join(
        '1700000000,x,%d,%d,1,0,1,"%s"\n' % (i, i, s) for i, s in enumerate(STATEMENTS))
    write('polis-bad-vote-comments.csv', comments)
    header = 'participant,group-id,n-comments,n-votes,n-agree,n-disagree,' + ','.join(str(i) for i in range(8))
    votes = [header]
    for p in range(6):
        cells = [str(p), str(p % 2), '0', '8', '4', '4'] + [str(((p + c) % 3) - 1) for c in range(8)]
        if p == 3:
            cells[6 + 5] = 'agree'
        votes.append(','.join(cells))
    write('polis-bad-vote-participants-votes.csv', '\n'.join(votes) + '\n')

    # --- project files ---------------------------------------------------------------------------------------
    src = os.path.join(HERE, '..', '..', '..', 'crates', 'engine', 'tests', 'fixtures', 'project', 'valid-v1.json')
    project = json.load(open(src, encoding='utf-8'))
    future = dict(project); future['version'] = 7
    ordered = {'format': future.pop('format'), 'version': future.pop('version')}; ordered.update(future)
    write('project-from-the-future.json', json.dumps(ordered, ensure_ascii=False, separators=(',', ':')))
    write('project-future-sorted-keys.json', json.dumps(ordered, ensure_ascii=False, sort_keys=True, indent=2))
    missing = {k: v for k, v in project.items() if k not in ('positions',)}
    ordered = {'format': missing.pop('format'), 'version': missing.pop('version')}; ordered.update(missing)
    write('project-missing-positions.json', json.dumps(ordered, ensure_ascii=False, separators=(',', ':')))
    ordered = {'format': project['format'], 'version': project['version']}
    ordered.update({k: v for k, v in project.items() if k not in ordered})
    whole = json.dumps(ordered, ensure_ascii=False, separators=(',', ':'))
    write('project-truncated.json', whole[:len(whole) * 2 // 3])
    bad_version = dict(ordered); bad_version['version'] = '2'
    write('project-version-as-text.json', json.dumps(bad_version, ensure_ascii=False, separators=(',', ':')))


if __name__ == '__main__':
    main()
