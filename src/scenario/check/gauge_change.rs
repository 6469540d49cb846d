//! `[crossing.gauge_change]`: how a rail crossing changes the gauge of container trains
//! (cranes or bogie exchange), of other trains, and whether container trains are formed
//! anew after the transshipment.

use super::crossing::Side;
use super::Checker;
use crate::kernel::Duration;
use crate::model::{
    Cargo, Crossing, Flow, GaugeChange, GaugeMethod, Mode, NodeIx, OtherGaugeChange, Reform,
    ReformPool, Step,
};
use crate::scenario::limits::{MAX_GAUGE_CHANGE_SERVERS, MIN_COUNT};
use crate::scenario::raw::{RawGaugeChange, RawPerSide};
use crate::scenario::PathSeg;
use std::collections::HashSet;

/// The TEU on one wagon when a bogie exchange does not say (`teu_per_wagon`): two
/// twenty-foot containers or one forty-foot.
const DEFAULT_TEU_PER_WAGON: f64 = 2.0;

/// The `gauge_change` table of crossing number `i`, for the checks both methods share:
/// where its keys are, how messages name it, and the method it gives.
struct GaugeKeys<'a> {
    i: usize,
    elem: String,
    method: &'a str,
}

impl GaugeKeys<'_> {
    /// The path of `key` of this table.
    fn path(&self, key: &'static str) -> [PathSeg<'static>; 4] {
        [
            PathSeg::Key("crossing"),
            PathSeg::Index(self.i),
            PathSeg::Key("gauge_change"),
            PathSeg::Key(key),
        ]
    }

    /// Reports a key the method needs but is not given.
    fn missing(&self, c: &mut Checker, key: &str) {
        let (method, elem) = (self.method, &self.elem);
        c.err(
            &self.path("method"),
            format!("method = \"{method}\" in {elem}: needs `{key}`"),
        );
    }

    /// A count of cranes or tracks the method needs.
    fn count(&self, c: &mut Checker, key: &'static str, v: Option<i64>) -> Option<u32> {
        let elem = &self.elem;
        match v {
            None => {
                self.missing(c, key);
                None
            }
            Some(n) => c.count(&self.path(key), elem, key, n, MAX_GAUGE_CHANGE_SERVERS),
        }
    }

    /// A positive figure the method needs.
    fn figure(&self, c: &mut Checker, key: &'static str, v: Option<f64>) -> Option<f64> {
        match v {
            None => {
                self.missing(c, key);
                None
            }
            Some(x) => c
                .number(&self.path(key), &self.elem, key, x, 0.0, false)
                .then_some(x),
        }
    }

    /// Reports a key, when `present`, that belongs to the other method.
    fn refuse(&self, c: &mut Checker, key: &'static str, present: bool) {
        if present {
            let (method, elem) = (self.method, &self.elem);
            c.err(
                &self.path(key),
                format!("{key} in {elem}: not a parameter of method = \"{method}\""),
            );
        }
    }
}

/// Checks the `gauge_change` of crossing number `i` (named `crossing` in messages, and
/// at `side`).
pub(super) fn check_gauge_change(
    c: &mut Checker,
    i: usize,
    g: &RawGaugeChange,
    crossing: &str,
    side: &Side,
) -> Option<GaugeChange> {
    let keys = GaugeKeys {
        i,
        elem: format!("{crossing}.gauge_change"),
        method: &g.method,
    };
    let other = other_trains(c, &keys, g);
    let reform = reform(c, &keys, g, side);
    let containers = match g.method.as_str() {
        "transshipment" => transshipment(c, &keys, g),
        "bogie_exchange" => bogie_exchange(c, &keys, g),
        other => {
            let elem = &keys.elem;
            c.err(&keys.path("method"), format!("method = \"{other}\" in {elem}: accepted: \"transshipment\" (cranes, teu_per_crane_h) or \"bogie_exchange\" (tracks, wagon_h)"));
            None
        }
    };
    Some(GaugeChange {
        other: other?,
        reform: reform?,
        ..containers?
    })
}

/// The gauge change of trains that are not container trains (`other_tracks` and
/// `other_train_h`, given both or neither): `Some(None)` when not given.
fn other_trains(
    c: &mut Checker,
    keys: &GaugeKeys,
    g: &RawGaugeChange,
) -> Option<Option<OtherGaugeChange>> {
    let elem = &keys.elem;
    match (g.other_tracks, &g.other_train_h) {
        (None, None) => Some(None),
        (Some(_), None) => {
            c.err(&keys.path("other_tracks"), format!("other_tracks in {elem}: needs other_train_h, the hours one train that is not a container train takes to change gauge"));
            None
        }
        (None, Some(_)) => {
            c.err(&keys.path("other_train_h"), format!("other_train_h in {elem}: needs other_tracks, the number of such trains handled at once"));
            None
        }
        (Some(n), Some(d)) => {
            let servers = keys.count(c, "other_tracks", Some(n));
            let train_h = c.dist(&keys.path("other_train_h"), elem, "other_train_h", d);
            Some(Some(OtherGaugeChange {
                servers: servers?,
                train_h: train_h?,
            }))
        }
    }
}

/// `method = "transshipment"`: cranes lift the containers from one train to another.
fn transshipment(c: &mut Checker, keys: &GaugeKeys, g: &RawGaugeChange) -> Option<GaugeChange> {
    keys.refuse(c, "tracks", g.tracks.is_some());
    keys.refuse(c, "wagon_h", g.wagon_h.is_some());
    keys.refuse(c, "teu_per_wagon", g.teu_per_wagon.is_some());
    let cranes = keys.count(c, "cranes", g.cranes);
    let rate = keys.figure(c, "teu_per_crane_h", g.teu_per_crane_h);
    let cranes = cranes?;
    let per_train = match g.cranes_per_train {
        None => cranes,
        Some(k) if (i64::from(MIN_COUNT)..=i64::from(cranes)).contains(&k) => {
            let k = k as u32;
            if cranes % k != 0 {
                let (elem, used) = (&keys.elem, cranes / k * k);
                c.err(&keys.path("cranes"), format!(
                    "cranes = {cranes} in {elem}: not a multiple of cranes_per_train = {k}; {} trains are worked at once by {k} cranes each, so {} crane{} would stand idle and the crossing would work as with cranes = {used}; give a multiple of {k} (such as {used} or {}), or a cranes_per_train that divides {cranes}",
                    cranes / k, cranes - used, if cranes - used == 1 { "" } else { "s" }, used + k
                ));
                return None;
            }
            k
        }
        Some(k) => {
            let elem = &keys.elem;
            c.err(&keys.path("cranes_per_train"), format!("cranes_per_train = {k} in {elem}: must be between {MIN_COUNT} and cranes ({cranes})"));
            return None;
        }
    };
    let hours_per_teu = 1.0 / (f64::from(per_train) * rate?);
    c.duration(
        &keys.path("teu_per_crane_h"),
        &keys.elem,
        "the handling time of one TEU",
        hours_per_teu,
    )
    .then_some(GaugeChange {
        method: GaugeMethod::Transshipment,
        servers: cranes / per_train,
        hours_per_teu,
        other: None,
        reform: None,
    })
}

/// `method = "bogie_exchange"`: the wagons are lifted and their bogies changed, on
/// parallel tracks.
fn bogie_exchange(c: &mut Checker, keys: &GaugeKeys, g: &RawGaugeChange) -> Option<GaugeChange> {
    keys.refuse(c, "cranes", g.cranes.is_some());
    keys.refuse(c, "teu_per_crane_h", g.teu_per_crane_h.is_some());
    keys.refuse(c, "cranes_per_train", g.cranes_per_train.is_some());
    let tracks = keys.count(c, "tracks", g.tracks);
    let wagon_h = keys.figure(c, "wagon_h", g.wagon_h);
    let teu_per_wagon = match g.teu_per_wagon {
        None => Some(DEFAULT_TEU_PER_WAGON),
        Some(t) => c
            .number(
                &keys.path("teu_per_wagon"),
                &keys.elem,
                "teu_per_wagon",
                t,
                0.0,
                false,
            )
            .then_some(t),
    };
    let hours_per_teu = wagon_h? / teu_per_wagon?;
    let servers = tracks?;
    c.duration(
        &keys.path("wagon_h"),
        &keys.elem,
        "the handling time of one TEU",
        hours_per_teu,
    )
    .then_some(GaugeChange {
        method: GaugeMethod::BogieExchange,
        servers,
        hours_per_teu,
        other: None,
        reform: None,
    })
}

/// Train formation after the transshipment (`train_teu` and `max_form_h`, given both or
/// neither): `Some(None)` when not given.
fn reform(
    c: &mut Checker,
    keys: &GaugeKeys,
    g: &RawGaugeChange,
    side: &Side,
) -> Option<Option<Reform>> {
    let elem = &keys.elem;
    let (train_teu, max_form_h) = match (&g.train_teu, g.max_form_h) {
        (None, None) => return Some(None),
        (Some(_), None) => {
            c.err(&keys.path("train_teu"), format!("train_teu in {elem}: needs max_form_h, the longest a container waits for its train after the transshipment"));
            return None;
        }
        (None, Some(_)) => {
            c.err(&keys.path("max_form_h"), format!("max_form_h in {elem}: needs train_teu, the TEU of the trains formed after the transshipment"));
            return None;
        }
        (Some(t), Some(h)) => (t, h),
    };
    if keys.method != "transshipment" {
        let method = keys.method;
        c.err(&keys.path("train_teu"), format!("train_teu in {elem}: trains are formed anew only where cranes lift the containers onto another train (method = \"transshipment\"); with method = \"{method}\" a train keeps its wagons and its length"));
        return None;
    }
    let path = keys.path("max_form_h");
    let form_ok = c.hours(&path, elem, "max_form_h", max_form_h, false);
    let teu = reform_train_teu(c, keys, train_teu, side);
    let train_teu = teu?;
    form_ok.then(|| {
        Some(Reform {
            train_teu,
            max_form: Duration::from_hours(max_form_h),
        })
    })
}

/// The TEU of the trains formed after the transshipment: one figure for every side, or
/// one per node the trains come from (a neighbour of the crossing's node).
fn reform_train_teu(
    c: &mut Checker,
    keys: &GaugeKeys,
    t: &RawPerSide<f64>,
    side: &Side,
) -> Option<Vec<(Option<NodeIx>, f64)>> {
    let (elem, path) = (&keys.elem, keys.path("train_teu"));
    match t {
        RawPerSide::Shared(teu) => c
            .number(&path, elem, "train_teu", *teu, 0.0, false)
            .then(|| vec![(None, *teu)]),
        RawPerSide::PerSide(per) => {
            if per.is_empty() {
                c.err(&path, format!("train_teu = {{}} in {elem}: give the TEU of the trains formed, or the TEU per node the trains come from, such as {{ alashankou = 110, aktogay = 86 }}"));
                return None;
            }
            let (mut ok, mut seen, mut sides) = (true, HashSet::new(), Vec::new());
            for (name, teu) in per {
                let key = format!("train_teu.{name}");
                if !seen.insert(name.as_str()) {
                    c.err(&path, format!("{key} in {elem}: given twice"));
                    ok = false;
                }
                let from = side.rail_neighbour(c, (&path, &key), elem, name);
                let fine = c.number(&path, elem, &key, *teu, 0.0, false);
                match from {
                    Some(from) if fine => sides.push((Some(from), *teu)),
                    _ => ok = false,
                }
            }
            ok.then_some(sides)
        }
    }
}

/// Finds on every route of the container trains the crossings where they are formed anew
/// after the transshipment, and gives each (flow, route, crossing) a pool, listed in
/// `Route::reforms`.
pub(super) fn attach_reforms(flows: &mut [Flow], crossings: &[Crossing]) -> Vec<ReformPool> {
    let mut pools = Vec::new();
    for (fi, f) in flows.iter_mut().enumerate() {
        if f.mode != Mode::Rail || f.cargo != Cargo::Containers {
            continue;
        }
        for (ri, route) in f.routes.iter_mut().enumerate() {
            // The route's nodes are its origin and the far end of each segment or ferry.
            let (mut passed, mut leg) = (0usize, 0u32);
            for (si, step) in route.steps.iter().enumerate() {
                match *step {
                    Step::Link { .. } => passed += 1,
                    Step::Ferry { .. } => {
                        passed += 1;
                        leg += 1;
                    }
                    Step::Crossing {
                        crossing,
                        change_gauge: true,
                    } => {
                        leg += 1;
                        let reform = (crossings[crossing as usize].gauge_change.as_ref())
                            .and_then(|g| g.reform.as_ref());
                        let from = passed
                            .checked_sub(1)
                            .map_or(NodeIx::MAX, |p| route.nodes[p]);
                        if let Some(train_teu) = reform.and_then(|r| r.train_teu_from(from)) {
                            route.reforms.push((si as u32, pools.len() as u32));
                            pools.push(ReformPool {
                                flow: fi as u32,
                                route: ri as u8,
                                step: si as u32,
                                leg,
                                crossing,
                                train_teu,
                                max_form: reform.map_or(Duration::ZERO, |r| r.max_form),
                            });
                        }
                    }
                    Step::Crossing { .. } => {}
                }
            }
        }
    }
    pools
}
