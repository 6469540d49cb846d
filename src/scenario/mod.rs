//! Scenario files: parsing TOML with serde, checking it, and building the [`Model`].
//!
//! Loading has three steps, each with its own type: the file as written (module `raw`,
//! serde structs that refuse unknown keys), the checks (module `check`, one module per
//! table: every id resolved, every value within the bounds of [`limits`], every flow
//! routed), and the [`Model`] ready to simulate. Every problem is reported with the file,
//! line, column, key and value. All semantic problems are reported at once; a malformed
//! file, a wrong type or an unknown key stops at the first.

mod check;
mod diagnostic;
pub mod limits;
mod overrides;
pub(crate) mod raw;
pub mod routing;
mod schema;
mod stack;
mod tree;

pub use diagnostic::{did_you_mean, hint, hint_or_list, Diagnostic, Diagnostics};
pub use limits::{
    MAX_HORIZON_DAYS, MAX_NUMBER, MAX_UNIT_TEU, MAX_VEHICLES_PER_YEAR, MIN_UNIT_TEU,
    MIN_VEHICLES_PER_YEAR,
};
pub use overrides::{Override, OverrideError, Parameter};
pub use schema::schema;
pub use stack::load_stack;
pub use tree::canonical;

use crate::kernel::SimTime;
use crate::model::Model;
use std::path::Path;
use tree::{Node, Origin, Source};

/// A checked scenario: the network and its traffic, and how the file asks for it to be run.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The network and its traffic, immutable once built.
    pub model: Model,
    /// The run settings the file gives (`[scenario]`), which the command line may override.
    pub settings: Settings,
    /// Values possible but implausible (a freight train at 1500 km/h), each located like
    /// an error; the scenario runs as written.
    pub warnings: Vec<Diagnostic>,
}

/// How a scenario asks to be run, apart from what it describes: the defaults of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Seed of the random streams (`seed`).
    pub seed: u64,
    /// Number of replications (`replications`).
    pub replications: u32,
    /// The warm-up (`warmup_days`): given, or to be found from the data.
    pub warmup: Warmup,
}

/// The warm-up a scenario asks for: observations before it are discarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warmup {
    /// A warm-up of this length from time zero (`warmup_days = N`).
    Fixed(SimTime),
    /// Found from pilot replications (`warmup_days = "auto"`; see
    /// [`crate::runner::find_warmup`]).
    Auto,
}

impl Warmup {
    /// The warm-up when the scenario gives it; `None` when it is to be found.
    pub fn fixed(self) -> Option<SimTime> {
        match self {
            Warmup::Fixed(t) => Some(t),
            Warmup::Auto => None,
        }
    }
}

/// Reads, checks and builds the scenario in `path`, with the chain of base scenarios it
/// `extends`, if any.
pub fn load(path: &Path) -> Result<Scenario, Diagnostics> {
    Merged::read(path)?.build(&[])
}

/// Checks and builds a scenario from its text; `path` names it in error messages and
/// anchors the relative path of a base scenario it `extends`.
pub fn load_str(path: &Path, source: &str) -> Result<Scenario, Diagnostics> {
    Merged::from_text(path, source)?.build(&[])
}

/// Reads the scenario in `path` (with its bases), applies `overrides` in order (each
/// `--set` as an overlay's key would be; see [`Override`]), then checks and builds it.
/// Errors about an override's value point into the override.
pub fn load_with(path: &Path, overrides: &[Override]) -> Result<Scenario, Diagnostics> {
    Merged::read(path)?.build(overrides)
}

/// A scenario file and the chain of bases it extends, read and merged into one document
/// but not yet checked: what overrides change, and what a sweep builds each point from
/// without reading the files again.
#[derive(Debug, Clone)]
pub struct Merged {
    sources: Vec<Source>,
    tree: Node,
}

impl Merged {
    /// Reads the scenario in `path` and its bases, and merges them.
    pub fn read(path: &Path) -> Result<Merged, Diagnostics> {
        let (sources, tree) = tree::load_chain(path, None).map_err(Diagnostics)?;
        Ok(Merged { sources, tree })
    }

    /// Merges the scenario whose text is `source` (named `path`) with its bases.
    pub fn from_text(path: &Path, source: &str) -> Result<Merged, Diagnostics> {
        let (sources, tree) = tree::load_chain(path, Some(source)).map_err(Diagnostics)?;
        Ok(Merged { sources, tree })
    }

    /// The file read, then each scenario it extends, in the order of its `extends` chain.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.sources.iter().map(|s| s.path.as_path())
    }

    /// The scenario with `overrides` applied in order, checked and built. Every override
    /// is applied (or refused) before the first error is returned, so that all the
    /// overrides' errors come together.
    pub fn build(&self, overrides: &[Override]) -> Result<Scenario, Diagnostics> {
        let mut sources = self.sources.clone();
        let mut tree = self.tree.clone();
        let errors: Vec<Diagnostic> = overrides
            .iter()
            .filter_map(|o| {
                overrides::apply(o, &mut sources, &mut tree)
                    .err()
                    .map(|d| *d)
            })
            .collect();
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        let locator = Locator {
            sources: &sources,
            tree: &tree,
            base: self.sources.len() - 1,
        };
        let raw = deserialise(&locator)?;
        check::check(&locator, raw)
    }
}

/// Deserialises and checks a merged document read from `sources`, and builds the scenario:
/// for a stack of overlays ([`load_stack`]), whose elements are not told from the base's.
fn build(sources: &[Source], tree: &Node) -> Result<Scenario, Diagnostics> {
    let locator = Locator {
        sources,
        tree,
        base: 0,
    };
    let raw = deserialise(&locator)?;
    check::check(&locator, raw)
}

/// The merged document as serde structs; a wrong type, an unknown key or a missing key
/// stops at the first, located where it was written.
fn deserialise(locator: &Locator) -> Result<raw::RawFile, Diagnostics> {
    serde_path_to_error::deserialize(locator.tree.to_value()).map_err(|e| {
        let path: Vec<OwnedSeg> = e
            .path()
            .iter()
            .filter_map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => Some(OwnedSeg::Index(*index)),
                serde_path_to_error::Segment::Map { key } => Some(OwnedSeg::Key(key.clone())),
                _ => None,
            })
            .collect();
        let segs: Vec<PathSeg> = path.iter().map(OwnedSeg::as_seg).collect();
        let text = e.inner().to_string();
        let text = first_line(&text);
        if let Some(d) = locator.not_in_base(&segs, text) {
            return Diagnostics(vec![d]);
        }
        let unknown_field = text.starts_with("unknown field");
        let mut message = match locator.describe(&segs) {
            Some(place) => format!("{} ({place})", plain_types(text)),
            None => plain_types(text),
        };
        // A stage's key given to the crossing is told where it goes, not a near key.
        let stage_hint = stage_key_hint(locator, &segs).filter(|_| unknown_field);
        if let Some(hint) = stage_hint {
            message.push_str(&hint);
        } else if let Some(hint) = unknown_field_hint(text) {
            message.push_str(&format!("; did you mean `{hint}`?"));
        }
        let origin = if unknown_field {
            locator.tree.key_origin(&segs).cloned()
        } else {
            None
        };
        let origin = origin.unwrap_or_else(|| locator.tree.walk(&segs).0.origin.clone());
        Diagnostics(vec![locator.diagnostic(&origin, message)])
    })
}

fn first_line(s: &str) -> &str {
    s.trim().lines().next().unwrap_or("")
}

/// The keys of a crossing's stage (`[[crossing.stage]]`).
pub(crate) const STAGE_KEYS: [&str; 6] = [
    "name",
    "servers",
    "service_h",
    "inspect_prob",
    "inspect_h",
    "from",
];

/// For a key of a stage given to the crossing itself (`crossing.ID.servers`, or `servers`
/// under `[[crossing]]`), where it goes: `; "servers" is a key of each of the crossing's
/// stages: under [[crossing.stage]], or with --set
/// crossing.dostyk-rail.stage.1.servers (a stage by its number or its name)`.
fn stage_key_hint(locator: &Locator, segs: &[PathSeg]) -> Option<String> {
    let [PathSeg::Key("crossing"), PathSeg::Index(_), PathSeg::Key(key)] = segs else {
        return None;
    };
    if !STAGE_KEYS.contains(key) {
        return None;
    }
    let id = match locator.tree.walk(&segs[..2]).0.id() {
        None => "ID".to_string(),
        // As a --set path writes it: an id with other characters than a bare key's quoted.
        Some(id)
            if id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
        {
            id.to_string()
        }
        Some(id) => format!("\"{id}\""),
    };
    Some(format!(
        "; \"{key}\" is a key of each of the crossing's stages: under [[crossing.stage]], or with --set crossing.{id}.stage.1.{key} (a stage by its number or its name)"
    ))
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
    if let Some(named) = unknown_value(msg) {
        return named;
    }
    let msg = msg
        .replace("expected i64", "expected an integer")
        .replace("expected u64", "expected a whole number >= 0")
        .replace("expected u32", "expected a whole number >= 0")
        .replace("expected i32", "expected an integer")
        .replace("expected f64", "expected a number");
    // "expected struct RawStage": a table of the scenario.
    match msg.split_once("expected struct Raw") {
        Some((head, tail)) => {
            let rest = tail.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
            format!("{head}expected a table{rest}")
        }
        None => msg,
    }
}

/// serde's "unknown variant `poison`, expected `poisson` or `regular`" in the words of the
/// other messages, with the closest value accepted: `unknown value "poison"; accepted:
/// "poisson", "regular"; did you mean "poisson"?`. `None` for any other message.
fn unknown_value(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("unknown variant `")?;
    let (given, expected) = rest.split_once("`, expected ")?;
    let accepted: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    if accepted.is_empty() {
        return None;
    }
    let listed: Vec<String> = accepted.iter().map(|a| format!("\"{a}\"")).collect();
    let close = hint(given, accepted.iter().copied());
    Some(format!(
        "unknown value \"{given}\"; accepted: {}{close}",
        listed.join(", ")
    ))
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

/// Finds where a key or value was written (which file of an overlay chain, which place),
/// by its path of keys and indices in the merged document.
pub(crate) struct Locator<'d> {
    sources: &'d [Source],
    tree: &'d Node,
    /// The index in `sources` of the base scenario, the last file of the chain of
    /// overlays (the files after it are overrides).
    base: usize,
}

impl Locator<'_> {
    /// The file read first: the one given, an overlay or a scenario.
    fn file(&self) -> &Path {
        self.sources
            .first()
            .map_or(Path::new(""), |s| s.path.as_path())
    }

    /// A diagnostic at `origin`.
    /// A value given on the command line (a `--set` or `--demand`, a source after the
    /// chain of files) is named in the message too, with its option.
    fn diagnostic(&self, origin: &Origin, mut message: String) -> Diagnostic {
        let src = &self.sources[origin.file.min(self.sources.len() - 1)];
        if self.is_override(origin.file) {
            message.push_str(&format!(" ({} {})", src.path.display(), src.text));
        }
        src.diagnostic(origin.span.clone(), message)
    }

    /// Whether source `file` is a value given on the command line.
    fn is_override(&self, file: usize) -> bool {
        self.sources
            .get(file)
            .is_some_and(|s| s.path == Path::new("--set") || s.path == Path::new("--demand"))
    }

    /// A diagnostic at the value at `path`, or at the deepest enclosing value that exists.
    pub(crate) fn error_at(&self, path: &[PathSeg], message: String) -> Diagnostic {
        let (node, _) = self.tree.walk(path);
        self.diagnostic(&node.origin, message)
    }

    /// For serde's "missing field `key`" in an element, or a crossing's stage, that an
    /// overlay added because the base has no element with its id (no stage with its name):
    /// says so, with the closest id (name) of the base, at the id (name). A key missing
    /// deeper in a new element is reported so only when a base id is close to its id.
    fn not_in_base(&self, path: &[PathSeg], text: &str) -> Option<Diagnostic> {
        let key = text.strip_prefix("missing field `")?.split('`').next()?;
        let [PathSeg::Key(kind), PathSeg::Index(i), ref rest @ ..] = *path else {
            return None;
        };
        let items = self.list(self.tree, kind)?;
        let new = items.get(i)?;
        if new.origin.file < self.base {
            let id = new.id()?;
            let hint = hint(id, from_other_files(items, new, Node::id));
            let lacks = match self.describe(path) {
                Some(place) if !rest.is_empty() && !hint.is_empty() => {
                    format!("it would need `{key}` {place}")
                }
                _ if rest.is_empty() => format!("it would need `{key}`"),
                _ => return None,
            };
            let msg = format!(
                "{kind} \"{id}\" is not in the base scenario{hint} (as a new {kind} {lacks})"
            );
            return Some(self.diagnostic(&new.entry("id")?.node.origin, msg));
        }
        let [PathSeg::Key("stage"), PathSeg::Index(j)] = *rest else {
            return None;
        };
        let stages = self.list(new, "stage")?;
        let stage = stages.get(j)?;
        if stage.origin.file == new.origin.file || stage.origin.file >= self.base {
            return None;
        }
        let name = stage.name()?;
        let hint = hint(name, from_other_files(stages, stage, Node::name));
        let msg = format!(
            "stage \"{name}\" of {kind} \"{}\" is not in the base scenario{hint} (as a new stage it would need `{key}`)",
            new.id().unwrap_or_default()
        );
        Some(self.diagnostic(&stage.entry("name")?.node.origin, msg))
    }

    /// The array of tables `key` of `node`.
    fn list<'n>(&self, node: &'n Node, key: &str) -> Option<&'n [Node]> {
        match &node.entry(key)?.node.kind {
            tree::Kind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Where `path` points, in scenario words: `in road "ab", key `lenght_km``.
    fn describe(&self, path: &[PathSeg]) -> Option<String> {
        let mut elem = String::new();
        let mut node = self.tree;
        let mut key = None;
        for (i, seg) in path.iter().enumerate() {
            match seg {
                PathSeg::Key(k) if i + 1 == path.len() => key = Some(k.to_string()),
                PathSeg::Key(k) => {
                    let is_list = matches!(
                        node.entry(k).map(|e| &e.node.kind),
                        Some(tree::Kind::Array(_))
                    );
                    if elem.is_empty() {
                        elem = if is_list {
                            k.to_string()
                        } else {
                            format!("[{k}]")
                        };
                    } else {
                        elem.push_str(&format!(".{k}"));
                    }
                }
                PathSeg::Index(ix) => {
                    let id = node.walk(&[PathSeg::Index(*ix), PathSeg::Key("id")]);
                    match (&id.0.kind, id.1) {
                        (tree::Kind::Value(toml::Value::String(id)), true)
                            if !elem.contains('.') =>
                        {
                            elem.push_str(&format!(" \"{id}\""))
                        }
                        // Stages have no id: numbered from 1, as `--set` selects them.
                        _ if elem.ends_with(".stage") => elem.push_str(&format!(".{}", ix + 1)),
                        _ => elem.push_str(&format!("[{ix}]")),
                    }
                }
            }
            match node.walk(std::slice::from_ref(seg)) {
                (n, true) => node = n,
                _ => break,
            }
        }
        match (elem.is_empty(), key) {
            (true, Some(k)) => Some(format!("key `{k}`")),
            (false, Some(k)) => Some(format!("in {elem}, key `{k}`")),
            (false, None) => Some(format!("in {elem}")),
            (true, None) => None,
        }
    }
}

/// The ids (or names) of `items` written in another file than `new`: for an element an
/// overlay added, those of its base.
fn from_other_files<'n>(
    items: &'n [Node],
    new: &'n Node,
    name: fn(&Node) -> Option<&str>,
) -> impl Iterator<Item = &'n str> + Clone {
    items
        .iter()
        .filter(move |n| n.origin.file != new.origin.file)
        .filter_map(name)
}

/// An owned [`PathSeg`], for paths reported by serde.
enum OwnedSeg {
    Key(String),
    Index(usize),
}

impl OwnedSeg {
    fn as_seg(&self) -> PathSeg<'_> {
        match self {
            OwnedSeg::Key(k) => PathSeg::Key(k),
            OwnedSeg::Index(i) => PathSeg::Index(*i),
        }
    }
}
