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
            close(&bar);
        }
    }
}

/// Ends a wave's bar where it is: full when every batch answered, else (Ctrl-C stopped the
/// wave) left at the batches done, saying so, instead of jumping to the end.
fn close(bar: &ProgressBar) {
    match bar.length() {
        Some(length) if bar.position() < length => {
            bar.abandon_with_message(format!(
                "(stopped: {} of {length} batches not sent)",
                length - bar.position()
            ));
        }
        _ => bar.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waves_bar_counts_its_batches_and_its_failures() {
        let done = |failed| BatchDone {
            wave: 2,
            kind: Operation::Create,
            sent: 10,
            succeeded: 10 - failed,
            failed,
        };
        let mut bars = Bars::new();
        bars.wave_started(2, 3, 4);
        let bar = bars.current.clone().expect("a bar for the wave");
        assert_eq!(
            (bar.prefix(), bar.length()),
            ("wave 2/3".to_owned(), Some(4))
        );
        bars.batch_done(&done(0));
        assert_eq!((bar.position(), bar.message()), (1, String::new()));
        bars.batch_done(&done(2));
        bars.batch_done(&done(1));
        assert_eq!(
            (bar.position(), bar.message()),
            (3, "(3 failed)".to_owned())
        );
        bars.wave_finished(2);
        assert!(bars.current.is_none());
        // The next wave counts its own failures.
        bars.wave_started(3, 3, 1);
        bars.batch_done(&done(0));
        assert_eq!(bars.current.as_ref().unwrap().message(), "");
    }

    #[test]
    fn a_stopped_wave_keeps_its_bar_where_it_stopped() {
        let bar = ProgressBar::hidden();
        bar.set_length(4);
        bar.inc(1);
        close(&bar);
        assert!(bar.is_finished());
        assert_eq!(bar.position(), 1);
        assert_eq!(bar.message(), "(stopped: 3 of 4 batches not sent)");
        let full = ProgressBar::hidden();
        full.set_length(2);
        full.inc(2);
        close(&full);
        assert!(full.is_finished());
        assert_eq!((full.position(), full.message()), (2, String::new()));
    }

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
