#!/usr/bin/env bash
# Compile-time cost of #[derive(Event)]: a full compile of a crate of N structs with
# `#[derive(Event)]`, beside the same N structs deriving only `serde::Serialize`.
#
#   bench/derive.sh [--structs N] [--runs R] [--target-dir DIR]
#
# Defaults: 50 structs, 3 runs, and target/bench-derive/target as the target directory. Both
# crates live in target/bench-derive/ (a fixed place, so their dependencies are built once and
# kept between runs) and share that target directory. Everything is built with
# CARGO_INCREMENTAL=0 and the dev profile; the dependencies first, untimed. Then, alternating
# (serde, derived, serde, derived, …), each timed run touches the crate's src/lib.rs and runs
# `cargo build`, which compiles that crate alone, from scratch (no incremental cache to reuse).
# Each run gives the wall time of `cargo build` and of the compiler's run alone (timed by
# bench/rustc-timer.sh as RUSTC_WRAPPER). Also timed once: a `cargo build` with nothing to do.
#
# Standard output: `key value` lines for bench/run.sh's results file; standard error: a summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
structs=50
runs=3
build_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --structs) structs=$2; shift ;;
    --runs) runs=$2; shift ;;
    --target-dir) build_dir=$2; shift ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench/derive.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

target_dir=${CARGO_TARGET_DIR:-$root/target}
base="$target_dir/bench-derive"
export CARGO_TARGET_DIR="${build_dir:-$base/target}"
export CARGO_INCREMENTAL=0
# Times the compiler's own run on the two crates (cargo's start and checks left out); it replaces
# any RUSTC_WRAPPER of the caller's (a compiler cache would skew the measurement anyway).
export RUSTC_WRAPPER="$root/bench/rustc-timer.sh"
export BENCH_RUSTC_TIMES
BENCH_RUSTC_TIMES=$(mktemp)
trap 'rm -f "$BENCH_RUSTC_TIMES"' EXIT

structs() { # $1 = derive | serde, $2 = how many
python3 - "$1" "$2" <<'PY'
import sys
mode, count = sys.argv[1], int(sys.argv[2])
bodies = [
 ('AMAZON.WeatherAlert.Activated', 'locales("en-US", "de-DE")', [
   ('#[proactive(path = "weatherAlert.source", localized)]', 'source: Localized<String>', 'source: String'),
   ('#[proactive(path = "weatherAlert.alertType")]', 'kind: weather_alert_activated::AlertType', 'kind: String')]),
 ('AMAZON.MediaContent.Available', 'locales("en-US")', [
   ('#[proactive(path = "content.name", localized)]', 'title: Localized<String>', 'title: String'),
   ('#[proactive(path = "content.contentType")]', 'kind: media_content_available::ContentType', 'kind: String'),
   ('#[proactive(path = "availability.startTime")]', 'airs: DateTime', 'airs: String'),
   ('#[proactive(path = "availability.method")]', 'method: media_content_available::Method', 'method: String'),
   ('#[proactive(path = "availability.provider.name", localized, key = "channel")]', 'channel: Localized<String>', 'channel: String')]),
 ('AMAZON.MessageAlert.Activated', None, [
   ('#[proactive(path = "state.status")]', 'status: message_alert_activated::Status', 'status: String'),
   ('#[proactive(path = "messageGroup.creator.name")]', 'from: String', 'from: String'),
   ('#[proactive(path = "messageGroup.count")]', 'count: u32', 'count: u32')]),
 ('AMAZON.TrashCollectionAlert.Activated', None, [
   ('#[proactive(path = "alert.garbageTypes")]', 'bins: Vec<trash_collection_alert_activated::GarbageType>', 'bins: Vec<String>'),
   ('#[proactive(path = "alert.collectionDayOfWeek")]', 'day: trash_collection_alert_activated::CollectionDayOfWeek', 'day: String')]),
]
if mode == 'derive':
    print('use proactive_schemas::events::*;\nuse proactive_schemas::{DateTime, Event, Localized};\n')
else:
    print('use serde::Serialize;\n')
for i in range(count):
    event, locales, fields = bodies[i % len(bodies)]
    if mode == 'derive':
        opts = f'event = "{event}"' + (f', {locales}' if locales else '')
        print(f'#[derive(Event)]\n#[proactive({opts})]\npub struct S{i} {{')
        for attr, typed, _ in fields:
            print(f'    {attr}\n    pub {typed},')
    else:
        print(f'#[derive(Serialize)]\npub struct S{i} {{')
        for _, _, plain in fields:
            print(f'    pub {plain},')
    print('}\n')
PY
}

mkdir -p "$base/derived/src" "$base/serde/src"
cat > "$base/derived/Cargo.toml" <<TOML
[package]
name = "bench-derived"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
proactive-schemas = { path = "$root/proactive-schemas" }
[workspace]
TOML
cat > "$base/serde/Cargo.toml" <<TOML
[package]
name = "bench-serde"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
serde = { version = "1", features = ["derive"] }
proactive-schemas = { path = "$root/proactive-schemas" }
[workspace]
TOML
for crate in derived serde; do
  cp "$root/Cargo.lock" "$base/$crate/Cargo.lock"
done
structs derive "$structs" > "$base/derived/src/lib.rs"
structs serde "$structs" > "$base/serde/src/lib.rs"

# Dependencies (and a first build of each crate), untimed.
echo "bench/derive.sh: building the dependencies once (untimed)" >&2
(cd "$base/derived" && cargo build -q)
(cd "$base/serde" && cargo build -q)

now() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

time_build() { # $1 = crate dir, $2 = touch | notouch; sets `wall` (seconds of one `cargo build`)
  # and `compiler` (seconds of the compiler's run on the crate, empty when it did not run)
  [ "$2" = touch ] && touch "$1/src/lib.rs"
  local start end
  : > "$BENCH_RUSTC_TIMES"
  start=$(now)
  (cd "$1" && cargo build -q)
  end=$(now)
  wall=$(seconds "$start" "$end")
  compiler=$(awk 'END { if (NR) printf "%.3f", $2 / 1e6 }' "$BENCH_RUSTC_TIMES")
  if [ "$2" = touch ] && [ -z "$compiler" ]; then
    echo "bench/derive.sh: cargo build did not compile $1 again after touching it" >&2
    exit 1
  fi
}

echo "derive.structs $structs"
echo "cmd.derive bench/derive.sh --structs $structs --runs $runs"
time_build "$base/derived" notouch
noop=$wall
echo "derive.noop.secs $noop"
serde_times=()
derived_times=()
for _ in $(seq "$runs"); do
  for crate in serde derived; do
    time_build "$base/$crate" touch
    echo "derive.$crate.secs $wall"
    echo "derive.$crate.rustc_secs $compiler"
    if [ "$crate" = serde ]; then
      serde_times+=("$wall ($compiler)")
    else
      derived_times+=("$wall ($compiler)")
    fi
  done
done
{
  printf '%-36s %s\n' "$structs structs, dev, CARGO_INCREMENTAL=0" "cargo build seconds (the compiler alone), each run"
  printf '%-36s %s\n' "serde::Serialize" "${serde_times[*]}"
  printf '%-36s %s\n' "#[derive(Event)]" "${derived_times[*]}"
  printf '%-36s %s\n' "cargo build with nothing to do" "$noop"
} >&2
