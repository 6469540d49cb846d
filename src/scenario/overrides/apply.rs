//! Applying an [`Override`] to a merged scenario document: the value takes the place the
//! path names, as an overlay's key would, and remembers that it was written in the
//! argument, so that any error about it points there.

use super::{Override, Step, What, SCENARIO};
use crate::scenario::diagnostic::{hint, hint_or_list, Diagnostic};
use crate::scenario::schema::keys_of;
use crate::scenario::tree::{origin, value_node, Entry, Kind, Node, Source, ELEMENT_KINDS};
use crate::scenario::STAGE_KEYS;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A problem with an override, located in its argument (boxed: it is large, and rare).
type Problem = Box<Diagnostic>;

/// Reports a problem at a place of the argument.
type At<'a> = dyn Fn(&Range<usize>, String) -> Problem + 'a;

/// Where an override's value comes from: the argument's text, its index among the files of
/// the document, and how to report a problem in it.
struct Arg<'a> {
    text: &'a str,
    file: usize,
    at: &'a At<'a>,
}

/// Applies `o` to `tree`, the merged document whose files are `sources`; the argument joins
/// `sources` (as a file named `--set` or `--demand`), for errors to point into it.
pub(crate) fn apply(
    o: &Override,
    sources: &mut Vec<Source>,
    tree: &mut Node,
) -> Result<(), Problem> {
    let file = sources.len();
    let option = match o.what {
        What::Set { .. } => "--set",
        What::Demand { .. } => "--demand",
    };
    sources.push(Source::new(PathBuf::from(option), o.text.clone()));
    match &o.what {
        What::Set { path, value_at } => {
            let at = |span: &Range<usize>, msg: String| {
                let msg = format!("{o}: {msg}");
                Box::new(Diagnostic::new(
                    Path::new(option),
                    &o.text,
                    Some(span.clone()),
                    msg,
                ))
            };
            let whole = *value_at..o.text.len();
            let value =
                value_node(&o.text[*value_at..], *value_at, file).map_err(|e| at(&whole, e))?;
            let arg = Arg {
                text: &o.text,
                file,
                at: &at,
            };
            set(tree, path, value, &arg)
        }
        What::Demand { factor } => {
            demand(tree, *factor, file, o.text.len());
            Ok(())
        }
    }
}

/// Puts `value` at `path` of the whole document `tree`.
fn set(tree: &mut Node, path: &[Step], value: Node, arg: &Arg) -> Result<(), Problem> {
    let (kind, at) = (&path[0], arg.at);
    let Some(root) = tree.table_mut() else {
        return Err(at(&kind.span, "the scenario is not a table".into()));
    };
    let table = root.iter_mut().find(|e| e.key == kind.name);
    if kind.name == SCENARIO {
        let Some(header) = table else {
            return Err(at(
                &kind.span,
                "the scenario has no [scenario] table".into(),
            ));
        };
        return set_in(&mut header.node, &path[1..], false, value, arg);
    }
    let list = table.and_then(|e| match &mut e.node.kind {
        Kind::Array(a) => Some(a),
        _ => None,
    });
    let id = &path[1];
    let Some(list) = list else {
        let elsewhere = elsewhere_hint(tree, path, arg.text).unwrap_or_default();
        return Err(at(
            &kind.span,
            format!("the scenario has no [[{}]]{elsewhere}", kind.name),
        ));
    };
    match list.iter().position(|n| n.id() == Some(&id.name)) {
        Some(i) => set_in(
            &mut list[i],
            &path[2..],
            kind.name == "crossing",
            value,
            arg,
        ),
        None => {
            let same_kind = hint_or_list(&id.name, list.iter().filter_map(Node::id));
            let hint = elsewhere_hint(tree, path, arg.text).unwrap_or(same_kind);
            Err(at(
                &id.span,
                format!("the scenario has no {} \"{}\"{hint}", kind.name, id.name),
            ))
        }
    }
}

/// When the element `path` names (`rail.approach...`) is not of its kind but the scenario
/// `tree` has elements of that id of other kinds: `; did you mean "road.approach.speed_kmh"?
/// ("approach" is a road)`, the path as written in `text` with each of those kinds.
fn elsewhere_hint(tree: &Node, path: &[Step], text: &str) -> Option<String> {
    let (kind, id) = (&path[0], &path[1]);
    let root = match &tree.kind {
        Kind::Table(t) => t,
        _ => return None,
    };
    let kinds: Vec<&str> = ELEMENT_KINDS
        .iter()
        .copied()
        .filter(|&k| k != kind.name)
        .filter(|&k| {
            root.iter().any(|e| {
                e.key == k
                    && matches!(&e.node.kind, Kind::Array(a) if a.iter().any(|n| n.id() == Some(&id.name)))
            })
        })
        .collect();
    if kinds.is_empty() {
        return None;
    }
    // A stage's key goes under one of the crossing's stages: suggest the first.
    let key = path.get(2).map(|k| k.name.as_str());
    let stage_key = key.is_some_and(|k| STAGE_KEYS.contains(&k));
    // Suggest the kinds whose tables take the key, if any does.
    let takes = |k: &str| {
        key.is_none_or(|key| {
            (k == "crossing" && stage_key) || keys_of(k).iter().any(|have| have == key)
        })
    };
    let fitting: Vec<&str> = kinds.iter().copied().filter(|k| takes(k)).collect();
    let kinds = if fitting.is_empty() { kinds } else { fitting };
    let rest = &text[kind.span.end..path[path.len() - 1].span.end];
    let rest_for = |k: &str| match (k, stage_key) {
        ("crossing", true) => format!(
            "{}.stage.1{}",
            &text[kind.span.end..id.span.end],
            &text[id.span.end..path[path.len() - 1].span.end]
        ),
        _ => rest.to_string(),
    };
    // A path holding a quoted step is shown in backticks, its quotes as written.
    let quoted = |p: String| match p.contains('"') {
        true => format!("`{p}`"),
        false => format!("\"{p}\""),
    };
    let paths: Vec<String> = (kinds.iter())
        .map(|k| quoted(format!("{k}{}", rest_for(k))))
        .collect();
    let kinds: Vec<String> = kinds.iter().map(|k| format!("a {k}")).collect();
    Some(format!(
        "; did you mean {}? (\"{}\" is {})",
        either(&paths, "or"),
        id.name,
        either(&kinds, "and")
    ))
}

/// `items` in words, the last two joined by `word`: `a, b or c`.
fn either(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}

/// Puts `value` at `keys` under `node` (a table; a crossing when `crossing`, whose
/// `stage.N` or `stage.NAME` selects a stage). Missing tables on the way are made.
fn set_in(
    node: &mut Node,
    keys: &[Step],
    crossing: bool,
    value: Node,
    arg: &Arg,
) -> Result<(), Problem> {
    let at = arg.at;
    let Some((key, rest)) = keys.split_first() else {
        return Ok(());
    };
    if crossing && key.name == "stage" && !rest.is_empty() {
        let stage = select_stage(node, &rest[0], at)?;
        if rest.len() == 1 {
            *stage = value;
            return Ok(());
        }
        return set_in(stage, &rest[1..], false, value, arg);
    }
    let Some(table) = node.table_mut() else {
        return Err(at(&key.span, format!("`{}` is not in a table", key.name)));
    };
    let pos = table.iter().position(|e| e.key == key.name);
    let key_origin = origin(arg.file, Some(key.span.clone()));
    if rest.is_empty() {
        let entry = Entry {
            key: key.name.clone(),
            key_origin,
            node: value,
        };
        match pos {
            Some(p) => table[p] = entry,
            None => table.push(entry),
        }
        return Ok(());
    }
    let p = pos.unwrap_or_else(|| {
        table.push(Entry {
            key: key.name.clone(),
            node: Node {
                origin: key_origin.clone(),
                kind: Kind::Table(Vec::new()),
            },
            key_origin,
        });
        table.len() - 1
    });
    let what = match &table[p].node.kind {
        Kind::Table(_) => return set_in(&mut table[p].node, rest, false, value, arg),
        Kind::Array(_) => "a list",
        Kind::Value(_) => "a single value",
    };
    Err(at(
        &rest[0].span,
        format!(
            "`{}` is {what}, not a table with keys; set it whole: {}=VALUE",
            key.name,
            &arg.text[..key.span.end]
        ),
    ))
}

/// The stage of crossing `node` that `sel` names: its position from 1, or its name.
fn select_stage<'n>(node: &'n mut Node, sel: &Step, at: &At) -> Result<&'n mut Node, Problem> {
    let id = node.id().unwrap_or_default().to_string();
    let stages = node
        .table_mut()
        .and_then(|t| t.iter_mut().find(|e| e.key == "stage"))
        .and_then(|e| match &mut e.node.kind {
            Kind::Array(a) => Some(a),
            _ => None,
        });
    let Some(stages) = stages else {
        return Err(at(
            &sel.span,
            format!("crossing \"{id}\" has no [[crossing.stage]] to change"),
        ));
    };
    let names: Vec<&str> = stages.iter().map(|s| s.name().unwrap_or("")).collect();
    let listing: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{} \"{n}\"", i + 1))
        .collect();
    let listing = listing.join(", ");
    let n = stages.len();
    let chosen = if let Ok(k) = sel.name.parse::<usize>() {
        (1..=n).contains(&k).then(|| k - 1).ok_or_else(|| {
            format!(
                "crossing \"{id}\" has {n} stage{}: {listing}; give a position from 1 to {n}, or a name",
                if n == 1 { "" } else { "s" }
            )
        })
    } else {
        let same: Vec<usize> = (0..n).filter(|&i| names[i] == sel.name).collect();
        match same[..] {
            [i] => Ok(i),
            [] => Err(format!(
                "crossing \"{id}\" has no stage named \"{}\"{} (its stages: {listing}; a position from 1 also selects one)",
                sel.name,
                hint(&sel.name, names.iter().copied())
            )),
            _ => Err(format!(
                "crossing \"{id}\" has several stages named \"{}\"; give the position of one (its stages: {listing})",
                sel.name
            )),
        }
    };
    match chosen {
        Ok(i) => Ok(&mut stages[i]),
        Err(msg) => Err(at(&sel.span, msg)),
    }
}

/// Multiplies the `teu_per_year` of every flow but those with `cargo = "other"` by
/// `factor`; the products point at the argument (`file`, `len` bytes long).
fn demand(tree: &mut Node, factor: f64, file: usize, len: usize) {
    let Some(flows) = tree
        .table_mut()
        .and_then(|t| t.iter_mut().find(|e| e.key == "flow"))
    else {
        return;
    };
    let Kind::Array(flows) = &mut flows.node.kind else {
        return;
    };
    for flow in flows.iter_mut() {
        if flow.text("cargo") == Some("other") {
            continue;
        }
        let Some(teu) = flow
            .table_mut()
            .and_then(|t| t.iter_mut().find(|e| e.key == "teu_per_year"))
        else {
            continue;
        };
        let scaled = match teu.node.kind {
            Kind::Value(toml::Value::Integer(i)) => i as f64 * factor,
            Kind::Value(toml::Value::Float(x)) => x * factor,
            _ => continue,
        };
        teu.node = Node {
            origin: origin(file, Some(0..len)),
            kind: Kind::Value(toml::Value::Float(scaled)),
        };
    }
}
