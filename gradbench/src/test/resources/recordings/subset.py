#!/usr/bin/env python3
"""Writes the CI-sized subset of the GradBench recordings that ReplayTest plays (see README.md here).

Run from this directory with the shared recordings' directory as argument:
    python3 subset.py ../../../../../../shared/gradbench/recordings
Each output file keeps the recording's header line and the workloads named below, unchanged.
"""
import gzip
import json
import os
import sys

KEEP = {
    "hello": None,  # all of it: the eval feeds each output into the next message
    "llsq": {"n=16,m=128", "n=64,m=128", "n=1024,m=128"},
    "lse": {"n=2500"},
    "ode": {"n=1000,s=1", "n=1000,s=10"},
    "det": {"5", "6", "7"},
    "gmm": {"2_5_1000", "10_5_1000"},
    "lstm": {"l=2,c=1024"},
    "ba": None,
    "ht": {"hand1_t26_c100"},
    "ht-simple": {"hand1_t26_c100"},
}

source = sys.argv[1]
for name, keep in KEEP.items():
    with gzip.open(os.path.join(source, name + ".jsonl.gz"), "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = [lines[0]] + [l for l in lines[1:] if keep is None or json.loads(l).get("description") in keep]
    # mtime=0: the same bytes on every run
    with open(name + ".jsonl.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as g:
            g.write(("\n".join(out) + "\n").encode("utf-8"))
    print(name, len(out) - 1, "workloads")
