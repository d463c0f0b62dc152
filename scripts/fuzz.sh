#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS (default 20) each, starting from its corpus
# (the committed seeds fuzz/corpus/<target>/seed-*, plus whatever earlier local runs added), after
# replaying the saved findings in fuzz/regressions/<target>/. See fuzz/README.md.
#
#   scripts/fuzz.sh [SECONDS]
#
# Exit status: 0 when every target ran clean, or when this machine cannot fuzz (then one line
# `fuzz: skipped: <why>` says so, so CI can call this unconditionally); 1 when a target crashed
# (a panic, a failed agreement assertion, a timeout or out-of-memory), a regression input still
# fails, or the targets do not build; 2 on a usage error.
#
# Environment:
#   PROACTIVE_FUZZ_INSTALL=0      never install cargo-fuzz (by default a missing cargo-fuzz is
#                                 installed with `cargo install`, about 40 s to 2 min)
#   PROACTIVE_FUZZ_SANITIZER=...  none (default) or address; address needs nightly features,
#                                 taken from a nightly toolchain or RUSTC_BOOTSTRAP=1
#   PROACTIVE_FUZZ_TOOLCHAIN=...  a rustup toolchain to use (`nightly`); default the active one
#   PROACTIVE_FUZZ_TARGETS="a b"  only these targets
set -uo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
seconds=${1:-20}
if [[ $# -gt 1 || ! $seconds =~ ^[0-9]+$ || $seconds -eq 0 ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS]   (SECONDS per target, default 20)" >&2
    exit 2
fi
sanitizer=${PROACTIVE_FUZZ_SANITIZER:-none}
case $sanitizer in none | address) ;; *)
    echo "fuzz: PROACTIVE_FUZZ_SANITIZER must be none or address, not \`$sanitizer\`" >&2
    exit 2
    ;;
esac
toolchain=()
if [[ -n ${PROACTIVE_FUZZ_TOOLCHAIN:-} ]]; then toolchain=("+$PROACTIVE_FUZZ_TOOLCHAIN"); fi

skip() {
    echo "fuzz: skipped: $*"
    exit 0
}

# 1. The toolchain.
command -v cargo >/dev/null 2>&1 || skip "no \`cargo\` on PATH"
rustc "${toolchain[@]}" --version >/dev/null 2>&1 || skip "no working \`rustc ${toolchain[*]}\`"

# 2. cargo-fuzz (any version; a missing one is installed unless PROACTIVE_FUZZ_INSTALL=0).
if ! cargo fuzz --version >/dev/null 2>&1; then
    if [[ ${PROACTIVE_FUZZ_INSTALL:-1} == 0 ]]; then
        skip "cargo-fuzz is not installed and PROACTIVE_FUZZ_INSTALL=0 (install it: cargo install cargo-fuzz --locked)"
    fi
    echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install --locked; about 40 s to 2 min) ..."
    install_log=$(mktemp)
    if ! cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >"$install_log" 2>&1; then
        tail -n 5 "$install_log" | sed 's/^/fuzz:   /'
        rm -f "$install_log"
        skip "cargo-fuzz is not installed and \`cargo install cargo-fuzz\` failed (offline?)"
    fi
    rm -f "$install_log"
    cargo fuzz --version >/dev/null 2>&1 || skip "cargo-fuzz was installed but \`cargo fuzz\` does not run (is ~/.cargo/bin on PATH?)"
fi

# 3. A C++ compiler: libfuzzer-sys builds libFuzzer from its C++ sources.
cxx_found=
for cxx in "${CXX:-}" c++ g++ clang++; do
    if [[ -n $cxx ]] && command -v "$cxx" >/dev/null 2>&1; then cxx_found=$cxx; break; fi
done
[[ -n $cxx_found ]] || skip "no C++ compiler (c++, g++ or clang++) to build libFuzzer"

# 4. The compiler flags cargo-fuzz passes. Coverage instrumentation (-Cpasses=sancov-module,
# -Cllvm-args) works on stable; a sanitizer needs -Zsanitizer, i.e. nightly or RUSTC_BOOTSTRAP=1.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
probe() {
    echo 'pub fn probe(x: u8) -> bool { x == 7 }' >"$probe_dir/probe.rs"
    rustc "${toolchain[@]}" --edition 2021 --crate-type lib --emit obj -o "$probe_dir/probe.o" \
        -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
        -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
        -Cllvm-args=-sanitizer-coverage-trace-compares "$@" "$probe_dir/probe.rs" >"$probe_dir/log" 2>&1
}
if [[ $sanitizer == none ]]; then
    probe || skip "rustc cannot instrument code for coverage: $(grep -m 1 error "$probe_dir/log")"
else
    if ! probe -Zsanitizer="$sanitizer"; then
        export RUSTC_BOOTSTRAP=1
        probe -Zsanitizer="$sanitizer" ||
            skip "rustc refuses -Zsanitizer=$sanitizer, even with RUSTC_BOOTSTRAP=1: $(grep -m 1 error "$probe_dir/log") (try PROACTIVE_FUZZ_SANITIZER=none)"
        echo "fuzz: using nightly features of a stable rustc (RUSTC_BOOTSTRAP=1) for -Zsanitizer=$sanitizer"
    fi
fi

echo "fuzz: $(cargo fuzz --version 2>/dev/null), $(rustc "${toolchain[@]}" --version), sanitizer $sanitizer, $seconds s per target"

# 5. Build every target once. From here on, a failure is the project's, not the machine's.
start=$SECONDS
logs=fuzz/target/logs
mkdir -p "$logs"
if ! cargo "${toolchain[@]}" fuzz build --sanitizer "$sanitizer" >"$logs/build.log" 2>&1; then
    grep -E -A 12 '^error' "$logs/build.log" | head -n 40
    echo "fuzz: FAILED: the fuzz targets do not build (log: $logs/build.log)"
    exit 1
fi
echo "fuzz: built in $((SECONDS - start)) s"

if [[ -n ${PROACTIVE_FUZZ_TARGETS:-} ]]; then
    read -r -a targets <<<"$PROACTIVE_FUZZ_TARGETS"
else
    mapfile -t targets < <(cargo fuzz list)
fi
[[ ${#targets[@]} -gt 0 ]] || {
    echo "fuzz: FAILED: \`cargo fuzz list\` names no targets"
    exit 1
}

failed=()

# Shows why a run failed: the panic message and where libFuzzer saved the input.
explain() {
    grep -E "panicked at|disagreement:|^Error|ERROR: libFuzzer|SUMMARY:|Test unit written to|Running: " "$1" |
        grep -v "^INFO" | head -n 12 | cut -c 1-400 | sed 's/^/fuzz:   /'
}

for t in "${targets[@]}"; do
    run=(cargo "${toolchain[@]}" fuzz run "$t" --sanitizer "$sanitizer")

    # Saved findings: each must now pass (libFuzzer runs the files given and stops at a crash).
    mapfile -t saved < <(find "fuzz/regressions/$t" -type f ! -name '*.md' 2>/dev/null | sort)
    if [[ ${#saved[@]} -gt 0 ]]; then
        log=$logs/$t.regressions.log
        if "${run[@]}" "${saved[@]}" >"$log" 2>&1; then
            echo "fuzz: $t: ${#saved[@]} saved regression input(s) pass"
        else
            echo "fuzz: $t: FAILED: a saved regression input still fails (log: $log)"
            explain "$log"
            failed+=("$t (regression)")
        fi
    fi

    mkdir -p "fuzz/corpus/$t"
    log=$logs/$t.log
    if "${run[@]}" "fuzz/corpus/$t" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
        echo "fuzz: $t: ok, ${runs:-?} runs in $seconds s ($cov)"
    else
        echo "fuzz: $t: FAILED: crash found (log: $log)"
        explain "$log"
        failed+=("$t")
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz: FAILED: ${failed[*]}; new crashes are in fuzz/artifacts/<target>/; replay an input with"
    echo "fuzz:   cargo fuzz run <target> --sanitizer $sanitizer <file>"
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets clean, $((SECONDS - start)) s including the build"
