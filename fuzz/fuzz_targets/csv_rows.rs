//! Arbitrary bytes, in arbitrary chunks, through the CSV export row readers.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dev_platform_fuzz::csv_rows(data));
