//! Hostile .xls files: a BIFF8 workbook stream written record by record
//! into a compound file, so that a figure can sit where no program would
//! put it and a DIMENSIONS record can claim what it likes.

use std::io::{Cursor, Write};

use super::craft::Crafted;

fn record(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(body.len() as u16).to_le_bytes());
    out.extend_from_slice(body);
}

fn bof(kind: u16) -> Vec<u8> {
    let mut b = vec![];
    b.extend_from_slice(&0x0600u16.to_le_bytes());
    b.extend_from_slice(&kind.to_le_bytes());
    b.extend_from_slice(&[0; 12]);
    b
}

/// One sheet's records: its DIMENSIONS claim, and (row, col, value) figures.
pub struct SheetSpec {
    pub dims: (u32, u32, u16, u16),
    pub figures: Vec<(u16, u16, f64)>,
}

fn sheet_stream(s: &SheetSpec) -> Vec<u8> {
    let mut out = Vec::new();
    record(&mut out, 0x0809, &bof(0x0010));
    let mut d = Vec::new();
    d.extend_from_slice(&s.dims.0.to_le_bytes());
    d.extend_from_slice(&s.dims.1.to_le_bytes());
    d.extend_from_slice(&s.dims.2.to_le_bytes());
    d.extend_from_slice(&s.dims.3.to_le_bytes());
    d.extend_from_slice(&[0, 0]);
    record(&mut out, 0x0200, &d);
    for &(r, c, v) in &s.figures {
        let mut n = Vec::new();
        n.extend_from_slice(&r.to_le_bytes());
        n.extend_from_slice(&c.to_le_bytes());
        n.extend_from_slice(&15u16.to_le_bytes());
        n.extend_from_slice(&v.to_le_bytes());
        record(&mut out, 0x0203, &n);
    }
    record(&mut out, 0x000A, &[]);
    out
}

/// A workbook stream of the given sheets.
fn workbook(sheets: &[SheetSpec]) -> Vec<u8> {
    let name_len = |i: usize| format!("S{i}").len();
    // Globals: BOF, CODEPAGE, one BOUNDSHEET8 per sheet, EOF; then the sheets.
    let globals_len = 4 + 16 + 4 + 2 + sheets.iter().enumerate().map(|(i, _)| 4 + 8 + name_len(i)).sum::<usize>() + 4;
    let streams: Vec<Vec<u8>> = sheets.iter().map(sheet_stream).collect();
    let mut out = Vec::new();
    record(&mut out, 0x0809, &bof(0x0005));
    record(&mut out, 0x0042, &1200u16.to_le_bytes());
    let mut offset = globals_len;
    for (i, s) in streams.iter().enumerate() {
        let name = format!("S{i}");
        let mut b = Vec::new();
        b.extend_from_slice(&(offset as u32).to_le_bytes());
        b.extend_from_slice(&[0, 0, name.len() as u8, 0]);
        b.extend_from_slice(name.as_bytes());
        record(&mut out, 0x0085, &b);
        offset += s.len();
    }
    record(&mut out, 0x000A, &[]);
    assert_eq!(out.len(), globals_len);
    for s in streams {
        out.extend(s);
    }
    // Past the mini-stream cutoff, so that the stream sits in full sectors.
    if out.len() < 4096 {
        out.resize(4096, 0);
    }
    out
}

/// A compound file holding one workbook stream.
pub fn compound(stream: &[u8]) -> Vec<u8> {
    // Version 3 (512-byte sectors), as Excel writes .xls.
    let mut file = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    let mut s = file.create_stream("/Workbook").unwrap();
    s.write_all(stream).unwrap();
    drop(s);
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// A compound file whose allocation table chains the directory's sector to
/// itself: a reader that follows the chain to its end never gets there.
fn fat_loop() -> Vec<u8> {
    let mut bytes = compound(&workbook(&[SheetSpec { dims: (0, 1, 0, 1), figures: vec![(0, 0, 1.0)] }]));
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    // Header: the first FAT sector at offset 76, the directory's first sector at 48.
    let (fat, dir) = (u32_at(&bytes, 76), u32_at(&bytes, 48));
    let entry = 512 + fat * 512 + 4 * dir;
    bytes[entry..entry + 4].copy_from_slice(&(dir as u32).to_le_bytes());
    bytes
}

pub fn crafted() -> Vec<Crafted> {
    let one = |dims, figures| workbook(&[SheetSpec { dims, figures }]);
    let corners: Vec<SheetSpec> =
        (0..8).map(|_| SheetSpec { dims: (0, 65536, 0, 256), figures: vec![(0, 0, 1.0), (65535, 255, 2.0)] }).collect();
    vec![
        Crafted { name: "cot-65535.xls", bytes: compound(&one((0, 1, 0, 65535), vec![(0, 0, 1.0), (0, 65535, 7.0)])) },
        Crafted { name: "bon-ty-dong.xls", bytes: compound(&one((0, u32::MAX, 0, 256), vec![(0, 0, 1.0)])) },
        Crafted { name: "hai-goc.xls", bytes: compound(&workbook(&corners)) },
        Crafted { name: "fat-vong.xls", bytes: fat_loop() },
    ]
}
