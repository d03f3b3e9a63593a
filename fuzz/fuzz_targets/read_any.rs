//! Any bytes at all, as a file found in a hamlet's folder: the sniffing of
//! formats and every reader behind it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tonghop::fuzzing::read(data);
});
