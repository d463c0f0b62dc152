#!/usr/bin/env bash
# Regenerates the committed seed corpora fuzz/corpus/<target>/seed-* from the repository's own
# inputs (needs jq). The SubscriptionChanged seeds are hand-made and kept as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus

for t in validate_bytes validate_structured codegen_schema; do
    rm -f "$c/$t"/seed-*
    mkdir -p "$c/$t"
done
mkdir -p "$c/subscription_changed"

# validate_bytes: the examples, and the request of every invalid and warning fixture.
for f in examples/*.json; do
    cp "$f" "$c/validate_bytes/seed-example-$(basename "$f")"
done
for f in tests/fixtures/invalid/*.json tests/fixtures/warnings/*.json; do
    kind=$(basename "$(dirname "$f")")
    jq '.request' "$f" >"$c/validate_bytes/seed-$kind-$(basename "$f")"
done

# validate_structured: inputs are bytes read by `arbitrary` into a `Case`; a few fixed byte
# strings give libFuzzer a start on each example (byte 0 picks the example, the rest mutations).
for i in 0 1 2 3 4 5 6 7; do
    printf "\\x0$i" >"$c/validate_structured/seed-example-$i"
    printf "\\x0$i\\x01\\x00\\x07\\x00\\x00\\x05" >"$c/validate_structured/seed-example-$i-mutated"
done

# codegen_schema: the catalogue's schemas (the envelope too: it is skipped by design) and the
# codegen fixtures, good and bad.
for f in schemas/*.json; do
    cp "$f" "$c/codegen_schema/seed-schema-$(basename "$f")"
done
for f in tests/fixtures/codegen/*/*.json; do
    cp "$f" "$c/codegen_schema/seed-fixture-$(basename "$(dirname "$f")")-$(basename "$f")"
done

du -sh "$c"
