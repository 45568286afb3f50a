//! The log, captured: a `tracing` subscriber whose formatted events go to a buffer the test reads
//! (no colours), for the suites that check what is logged and what is not.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;

/// A `MakeWriter` that appends every formatted event to one shared buffer.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// What was logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Runs `f` with a subscriber that formats events up to `level` into this buffer.
    pub fn with<T>(&self, level: tracing::Level, f: impl FnOnce() -> T) -> T {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(self.clone())
            .with_ansi(false)
            .with_max_level(level)
            .finish();
        tracing::subscriber::with_default(subscriber, f)
    }
}

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The variable by which a test run again in a process of its own ([`rerun_alone`]) knows it is
/// that run: its value is the test's name.
const RERUN: &str = "CORS_TESTS_RERUN";

/// Whether this process is the run of test `name` that [`rerun_alone`] started.
pub fn is_rerun(name: &str) -> bool {
    std::env::var(RERUN).is_ok_and(|rerun| rerun == name)
}

/// Runs test `name` of this test binary again, alone in a process of its own (with `env` set), and
/// returns what it printed, each line as printed. For what is the process's own, such as the table
/// of refusals already logged: the test checks [`is_rerun`] to tell the two runs apart.
///
/// # Panics
/// If the run fails: its output is in the message.
pub fn rerun_alone(name: &str, env: &[(&str, &str)]) -> String {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(RERUN, name)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{name}, run alone: {stdout}\n{output:?}"
    );
    stdout
}
