#!/usr/bin/env python3
"""Cuts the test fixtures of this directory out of the recorded GradBench runs (not run by the tests).

Usage: python3 cut.py /work/shared/gradbench/recordings   (the recordings ht.jsonl.gz and ht-simple.jsonl.gz)

From each recording's first workload (hand1_t26_c100, GradBench snapshot f26651a7) it keeps the first K
correspondences, their points (and us), the vertices those correspondences use, and the triangles they name,
renumbered in order of first use; the bones' data is kept whole. Residual row 3i + j depends only on
correspondence i, so the recorded reference rows (GradBench's manual tool) of the kept correspondences are those
of the cut input, unchanged: the expected numbers are copied, not recomputed.
"""
import gzip
import json
import os
import sys

K = 20


def cut(path, complicated):
    with gzip.open(path, "rt") as f:
        header = json.loads(f.readline())
        workload = json.loads(f.readline())
    inp = workload["input"]
    model = inp["data"]["model"]
    corr = inp["data"]["correspondences"][:K]
    vertex_map = {}

    def vertex(v):
        if v not in vertex_map:
            vertex_map[v] = len(vertex_map)
        return vertex_map[v]

    if complicated:
        triangles = [[vertex(v) for v in model["triangles"][t]] for t in corr]
        new_corr = list(range(len(corr)))
    else:
        new_corr = [vertex(v) for v in corr]
        triangles = []
    old = sorted(vertex_map, key=vertex_map.get)
    cut_model = dict(model)
    cut_model["base_positions"] = [model["base_positions"][v] for v in old]
    cut_model["weights"] = [model["weights"][v] for v in old]
    cut_model["triangles"] = triangles
    cut_input = {
        "theta": inp["theta"],
        "data": {"model": cut_model, "correspondences": new_corr, "points": inp["data"]["points"][:K]},
        "us": inp["us"][:K] if complicated else [],
    }
    expected = {c["function"]: c["expected"] for c in workload["calls"]}
    return {
        "source": "GradBench recording %s, workload %s (eval args: %s; GradBench commit %s); first %d "
        "correspondences, vertices and triangles renumbered; expected values: GradBench's manual tool, as recorded"
        % (os.path.basename(path), workload["description"], header["eval_args"], header["gradbench_commit"], K),
        "input": cut_input,
        "objective": expected["objective"][: 3 * K],
        "jacobian": expected["jacobian"][: 3 * K],
    }


here = os.path.dirname(os.path.abspath(__file__))
for name, complicated in (("ht", True), ("ht-simple", False)):
    fixture = cut(os.path.join(sys.argv[1], name + ".jsonl.gz"), complicated)
    out = os.path.join(here, ("complicated" if complicated else "simple") + "-hand1-c%d.json" % K)
    with open(out, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
