//! A scenario document as a tree whose every key and value remembers the file and the place
//! it came from, and the merging of overlays into their base.
//!
//! An overlay names its base with `[scenario].extends = "base.toml"` (a path relative to the
//! overlay). Its arrays of tables merge by `id`: an element whose `id` the base already has
//! overrides the keys it gives, a new `id` is added. A crossing's stages merge in turn by
//! `name` (a stage without a name is refused); other lists and tables of an element, such
//! as `gauge_change`, are replaced whole. `[scenario].remove = ["id", "kind:id",
//! "kind:id.key", ...]` deletes elements of the base before the merge: a plain id from
//! every kind that has it, `kind:id` (`node`, `rail`, `road`, `crossing`, `ferry`, `flow`,
//! `disruption`) from that kind only, `kind:id.key` one key of that element (such as
//! `crossing:dostyk-rail.stage`, so that the overlay's stages replace the base's list
//! whole); removing an element and giving it again replaces it whole. Other keys of the
//! overlay replace the base's. Overlays may chain.

mod merge;

use super::diagnostic::{did_you_mean, hint, Diagnostic, LineIndex};
use super::limits::{MAX_OVERLAY_CHAIN, MAX_SCENARIO_BYTES};
use super::PathSeg;
use merge::{apply_remove, merge};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The arrays of tables that merge by `id`.
pub(crate) const ELEMENT_KINDS: [&str; 9] = [
    "node",
    "rail",
    "road",
    "crossing",
    "ferry",
    "flow",
    "disruption",
    "corridor",
    "fleet",
];

/// Where a key or value was written: which file of the chain, and the byte range there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Origin {
    pub(crate) file: usize,
    pub(crate) span: Option<Range<usize>>,
}

/// A node of the merged document.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) origin: Origin,
    pub(crate) kind: Kind,
}

/// What a node holds.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Table(Vec<Entry>),
    Array(Vec<Node>),
    Value(toml::Value),
}

/// A key of a table, where the key itself was written, and its value.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) key_origin: Origin,
    pub(crate) node: Node,
}

/// One file of an overlay chain.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) path: PathBuf,
    pub(crate) text: String,
    /// Where each line of `text` starts, for locating its errors.
    pub(crate) lines: LineIndex,
}

impl Source {
    /// The file at `path` with its `text`.
    pub(crate) fn new(path: PathBuf, text: String) -> Self {
        let lines = LineIndex::new(&text);
        Source { path, text, lines }
    }

    /// A diagnostic at byte range `span` of this file, or at the file as a whole.
    pub(crate) fn diagnostic(&self, span: Option<Range<usize>>, message: String) -> Diagnostic {
        match span {
            Some(span) => Diagnostic::located(&self.path, &self.text, &self.lines, span, message),
            None => Diagnostic::file_level(&self.path, message),
        }
    }
}

impl Node {
    fn table(&self) -> Option<&Vec<Entry>> {
        match &self.kind {
            Kind::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The entries of a table node, to change.
    pub(crate) fn table_mut(&mut self) -> Option<&mut Vec<Entry>> {
        match &mut self.kind {
            Kind::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The entry `key` of a table node.
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        self.table()?.iter().find(|e| e.key == key)
    }

    fn get(&self, seg: &PathSeg) -> Option<&Node> {
        match (seg, &self.kind) {
            (PathSeg::Key(k), Kind::Table(_)) => self.entry(k).map(|e| &e.node),
            (PathSeg::Index(i), Kind::Array(a)) => a.get(*i),
            _ => None,
        }
    }

    /// The node at `path`, or the deepest one on the way, and whether the whole path was
    /// found.
    pub(crate) fn walk(&self, path: &[PathSeg]) -> (&Node, bool) {
        let mut node = self;
        for seg in path {
            match node.get(seg) {
                Some(n) => node = n,
                None => return (node, false),
            }
        }
        (node, true)
    }

    /// The origin of the key at the end of `path` (a table key), if it exists.
    pub(crate) fn key_origin(&self, path: &[PathSeg]) -> Option<&Origin> {
        let (last, parent) = path.split_last()?;
        let (table, found) = self.walk(parent);
        match (found, last) {
            (true, PathSeg::Key(k)) => table.entry(k).map(|e| &e.key_origin),
            _ => None,
        }
    }

    /// The plain TOML value of this node, for serde.
    pub(crate) fn to_value(&self) -> toml::Value {
        match &self.kind {
            Kind::Value(v) => v.clone(),
            Kind::Array(a) => toml::Value::Array(a.iter().map(Node::to_value).collect()),
            Kind::Table(t) => toml::Value::Table(
                t.iter()
                    .map(|e| (e.key.clone(), e.node.to_value()))
                    .collect(),
            ),
        }
    }

    /// The string value of `key` in a table node.
    pub(crate) fn text(&self, key: &str) -> Option<&str> {
        match &self.entry(key)?.node.kind {
            Kind::Value(toml::Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The `id` of an element.
    pub(crate) fn id(&self) -> Option<&str> {
        self.text("id")
    }

    /// The `name` of a stage.
    pub(crate) fn name(&self) -> Option<&str> {
        self.text("name")
    }
}

/// An origin in `file` at `span`.
pub(crate) fn origin(file: usize, span: Option<Range<usize>>) -> Origin {
    Origin { file, span }
}

/// Converts a parsed document into a tree, tagging everything with `file`.
pub(crate) fn from_document(doc: &toml_edit::ImDocument<&str>, file: usize) -> Node {
    from_table(doc.as_table(), file)
}

fn from_table(t: &toml_edit::Table, file: usize) -> Node {
    let entries = t
        .iter()
        .map(|(k, item)| {
            let key_span = t.key(k).and_then(|k| k.span());
            let mut node = from_item(item, file);
            // A table made only by a dotted header (`crossing` in `[[crossing.stage]]` with
            // no `[[crossing]]` before it) is written nowhere itself: point at its key.
            if node.origin.span.is_none() {
                node.origin.span.clone_from(&key_span);
            }
            Entry {
                key: k.to_string(),
                key_origin: origin(file, key_span),
                node,
            }
        })
        .collect();
    Node {
        origin: origin(file, t.span()),
        kind: Kind::Table(entries),
    }
}

fn from_item(item: &toml_edit::Item, file: usize) -> Node {
    use toml_edit::Item;
    match item {
        Item::Table(t) => from_table(t, file),
        Item::ArrayOfTables(a) => Node {
            origin: origin(file, a.span()),
            kind: Kind::Array(a.iter().map(|t| from_table(t, file)).collect()),
        },
        Item::Value(v) => from_value(v, file),
        Item::None => Node {
            origin: origin(file, None),
            kind: Kind::Table(Vec::new()),
        },
    }
}

/// The tree of one TOML value written alone, such as the `VALUE` of `--set PATH=VALUE`:
/// tagged with `file`, its spans counted from `offset` (where the value starts in that
/// file's text). Refuses anything but exactly one value.
pub(crate) fn value_node(text: &str, offset: usize, file: usize) -> Result<Node, String> {
    const LEAD: &str = "v = ";
    let doc = toml_edit::ImDocument::parse(format!("{LEAD}{text}"))
        .map_err(|e| super::first_line(e.message()).to_string())?;
    let table = doc.as_table();
    match (table.len(), table.get("v")) {
        (1, Some(toml_edit::Item::Value(v))) => {
            let mut node = from_value(v, file);
            node.shift(offset as isize - LEAD.len() as isize);
            Ok(node)
        }
        _ => Err("more than one value".into()),
    }
}

impl Node {
    /// Moves every span of this node and those under it by `delta` bytes.
    fn shift(&mut self, delta: isize) {
        let move_span = |o: &mut Origin| {
            if let Some(r) = &mut o.span {
                let at = |x: usize| x.saturating_add_signed(delta);
                *r = at(r.start)..at(r.end);
            }
        };
        move_span(&mut self.origin);
        match &mut self.kind {
            Kind::Value(_) => {}
            Kind::Array(a) => a.iter_mut().for_each(|n| n.shift(delta)),
            Kind::Table(t) => t.iter_mut().for_each(|e| {
                move_span(&mut e.key_origin);
                e.node.shift(delta);
            }),
        }
    }
}

fn from_value(v: &toml_edit::Value, file: usize) -> Node {
    use toml_edit::Value;
    let o = origin(file, v.span());
    let kind = match v {
        Value::String(s) => Kind::Value(toml::Value::String(s.value().clone())),
        Value::Integer(i) => Kind::Value(toml::Value::Integer(*i.value())),
        Value::Float(f) => Kind::Value(toml::Value::Float(*f.value())),
        Value::Boolean(b) => Kind::Value(toml::Value::Boolean(*b.value())),
        Value::Datetime(d) => Kind::Value(toml::Value::String(d.value().to_string())),
        Value::Array(a) => Kind::Array(a.iter().map(|x| from_value(x, file)).collect()),
        Value::InlineTable(t) => Kind::Table(
            t.iter()
                .map(|(k, x)| Entry {
                    key: k.to_string(),
                    key_origin: origin(file, t.key(k).and_then(|k| k.span())),
                    node: from_value(x, file),
                })
                .collect(),
        ),
    };
    Node { origin: o, kind }
}

/// Reads a scenario file and, through `[scenario].extends`, the chain of its bases; returns
/// the files (base first) and the merged tree. Errors name the file and place they concern.
pub(crate) fn load_chain(
    path: &Path,
    text: Option<&str>,
) -> Result<(Vec<Source>, Node), Vec<Diagnostic>> {
    let mut sources = Vec::new();
    let tree = load_one(path, text, &mut sources, &mut Vec::new())?;
    Ok((sources, tree))
}

/// `path` made absolute with links resolved, or as given if that fails (a file that does
/// not exist): how two names of one scenario file are known to be the same file.
pub fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Reads the file at `path` (or takes `text`), adds it to `sources` and, through its
/// `extends`, its bases; returns the merged tree. `chain` holds the files being read,
/// from the first overlay down, to catch a circle.
fn load_one(
    path: &Path,
    text: Option<&str>,
    sources: &mut Vec<Source>,
    chain: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<Node, Vec<Diagnostic>> {
    let (text, mut tree) = read_source(path, text, sources)?;
    let here = canonical(path);
    chain.push((here, path.to_path_buf()));
    let lines = LineIndex::new(&text);
    let at = |o: &Origin, msg: String| match o.span.clone() {
        Some(span) => Diagnostic::located(path, &text, &lines, span, msg),
        None => Diagnostic::file_level(path, msg),
    };
    let err = |o: &Origin, msg: String| vec![at(o, msg)];

    let extends = take_scenario_key(&mut tree, "extends");
    let remove = take_scenario_key(&mut tree, "remove");
    let Some(extends) = extends else {
        if let Some(r) = remove {
            return Err(err(
                &r.key_origin,
                "remove in [scenario]: only an overlay (a scenario with `extends`) can remove elements".into(),
            ));
        }
        return Ok(tree);
    };
    let base_path = base_of(path, &extends, chain, &err)?;
    let mut base = load_one(&base_path, None, sources, chain)?;
    if let Some(r) = remove {
        apply_remove(&mut base, &r, &at)?;
    }
    merge(&mut base, tree, &at)?;
    chain.pop();
    Ok(base)
}

/// Reads the file at `path` (or takes `text`) and parses it; adds it to `sources` and
/// returns its text and tree.
fn read_source(
    path: &Path,
    text: Option<&str>,
    sources: &mut Vec<Source>,
) -> Result<(String, Node), Vec<Diagnostic>> {
    let text = match text {
        Some(t) => t.to_string(),
        None => read_text(path).map_err(|d| vec![*d])?,
    };
    let doc = toml_edit::ImDocument::parse(text.as_str()).map_err(|e| {
        vec![Diagnostic::new(
            path,
            &text,
            e.span(),
            format!("malformed TOML: {}", toml_message(e.message())),
        )]
    })?;
    let file = sources.len();
    sources.push(Source::new(path.to_path_buf(), text.clone()));
    let tree = from_document(&doc, file);
    Ok((text, tree))
}

/// The text of the scenario file at `path`: a regular file of at most
/// [`MAX_SCENARIO_BYTES`], in UTF-8. Otherwise says what it is instead, without reading
/// more than the limit (a device such as `/dev/zero` never ends).
fn read_text(path: &Path) -> Result<String, Box<Diagnostic>> {
    use std::io::Read;
    let fail = |why: String| {
        Box::new(Diagnostic::file_level(
            path,
            format!("cannot read scenario file {}: {why}", path.display()),
        ))
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let meta = file.metadata().map_err(|e| fail(e.to_string()))?;
    if meta.is_dir() {
        return Err(fail("it is a directory, not a scenario file".into()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SCENARIO_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(fail(format!(
            "it is larger than {} MB, the most a scenario file may be",
            MAX_SCENARIO_BYTES >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let byte = e.as_bytes()[at];
        let text = String::from_utf8_lossy(e.as_bytes());
        Box::new(Diagnostic::new(
            path,
            &text,
            Some(at..at + 1),
            format!("the byte 0x{byte:02X} is not UTF-8 text: save the scenario file as UTF-8"),
        ))
    })
}

/// A TOML parser's message in one line: its first line, and the cause it gives on the next
/// ("invalid table header: duplicate key `scenario` in document root"), with a word on what
/// to do for a table or a key given twice.
fn toml_message(message: &str) -> String {
    let lines: Vec<&str> = (message.trim().lines())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let text = lines.join(": ");
    let table = text.contains("table header");
    match lines.iter().find_map(|l| l.strip_prefix("duplicate key `")) {
        Some(rest) if table => {
            let key = rest.split('`').next().unwrap_or_default();
            format!("{text}; give [{key}] once (a list of elements is written [[{key}]])")
        }
        Some(rest) => {
            let key = rest.split('`').next().unwrap_or_default();
            format!("{text}; give `{key}` once in each table")
        }
        None => text,
    }
}

/// The base scenario the overlay at `path` names in `extends`: an existing file, not
/// already in `chain`, and not too deep. `err` reports at a place of the overlay.
fn base_of(
    path: &Path,
    extends: &Entry,
    chain: &[(PathBuf, PathBuf)],
    err: &dyn Fn(&Origin, String) -> Vec<Diagnostic>,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let Kind::Value(toml::Value::String(base_name)) = &extends.node.kind else {
        return Err(err(
            &extends.node.origin,
            "extends in [scenario]: expected the path of the base scenario file, a string such as \"base.toml\"".into(),
        ));
    };
    let base_path = path.parent().unwrap_or(Path::new("")).join(base_name);
    let base_canonical = canonical(&base_path);
    if chain.iter().any(|(c, _)| *c == base_canonical) {
        let names: Vec<String> = chain
            .iter()
            .map(|(_, shown)| shown)
            .chain(std::iter::once(&base_path))
            .map(|p| p.display().to_string())
            .collect();
        return Err(err(
            &extends.node.origin,
            format!("extends = \"{base_name}\" in [scenario]: overlays extend each other in a circle: {}", names.join(" -> ")),
        ));
    }
    // `chain` holds the overlays read so far; with the base, one more file.
    if chain.len() >= MAX_OVERLAY_CHAIN {
        return Err(err(
            &extends.node.origin,
            format!("extends in [scenario]: a chain of overlays holds at most {MAX_OVERLAY_CHAIN} files, the base included, and this one goes deeper"),
        ));
    }
    let shown = base_path.display();
    let what = match std::fs::metadata(&base_path) {
        Ok(m) if m.is_file() => return Ok(base_path),
        Ok(m) if m.is_dir() => format!("{shown} is a directory, not a scenario file"),
        Ok(_) => format!("{shown} is not a regular file (a FIFO, socket or device)"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let near = scenario_near(&base_path, base_name);
            format!("no such file {shown} (the path is relative to this overlay){near}")
        }
        Err(e) => format!("{shown} cannot be read: {e}"),
    };
    Err(err(
        &extends.node.origin,
        format!("extends = \"{base_name}\" in [scenario]: {what}"),
    ))
}

/// Scenario files of a directory looked through for a name like a missing one: enough for
/// any folder of scenarios, few enough that a huge directory costs nothing to speak of.
const NEAR_FILES: usize = 10_000;

/// `; did you mean "dir/name.toml"?` for the `.toml` file beside `path` whose name is
/// closest to its name, written as `given` (the path as the overlay gives it) with that
/// name; or nothing.
fn scenario_near(path: &Path, given: &str) -> String {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return String::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return String::new();
    };
    let mut names: Vec<String> = entries
        .take(NEAR_FILES)
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    // In name order, so that of two names as close the same is named on every machine.
    names.sort_unstable();
    match did_you_mean(name, names.iter().map(String::as_str)) {
        Some(near) => {
            let near = Path::new(given).with_file_name(near);
            format!("; did you mean \"{}\"?", near.display())
        }
        None => String::new(),
    }
}

/// Takes `[scenario].key` out of the tree.
fn take_scenario_key(tree: &mut Node, key: &str) -> Option<Entry> {
    let scenario = tree.table_mut()?.iter_mut().find(|e| e.key == "scenario")?;
    let t = scenario.node.table_mut()?;
    let pos = t.iter().position(|e| e.key == key)?;
    Some(t.remove(pos))
}

/// An overlay read as a layer of a stack ([`super::stack`]): its own changes, to be
/// applied onto a scenario other than the one it was read against, and the base file its
/// `extends` names.
pub(crate) struct Layer {
    /// The file's index in the sources.
    file: usize,
    /// The file's own tree, without its `[scenario]` table.
    tree: Node,
    /// Its `[scenario].remove`, if any.
    remove: Option<Entry>,
    /// The base file its `extends` names (resolved against it), if any.
    pub(crate) extends: Option<PathBuf>,
}

/// Reads the file at `path` (adding it to `sources`) as a layer of a stack. Its
/// `[scenario]` table is set aside but for `extends` (checked: a path to an existing file)
/// and `remove`: a stack takes its name and run settings from its base.
pub(crate) fn read_layer(path: &Path, sources: &mut Vec<Source>) -> Result<Layer, Vec<Diagnostic>> {
    let (text, mut tree) = read_source(path, None, sources)?;
    let file = sources.len() - 1;
    let err = |o: &Origin, msg: String| vec![Diagnostic::new(path, &text, o.span.clone(), msg)];
    let extends = take_scenario_key(&mut tree, "extends");
    let remove = take_scenario_key(&mut tree, "remove");
    if let Some(entries) = tree.table_mut() {
        entries.retain(|e| e.key != "scenario");
    }
    let extends = match extends {
        Some(e) => Some(base_of(path, &e, &[], &err)?),
        None => None,
    };
    Ok(Layer {
        file,
        tree,
        remove,
        extends,
    })
}

/// Applies a layer's own changes onto `tree`: its `remove`, then its elements and keys, as
/// an overlay is merged into the base it extends.
pub(crate) fn apply_layer(
    tree: &mut Node,
    layer: Layer,
    sources: &[Source],
) -> Result<(), Vec<Diagnostic>> {
    let src = &sources[layer.file];
    let at = |o: &Origin, msg: String| src.diagnostic(o.span.clone(), msg);
    if let Some(r) = &layer.remove {
        apply_remove(tree, r, &at)?;
    }
    merge(tree, layer.tree, &at)
}
