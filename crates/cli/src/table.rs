//! Aligned columns for a terminal: cells measured in display columns (a
//! Chinese character takes two), cut with `…` to fit the terminal's width.

use std::io::{self, Write};

use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The space between two columns.
const GAP: &str = "  ";
/// The narrowest a column is cut to before the line itself is cut.
const MIN_WIDTH: usize = 6;

/// A cell's text: a string as it is (line breaks and tabs as spaces), a
/// number or boolean as JSON writes it, `null` as `null`, a nested value as
/// compact JSON; an absent value is an empty cell.
pub fn cell(value: Option<&Value>) -> String {
    let text = match value {
        None => return String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    };
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    } else {
        text
    }
}

/// How wide `text` is on a terminal.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to at most `max` display columns, ending in `…` when cut.
pub fn cut(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if width(text) <= max {
        return text.into();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    if max > 0 {
        out.push('…');
    }
    out.into()
}

/// Column widths for cells whose natural widths are `natural`, narrowed
/// (widest first) until a line fits in `total` columns, when a width is set.
pub fn fit(natural: &[usize], total: Option<usize>) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let Some(total) = total else {
        return widths;
    };
    let gaps = GAP.len() * widths.len().saturating_sub(1);
    let mut excess = (widths.iter().sum::<usize>() + gaps).saturating_sub(total);
    while excess > 0 {
        let Some((widest, &w)) = widths.iter().enumerate().max_by_key(|(i, w)| (**w, *i)) else {
            break;
        };
        if w <= MIN_WIDTH {
            break;
        }
        widths[widest] -= 1;
        excess -= 1;
    }
    widths
}

/// A table's rows, written with fixed widths.
pub struct Lines {
    /// Each column's width.
    pub widths: Vec<usize>,
    /// The terminal's width, when known: a line is never longer.
    pub total: Option<usize>,
    /// Whether to write the header in bold.
    pub colour: bool,
}

impl Lines {
    /// Widens the columns whose cell in `cells` is wider, as long as a line
    /// still fits the terminal: a later row is cut only when there is no
    /// room.
    pub fn widen(&mut self, cells: &[String]) {
        for (index, text) in cells.iter().enumerate() {
            let Some(&current) = self.widths.get(index) else {
                break;
            };
            let wanted = width(text);
            if wanted <= current {
                continue;
            }
            let line =
                self.widths.iter().sum::<usize>() + GAP.len() * self.widths.len().saturating_sub(1);
            let room = self
                .total
                .map_or(usize::MAX, |total| total.saturating_sub(line));
            self.widths[index] = current + (wanted - current).min(room);
        }
    }

    /// Writes one row: each cell cut to its column's width and padded, but
    /// the last; the line cut to the terminal's width.
    pub fn row(&self, out: &mut dyn Write, cells: &[String], header: bool) -> io::Result<()> {
        let mut line = String::new();
        let last = cells.len().saturating_sub(1);
        for (index, (text, &w)) in cells.iter().zip(&self.widths).enumerate() {
            let text = cut(text, w);
            line.push_str(&text);
            if index < last {
                line.extend(std::iter::repeat_n(' ', w - width(&text)));
                line.push_str(GAP);
            }
        }
        let line = line.trim_end();
        let line = match self.total {
            Some(total) => cut(line, total),
            None => line.into(),
        };
        if header && self.colour {
            writeln!(out, "\x1b[1m{line}\x1b[0m")
        } else {
            writeln!(out, "{line}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{cut, fit, width};

    #[test]
    fn wide_characters_count_twice_and_cuts_end_in_an_ellipsis() {
        assert_eq!(width("麻凡"), 4);
        assert_eq!(cut("麻凡abc", 4), "麻…");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }

    #[test]
    fn the_widest_column_narrows_first() {
        assert_eq!(fit(&[4, 40, 10], None), [4, 40, 10]);
        assert_eq!(fit(&[4, 40, 10], Some(40)), [4, 22, 10]);
        assert_eq!(fit(&[30, 30], Some(42)), [20, 20]);
        // Never below the minimum: the line is cut instead.
        assert_eq!(fit(&[10, 10, 10], Some(10)), [6, 6, 6]);
    }
}
