//! tonghop: consolidates the monthly reports of a commune's hamlets.
//!
//! The data flows one way through plain types:
//! discover files → read workbooks into submissions → check (findings) →
//! total (commune figures against targets) → write (workbook, JSON, text).

pub mod check;
pub mod cli;
pub mod discover;
pub mod error;
pub mod legacy;
pub mod model;
pub mod number;
pub mod period;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod schema;
pub mod template;
pub mod text;
pub mod total;
pub mod units;
pub mod write;
