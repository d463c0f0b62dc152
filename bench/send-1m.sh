#!/usr/bin/env bash
# `proactive send` of a large NDJSON file to the emulator: peak memory (RSS) and throughput.
#
#   bench/send-1m.sh [COUNT]      (default 1,000,000 requests, generated at run time)
#
# Builds the release binaries, writes COUNT valid requests (unique reference ids, expiring in an
# hour) to a temporary file, starts `proactive emulator --keep 1000` (so the emulator's record
# stays small; every reference id is still remembered), and sends the file with 32 in flight
# under GNU time. Prints the sender's peak RSS, CPU and wall time, and the rate.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
count=${1:-1000000}
work=$(mktemp -d)
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then kill -INT "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
command -v /usr/bin/time >/dev/null || { echo "send-1m: needs GNU time (/usr/bin/time)" >&2; exit 2; }

cargo build -q --release -p proactive-cli -p proactive-bench
bin=${CARGO_TARGET_DIR:-$root/target}/release
"$bin/proactive-bench" send-corpus --seed "$RANDOM" --count "$count" --out "$work/requests.ndjson" >/dev/null
size=$(stat -c %s "$work/requests.ndjson")

"$bin/proactive" emulator --keep 1000 > "$work/url" 2>/dev/null &
emu_pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")

export ALEXA_CLIENT_ID=amzn1.application-oa2-client.emulator ALEXA_CLIENT_SECRET=emulator-secret
/usr/bin/time -f "%e %U %S %M" -o "$work/time" \
  "$bin/proactive" send --ndjson --concurrency 32 --api-endpoint "$url" --auth-endpoint "$url" \
  "$work/requests.ndjson" 2> "$work/stderr" > "$work/stdout" || { cat "$work/stderr" >&2; exit 1; }
read -r wall user sys rss < "$work/time"
tail -1 "$work/stderr"
awk -v n="$count" -v size="$size" -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$rss" 'BEGIN {
  printf "send-1m: %d requests (%.0f MB of NDJSON): peak RSS %.1f MB, %.1f s wall, %.0f requests/s, %.1f µs CPU per request\n",
    n, size / 1e6, rss / 1024, wall, n / wall, (user + sys) * 1e6 / n
}'
