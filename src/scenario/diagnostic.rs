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

impl Diagnostic {
    /// A problem at byte range `span` of `source` (the text of `file`), or at no particular
    /// place when `span` is `None`.
    pub fn new(file: &Path, source: &str, span: Option<Range<usize>>, message: String) -> Self {
        let mut d = Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: None,
            column: None,
            message,
            snippet: None,
        };
        if let Some(span) = span {
            let start = floor_char_boundary(source, span.start.min(source.len()));
            let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = source[start..]
                .find('\n')
                .map_or(source.len(), |i| start + i);
            let line_no = source[..start].matches('\n').count() + 1;
            let col = source[line_start..start].chars().count() + 1;
            let end = floor_char_boundary(source, span.end.clamp(start, line_end));
            let width = source[start..end].chars().count().max(1);
            let text = source[line_start..line_end]
                .trim_end_matches('\r')
                .to_string();
            d.line = Some(line_no);
            d.column = Some(col);
            d.snippet = Some((text, col - 1, width));
        }
        d
    }

    /// A problem with the file as a whole (it cannot be read, say).
    pub fn file_level(file: &Path, message: String) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: None,
            column: None,
            message,
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
/// typo (at most a third of the word's length, and at least 1 or 2 edits).
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `; did you mean "x"?` for the candidate closest to `word` (see [`did_you_mean`]), or
/// nothing: the tail of an error about an unknown name.
pub fn hint<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|s| format!("; did you mean \"{s}\"?"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn did_you_mean_finds_near_misses_only() {
        let ids = ["dostyk", "altynkol", "aktau"];
        assert_eq!(did_you_mean("dostik", ids.iter().copied()), Some("dostyk"));
        assert_eq!(did_you_mean("Aktau", ids.iter().copied()), Some("aktau"));
        assert_eq!(did_you_mean("baku", ids.iter().copied()), None);
    }
}
