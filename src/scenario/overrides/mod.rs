//! One-off changes of a scenario given on the command line, applied to its merged document
//! before it is deserialised and checked, exactly as an overlay's keys would be:
//! `--set KIND.ID.KEY[.KEY...]=VALUE` (module `apply`), `--demand FACTOR`, and the lists of
//! values a sweep runs through (module `values`).
//!
//! A path is split at its dots; a step holding a dot or a quote is written in double
//! quotes (`crossing."a.b".open`), and a step may hold spaces
//! (`crossing.dostyk-rail.stage.KZ entry processing (Dostyk).servers`). VALUE is a TOML
//! value: a number, a string in quotes, `true` or `false`, a list, an inline table.

mod apply;
mod values;

pub(crate) use apply::apply;
pub use values::Parameter;

use super::diagnostic::hint;
use super::tree::{value_node, ELEMENT_KINDS};
use std::fmt;
use std::ops::Range;

/// The table a `--set` path starts with: `scenario` (no id follows), or a kind of element.
const SCENARIO: &str = "scenario";

/// Keys of `[scenario]` that only an overlay file gives.
const OVERLAY_KEYS: [&str; 2] = ["extends", "remove"];

/// What a VALUE may be, for messages.
const ACCEPTED_VALUES: &str = "accepted: a number (4, 0.5), a string in double quotes (\"exp\"), true or false, a list ([\"sat\", \"sun\"]) or an inline table ({ dist = \"exp\", mean = 0.5 })";

/// One step of a `--set` path, unquoted, and where it is written in the argument.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    name: String,
    span: Range<usize>,
}

/// A change to a scenario made on the command line, applied to the merged document of the
/// scenario (after its overlays) before it is checked, so that a scenario with overrides is
/// checked and built exactly as the equivalent overlay would be.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The argument as given: `PATH=VALUE`, or the factor of `--demand`.
    text: String,
    what: What,
}

#[derive(Debug, Clone, PartialEq)]
enum What {
    /// `--set PATH=VALUE`: the steps of PATH, and where VALUE starts in the text.
    Set { path: Vec<Step>, value_at: usize },
    /// `--demand FACTOR`: every container flow's `teu_per_year` multiplied by the factor.
    Demand { factor: f64 },
}

/// A `--set` or `--demand` argument that cannot be read; the message names the option, the
/// argument, what is wrong and what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{option} {arg}: {message}")]
pub struct OverrideError {
    option: &'static str,
    arg: String,
    message: String,
}

impl OverrideError {
    fn set(arg: &str, message: String) -> Self {
        OverrideError {
            option: "--set",
            arg: arg.to_string(),
            message,
        }
    }
}

impl Override {
    /// Reads `--set PATH=VALUE`: PATH is `scenario.KEY` or `KIND.ID.KEY[.KEY...]` with KIND
    /// one of the kinds of element (`node`, `rail`, `road`, `crossing`, `ferry`, `flow`,
    /// `disruption`, `corridor`, `fleet`); a crossing's
    /// stage is `stage.N` (1-based position) or `stage.NAME`. VALUE is a TOML value. Whether
    /// the id and keys exist is known only with the scenario (see [`super::load_with`]).
    pub fn parse(arg: &str) -> Result<Override, OverrideError> {
        let err = |m: String| OverrideError::set(arg, m);
        let eq = find_unquoted(arg, '=').ok_or_else(|| {
            err("expected PATH=VALUE, such as crossing.dostyk-rail.stage.2.servers=4".into())
        })?;
        let path = split_path(&arg[..eq]).map_err(err)?;
        check_path(&path).map_err(err)?;
        let value = &arg[eq + 1..];
        if value.trim().is_empty() {
            return Err(err(format!("no VALUE after `=`; {ACCEPTED_VALUES}")));
        }
        value_node(value, 0, 0).map_err(|e| {
            err(format!(
                "`{}` is not a TOML value ({e}); {ACCEPTED_VALUES}",
                value.trim()
            ))
        })?;
        Ok(Override {
            text: arg.to_string(),
            what: What::Set {
                path,
                value_at: eq + 1,
            },
        })
    }

    /// Reads `--demand FACTOR`: every container flow's `teu_per_year` (not those of flows
    /// with `cargo = "other"`) multiplied by FACTOR, a number above 0.
    pub fn demand(factor: &str) -> Result<Override, OverrideError> {
        let f: f64 = factor.trim().parse().unwrap_or(f64::NAN);
        if !(f.is_finite() && f > 0.0) {
            return Err(OverrideError {
                option: "--demand",
                arg: factor.to_string(),
                message: "expected a multiplier of container demand above 0, such as 1.5".into(),
            });
        }
        Ok(Override {
            text: factor.trim().to_string(),
            what: What::Demand { factor: f },
        })
    }

    /// The path set, as written (`crossing.post.stage.1.servers`), or `demand`.
    pub fn path(&self) -> &str {
        match &self.what {
            What::Set { value_at, .. } => self.text[..value_at - 1].trim(),
            What::Demand { .. } => "demand",
        }
    }

    /// The value, as written (`4`, `"exp"`), or the factor of `--demand`.
    pub fn value_text(&self) -> &str {
        match &self.what {
            What::Set { value_at, .. } => self.text[*value_at..].trim(),
            What::Demand { .. } => &self.text,
        }
    }

    /// The value as a TOML value (a float for `--demand`).
    pub fn value(&self) -> toml::Value {
        match &self.what {
            What::Set { value_at, .. } => value_node(&self.text[*value_at..], 0, 0)
                .map(|n| n.to_value())
                .unwrap_or_else(|_| toml::Value::String(self.value_text().to_string())),
            What::Demand { factor } => toml::Value::Float(*factor),
        }
    }

    /// The steps of the path, unquoted (`["crossing", "post", "stage", "1", "servers"]`);
    /// none for `--demand`.
    pub fn steps(&self) -> Vec<&str> {
        match &self.what {
            What::Set { path, .. } => path.iter().map(|s| s.name.as_str()).collect(),
            What::Demand { .. } => Vec::new(),
        }
    }

    /// The element the path names, as (kind, id): `("crossing", "post")` for
    /// `crossing.post.stage.1.servers`; none for `scenario.KEY` and `--demand`.
    pub fn element(&self) -> Option<(&str, &str)> {
        match &self.what {
            What::Set { path, .. } if path[0].name != SCENARIO => {
                Some((path[0].name.as_str(), path[1].name.as_str()))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Override {
    /// The option as a user writes it: `--set PATH=VALUE` or `--demand FACTOR`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.what {
            What::Set { .. } => write!(f, "--set {}", self.text),
            What::Demand { .. } => write!(f, "--demand {}", self.text),
        }
    }
}

/// Checks the shape of a path: a known table first, then an id and a key (or, for
/// `scenario`, a key other than those only an overlay gives).
fn check_path(path: &[Step]) -> Result<(), String> {
    let kind = path[0].name.as_str();
    if kind == SCENARIO {
        match path.get(1) {
            None => Err("expected scenario.KEY=VALUE, such as scenario.horizon_days=100".into()),
            Some(k) if OVERLAY_KEYS.contains(&k.name.as_str()) => Err(format!(
                "`{}` cannot be set from the command line; write an overlay file",
                k.name
            )),
            Some(_) => Ok(()),
        }
    } else if ELEMENT_KINDS.contains(&kind) {
        if path.len() < 3 {
            return Err(format!(
                "expected {kind}.ID.KEY=VALUE, such as rail.dostyk-aktogay.speed_kmh=62.5"
            ));
        }
        Ok(())
    } else {
        let kinds = std::iter::once(SCENARIO).chain(ELEMENT_KINDS);
        // The tables say "segment" of what the scenario gives as [[rail]] or [[road]].
        let hint = if matches!(kind, "segment" | "segments" | "link" | "links") {
            "; a segment is set as rail.ID or road.ID, as the scenario gives it".to_string()
        } else {
            hint(kind, kinds.clone())
        };
        let kinds: Vec<&str> = kinds.collect();
        Err(format!(
            "\"{kind}\" is not a table of a scenario{hint} (accepted: {})",
            kinds.join(", ")
        ))
    }
}

/// The byte position of the first `c` outside quotes in `s`.
fn find_unquoted(s: &str, c: char) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    for (i, ch) in s.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if ch == '\\' => escaped = true,
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None if ch == '"' || ch == '\'' => quote = Some(ch),
            None if ch == c => return Some(i),
            None => {}
        }
    }
    None
}

/// Splits a path at the dots outside quotes; each step unquoted.
fn split_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut start = 0;
    loop {
        let end = find_unquoted(&path[start..], '.').map_or(path.len(), |i| start + i);
        steps.push(step(path, start..end)?);
        if end == path.len() {
            return Ok(steps);
        }
        start = end + 1;
    }
}

/// The step written at `span` of `path`: trimmed, and unquoted if in quotes.
fn step(path: &str, span: Range<usize>) -> Result<Step, String> {
    let raw = &path[span.clone()];
    let lead = raw.len() - raw.trim_start().len();
    let raw = raw.trim();
    let span = span.start + lead..span.start + lead + raw.len();
    if raw.is_empty() {
        return Err(
            "an empty step in the path (two dots in a row, or a dot at an end); a step holding a dot is written in double quotes"
                .into(),
        );
    }
    let name = match raw.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let inner = raw
                .strip_prefix(q)
                .and_then(|r| r.strip_suffix(q))
                .filter(|_| raw.len() >= 2)
                .ok_or_else(|| format!("the quote in `{raw}` is not closed"))?;
            if q == '"' {
                inner.replace("\\\"", "\"").replace("\\\\", "\\")
            } else {
                inner.to_string()
            }
        }
        _ if raw.contains(['"', '\'']) => {
            return Err(format!(
                "`{raw}`: a step is either written plainly or wholly in quotes"
            ))
        }
        _ => raw.to_string(),
    };
    Ok(Step { name, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_splits_at_dots_outside_quotes_and_keeps_spaces() {
        let o = Override::parse("crossing.\"a.b\".stage.KZ entry (Dostyk).servers=4").unwrap();
        let What::Set { path, .. } = &o.what else {
            panic!("a --set")
        };
        let names: Vec<&str> = path.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["crossing", "a.b", "stage", "KZ entry (Dostyk)", "servers"]
        );
        assert_eq!(o.path(), "crossing.\"a.b\".stage.KZ entry (Dostyk).servers");
        assert_eq!(o.value(), toml::Value::Integer(4));
        assert_eq!(o.element(), Some(("crossing", "a.b")));
    }

    #[test]
    fn a_value_is_read_as_toml() {
        let o =
            Override::parse("crossing.p.stage.1.service_h={ dist = \"exp\", mean = 0.5 }").unwrap();
        assert!(o.value().is_table());
        let o = Override::parse("scenario.name=\"a = b\"").unwrap();
        assert_eq!(o.value(), toml::Value::String("a = b".into()));
        let e = Override::parse("crossing.p.open=06:00-22:00").unwrap_err();
        assert!(e.to_string().contains("is not a TOML value"), "{e}");
    }

    #[test]
    fn malformed_paths_are_refused_with_what_is_accepted() {
        let msg = |a: &str| Override::parse(a).unwrap_err().to_string();
        assert!(msg("crosing.p.open=\"x\"").contains("did you mean \"crossing\"?"));
        assert!(msg("rail.x=1").contains("expected rail.ID.KEY=VALUE"));
        assert!(msg("scenario.extends=\"b.toml\"").contains("write an overlay"));
        assert!(msg("rail..x.speed_kmh=1").contains("empty step"));
        assert!(msg("rail.\"x.speed_kmh=1").contains("PATH=VALUE"));
        assert!(msg("rail.x.speed_kmh").contains("PATH=VALUE"));
        assert!(msg("rail.x.speed_kmh=").contains("no VALUE"));
    }
}
