#!/usr/bin/env bash
# Every published crate packages, and passes its own tests from the packaged copy:
#
#   scripts/package-check.sh
#
# 1. `cargo package --workspace --no-verify` makes one `.crate` per member, in dependency order.
# 2. Each published one (not `publish = false`) is unpacked into the build directory, as its own
#    workspace, and `cargo test --offline` runs there: lib, bins, tests and doctests, against
#    exactly the files that would be uploaded (a test that reads `../something` fails).
#
# The sibling crates are not on crates.io, and a packaged manifest names them by version only.
# Each unpacked crate therefore reaches them through `[patch.crates-io]` (given with `--config`)
# pointing at their unpacked copies: the packaged code again, never the workspace's.
#
# Builds go to `$CARGO_TARGET_DIR/package-check` (default `target/package-check`), apart from the
# workspace's builds: the first run builds the dependencies once more, later runs reuse them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-target}
[[ $target = /* ]] || target=$root/$target
builds=$target/package-check
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Everything below runs offline, from the dependencies the workspace's lockfile names.
cargo fetch --quiet

echo "== cargo package --workspace"
# `--allow-dirty`: the check is about what the files say, committed or not.
cargo package --workspace --no-verify --allow-dirty --offline --target-dir "$work/target" 2>&1 | tee "$work/package.log"

# "   Packaging proactive-codegen v0.1.0 (/path)", in dependency order.
mapfile -t packaged < <(sed -n 's/^ *Packaging \([^ ]*\) v\([^ ]*\) .*/\1 \2/p' "$work/package.log")
((${#packaged[@]})) || { echo "package-check: cargo package made no crate" >&2; exit 1; }

# Unpacked at the same place on every run, with fresh modification times (`-m`): a `.crate` gives
# every file the same fixed time, so cargo would take an edited file for unchanged and reuse a
# test binary built from older code (or from another directory, baked in with `env!`).
src=$builds/src
rm -rf "$src"
mkdir -p "$src"
declare -A dir deps devdeps
order=()
for entry in "${packaged[@]}"; do
    read -r name version <<<"$entry"
    tar -xmzf "$work/target/package/$name-$version.crate" -C "$src"
    dir[$name]=$src/$name-$version
    # Its own workspace, as `cargo package` verifies it: not a stray member of the repository's.
    printf '\n[workspace]\n' >>"${dir[$name]}/Cargo.toml"
    order+=("$name")
done

# The sibling crates each manifest depends on: normal and build dependencies (which a dependent
# crate builds too) and dev-dependencies (only for the crate's own tests).
for name in "${order[@]}"; do
    while IFS= read -r header; do
        dep=${header##*dependencies.}
        dep=${dep%]}
        [[ -n ${dir[$dep]:-} ]] || continue
        if [[ $header == *dev-dependencies.* ]]; then
            devdeps[$name]+=" $dep"
        else
            deps[$name]+=" $dep"
        fi
    done < <(grep -E '^\[(target\..*\.)?(dev-|build-)?dependencies\.[^]]+\]$' "${dir[$name]}/Cargo.toml")
done

# Every sibling reachable from a crate's own dependencies.
closure() {
    local -A seen=()
    local queue=("$@") n
    while ((${#queue[@]})); do
        n=${queue[0]}
        queue=("${queue[@]:1}")
        [[ -z ${seen[$n]:-} ]] || continue
        seen[$n]=1
        # shellcheck disable=SC2206 # the lists are space-separated crate names
        queue+=(${deps[$n]:-})
    done
    echo "${!seen[@]}"
}

failed=()
for name in "${order[@]}"; do
    if grep -qx 'publish = false' "${dir[$name]}/Cargo.toml"; then
        echo "== $name: not published, skipped"
        continue
    fi
    patches=()
    # shellcheck disable=SC2086
    for dep in $(closure ${deps[$name]:-} ${devdeps[$name]:-}); do
        patches+=(--config "patch.crates-io.$dep.path='${dir[$dep]}'")
    done
    echo "== $name: cargo test from the packaged crate"
    start=$SECONDS
    if (cd "${dir[$name]}" && cargo test --offline --target-dir "$builds" "${patches[@]}"); then
        echo "== $name: ok ($((SECONDS - start)) s)"
    else
        echo "== $name: FAILED ($((SECONDS - start)) s)"
        failed+=("$name")
    fi
done

if ((${#failed[@]})); then
    echo "package-check: the packaged copies of ${failed[*]} fail their tests" >&2
    exit 1
fi
echo "package-check: every published crate packages and passes its tests from the packaged copy"
