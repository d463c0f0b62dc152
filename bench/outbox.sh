#!/usr/bin/env bash
# Outbox throughput: `proactive worker --drain` with 1 and with 3 workers, on SQLite and on
# PostgreSQL, against a release `proactive emulator` without faults.
#
#   bench/outbox.sh [COUNT]      (default 20,000 notifications, generated at run time)
#
# Builds the release binaries and writes COUNT valid requests (unique reference ids, expiring in an
# hour). For each outbox and worker count: a fresh outbox (an SQLite file; a PostgreSQL schema of
# its own, dropped afterwards), `proactive outbox add` of all of them (one transaction; timed too),
# then the workers started together and waited for. The rate is COUNT over the wall time from the
# workers' start to the last one's exit; every notification must end accepted.
#
# PostgreSQL: the server named by DATABASE_URL; without it, a throw-away one from
# scripts/postgres.sh (tuned for tests: no fsync, so commits cost less than on a real server).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
count=${1:-20000}
work=$(mktemp -d)
emu_pid=""
pg_dir=""
cleanup() {
  if [ -n "$emu_pid" ]; then kill -INT "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  if [ -n "$pg_dir" ]; then scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cargo build -q --release -p proactive-cli -p proactive-bench
bin=${CARGO_TARGET_DIR:-$root/target}/release
"$bin/proactive-bench" send-corpus --seed "$RANDOM" --count "$count" --out "$work/requests.ndjson" >/dev/null

"$bin/proactive" emulator --keep 1000 > "$work/url" 2>/dev/null &
emu_pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")
export ALEXA_CLIENT_ID=amzn1.application-oa2-client.emulator ALEXA_CLIENT_SECRET=emulator-secret

if [ -z "${DATABASE_URL:-}" ]; then
  pg_dir=$(mktemp -d)
  chmod 755 "$pg_dir"
  DATABASE_URL=$(scripts/postgres.sh start "$pg_dir" 2>/dev/null)
  pg_note="a throw-away server from scripts/postgres.sh (no fsync)"
else
  pg_note="DATABASE_URL's server"
fi
psql=$(command -v psql || printf '%s\n' /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# run BACKEND WORKERS: one measurement.
run() {
  local backend=$1 workers=$2 place pids=() start added took status
  if [ "$backend" = sqlite ]; then
    place=(--db "$work/outbox-$workers.db")
  else
    place=(--database-url "$DATABASE_URL" --schema "bench_outbox_$$_$workers")
  fi
  start=$(now_ms)
  "$bin/proactive" outbox add --ndjson "${place[@]}" "$work/requests.ndjson" 2>/dev/null >/dev/null
  added=$(($(now_ms) - start))
  start=$(now_ms)
  for i in $(seq "$workers"); do
    "$bin/proactive" worker --drain --name "bench-$i" "${place[@]}" \
      --api-endpoint "$url" --auth-endpoint "$url" 2>> "$work/workers.log" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { cat "$work/workers.log" >&2; exit 1; }; done
  took=$(($(now_ms) - start))
  status=$("$bin/proactive" outbox status "${place[@]}" | tr '\n' ' ')
  [ "$status" = "pending 0 in flight 0 accepted $count failed 0 " ] || { echo "outbox: $backend: $status" >&2; exit 1; }
  if [ "$backend" = postgres ] && [ -x "$psql" ]; then
    PGOPTIONS="-c client_min_messages=warning" "$psql" -q "$DATABASE_URL" \
      -c "DROP SCHEMA bench_outbox_$$_$workers CASCADE" >/dev/null
  fi
  awk -v b="$backend" -v w="$workers" -v n="$count" -v t="$took" -v a="$added" 'BEGIN {
    printf "outbox: %-8s %d worker(s): %d notifications sent in %.2f s: %.0f/s (added in %.2f s: %.0f/s)\n",
      b, w, n, t / 1000, n * 1000 / t, a / 1000, n * 1000 / a
  }'
}

echo "outbox: $count notifications, release build, emulator without faults; PostgreSQL: $pg_note"
for backend in sqlite postgres; do
  for workers in 1 3; do
    run "$backend" "$workers"
  done
done
