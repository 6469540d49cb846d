//! Semantic checks of a parsed scenario, and the building of the [`Model`] from it.
//!
//! Messages follow one pattern: the key and the value, the element they belong to, what is
//! wrong and what would be accepted, e.g.
//! `unknown node "dostik" in rail "dostyk-moyynty".to; did you mean "dostyk"?` or
//! `servers = 0 in crossing "dostyk".stage[1]: must be an integer >= 1`.

use super::diagnostic::{did_you_mean, hint, Diagnostic, Diagnostics};
use super::limits::{
    MAX_BLOCKS, MAX_GAUGE_CHANGE_SERVERS, MAX_GAUGE_MM, MAX_GROWTH_PER_YEAR, MAX_HORIZON_DAYS,
    MAX_HOURS, MAX_K_PATHS, MAX_LATITUDE_DEG, MAX_LONGITUDE_DEG, MAX_NUMBER, MAX_PROBABILITY,
    MAX_REPLICATIONS, MAX_STAGE_SERVERS, MAX_STORM_DAYS_PER_YEAR, MAX_UNIT_TEU,
    MAX_VEHICLES_PER_YEAR, MAX_VESSELS, MAX_YEAR, MIN_COUNT, MIN_GAUGE_MM, MIN_GROWTH_PER_YEAR,
    MIN_K_PATHS, MIN_MEASURED_HOURS, MIN_PROBABILITY, MIN_REPLICATIONS, MIN_UNIT_TEU,
    MIN_VEHICLES_PER_YEAR, MIN_YEAR,
};
use super::raw::{
    RawCrossing, RawDisruption, RawDist, RawDistTable, RawFerry, RawFile, RawFlow, RawGaugeChange,
    RawRail, RawRoad, RawStage, RawWarmup,
};
use super::routing::{Edge, RouteError, RouteGraph};
use super::{Locator, PathSeg, Scenario, Settings, Warmup};
use crate::kernel::{Duration, SimTime};
use crate::model::{
    grown, Crossing, Departure, Disruption, DisruptionTarget, DisruptionTiming, Ferry, Flow,
    GaugeChange, GaugeMethod, Layout, Link, Mode, Model, Node, NodeIx, NodeKind, Route, Stage,
    Step, Weather,
};
use crate::policy::calendar::{parse_window, Calendar, WEEKDAYS};
use crate::random::{Dist, DistSpec};
use std::collections::{HashMap, HashSet};

struct Checker<'a> {
    locator: &'a Locator<'a>,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn err(&mut self, path: &[PathSeg], message: String) {
        self.diags.push(self.locator.error_at(path, message));
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
        let above = if inclusive { value >= min } else { value > min };
        let ok = value.is_finite() && above && value <= MAX_NUMBER;
        if !ok {
            let op = if inclusive { ">=" } else { ">" };
            self.err(
                path,
                format!("{key} = {value} in {elem}: must be a number {op} {min} and at most {MAX_NUMBER:e}"),
            );
        }
        ok
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
        let mut sorted: Vec<&str> = nodes.keys().copied().collect();
        sorted.sort_unstable();
        match did_you_mean(name, sorted.iter().copied()) {
            Some(s) => msg.push_str(&format!("; did you mean \"{s}\"?")),
            None if sorted.is_empty() => msg.push_str("; the scenario has no [[node]]"),
            None => msg.push_str("; it must be the id of a [[node]]"),
        }
        self.err(path, msg);
        None
    }

    /// Checks what rail and road segments share: a unique id, two known and different
    /// ends, a length and a speed giving a running time in range. Returns the ends and
    /// whether length and speed are usable.
    fn segment<'p>(
        &mut self,
        p: &dyn Fn(&'static str) -> [PathSeg<'p>; 3],
        elem: &str,
        s: &SegmentInput,
        seen: &mut HashSet<String>,
        node_ix: &HashMap<&str, NodeIx>,
    ) -> (Option<NodeIx>, Option<NodeIx>, bool, bool) {
        self.unique_id(seen, "rail or road segment", s.id, &p("id"));
        let from = self.node_ref(&p("from"), elem, "from", s.from, node_ix);
        let to = self.node_ref(&p("to"), elem, "to", s.to, node_ix);
        if s.from == s.to {
            self.err(
                &p("to"),
                format!(
                    "to = \"{}\" in {elem}: a segment must join two different nodes",
                    s.to
                ),
            );
        }
        let len_ok = self.number(&p("length_km"), elem, "length_km", s.length_km, 0.0, true);
        let mut speed_ok = self.number(&p("speed_kmh"), elem, "speed_kmh", s.speed_kmh, 0.0, false);
        if len_ok && speed_ok {
            speed_ok = self.duration(
                &p("speed_kmh"),
                elem,
                "the running time length_km / speed_kmh",
                s.length_km / s.speed_kmh,
            );
        }
        (from, to, len_ok, speed_ok)
    }

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

    fn dist(&mut self, path: &[PathSeg], elem: &str, key: &str, raw: &RawDist) -> Option<Dist> {
        let spec = match raw {
            RawDist::Const(v) => DistSpec::Const(*v),
            RawDist::Table(t) => match dist_spec(t) {
                Ok(s) => s,
                Err(e) => {
                    self.err(path, format!("{key} in {elem}: {e}"));
                    return None;
                }
            },
        };
        match Dist::new(&spec) {
            Ok(d) => Some(d),
            Err(e) => {
                let shown = match raw {
                    RawDist::Const(v) => format!("{key} = {v}"),
                    RawDist::Table(t) => format!("{key} (dist = \"{}\")", t.dist),
                };
                self.err(path, format!("{shown} in {elem}: {e}"));
                None
            }
        }
    }
}

/// The distribution names a table form may give in `dist`.
const DIST_NAMES: [&str; 7] = [
    "const",
    "exp",
    "uniform",
    "tri",
    "lognormal",
    "gamma",
    "empirical",
];

/// Why the table form of a distribution does not name one with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum DistTableError {
    /// `dist` names no distribution; `hint` is a "did you mean" or empty.
    #[error("dist = \"{name}\" is not a distribution; accepted: \"const\", \"exp\", \"uniform\", \"tri\", \"lognormal\", \"gamma\", \"empirical\"{hint}")]
    UnknownDist { name: String, hint: String },
    /// A parameter the distribution takes is not given.
    #[error("dist = \"{dist}\" needs `{param}` (it takes {})", .takes.join(", "))]
    MissingParam {
        dist: String,
        param: &'static str,
        takes: &'static [&'static str],
    },
    /// A parameter is given that the distribution does not take.
    #[error("`{param}` is not a parameter of dist = \"{dist}\" (it takes {})", .takes.join(", "))]
    ExtraParam {
        dist: String,
        param: &'static str,
        takes: &'static [&'static str],
    },
}

/// Turns the table form of a distribution into its parameters, checking that exactly the
/// parameters of the named distribution are given.
fn dist_spec(t: &RawDistTable) -> Result<DistSpec, DistTableError> {
    let given: [(&'static str, bool); 7] = [
        ("value", t.value.is_some()),
        ("mean", t.mean.is_some()),
        ("sd", t.sd.is_some()),
        ("min", t.min.is_some()),
        ("mode", t.mode.is_some()),
        ("max", t.max.is_some()),
        ("values", t.values.is_some()),
    ];
    let takes: &'static [&'static str] = match t.dist.as_str() {
        "const" => &["value"],
        "exp" => &["mean"],
        "uniform" => &["min", "max"],
        "tri" => &["min", "mode", "max"],
        "lognormal" | "gamma" => &["mean", "sd"],
        "empirical" => &["values"],
        other => {
            return Err(DistTableError::UnknownDist {
                name: other.to_string(),
                hint: hint(other, DIST_NAMES.iter().copied()),
            });
        }
    };
    for (param, present) in given {
        let needed = takes.contains(&param);
        if needed && !present {
            return Err(DistTableError::MissingParam {
                dist: t.dist.clone(),
                param,
                takes,
            });
        }
        if !needed && present {
            return Err(DistTableError::ExtraParam {
                dist: t.dist.clone(),
                param,
                takes,
            });
        }
    }
    let g = |o: Option<f64>| o.unwrap_or(0.0);
    Ok(match t.dist.as_str() {
        "const" => DistSpec::Const(g(t.value)),
        "exp" => DistSpec::Exp { mean: g(t.mean) },
        "uniform" => DistSpec::Uniform {
            min: g(t.min),
            max: g(t.max),
        },
        "tri" => DistSpec::Tri {
            min: g(t.min),
            mode: g(t.mode),
            max: g(t.max),
        },
        "lognormal" => DistSpec::LogNormal {
            mean: g(t.mean),
            sd: g(t.sd),
        },
        "gamma" => DistSpec::Gamma {
            mean: g(t.mean),
            sd: g(t.sd),
        },
        _ => DistSpec::Empirical {
            values: t.values.clone().unwrap_or_default(),
        },
    })
}

/// Runs every check; returns the model or every problem found.
pub(super) fn check(locator: &Locator, raw: RawFile) -> Result<Scenario, Diagnostics> {
    let mut c = Checker {
        locator,
        diags: Vec::new(),
    };

    // [scenario]
    let h = &raw.scenario;
    let (warmup_days, warmup_auto) = match h.warmup_days {
        RawWarmup::Days(d) => (d, false),
        RawWarmup::Auto => (0.0, true),
    };
    let hp = |k| [PathSeg::Key("scenario"), PathSeg::Key(k)];
    if c.number(
        &hp("horizon_days"),
        "[scenario]",
        "horizon_days",
        h.horizon_days,
        0.0,
        false,
    ) && h.horizon_days > MAX_HORIZON_DAYS
    {
        c.err(
            &hp("horizon_days"),
            format!(
                "horizon_days = {} in [scenario]: at most {MAX_HORIZON_DAYS} days ({:.0} years) are accepted",
                h.horizon_days,
                MAX_HORIZON_DAYS / 365.0
            ),
        );
    }
    if c.number(
        &hp("warmup_days"),
        "[scenario]",
        "warmup_days",
        warmup_days,
        0.0,
        true,
    ) && warmup_days >= h.horizon_days
    {
        c.err(
            &hp("warmup_days"),
            format!(
                "warmup_days = {} in [scenario]: must be shorter than horizon_days ({})",
                warmup_days, h.horizon_days
            ),
        );
    }
    if !(i64::from(MIN_REPLICATIONS)..=i64::from(MAX_REPLICATIONS)).contains(&h.replications) {
        c.err(
            &hp("replications"),
            format!(
                "replications = {} in [scenario]: must be an integer from {MIN_REPLICATIONS} to {MAX_REPLICATIONS}",
                h.replications
            ),
        );
    }
    if !(i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&h.start_year) {
        c.err(
            &hp("start_year"),
            format!(
                "start_year = {} in [scenario]: must be a year between {MIN_YEAR} and {MAX_YEAR}",
                h.start_year
            ),
        );
    }
    let window_h = (h.horizon_days - warmup_days) * 24.0;
    if h.horizon_days.is_finite()
        && warmup_days.is_finite()
        && (0.0..MIN_MEASURED_HOURS).contains(&window_h)
    {
        c.err(
            &hp("horizon_days"),
            format!(
                "horizon_days = {} in [scenario]: leaves {window_h:.3} h to measure after warmup_days = {}; at least {MIN_MEASURED_HOURS} hour is needed",
                h.horizon_days, warmup_days
            ),
        );
    }

    // [[node]]
    let mut seen = HashSet::new();
    let mut nodes = Vec::with_capacity(raw.node.len());
    for (i, n) in raw.node.iter().enumerate() {
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
        .node
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i as NodeIx))
        .collect();

    // [[rail]] and [[road]]: one id space.
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for (i, r) in raw.rail.iter().enumerate() {
        links.extend(check_rail(&mut c, i, r, &mut seen, &node_ix));
    }
    for (i, r) in raw.road.iter().enumerate() {
        links.extend(check_road(&mut c, i, r, &mut seen, &node_ix));
    }

    // [[crossing]]
    let mut seen = HashSet::new();
    let mut at_node: HashMap<(NodeIx, Mode), usize> = HashMap::new();
    let mut crossings = Vec::new();
    for (i, x) in raw.crossing.iter().enumerate() {
        if let Some(built) = check_crossing(
            &mut c,
            i,
            x,
            &mut seen,
            &node_ix,
            &mut at_node,
            h.start_year as i32,
        ) {
            crossings.push(built);
        }
    }

    // [[ferry]]
    let mut seen = HashSet::new();
    let mut ferries = Vec::new();
    for (i, f) in raw.ferry.iter().enumerate() {
        if let Some(built) = check_ferry(&mut c, i, f, &mut seen, &node_ix, &nodes) {
            ferries.push(built);
        }
    }

    // [[flow]]: checked once the network is known to be sound, so that routing sees it whole.
    let network_ok = c.diags.is_empty();
    let net = Network {
        horizon_years: h.horizon_days / 365.0,
        nodes: &nodes,
        links: &links,
        ferries: &ferries,
        crossings: &crossings,
    };
    let mut seen = HashSet::new();
    let mut flows = Vec::new();
    for (i, f) in raw.flow.iter().enumerate() {
        if let Some(built) = check_flow(&mut c, i, f, &mut seen, &node_ix, &net, network_ok) {
            flows.push(built);
        }
    }
    if raw.flow.is_empty() {
        c.err(
            &[PathSeg::Key("scenario")],
            "the scenario has no [[flow]]: nothing would move; add at least one flow".into(),
        );
    }

    // [[disruption]]
    let mut seen = HashSet::new();
    let mut disruptions = Vec::new();
    for (i, d) in raw.disruption.iter().enumerate() {
        if let Some(built) = check_disruption(&mut c, i, d, &mut seen, &net, h.horizon_days) {
            disruptions.push(built);
        }
    }

    if !c.diags.is_empty() {
        return Err(Diagnostics(c.diags));
    }
    let model = Model {
        name: h.name.clone(),
        start_year: h.start_year as i32,
        horizon: SimTime::from_hours(h.horizon_days * 24.0),
        nodes,
        links,
        crossings,
        ferries,
        disruptions,
        flows,
    };
    let settings = Settings {
        seed: h.seed,
        replications: h.replications as u32,
        warmup: if warmup_auto {
            Warmup::Auto
        } else {
            Warmup::Fixed(SimTime::from_hours(warmup_days * 24.0))
        },
    };
    Ok(Scenario { model, settings })
}

/// The keys rail and road segments share.
struct SegmentInput<'a> {
    id: &'a str,
    from: &'a str,
    to: &'a str,
    length_km: f64,
    speed_kmh: f64,
}

impl SegmentInput<'_> {
    /// The segment these keys describe, once checked, between nodes `from` and `to`.
    fn link(
        &self,
        mode: Mode,
        from: NodeIx,
        to: NodeIx,
        gauge_mm: Option<u32>,
        layout: Layout,
    ) -> Link {
        Link {
            id: self.id.to_string(),
            mode,
            from,
            to,
            length_km: self.length_km,
            speed_kmh: self.speed_kmh,
            run_time: Duration::from_hours(self.length_km / self.speed_kmh),
            gauge_mm,
            layout,
        }
    }
}

/// Checks `[[rail]]` number `i` and builds its segment.
fn check_rail(
    c: &mut Checker,
    i: usize,
    r: &RawRail,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
) -> Option<Link> {
    let p = |k| [PathSeg::Key("rail"), PathSeg::Index(i), PathSeg::Key(k)];
    let elem = format!("rail \"{}\"", r.id);
    let ends = SegmentInput {
        id: &r.id,
        from: &r.from,
        to: &r.to,
        length_km: r.length_km,
        speed_kmh: r.speed_kmh,
    };
    let (from, to, len_ok, speed_ok) = c.segment(&p, &elem, &ends, seen, node_ix);
    if r.headway_min.is_finite() {
        c.duration(
            &p("headway_min"),
            &elem,
            "the headway",
            r.headway_min / 60.0,
        );
    }
    if !(i64::from(MIN_GAUGE_MM)..=i64::from(MAX_GAUGE_MM)).contains(&r.gauge_mm) {
        c.err(
            &p("gauge_mm"),
            format!(
                "gauge_mm = {} in {elem}: must be a track gauge in mm, such as 1435 or 1520",
                r.gauge_mm
            ),
        );
    }
    let headway = Duration::from_hours(r.headway_min / 60.0);
    let layout = match r.tracks {
        2 => {
            if r.loop_spacing_km.is_some() {
                c.err(
                    &p("loop_spacing_km"),
                    format!("loop_spacing_km in {elem}: passing loops belong to single track (tracks = 1); this segment has tracks = 2"),
                );
            }
            c.number(
                &p("headway_min"),
                &elem,
                "headway_min",
                r.headway_min,
                0.0,
                false,
            );
            Some(Layout::DoubleTrack { headway })
        }
        1 => {
            c.number(
                &p("headway_min"),
                &elem,
                "headway_min",
                r.headway_min,
                0.0,
                true,
            );
            let stretches = match r.loop_spacing_km {
                None => Some(1.0),
                Some(s) => {
                    let spacing_ok = c.number(
                        &p("loop_spacing_km"),
                        &elem,
                        "loop_spacing_km",
                        s,
                        0.0,
                        false,
                    );
                    (spacing_ok && len_ok).then(|| (r.length_km / s).ceil().max(1.0))
                }
            };
            match stretches {
                Some(n) if n > MAX_BLOCKS => {
                    c.err(
                        &p("loop_spacing_km"),
                        format!("loop_spacing_km = {} in {elem}: gives {n} blocks; at most {MAX_BLOCKS} are accepted", r.loop_spacing_km.unwrap_or(0.0)),
                    );
                    None
                }
                Some(n) if len_ok && speed_ok => Some(Layout::SingleTrack {
                    stretches: n as u32,
                    stretch_time: Duration::from_hours(r.length_km / n / r.speed_kmh),
                    headway,
                }),
                _ => None,
            }
        }
        t => {
            c.err(&p("tracks"), format!("tracks = {t} in {elem}: accepted: 1 (single track with passing loops) or 2 (double track)"));
            None
        }
    };
    let (Some(from), Some(to), Some(layout), true, true) = (from, to, layout, len_ok, speed_ok)
    else {
        return None;
    };
    Some(ends.link(Mode::Rail, from, to, Some(r.gauge_mm as u32), layout))
}

/// Checks `[[road]]` number `i` and builds its segment.
fn check_road(
    c: &mut Checker,
    i: usize,
    r: &RawRoad,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
) -> Option<Link> {
    let p = |k| [PathSeg::Key("road"), PathSeg::Index(i), PathSeg::Key(k)];
    let elem = format!("road \"{}\"", r.id);
    let ends = SegmentInput {
        id: &r.id,
        from: &r.from,
        to: &r.to,
        length_km: r.length_km,
        speed_kmh: r.speed_kmh,
    };
    let (from, to, len_ok, speed_ok) = c.segment(&p, &elem, &ends, seen, node_ix);
    let mut cap_ok = true;
    if let Some(cap) = r.capacity_trucks_per_h {
        cap_ok = c.number(
            &p("capacity_trucks_per_h"),
            &elem,
            "capacity_trucks_per_h",
            cap,
            0.0,
            false,
        ) && c.duration(
            &p("capacity_trucks_per_h"),
            &elem,
            "the spacing 1 / capacity_trucks_per_h",
            1.0 / cap,
        );
    }
    let (Some(from), Some(to), true, true, true) = (from, to, len_ok, speed_ok, cap_ok) else {
        return None;
    };
    let spacing = r
        .capacity_trucks_per_h
        .map(|cap| Duration::from_hours(1.0 / cap));
    Some(ends.link(Mode::Road, from, to, None, Layout::Road { spacing }))
}

fn check_disruption(
    c: &mut Checker,
    i: usize,
    d: &RawDisruption,
    seen: &mut HashSet<String>,
    t: &Network,
    horizon_days: f64,
) -> Option<Disruption> {
    let p = |k: &'static str| {
        [
            PathSeg::Key("disruption"),
            PathSeg::Index(i),
            PathSeg::Key(k),
        ]
    };
    c.unique_id(seen, "disruption", &d.id, &p("id"));
    let elem = format!("disruption \"{}\"", d.id);
    // `kind:id` or a plain id that names exactly one element.
    let (kind, id) = match d.target.split_once(':') {
        Some((k, id)) => (Some(k), id),
        None => (None, d.target.as_str()),
    };
    let mut found: Vec<(&str, DisruptionTarget)> = Vec::new();
    let wants = |k: &str| {
        kind.is_none_or(|want| want == k || (want == "segment" && (k == "rail" || k == "road")))
    };
    for (ix, l) in t.links.iter().enumerate() {
        let k = l.mode.as_str();
        if l.id == id && wants(k) {
            found.push((k, DisruptionTarget::Link(ix as u32)));
        }
    }
    for (ix, x) in t.crossings.iter().enumerate() {
        if x.id == id && wants("crossing") {
            found.push(("crossing", DisruptionTarget::Crossing(ix as u32)));
        }
    }
    for (ix, f) in t.ferries.iter().enumerate() {
        if f.id == id && wants("ferry") {
            found.push(("ferry", DisruptionTarget::Ferry(ix as u32)));
        }
    }
    for (ix, n) in t.nodes.iter().enumerate() {
        if n.id == id && n.kind == NodeKind::Port && wants("port") {
            found.push(("port", DisruptionTarget::Port(ix as u32)));
        }
    }
    let known_kind =
        kind.is_none_or(|k| ["rail", "road", "segment", "crossing", "ferry", "port"].contains(&k));
    let target = match (found.len(), known_kind) {
        (_, false) => {
            c.err(&p("target"), format!("target = \"{}\" in {elem}: \"{}\" is not a kind that can close; accepted: segment (or rail, road), crossing, ferry, port", d.target, kind.unwrap_or("")));
            None
        }
        (1, true) => Some(found[0].1),
        (0, true) => {
            let all = t
                .links
                .iter()
                .map(|l| l.id.as_str())
                .chain(t.crossings.iter().map(|x| x.id.as_str()))
                .chain(t.ferries.iter().map(|f| f.id.as_str()))
                .chain(
                    t.nodes
                        .iter()
                        .filter(|n| n.kind == NodeKind::Port)
                        .map(|n| n.id.as_str()),
                );
            let hint = hint(id, all);
            c.err(&p("target"), format!("target = \"{}\" in {elem}: no segment, crossing, ferry or port has that id{hint}", d.target));
            None
        }
        (_, true) => {
            let kinds: Vec<String> = found.iter().map(|(k, _)| format!("\"{k}:{id}\"")).collect();
            c.err(
                &p("target"),
                format!(
                    "target = \"{}\" in {elem}: several elements have that id; say which: {}",
                    d.target,
                    kinds.join(" or ")
                ),
            );
            None
        }
    };
    let timing = match (d.start_day, d.end_day, d.rate_per_year, &d.duration_h) {
        (Some(a), Some(b), None, None) => {
            let ok = c.number(&p("start_day"), &elem, "start_day", a, 0.0, true)
                & c.number(&p("end_day"), &elem, "end_day", b, 0.0, false);
            if ok && b <= a {
                c.err(
                    &p("end_day"),
                    format!("end_day = {b} in {elem}: must be after start_day ({a})"),
                );
                None
            } else if ok && a >= horizon_days {
                c.err(&p("start_day"), format!("start_day = {a} in {elem}: the horizon ends on day {horizon_days}, so this closure would never happen"));
                None
            } else {
                ok.then(|| DisruptionTiming::Window {
                    start: SimTime::from_hours(a * 24.0),
                    end: SimTime::from_hours(b * 24.0),
                })
            }
        }
        (None, None, Some(rate), Some(dur)) => {
            let ok = c.number(
                &p("rate_per_year"),
                &elem,
                "rate_per_year",
                rate,
                0.0,
                false,
            ) && c.duration(
                &p("rate_per_year"),
                &elem,
                "the mean time between closures",
                crate::HOURS_PER_YEAR / rate,
            );
            let duration = c.dist(&p("duration_h"), &elem, "duration_h", dur);
            match (ok, duration) {
                (true, Some(duration)) => Some(DisruptionTiming::Random {
                    mean_gap: Duration::from_hours(crate::HOURS_PER_YEAR / rate),
                    duration,
                }),
                _ => None,
            }
        }
        _ => {
            c.err(&p("id"), format!("{elem}: give either start_day and end_day (a scheduled closure) or rate_per_year and duration_h (closures at random), not a mix"));
            None
        }
    };
    Some(Disruption {
        id: d.id.clone(),
        target: target?,
        timing: timing?,
    })
}

/// The network as checked so far: what flows are routed over and disruptions close.
struct Network<'a> {
    horizon_years: f64,
    nodes: &'a [Node],
    links: &'a [Link],
    ferries: &'a [Ferry],
    crossings: &'a [Crossing],
}

fn check_ferry(
    c: &mut Checker,
    i: usize,
    f: &RawFerry,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
    nodes: &[Node],
) -> Option<Ferry> {
    let p = |k: &'static str| [PathSeg::Key("ferry"), PathSeg::Index(i), PathSeg::Key(k)];
    c.unique_id(seen, "ferry", &f.id, &p("id"));
    let elem = format!("ferry \"{}\"", f.id);
    let mut ports = [None, None];
    for (k, (key, name)) in [("from", &f.from), ("to", &f.to)].into_iter().enumerate() {
        ports[k] = c.node_ref(&p(key), &elem, key, name, node_ix);
        if let Some(n) = ports[k] {
            if nodes[n as usize].kind != NodeKind::Port {
                c.err(&p(key), format!("{key} = \"{name}\" in {elem}: a ferry sails between nodes of kind = \"port\"; this node is not a port"));
                ports[k] = None;
            }
        }
    }
    if f.from == f.to {
        c.err(
            &p("to"),
            format!(
                "to = \"{}\" in {elem}: a ferry line joins two different ports",
                f.to
            ),
        );
    }
    let mut ok = true;
    if !(i64::from(MIN_COUNT)..=i64::from(MAX_VESSELS)).contains(&f.vessels) {
        c.err(
            &p("vessels"),
            format!(
                "vessels = {} in {elem}: must be an integer between {MIN_COUNT} and {MAX_VESSELS}",
                f.vessels
            ),
        );
        ok = false;
    }
    ok &= c.number(
        &p("capacity_teu"),
        &elem,
        "capacity_teu",
        f.capacity_teu,
        0.0,
        false,
    );
    ok &= c.number(&p("load_h"), &elem, "load_h", f.load_h, 0.0, true)
        && c.duration(&p("load_h"), &elem, "load_h", f.load_h);
    ok &= c.number(&p("sail_h"), &elem, "sail_h", f.sail_h, 0.0, false)
        && c.duration(&p("sail_h"), &elem, "sail_h", f.sail_h);
    let departure = match f.depart.as_str() {
        "when_full" => {
            if f.every_h.is_some() {
                c.err(&p("every_h"), format!("every_h in {elem}: only for depart = \"schedule\"; this line sails when full"));
                ok = false;
            }
            let max_wait = match f.max_wait_h {
                Some(h) => {
                    ok &= c.number(&p("max_wait_h"), &elem, "max_wait_h", h, 0.0, false)
                        && c.duration(&p("max_wait_h"), &elem, "max_wait_h", h);
                    Some(Duration::from_hours(h))
                }
                None => None,
            };
            Some(Departure::WhenFull { max_wait })
        }
        "schedule" => {
            if f.max_wait_h.is_some() {
                c.err(
                    &p("max_wait_h"),
                    format!("max_wait_h in {elem}: only for depart = \"when_full\""),
                );
                ok = false;
            }
            match f.every_h {
                None => {
                    c.err(&p("depart"), format!("depart = \"schedule\" in {elem}: needs every_h, the hours between sailings from each port"));
                    None
                }
                Some(h) => (c.number(&p("every_h"), &elem, "every_h", h, 0.0, false)
                    && c.duration(&p("every_h"), &elem, "every_h", h))
                .then(|| Departure::Schedule {
                    every: Duration::from_hours(h),
                }),
            }
        }
        other => {
            c.err(&p("depart"), format!("depart = \"{other}\" in {elem}: accepted: \"when_full\" or \"schedule\" (with every_h)"));
            None
        }
    };
    if let Some(y) = f.port_yard_capacity_teu {
        ok &= c.number(
            &p("port_yard_capacity_teu"),
            &elem,
            "port_yard_capacity_teu",
            y,
            0.0,
            false,
        );
    }
    let weather = match &f.weather {
        None => Some(None),
        Some(w) => {
            let wp = |k: &'static str| {
                [
                    PathSeg::Key("ferry"),
                    PathSeg::Index(i),
                    PathSeg::Key("weather"),
                    PathSeg::Key(k),
                ]
            };
            let welem = format!("{elem}.weather");
            let mut wok =
                c.number(
                    &wp("mean_storm_h"),
                    &welem,
                    "mean_storm_h",
                    w.mean_storm_h,
                    0.0,
                    false,
                ) && c.duration(&wp("mean_storm_h"), &welem, "mean_storm_h", w.mean_storm_h);
            if !(w.storm_days_per_year.is_finite()
                && (0.0..MAX_STORM_DAYS_PER_YEAR).contains(&w.storm_days_per_year))
            {
                c.err(
                    &wp("storm_days_per_year"),
                    format!(
                        "storm_days_per_year = {} in {welem}: must be at least 0 and below {MAX_STORM_DAYS_PER_YEAR}",
                        w.storm_days_per_year
                    ),
                );
                wok = false;
            }
            wok.then(|| {
                (w.storm_days_per_year > 0.0).then(|| Weather {
                    storm_days_per_year: w.storm_days_per_year,
                    mean_storm: Duration::from_hours(w.mean_storm_h),
                })
            })
        }
    };
    let (Some(a), Some(b)) = (ports[0], ports[1]) else {
        return None;
    };
    if !ok || f.from == f.to {
        return None;
    }
    Some(Ferry {
        id: f.id.clone(),
        ports: [a, b],
        vessels: f.vessels as u32,
        capacity_teu: f.capacity_teu,
        load: Duration::from_hours(f.load_h),
        sail: Duration::from_hours(f.sail_h),
        departure: departure?,
        port_yard_capacity_teu: f.port_yard_capacity_teu,
        weather: weather?,
    })
}

fn check_crossing(
    c: &mut Checker,
    i: usize,
    x: &RawCrossing,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
    at_node: &mut HashMap<(NodeIx, Mode), usize>,
    start_year: i32,
) -> Option<Crossing> {
    let p = |k| [PathSeg::Key("crossing"), PathSeg::Index(i), PathSeg::Key(k)];
    c.unique_id(seen, "crossing", &x.id, &p("id"));
    let elem = format!("crossing \"{}\"", x.id);
    if let Some(y) = x.yard_capacity_teu {
        c.number(
            &p("yard_capacity_teu"),
            &elem,
            "yard_capacity_teu",
            y,
            0.0,
            false,
        );
    }
    let transit_priority = match x.priority.as_deref() {
        None | Some("none") => false,
        Some("transit") => true,
        Some(other) => {
            c.err(&p("priority"), format!("priority = \"{other}\" in {elem}: accepted: \"transit\" (vehicles of flows with transit = true first) or \"none\""));
            false
        }
    };
    let node = c.node_ref(&p("node"), &elem, "node", &x.node, node_ix);
    if let Some(n) = node {
        if let Some(&other) = at_node.get(&(n, x.mode)) {
            c.err(
                &p("node"),
                format!(
                    "node = \"{}\" in {elem}: node \"{}\" already has a {} crossing (the crossing at index {other}); one crossing per node and mode",
                    x.node, x.node, x.mode.as_str()
                ),
            );
        } else {
            at_node.insert((n, x.mode), i);
        }
    }
    let window = match &x.open {
        None => Some(None),
        Some(s) => match parse_window(s) {
            Ok(w) => Some(w),
            Err(e) => {
                c.err(&p("open"), format!("open = \"{s}\" in {elem}: {e}"));
                None
            }
        },
    };
    let mut closed = [false; 7];
    for (k, d) in x.closed_weekdays.iter().enumerate() {
        let path = [
            PathSeg::Key("crossing"),
            PathSeg::Index(i),
            PathSeg::Key("closed_weekdays"),
            PathSeg::Index(k),
        ];
        match WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(d)) {
            Some(ix) => closed[ix] = true,
            None => c.err(
                &path,
                format!("closed_weekdays has \"{d}\" in {elem}: accepted: \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\""),
            ),
        }
    }
    if closed.iter().all(|&d| d) {
        c.err(&p("closed_weekdays"), format!("closed_weekdays in {elem}: closes every day of the week, so nothing could ever cross"));
    }
    if x.stage.is_empty() {
        c.err(&p("id"), format!("{elem} has no [[crossing.stage]]: a crossing needs at least one stage (e.g. name, servers, service_h)"));
    }
    let mut stages = Vec::new();
    for (s, st) in x.stage.iter().enumerate() {
        if let Some(stage) = check_stage(c, i, s, st, &elem) {
            stages.push(stage);
        }
    }
    let gauge_change = match &x.gauge_change {
        None => Some(None),
        Some(g) => {
            if x.mode != Mode::Rail {
                c.err(&p("gauge_change"), format!("gauge_change in {elem}: only rail crossings change gauge; this one has mode = \"road\""));
                None
            } else {
                check_gauge_change(c, i, g, &elem).map(Some)
            }
        }
    };
    let (node, window, gauge_change) = (node?, window?, gauge_change?);
    if stages.len() != x.stage.len() || stages.is_empty() {
        return None;
    }
    Some(Crossing {
        id: x.id.clone(),
        node,
        mode: x.mode,
        calendar: Calendar::new(window, closed, start_year),
        yard_capacity_teu: x.yard_capacity_teu,
        transit_priority,
        stages,
        gauge_change,
    })
}

fn check_stage(
    c: &mut Checker,
    i: usize,
    s: usize,
    st: &RawStage,
    crossing: &str,
) -> Option<Stage> {
    let p = |k| {
        [
            PathSeg::Key("crossing"),
            PathSeg::Index(i),
            PathSeg::Key("stage"),
            PathSeg::Index(s),
            PathSeg::Key(k),
        ]
    };
    let elem = format!("{crossing}.stage[{s}] (\"{}\")", st.name);
    let mut ok = true;
    if !(i64::from(MIN_COUNT)..=i64::from(MAX_STAGE_SERVERS)).contains(&st.servers) {
        c.err(
            &p("servers"),
            format!(
                "servers = {} in {elem}: must be an integer between {MIN_COUNT} and {MAX_STAGE_SERVERS}",
                st.servers
            ),
        );
        ok = false;
    }
    let service = c.dist(&p("service_h"), &elem, "service_h", &st.service_h);
    let inspect_prob = st.inspect_prob.unwrap_or(0.0);
    if !(inspect_prob.is_finite() && (MIN_PROBABILITY..=MAX_PROBABILITY).contains(&inspect_prob)) {
        c.err(
            &p("inspect_prob"),
            format!(
                "inspect_prob = {inspect_prob} in {elem}: must be a probability between {MIN_PROBABILITY} and {MAX_PROBABILITY}"
            ),
        );
        ok = false;
    }
    let inspect = match (&st.inspect_h, st.inspect_prob) {
        (Some(d), _) => c.dist(&p("inspect_h"), &elem, "inspect_h", d).map(Some),
        (None, Some(pr)) if pr > 0.0 => {
            c.err(
                &p("inspect_prob"),
                format!(
                    "inspect_prob = {pr} in {elem}: needs inspect_h, the time an inspection takes"
                ),
            );
            None
        }
        (None, _) => Some(None),
    };
    if st.inspect_h.is_some() && st.inspect_prob.is_none() {
        c.err(
            &p("inspect_h"),
            format!("inspect_h in {elem}: needs inspect_prob, the share of vehicles inspected"),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    Some(Stage {
        name: st.name.clone(),
        servers: st.servers as u32,
        service: service?,
        inspect_prob,
        inspect: inspect?,
    })
}

fn check_gauge_change(
    c: &mut Checker,
    i: usize,
    g: &RawGaugeChange,
    crossing: &str,
) -> Option<GaugeChange> {
    let p = |k: &'static str| {
        [
            PathSeg::Key("crossing"),
            PathSeg::Index(i),
            PathSeg::Key("gauge_change"),
            PathSeg::Key(k),
        ]
    };
    let elem = format!("{crossing}.gauge_change");
    let need_int = |c: &mut Checker,
                    key: &'static str,
                    v: Option<i64>,
                    method: &str|
     -> Option<u32> {
        match v {
            None => {
                c.err(
                    &p("method"),
                    format!("method = \"{method}\" in {elem}: needs `{key}`"),
                );
                None
            }
            Some(n)
                if !(i64::from(MIN_COUNT)..=i64::from(MAX_GAUGE_CHANGE_SERVERS)).contains(&n) =>
            {
                c.err(
                        &p(key),
                        format!("{key} = {n} in {elem}: must be an integer between {MIN_COUNT} and {MAX_GAUGE_CHANGE_SERVERS}"),
                    );
                None
            }
            Some(n) => Some(n as u32),
        }
    };
    let need_num =
        |c: &mut Checker, key: &'static str, v: Option<f64>, method: &str| -> Option<f64> {
            match v {
                None => {
                    c.err(
                        &p("method"),
                        format!("method = \"{method}\" in {elem}: needs `{key}`"),
                    );
                    None
                }
                Some(x) => c.number(&p(key), &elem, key, x, 0.0, false).then_some(x),
            }
        };
    let refuse = |c: &mut Checker, key: &'static str, present: bool, method: &str| {
        if present {
            c.err(
                &p(key),
                format!("{key} in {elem}: not a parameter of method = \"{method}\""),
            );
        }
    };
    match g.method.as_str() {
        "transshipment" => {
            refuse(c, "tracks", g.tracks.is_some(), "transshipment");
            refuse(c, "wagon_h", g.wagon_h.is_some(), "transshipment");
            refuse(
                c,
                "teu_per_wagon",
                g.teu_per_wagon.is_some(),
                "transshipment",
            );
            let cranes = need_int(c, "cranes", g.cranes, "transshipment");
            let rate = need_num(c, "teu_per_crane_h", g.teu_per_crane_h, "transshipment");
            let cranes = cranes?;
            let per_train = match g.cranes_per_train {
                None => cranes,
                Some(k) if (i64::from(MIN_COUNT)..=i64::from(cranes)).contains(&k) => k as u32,
                Some(k) => {
                    c.err(&p("cranes_per_train"), format!("cranes_per_train = {k} in {elem}: must be between {MIN_COUNT} and cranes ({cranes})"));
                    return None;
                }
            };
            let hours_per_teu = 1.0 / (f64::from(per_train) * rate?);
            c.duration(
                &p("teu_per_crane_h"),
                &elem,
                "the handling time of one TEU",
                hours_per_teu,
            )
            .then_some(GaugeChange {
                method: GaugeMethod::Transshipment,
                servers: cranes / per_train,
                hours_per_teu,
            })
        }
        "bogie_exchange" => {
            refuse(c, "cranes", g.cranes.is_some(), "bogie_exchange");
            refuse(
                c,
                "teu_per_crane_h",
                g.teu_per_crane_h.is_some(),
                "bogie_exchange",
            );
            refuse(
                c,
                "cranes_per_train",
                g.cranes_per_train.is_some(),
                "bogie_exchange",
            );
            let tracks = need_int(c, "tracks", g.tracks, "bogie_exchange");
            let wagon_h = need_num(c, "wagon_h", g.wagon_h, "bogie_exchange");
            let teu_per_wagon = match g.teu_per_wagon {
                None => Some(2.0),
                Some(t) => c
                    .number(&p("teu_per_wagon"), &elem, "teu_per_wagon", t, 0.0, false)
                    .then_some(t),
            };
            let hours_per_teu = wagon_h? / teu_per_wagon?;
            let servers = tracks?;
            c.duration(
                &p("wagon_h"),
                &elem,
                "the handling time of one TEU",
                hours_per_teu,
            )
            .then_some(GaugeChange {
                method: GaugeMethod::BogieExchange,
                servers,
                hours_per_teu,
            })
        }
        other => {
            c.err(&p("method"), format!("method = \"{other}\" in {elem}: accepted: \"transshipment\" (cranes, teu_per_crane_h) or \"bogie_exchange\" (tracks, wagon_h)"));
            None
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_flow(
    c: &mut Checker,
    i: usize,
    f: &RawFlow,
    seen: &mut HashSet<String>,
    node_ix: &HashMap<&str, NodeIx>,
    net: &Network,
    network_ok: bool,
) -> Option<Flow> {
    let p = |k| [PathSeg::Key("flow"), PathSeg::Index(i), PathSeg::Key(k)];
    c.unique_id(seen, "flow", &f.id, &p("id"));
    let elem = format!("flow \"{}\"", f.id);
    let from = c.node_ref(&p("from"), &elem, "from", &f.from, node_ix);
    let to = c.node_ref(&p("to"), &elem, "to", &f.to, node_ix);
    if f.from == f.to {
        c.err(
            &p("to"),
            format!(
                "to = \"{}\" in {elem}: a flow must go somewhere else than where it starts",
                f.to
            ),
        );
    }
    let mut ok = c.number(
        &p("teu_per_year"),
        &elem,
        "teu_per_year",
        f.teu_per_year,
        0.0,
        false,
    );
    ok &= c.number(&p("unit_teu"), &elem, "unit_teu", f.unit_teu, 0.0, false);
    if ok && !(MIN_UNIT_TEU..=MAX_UNIT_TEU).contains(&f.unit_teu) {
        c.err(&p("unit_teu"), format!("unit_teu = {} in {elem}: a train or truck carries from {MIN_UNIT_TEU} to {MAX_UNIT_TEU} TEU", f.unit_teu));
        ok = false;
    }
    if ok && f.teu_per_year / f.unit_teu < MIN_VEHICLES_PER_YEAR {
        c.err(&p("teu_per_year"), format!("teu_per_year = {} in {elem}: with unit_teu = {} that is fewer than {MIN_VEHICLES_PER_YEAR} vehicles a year", f.teu_per_year, f.unit_teu));
        ok = false;
    }
    if !(f.growth_per_year.is_finite()
        && f.growth_per_year > MIN_GROWTH_PER_YEAR
        && f.growth_per_year <= MAX_GROWTH_PER_YEAR)
    {
        c.err(&p("growth_per_year"), format!("growth_per_year = {} in {elem}: must be a yearly rate between {MIN_GROWTH_PER_YEAR} (exclusive) and {MAX_GROWTH_PER_YEAR}, e.g. 0.05 for +5 % a year", f.growth_per_year));
        ok = false;
    }
    if ok {
        // The busiest year is the first or the last, depending on the sign of growth.
        let last = grown(f.teu_per_year, f.growth_per_year, net.horizon_years) / f.unit_teu;
        let peak = last.max(f.teu_per_year / f.unit_teu);
        if peak.is_nan() || peak > MAX_VEHICLES_PER_YEAR {
            c.err(
                &p("teu_per_year"),
                format!(
                    "teu_per_year = {} in {elem}: with unit_teu = {} and growth_per_year = {} that reaches {peak:.3e} vehicles a year within the horizon; at most {MAX_VEHICLES_PER_YEAR:.0} are accepted",
                    f.teu_per_year, f.unit_teu, f.growth_per_year
                ),
            );
            ok = false;
        }
    }
    let (from, to) = (from?, to?);
    if !ok || !network_ok || f.from == f.to {
        return None;
    }
    let graph = RouteGraph::new(
        net.nodes.len(),
        net.links,
        net.ferries,
        net.crossings,
        f.mode,
    );
    let mode = f.mode.as_str();
    let mut adaptive = false;
    let paths: Vec<Vec<Edge>> = match (&f.route, &f.route_choice) {
        (Some(_), Some(_)) => {
            c.err(
                &p("route_choice"),
                format!("route_choice in {elem}: give either `route` or `route_choice`, not both"),
            );
            return None;
        }
        (Some(route), None) => {
            let mut ixs = Vec::with_capacity(route.len());
            for (k, name) in route.iter().enumerate() {
                let path = [
                    PathSeg::Key("flow"),
                    PathSeg::Index(i),
                    PathSeg::Key("route"),
                    PathSeg::Index(k),
                ];
                ixs.push(c.node_ref(&path, &elem, &format!("route[{k}]"), name, node_ix));
            }
            let ixs: Vec<NodeIx> = ixs.into_iter().collect::<Option<_>>()?;
            if ixs.len() < 2 || ixs[0] != from || ixs[ixs.len() - 1] != to {
                c.err(&p("route"), format!("route in {elem}: must list at least two nodes, starting at from = \"{}\" and ending at to = \"{}\"", f.from, f.to));
                return None;
            }
            match graph.along(&ixs) {
                Ok(path) => vec![path],
                Err(RouteError::NoSegment { position }) => {
                    let path = [
                        PathSeg::Key("flow"),
                        PathSeg::Index(i),
                        PathSeg::Key("route"),
                        PathSeg::Index(position + 1),
                    ];
                    c.err(
                        &path,
                        format!(
                            "route in {elem}: no {mode} segment joins \"{}\" and \"{}\"",
                            route[position],
                            route[position + 1]
                        ),
                    );
                    return None;
                }
                Err(e) => {
                    report_route_error(c, &p("route"), &elem, e);
                    return None;
                }
            }
        }
        (None, choice) => {
            let k = match choice.as_deref() {
                None | Some("fastest") => 1,
                Some("adaptive") => {
                    adaptive = true;
                    match f.k_paths {
                        None => 3,
                        Some(k)
                            if (i64::from(MIN_K_PATHS)..=i64::from(MAX_K_PATHS)).contains(&k) =>
                        {
                            k as usize
                        }
                        Some(k) => {
                            c.err(
                                &p("k_paths"),
                                format!("k_paths = {k} in {elem}: must be an integer from {MIN_K_PATHS} to {MAX_K_PATHS}"),
                            );
                            return None;
                        }
                    }
                }
                Some(other) => {
                    c.err(&p("route_choice"), format!("route_choice = \"{other}\" in {elem}: accepted: \"fastest\", \"adaptive\", or an explicit `route`"));
                    return None;
                }
            };
            let paths = graph.k_fastest(from, to, f.unit_teu, k);
            if paths.is_empty() {
                c.err(&p("to"), format!("to = \"{}\" in {elem}: no {mode} route from \"{}\" to \"{}\" (the network has no connected {mode} path between them{})", f.to, f.from, f.to, if mode == "rail" { ", or the gauge changes where no crossing has a gauge_change" } else { "" }));
                return None;
            }
            paths
        }
    };
    if f.k_paths.is_some() && !adaptive {
        c.err(
            &p("k_paths"),
            format!("k_paths in {elem}: only for route_choice = \"adaptive\""),
        );
        return None;
    }
    let mut routes = Vec::with_capacity(paths.len());
    for path in paths {
        let steps = check_route(c, i, f, &elem, net, &graph, &path)?;
        routes.push(Route {
            nodes: graph.path_nodes(from, &path),
            free_flow_h: graph.path_hours(from, &path, f.unit_teu),
            steps,
        });
    }
    Some(Flow {
        id: f.id.clone(),
        from,
        to,
        mode: f.mode,
        teu_per_year: f.teu_per_year,
        unit_teu: f.unit_teu,
        arrivals: f.arrivals,
        cargo: f.cargo,
        transit: f.transit,
        growth_per_year: f.growth_per_year,
        adaptive,
        routes,
    })
}

/// The steps of one route of a flow, once checked: gauge, yards, ferries, handling times.
fn check_route(
    c: &mut Checker,
    i: usize,
    f: &RawFlow,
    elem: &str,
    net: &Network,
    graph: &RouteGraph,
    path: &[Edge],
) -> Option<Vec<Step>> {
    let p = |k| [PathSeg::Key("flow"), PathSeg::Index(i), PathSeg::Key(k)];
    let steps = match graph.steps(path) {
        Ok(s) => s,
        Err(e) => {
            let at = match (&f.route, &e) {
                (Some(_), RouteError::GaugeBreak { position, .. }) => vec![
                    PathSeg::Key("flow"),
                    PathSeg::Index(i),
                    PathSeg::Key("route"),
                    PathSeg::Index(*position),
                ],
                _ => p("id").to_vec(),
            };
            report_route_error(c, &at, elem, e);
            return None;
        }
    };
    for step in &steps {
        if let Step::Crossing { crossing, .. } = *step {
            let x = &net.crossings[crossing as usize];
            if let Some(y) = x.yard_capacity_teu.filter(|&y| f.unit_teu > y) {
                c.err(&p("unit_teu"), format!("unit_teu = {} in {elem}: its route passes crossing \"{}\", whose yard holds only {y} TEU, so these vehicles could never enter", f.unit_teu, x.id));
                return None;
            }
        }
        if let Step::Crossing {
            crossing,
            change_gauge: true,
        } = *step
        {
            let x = &net.crossings[crossing as usize];
            let per_teu = x.gauge_change.map_or(0.0, |g| g.hours_per_teu);
            if !c.duration(
                &p("unit_teu"),
                elem,
                &format!("the gauge change of one vehicle at crossing \"{}\"", x.id),
                per_teu * f.unit_teu,
            ) {
                return None;
            }
        }
    }
    for e in path {
        if let Edge::Ferry(x, _) = *e {
            let fe = &net.ferries[x as usize];
            let room = fe
                .capacity_teu
                .min(fe.port_yard_capacity_teu.unwrap_or(f64::INFINITY));
            if f.unit_teu > room {
                c.err(&p("unit_teu"), format!("unit_teu = {} in {elem}: its route takes ferry \"{}\", whose vessels or port yards hold only {room} TEU, so these vehicles could never board", f.unit_teu, fe.id));
                return None;
            }
        }
    }
    Some(steps)
}

/// Reports why a route cannot be used.
fn report_route_error(c: &mut Checker, path: &[PathSeg], elem: &str, e: RouteError) {
    let msg = match e {
        RouteError::GaugeBreak { from_mm, to_mm, .. } => format!(
            "route in {elem}: the gauge changes from {from_mm} mm to {to_mm} mm at a node with no rail crossing that has a gauge_change"
        ),
        RouteError::NoSegment { .. } => format!("route in {elem}: two consecutive nodes are not joined by a segment"),
    };
    c.err(path, msg);
}
