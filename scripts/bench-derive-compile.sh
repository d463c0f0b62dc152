#!/usr/bin/env bash
# Compile-time cost of #[derive(Event)]: a full compile (CARGO_INCREMENTAL=0, dependencies built
# beforehand) of a crate with 50 derived structs, beside the same crate whose 50 structs only
# derive serde's Serialize, alternating, each run timed.
#
#   scripts/bench-derive-compile.sh [RUNS]     (default 3)
#
# The measurement is the benchmark suite's (bench/derive.sh, row 6 of BENCHMARKS.md; bench/run.sh
# runs it with the other rows): this script only runs it on its own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/bench/derive.sh" --structs 50 --runs "${1:-3}"
