//! Errors in a scenario file, located at the offending value.
//!
//! Each [`Diagnostic`] carries the file, the line and column, the source line and a message
//! that names the element, the key, the value and what would be accepted. Rendering follows
//! compilers: a header line, an arrow with `file:line:column`, the line and a caret.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The scenario cannot be used.
    Error,
    /// The scenario can be used, but a value is possible and implausible (a freight train
    /// at 1500 km/h): most likely a slip. Results do not depend on it.
    Warning,
}

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the problem stops the scenario (an error) or not (a warning).
    pub severity: Severity,
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line of the offending value, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the offending value, when known.
    pub column: Option<usize>,
    /// What is wrong and what would be accepted.
    pub message: String,
    /// The source line holding the offending value, and the caret span within it
    /// (character offset, width).
    snippet: Option<(String, usize, usize)>,
}

/// Where each line of a text starts, found once: locating an error is then a binary search,
/// not a scan of the text before it (thousands of errors in a large file cost no more than
/// one pass).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 0-based line holding byte `offset`, and the byte range of that line (without
    /// its line break) in a text of `len` bytes.
    fn line_of(&self, offset: usize, len: usize) -> (usize, Range<usize>) {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let end = self
            .starts
            .get(line + 1)
            .map_or(len, |next| next.saturating_sub(1));
        (line, start..end.max(start))
    }
}

/// The most characters of a source line a diagnostic shows: a longer line (a minified file,
/// a value of thousands of characters) is cut to a window around the offending value.
const SNIPPET_CHARS: usize = 120;
/// The most carets drawn under a value.
const CARET_CHARS: usize = 80;

impl Diagnostic {
    /// A problem at byte range `span` of `source` (the text of `file`), or at no particular
    /// place when `span` is `None`.
    pub fn new(file: &Path, source: &str, span: Option<Range<usize>>, message: String) -> Self {
        match span {
            Some(span) => Self::located(file, source, &LineIndex::new(source), span, message),
            None => Self::file_level(file, message),
        }
    }

    /// A problem at byte range `span` of `source` (the text of `file`, of which `lines` is
    /// the index).
    pub fn located(
        file: &Path,
        source: &str,
        lines: &LineIndex,
        span: Range<usize>,
        message: String,
    ) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let (line, range) = lines.line_of(start, source.len());
        let line_start = floor_char_boundary(source, range.start.min(start));
        let line_end = floor_char_boundary(source, range.end.clamp(start, source.len()));
        let col = source[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        let width = source[start..end].chars().count().clamp(1, CARET_CHARS);
        let text = source[line_start..line_end].trim_end_matches('\r');
        let (text, caret_at) = window(text, col - 1);
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: Some(line + 1),
            column: Some(col),
            message: short_numbers(&message),
            snippet: Some((text, caret_at, width)),
        }
    }

    /// A problem with the file as a whole (it cannot be read, say).
    pub fn file_level(file: &Path, message: String) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: short_numbers(&message),
            snippet: None,
        }
    }

    /// The same problem as a warning: possible but implausible.
    pub fn warning(self) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..self
        }
    }

    /// True for a warning, false for an error.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }
}

/// `line` as a diagnostic shows it, and where the character at `col` (0-based) falls in
/// what is shown: the whole line when short, else a window of [`SNIPPET_CHARS`] around
/// `col`, marked with `...` where it was cut.
fn window(line: &str, col: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= SNIPPET_CHARS {
        return (line.to_string(), col);
    }
    let first = col
        .saturating_sub(SNIPPET_CHARS / 3)
        .min(count - SNIPPET_CHARS);
    let shown: String = line.chars().skip(first).take(SNIPPET_CHARS).collect();
    let (lead, at) = if first > 0 {
        ("...", col - first + 3)
    } else {
        ("", col)
    };
    let tail = if first + SNIPPET_CHARS < count {
        "..."
    } else {
        ""
    };
    (format!("{lead}{shown}{tail}"), at)
}

/// Digits in a row from which a number in a message is written in scientific notation:
/// more than any integer of 64 bits has.
const LONG_NUMBER_DIGITS: usize = 22;

/// `message` with every number of [`LONG_NUMBER_DIGITS`] digits or more (such as `1e308`
/// echoed in full, 309 digits) written in scientific notation (`1e308`).
fn short_numbers(message: &str) -> String {
    let bytes = message.as_bytes();
    let mut out = String::with_capacity(message.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            let ch = message[i..].chars().next().unwrap_or_default();
            out.push(ch);
            i += ch.len_utf8().max(1);
            continue;
        }
        // A fraction after the digits belongs to the number.
        let mut end = i;
        if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
            end += 1;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
            }
        }
        match message[start..end].parse::<f64>() {
            Ok(x) if digits >= LONG_NUMBER_DIGITS => {
                out.push_str(&format!("{x:e}"));
                i = end;
            }
            _ => out.push_str(&message[start..i]),
        }
    }
    out
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        match (self.line, self.column) {
            (Some(l), Some(c)) => writeln!(f, "  --> {}:{}:{}", self.file.display(), l, c)?,
            _ => writeln!(f, "  --> {}", self.file.display())?,
        }
        if let (Some((text, col, width)), Some(line)) = (&self.snippet, self.line) {
            let num = line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {text}")?;
            let lead: String = text
                .chars()
                .take(*col)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {lead}{}", "^".repeat(*width))?;
        }
        Ok(())
    }
}

/// All the problems found in a scenario; loading fails with at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The closest of `candidates` to `word` by edit distance, if close enough to be a likely
/// typo (at most a third of the word's length, and at least 1 or 2 edits); the first of
/// the closest when several are.
///
/// Each candidate costs a length check and at most a band of the edit-distance table
/// that is abandoned once no cell stays within the distance still worth finding, with
/// buffers reused: thousands of unknown names against thousands of ids cost well under a
/// millisecond each.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let word: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let limit = (word.len() / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    let mut scratch = Scratch::default();
    for c in candidates {
        // A later candidate must be strictly closer to replace the best so far.
        let within = match best {
            Some((0, _)) => break,
            Some((d, _)) => d - 1,
            None => limit,
        };
        scratch.other.clear();
        scratch.other.extend(c.chars().flat_map(char::to_lowercase));
        if let Some(d) = bounded_distance(&word, within, &mut scratch) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Names to suggest from, read once: each lowercased, grouped by length, so that a word is
/// compared only with the names whose length is within its typo limit. For checks that
/// may meet many unknown names against the same large set of ids.
#[derive(Debug, Clone, Default)]
pub(crate) struct Suggestions {
    /// Per length in characters, the names of that length: (lowercased, its characters'
    /// [`signature`], as given, place among all the names).
    by_length: std::collections::BTreeMap<usize, Vec<Named>>,
}

/// A name to suggest: lowercased, its characters' [`signature`], as given, and its place
/// among all the names.
type Named = (Vec<char>, u64, String, usize);

/// The set of characters in `chars`, each as one of 64 bits: one edit adds or removes at
/// most one character of a word and the set of its characters by at most one bit either
/// way, so words whose sets differ in k bits are at least k/2 edits apart.
fn signature(chars: &[char]) -> u64 {
    chars.iter().fold(0, |s, &c| s | 1 << (u32::from(c) % 64))
}

impl Suggestions {
    /// The names to suggest from; when two are equally close to a word, the one first in
    /// `names` is suggested.
    pub(crate) fn new<'a>(names: impl Iterator<Item = &'a str>) -> Self {
        let mut s = Suggestions::default();
        for (i, n) in names.enumerate() {
            let lower: Vec<char> = n.chars().flat_map(char::to_lowercase).collect();
            let sig = signature(&lower);
            s.by_length
                .entry(lower.len())
                .or_default()
                .push((lower, sig, n.to_string(), i));
        }
        s
    }

    /// True when there is no name to suggest.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_length.is_empty()
    }

    /// The name closest to `word`, as [`did_you_mean`] would choose it from the names in
    /// their order.
    pub(crate) fn closest(&self, word: &str) -> Option<&str> {
        let word: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
        let sig = signature(&word);
        let limit = (word.len() / 3).max(2);
        let lengths = word.len().saturating_sub(limit)..=word.len() + limit;
        // (distance, place, name)
        let mut best: Option<(usize, usize, &str)> = None;
        let mut scratch = Scratch::default();
        for (lower, their_sig, name, place) in self.by_length.range(lengths).flat_map(|(_, n)| n) {
            // A name after the best so far must be strictly closer, one before it as close.
            let within = match best {
                Some((d, p, _)) if *place > p => d.checked_sub(1),
                Some((d, _, _)) => Some(d),
                None => Some(limit),
            };
            let Some(within) = within else { continue };
            if (sig ^ their_sig).count_ones() as usize > 2 * within {
                continue;
            }
            scratch.other.clear();
            scratch.other.extend_from_slice(lower);
            if let Some(d) = bounded_distance(&word, within, &mut scratch) {
                best = Some((d, *place, name));
            }
        }
        best.map(|(_, _, n)| n)
    }
}

/// Buffers of [`bounded_distance`], kept across candidates.
#[derive(Default)]
struct Scratch {
    other: Vec<char>,
    prev: Vec<usize>,
    cur: Vec<usize>,
}

/// The edit distance between `a` and `s.other` if it is at most `within`, else `None`.
fn bounded_distance(a: &[char], within: usize, s: &mut Scratch) -> Option<usize> {
    let b = &s.other;
    if a.len().abs_diff(b.len()) > within {
        return None;
    }
    s.prev.clear();
    s.prev.extend(0..=b.len());
    s.cur.clear();
    s.cur.resize(b.len() + 1, 0);
    for i in 1..=a.len() {
        s.cur[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let d = (s.prev[j] + 1)
                .min(s.cur[j - 1] + 1)
                .min(s.prev[j - 1] + cost);
            s.cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > within {
            return None;
        }
        std::mem::swap(&mut s.prev, &mut s.cur);
    }
    let d = s.prev[b.len()];
    (d <= within).then_some(d)
}

/// `; did you mean "x"?` for the candidate closest to `word` (see [`did_you_mean`]), or
/// nothing: the tail of an error about an unknown name.
pub fn hint<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|s| format!("; did you mean \"{s}\"?"))
        .unwrap_or_default()
}

/// Names listed at most in [`hint_or_list`].
const LISTED: usize = 6;

/// [`hint`] for an id given on the command line, where a user may not know the ids at
/// all: the closest name if one is close; else the names that contain `word` (`dostyk`:
/// `"dostyk-rail", "dostyk-aktogay"`); else every name, when they are few. Each name once,
/// in the order first met; at most [`LISTED`], with how many more.
pub fn hint_or_list<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = Vec::new();
    for c in candidates {
        if !names.contains(&c) {
            names.push(c);
        }
    }
    if let Some(close) = did_you_mean(word, names.iter().copied()) {
        return format!("; did you mean \"{close}\"?");
    }
    let lower = word.to_lowercase();
    let containing: Vec<&str> = (names.iter().copied())
        .filter(|n| !lower.is_empty() && n.to_lowercase().contains(&lower))
        .collect();
    let (intro, shown) = match containing.is_empty() {
        false => (format!("ids with \"{word}\" in them"), containing),
        true if names.len() <= LISTED => ("the ids there are".to_string(), names),
        true => return String::new(),
    };
    let quoted: Vec<String> = (shown.iter().take(LISTED))
        .map(|n| format!("\"{n}\""))
        .collect();
    let more = match shown.len().saturating_sub(LISTED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("; {intro}: {}{more}", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_from_the_command_line_is_told_the_closest_or_the_ids_containing_it_or_them_all() {
        let ids = [
            "dostyk-rail",
            "dostyk-aktogay",
            "altynkol-rail",
            "dostyk-rail",
        ];
        assert_eq!(
            hint_or_list("dostyk-rali", ids.into_iter()),
            "; did you mean \"dostyk-rail\"?"
        );
        assert_eq!(
            hint_or_list("Dostyk", ids.into_iter()),
            "; ids with \"Dostyk\" in them: \"dostyk-rail\", \"dostyk-aktogay\""
        );
        assert_eq!(
            hint_or_list("broad-gauge", ["standard-1435", "broad-1520"].into_iter()),
            "; the ids there are: \"standard-1435\", \"broad-1520\""
        );
        let many: Vec<String> = (0..20).map(|i| format!("post-{i}")).collect();
        let said = hint_or_list("pos", many.iter().map(String::as_str));
        assert!(said.ends_with("\"post-5\" and 14 more"), "{said}");
        assert_eq!(hint_or_list("zzz", many.iter().map(String::as_str)), "");
    }

    #[test]
    fn a_diagnostic_points_at_line_and_column_with_a_caret() {
        let src = "[scenario]\nname = \"x\"\nto = \"dostik\"\n";
        let start = src.find("\"dostik\"").unwrap();
        let d = Diagnostic::new(
            Path::new("s.toml"),
            src,
            Some(start..start + 8),
            "unknown node".into(),
        );
        assert_eq!((d.line, d.column), (Some(3), Some(6)));
        let text = d.to_string();
        assert!(text.contains("--> s.toml:3:6"), "{text}");
        assert!(text.contains("3 | to = \"dostik\""), "{text}");
        assert!(text.contains("  |      ^^^^^^^^"), "{text}");
    }

    #[test]
    fn errors_on_a_long_line_show_a_window_around_the_value_not_the_whole_line() {
        let mut src = String::from("[scenario]\nname = \"");
        src.push_str(&"x".repeat(50_000));
        src.push_str("\"\nbad = 1\n");
        let at = src.len() - 8;
        let d = Diagnostic::new(Path::new("s.toml"), &src, Some(at..at + 3), "m".into());
        assert_eq!((d.line, d.column), (Some(3), Some(1)));
        let long = src.find('x').unwrap() + 40_000;
        let d = Diagnostic::new(
            Path::new("s.toml"),
            &src,
            Some(long..long + 9_000),
            "m".into(),
        );
        assert_eq!((d.line, d.column), (Some(2), Some(8 + 40_000 + 1)));
        let text = d.to_string();
        assert!(text.len() < 600, "{} bytes shown", text.len());
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines[3].split_once("| ").unwrap().1;
        let carets = lines[4].split_once("| ").unwrap().1;
        assert!(
            shown.starts_with("...") && shown.ends_with("..."),
            "{shown}"
        );
        // The caret stands under the character the span starts at.
        let under = carets.find('^').unwrap();
        assert_eq!(shown.chars().nth(under), Some('x'));
        assert_eq!(carets.trim().len(), CARET_CHARS);
    }

    #[test]
    fn numbers_too_long_to_read_are_written_in_scientific_notation() {
        let huge = format!("{}", 1e308);
        assert_eq!(huge.len(), 309);
        let m = short_numbers(&format!("horizon_days = {huge} in [scenario]: at most 1e9"));
        assert_eq!(m, "horizon_days = 1e308 in [scenario]: at most 1e9");
        let m = short_numbers(&format!("floating point `{huge}.0`, expected ñ 12 and 3.5"));
        assert_eq!(m, "floating point `1e308`, expected ñ 12 and 3.5");
        let id = "id \"n18446744073709551615\" is 20 digits";
        assert_eq!(short_numbers(id), id);
    }

    #[test]
    fn the_line_index_locates_every_line_as_a_scan_would() {
        let src = "a\n\nbc\r\nd";
        let idx = LineIndex::new(src);
        for (offset, line) in [(0, 0), (1, 0), (2, 1), (3, 2), (6, 2), (7, 3)] {
            assert_eq!(idx.line_of(offset, src.len()).0, line, "offset {offset}");
        }
        assert_eq!(idx.line_of(3, src.len()).1, 3..6);
    }

    #[test]
    fn did_you_mean_finds_near_misses_only() {
        let ids = ["dostyk", "altynkol", "aktau"];
        assert_eq!(did_you_mean("dostik", ids.iter().copied()), Some("dostyk"));
        assert_eq!(did_you_mean("Aktau", ids.iter().copied()), Some("aktau"));
        assert_eq!(did_you_mean("baku", ids.iter().copied()), None);
    }

    #[test]
    fn suggestions_read_once_choose_as_did_you_mean_does() {
        let names = [
            "node-0001",
            "node-0010",
            "nod-01",
            "aktau",
            "aktau-port",
            "dostyk",
            "dostyk-a",
            "Dostyk-B",
            "b",
            "ax",
            "",
        ];
        let s = Suggestions::new(names.iter().copied());
        for word in [
            "node-001",
            "nod-0010",
            "aktaw",
            "dostyk-c",
            "DOSTYK",
            "ab",
            "x",
            "",
            "zzzzzz",
            "node-0100",
            "aktau-prt",
        ] {
            assert_eq!(
                s.closest(word),
                did_you_mean(word, names.iter().copied()),
                "{word}"
            );
        }
    }

    #[test]
    fn did_you_mean_gives_the_first_of_the_closest() {
        let ids = ["dostyk-b", "dostyk-a", "dostyk"];
        assert_eq!(
            did_you_mean("dostyk-c", ids.iter().copied()),
            Some("dostyk-b")
        );
        assert_eq!(did_you_mean("dostyk", ids.iter().copied()), Some("dostyk"));
        assert_eq!(did_you_mean("", ids.iter().copied()), None);
        assert_eq!(did_you_mean("ab", ["ax", "b"].into_iter()), Some("ax"));
    }
}
