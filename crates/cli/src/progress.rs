//! [`Progress`]: one line on standard error while `--all` follows pages or an
//! export streams: items and pages (or rows), bytes, rate and elapsed time;
//! shown only when standard error is a terminal and not `--quiet`, and left
//! as a summary line when the command succeeds.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{BinaryBytes, HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What is being counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    /// `--all`: items and pages, and the bytes written.
    Pages,
    /// An export: rows and the bytes received.
    Rows,
}

/// The counts, shared with an export's chunk observer.
#[derive(Debug, Default)]
struct Counts {
    items: AtomicU64,
    pages: AtomicU64,
    bytes: AtomicU64,
}

/// A progress line, or nothing (hidden).
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
    counting: Counting,
    counts: Arc<Counts>,
    started: Instant,
}

impl Progress {
    /// A line on standard error when `shown`, else nothing.
    pub fn new(shown: bool, counting: Counting) -> Self {
        let bar = shown.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .expect("a valid template")
                    .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✓"),
            );
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        let progress = Self {
            bar,
            counting,
            counts: Arc::default(),
            started: Instant::now(),
        };
        progress.redraw();
        progress
    }

    /// The bar, to hide while something else writes to the same terminal.
    pub fn bar(&self) -> Option<&ProgressBar> {
        self.bar.as_ref()
    }

    /// `--all`: the items and pages so far, and the bytes written.
    pub fn items(&self, items: u64, pages: u64, bytes: u64) {
        self.counts.items.store(items, Ordering::Relaxed);
        self.counts.pages.store(pages, Ordering::Relaxed);
        self.counts.bytes.store(bytes, Ordering::Relaxed);
        self.redraw();
    }

    /// An export: counts every chunk's bytes and its rows (line breaks
    /// outside quoted fields, the header's excluded), as the chunks arrive.
    pub fn observer(&self) -> impl FnMut(&[u8]) + Send + Sync + 'static {
        let progress = self.clone();
        let mut in_quotes = false;
        let mut lines = 0u64;
        move |chunk: &[u8]| {
            for at in memchr::memchr2_iter(b'"', b'\n', chunk) {
                match chunk[at] {
                    b'"' => in_quotes = !in_quotes,
                    _ if !in_quotes => lines += 1,
                    _ => {}
                }
            }
            let counts = &progress.counts;
            counts
                .bytes
                .fetch_add(chunk.len() as u64, Ordering::Relaxed);
            counts
                .items
                .store(lines.saturating_sub(1), Ordering::Relaxed);
            progress.redraw();
        }
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(self.line());
        }
    }

    /// `1,000 items · 10 pages · 212.40 KiB · 330 items/s · 3s`, or
    /// `12,345 rows · 4.20 MiB · 1.40 MiB/s · 3s`.
    fn line(&self) -> String {
        let items = self.counts.items.load(Ordering::Relaxed);
        let bytes = self.counts.bytes.load(Ordering::Relaxed);
        let elapsed = self.started.elapsed();
        let seconds = elapsed.as_secs_f64().max(0.001);
        let time = indicatif::HumanDuration(elapsed);
        match self.counting {
            Counting::Pages => format!(
                "{} items · {} pages · {} · {} items/s · {time:#}",
                HumanCount(items),
                HumanCount(self.counts.pages.load(Ordering::Relaxed)),
                BinaryBytes(bytes),
                HumanCount((items as f64 / seconds) as u64),
            ),
            Counting::Rows => format!(
                "{} rows · {} · {}/s · {time:#}",
                HumanCount(items),
                BinaryBytes(bytes),
                BinaryBytes((bytes as f64 / seconds) as u64),
            ),
        }
    }

    /// Ends the line: on success it stays, as a summary; on failure it is
    /// cleared (the error's line follows).
    pub fn finish(&self, succeeded: bool) {
        let Some(bar) = &self.bar else {
            return;
        };
        if succeeded {
            bar.set_style(ProgressStyle::with_template("✓ {msg}").expect("a valid template"));
            bar.finish_with_message(self.line());
        } else {
            bar.finish_and_clear();
        }
    }
}
