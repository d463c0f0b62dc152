//! Arbitrary bytes as a schema file: proactive-codegen never panics, and a schema it loads emits
//! Rust that `syn` parses (see `proactive_fuzz::check_codegen`). The file is named after its
//! `title` when that is a usable name, else `AMAZON.Fuzz.Target.json`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A schema file that is not UTF-8 is an I/O error before codegen sees it.
    if let Ok(text) = std::str::from_utf8(data) {
        proactive_fuzz::check_codegen(text);
    }
});
