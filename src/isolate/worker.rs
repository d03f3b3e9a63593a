//! The worker side: a process that reads the files it is sent, one at a
//! time, under its own memory limit, and answers each with what it read.
//! A file that makes it allocate past its limit, recurse too deep or loop
//! kills only this process; the parent sees it go and says so.

use std::io::{BufReader, BufWriter, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::wire::{Reply, Request, Shape, decode, read_frame, write_frame};
use crate::read::{self, Matcher};
use crate::schema::Schema;

/// How much memory a worker may map, in bytes (the parent sets it).
pub const MEMORY_ENV: &str = "TONGHOP_WORKER_MEMORY";

/// A file running longer than this has the replies before it sent at once.
const SLOW: Duration = Duration::from_millis(50);

/// Serves requests on standard input until it closes. The first frame out
/// is the shape of the schema loaded, for the parent to check.
///
/// Replies are sent when no request is waiting, not one by one: a write
/// and a wake-up of the parent per file cost more than reading a small
/// report. So that the parent still knows which file a worker stopped on,
/// a watchdog sends what is written as soon as a file runs longer than
/// [`SLOW`]; a worker that dies sooner than that has its files read again
/// one at a time (see [`super::read_all`]).
pub fn serve(schema: &Schema) -> std::io::Result<()> {
    limit_memory();
    let matcher = Matcher::new(schema);
    let mut input = BufReader::with_capacity(64 * 1024, std::io::stdin());
    let out = Arc::new(Mutex::new(BufWriter::with_capacity(256 * 1024, std::io::stdout())));
    let begun = Instant::now();
    // When the file being read was begun (microseconds from `begun`, plus
    // one); 0 between files.
    let reading = Arc::new(AtomicU64::new(0));
    {
        let (out, reading) = (out.clone(), reading.clone());
        std::thread::spawn(move || watch(&out, &reading, begun));
    }
    let lock = || out.lock().unwrap_or_else(|e| e.into_inner());
    {
        let mut o = lock();
        write_frame(&mut *o, &Shape::of(schema))?;
        o.flush()?;
    }
    while let Some(frame) = read_frame(&mut input)? {
        let Some(req) = decode::<Request>(&frame) else { break };
        reading.store(begun.elapsed().as_micros() as u64 + 1, Ordering::Release);
        let result = read::read_file(&req.into_input(), schema, &matcher);
        reading.store(0, Ordering::Release);
        let mut o = lock();
        write_frame(&mut *o, &Reply::of(&result))?;
        if input.buffer().is_empty() {
            o.flush()?;
        }
    }
    lock().flush()
}

/// Sends the replies written so far whenever a file runs long.
fn watch(out: &Mutex<BufWriter<std::io::Stdout>>, reading: &AtomicU64, begun: Instant) {
    loop {
        std::thread::sleep(SLOW / 2);
        let since = reading.load(Ordering::Acquire);
        let now = begun.elapsed().as_micros() as u64 + 1;
        if since != 0 && now.saturating_sub(since) > SLOW.as_micros() as u64 {
            // The reading thread holds the lock only to write a reply.
            if let Ok(mut o) = out.try_lock()
                && o.flush().is_err()
            {
                return;
            }
        }
    }
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
