//! Valid containers around fuzzed parts, so that the fuzzer works on what is
//! inside them (a sheet's XML, a workbook stream) rather than on checksums.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

/// A zip of (name, bytes) parts.
pub fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        if w.start_file(*name, o).is_err() || w.write_all(bytes).is_err() {
            return Vec::new();
        }
    }
    w.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// A compound file holding one workbook stream.
pub fn compound(stream: &[u8]) -> Vec<u8> {
    let Ok(mut file) = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())) else {
        return Vec::new();
    };
    if let Ok(mut s) = file.create_stream("/Workbook") {
        let _ = s.write_all(stream);
    }
    let _ = file.flush();
    file.into_inner().into_inner()
}
