#!/usr/bin/env bash
# Builds corridor optimised with the profile of its own runs (profile-guided optimisation):
# an instrumented build runs a training set of shipped scenarios, and a second build lays
# out and inlines the code by the counts it recorded. The result is the same program with
# the same results, byte for byte; it runs 10-27 % faster on the benchmark models and the
# networks (docs/performance.md).
#
# Usage: scripts/build-pgo.sh
# Leaves the program in target/pgo/release/corridor (target/release is not touched) and
# prints its path. Needs LLVM's llvm-profdata of the compiler's own version: `rustup
# component add llvm-tools` installs it. Compiler flags in RUSTFLAGS or
# CARGO_ENCODED_RUSTFLAGS are kept; those of cargo's configuration files (build.rustflags)
# are not read by these builds, as by any build given flags in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
    echo "build-pgo.sh: no llvm-profdata for this compiler at $profdata" >&2
    echo "  install it with: rustup component add llvm-tools" >&2
    exit 2
fi

work=target/pgo-training
rm -rf "$work"
mkdir -p "$work/profiles"
# Absolute paths: cargo runs rustc from other directories, and the profile paths are given
# to it as they are.
profiles=$PWD/$work/profiles
merged=$PWD/$work/corridor.profdata
# Where instrumented programs write their counts (the build's own scripts are instrumented
# too), over any LLVM_PROFILE_FILE of the environment: coverage tools set one.
export LLVM_PROFILE_FILE="$profiles/%m_%p.profraw"

# The environment's compiler flags and FLAG, in cargo's encoded form (separated by the
# unit separator), so that a path with spaces stays one flag.
flags_with() {
    local parts=()
    if [ -n "${CARGO_ENCODED_RUSTFLAGS:-}" ]; then
        IFS=$'\x1f' read -r -a parts <<< "$CARGO_ENCODED_RUSTFLAGS"
    elif [ -n "${RUSTFLAGS:-}" ]; then
        read -r -a parts <<< "$RUSTFLAGS"
    fi
    parts+=("$1")
    local IFS=$'\x1f'
    printf '%s' "${parts[*]}"
}

echo "build-pgo.sh: building the instrumented program (target/pgo-instrumented)" >&2
CARGO_ENCODED_RUSTFLAGS=$(flags_with "-Cprofile-generate=$profiles") \
    cargo build --release --locked --quiet --target-dir target/pgo-instrumented
instrumented=target/pgo-instrumented/release/corridor

# The training set: the benchmark models (a crossing, stations in series, with and without
# travel) and the calibrated networks (single tracks, ferries, yards, fleets), on one thread:
# the counters are not updated atomically, and threads would lose counts. Results are
# thrown away.
echo "build-pgo.sh: running the training set" >&2
train() { "$instrumented" run "$@" --threads 1 --quiet --out "$work/results" > /dev/null; }
for model in border_mm10 border_mm10_travel tandem20 tandem20_travel; do
    train "scenarios/bench/$model.toml"
done
train scenarios/eurasia_2025.toml --replications 4
train scenarios/kazakhstan_2025.toml --replications 4
train scenarios/border_post.toml --replications 10
train scenarios/caspian_ferry.toml --replications 4
train scenarios/single_track_line.toml --replications 4
if ! compgen -G "$profiles/*.profraw" > /dev/null; then
    echo "build-pgo.sh: the training runs wrote no profile into $profiles" >&2
    exit 1
fi
"$profdata" merge -o "$merged" "$profiles"

echo "build-pgo.sh: building with the profile (target/pgo)" >&2
CARGO_ENCODED_RUSTFLAGS=$(flags_with "-Cprofile-use=$merged") \
    cargo build --release --locked --quiet --target-dir target/pgo
echo "$PWD/target/pgo/release/corridor"
