//! `[[corridor]]`: groups of flows reported together (a route planners speak of, such as
//! the Middle Corridor), their transit weighted by TEU.

use super::Checker;
use crate::model::{Corridor, Flow, FlowIx};
use crate::scenario::diagnostic::hint;
use crate::scenario::raw::{RawCorridor, RawFlow};
use crate::scenario::PathSeg;
use std::collections::HashSet;

/// Checks every `[[corridor]]` against the flows (`flows` built, `raw_flows` as given);
/// returns the corridors.
pub(super) fn check_corridors(
    c: &mut Checker,
    raw: &[RawCorridor],
    flows: &[Flow],
    raw_flows: &[RawFlow],
) -> Vec<Corridor> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let p = |k| [PathSeg::Key("corridor"), PathSeg::Index(i), PathSeg::Key(k)];
        c.unique_id(&mut seen, "corridor", &r.id, &p("id"));
        let elem = format!("corridor \"{}\"", r.id);
        if r.flows.is_empty() {
            c.err(
                &p("flows"),
                format!("flows = [] in {elem}: a corridor needs at least one flow"),
            );
        }
        let mut members: Vec<FlowIx> = Vec::with_capacity(r.flows.len());
        for (k, id) in r.flows.iter().enumerate() {
            let at = [
                PathSeg::Key("corridor"),
                PathSeg::Index(i),
                PathSeg::Key("flows"),
                PathSeg::Index(k),
            ];
            match flows.iter().position(|f| f.id == *id) {
                Some(ix) if members.contains(&(ix as FlowIx)) => c.err(
                    &at,
                    format!("flow \"{id}\" is listed twice in {elem}.flows"),
                ),
                Some(ix) => members.push(ix as FlowIx),
                // A flow that failed its checks, reported there (or not routed, the network
                // having errors of its own).
                None if raw_flows.iter().any(|f| f.id == *id) => {}
                None => {
                    let hint = hint(id, flows.iter().map(|f| f.id.as_str()));
                    c.err(&at, format!("unknown flow \"{id}\" in {elem}.flows{hint}"));
                }
            }
        }
        out.push(Corridor {
            id: r.id.clone(),
            name: r.name.clone(),
            flows: members,
        });
    }
    out
}
