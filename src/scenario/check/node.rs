//! `[[node]]`: the places the network joins.

use super::Checker;
use crate::model::{Node, NodeIx};
use crate::scenario::limits::{MAX_LATITUDE_DEG, MAX_LONGITUDE_DEG};
use crate::scenario::raw::RawNode;
use crate::scenario::PathSeg;
use std::collections::{HashMap, HashSet};

/// Checks every `[[node]]`; returns the nodes and the index of each by its id.
pub(super) fn check_nodes<'r>(
    c: &mut Checker,
    raw: &'r [RawNode],
) -> (Vec<Node>, HashMap<&'r str, NodeIx>) {
    let mut seen = HashSet::new();
    let mut nodes = Vec::with_capacity(raw.len());
    for (i, n) in raw.iter().enumerate() {
        let p = |k| [PathSeg::Key("node"), PathSeg::Index(i), PathSeg::Key(k)];
        c.unique_id(&mut seen, "node", &n.id, &p("id"));
        let elem = format!("node \"{}\"", n.id);
        if let Some(lat) = n.lat {
            if !(lat.is_finite() && (-MAX_LATITUDE_DEG..=MAX_LATITUDE_DEG).contains(&lat)) {
                c.err(
                    &p("lat"),
                    format!("lat = {lat} in {elem}: must be between -{MAX_LATITUDE_DEG} and {MAX_LATITUDE_DEG} degrees"),
                );
            }
        }
        if let Some(lon) = n.lon {
            if !(lon.is_finite() && (-MAX_LONGITUDE_DEG..=MAX_LONGITUDE_DEG).contains(&lon)) {
                c.err(
                    &p("lon"),
                    format!("lon = {lon} in {elem}: must be between -{MAX_LONGITUDE_DEG} and {MAX_LONGITUDE_DEG} degrees"),
                );
            }
        }
        nodes.push(Node {
            id: n.id.clone(),
            kind: n.kind,
            name: n.name.clone(),
            country: n.country.clone(),
            lat: n.lat,
            lon: n.lon,
        });
    }
    let node_ix: HashMap<&str, NodeIx> = raw
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i as NodeIx))
        .collect();
    (nodes, node_ix)
}
