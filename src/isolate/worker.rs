//! The worker side: a process that reads the files it is sent, one at a
//! time, under its own memory limit, and answers each with what it read.
//! A file that makes it allocate past its limit, recurse too deep or loop
//! kills only this process; the parent sees it go and says so.

use std::io::{BufReader, BufWriter, Write};

use super::wire::{Reply, Request, Shape, decode, read_frame, write_frame};
use crate::read::{self, Matcher};
use crate::schema::Schema;

/// How much memory a worker may map, in bytes (the parent sets it).
pub const MEMORY_ENV: &str = "TONGHOP_WORKER_MEMORY";

/// Serves requests on standard input until it closes. The first frame out
/// is the shape of the schema loaded, for the parent to check.
pub fn serve(schema: &Schema) -> std::io::Result<()> {
    limit_memory();
    let matcher = Matcher::new(schema);
    let mut input = BufReader::with_capacity(64 * 1024, std::io::stdin());
    let mut out = BufWriter::with_capacity(256 * 1024, std::io::stdout());
    write_frame(&mut out, &Shape::of(schema))?;
    out.flush()?;
    while let Some(frame) = read_frame(&mut input)? {
        let Some(req) = decode::<Request>(&frame) else { break };
        let result = read::read_file(&req.into_input(), schema, &matcher);
        // Each reply goes out before the next file is begun: if that file
        // kills this process, the parent knows it was that one.
        write_frame(&mut out, &Reply::of(&result))?;
        out.flush()?;
    }
    Ok(())
}

/// The address space this process may use, and no core file when a file
/// makes it abort.
#[cfg(unix)]
fn limit_memory() {
    let bytes = std::env::var(MEMORY_ENV).ok().and_then(|v| v.parse::<u64>().ok());
    let set = |resource, value: u64| {
        let lim = libc::rlimit { rlim_cur: value as libc::rlim_t, rlim_max: value as libc::rlim_t };
        // SAFETY: setrlimit reads the struct it is given and nothing else.
        unsafe { libc::setrlimit(resource, &lim) };
    };
    set(libc::RLIMIT_CORE, 0);
    if let Some(b) = bytes {
        set(libc::RLIMIT_AS, b);
    }
}

#[cfg(not(unix))]
fn limit_memory() {}
