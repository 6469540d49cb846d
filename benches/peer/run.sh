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
# The bare loops' executable, as cargo reports it (its report names the corridor binary
# too, in no fixed order).
bare=$(cargo bench --bench bare --no-run --message-format=json --quiet |
  grep '"name":"bare"' | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
if [ ! -x "$bare" ]; then
  echo "run.sh: cargo did not report the bare loops' executable" >&2
  exit 1
fi

# A program that fails stops the script (it runs inside a pipeline, so `set -e` would not).
wall() {
  local s e
  s=$(date +%s.%N)
  if ! "$@" > /dev/null; then
    echo "run.sh: failed: $*" >&2
    kill $$
  fi
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}
# Every program is timed as a whole process (start-up included). corridor and the bare
# loops run five times and SimPy three; each keeps its least time (a shared machine's speed
# wanders, and the least is the run it disturbed least).
least_of() { local n=$1; shift; for _ in $(seq "$n"); do wall "$@"; done | sort -g | head -1; }
c_mm10=$(least_of 5 target/release/corridor run scenarios/bench/border_mm10.toml --threads 1 --quiet)
c_tandem=$(least_of 5 target/release/corridor run scenarios/bench/tandem20.toml --threads 1 --quiet)
b_mm10=$(least_of 5 "$bare" mm10)
b_tandem=$(least_of 5 "$bare" tandem)
s_mm10=$(least_of 3 "$venv/bin/python" benches/peer/mm10_simpy.py)
s_tandem=$(least_of 3 "$venv/bin/python" benches/peer/tandem_simpy.py)

printf '%-10s %10s %10s %10s %14s %14s\n' model corridor SimPy bare SimPy/corridor corridor/bare
printf '%-10s %10.3f %10.3f %10.3f %14.1f %14.1f\n' "M/M/10" "$c_mm10" "$s_mm10" "$b_mm10" \
  "$(echo "$s_mm10 / $c_mm10" | bc -l)" "$(echo "$c_mm10 / $b_mm10" | bc -l)"
printf '%-10s %10.3f %10.3f %10.3f %14.1f %14.1f\n' "tandem" "$c_tandem" "$s_tandem" "$b_tandem" \
  "$(echo "$s_tandem / $c_tandem" | bc -l)" "$(echo "$c_tandem / $b_tandem" | bc -l)"
