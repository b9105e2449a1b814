//! Arbitrary bytes through every JSON response decoder.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dev_platform_fuzz::decode_json(data));
