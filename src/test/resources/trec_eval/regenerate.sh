#!/usr/bin/env bash
# Regenerate all trec_eval golden outputs in this directory.
# Usage: ./regenerate.sh /path/to/trec_eval
# Golden files were produced with trec_eval built from usnistgov/trec_eval
# tag v9.0.8 (commit d95ca64e14a47d763ae349fb65e6d8cde4141dbd), which prints
# "trec_eval version 9.0.7" (the Makefile VERSIONID was not bumped for 9.0.8).
set -u
TE="${1:?usage: $0 /path/to/trec_eval}"
cd "$(dirname "$0")"

# Measures requested explicitly (besides all_trec). trec_eval prints them in its
# internal measure-table order, not in command-line order.
CUSTOM=(-m ndcg_cut.1,3,5,10,20 -m recall.5,10,100 -m P.5,10 -m map_cut.5,10
        -m recip_rank -m Rprec -m map -m ndcg)

# Fixtures that evaluate successfully.
FIXTURES=(ties graded unjudged coverage scores short format random dup_qrels_unused)

run() {  # run OUTFILE ARGS... ; fails loudly on non-zero exit
    local out="$1"; shift
    if ! "$TE" "$@" > "$out"; then
        echo "trec_eval failed for: $*" >&2; exit 1
    fi
}

for n in "${FIXTURES[@]}"; do
    q="$n.qrels"; r="$n.run"
    run "$n.c.all_trec.txt"    -q -c       -m all_trec "$q" "$r"
    run "$n.noc.all_trec.txt"  -q          -m all_trec "$q" "$r"
    run "$n.c.l2.all_trec.txt" -q -c -l 2  -m all_trec "$q" "$r"
    run "$n.c.M5.all_trec.txt" -q -c -M 5  -m all_trec "$q" "$r"
    run "$n.c.custom.txt"      -q -c       "${CUSTOM[@]}" "$q" "$r"
    run "$n.noc.custom.txt"    -q          "${CUSTOM[@]}" "$q" "$r"
done

# Error fixtures: record stdout, stderr and exit status.
for n in dup_run dup_qrels; do
    "$TE" -q -c -m all_trec "$n.qrels" "$n.run" > "$n.c.all_trec.txt" 2> "$n.c.all_trec.stderr.txt"
    echo $? > "$n.c.all_trec.rc.txt"
done
# With -M 2 the duplicate in dup_run (3rd doc of q2) is cut off before the
# duplicate check, so this evaluates successfully.
run dup_run.c.M2.all_trec.txt -q -c -M 2 -m all_trec dup_run.qrels dup_run.run

echo "done: $("$TE" -v 2>&1)"
