//! Progress while applying: a bar per wave on a terminal, one plain line per batch otherwise
//! (CI logs keep every line). Both go to a handle the caller chooses, never to stdout, which
//! carries the report.

use std::io::Write;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::plan::Operation;

/// What one finished batch did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchDone {
    pub wave: usize,
    pub kind: Operation,
    /// Changes sent in the request (skipped ones are not).
    pub sent: usize,
    pub succeeded: usize,
    pub failed: usize,
}

/// Receives the executor's progress. Called from one task only, in order.
pub trait Progress: Send {
    fn wave_started(&mut self, wave: usize, waves: usize, batches: usize);
    fn batch_done(&mut self, batch: &BatchDone);
    fn wave_finished(&mut self, wave: usize);
}

/// Reports nothing: for library callers and tests that read the report only.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn wave_started(&mut self, _: usize, _: usize, _: usize) {}
    fn batch_done(&mut self, _: &BatchDone) {}
    fn wave_finished(&mut self, _: usize) {}
}

/// One line per batch, for logs: `wave 1/3: create: 10 sent, 9 done, 1 failed`.
pub struct Lines<W> {
    out: W,
    waves: usize,
}

impl<W: Write + Send> Lines<W> {
    pub fn new(out: W) -> Self {
        Self { out, waves: 0 }
    }
}

impl<W: Write + Send> Progress for Lines<W> {
    fn wave_started(&mut self, _: usize, waves: usize, _: usize) {
        self.waves = waves;
    }

    fn batch_done(&mut self, batch: &BatchDone) {
        // Progress is best effort: a closed stderr must not stop an apply half-way.
        if batch.sent == 0 {
            let _ = writeln!(
                self.out,
                "wave {}/{}: {}: nothing sent, every change in the batch was skipped",
                batch.wave, self.waves, batch.kind
            );
            return;
        }
        let _ = writeln!(
            self.out,
            "wave {}/{}: {}: {} sent, {} done, {} failed",
            batch.wave, self.waves, batch.kind, batch.sent, batch.succeeded, batch.failed
        );
    }

    fn wave_finished(&mut self, _: usize) {}
}

/// A progress bar per wave, counting batches, drawn on stderr.
#[derive(Debug, Default)]
pub struct Bars {
    current: Option<ProgressBar>,
    failed: usize,
}

impl Bars {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

impl Progress for Bars {
    fn wave_started(&mut self, wave: usize, waves: usize, batches: usize) {
        let bar = ProgressBar::with_draw_target(Some(batches as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} batches {msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(format!("wave {wave}/{waves}"));
        self.failed = 0;
        self.current = Some(bar);
    }

    fn batch_done(&mut self, batch: &BatchDone) {
        if let Some(bar) = &self.current {
            self.failed += batch.failed;
            if self.failed > 0 {
                bar.set_message(format!("({} failed)", self.failed));
            }
            bar.inc(1);
        }
    }

    fn wave_finished(&mut self, _: usize) {
        if let Some(bar) = self.current.take() {
            bar.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_say_one_line_per_batch() {
        let mut out = Vec::new();
        {
            let mut lines = Lines::new(&mut out);
            lines.wave_started(1, 2, 2);
            lines.batch_done(&BatchDone {
                wave: 1,
                kind: Operation::Create,
                sent: 10,
                succeeded: 9,
                failed: 1,
            });
            lines.wave_finished(1);
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "wave 1/2: create: 10 sent, 9 done, 1 failed\n"
        );
    }
}
