#!/usr/bin/env bash
# The cost of loading large and faulty files: writes a scenario with 16,000 roads from
# unknown nodes, one with 19,736 mistyped node ids among 5,000 nodes, an overlay adding
# 100,000 nodes to a base of 100,000, and a 142 x 141 grid of roads (20,022 nodes) with
# 1,000 flows between random places choosing among their 3 fastest routes, and times
# `corridor validate` (which reports every error) on each.
# Usage: benches/loader.sh [CORRIDOR_BINARY].
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
    cargo build --release --quiet
    bin=$PWD/target/release/corridor
fi
work=$(mktemp -d -t corridor-loader-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
head = ['[scenario]', 'name = "faulty"', 'horizon_days = 10', '']
road = lambda i, frm, to: ['[[road]]', f'id = "r{i}"', f'from = "{frm}"', f'to = "{to}"',
                           'length_km = 10', 'speed_kmh = 50', '']
lines = list(head)
for i in range(3):
    lines += ['[[node]]', f'id = "n{i}"', 'kind = "terminal"', '']
for i in range(16000):
    lines += road(i, f"x{i}", "n1")
open(f'{work}/unknown.toml', 'w').write('\n'.join(lines))
lines = list(head)
for i in range(5000):
    lines += ['[[node]]', f'id = "node-{i:04d}"', 'kind = "terminal"', '']
for i in range(19736):
    lines += road(i, f"nod-{i % 5000:04d}", "node-0001")
open(f'{work}/typos.toml', 'w').write('\n'.join(lines))
lines = list(head)
for i in range(100000):
    lines += ['[[node]]', f'id = "b{i}"', 'kind = "terminal"', '']
lines += road(0, "b0", "b1") + ['[[flow]]', 'id = "f"', 'from = "b0"', 'to = "b1"',
    'mode = "road"', 'teu_per_year = 1000', 'unit_teu = 2', '']
open(f'{work}/base.toml', 'w').write('\n'.join(lines))
lines = ['[scenario]', 'extends = "base.toml"', '']
for i in range(100000):
    lines += ['[[node]]', f'id = "o{i}"', 'kind = "terminal"', '']
open(f'{work}/overlay.toml', 'w').write('\n'.join(lines))
import random
random.seed(7)
nx, ny = 142, 141
lines = list(head)
for y in range(ny):
    for x in range(nx):
        lines += ['[[node]]', f'id = "n{x}_{y}"', 'kind = "terminal"', '']
k = 0
for y in range(ny):
    for x in range(nx):
        for dx, dy in ((1, 0), (0, 1)):
            if x + dx < nx and y + dy < ny:
                lines += road(k, f"n{x}_{y}", f"n{x + dx}_{y + dy}")
                lines[-3] = f'length_km = {10 + (x * 7 + y * 13) % 5}'
                k += 1
for i in range(1000):
    a = b = (0, 0)
    while a == b:
        a = (random.randrange(nx), random.randrange(ny))
        b = (random.randrange(nx), random.randrange(ny))
    lines += ['[[flow]]', f'id = "f{i}"', f'from = "n{a[0]}_{a[1]}"', f'to = "n{b[0]}_{b[1]}"',
              'mode = "road"', 'teu_per_year = 100', 'unit_teu = 2',
              'route_choice = "adaptive"', '']
open(f'{work}/adaptive.toml', 'w').write('\n'.join(lines))
PY
for f in unknown typos base overlay adaptive; do
    start=$(date +%s.%N)
    "$bin" validate "$work/$f.toml" 2>"$work/err" >/dev/null || true
    end=$(date +%s.%N)
    printf '%-10s %6s errors  %6.2f s\n' "$f" "$(grep -c '^error' "$work/err")" "$(echo "$end - $start" | bc -l)"
done
