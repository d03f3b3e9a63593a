//! tonghop: consolidates the monthly reports of a commune's hamlets.
//!
//! The data flows one way through plain types:
//! discover files → read workbooks into submissions → check (findings) →
//! total (commune figures against targets) → write (workbook, JSON, text).

pub mod model;
pub mod number;
pub mod period;
pub mod schema;
pub mod text;
pub mod units;
