#!/usr/bin/env bash
# Compile-time cost of #[derive(Event)]: `cargo build` of a crate with 50 derived structs,
# beside the same crate whose 50 structs only derive serde's Serialize.
#
#   scripts/bench-derive-compile.sh [RUNS]     (default 3; prints the best and every run)
#
# Both crates live in a temporary directory and share one target directory, whose dependencies
# are built once up front, so each timed build compiles only the 50 structs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR="$work/target"

structs() { # $1 = derive | serde
python3 - "$1" <<'PY'
import sys
mode = sys.argv[1]
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
for i in range(50):
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

mkdir -p "$work/derived/src" "$work/serde/src"
cat > "$work/derived/Cargo.toml" <<TOML
[package]
name = "bench-derived"
version = "0.0.0"
edition = "2021"
[dependencies]
proactive-schemas = { path = "$root/proactive-schemas" }
[workspace]
TOML
cat > "$work/serde/Cargo.toml" <<TOML
[package]
name = "bench-serde"
version = "0.0.0"
edition = "2021"
[dependencies]
serde = { version = "1", features = ["derive"] }
proactive-schemas = { path = "$root/proactive-schemas" }
[workspace]
TOML
cp "$root/Cargo.lock" "$work/derived/Cargo.lock"
cp "$root/Cargo.lock" "$work/serde/Cargo.lock"
structs derive > "$work/derived/src/lib.rs"
structs serde > "$work/serde/src/lib.rs"

# Dependencies once, not timed.
(cd "$work/derived" && cargo build -q)
(cd "$work/serde" && cargo build -q)

time_build() { # $1 = crate dir; prints seconds of one `cargo build` of that crate alone
  touch "$1/src/lib.rs"
  local start end
  start=$(date +%s.%N)
  (cd "$1" && cargo build -q)
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}

printf '%-40s %s\n' "crate (50 structs, dev profile)" "cargo build seconds, each run"
for crate in serde derived; do
  times=()
  for _ in $(seq "$runs"); do times+=("$(time_build "$work/$crate")"); done
  best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
  printf '%-40s best %s  (%s)\n' "$crate" "$best" "${times[*]}"
done
