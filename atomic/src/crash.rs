//! Named crash points: a test sets `HUBTRENDS_CRASH_AT=<name>` and the process aborts there.

use std::sync::OnceLock;

/// The environment variable naming the crash point to abort at (a test hook; see RELIABILITY.md).
pub const CRASH_ENV: &str = "HUBTRENDS_CRASH_AT";

/// Aborts the process (as a SIGKILL would: no destructors, no cleanup) when the environment
/// variable [`CRASH_ENV`] equals `name`; otherwise does nothing.
///
/// The variable is read once per process. Kill tests use it to stop a run at exact steps of a
/// publication (before, between and after the renames) that a timed kill would rarely hit.
pub fn crash_point(name: &str) {
    static WANTED: OnceLock<Option<String>> = OnceLock::new();
    let wanted = WANTED.get_or_init(|| std::env::var(CRASH_ENV).ok());
    if wanted.as_deref() == Some(name) {
        tracing::error!(crash_point = name, "{CRASH_ENV} reached: aborting");
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_or_other_crash_point_is_a_no_op() {
        // The test process never sets the variable to this name, so this must return.
        crash_point("a-point-no-test-sets");
    }
}
