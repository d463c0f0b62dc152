//! Arbitrary bytes as a request body: `validate()` never panics, and a body it accepts parses as
//! a typed `Request` whose serialization is valid again (see `proactive_fuzz::check_request`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        proactive_fuzz::check_text(text);
    }
    if let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) {
        proactive_fuzz::check_request(&body);
    }
});
