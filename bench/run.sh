#!/usr/bin/env bash
# The benchmark suite: every row of BENCHMARKS.md, measured on this machine, in one command.
#
#   bench/run.sh               the full run: release builds, 100,000 bodies, 5,000 sends, 50
#                              structs, 3 alternated runs of everything; writes BENCHMARKS.md at the
#                              repository's root. A few minutes on 2 cores once built (the first
#                              release build takes about 7 more)
#   bench/run.sh --smoke       every program once at a tiny size, debug builds; writes the report to
#                              a temporary file. Fails only when a program is broken (a crash, a wrong
#                              exit status, a send not accepted) or the verdicts disagree beyond what
#                              JSON Schema cannot express; never on a time or a ratio
#   --out FILE                 write the report to FILE instead
#
# It installs the alternatives itself: `npm ci` in bench/node (ajv, ajv-formats, ask-sdk-core,
# ask-sdk-model, pinned in its package-lock.json) and `apt-get install wrk` when wrk is missing (its
# row is skipped, with a note, when that cannot be done). It also needs cargo, node and python3
# (bench/derive.sh).
#
# A full run waits (up to BENCH_QUIET_WAIT seconds, default 600) for other cargo/rustc processes
# to finish before each measured section, and the report says when it could not.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

mode=full
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) mode=smoke ;;
    --out) out=$2; shift ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$mode" = full ]; then
  runs=3 bodies=100000 sends=5000 structs=50 wrk_secs=5 profile=release
  out=${out:-$root/BENCHMARKS.md}
else
  runs=1 bodies=300 sends=200 structs=5 wrk_secs=1 profile=debug
fi
concurrency=32
seed=20261130
client_id="amzn1.application-oa2-client.bench"
client_secret="bench-secret"

started=$(date +%s)
work=$(mktemp -d)
[ -n "$out" ] || out="$work/BENCHMARKS.md"
results="$work/results.txt"
: > "$results"
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then kill -INT "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { echo "bench: $*"; }
die() { echo "bench: FAILED: $*" >&2; exit 1; }
put() { echo "$*" >> "$results"; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b - a) / 1e9 }'; }
have() { command -v "$1" > /dev/null 2>&1; }
apt_install() { # $1 = package; quietly, with one `apt-get update` retry; false when impossible
  have apt-get || return 1
  apt-get install -y -qq "$1" > "$work/apt.log" 2>&1 && return 0
  apt-get update -qq > "$work/apt.log" 2>&1 && apt-get install -y -qq "$1" >> "$work/apt.log" 2>&1
}

# Other build processes on the machine: measured numbers are only trusted when there are none.
others() { ps -eo comm= | grep -cE '^(cargo|rustc|cargo-clippy|clippy-driver|rustdoc|cc1|cc1plus|ld|collect2)$' || true; }
noise=()
quiet_start() { # $1 = section
  local n waited=0 limit=${BENCH_QUIET_WAIT:-600}
  n=$(others)
  if [ "$mode" = full ] && [ "$n" -gt 0 ]; then
    say "waiting for $n other build process(es) to finish before measuring $1 (up to ${limit}s)"
    while [ "$n" -gt 0 ] && [ "$waited" -lt "$limit" ]; do
      sleep 5
      waited=$((waited + 5))
      n=$(others)
    done
  fi
  [ "$n" -gt 0 ] && noise+=("$n other build process(es) running when $1 started")
  return 0
}
quiet_end() { # $1 = section
  local n
  n=$(others)
  [ "$n" -gt 0 ] && noise+=("$n other build process(es) running when $1 ended")
  return 0
}

# --- tools -----------------------------------------------------------------------------------
have node || apt_install nodejs || die "node is missing and could not be installed"
have npm || apt_install npm || die "npm is missing and could not be installed"
have python3 || die "python3 is missing (bench/derive.sh generates its structs with it)"
wrk_note=""
if ! have wrk; then
  say "installing wrk with apt-get"
  apt_install wrk || wrk_note="wrk is not installed and apt-get could not install it"
fi

say "installing the Node alternatives (npm ci in bench/node)"
(cd bench/node && npm ci --no-audit --no-fund --loglevel=error > "$work/npm.log" 2>&1) ||
  die "npm ci in bench/node failed: $(tail -5 "$work/npm.log")"

target_dir=${CARGO_TARGET_DIR:-$root/target}
if [ "$profile" = release ]; then
  say "building proactive and proactive-bench (release)"
  cargo build -q --release -p proactive-cli -p proactive-bench
else
  # The whole workspace, all targets: the same selection as `cargo test --workspace`, so after
  # the tests (as in CI) nothing is built again.
  say "building proactive and proactive-bench (debug, with the rest of the workspace)"
  cargo build -q --workspace --all-targets
fi
bin="$target_dir/$profile/proactive"
bench="$target_dir/$profile/proactive-bench"
shown_bin="target/$profile/proactive"
shown_bench="target/$profile/proactive-bench"

put "meta.mode $mode"
put "meta.runs $runs"
put "meta.concurrency $concurrency"
put "meta.date $(date -u +%Y-%m-%d)"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | awk '$NF != "BENCHMARKS.md" { print $NF }' | paste -sd ' ' -)
put "meta.dirty $dirty"
put "meta.commit $commit"
put "meta.nproc $(nproc)"
put "meta.cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
put "meta.memory_mib $(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
put "meta.rustc $(rustc --version)"
put "meta.node $(node --version)"
node_version() { (cd bench/node && node -p "require('$1/package.json').version"); }
put "meta.ajv $(node_version ajv)"
put "meta.ajv_formats $(node_version ajv-formats)"
put "meta.ask_sdk_core $(node_version ask-sdk-core)"
put "meta.ask_sdk_model $(node_version ask-sdk-model)"
if [ -z "$wrk_note" ]; then
  put "meta.wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f1,2)"
else
  put "meta.wrk no wrk ($wrk_note)"
fi
put "meta.wrk_seconds $wrk_secs"

# run_timed KEY ALLOWED_STATUSES STDOUT_FILE COMMAND...: one whole-process measurement into the
# results file: wall time (date, in ns) and CPU time, user + system, of the process and its
# children (bash's `times` in a subshell whose only child is the command, to the millisecond).
run_timed() {
  local key=$1 allowed=$2 stdout=$3 rc=0 start end
  shift 3
  start=$(date +%s%N)
  (
    status=0
    "$@" > "$stdout" 2> "$work/stderr" || status=$?
    times > "$work/times"
    exit "$status"
  ) || rc=$?
  end=$(date +%s%N)
  case " $allowed " in
    *" $rc "*) ;;
    *) die "$key: exit status $rc, expected $allowed: $(tail -5 "$work/stderr")" ;;
  esac
  put "$key.wall $(seconds "$start" "$end")"
  # The second line of `times`: the children's user and system time, as `0m1.234s 0m0.056s`.
  put "$key.cpu $(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$work/times")"
}

# --- 1. validate, whole process, and the verdict agreement -------------------------------------
corpus="$work/corpus.ndjson"
say "writing the corpus ($bodies bodies, seed $seed)"
"$bench" corpus --seed "$seed" --count "$bodies" --out "$corpus" >> "$results"
put "cmd.validate $shown_bench corpus --seed $seed --count $bodies --out corpus.ndjson"
put "cmd.validate $shown_bin validate --ndjson corpus.ndjson > proactive.out"
put "cmd.validate node bench/node/validate.js corpus.ndjson > ajv.out"
put "cmd.validate $shown_bench agree --corpus corpus.ndjson --proactive proactive.out --ajv ajv.out"
quiet_start "validate (whole process)"
if [ "$mode" = full ]; then
  say "validate, one untimed run of each (warm-up: the binaries, node_modules and the corpus in the page cache)"
  "$bin" validate --ndjson "$corpus" > /dev/null 2>&1 || true
  node bench/node/validate.js "$corpus" > /dev/null 2>&1 || true
fi
for i in $(seq "$runs"); do
  say "validate, run $i of $runs: proactive, then ajv"
  run_timed validate.proactive 1 "$work/proactive.out" "$bin" validate --ndjson "$corpus"
  run_timed validate.ajv 1 "$work/ajv.out" node bench/node/validate.js "$corpus"
done
quiet_end "validate (whole process)"
say "checking the verdict agreement"
"$bench" agree --corpus "$corpus" --proactive "$work/proactive.out" --ajv "$work/ajv.out" > "$work/agree.txt" ||
  { cat "$work/agree.txt"; die "ajv and proactive disagree beyond what JSON Schema cannot express (above)"; }
cat "$work/agree.txt" >> "$results"

# --- 2 and 3. validate, one thread, in process ---------------------------------------------------
put "cmd.inproc $shown_bench inproc --corpus corpus.ndjson --schemas schemas --runs $runs"
quiet_start "validate (one thread)"
say "validate, one thread: proactive, parse only, jsonschema ($runs alternated runs)"
"$bench" inproc --corpus "$corpus" --schemas "$root/schemas" --runs "$runs" >> "$results" ||
  die "proactive-bench inproc failed"
quiet_end "validate (one thread)"

# --- 4 and 5. send ---------------------------------------------------------------------------------
cpu_of() { # CPU seconds (user + system) a running process has used so far
  awk -v t="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$1/stat"
}
start_emulator() {
  local url="" _
  "$bin" emulator --port 0 --client-id "$client_id" --client-secret "$client_secret" > "$work/emu.out" 2> "$work/emu.err" &
  emu_pid=$!
  for _ in $(seq 400); do
    url=$(head -n 1 "$work/emu.out")
    [ -n "$url" ] && break
    kill -0 "$emu_pid" 2> /dev/null || die "the emulator exited: $(tail -3 "$work/emu.err")"
    sleep 0.05
  done
  [ -n "$url" ] || die "the emulator printed no URL"
  emu_url=$url
  emu_cpu0=$(cpu_of "$emu_pid")
}
emulator_cpu() { awk -v a="$emu_cpu0" -v b="$(cpu_of "$emu_pid")" 'BEGIN { printf "%.2f", b - a }'; }
stop_emulator() {
  kill -INT "$emu_pid"
  wait "$emu_pid" || true
  emu_pid=""
}
accepted() { # $1 = key: checks that the emulator accepted every body, and records it
  local n
  n=$(node bench/node/emulator.js count "$emu_url") || die "$1: could not list the emulator's events"
  put "$1.accepted $n"
  [ "$n" = "$sends" ] || die "$1: the emulator accepted $n of $sends events"
}

send="$work/send.ndjson"
"$bench" send-corpus --seed "$seed" --count "$sends" --out "$send" >> "$results"
put "cmd.send $shown_bench send-corpus --count $sends --out send.ndjson"
put "cmd.send $shown_bin emulator --port 0 --client-id $client_id --client-secret $client_secret   # prints URL; a fresh one per run"
put "cmd.send ALEXA_CLIENT_ID=$client_id ALEXA_CLIENT_SECRET=$client_secret $shown_bin send --ndjson --concurrency $concurrency --api-endpoint URL --auth-endpoint URL send.ndjson"
put "cmd.send node bench/node/send.js URL send.ndjson $concurrency $client_id $client_secret"
put "cmd.send node bench/node/emulator.js token URL $client_id $client_secret   # TOKEN, for wrk"
put "cmd.send wrk -t2 -c$concurrency -d${wrk_secs}s -s bench/wrk-post.lua URL/v1/proactiveEvents/stages/development -- send.ndjson TOKEN"
[ -n "$wrk_note" ] && { put "skip.wrk $wrk_note"; say "NOTE: $wrk_note; the wrk row is skipped"; }
quiet_start "send"
for i in $(seq "$runs"); do
  say "send $sends events, run $i of $runs: proactive send, then ask-sdk-model, then wrk"
  start_emulator
  ALEXA_CLIENT_ID=$client_id ALEXA_CLIENT_SECRET=$client_secret run_timed send.proactive 0 "$work/send.out" \
    "$bin" send --ndjson --concurrency "$concurrency" --api-endpoint "$emu_url" --auth-endpoint "$emu_url" "$send"
  put "send.proactive.emulator_cpu $(emulator_cpu)"
  accepted send.proactive
  stop_emulator

  start_emulator
  run_timed send.node 0 "$work/send.out" node bench/node/send.js "$emu_url" "$send" "$concurrency" "$client_id" "$client_secret"
  put "send.node.emulator_cpu $(emulator_cpu)"
  grep '^send\.node\.' "$work/send.out" >> "$results" || die "bench/node/send.js printed no measurements"
  accepted send.node
  stop_emulator

  if [ -z "$wrk_note" ]; then
    start_emulator
    token=$(node bench/node/emulator.js token "$emu_url" "$client_id" "$client_secret") || die "no token from the emulator"
    wrk -t2 -c"$concurrency" -d"${wrk_secs}s" -s bench/wrk-post.lua "$emu_url/v1/proactiveEvents/stages/development" \
      -- "$send" "$token" > "$work/wrk.out" 2>&1 || die "wrk failed: $(tail -5 "$work/wrk.out")"
    grep '^send\.wrk\.' "$work/wrk.out" > "$work/wrk.keys" || die "wrk printed no measurements: $(tail -5 "$work/wrk.out")"
    cat "$work/wrk.keys" >> "$results"
    read -r requests non2xx wrk_seconds < <(awk '
      $1 == "send.wrk.requests" { r = $2 } $1 == "send.wrk.non2xx" { n = $2 } $1 == "send.wrk.seconds" { s = $2 }
      END { print r, n, s }' "$work/wrk.keys")
    [ "$requests" -gt "$non2xx" ] || die "wrk: no 2xx answer ($non2xx of $requests requests were not 2xx)"
    put "send.wrk.rate $(awk -v r="$requests" -v n="$non2xx" -v s="$wrk_seconds" 'BEGIN { printf "%.0f", (r - n) / s }')"
    put "send.wrk.emulator_cpu_per_request $(awk -v c="$(emulator_cpu)" -v r="$requests" 'BEGIN { printf "%.9f", c / r }')"
    stop_emulator
  fi
done
quiet_end "send"

# --- 6. derive compile -----------------------------------------------------------------------------
# The smoke run shares the workspace's target directory (its dependencies are mostly built by
# then); the full run uses its own under target/bench-derive, kept between runs.
say "derive compile: $structs structs, $runs alternated run(s)"
derive_args=(--structs "$structs" --runs "$runs")
[ "$mode" = smoke ] && derive_args+=(--target-dir "$target_dir")
quiet_start "derive compile"
bench/derive.sh "${derive_args[@]}" >> "$results" 2> "$work/derive.err" ||
  die "bench/derive.sh failed: $(tail -5 "$work/derive.err")"
quiet_end "derive compile"

# --- the report ----------------------------------------------------------------------------------
if [ ${#noise[@]} -eq 0 ]; then
  put "meta.noise none: no other cargo, rustc or compiler process was running at the start or end of any measured section."
else
  joined=$(printf '%s; ' "${noise[@]}")
  put "meta.noise ${joined%; } (those numbers may be noisy)."
fi
put "meta.minutes $(( ($(date +%s) - started + 59) / 60 ))"
"$bench" report --results "$results" --out "$out" || die "proactive-bench report failed"
if [ "$mode" = smoke ]; then
  sed '/^## /,$d' "$out"
  say "smoke run passed: every benchmark program ran (the numbers above are not measurements)"
else
  say "wrote $out"
fi
