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
    let locator = Locator { doc: &doc };
    let file: raw::RawFile = toml::from_str(source).map_err(|e| {
        let text = first_line(e.message());
        let mut message = match e.span().and_then(|s| locator.describe(s.start)) {
            Some(place) => format!("{} ({place})", plain_types(text)),
            None => plain_types(text),
        };
        if let Some(hint) = unknown_field_hint(text) {
            message.push_str(&format!("; did you mean `{hint}`?"));
        }
        Diagnostics(vec![Diagnostic::new(path, source, e.span(), message)])
    })?;
    validate::check(path, source, &locator, file)
}

fn first_line(s: &str) -> &str {
    s.trim().lines().next().unwrap_or("")
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the accepted key closest to x.
fn unknown_field_hint(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let accepted: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    did_you_mean(field, accepted.into_iter()).map(str::to_string)
}

/// Serde names Rust types in its messages; say what a scenario author writes instead.
fn plain_types(msg: &str) -> String {
    msg.replace("expected i64", "expected an integer")
        .replace("expected u64", "expected a whole number >= 0")
        .replace("expected u32", "expected a whole number >= 0")
        .replace("expected i32", "expected an integer")
        .replace("expected f64", "expected a number")
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
    /// Where byte `offset` sits, in scenario words: `in road "ab", key lenght_km`.
    pub(crate) fn describe(&self, offset: usize) -> Option<String> {
        let mut path = Vec::new();
        if !find_offset(self.doc.as_item(), offset, &mut path) {
            return None;
        }
        // The element: the deepest array-of-tables entry on the path, named by its id.
        let mut elem = String::new();
        let mut item = self.doc.as_item();
        let mut key = None;
        for (i, seg) in path.iter().enumerate() {
            let next = match seg {
                OwnedSeg::Key(k) => item.get(k.as_str()),
                OwnedSeg::Index(ix) => item.get(*ix),
            };
            match seg {
                OwnedSeg::Key(k) if i + 1 == path.len() => key = Some(k.clone()),
                OwnedSeg::Key(k) => {
                    let is_list = next.is_some_and(|n| n.is_array_of_tables());
                    if !is_list {
                        if elem.is_empty() {
                            elem = format!("[{k}]");
                        } else {
                            elem.push_str(&format!(".{k}"));
                        }
                    } else if elem.is_empty() {
                        elem = k.clone();
                    } else {
                        elem.push_str(&format!(".{k}"));
                    }
                }
                OwnedSeg::Index(ix) => {
                    let id = next
                        .and_then(|t| t.get("id"))
                        .and_then(|v| v.as_str())
                        .map(|s| s.to_string());
                    match id {
                        Some(id) if !elem.contains('.') => elem.push_str(&format!(" \"{id}\"")),
                        _ => elem.push_str(&format!("[{ix}]")),
                    }
                }
            }
            match next {
                Some(n) => item = n,
                None => break,
            }
        }
        match (elem.is_empty(), key) {
            (true, Some(k)) => Some(format!("key `{k}`")),
            (false, Some(k)) => Some(format!("in {elem}, key `{k}`")),
            (false, None) => Some(format!("in {elem}")),
            (true, None) => None,
        }
    }

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

enum OwnedSeg {
    Key(String),
    Index(usize),
}

fn contains(span: Option<Range<usize>>, offset: usize) -> bool {
    span.is_some_and(|s| s.start <= offset && offset < s.end.max(s.start + 1))
}

/// Finds the path of keys and indices to the key or value at byte `offset`.
fn find_offset(item: &toml_edit::Item, offset: usize, path: &mut Vec<OwnedSeg>) -> bool {
    use toml_edit::{Item, Value};
    match item {
        Item::Table(t) => {
            for (k, v) in t.iter() {
                path.push(OwnedSeg::Key(k.to_string()));
                if contains(t.key(k).and_then(|k| k.span()), offset) || find_offset(v, offset, path)
                {
                    return true;
                }
                path.pop();
            }
            false
        }
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                path.push(OwnedSeg::Index(i));
                for (k, v) in t.iter() {
                    path.push(OwnedSeg::Key(k.to_string()));
                    if contains(t.key(k).and_then(|k| k.span()), offset)
                        || find_offset(v, offset, path)
                    {
                        return true;
                    }
                    path.pop();
                }
                // The table's header (where serde puts a missing field).
                if contains(t.span(), offset) {
                    return true;
                }
                path.pop();
            }
            false
        }
        Item::Value(v) => {
            if !contains(v.span(), offset) {
                return false;
            }
            if let Value::InlineTable(t) = v {
                for (k, inner) in t.iter() {
                    path.push(OwnedSeg::Key(k.to_string()));
                    if contains(t.key(k).and_then(|k| k.span()), offset)
                        || find_offset(&Item::Value(inner.clone()), offset, path)
                    {
                        return true;
                    }
                    path.pop();
                }
            }
            true
        }
        Item::None => false,
    }
}
