//! Each file is read in a worker process of its own memory and time, so
//! that a file crafted or broken to make a reader allocate without bound,
//! loop or overflow its stack costs only itself: an error finding that
//! says so, and the run goes on (issue 11). Workers are a small pool that
//! reads file after file, so clean files stay fast; a worker that dies is
//! replaced. Why processes: calamine allocates what a file's structure
//! claims (a shared-strings table of a trillion entries, a .xls of four
//! billion rows) before anything of ours can look, and an allocation that
//! fails aborts the process; only another process survives that.
//!
//! When no worker can be started (no executable to run), files are read
//! in this process, as before.

mod process;
mod wire;
pub mod worker;

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::read::{self, FileInput, FileResult, Matcher};
use crate::schema::Schema;
use process::Worker;

/// The memory of all workers together; each has its share.
const MEMORY_ALL: u64 = 768 << 20;
/// Never less than this for one worker: a real report needs a few MB.
const MEMORY_MIN: u64 = 256 << 20;
/// A report is read in well under a second; this is for the file that
/// would never end.
const SECONDS_PER_FILE: u64 = 30;
/// The most workers, whatever the machine: each holds a copy of the schema.
const WORKERS_MAX: usize = 4;
/// Files sent to a worker at once.
const BATCH: usize = 16;

/// How to start a worker: this program, with the schema the run uses.
#[derive(Debug, Clone)]
pub struct Isolation {
    pub exe: PathBuf,
    pub args: Vec<OsString>,
}

impl Isolation {
    /// This very program, as a worker with the schema at `schema` (the
    /// built-in one when None). None when the program cannot say where it
    /// is, or when TONGHOP_IN_PROCESS asks for reading in this process.
    pub fn this_program(schema: Option<&std::path::Path>) -> Option<Isolation> {
        // Workers are watched with poll(2): on other systems, files are
        // read in this process.
        if !cfg!(unix) || std::env::var_os("TONGHOP_IN_PROCESS").is_some_and(|v| v == "1") {
            return None;
        }
        let exe = std::env::current_exe().ok()?;
        let mut args: Vec<OsString> = vec!["__worker".into()];
        if let Some(s) = schema {
            args.push("--schema".into());
            args.push(std::path::absolute(s).ok()?.into_os_string());
        }
        Some(Isolation { exe, args })
    }
}

/// The limits a worker reads under.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub memory: u64,
    pub per_file: Duration,
}

impl Limits {
    fn for_workers(n: usize) -> Limits {
        let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
        let memory =
            env("TONGHOP_WORKER_MEMORY_MB").map_or((MEMORY_ALL / n.max(1) as u64).max(MEMORY_MIN), |m| m << 20);
        let per_file = Duration::from_secs(env("TONGHOP_FILE_SECONDS").unwrap_or(SECONDS_PER_FILE));
        Limits { memory, per_file }
    }
}

/// Workers started before the files are known, so that they load their
/// schema while the folders are walked; kept after a run when the pool is
/// (the server's, for the next upload).
pub struct Pool {
    how: Option<Isolation>,
    limits: Limits,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    /// Starts a worker per core (none when `how` is None: files are then
    /// read in this process).
    pub fn start(how: Option<&Isolation>) -> Pool {
        let n = workers_for(usize::MAX);
        let limits = Limits::for_workers(n);
        let early = how.map(|h| (0..n).filter_map(|_| Worker::spawn(h, limits).ok()).collect()).unwrap_or_default();
        Pool { how: how.cloned(), limits, idle: Mutex::new(early) }
    }

    /// An idle worker, checked ready; or a new one; or why none starts.
    fn worker(&self, schema: &Schema) -> Result<Worker, String> {
        let how = self.how.as_ref().ok_or_else(String::new)?;
        loop {
            let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            match idle {
                Some(mut w) => {
                    if w.ready(schema).is_ok() {
                        return Ok(w);
                    }
                }
                None => {
                    // Our own reasons are in Vietnamese already; the system's get a Vietnamese word.
                    return Worker::start(how, schema, self.limits).map_err(|e| match e.kind() {
                        std::io::ErrorKind::Other => e.to_string(),
                        _ => crate::error::vn_io(&e),
                    });
                }
            }
        }
    }

    /// A worker done with its files, for the next run.
    fn give_back(&self, w: Worker) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < WORKERS_MAX {
            idle.push(w);
        }
    }
}

/// A worker per core, at most [`WORKERS_MAX`], and no more than files.
fn workers_for(files: usize) -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).min(WORKERS_MAX).min(files).max(1)
}

/// What reading every file gave.
pub struct ReadAll {
    /// In the order of the files.
    pub results: Vec<FileResult>,
    /// Workers were asked for and none would start (why): some files were
    /// read in this process, with no limit of their own.
    pub unisolated: Option<String>,
}

/// Reads every file, in the pool's workers when it has them; results in
/// the order of `files`. `done` is told of each file read.
pub fn read_all(
    files: &[FileInput],
    schema: &Schema,
    matcher: &Matcher,
    pool: &Pool,
    done: &(dyn Fn() + Sync),
) -> ReadAll {
    // Workers started early and not needed (fewer files than cores) end
    // with the pool.
    let n = workers_for(files.len());
    let limits = pool.limits;
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<FileResult>>> = files.iter().map(|_| Mutex::new(None)).collect();
    let unisolated: Mutex<Option<String>> = Mutex::new(None);
    let put = |i: usize, r: FileResult| {
        *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        done();
    };
    std::thread::scope(|scope| {
        for _ in 0..n {
            scope.spawn(|| {
                let mut worker: Option<Worker> = None;
                let mut can_start = pool.how.is_some();
                loop {
                    // A few files at a time: one write and one wake-up for
                    // several, while a file that kills its worker costs only
                    // itself (the rest of its batch goes to the next worker).
                    let start = next.fetch_add(BATCH, Ordering::Relaxed);
                    if start >= files.len() {
                        break;
                    }
                    let mut pending: Vec<usize> = (start..(start + BATCH).min(files.len())).collect();
                    // After a worker died with several files unanswered: which
                    // one it died on is found by sending them one at a time.
                    let mut one_by_one = false;
                    while !pending.is_empty() {
                        if worker.is_none() && can_start {
                            match pool.worker(schema) {
                                Ok(w) => worker = Some(w),
                                Err(why) => {
                                    can_start = false;
                                    unisolated.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(why);
                                }
                            }
                        }
                        let Some(w) = worker.as_mut() else {
                            for i in pending.drain(..) {
                                put(i, read::read_file(&files[i], schema, matcher));
                            }
                            break;
                        };
                        let sent = if one_by_one { 1 } else { pending.len() };
                        let batch: Vec<&FileInput> = pending[..sent].iter().map(|&i| &files[i]).collect();
                        let (read, stopped) = w.read(&batch, schema, limits);
                        let k = read.len();
                        for (i, r) in pending.iter().zip(read) {
                            put(*i, r);
                        }
                        pending.drain(..k);
                        if let Some(why) = stopped {
                            worker = None;
                            if sent - k > 1 {
                                // Its replies to the files before the one it
                                // stopped on may not have been sent.
                                one_by_one = true;
                                continue;
                            }
                            // The file it stopped on is said; the others are read again.
                            let i = pending.remove(0);
                            put(i, read::stopped(&files[i], schema, why));
                        }
                    }
                }
                if let Some(w) = worker {
                    pool.give_back(w);
                }
            });
        }
    });
    ReadAll {
        results: results
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).unwrap_or_default())
            .collect(),
        unisolated: unisolated.into_inner().unwrap_or_else(|e| e.into_inner()),
    }
}
