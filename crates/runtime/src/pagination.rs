//! [`PageStream`]: every item of a paginated operation, page after page.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::fmt;

use futures_util::future::BoxFuture;
use futures_util::{FutureExt, Stream};

use crate::Error;

/// The most pages a [`PageStream`] fetches unless told otherwise
/// ([`PageStream::max_pages`]): 10,000 (a million items at 100 a page).
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// Where a page starts: a page number (from 1), an offset in items (from 0),
/// or the cursor the previous page gave (none for the first page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Position {
    /// A page number.
    Page(u64),
    /// An offset in items.
    Offset(u64),
    /// The cursor of the page (`nextToken`), `None` for the first page.
    Cursor(Option<String>),
}

impl Position {
    /// The page number or offset; a cursor has none.
    fn number(&self) -> Option<u64> {
        match self {
            Self::Page(value) | Self::Offset(value) => Some(*value),
            Self::Cursor(_) => None,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Page(page) => write!(f, "page {page}"),
            Self::Offset(offset) => write!(f, "offset {offset}"),
            Self::Cursor(None) => f.write_str("the first page"),
            // A cursor is the server's own text: only its length is shown.
            Self::Cursor(Some(cursor)) => write!(f, "the page at a {}-byte cursor", cursor.len()),
        }
    }
}

/// Why a [`PageStream`] stopped before the server's last page: a server that
/// pages wrongly would otherwise be asked for pages forever.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PagingError {
    /// A page holds the same items as the page before it: the server ignores
    /// the page parameter (or a proxy drops it).
    #[error("{position} repeats the page before it: the server does not page")]
    RepeatedPage {
        /// The page that repeated its predecessor.
        position: Position,
    },
    /// The server says it answered another page (or offset) than the one
    /// asked for.
    #[error("asked for {requested}, the server answered {reported}")]
    UnexpectedPage {
        /// What was asked for.
        requested: Position,
        /// The page number or offset the response reports.
        reported: u64,
    },
    /// The stream fetched its page limit and the server still had more.
    #[error(
        "stopped after {limit} pages, the limit, with more to come (raise it with `max_pages`, or `--max-pages`)"
    )]
    PageLimit {
        /// The limit.
        limit: u64,
    },
}

/// One page as the generated code hands it to the [`PageStream`].
#[derive(Debug)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The number of pages, when the response says.
    pub total_pages: Option<u64>,
    /// The number of items in all pages, when the response says.
    pub total_items: Option<u64>,
    /// The page number (or offset) the response says it is, when it says.
    pub current: Option<u64>,
    /// Whether more items follow, when the response says (`has_more`): `false`
    /// ends the stream after this page, `true` continues it past a short page.
    pub has_more: Option<bool>,
    /// The cursor of the next page (`nextToken`), for a cursor-paged
    /// operation: `None` or empty ends the stream after this page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page of `items` that says nothing else about the pages.
    pub fn of(items: Vec<T>) -> Self {
        Self {
            items,
            total_pages: None,
            total_items: None,
            current: None,
            has_more: None,
            next_cursor: None,
        }
    }
}

type PageFuture<'a, T> = BoxFuture<'a, Result<Page<T>, Error>>;
type Fetch<'a, T> = Box<dyn Fn(Position) -> PageFuture<'a, T> + Send + Sync + 'a>;

/// Every item of a paginated operation, returned by the generated `stream()`
/// of its builder. Pages are fetched as the stream is read; the stream ends
/// after the last page: the first one that is empty or says no more follow
/// (`has_more: false`); for a cursor-paged operation, the first without a next
/// cursor; when the response gives totals, the last by its total of pages or
/// items; without totals (and without `has_more: true`), the first shorter
/// than the page size. An error ends it after being yielded.
///
/// - [`max_items`](Self::max_items) caps the items (no page beyond the cap is
///   fetched);
/// - the page size is the builder's (`per_page(100)` before `stream()`);
/// - [`prefetch`](Self::prefetch) fetches the next page while the current one
///   is being read.
///
/// Every stream ends: a page that repeats the one before it, a page the
/// response numbers differently from the one asked for, or more than
/// [`max_pages`](Self::max_pages) pages (default [`DEFAULT_MAX_PAGES`]) end it
/// with [`Error::Paging`] (after the items of the pages before); the items of
/// a repeated or wrongly numbered page are not yielded.
pub struct PageStream<'a, T> {
    fetch: Fetch<'a, T>,
    page_size: Option<u64>,
    next: Option<Position>,
    in_flight: Option<(Position, PageFuture<'a, T>)>,
    buffer: VecDeque<T>,
    failure: Option<Error>,
    fetched: u64,
    remaining: Option<u64>,
    prefetch: bool,
    pages: u64,
    max_pages: u64,
    /// The first and last items and the length of the last page, to tell a
    /// repeated page.
    previous: Option<(T, T, usize)>,
}

impl<'a, T: Send + Clone + PartialEq + 'a> PageStream<'a, T> {
    /// A stream starting at `first`, with `page_size` items per full page
    /// (when known), fetching each page with `fetch`.
    pub fn new<F, Fut>(first: Position, page_size: Option<u64>, fetch: F) -> Self
    where
        F: Fn(Position) -> Fut + Send + Sync + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
    {
        Self {
            fetch: Box::new(move |position| fetch(position).boxed()),
            page_size,
            next: Some(first),
            in_flight: None,
            buffer: VecDeque::new(),
            failure: None,
            fetched: 0,
            remaining: None,
            prefetch: false,
            pages: 0,
            max_pages: DEFAULT_MAX_PAGES,
            previous: None,
        }
    }

    /// Fetches at most `pages` pages; a server with more after them ends the
    /// stream with [`PagingError::PageLimit`] (default [`DEFAULT_MAX_PAGES`]).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Yields at most `items` items, and fetches no page beyond them.
    pub fn max_items(mut self, items: u64) -> Self {
        self.remaining = Some(items);
        self
    }

    /// Whether to fetch the next page while the current one is being read
    /// (default: no, one page at a time).
    pub fn prefetch(mut self, prefetch: bool) -> Self {
        self.prefetch = prefetch;
        self
    }

    /// How many pages have arrived so far (a progress display's count).
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// Where the page after `page` (fetched at `position`) starts, or `None`
    /// when `page` is the last: it is empty, or it says no more follow
    /// (`has_more: false`, or no next cursor), or the response's total of
    /// pages or items says so, or (without totals, and without `has_more:
    /// true`) it is shorter than the page size. An offset advances by the
    /// items that arrived; a cursor is the one the page gave.
    fn after(&self, position: &Position, page: &Page<T>) -> Option<Position> {
        let count = page.items.len() as u64;
        if count == 0 || page.has_more == Some(false) {
            return None;
        }
        if let Position::Cursor(_) = position {
            return page
                .next_cursor
                .as_ref()
                .filter(|cursor| !cursor.is_empty())
                .map(|cursor| Position::Cursor(Some(cursor.clone())));
        }
        let last = match (position, page.total_pages, page.total_items) {
            (Position::Page(number), Some(total), _) => *number >= total,
            (_, _, Some(total)) => self.fetched + count >= total,
            _ if page.has_more == Some(true) => false,
            (_, _, None) => self.page_size.is_some_and(|size| count < size),
        };
        if last {
            return None;
        }
        Some(match position {
            Position::Page(number) => Position::Page(number + 1),
            Position::Offset(offset) => Position::Offset(offset + count),
            Position::Cursor(_) => unreachable!("a cursor's next page is the page's cursor"),
        })
    }

    fn wanted(&self) -> bool {
        self.remaining
            .is_none_or(|remaining| remaining > self.buffer.len() as u64)
    }

    fn start_next(&mut self) {
        if self.in_flight.is_some() || self.failure.is_some() || !self.wanted() {
            return;
        }
        if let Some(position) = self.next.take() {
            let future = (self.fetch)(position.clone());
            self.in_flight = Some((position, future));
        }
    }

    /// Drives the page in flight; `true` when it finished.
    fn poll_in_flight(&mut self, cx: &mut Context<'_>) -> bool {
        let Some((_, future)) = self.in_flight.as_mut() else {
            return false;
        };
        let Poll::Ready(result) = future.as_mut().poll(cx) else {
            return false;
        };
        let Some((position, _)) = self.in_flight.take() else {
            return false;
        };
        match result.and_then(|page| self.check(&position, page)) {
            Ok(page) => {
                self.next = self.after(&position, &page);
                self.pages += 1;
                if self.next.is_some() && self.pages >= self.max_pages {
                    self.next = None;
                    self.failure = Some(Error::Paging(PagingError::PageLimit {
                        limit: self.max_pages,
                    }));
                }
                if let (Some(first), Some(last)) = (page.items.first(), page.items.last()) {
                    self.previous = Some((first.clone(), last.clone(), page.items.len()));
                }
                self.fetched += page.items.len() as u64;
                self.buffer.extend(page.items);
            }
            Err(error) => {
                self.next = None;
                self.failure = Some(error);
            }
        }
        true
    }

    /// The page, unless it is not the page asked for: numbered otherwise by
    /// the response, the same items as the page before, or a cursor that
    /// points at the page itself.
    fn check(&self, position: &Position, page: Page<T>) -> Result<Page<T>, Error> {
        if let (Some(reported), Some(number)) = (page.current, position.number())
            && reported != number
        {
            return Err(Error::Paging(PagingError::UnexpectedPage {
                requested: position.clone(),
                reported,
            }));
        }
        if let Position::Cursor(Some(cursor)) = position
            && page.next_cursor.as_ref() == Some(cursor)
            && !page.items.is_empty()
        {
            return Err(Error::Paging(PagingError::RepeatedPage {
                position: position.clone(),
            }));
        }
        let repeated = match (&self.previous, page.items.first(), page.items.last()) {
            (Some((first, last, len)), Some(new_first), Some(new_last)) => {
                *len == page.items.len() && first == new_first && last == new_last
            }
            _ => false,
        };
        if repeated {
            return Err(Error::Paging(PagingError::RepeatedPage {
                position: position.clone(),
            }));
        }
        Ok(page)
    }
}

// Nothing in a `PageStream` is pinned structurally: the futures are boxed.
impl<T> Unpin for PageStream<'_, T> {}

impl<'a, T: Send + Clone + PartialEq + 'a> Stream for PageStream<'a, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.remaining == Some(0) {
                this.in_flight = None;
                return Poll::Ready(None);
            }
            if this.buffer.is_empty() {
                this.start_next();
            }
            let finished = this.poll_in_flight(cx);
            if let Some(item) = this.buffer.pop_front() {
                if let Some(remaining) = this.remaining.as_mut() {
                    *remaining -= 1;
                }
                if this.prefetch {
                    // Start the next page now; a page finished at once is
                    // buffered for the next poll.
                    this.start_next();
                    let _ = this.poll_in_flight(cx);
                }
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = this.failure.take() {
                this.next = None;
                return Poll::Ready(Some(Err(error)));
            }
            if this.in_flight.is_none() && this.next.is_none() {
                return Poll::Ready(None);
            }
            if !finished {
                return Poll::Pending;
            }
        }
    }

    /// At least the items already fetched and not yet yielded: a reader that
    /// sees `0` knows the next item needs a request (the moment to flush
    /// what it wrote).
    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = match self.remaining {
            Some(remaining) => self
                .buffer
                .len()
                .min(usize::try_from(remaining).unwrap_or(usize::MAX)),
            None => self.buffer.len(),
        };
        let done = self.next.is_none() && self.in_flight.is_none() && self.failure.is_none();
        (buffered, done.then_some(buffered))
    }
}

/// The items of a page whose response may leave its list out (every field but
/// an identity field may be absent): the list, or, when it is absent or
/// `null`, an [`Error::Decode`] at `path`. A page without its list is not an
/// empty page: ending the stream there could silently drop the pages after it.
pub fn items<T>(items: Option<Vec<T>>, path: &str) -> Result<Vec<T>, Error> {
    items.ok_or_else(|| {
        Error::decode_at("the page has no list of items", Some(path.to_owned()), b"")
    })
}

/// A count read from a builder's parameter, whatever integer type progenitor
/// gave it.
pub trait Count {
    /// The value as a count, when it is one.
    fn count(&self) -> Option<u64>;
}

macro_rules! count {
    ($($ty:ty),*) => {$(
        impl Count for $ty {
            fn count(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}
count!(i32, i64, u32, u64);

/// An optional count (a total the response may leave out).
impl<C: Count> Count for Option<C> {
    fn count(&self) -> Option<u64> {
        self.as_ref().and_then(Count::count)
    }
}

impl Count for std::num::NonZeroU32 {
    fn count(&self) -> Option<u64> {
        Some(u64::from(self.get()))
    }
}

impl Count for std::num::NonZeroU64 {
    fn count(&self) -> Option<u64> {
        Some(self.get())
    }
}

/// A response's "more follow" flag (`has_more`), whether or not the response
/// may leave it out.
pub trait Flag {
    /// The flag, when the response gave it.
    fn flag(&self) -> Option<bool>;
}

impl Flag for bool {
    fn flag(&self) -> Option<bool> {
        Some(*self)
    }
}

impl Flag for Option<bool> {
    fn flag(&self) -> Option<bool> {
        *self
    }
}

/// A response's cursor of the next page (`nextToken`), whether or not the
/// response may leave it out.
pub trait Cursor {
    /// The cursor, when the response gave one.
    fn cursor(&self) -> Option<String>;
}

impl Cursor for String {
    fn cursor(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl Cursor for Option<String> {
    fn cursor(&self) -> Option<String> {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use futures_util::{StreamExt, TryStreamExt};

    use super::{Page, PageStream, Position};

    fn numbers(
        total: u64,
        size: u64,
    ) -> impl Fn(Position) -> futures_util::future::Ready<Result<Page<u64>, crate::Error>> {
        move |position| {
            let Position::Page(number) = position else {
                unreachable!()
            };
            let start = (number - 1) * size;
            let items = (start..total.min(start + size)).collect();
            futures_util::future::ready(Ok(Page::of(items)))
        }
    }

    #[tokio::test]
    async fn stops_at_a_short_or_empty_page_and_at_the_cap() {
        let all: Vec<u64> = PageStream::new(Position::Page(1), Some(10), numbers(25, 10))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all, (0..25).collect::<Vec<_>>());
        let exact: Vec<u64> = PageStream::new(Position::Page(1), Some(10), numbers(30, 10))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(exact.len(), 30, "a full last page, then an empty one");
        let capped: Vec<u64> = PageStream::new(Position::Page(1), Some(10), numbers(100, 10))
            .max_items(15)
            .prefetch(true)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(capped, (0..15).collect::<Vec<_>>());
        let none = PageStream::new(Position::Page(1), Some(10), numbers(0, 10))
            .next()
            .await;
        assert!(none.is_none());
    }

    /// Pages of `size` numbers below `total`, linked by cursors: the cursor of
    /// a page is its first number, as text; the last page gives none (or, with
    /// `empty_last`, an empty one).
    fn cursored(
        total: u64,
        size: u64,
        empty_last: bool,
    ) -> impl Fn(Position) -> futures_util::future::Ready<Result<Page<u64>, crate::Error>> {
        move |position| {
            let Position::Cursor(cursor) = position else {
                unreachable!()
            };
            let start: u64 = cursor.map_or(0, |cursor| cursor.parse().unwrap());
            let end = total.min(start + size);
            let mut page = Page::of((start..end).collect());
            page.next_cursor = if end < total {
                Some(end.to_string())
            } else {
                empty_last.then(String::new)
            };
            futures_util::future::ready(Ok(page))
        }
    }

    #[tokio::test]
    async fn a_cursor_stream_follows_the_cursors_until_none_or_empty() {
        for empty_last in [false, true] {
            let all: Vec<u64> = PageStream::new(
                Position::Cursor(None),
                Some(10),
                cursored(25, 10, empty_last),
            )
            .try_collect()
            .await
            .unwrap();
            assert_eq!(
                all,
                (0..25).collect::<Vec<_>>(),
                "empty last cursor: {empty_last}"
            );
        }
        // A short page with a cursor is not the last: the cursor says so.
        let short: Vec<u64> =
            PageStream::new(Position::Cursor(None), Some(100), cursored(25, 10, false))
                .try_collect()
                .await
                .unwrap();
        assert_eq!(short.len(), 25);
    }

    #[tokio::test]
    async fn a_cursor_pointing_at_its_own_page_ends_the_stream_with_an_error() {
        let stuck = |position: Position| {
            let mut page = Page::of(vec![1_u64, 2]);
            page.next_cursor = Some("same".to_owned());
            let _ = position;
            futures_util::future::ready(Ok::<_, crate::Error>(page))
        };
        let results: Vec<Result<u64, crate::Error>> =
            PageStream::new(Position::Cursor(None), Some(2), stuck)
                .collect()
                .await;
        assert_eq!(results.len(), 3, "the first page, then the error");
        let error = results[2].as_ref().unwrap_err().to_string();
        assert!(error.contains("repeats the page before it"), "{error}");
        assert!(
            !error.contains("same"),
            "the cursor itself is not shown: {error}"
        );
    }

    #[tokio::test]
    async fn has_more_decides_over_the_page_size() {
        // Offsets, 10 asked for, 4 a page served, `has_more` true until 12.
        let pages = |position: Position| {
            let Position::Offset(offset) = position else {
                unreachable!()
            };
            let end = 12.min(offset + 4);
            let mut page = Page::of((offset..end).collect::<Vec<u64>>());
            page.has_more = Some(end < 12);
            futures_util::future::ready(Ok::<_, crate::Error>(page))
        };
        let all: Vec<u64> = PageStream::new(Position::Offset(0), Some(10), pages)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all, (0..12).collect::<Vec<_>>());
        // `has_more: false` ends a full page's stream without asking again.
        let asked = std::sync::atomic::AtomicU64::new(0);
        let done = |_: Position| {
            asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut page = Page::of(vec![1_u64, 2]);
            page.has_more = Some(false);
            futures_util::future::ready(Ok::<_, crate::Error>(page))
        };
        let one: Vec<u64> = PageStream::new(Position::Offset(0), Some(2), done)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            (one.len(), asked.load(std::sync::atomic::Ordering::SeqCst)),
            (2, 1)
        );
    }
}
