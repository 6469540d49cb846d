#!/usr/bin/env bash
# Runs the two benchmark models in corridor, in SimPy and as bare Rust loops on this
# machine, and prints the wall time of each whole process and the ratios.
# Installs SimPy into a virtual environment under target/ if it is not there yet.
# Not part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/peer-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet simpy==4.1.2
fi
cargo build --release --quiet
cargo bench --bench bare --no-run --quiet 2>/dev/null
bare=$(ls -t target/release/deps/bare-* | grep -v '\.d$' | head -1)

wall() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
least() { printf '%s\n' "$@" | sort -g | head -1; }
# The fast programs run five times each and keep their least time (a shared machine's
# speed wanders); SimPy runs once.
runs=5
c_mm10=$(least $(for _ in $(seq $runs); do wall target/release/corridor run scenarios/bench/border_mm10.toml --threads 1 --quiet; done))
c_tandem=$(least $(for _ in $(seq $runs); do wall target/release/corridor run scenarios/bench/tandem20.toml --threads 1 --quiet; done))
s_mm10=$(wall "$venv/bin/python" benches/peer/mm10_simpy.py)
s_tandem=$(wall "$venv/bin/python" benches/peer/tandem_simpy.py)
bare_out=$(for _ in $(seq $runs); do "$bare"; done)
b_mm10=$(least $(echo "$bare_out" | sed -n 's/^bare M\/M\/10.*: \([0-9.]*\) s.*/\1/p'))
b_tandem=$(least $(echo "$bare_out" | sed -n 's/^bare tandem.*: \([0-9.]*\) s.*/\1/p'))

printf '%-10s %10s %10s %10s %14s %14s\n' model corridor SimPy bare SimPy/corridor corridor/bare
printf '%-10s %10.3f %10.3f %10.3f %14.1f %14.1f\n' "M/M/10" "$c_mm10" "$s_mm10" "$b_mm10" \
  "$(echo "$s_mm10 / $c_mm10" | bc -l)" "$(echo "$c_mm10 / $b_mm10" | bc -l)"
printf '%-10s %10.3f %10.3f %10.3f %14.1f %14.1f\n' "tandem" "$c_tandem" "$s_tandem" "$b_tandem" \
  "$(echo "$s_tandem / $c_tandem" | bc -l)" "$(echo "$c_tandem / $b_tandem" | bc -l)"
