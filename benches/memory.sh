#!/usr/bin/env bash
# Peak memory of one replication of the Eurasia baseline above what its network can carry:
# every container flow at 3 and at 10 times its demand (`sweep --demand`), over 1, 10 and 50
# measured years, on one thread. Prints the wall time and the peak resident set of each
# run, and the TEU still on their way at the end (the backlog of every flow).
# Usage: benches/memory.sh [CORRIDOR_BINARY].
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
    cargo build --release --quiet
    bin=$PWD/target/release/corridor
fi
work=$(mktemp -d -t corridor-memory-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '| demand | years | wall time | peak RSS | backlog at the end, TEU |\n|---|---|---|---|---|\n'
for demand in 3 10; do
    for years in 1 10 50; do
        days=$((365 * years + 30))
        /usr/bin/time -f '%e %M' -o "$work/time" "$bin" sweep scenarios/eurasia_2025.toml \
            --demand "$demand" --set "scenario.horizon_days=$days" \
            --replications 1 --threads 1 --format json >"$work/out.json"
        read -r secs kb <"$work/time"
        backlog=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{round(sum(f['backlog_teu']['mean'] for f in d['points'][0]['results']['flows'])):,}\")" "$work/out.json")
        printf '| %sx | %s | %.1f s | %d MB | %s |\n' "$demand" "$years" "$secs" $((kb / 1024)) "$backlog"
    done
done
