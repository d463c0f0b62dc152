#!/usr/bin/env bash
# RUSTC_WRAPPER for bench/derive.sh: runs the compiler as asked and, for the two benchmark crates
# (bench_derived, bench_serde), appends `<crate> <microseconds>` (the compiler's wall time) to
# the file named by BENCH_RUSTC_TIMES. Every other invocation is passed straight through.
rustc=$1
shift
crate=""
prev=""
for arg in "$@"; do
  [ "$prev" = --crate-name ] && crate=$arg
  prev=$arg
done
case "$crate" in
  bench_derived | bench_serde)
    start=$(date +%s%N)
    rc=0
    "$rustc" "$@" || rc=$?
    end=$(date +%s%N)
    [ -n "${BENCH_RUSTC_TIMES:-}" ] && echo "$crate $(((end - start) / 1000))" >> "$BENCH_RUSTC_TIMES"
    exit "$rc"
    ;;
  *) exec "$rustc" "$@" ;;
esac
