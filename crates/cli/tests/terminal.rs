//! What a person sees in a terminal: `devplat` run in tmux, its screen read
//! with `capture-pane`. The progress line while `--all` follows pages (and
//! its summary after), a table of Chinese names lined up, and the same table
//! growing above the progress line without either spoiling the other; and no
//! progress at all when standard error is not a terminal or with `--quiet`.
//!
//! tmux is needed: without it these tests say so and pass, unless
//! `DEVPLAT_TEST_TMUX` is set (CI installs tmux and sets it).
#![cfg(unix)]

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{Members, slow_export};
use unicode_width::UnicodeWidthStr;

const SPINNER: &str = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

fn tmux_present() -> bool {
    if Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|output| output.status.success())
    {
        return true;
    }
    assert!(
        std::env::var_os("DEVPLAT_TEST_TMUX").is_none(),
        "tmux is required here (DEVPLAT_TEST_TMUX is set): apt-get install tmux"
    );
    eprintln!("skipped: tmux is not installed");
    false
}

/// A tmux server of its own (its socket in a temporary folder) running one
/// shell command in a window `width` × 30.
struct Terminal {
    socket: PathBuf,
    _folder: tempfile::TempDir,
}

impl Terminal {
    fn run(command: &str, width: u16) -> Self {
        let folder = tempfile::tempdir().unwrap();
        let socket = folder.path().join("tmux.sock");
        let script = format!("{command}; echo EXIT=$?; sleep 60");
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-x"])
            .arg(width.to_string())
            .args(["-y", "30", "sh", "-c", &script])
            .status()
            .unwrap();
        assert!(status.success());
        Self {
            socket,
            _folder: folder,
        }
    }

    fn screen(&self) -> String {
        self.capture(&["capture-pane", "-p"])
    }

    /// The screen with its colours, as escape sequences.
    fn coloured_screen(&self) -> String {
        self.capture(&["capture-pane", "-p", "-e"])
    }

    fn capture(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    }

    /// The screen once `done` holds for it (within 20 s).
    fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no {what} on the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .status();
    }
}

fn devplat(server: &Members, args: &str) -> String {
    format!(
        "GITCODE_TOKEN=t0ken GITCODE_BASE_URL={} {} {args}",
        server.base_url,
        env!("CARGO_BIN_EXE_devplat")
    )
}

/// The display columns where each cell of a table's line starts.
fn cell_starts(line: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let (mut column, mut spaces) = (0, 0);
    for c in line.chars() {
        if c == ' ' {
            spaces += 1;
        } else {
            if spaces >= 2 {
                starts.push(column);
            }
            spaces = 0;
        }
        column += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    starts
}

#[test]
fn all_shows_its_progress_then_a_summary() {
    if !tmux_present() {
        return;
    }
    // Five pages of 20, each 300 ms away.
    let server = Members::start(5, Duration::from_millis(300));
    let terminal = Terminal::run(
        &devplat(
            &server,
            "--format ndjson gitcode list-org-members --org acme --per-page 20 --all >/dev/null",
        ),
        100,
    );
    // While pages arrive: spinner, items, pages, bytes, rate, elapsed.
    let screen = terminal.wait_for("progress after a page", |screen| {
        screen.contains(" items · ") && !screen.contains("EXIT=") && !screen.contains(" 0 items")
    });
    let line = screen
        .lines()
        .find(|line| line.contains(" items · "))
        .unwrap();
    let mut parts = line.split(" · ");
    let first = parts.next().unwrap();
    assert!(
        SPINNER.contains(first.chars().next().unwrap()),
        "a spinner first: {line}"
    );
    assert!(first.ends_with(" items"), "{line}");
    let rest: Vec<&str> = parts.collect();
    assert_eq!(rest.len(), 4, "pages, bytes, rate, elapsed: {line}");
    assert!(rest[0].ends_with(" pages"), "{line}");
    assert!(rest[1].ends_with('B'), "bytes: {line}");
    assert!(rest[2].ends_with(" items/s"), "{line}");
    assert!(rest[3].ends_with('s'), "elapsed: {line}");
    // Done: the summary stays.
    let screen = terminal.wait_for("exit", |screen| screen.contains("EXIT="));
    assert!(screen.contains("EXIT=0"), "{screen}");
    let summary = screen.lines().find(|line| line.starts_with('✓'));
    assert!(
        summary.is_some_and(|line| line.starts_with("✓ 100 items · 6 pages · ")),
        "{screen}"
    );
}

#[test]
fn a_table_grows_above_the_progress_line_and_quiet_hides_it() {
    if !tmux_present() {
        return;
    }
    let server = Members::start(3, Duration::from_millis(200));
    // The default on a terminal: a table, on the same terminal as the
    // progress line.
    let terminal = Terminal::run(
        &devplat(
            &server,
            "gitcode list-org-members --org acme --per-page 5 --all",
        ),
        80,
    );
    let screen = terminal.wait_for("exit", |screen| screen.contains("EXIT="));
    assert!(screen.contains("EXIT=0"), "{screen}");
    let lines: Vec<&str> = screen.lines().collect();
    let header = lines
        .iter()
        .position(|line| line.starts_with("id "))
        .unwrap_or_else(|| panic!("no table header:\n{screen}"));
    let rows = &lines[header + 1..header + 16];
    for (n, row) in rows.iter().enumerate() {
        assert_eq!(
            row.split_whitespace().take(3).collect::<Vec<_>>(),
            [n.to_string(), format!("user{n}"), format!("用户{n}")],
            "row {n} is whole, in order, nothing drawn over it:\n{screen}"
        );
        // The first page sets the widths; `user10` widens its column from
        // its row on.
        if n < 5 {
            assert_eq!(cell_starts(row), cell_starts(lines[header]), "{screen}");
        }
        assert!(row.width() <= 80);
    }
    assert!(
        lines[header + 16].starts_with("✓ 15 items · 4 pages · "),
        "the summary under the table:\n{screen}"
    );
    // --quiet: the table and nothing else.
    let terminal = Terminal::run(
        &devplat(
            &server,
            "--quiet gitcode list-org-members --org acme --per-page 5 --all",
        ),
        80,
    );
    let screen = terminal.wait_for("exit", |screen| screen.contains("EXIT="));
    assert!(screen.contains("user14"), "{screen}");
    assert!(
        !screen.contains(" items") && !screen.contains('✓'),
        "{screen}"
    );
}

#[test]
fn the_mock_table_lines_up_a_chinese_name_on_a_real_terminal_in_bold_unless_no_color() {
    if !tmux_present() {
        return;
    }
    let command = format!(
        "{} --mock gitcode list-org-members --org openharmony",
        env!("CARGO_BIN_EXE_devplat")
    );
    let terminal = Terminal::run(&command, 100);
    let screen = terminal.wait_for("exit", |screen| screen.contains("EXIT="));
    let lines: Vec<&str> = screen.lines().collect();
    let header = lines
        .iter()
        .position(|line| line.starts_with("id "))
        .unwrap();
    assert!(lines[header + 1].contains("麻凡"), "{screen}");
    assert_eq!(
        cell_starts(lines[header]),
        cell_starts(lines[header + 1]),
        "{screen}"
    );
    let bold = terminal.coloured_screen();
    assert!(bold.contains("\u{1b}[1mid "), "a bold header: {bold:?}");
    let plain = Terminal::run(&format!("NO_COLOR=1 {command}"), 100);
    plain.wait_for("exit", |screen| screen.contains("EXIT="));
    let screen = plain.coloured_screen();
    assert!(
        screen.contains("麻凡") && !screen.contains('\u{1b}'),
        "{screen:?}"
    );
}

#[test]
fn an_export_shows_rows_bytes_and_rate_then_a_summary() {
    if !tmux_present() {
        return;
    }
    // Ten chunks of 50 rows, 200 ms apart; a quoted line break in every row
    // is not a row.
    let base_url = slow_export(10, 50, Duration::from_millis(200));
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("commits.csv");
    let terminal = Terminal::run(
        &format!(
            "QODER_API_KEY=k QODER_BASE_URL={base_url} {} qoder export-tracked-commits --organization-id o --output {}",
            env!("CARGO_BIN_EXE_devplat"),
            file.display()
        ),
        100,
    );
    let screen = terminal.wait_for("rows", |screen| {
        screen.contains(" rows · ") && !screen.contains(" 0 rows") && !screen.contains("EXIT=")
    });
    let line = screen
        .lines()
        .find(|line| line.contains(" rows · "))
        .unwrap();
    let parts: Vec<&str> = line.split(" · ").collect();
    assert_eq!(parts.len(), 4, "rows, bytes, rate, elapsed: {line}");
    assert!(SPINNER.contains(parts[0].chars().next().unwrap()), "{line}");
    let rows: u64 = parts[0][parts[0].find(' ').unwrap() + 1..]
        .trim_end_matches(" rows")
        .replace(',', "")
        .parse()
        .unwrap();
    // Counted as the bytes arrive: some, not all yet, and never a quoted
    // line break (which would make the count run ahead of the 500 rows).
    assert!((1..500).contains(&rows), "{line}");
    assert!(
        parts[1].ends_with('B') && parts[2].ends_with("B/s"),
        "{line}"
    );
    let screen = terminal.wait_for("exit", |screen| screen.contains("EXIT="));
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(
        screen.lines().any(|line| line.starts_with("✓ 500 rows · ")),
        "{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(&file)
            .unwrap()
            .matches("\"fix\nbug\"")
            .count(),
        500
    );
}

#[test]
fn no_progress_when_standard_error_is_not_a_terminal() {
    let server = Members::start(3, Duration::from_millis(50));
    let output = Command::new(env!("CARGO_BIN_EXE_devplat"))
        .args([
            "--format",
            "ndjson",
            "gitcode",
            "list-org-members",
            "--org",
            "acme",
            "--per-page",
            "5",
            "--all",
        ])
        .env("GITCODE_TOKEN", "t0ken")
        .env("GITCODE_BASE_URL", &server.base_url)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().lines().count(),
        15
    );
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "");
}
