//! tonghop: consolidates the monthly reports of a commune's hamlets.
//!
//! The data flows one way through plain, typed values:
//! discover files → read workbooks into submissions → settle duplicates →
//! check (findings) → total (commune figures against targets) → write
//! (workbook, JSON, text). Only the command line is public: the binary is a
//! thin shell over it.

mod calendar;
mod check;
pub mod cli;
mod discover;
mod error;
mod feedback;
mod guard;
mod identity;
mod isolate;
mod model;
mod period;
mod pipeline;
mod prefill;
mod read;
mod report;
mod schema;
mod serve;
mod setup;
mod supersede;
mod text;
mod total;
mod units;
mod words;
mod write;

/// The reading path on bytes, for the fuzz targets (fuzz/): one file read
/// with the built-in schema, in this process. Not an interface.
#[doc(hidden)]
pub mod fuzzing {
    use std::sync::LazyLock;

    use crate::read::{FileInput, Matcher};
    use crate::schema::Schema;

    static SCHEMA: LazyLock<Schema> = LazyLock::new(|| Schema::builtin().expect("the built-in schema"));
    static MATCHER: LazyLock<Matcher> = LazyLock::new(|| Matcher::new(&SCHEMA));

    /// Reads `bytes` as a report; how many reports and findings it gave.
    pub fn read(bytes: &[u8]) -> (usize, usize) {
        let input =
            FileInput { path: "fuzz.xlsx".into(), display: "fuzz.xlsx".into(), folders: vec!["2024-06".into()] };
        let r = crate::read::read_bytes(&input, None, Ok(bytes.to_vec()), &SCHEMA, &MATCHER);
        (r.submissions.len(), r.findings.len())
    }
}
