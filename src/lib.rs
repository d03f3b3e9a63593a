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
mod guard;
mod isolate;
mod model;
mod period;
mod pipeline;
mod read;
mod report;
mod schema;
mod supersede;
mod text;
mod total;
mod units;
mod write;
