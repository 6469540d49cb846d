//! Scenario files: parsing TOML with serde, checking it, and building the [`Model`].
//!
//! Loading has three steps, each with its own type: the file as written
//! ([`raw`], serde structs that refuse unknown keys), the checks (every id resolved, every
//! value in range, every flow routed), and the [`Model`] ready to simulate. Every problem is
//! reported with the file, line, column, key and value, and all problems are reported at
//! once, not only the first.

mod diagnostic;
pub(crate) mod raw;
mod validate;

pub use diagnostic::{did_you_mean, Diagnostic, Diagnostics};
pub use validate::{MAX_HORIZON_DAYS, MAX_VEHICLES_PER_YEAR};

use crate::model::Model;
use std::ops::Range;
use std::path::Path;

/// Reads, checks and builds the scenario in `path`.
pub fn load(path: &Path) -> Result<Model, Diagnostics> {
    let source = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::file_level(
            path,
            format!("cannot read scenario file {}: {e}", path.display()),
        )])
    })?;
    load_str(path, &source)
}

/// Checks and builds a scenario from its text; `path` names it in error messages.
pub fn load_str(path: &Path, source: &str) -> Result<Model, Diagnostics> {
    let doc = toml_edit::ImDocument::parse(source).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            path,
            source,
            e.span(),
            format!("malformed TOML: {}", first_line(e.message())),
        )])
    })?;
    let file: raw::RawFile = toml::from_str(source).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            path,
            source,
            e.span(),
            first_line(e.message()).to_string(),
        )])
    })?;
    let locator = Locator { doc: &doc };
    validate::check(path, source, &locator, file)
}

fn first_line(s: &str) -> &str {
    s.trim().lines().next().unwrap_or("")
}

/// One step of a path to a value in the TOML document: a key or an array index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PathSeg<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for PathSeg<'a> {
    fn from(k: &'a str) -> Self {
        PathSeg::Key(k)
    }
}
impl From<usize> for PathSeg<'_> {
    fn from(i: usize) -> Self {
        PathSeg::Index(i)
    }
}

/// Finds where a value sits in the source text, by its path of keys and indices.
pub(crate) struct Locator<'d> {
    doc: &'d toml_edit::ImDocument<&'d str>,
}

impl Locator<'_> {
    /// The byte range of the value at `path`, or of the deepest enclosing value that exists.
    pub(crate) fn span(&self, path: &[PathSeg]) -> Option<Range<usize>> {
        let mut item = self.doc.as_item();
        let mut best = None;
        for seg in path {
            let next = match seg {
                PathSeg::Key(k) => item.get(*k),
                PathSeg::Index(i) => item.get(*i),
            };
            match next {
                Some(it) => {
                    item = it;
                    if let Some(s) = it.span() {
                        best = Some(s);
                    } else if let Some(t) = it.as_table() {
                        best = t.span().or(best);
                    }
                }
                None => break,
            }
        }
        best
    }
}
