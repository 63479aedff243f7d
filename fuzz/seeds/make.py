"""Writes the fuzz targets' seed inputs (a few KB each) from the real data in ../shared/data, public/example and
the engine's test fixtures, so each fuzzer starts from well-formed files of every kind instead of from nothing.

Run from the repository root: python3 fuzz/seeds/make.py. Pure Python (no numpy): .npy seeds are cut from real
.npy files by their header.
"""
import json
import os
import struct
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "data")
if not os.path.isdir(SHARED):
    SHARED = "/work/shared/data"
OUT = os.path.join(ROOT, "fuzz", "seeds")


def read(*parts):
    with open(os.path.join(*parts), "rb") as f:
        return f.read()


def head_lines(data, count):
    return b"\n".join(data.split(b"\n")[:count]) + b"\n"


def write(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data)


def pair(first, second):
    """The layout of engine_checks::split_pair: a little-endian u32 cut position, then both files."""
    return struct.pack("<I", len(first)) + first + second


def files(sheet_choice, entries):
    """The layout of engine_checks::split_files: a sheet byte, then per file a name byte and a u16 length."""
    out = bytes([sheet_choice])
    for name_index, data in entries:
        out += bytes([name_index]) + struct.pack("<H", min(len(data), 0xFFFF)) + data
    return out


def npy_rows(data, rows):
    """The first `rows` rows of a C-order float32 .npy, with its header's shape rewritten."""
    header_len = struct.unpack("<H", data[8:10])[0]
    header = data[10 : 10 + header_len].decode("latin1")
    shape = header[header.index("(") + 1 : header.index(")")]
    dims = [int(x) for x in shape.split(",") if x.strip()]
    new_header = header.replace("(" + shape + ")", "(%d, %d)" % (rows, dims[1]))
    new_header = new_header.rstrip("\n").rstrip() 
    pad = (64 - (10 + len(new_header) + 1) % 64) % 64
    new_header = new_header + " " * pad + "\n"
    body = data[10 + header_len : 10 + header_len + rows * dims[1] * 4]
    return data[:8] + struct.pack("<H", len(new_header)) + new_header.encode("latin1") + body


def main():
    example = read(ROOT, "public", "example", "velfaerd-workshop.csv")
    agendas = read(SHARED, "danish_agendas", "test_agendas.csv")
    titles = read(SHARED, "stackoverflow", "title_StackOverflow.txt")
    bowling = os.path.join(SHARED, "embeddings", "bowling-green_all-MiniLM-L6-v2")
    vectors = read(bowling, "vectors.tsv")
    metadata = read(bowling, "metadata.tsv")
    embeddings = read(bowling, "embeddings.npy")
    polis = os.path.join(SHARED, "polis", "bg2050-volunteers")
    comments = read(polis, "comments.csv")
    votes = read(polis, "participants-votes.csv")

    small_vectors = b"\n".join(b"\t".join(line.split(b"\t")[:12]) for line in vectors.split(b"\n")[:4]) + b"\n"
    small_metadata = head_lines(metadata, 5)
    small_comments = head_lines(comments, 6)
    small_votes = b"\n".join(b",".join(line.split(b",")[:14]) for line in votes.split(b"\n")[:6]) + b"\n"

    write("delimited", "example.csv", head_lines(example, 12))
    write("delimited", "agendas.csv", head_lines(agendas, 6)[:3000])
    write("delimited", "titles.txt", head_lines(titles, 20))
    write("delimited", "vectors.tsv", small_vectors)
    write("delimited", "metadata.tsv", small_metadata)
    write("delimited", "semicolons.csv", "navn;udsagn;gruppe\n1;\"Mere tid, færre skemaer\";a\n2;Bedre busser;b\n".encode())
    write("delimited", "utf16.csv", "\ufefftekst\tgruppe\nHej med dig\t1\n".encode("utf-16-le"))
    write("delimited", "numeric.csv", b"id,text," + b",".join(b"v%d" % i for i in range(8)) + b"\n"
          + b"1,hello," + b",".join(b"0.%d" % i for i in range(8)) + b"\n"
          + b"2,world," + b",".join(b"-1e-3" for _ in range(8)) + b"\n")

    rows = [dict(zip(["id", "text", "group"], [str(i), t, "g%d" % (i % 2)])) for i, t in
            enumerate(["Mere tid til borgerne", "Færre skemaer", "Bedre kollektiv trafik 🚌", "<b>fed</b> tekst"])]
    with_vectors = [dict(r, embedding=[0.1 * i, -0.5, 1e-3, 2.0]) for i, r in enumerate(rows)]
    write("json", "rows.json", json.dumps(rows, ensure_ascii=False).encode())
    write("json", "vectors.json", json.dumps(with_vectors).encode())
    write("json", "nested.json", b'[{"a": {"b": [1, 2]}, "text": null, "n": 1.5e300}, {"a": true}]')
    write("json_lines", "rows.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode() + b"\n")
    write("json_lines", "vectors.jsonl", "\n".join(json.dumps(r) for r in with_vectors).encode() + b"\n")

    write("npy", "bowling-green.npy", npy_rows(embeddings, 3))
    write("npy", "blobs_2d.npy", npy_rows(read(ROOT, "crates", "engine", "tests", "fixtures", "hdbscan", "blobs_2d.npy"), 20))
    header = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }"
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    write("npy", "fortran_f8.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode()
          + struct.pack("<6d", 1, 2, 3, 4, 5, 6))

    fixtures = os.path.join(ROOT, "crates", "engine", "tests", "fixtures")
    write("workbook", "survey.xlsx", read(fixtures, "survey.xlsx"))
    write("workbook", "ragged.xlsx", read(fixtures, "ragged.xlsx"))

    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
           '<si><t>svar</t></si><si><r><t>Mere </t></r><r><t>tid</t></r></si></sst>').encode()
    for fixture in ["survey.xlsx", "ragged.xlsx"]:
        with zipfile.ZipFile(os.path.join(fixtures, fixture)) as book:
            for name in book.namelist():
                if name.startswith("xl/worksheets/sheet") and len(book.read(name)) < 4096:
                    stem = fixture.split(".")[0] + "-" + name.split("/")[-1].split(".")[0]
                    write("workbook_xml", stem, pair(book.read(name), sst))
    write("workbook_xml", "shared-strings", pair(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="3"><c r="A3" t="s"><v>1</v></c>'
        b'<c r="C3"><v>1.5</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" s="1"><v>45943</v></c></row></sheetData></worksheet>',
        sst))

    write("projector_pair", "bowling-green", pair(small_vectors, small_metadata))
    write("projector_pair", "lone-column", pair(small_vectors, b"label\na\nb\nc\n"))
    write("polis_pair", "bg2050", pair(small_comments, small_votes))

    write("read_files", "projector", files(0, [(12, small_vectors), (13, small_metadata)]))
    write("read_files", "polis", files(0, [(14, small_comments), (15, small_votes)]))
    write("read_files", "csv_and_json", files(0, [(0, head_lines(example, 5)), (4, json.dumps(rows).encode())]))
    write("read_files", "npy_and_tsv", files(1, [(7, npy_rows(embeddings, 3)), (1, small_metadata)]))
    write("read_files", "workbook_sheet", files(2, [(8, read(fixtures, "survey.xlsx"))]))
    write("read_files", "sniffed", files(0, [(11, "\n".join(json.dumps(r) for r in rows).encode())]))

    project_fixtures = os.path.join(fixtures, "project")
    for name in ["valid-v1.json", "unknown-way-cluster.json", "short-positions.json", "future-version.json"]:
        write("project", name, read(project_fixtures, name))

    write("publish", "manifest.json", b'{"files":["index.html","app/vejkort.js","app/vejkort_bg.wasm","project.vejkort.json"]}')
    write("publish", "title.txt", "Velfærd <workshop> 2025 & \"mere\"".encode())

    def safetensors(header, data):
        header = json.dumps(header).encode()
        return struct.pack("<Q", len(header)) + header + data

    write("safetensors", "f32-f16-bf16", safetensors({
        "__metadata__": {"format": "pt"},
        "w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
        "h": {"dtype": "F16", "shape": [3], "data_offsets": [16, 22]},
        "b": {"dtype": "BF16", "shape": [1, 1], "data_offsets": [22, 24]},
        "i": {"dtype": "I64", "shape": [1], "data_offsets": [24, 32]},
    }, struct.pack("<4f", 1, -2, 0.5, 3) + b"\x00\x3c\x00\xc0\x00\x00" + b"\x80\x3f" + struct.pack("<q", 7)))
    model = os.path.join(ROOT, "public", "models", "e5-small-q4.bin")
    if os.path.isfile(model):
        with open(model, "rb") as f:
            write("model_file", "e5-small-q4-first-8k.bin", f.read(8192))

    texts = [
        head_lines(example, 8),
        head_lines(agendas, 4)[:2000],
        head_lines(titles, 10),
        "Don’t panic: 2035-planen, ældreplejen & borgerne! مرحبا بالعالم שלום 你好世界 🙂👍🏽 Ａ\u00ad\t\r\n".encode(),
    ]
    for target in ["text", "e5_tokenizer", "wordpiece"]:
        for index, text in enumerate(texts):
            write(target, "text%d.txt" % index, text)


if __name__ == "__main__":
    sys.exit(main())
