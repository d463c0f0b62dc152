#!/usr/bin/env bash
# Sends N events through `proactive send` against `proactive emulator` with injected faults, then
# compares what the CLI reported with what the emulator recorded: accepted exactly once, missing,
# doubled, reported failed or unknown, and the wall time.
#
#   scripts/fault-run.sh [N] [extra `proactive send` flags...]
#   scripts/fault-run.sh 100000                      # the defaults
#   scripts/fault-run.sh 100000 --max-attempts 12    # a larger error budget
#
# Uses the release binary (built if missing) and python3 for the bookkeeping. Faults: 20% 500s,
# 5% dropped connections (half after acceptance), 1,500 requests/s with Retry-After 1, and the
# first token request answered 503.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
shift || true
bin=target/release/proactive
[ -x "$bin" ] || cargo build --release -q -p proactive-cli
work=$(mktemp -d)
trap 'kill "${emulator_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$n" > "$work/events.ndjson" <<'EOF'
import datetime, json, sys
n = int(sys.argv[1])
base = json.load(open("examples/AMAZON.WeatherAlert.Activated.json"))
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
base["timestamp"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
base["expiryTime"] = (now + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
for i in range(n):
    base["referenceId"] = f"fault-run-{i}"
    print(json.dumps(base, separators=(",", ":")))
EOF

"$bin" emulator --port 0 --error-rate 0.2 --drop-rate 0.05 --rate-limit 1500 --retry-after 1 \
    --token-failures 1 > "$work/url" 2> "$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -1 "$work/url")

start=$(date +%s.%N)
set +e
ALEXA_CLIENT_ID=amzn1.application-oa2-client.emulator ALEXA_CLIENT_SECRET=emulator-secret \
    "$bin" send --concurrency 64 --api-endpoint "$url" --auth-endpoint "$url" "$@" \
    --ndjson "$work/events.ndjson" > "$work/report" 2> "$work/summary"
code=$?
set -e
end=$(date +%s.%N)
curl -s "$url/emulator/events" > "$work/accepted.json"

python3 - "$n" "$work" "$code" "$start" "$end" <<'EOF'
import collections, json, re, sys
n, work, code, start, end = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
counts = collections.Counter(e["referenceId"] for e in json.load(open(f"{work}/accepted.json")))
lines = open(f"{work}/report").read().splitlines()
failed = {int(m.group(1)) for l in lines if (m := re.match(r".*:(\d+): error:", l))}
unknown = {int(m.group(1)) for l in lines if (m := re.match(r".*:(\d+): warning: outcome unknown", l))}
ids = [f"fault-run-{i}" for i in range(n)]
once = sum(1 for i in ids if counts[i] == 1)
missing = [i for i, r in enumerate(ids, 1) if counts[r] == 0]
doubled = sum(1 for i in ids if counts[i] > 1)
failed_but_accepted = sum(1 for l in failed if counts[ids[l - 1]] > 0)
print(f"events: {n}, wall time: {end - start:.1f} s, exit code: {code}")
print(f"accepted exactly once: {once}, missing: {len(missing)}, doubled: {doubled}")
print(f"reported failed: {len(failed)} (of which the emulator had accepted {failed_but_accepted}), reported unknown: {len(unknown)}")
print(f"missing but reported neither failed nor unknown: {len(set(missing) - failed - unknown)}")
print(open(f"{work}/summary").read().strip().splitlines()[-1])
EOF
