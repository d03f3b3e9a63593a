//! One worker process: started with the run's schema, sent files in
//! frames, its replies read against a deadline (poll(2) on its output, no
//! thread in between), and the last of what it said on standard error kept
//! to tell why it died, when it does.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::wire::{self, Reply, Request, Shape};
use super::{Isolation, Limits, worker};
use crate::read::{FileInput, FileResult, Stopped};
use crate::schema::Schema;

pub(super) struct Worker {
    /// It said its schema is the run's: ready for files.
    checked: bool,
    child: Child,
    stdin: ChildStdin,
    frames: Frames,
    stderr: Arc<Mutex<Vec<u8>>>,
}

/// Why no frame came.
enum NoFrame {
    Late,
    Gone,
}

impl Worker {
    /// A worker started and ready: its schema is this one.
    pub fn start(how: &Isolation, schema: &Schema, limits: Limits) -> std::io::Result<Worker> {
        let mut w = Worker::spawn(how, limits)?;
        w.ready(schema)?;
        Ok(w)
    }

    /// A worker started, still loading its schema: see [`Worker::ready`].
    pub fn spawn(how: &Isolation, limits: Limits) -> std::io::Result<Worker> {
        let mut command = Command::new(&how.exe);
        command
            .args(&how.args)
            .env(worker::MEMORY_ENV, limits.memory.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        limit_before_exec(&mut command, limits.memory);
        let mut child = command.spawn()?;
        let (stdin, stdout, stderr) = match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => (i, o, e),
            _ => return Err(std::io::Error::other("không nối được với tiến trình đọc")),
        };
        let said = Arc::new(Mutex::new(Vec::new()));
        let keep = said.clone();
        std::thread::spawn(move || tail(stderr, &keep));
        Ok(Worker { checked: false, child, stdin, frames: Frames::new(stdout)?, stderr: said })
    }

    /// Waits for the worker to say it has loaded its schema, which must be
    /// this one, id for id.
    pub fn ready(&mut self, schema: &Schema) -> std::io::Result<()> {
        if self.checked {
            // Kept from an earlier run: alive still, or replaced.
            return match self.child.try_wait() {
                Ok(None) => Ok(()),
                _ => Err(std::io::Error::other("tiến trình đọc đã dừng")),
            };
        }
        let hello = self.frames.next(Instant::now() + Duration::from_secs(30)).ok();
        if hello.and_then(|f| wire::decode::<Shape>(&f)) != Some(Shape::of(schema)) {
            self.stop();
            return Err(std::io::Error::other(
                "tiến trình đọc không báo sẵn sàng với đúng lược đồ, có thể đã dừng ngay khi chạy",
            ));
        }
        self.checked = true;
        Ok(())
    }

    /// Files in turn: what was read of each, up to the one the worker
    /// stopped on, if it did, and why.
    pub fn read(
        &mut self,
        files: &[&FileInput],
        schema: &Schema,
        limits: Limits,
    ) -> (Vec<FileResult>, Option<Stopped>) {
        let mut out = Vec::new();
        let mut frames = Vec::new();
        for f in files {
            if wire::write_frame(&mut frames, &Request::of(f)).is_err() {
                return (out, Some(Stopped::Crashed));
            }
        }
        if self.stdin.write_all(&frames).and_then(|_| self.stdin.flush()).is_err() {
            return (out, Some(self.died(limits)));
        }
        for _ in files {
            match self.frames.next(Instant::now() + limits.per_file) {
                Ok(reply) => match wire::decode::<Reply>(&reply).and_then(|r| r.into_result(schema)) {
                    Some(r) => out.push(r),
                    None => {
                        self.stop();
                        return (out, Some(Stopped::Crashed));
                    }
                },
                Err(NoFrame::Late) => {
                    self.stop();
                    return (out, Some(Stopped::Time { seconds: limits.per_file.as_secs() }));
                }
                Err(NoFrame::Gone) => return (out, Some(self.died(limits))),
            }
        }
        (out, None)
    }

    /// Why the worker went: what it said last on standard error.
    fn died(&mut self, limits: Limits) -> Stopped {
        let _ = self.child.wait();
        // The standard-error reader may still be draining the pipe.
        std::thread::sleep(Duration::from_millis(20));
        let said = String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
        if said.contains("memory allocation") || said.contains("capacity overflow") {
            Stopped::Memory { megabytes: limits.memory >> 20 }
        } else if said.contains("overflowed its stack") {
            Stopped::Deep
        } else {
            Stopped::Crashed
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The worker's memory is limited from its first instruction: an
/// allocator that reserves address space when the program starts would
/// otherwise hold more than the limit set later, and leave too little for
/// a thread.
#[cfg(unix)]
fn limit_before_exec(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is async-signal-safe, and the closure touches
    // nothing but its own copy of `bytes`.
    unsafe {
        command.pre_exec(move || {
            for (resource, value) in [(libc::RLIMIT_AS, bytes), (libc::RLIMIT_CORE, 0)] {
                let lim = libc::rlimit { rlim_cur: value as libc::rlim_t, rlim_max: value as libc::rlim_t };
                libc::setrlimit(resource, &lim);
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_before_exec(_: &mut Command, _: u64) {}

/// Frames from a worker's output, read without blocking past a deadline.
struct Frames {
    from: ChildStdout,
    buf: Vec<u8>,
    /// Where the next frame begins in `buf`: frames are taken off the front
    /// without moving the rest each time.
    at: usize,
}

impl Frames {
    fn new(from: ChildStdout) -> std::io::Result<Frames> {
        set_nonblocking(&from)?;
        Ok(Frames { from, buf: Vec::new(), at: 0 })
    }

    fn next(&mut self, deadline: Instant) -> Result<Vec<u8>, NoFrame> {
        loop {
            if let Some(frame) = self.split() {
                return frame;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || !wait_readable(&self.from, left) {
                return Err(NoFrame::Late);
            }
            // What was taken goes before more is read.
            self.buf.drain(..self.at);
            self.at = 0;
            let mut chunk = [0u8; 64 * 1024];
            match self.from.read(&mut chunk) {
                Ok(0) => return Err(NoFrame::Gone),
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::Interrupted => {
                }
                Err(_) => return Err(NoFrame::Gone),
            }
        }
    }

    /// A whole frame off the front of the buffer, if there is one.
    fn split(&mut self) -> Option<Result<Vec<u8>, NoFrame>> {
        let rest = &self.buf[self.at..];
        let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        if len > wire::MAX_FRAME {
            return Some(Err(NoFrame::Gone));
        }
        let frame = rest.get(4..4 + len)?.to_vec();
        self.at += 4 + len;
        Some(Ok(frame))
    }
}

#[cfg(unix)]
fn set_nonblocking(f: &ChildStdout) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = f.as_raw_fd();
    // SAFETY: fcntl on a descriptor this process owns, reading and setting
    // its status flags only.
    let ok = unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        flags >= 0 && libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) >= 0
    };
    if ok { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(unix))]
fn set_nonblocking(_: &ChildStdout) -> std::io::Result<()> {
    Err(std::io::Error::other("hệ thống này không có poll(2)"))
}

/// Waits until the worker's output has something to read (or it closed),
/// for at most `left`.
#[cfg(unix)]
fn wait_readable(f: &ChildStdout, left: Duration) -> bool {
    use std::os::fd::AsRawFd;
    let mut pfd = libc::pollfd { fd: f.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    let ms = left.as_millis().min(i32::MAX as u128) as i32;
    loop {
        // SAFETY: one pollfd this function owns, for the length given.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        if n >= 0 {
            return n > 0;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return false;
        }
    }
}

#[cfg(not(unix))]
fn wait_readable(_: &ChildStdout, _: Duration) -> bool {
    false
}

/// Keeps the last few kilobytes a worker writes on standard error.
fn tail(mut from: impl Read, keep: &Mutex<Vec<u8>>) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        let mut k = keep.lock().unwrap_or_else(|e| e.into_inner());
        k.extend_from_slice(&buf[..n]);
        if k.len() > 8192 {
            let cut = k.len() - 8192;
            k.drain(..cut);
        }
    }
}
