//! The integration tests: one crate, one module per area, each running the
//! built binary on fixture workbooks and asserting on its JSON report and
//! on the workbook it wrote. `util` has the shared helpers.

mod adoption;
mod browser;
mod builder;
mod certainty;
mod checks;
mod cli;
mod columns;
mod corpus;
mod docs;
mod excel;
mod feedback;
mod forms;
mod formulas;
mod gaps;
mod hostile;
mod large;
mod leadership;
mod metamorphic;
mod pinned;
mod reading;
mod samples;
mod schema;
mod serve;
mod util;
mod workbook;
