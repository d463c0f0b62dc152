//! Arbitrary bytes as a skill request: `SubscriptionChanged::from_slice` never panics, and what it
//! parses survives `to_value` -> `from_value` (and the bytes of that value) unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    proactive_fuzz::check_subscription_changed(data);
});
