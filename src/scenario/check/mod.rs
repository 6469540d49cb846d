//! Semantic checks of a parsed scenario, and the building of the [`Model`] from it: one
//! module per table of the file, in the order the tables are checked.
//!
//! Messages follow one pattern: the key and the value, the element they belong to, what is
//! wrong and what would be accepted, e.g.
//! `unknown node "dostik" in rail "dostyk-moyynty".to; did you mean "dostyk"?` or
//! `servers = 0 in crossing "dostyk".stage.2 ("customs"): must be an integer between 1 and 100000`.

mod corridor;
mod crossing;
mod disruption;
mod dist;
mod ferry;
mod fleet;
mod flow;
mod gauge_change;
mod header;
mod node;
mod segment;

use super::diagnostic::{Diagnostic, Diagnostics, Suggestions};
use super::limits::{MAX_EVENTS_PER_YEAR, MAX_HOURS, MAX_NUMBER, MIN_COUNT};
use super::raw::RawFile;
use super::{Locator, PathSeg, Scenario};
use crate::kernel::SimTime;
use crate::model::{Crossing, Ferry, Link, Model, Node, NodeIx};
use std::collections::{HashMap, HashSet};

/// Runs every check; returns the model or every problem found.
pub(super) fn check(locator: &Locator, raw: RawFile) -> Result<Scenario, Diagnostics> {
    let mut c = Checker {
        locator,
        diags: Vec::new(),
        warnings: Vec::new(),
        node_ids: None,
    };
    let h = &raw.scenario;
    header::check_header(&mut c, h);
    let (nodes, node_ix) = node::check_nodes(&mut c, &raw.node);
    let links = segment::check_segments(&mut c, &raw.rail, &raw.road, &node_ix);
    let start_year = h.start_year as i32;
    let ferries = ferry::check_ferries(&mut c, &raw.ferry, &node_ix, &nodes);
    // A segment or ferry line that failed its checks is left out: what it would join is
    // then unknown, and no reference is judged by it.
    let ways_whole =
        links.len() == raw.rail.len() + raw.road.len() && ferries.len() == raw.ferry.len();
    let around = crossing::Around {
        node_ix: &node_ix,
        nodes: &nodes,
        links: &links,
        ferries: &ferries,
        ways_whole,
    };
    let crossings = crossing::check_crossings(&mut c, &raw.crossing, &around, start_year);
    let failed = failed_ids(&raw, &links, &ferries, &crossings);

    // Flows are checked once the network is known to be sound, so that routing sees it whole.
    let network_ok = c.diags.is_empty();
    let net = Network {
        horizon_years: h.horizon_days / 365.0,
        nodes: &nodes,
        links: &links,
        ferries: &ferries,
        crossings: &crossings,
        ways_whole,
        failed: &failed,
    };
    let mut flows = flow::check_flows(&mut c, &raw.flow, &node_ix, &net, network_ok);
    let reform_pools = gauge_change::attach_reforms(&mut flows, &crossings);
    let drafts = fleet::check_fleets(&mut c, &raw.fleet, &node_ix, &net);
    let fleets = fleet::attach_fleets(&mut c, drafts, &mut flows, (&net, &reform_pools));
    let disruptions = disruption::check_disruptions(&mut c, &raw.disruption, &net, h.horizon_days);
    let corridors = corridor::check_corridors(&mut c, &raw.corridor, &flows, &raw.flow);

    if crate::kernel::interrupted() {
        // What was checked after the interruption (routes cut short) means nothing.
        return Err(Diagnostics(vec![Diagnostic::file_level(
            c.locator.file(),
            "interrupted while loading; nothing was run".into(),
        )]));
    }
    if !c.diags.is_empty() {
        return Err(Diagnostics(c.diags));
    }
    let model = Model {
        name: h.name.clone(),
        start_year,
        horizon: SimTime::from_hours(h.horizon_days * 24.0),
        nodes,
        links,
        crossings,
        ferries,
        disruptions,
        flows,
        corridors,
        fleets,
        reform_pools,
    };
    if let Some(d) = too_many_events(locator, &model, &raw) {
        return Err(Diagnostics(vec![d]));
    }
    let settings = header::settings(h);
    Ok(Scenario {
        model,
        settings,
        warnings: c.warnings,
    })
}

/// The refusal of a model whose replications would handle more than
/// [`MAX_EVENTS_PER_YEAR`] events a year, at the key of the flow or disruption that sends
/// the most.
fn too_many_events(locator: &Locator, model: &Model, raw: &RawFile) -> Option<Diagnostic> {
    let rate = model.event_rate();
    if rate.per_year <= MAX_EVENTS_PER_YEAR {
        return None;
    }
    let (kind, i, events) = rate.largest?;
    let (key, id, change) = match kind {
        "flow" => (
            "teu_per_year",
            &raw.flow.get(i)?.id,
            "lower teu_per_year or growth_per_year",
        ),
        _ => (
            "rate_per_year",
            &raw.disruption.get(i)?.id,
            "lower rate_per_year",
        ),
    };
    let path = [PathSeg::Key(kind), PathSeg::Index(i), PathSeg::Key(key)];
    Some(locator.error_at(
        &path,
        format!(
            "a replication would handle about {:.1e} events a year, {kind} \"{id}\" alone {events:.1e}; at most {MAX_EVENTS_PER_YEAR:e} are accepted, which keeps each simulated year within a few minutes: {change}",
            rate.per_year
        ),
    ))
}

/// The path of each key of one element of a table: `|key| [table, index, key]`.
type Keys<'a> = dyn Fn(&'static str) -> [PathSeg<'static>; 3] + 'a;

/// The network as checked so far: what flows are routed over and disruptions close.
struct Network<'a> {
    horizon_years: f64,
    nodes: &'a [Node],
    links: &'a [Link],
    ferries: &'a [Ferry],
    crossings: &'a [Crossing],
    /// Every segment and ferry line passed its checks and is in `links` and `ferries`.
    ways_whole: bool,
    /// The ids of segments, ferry lines and crossings that failed their checks (each
    /// reported there): a reference to one is neither unknown nor to be judged.
    failed: &'a HashSet<&'a str>,
}

/// The ids of the segments, ferry lines and crossings of `raw` that failed their checks,
/// and so are not among those built.
fn failed_ids<'r>(
    raw: &'r RawFile,
    links: &[Link],
    ferries: &[Ferry],
    crossings: &[Crossing],
) -> HashSet<&'r str> {
    let built: HashSet<&str> = (links.iter().map(|l| l.id.as_str()))
        .chain(ferries.iter().map(|f| f.id.as_str()))
        .chain(crossings.iter().map(|x| x.id.as_str()))
        .collect();
    (raw.rail.iter().map(|r| r.id.as_str()))
        .chain(raw.road.iter().map(|r| r.id.as_str()))
        .chain(raw.ferry.iter().map(|f| f.id.as_str()))
        .chain(raw.crossing.iter().map(|x| x.id.as_str()))
        .filter(|id| !built.contains(id))
        .collect()
}

/// Gathers the problems of a scenario, each located at the value it concerns: errors,
/// and warnings of values possible but implausible.
struct Checker<'a> {
    locator: &'a Locator<'a>,
    diags: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The node ids to suggest from, once a reference to an unknown node is met.
    node_ids: Option<Suggestions>,
}

/// The unit of [`MAX_HOURS`] in messages, with the years it makes (a test checks the
/// figure against the two constants).
const HOURS_UNIT: &str = " h (about 114 years)";

/// A bound as a message gives it: whole numbers below a million in full (36500), others in
/// e-notation (1e9).
fn bound_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e6 {
        format!("{x:.0}")
    } else {
        format!("{x:e}")
    }
}

impl Checker<'_> {
    /// Reports `message` at the value at `path`.
    fn err(&mut self, path: &[PathSeg], message: String) {
        self.diags.push(self.locator.error_at(path, message));
    }

    /// True when the document holds a value at `path` (written in a file, or left there
    /// by an overlay's `remove`).
    fn written(&self, path: &[PathSeg]) -> bool {
        self.locator.tree.walk(path).1
    }

    /// Warns with `message` at the value at `path`: possible, but implausible.
    fn warn(&mut self, path: &[PathSeg], message: String) {
        self.warnings
            .push(self.locator.error_at(path, message).warning());
    }

    /// Checks that `value` is finite, above (or at) `min` and at most [`MAX_NUMBER`];
    /// reports otherwise.
    fn number(
        &mut self,
        path: &[PathSeg],
        elem: &str,
        key: &str,
        value: f64,
        min: f64,
        inclusive: bool,
    ) -> bool {
        self.within(path, (elem, key), value, (min, inclusive), (MAX_NUMBER, ""))
    }

    /// Checks that `hours`, given as `key` of `elem`, is a number of hours from 0 (`0.0`
    /// itself only when `zero_ok`) to [`MAX_HOURS`]; reports at `path` otherwise, with that
    /// range in one message.
    fn hours(
        &mut self,
        path: &[PathSeg],
        elem: &str,
        key: &str,
        hours: f64,
        zero_ok: bool,
    ) -> bool {
        self.within(
            path,
            (elem, key),
            hours,
            (0.0, zero_ok),
            (MAX_HOURS, HOURS_UNIT),
        )
    }

    /// Checks that `value` (`key` of `elem`) is finite, above `min` (or at it when the
    /// flag says so) and at most `max`, said with its `unit`; reports otherwise.
    fn within(
        &mut self,
        path: &[PathSeg],
        (elem, key): (&str, &str),
        value: f64,
        (min, inclusive): (f64, bool),
        (max, unit): (f64, &str),
    ) -> bool {
        let above = if inclusive { value >= min } else { value > min };
        let ok = value.is_finite() && above && value <= max;
        if !ok {
            let op = if inclusive { ">=" } else { ">" };
            let max = bound_text(max);
            self.err(
                path,
                format!("{key} = {value} in {elem}: must be a number {op} {min} and at most {max}{unit}"),
            );
        }
        ok
    }

    /// Checks that `value`, given as `key` of `elem`, is a whole count from [`MIN_COUNT`]
    /// to `max` (servers, vessels, wagons); reports at `path` otherwise.
    fn count(
        &mut self,
        path: &[PathSeg],
        elem: &str,
        key: &str,
        value: i64,
        max: u32,
    ) -> Option<u32> {
        if (i64::from(MIN_COUNT)..=i64::from(max)).contains(&value) {
            return Some(value as u32);
        }
        self.err(
            path,
            format!("{key} = {value} in {elem}: must be an integer between {MIN_COUNT} and {max}"),
        );
        None
    }

    /// Checks that a duration derived from the scenario (`what`, in hours) is at most
    /// [`MAX_HOURS`]; reports at `path` otherwise.
    fn duration(&mut self, path: &[PathSeg], elem: &str, what: &str, hours: f64) -> bool {
        let ok = hours.is_finite() && hours <= MAX_HOURS;
        if !ok {
            let years = MAX_HOURS / crate::HOURS_PER_YEAR;
            self.err(
                path,
                format!("{elem}: {what} comes to {hours:e} h; at most {MAX_HOURS:e} h (about {years:.0} years) is accepted"),
            );
        }
        ok
    }

    /// Resolves a node reference, with a "did you mean" on a miss.
    fn node_ref(
        &mut self,
        path: &[PathSeg],
        elem: &str,
        key: &str,
        name: &str,
        nodes: &HashMap<&str, NodeIx>,
    ) -> Option<NodeIx> {
        if let Some(&ix) = nodes.get(name) {
            return Some(ix);
        }
        let mut msg = format!("unknown node \"{name}\" in {elem}.{key}");
        // Read once per scenario: a file may name thousands of unknown nodes.
        let ids = self.node_ids.get_or_insert_with(|| {
            let mut sorted: Vec<&str> = nodes.keys().copied().collect();
            sorted.sort_unstable();
            Suggestions::new(sorted.into_iter())
        });
        match ids.closest(name) {
            Some(s) => msg.push_str(&format!("; did you mean \"{s}\"?")),
            None if ids.is_empty() => msg.push_str("; the scenario has no [[node]]"),
            None => msg.push_str("; it must be the id of a [[node]]"),
        }
        self.err(path, msg);
        None
    }

    /// Checks that `id`, of an element of `kind`, is not empty and not in `seen`; records
    /// it there.
    fn unique_id(&mut self, seen: &mut HashSet<String>, kind: &str, id: &str, path: &[PathSeg]) {
        if id.trim().is_empty() {
            self.err(
                path,
                format!("id = \"{id}\" in a {kind}: an id must not be empty"),
            );
        } else if !seen.insert(id.to_string()) {
            self.err(
                path,
                format!("duplicate id \"{id}\": another {kind} already has it; ids are unique within each kind"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::limits::MAX_HORIZON_DAYS;
    use super::*;

    #[test]
    fn range_units_give_the_years_their_limits_make() {
        let years = MAX_HOURS / crate::HOURS_PER_YEAR;
        assert_eq!(HOURS_UNIT, format!(" h (about {years:.0} years)"));
        let years = MAX_HORIZON_DAYS / 365.0;
        assert_eq!(header::HORIZON_UNIT, format!(" days ({years:.0} years)"));
    }

    #[test]
    fn bounds_are_written_in_full_below_a_million_else_in_e_notation() {
        assert_eq!(bound_text(36_500.0), "36500");
        assert_eq!(bound_text(1e6), "1e6");
        assert_eq!(bound_text(1e9), "1e9");
    }
}
