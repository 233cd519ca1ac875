#!/usr/bin/env python3
"""Generate the randomized trec_eval fixture: random.qrels, random.run and
random.beir.tsv (BEIR TSV twin of random.qrels).

SEED = 20240611 (fixed; the output is fully determined by it and by this
script, using only Python's `random` module, which is stable across
CPython 3.x versions for random(), randint(), choice(), shuffle() and
sample() given the same seed).

Usage:  python3 gen_random_fixture.py [OUTPUT_DIR]   (default: script's dir)

What it exercises:
  * 30 queries with qrels (qids 101..130), each with ~100 retrieved docs
  * graded relevance 0..2, plus unjudged retrieved docs
  * scores rounded to 2 decimals (many natural ties) plus deliberate
    duplicated scores, so tie-breaking by docno is exercised heavily
  * docnos of varying digit length (D7, D70, D700 ...) so that string order
    differs from numeric order
  * the rank column follows score order but breaks ties by ascending docno
    (as many toolkits do), which disagrees with trec_eval's tie-break; the
    lines of some queries are written in shuffled order
  * query 127: judged, but all judgments are rel 0
  * query 128: in qrels but absent from the run (matters for -c)
  * query 131: in the run but absent from the qrels (must be ignored)
  * query 129: retrieves only 7 docs (fewer than most cutoffs)
"""
import os
import random
import sys

SEED = 20240611


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(SEED)
    qrels_lines = []   # (qid, docno, rel)
    run_lines = []     # (qid, docno, rank, score_str)

    for qnum in range(101, 132):
        qid = str(qnum)
        # candidate doc universe for this query: docnos with varying digit lengths
        universe = set()
        while len(universe) < 160:
            universe.add("D%d" % rng.choice([rng.randint(1, 9), rng.randint(10, 99),
                                              rng.randint(100, 999), rng.randint(1000, 9999)]))
        universe = sorted(universe)
        rng.shuffle(universe)

        # judgments: 90 judged docs
        if qnum != 131:
            judged = universe[:90]
            for d in judged:
                if qnum == 127:
                    rel = 0
                else:
                    x = rng.random()
                    rel = 0 if x < 0.6 else (1 if x < 0.85 else 2)
                qrels_lines.append((qid, d, rel))

        if qnum == 128:
            continue  # no results for this query

        n_ret = 7 if qnum == 129 else rng.randint(95, 105)
        # retrieved: mostly judged docs plus some unjudged ones (universe[90:])
        pool = universe[:75] + universe[90:160]
        retrieved = rng.sample(pool, n_ret)
        scores = {}
        for d in retrieved:
            scores[d] = round(rng.uniform(-5.0, 25.0), 2)
        # deliberate ties: copy some scores onto other docs
        for _ in range(8):
            a, b = rng.sample(retrieved, 2)
            scores[b] = scores[a]
        # rank column: score descending, ties by ascending docno (NOT trec_eval's order)
        ordered = sorted(retrieved, key=lambda d: (-scores[d], d))
        lines = []
        for rank, d in enumerate(ordered, start=1):
            s = scores[d]
            # mix number formats: plain, integer-looking, scientific
            fmt = rng.random()
            if fmt < 0.1 and s == int(s):
                s_str = "%d" % int(s)
            elif fmt < 0.2:
                s_str = "%.6e" % s
            else:
                s_str = "%.2f" % s
            lines.append((qid, d, rank, s_str))
        if qnum % 3 == 0:
            rng.shuffle(lines)
        run_lines.extend(lines)

    # Keep qrels grouped by query in a deterministic but not sorted order
    with open(os.path.join(out_dir, "random.qrels"), "w") as f:
        for qid, d, rel in qrels_lines:
            f.write("%s 0 %s %d\n" % (qid, d, rel))
    with open(os.path.join(out_dir, "random.beir.tsv"), "w") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for qid, d, rel in qrels_lines:
            f.write("%s\t%s\t%d\n" % (qid, d, rel))
    with open(os.path.join(out_dir, "random.run"), "w") as f:
        for qid, d, rank, s_str in run_lines:
            f.write("%s Q0 %s %d %s randomRun\n" % (qid, d, rank, s_str))
    print("seed=%d qrels=%d run=%d" % (SEED, len(qrels_lines), len(run_lines)))


if __name__ == "__main__":
    main()
