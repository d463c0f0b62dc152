//! Structure-aware: one of the eight `examples/` requests with a sequence of mutations at JSON
//! pointers (see `proactive_fuzz::mutate`), then the same agreement check as `validate_bytes`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use proactive_fuzz::mutate::Case;

fuzz_target!(|case: Case| {
    let body = case.build();
    proactive_fuzz::check_request(&body);
    // The same body through the byte door: what the validator judged is what a server would read.
    let bytes = serde_json::to_vec(&body).expect("a Value always serializes");
    proactive_fuzz::check_text(std::str::from_utf8(&bytes).expect("serde_json writes UTF-8"));
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(reread) => proactive_fuzz::check_request(&reread),
        // Mutations can nest deeper than serde_json reads (128 levels); a server refuses those bytes.
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {}
        Err(e) => panic!("disagreement: serde_json does not read what it wrote: {e}"),
    }
});
