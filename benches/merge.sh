#!/usr/bin/env bash
# The cost of `corridor merge`: the Eurasian baseline run as shards of one replication
# each (GNU parallel, one shard per core), then merged, for 10, 100 and 1,000 shards;
# prints the merge's wall time and peak memory (GNU time) beside those of one run in one
# piece. Usage: benches/merge.sh [SHARD_COUNTS...] (default 10 100 1000). Needs GNU
# parallel and /usr/bin/time; takes about two minutes on 2 cores for 1,000 shards.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/corridor
scenario=scenarios/eurasia_2025.toml
work=$(mktemp -d -t corridor-merge-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
measure() { # label, command...: wall seconds and peak RSS in MB
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    read -r wall kb <"$work/time"
    printf '%-44s %8.2f s %8.1f MB\n' "$label" "$wall" "$(echo "$kb / 1024" | bc -l)"
}
for n in "${@:-10 100 1000}"; do
    for count in $n; do
        parts=$work/parts-$count
        parallel -j "$(nproc)" --halt now,fail=1 "$bin" run $scenario --replications "$count" \
            --threads 1 --shard {}/"$count" --out "$parts" --quiet ::: $(seq "$count") 2>/dev/null
        size=$(du -sm "$parts" | cut -f1)
        measure "merge of $count parts ($count replications, $size MB)" \
            "$bin" merge "$parts" --format json --out "$work/merged-$count" --quiet
        measure "one run of $count replications (2 threads)" \
            "$bin" run $scenario --replications "$count" --format json --out "$work/one-$count" --quiet
        cmp -s "$work/one-$count/results.json" "$work/merged-$count/results.json" ||
            { echo "merge of $count parts differs from one run"; exit 1; }
    done
done
