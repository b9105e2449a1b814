//! [`Output`]: where a command writes its answer, in the format chosen
//! ([`Format`]): one answer, every item of every page as it arrives
//! (`--all`), or a CSV export (to standard output or, whole or not at all, to
//! a file); with a progress line on standard error while pages or rows
//! stream.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use dev_platform_runtime::{CsvExport, CsvRow, PageStream};
use futures_util::{Stream, StreamExt};
use indicatif::ProgressBar;
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

pub use crate::failure::{Failure, Kind};
use crate::format::Choice;
pub use crate::format::Format;
use crate::progress::{Counting, Progress};
use crate::sink::{self, Sink, SinkSettings};
use crate::table::{self, Lines};

/// How an operation's answer is shown beyond JSON, generated from its spec
/// (`xtask/src/cli/view.rs`): where its list is, a table's default columns
/// and every field of an item.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct View {
    /// The JSON pointer of the answer's list (`""`: the answer is the list),
    /// or `None` when the answer is one object.
    pub list: Option<&'static str>,
    /// The columns a table shows unless `--columns` says otherwise.
    pub columns: &'static [&'static str],
    /// Every documented field of an item (or of the answer, when it is no
    /// list), in the spec's order: a CSV's columns.
    pub fields: &'static [&'static str],
}

/// The options of the command line that shape the output.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Settings {
    /// `--format`.
    pub format: Option<Format>,
    /// `DEVPLAT_FORMAT`.
    pub variable: Option<Format>,
    /// `--columns`.
    pub columns: Option<Vec<String>>,
    /// `--quiet`: no progress line.
    pub quiet: bool,
    /// `NO_COLOR` is set (and not empty).
    pub no_color: bool,
}

/// Where a command writes its answer.
pub struct Output {
    writer: Box<dyn Write + Send>,
    /// Standard output is a terminal (or a test asked to write as to one).
    terminal: bool,
    /// The terminal's width, when known.
    width: Option<usize>,
    /// Whether colour may be written (a real terminal).
    colour_capable: bool,
    /// Standard error is a terminal: progress may be shown.
    progress_capable: bool,
    /// The progress bar to hide while standard output writes to the same
    /// terminal.
    bar: Arc<Mutex<Option<ProgressBar>>>,
    settings: Settings,
}

impl Output {
    /// Standard output, buffered (flushed whenever the next item needs a
    /// request): a table on a terminal, JSON when piped.
    pub fn stdout() -> Self {
        let terminal = io::stdout().is_terminal();
        let bar = Arc::new(Mutex::new(None));
        let stdout = Stdout {
            bar: Arc::clone(&bar),
        };
        Self {
            writer: Box::new(BufWriter::with_capacity(64 * 1024, stdout)),
            terminal,
            width: terminal
                .then(|| console::Term::stdout().size_checked())
                .flatten()
                .map(|(_, columns)| usize::from(columns)),
            colour_capable: terminal,
            progress_capable: io::stderr().is_terminal(),
            bar,
            settings: Settings::default(),
        }
    }

    /// Any writer (tests): JSON by default, no progress, no colour.
    pub fn to(writer: impl Write + Send + 'static) -> Self {
        Self {
            writer: Box::new(writer),
            terminal: false,
            width: None,
            colour_capable: false,
            progress_capable: false,
            bar: Arc::default(),
            settings: Settings::default(),
        }
    }

    /// Writes as to a terminal `width` columns wide (the default format is
    /// then `table`, JSON is pretty), without colour: what a person sees.
    pub fn as_terminal(mut self, width: usize) -> Self {
        self.terminal = true;
        self.width = Some(width);
        self
    }

    /// Applies the command line's output options.
    pub fn configure(&mut self, settings: Settings) {
        self.settings = settings;
    }

    /// The writer itself (completion scripts).
    pub(crate) fn writer(&mut self) -> &mut (dyn Write + Send) {
        &mut *self.writer
    }

    fn choice(&self) -> Choice {
        Choice {
            flag: self.settings.format,
            variable: self.settings.variable,
            terminal: self.terminal,
        }
    }

    fn colour(&self) -> bool {
        self.colour_capable && !self.settings.no_color
    }

    /// A sink for a list in `format`, with `--columns` or the view's.
    fn sink(&self, format: Format, view: &View) -> Sink {
        let columns = match (&self.settings.columns, format) {
            (Some(columns), _) => columns.clone(),
            (None, Format::Table) => view.columns.iter().map(|c| c.to_string()).collect(),
            (None, _) => view.fields.iter().map(|c| c.to_string()).collect(),
        };
        Sink::new(SinkSettings {
            format,
            columns,
            pretty: self.terminal,
            width: self.width,
            colour: self.colour(),
        })
    }

    /// A progress line, shown when standard error is a terminal and not
    /// `--quiet`; while it shows, standard output's writes to the same
    /// terminal hide it.
    fn progress(&self, counting: Counting) -> Progress {
        let progress = Progress::new(self.progress_capable && !self.settings.quiet, counting);
        if self.terminal {
            *self.bar.lock().unwrap_or_else(|e| e.into_inner()) = progress.bar().cloned();
        }
        progress
    }

    fn end_progress(&self, progress: &Progress, succeeded: bool) {
        *self.bar.lock().unwrap_or_else(|e| e.into_inner()) = None;
        progress.finish(succeeded);
    }

    /// Writes one answer: JSON as it is; in the other formats its list (the
    /// view's) item by item, or the one object (a table of fields and
    /// values, one CSV row, one line).
    pub fn answer<T: Serialize>(&mut self, value: &T, view: &View) -> Result<(), Failure> {
        let written = self.write_answer(value, view);
        let flushed = self.writer.flush();
        written?;
        Ok(flushed?)
    }

    fn write_answer<T: Serialize>(&mut self, value: &T, view: &View) -> Result<(), Failure> {
        let format = self.choice().for_json();
        if format == Format::Json {
            let text = sink::json_text(value, self.terminal)?;
            writeln!(self.writer, "{text}")?;
            return Ok(());
        }
        let text = sink::json_text(value, false)?;
        if let Some(items) = view.list.and_then(|pointer| list_at(&text, pointer)) {
            let mut sink = self.sink(format, view);
            for item in &items {
                sink.item(&mut *self.writer, item)?;
            }
            sink.finish(&mut *self.writer)?;
            return Ok(());
        }
        let value: Value = serde_json::from_str(&text)
            .map_err(|error| Failure::new(format!("cannot print the answer: {error}")))?;
        if value.is_null() {
            return Ok(());
        }
        match format {
            Format::Ndjson => writeln!(self.writer, "{text}")?,
            Format::Table => self.fields_table(&value, view)?,
            _ => {
                let columns = self.object_fields(&value, view);
                let mut csv = csv::Writer::from_writer(&mut *self.writer);
                csv.write_record(&columns)?;
                csv.write_record(
                    columns
                        .iter()
                        .map(|column| sink::csv_field(sink::at(&value, column))),
                )?;
                csv.flush()?;
            }
        }
        Ok(())
    }

    /// The fields of one object to show: `--columns`, or the view's fields
    /// it has, then the others it has.
    fn object_fields(&self, value: &Value, view: &View) -> Vec<String> {
        if let Some(columns) = &self.settings.columns {
            return columns.clone();
        }
        let Some(map) = value.as_object() else {
            return Vec::new();
        };
        let documented = view.fields.iter().filter(|field| map.contains_key(**field));
        let others = map
            .keys()
            .filter(|key| !view.fields.contains(&key.as_str()));
        documented
            .map(|field| field.to_string())
            .chain(others.cloned())
            .collect()
    }

    /// One object as a table of field and value lines.
    fn fields_table(&mut self, value: &Value, view: &View) -> Result<(), Failure> {
        if !value.is_object() {
            writeln!(self.writer, "{}", table::cell(Some(value)))?;
            return Ok(());
        }
        let rows: Vec<[String; 2]> = self
            .object_fields(value, view)
            .into_iter()
            .map(|field| {
                let text = table::cell(sink::at(value, &field));
                [field, text]
            })
            .collect();
        let natural = [0, 1].map(|index| {
            rows.iter()
                .map(|row| table::width(&row[index]))
                .max()
                .unwrap_or(0)
        });
        let lines = Lines {
            widths: table::fit(&natural, self.width),
            total: self.width,
            colour: false,
        };
        for row in &rows {
            lines.row(&mut *self.writer, row, false)?;
        }
        Ok(())
    }

    /// Writes every item of every page as it arrives, fetching at most
    /// `max_pages` pages when given (`--max-pages`). Memory holds one page;
    /// what is written is flushed before each next page is requested, so a
    /// reader that goes away (`| head -1`) stops the command there.
    pub async fn stream<'a, T: Serialize + Send + Clone + PartialEq + 'a>(
        &mut self,
        mut pages: PageStream<'a, T>,
        max_pages: Option<u64>,
        view: &View,
    ) -> Result<(), Failure> {
        if let Some(limit) = max_pages {
            pages = pages.max_pages(limit);
        }
        let mut sink = self.sink(self.choice().for_json(), view);
        let progress = self.progress(Counting::Pages);
        let mut out = Counted::new(&mut *self.writer);
        let mut items = 0;
        let result = loop {
            if Stream::size_hint(&pages).0 == 0
                && let Err(error) = sink.pause(&mut out).and_then(|()| out.flush())
            {
                break Err(Failure::from(error));
            }
            match pages.next().await {
                None => break sink.finish(&mut out).map_err(Failure::from),
                Some(Ok(item)) => {
                    if let Err(failure) = sink.item(&mut out, &item) {
                        break Err(failure);
                    }
                    items += 1;
                    progress.items(items, pages.pages_fetched(), out.count);
                }
                Some(Err(error)) => break Err(error.into()),
            }
        };
        // The items before a failure are real: they stay written.
        let flushed = out.flush();
        progress.items(items, pages.pages_fetched(), out.count);
        self.end_progress(&progress, result.is_ok() && flushed.is_ok());
        result?;
        Ok(flushed?)
    }

    /// Writes a CSV export to `file` or to this output: the CSV as sent, or
    /// its rows in the format asked for (`--format`).
    pub async fn export<T: CsvRow + Serialize>(
        &mut self,
        export: CsvExport<T>,
        file: Option<&Path>,
        view: &View,
    ) -> Result<(), Failure> {
        let format = self.choice().for_export();
        let sink = self.sink(format, view);
        // The CSV as sent, unless columns are chosen.
        let copy = format == Format::Csv && self.settings.columns.is_none();
        let progress = self.progress(Counting::Rows);
        let export = match progress.bar() {
            Some(_) => export.on_chunk(progress.observer()),
            None => export,
        };
        let result = match file {
            Some(path) => to_file(export, sink, copy, path).await,
            None => {
                let written = write_export(export, sink, copy, &mut *self.writer).await;
                let flushed = self.writer.flush();
                written.and(flushed.map_err(Failure::from))
            }
        };
        self.end_progress(&progress, result.is_ok());
        result
    }
}

impl Output {
    /// Writes a raw answer (a file) to `file` or to this output, chunk by
    /// chunk as it arrives (never held whole in memory). A file is complete
    /// or not there at all: streamed to a temporary file beside `file` and
    /// renamed into place once the server's answer ended as it should; an
    /// answer cut short is an error and leaves nothing.
    pub async fn download(
        &mut self,
        response: progenitor_client::ResponseValue<progenitor_client::ByteStream>,
        file: Option<&Path>,
    ) -> Result<(), Failure> {
        let chunks = response.into_inner().into_inner();
        match file {
            Some(path) => whole(path, async |out| copy_chunks(chunks, out).await).await,
            None => {
                let copied = copy_chunks(chunks, &mut *self.writer).await;
                let flushed = self.writer.flush();
                copied.and(flushed.map_err(Failure::from))
            }
        }
    }
}

/// Every chunk of a streamed answer, written as it arrives.
async fn copy_chunks(
    mut chunks: impl Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin,
    out: &mut (dyn Write + Send),
) -> Result<(), Failure> {
    while let Some(chunk) = chunks.next().await {
        // Without its URL, which may hold a query token.
        let chunk = chunk.map_err(|error| {
            Failure::new(format!("the answer broke off: {}", error.without_url()))
        })?;
        out.write_all(&chunk)?;
    }
    Ok(())
}

/// Complete or not at all: the export goes to a temporary file beside
/// `path`, renamed into place only once it is whole; on any failure (or when
/// this future is dropped, on Ctrl-C) the temporary file is removed.
async fn to_file<T: CsvRow + Serialize>(
    export: CsvExport<T>,
    sink: Sink,
    copy: bool,
    path: &Path,
) -> Result<(), Failure> {
    whole(path, async |out| {
        write_export(export, sink, copy, out).await
    })
    .await
}

/// What `write` writes, to a temporary file beside `path` renamed into place
/// only once it is whole and on disk; on any failure (or when this future is
/// dropped, on Ctrl-C) the temporary file is removed.
async fn whole(
    path: &Path,
    write: impl AsyncFnOnce(&mut (dyn Write + Send)) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let partial = crate::partial::beside(path)?;
    let mut out = BufWriter::new(partial.as_file().try_clone()?);
    write(&mut out).await?;
    out.flush()?;
    out.get_ref().sync_all()?;
    drop(out);
    partial.persist(path).map_err(|error| {
        Failure::new(format!("cannot write {}: {}", path.display(), error.error))
    })?;
    Ok(())
}

/// The export's CSV byte for byte (`copy`), or its typed rows through `sink`.
async fn write_export<T: CsvRow + Serialize>(
    export: CsvExport<T>,
    mut sink: Sink,
    copy: bool,
    out: &mut (dyn Write + Send),
) -> Result<(), Failure> {
    if copy {
        export.copy_to(&mut Blocking(out)).await?;
        return Ok(());
    }
    let mut rows = export.rows();
    while let Some(row) = rows.next().await {
        sink.item(out, &row?)?;
    }
    sink.finish(out)?;
    Ok(())
}

/// The items of the list at `pointer` in the JSON `text`, each as its own
/// text (fields in the order the answer has them), when there is a list
/// there.
fn list_at(text: &str, pointer: &str) -> Option<Vec<Box<RawValue>>> {
    let mut raw: Box<RawValue> = serde_json::from_str(text).ok()?;
    for key in pointer.split('/').skip(1) {
        let mut object: std::collections::HashMap<String, Box<RawValue>> =
            serde_json::from_str(raw.get()).ok()?;
        raw = object.remove(key)?;
    }
    serde_json::from_str(raw.get()).ok()
}

/// Standard output, hiding the progress bar (on the same terminal) while it
/// writes.
struct Stdout {
    bar: Arc<Mutex<Option<ProgressBar>>>,
}

impl Stdout {
    fn hiding_the_bar<R>(&self, write: impl FnOnce(&mut io::Stdout) -> R) -> R {
        let bar = self.bar.lock().unwrap_or_else(|e| e.into_inner()).clone();
        match bar {
            Some(bar) => bar.suspend(|| write(&mut io::stdout())),
            None => write(&mut io::stdout()),
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.hiding_the_bar(|stdout| stdout.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.hiding_the_bar(|stdout| stdout.flush())
    }
}

/// A writer that counts the bytes written through it.
struct Counted<'a> {
    inner: &'a mut (dyn Write + Send),
    count: u64,
}

impl<'a> Counted<'a> {
    fn new(inner: &'a mut (dyn Write + Send)) -> Self {
        Self { inner, count: 0 }
    }
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.count += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A blocking writer as the `AsyncWrite` an export copies into: standard
/// output or a file, where waiting for the write is what the command should
/// do.
struct Blocking<'a>(&'a mut (dyn Write + Send));

impl tokio::io::AsyncWrite for Blocking<'_> {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(self.get_mut().0.write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.get_mut().0.flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
