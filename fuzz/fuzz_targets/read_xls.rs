//! An .xls whose workbook stream is the fuzzed bytes, in a valid compound
//! file: the BIFF reader, legacy encodings, merges.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let _ = tonghop::fuzzing::read(&common::compound(data));
});
