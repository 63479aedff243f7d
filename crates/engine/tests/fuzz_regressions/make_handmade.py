"""Writes the hand-made inputs in these folders: files that go wrong in ways a fuzzer rarely builds by mutation
(valid ZIP containers with hostile sheets, headers nested thousands deep). Inputs the fuzzers found are copied here
from fuzz/artifacts/ as they are; this script only makes the hand-made ones.

Run from the repository root: python3 crates/engine/tests/fuzz_regressions/make_handmade.py
"""
import io
import json
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")


def write(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data)


def npy(header, body=b"", version=1):
    header = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    length = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + length + header.encode("latin1") + body


def workbook_with_sheet(sheet_xml):
    """survey.xlsx with its first sheet's XML replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(os.path.join(FIXTURES, "survey.xlsx")) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            target.writestr(item.filename, data)
    return out.getvalue()


def sheet(cells):
    body = "".join('<row r="%d">%s</row>' % (row, "".join(
        '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text) for ref, text in row_cells))
        for row, row_cells in cells)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData>%s</sheetData></worksheet>' % body)


def main():
    # A header nested far deeper than any dict NumPy writes: a recursive parser runs out of stack.
    deep = "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(" * 100_000 + "2, 2)}"
    write("npy", "header-nested-100000-deep.npy", npy(deep, struct.pack("<4f", 1, 2, 3, 4), version=2))
    # A shape whose size in bytes overflows: must be refused before anything is allocated.
    write("npy", "shape-overflows.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904), }"))
    write("npy", "shape-far-beyond-the-bytes.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000, 1536), }", b"\0" * 64))
    # Two cells in opposite corners of the largest sheet Excel allows: a dense grid of 17 billion cells.
    write("workbook", "cells-in-opposite-corners.xlsx",
          workbook_with_sheet(sheet([(1, [("A1", "text")]), (1048576, [("XFD1048576", "x")])])))
    # A header far to the right: a million columns of nothing before it.
    write("workbook", "one-row-16384-wide.xlsx", workbook_with_sheet(sheet([(1, [("A1", "a"), ("XFD1", "b")]), (2, [("A2", "c")])])))

    # Text formats: a JSON array nested past serde_json's recursion limit, a JSON Lines file of one deep object,
    # a CSV whose only quote never closes, UTF-16 with an odd byte count, and a header of 5,000 blank names.
    write("json", "array-nested-100000-deep.json", b"[" * 100_000 + b"]" * 100_000)
    write("json_lines", "object-nested-50000-deep.jsonl", b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"\n{}\n")
    write("delimited", "quote-never-closes.csv", b'text,group\n"one,a\ntwo,b\n' + b"x," * 1000)
    write("delimited", "utf16-odd-length.csv", b"\xff\xfe" + "tekst\nhej".encode("utf-16-le") + b"\x00")
    write("delimited", "five-thousand-blank-headers.csv", b"," * 5000 + b"\n" + b"a," * 5000 + b"\n")
    # Pairs (engine_checks::split_pair: a u32 cut, then both files): vectors with one row fewer than the metadata,
    # NaN and text among the numbers, and a Polis vote matrix whose votes are neither 1, -1, 0 nor empty.
    cut = lambda first, second: struct.pack("<I", len(first)) + first + second
    write("projector_pair", "nan-and-text-in-vectors", cut(b"1\t2\nNaN\t3\nfour\t5\n", b"a\nb\nc\n"))
    write("projector_pair", "ragged-vectors-one-short", cut(b"1\t2\t3\n4\t5\n", b"label\na\nb\nc\n"))
    write("polis_pair", "votes-that-are-not-votes",
          cut(b"comment-id,comment-body,moderated\n1,Mere tid,1\n2,Afvist,-1\n",
              b"participant,group-id,1,2\n1,0,1,yes\n2,,2,-1\n"))

    # Project files whose saved undo history lies about the clusters it restores: undo must not take the app down.
    valid = json.load(open(os.path.join(FIXTURES, "project", "valid-v1.json"), encoding="utf-8"))
    lying = json.loads(json.dumps(valid))
    for change in lying["history"]["done"][1]["patch"]["points"]:
        change["before"] = 77
    write("project", "undo-restores-a-cluster-that-does-not-exist.json", json.dumps(lying).encode())
    lying = json.loads(json.dumps(valid))
    for change in lying["history"]["done"][0]["patch"]["clusters"]:
        change["before"]["size"] = 1_000_000
        change["before"]["id"] = 2_000_000_000
    write("project", "undo-restores-a-cluster-of-a-million.json", json.dumps(lying).encode())


if __name__ == "__main__":
    main()
