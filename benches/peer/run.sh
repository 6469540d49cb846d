#!/usr/bin/env bash
# Runs the two benchmark models and their travel variants (a one-minute drive before each
# station and after the last) in corridor, in SimPy and as bare Rust loops on this machine,
# and prints the wall time of each whole process and the ratios.
# Installs SimPy into a virtual environment under target/ if it is not there yet.
# With --pgo, corridor and the bare loops are both built optimised by the profile of their
# own runs (scripts/build-pgo.sh; needs `rustup component add llvm-tools`).
# Not part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
case ${1:-} in
  "" | --pgo) ;;
  *)
    echo "usage: benches/peer/run.sh [--pgo]" >&2
    exit 2
    ;;
esac
venv=target/peer-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet simpy==4.1.2
fi
# The bare loops' executable, as cargo reports it (its report names the corridor binary
# too, in no fixed order). Arguments go to cargo.
bare_loops() {
  local exe
  exe=$(cargo bench --bench bare --no-run --message-format=json --quiet "$@" |
    sed -n '/"name":"bare"/s/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
  if [ ! -x "$exe" ]; then
    echo "run.sh: cargo did not report the bare loops' executable" >&2
    exit 1
  fi
  echo "$exe"
}
case ${1:-} in
  "")
    build="release build"
    cargo build --release --quiet
    corridor=target/release/corridor
    bare=$(bare_loops)
    ;;
  --pgo)
    # Both programs optimised by the profile of their own runs: corridor by
    # scripts/build-pgo.sh (its training set), the bare loops by a run of their four models.
    build="both programs optimised by profile"
    corridor=$(bash scripts/build-pgo.sh)
    host=$(rustc -vV | sed -n 's/^host: //p')
    profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
    profiles=$PWD/target/pgo-training/bare
    rm -rf "$profiles"
    # Target directories of their own: building the benchmark builds corridor's binary too,
    # which would replace the one optimised by corridor's profile.
    instrumented=$(RUSTFLAGS="-Cprofile-generate=$profiles" \
      bare_loops --target-dir target/pgo-bare-instrumented)
    for args in mm10 "mm10 travel" tandem "tandem travel"; do
      # shellcheck disable=SC2086 # two words: the model and the variant
      LLVM_PROFILE_FILE="$profiles/%m_%p.profraw" "$instrumented" $args > /dev/null
    done
    "$profdata" merge -o "$profiles.profdata" "$profiles"
    bare=$(RUSTFLAGS="-Cprofile-use=$profiles.profdata" \
      bare_loops --target-dir target/pgo-bare)
    ;;
esac

# A program that fails ends `wall` with an error (and shows what it wrote on stderr, which
# is otherwise dropped), which ends the pipeline and the `$(...)` around it (pipefail), and
# so the script (set -e).
wall() {
  local s e
  s=$(date +%s.%N)
  if ! "$@" > /dev/null 2> "$errors"; then
    echo "run.sh: failed: $*" >&2
    cat "$errors" >&2
    exit 1
  fi
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}
# Every program is timed as a whole process (start-up included). The machine's speed
# wanders from one minute to the next, so the programs run in rounds: in each round, for
# each model, corridor and the bare loop run three times and keep their least time (the run
# least disturbed), with one SimPy run between them, so that the ratios of a round compare
# runs made within seconds of each other. The table gives each program's least time over
# the rounds, the ratios of those least times, and the median of the rounds' ratios; the
# rounds follow it.
least_of() { local n=$1; shift; for _ in $(seq "$n"); do wall "$@"; done | sort -g | head -1; }
rounds=5
times=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$times" "$errors"' EXIT
for round in $(seq "$rounds"); do
  for model in mm10 tandem mm10-travel tandem-travel; do
    base=${model%-travel}
    variant=${model#"$base"}
    variant=${variant#-}
    case $model in
      mm10) scenario=scenarios/bench/border_mm10.toml ;;
      tandem) scenario=scenarios/bench/tandem20.toml ;;
      mm10-travel) scenario=scenarios/bench/border_mm10_travel.toml ;;
      tandem-travel) scenario=scenarios/bench/tandem20_travel.toml ;;
    esac
    c=$(least_of 3 "$corridor" run "$scenario" --threads 1 --quiet)
    # shellcheck disable=SC2086 # $variant is empty or one word
    s=$(wall "$venv/bin/python" "benches/peer/${base}_simpy.py" $variant)
    # shellcheck disable=SC2086
    b=$(least_of 3 "$bare" "$base" $variant)
    echo "$round $model $c $s $b" >> "$times"
  done
done

python3 - "$times" "$build" <<'PY'
import statistics
import sys

print(f"corridor and the bare loops: {sys.argv[2]}\n")
rows = [line.split() for line in open(sys.argv[1])]
names = {"mm10": "M/M/10", "tandem": "tandem", "mm10-travel": "M/M/10+t",
         "tandem-travel": "tandem+t"}
print(f"{'':<10} {'least time (s)':^32} {'SimPy / corridor':^23} {'corridor / bare':^23}")
print(f"{'model':<10} {'corridor':>10} {'SimPy':>10} {'bare':>10} "
      f"{'of least':>11} {'round median':>12} {'of least':>11} {'round median':>12}")
for model in names:
    runs = [tuple(map(float, r[2:])) for r in rows if r[1] == model]
    c, s, b = (min(run[i] for run in runs) for i in range(3))
    vs_simpy = statistics.median(s / c for c, s, _ in runs)
    vs_bare = statistics.median(c / b for c, _, b in runs)
    print(f"{names[model]:<10} {c:>10.3f} {s:>10.3f} {b:>10.3f} "
          f"{s / c:>11.1f} {vs_simpy:>12.1f} {c / b:>11.2f} {vs_bare:>12.2f}")
print("\nrounds (s): round model corridor SimPy bare, and the round's ratios")
for r in rows:
    c, s, b = map(float, r[2:])
    print(f"  {r[0]} {names[r[1]]:<8} {c:.3f} {s:.3f} {b:.3f}   {s / c:.1f}x  {c / b:.2f}x")
print("\n+t: with travel (a one-minute drive before each station and after the last)")
PY
