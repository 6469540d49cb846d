//! How summaries are written in the results JSON: an element's `id` (and `name`, where
//! given), its figures in the order of their list in [`figures`] with groups such as
//! `wait_h` nested, and what follows them (a flow's routes, a corridor's flows come first).

use super::figures::{self, Figure};
use super::{
    CorridorSummary, CrossingSummary, FerrySummary, FleetSummary, FlowSummary, LinkSummary,
    NetworkSummary,
};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// What a summary's JSON object holds besides its figures.
trait Extras {
    /// Keys before the figures: the id, the name, a corridor's flows.
    fn before<M: SerializeMap>(&self, _map: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
    /// Keys after the figures: a flow's routes.
    fn after<M: SerializeMap>(&self, _map: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
}

/// Writes `summary` as one JSON object: its extras around its figures.
fn write<Z: Serializer, O, S: Extras>(
    z: Z,
    figures: &[Figure<O, S>],
    summary: &S,
) -> Result<Z::Ok, Z::Error> {
    let mut map = z.serialize_map(None)?;
    summary.before(&mut map)?;
    figures::serialize_figures(&mut map, figures, summary)?;
    summary.after(&mut map)?;
    map.end()
}

/// Serialize for a summary written by [`write`] with its figure list.
macro_rules! serialize_with {
    ($summary:ty, $figures:expr) => {
        impl Serialize for $summary {
            fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                write(z, $figures, self)
            }
        }
    };
}

serialize_with!(NetworkSummary, figures::NETWORK);
serialize_with!(FlowSummary, figures::FLOW);
serialize_with!(CrossingSummary, figures::CROSSING);
serialize_with!(LinkSummary, figures::LINK);
serialize_with!(FerrySummary, figures::FERRY);
serialize_with!(CorridorSummary, figures::CORRIDOR);
serialize_with!(FleetSummary, figures::FLEET);

impl Extras for FleetSummary {
    fn before<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("id", &self.id)
    }
    fn after<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("idle_at", &self.idle_at)
    }
}

impl Extras for NetworkSummary {
    fn after<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("demand_teu_per_year", &self.demand_teu_per_year)
    }
}

impl Extras for FlowSummary {
    fn before<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("id", &self.id)
    }
    fn after<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let cargo = if self.other_cargo {
            "other"
        } else {
            "containers"
        };
        map.serialize_entry("cargo", cargo)?;
        map.serialize_entry("demand_teu_per_year", &self.demand_teu_per_year)?;
        map.serialize_entry("routes", &self.routes)?;
        map.serialize_entry("overloaded", &self.overloaded)
    }
}

impl Extras for CrossingSummary {
    fn before<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("id", &self.id)?;
        if let Some(name) = &self.name {
            map.serialize_entry("name", name)?;
        }
        Ok(())
    }
}

impl Extras for LinkSummary {
    fn before<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("id", &self.id)
    }
}

impl Extras for FerrySummary {
    fn before<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("id", &self.id)
    }
}

impl Extras for CorridorSummary {
    fn before<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("id", &self.id)?;
        if let Some(name) = &self.name {
            map.serialize_entry("name", name)?;
        }
        map.serialize_entry("flows", &self.flows)
    }
}
