//! How much the network can carry: the largest multiplier of container demand that still
//! meets service targets (a longest wait, a largest backlog), found by bisection in each
//! replication on common random numbers, so that the answer comes with a confidence
//! interval.
//!
//! Every container flow's `teu_per_year` is multiplied by the same factor; flows with
//! `cargo = "other"` keep their volume (they are background load, not the demand being
//! sized). A target is met in a replication when, over the measured window:
//! - every crossing, segment, ferry line and fleet (or only those listed in `elements`)
//!   has a 95th-percentile wait at most `max_p95_wait_h` (and a mean wait at most
//!   `max_mean_wait_h`);
//! - the container TEU not delivered at the horizon are at most `max_backlog_teu`;
//! - and, above the scenario's own demand, the flows concerned (all container flows, or
//!   those passing the elements named) still deliver at least 98 % of the demand they are
//!   offered, relative to what they deliver at the scenario's demand: a demand the network
//!   cannot carry to those elements fails, and the element causing most delay is named.
//!
//! Elements listed in `exclude` are left out of the wait targets. When the targets fail
//! even at the smallest multiplier searched (1/64) in more than half of the replications,
//! no demand meets them: the answer is not feasible and names what fails there.

use super::{settled, unless_interrupted, Batch, InputError, StudyError};
use crate::model::{simulate, Cargo, Model};
use crate::runner::{map_replications, RunError, RunOptions, Source};
use crate::scenario::limits::{MIN_BACKLOG_TARGET_TEU, MIN_WAIT_TARGET_H};
use crate::scenario::Scenario;
use crate::stats::{ReplicationObs, Stat};
use serde::{Deserialize, Deserializer, Serialize};

/// The service targets a demand must meet.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Targets {
    /// Only these elements' waits count (crossing, segment, ferry or fleet ids); all when
    /// empty.
    pub elements: Vec<String>,
    /// These elements' waits do not count (crossing, segment, ferry or fleet ids).
    pub exclude: Vec<String>,
    /// Longest 95th-percentile wait allowed at any crossing, segment, ferry or fleet,
    /// hours.
    pub max_p95_wait_h: Option<f64>,
    /// Longest mean wait allowed at any crossing, segment, ferry or fleet, hours.
    pub max_mean_wait_h: Option<f64>,
    /// Largest container backlog allowed at the horizon, TEU.
    pub max_backlog_teu: Option<f64>,
}

impl Targets {
    /// Refuses targets that cannot be searched: none given, one that is not a number, a
    /// wait target (hours) not above [`MIN_WAIT_TARGET_H`] or a backlog target (TEU)
    /// below [`MIN_BACKLOG_TARGET_TEU`]. A figure is held against its target as a ratio
    /// (see [`CurvePoint`]), which a wait target of 0 h would leave without meaning; a
    /// backlog's ratio adds 1 TEU to both sides, and is defined at 0.
    pub fn check(&self) -> Result<(), InputError> {
        // Each target: its option, its value, whether a value is accepted (NaN never is)
        // and what is.
        let hours: fn(f64) -> bool = |v| v.is_finite() && v > MIN_WAIT_TARGET_H;
        let teu: fn(f64) -> bool = |v| v.is_finite() && v >= MIN_BACKLOG_TARGET_TEU;
        let in_hours = || format!("a number of hours above {MIN_WAIT_TARGET_H}");
        let in_teu = || format!("a number of TEU of {MIN_BACKLOG_TARGET_TEU} or more");
        let given: [(_, _, _, &dyn Fn() -> String); 3] = [
            ("--max-p95-wait-h", self.max_p95_wait_h, hours, &in_hours),
            ("--max-mean-wait-h", self.max_mean_wait_h, hours, &in_hours),
            ("--max-backlog-teu", self.max_backlog_teu, teu, &in_teu),
        ];
        if given.iter().all(|(_, v, ..)| v.is_none()) {
            return Err(InputError::NoTarget);
        }
        for (option, value, accepts, accepted) in given {
            if let Some(value) = value.filter(|v| !accepts(*v)) {
                return Err(InputError::Target {
                    option,
                    value,
                    accepted: accepted(),
                });
            }
        }
        Ok(())
    }

    /// Refuses an element named in the targets (`elements` or `exclude`) that `model`
    /// does not have, one named in both, and targets that leave nothing to meet (every
    /// element excluded and no backlog target).
    pub fn check_elements(&self, model: &Model) -> Result<(), InputError> {
        let known = |id: &String| model.elements().any(|e| e.id == id);
        let named = [("--element", &self.elements), ("--exclude", &self.exclude)];
        for (option, ids) in named {
            if let Some(bad) = ids.iter().find(|e| !known(e)) {
                return Err(InputError::UnknownElement {
                    option,
                    id: bad.clone(),
                    hint: crate::scenario::hint_or_list(bad, model.elements().map(|e| e.id)),
                });
            }
        }
        if let Some(both) = self.exclude.iter().find(|e| self.elements.contains(e)) {
            return Err(InputError::CountedAndExcluded(both.clone()));
        }
        if self.max_backlog_teu.is_none() && !model.elements().any(|e| self.counts(e.id)) {
            return Err(InputError::NothingCounted);
        }
        Ok(())
    }

    /// True when the waits of the element `id` count: it is named in `elements` (or none
    /// is) and not in `exclude`.
    pub fn counts(&self, id: &str) -> bool {
        (self.elements.is_empty() || self.elements.iter().any(|e| e == id))
            && !self.exclude.iter().any(|e| e == id)
    }
}

/// Bisection stops when the bracket is narrower than this share of the multiplier.
pub const TOLERANCE: f64 = 0.005;
/// Multipliers are searched between 1/`RANGE` and `RANGE`.
pub const RANGE: f64 = 64.0;

/// The answer of a capacity search (`corridor.capacity/1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capacity {
    /// Always `corridor.capacity/1`.
    pub schema: &'static str,
    /// The scenario's name.
    pub scenario: String,
    /// Seed of the random streams.
    pub seed: u64,
    /// Replications searched.
    pub replications: u32,
    /// The targets.
    pub targets: Targets,
    /// Mean over replications of the largest multiplier meeting the targets.
    pub multiplier: f64,
    /// 95 % confidence interval of `multiplier`, widened by the bisection tolerance.
    pub multiplier_ci95: [f64; 2],
    /// Container demand at `multiplier`, TEU per year (first-year demand times it).
    pub teu_per_year: f64,
    /// The element (or `backlog`) that fails the targets first, in most replications.
    pub binding: String,
    /// What `binding` is: `crossing`, `segment`, `ferry` or `network`.
    pub binding_kind: &'static str,
    /// The largest multiplier meeting the targets in each replication.
    pub per_replication: Vec<f64>,
    /// False when the targets are not met even at the smallest multiplier searched
    /// ([`SMALLEST`]) in most replications (more than half): no demand meets them.
    pub feasible: bool,
    /// Replications in which the targets are not met even at the smallest multiplier
    /// (their multiplier counts as 0).
    pub infeasible_replications: u32,
    /// What fails at the smallest multiplier, in most of those replications; `None` when
    /// there are none.
    pub failing: Option<Failing>,
}

/// The smallest multiplier searched: 1/[`RANGE`].
pub const SMALLEST: f64 = 1.0 / RANGE;

/// What fails the targets in one replication: the element (or `backlog`), the figure and
/// its value against the limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Failure {
    kind: &'static str,
    id: String,
    figure: &'static str,
    value: f64,
    limit: f64,
}

/// A [`Failure`] as read back from a shard's partial result, its words not yet checked.
#[derive(Deserialize)]
struct FailureRecord {
    kind: String,
    id: String,
    figure: String,
    value: f64,
    limit: f64,
}

impl<'de> Deserialize<'de> for Failure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = FailureRecord::deserialize(d)?;
        let word = |w: &str| known_word(w).map_err(serde::de::Error::custom);
        Ok(Failure {
            kind: word(&r.kind)?,
            id: r.id,
            figure: word(&r.figure)?,
            value: r.value,
            limit: r.limit,
        })
    }
}

/// What fails the targets at the smallest multiplier, where they cannot be met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failing {
    /// `crossing`, `segment`, `ferry`, or `network` (for the backlog).
    pub kind: &'static str,
    /// The element's id, or `backlog`.
    pub id: String,
    /// The figure that fails: `wait_h.p95`, `wait_h.mean` or `backlog_teu`.
    pub figure: &'static str,
    /// Its value at the smallest multiplier, mean over the replications in which it fails
    /// first (hours, or TEU).
    pub value: f64,
    /// The target it fails.
    pub limit: f64,
    /// The multiplier at which it was found: [`SMALLEST`].
    pub multiplier: f64,
    /// Replications in which it fails first at the smallest multiplier.
    pub replications: u32,
}

/// What fails the targets first: its kind (`crossing`, `segment`, `ferry` or `network`)
/// and id.
type Binding = (&'static str, String);

/// The kinds of element and the figures a search's record names, to read one back from a
/// shard's partial result.
const WORDS: [&str; 9] = [
    "crossing",
    "segment",
    "ferry",
    "fleet",
    "network",
    "carried_share",
    "wait_h.p95",
    "wait_h.mean",
    "backlog_teu",
];

/// `s` as one of [`WORDS`].
fn known_word(s: &str) -> Result<&'static str, String> {
    WORDS
        .iter()
        .find(|w| **w == s)
        .copied()
        .ok_or_else(|| format!("unknown kind or figure {s:?}"))
}

/// Reads a [`Binding`], if any.
fn binding<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Binding>, D::Error> {
    match Option::<(String, String)>::deserialize(d)? {
        None => Ok(None),
        Some((kind, id)) => Ok(Some((
            known_word(&kind).map_err(serde::de::Error::custom)?,
            id,
        ))),
    }
}

/// The largest multiplier of container demand the search is expected to run `model` at,
/// and `model` scaled by it: the first doubling (2, 4, ... up to [`RANGE`]) at which
/// something is asked more than it serves (`Model::backlog`), where the search stops
/// doubling as the network no longer carries the demand; [`RANGE`] when nothing is. What a
/// replication holds there is what to hold against a memory budget.
pub fn heaviest(model: &Model) -> (f64, Model) {
    let mut m = 2.0;
    loop {
        let at = scaled(model, m);
        if m >= RANGE || at.backlog().bytes > 0 {
            return (m, at);
        }
        m *= 2.0;
    }
}

/// The model with every container flow's demand multiplied by `m`.
pub fn scaled(model: &Model, m: f64) -> Model {
    let mut out = model.clone();
    for f in out
        .flows
        .iter_mut()
        .filter(|f| f.cargo == Cargo::Containers)
    {
        f.teu_per_year *= m;
    }
    out
}

/// What fails the targets in one replication's results, if anything: the figure furthest
/// beyond its target. Besides the targets, a demand fails when the network no longer
/// carries it: when less than `CARRIED` of the demand added since the base multiplier is
/// delivered (`expected` is the delivered TEU per year the base's rate would give at this
/// multiplier). The element then named is the one causing the most delay.
fn violation(
    model: &Model,
    t: &Targets,
    concerned: &[bool],
    r: &ReplicationObs,
    expected: Option<f64>,
) -> Option<Failure> {
    if let Some(expected) = expected {
        let delivered = carried(concerned, r);
        if delivered < CARRIED * expected {
            let (kind, id) = most_delay(model, concerned, r);
            let value = delivered / expected;
            let (figure, limit) = ("carried_share", CARRIED);
            return Some(Failure {
                kind,
                id,
                figure,
                value,
                limit,
            });
        }
    }
    let mut worst: Option<(f64, Failure)> = None;
    let mut consider = |value: f64, limit: f64, kind, id: &str, figure| {
        let ratio = if figure == "backlog_teu" {
            (value + 1.0) / (limit + 1.0)
        } else {
            value / limit
        };
        if value > limit && worst.as_ref().is_none_or(|w| ratio > w.0) {
            let id = id.to_string();
            let f = Failure {
                kind,
                id,
                figure,
                value,
                limit,
            };
            worst = Some((ratio, f));
        }
    };
    for e in r.elements(model).filter(|e| t.counts(e.element.id)) {
        let (kind, id) = (e.element.kind.name(), e.element.id);
        if let Some(max) = t.max_p95_wait_h {
            if !e.wait_p95_h.is_nan() {
                consider(e.wait_p95_h, max, kind, id, "wait_h.p95");
            }
        }
        if let Some(max) = t.max_mean_wait_h {
            if !e.wait_mean_h.is_nan() {
                consider(e.wait_mean_h, max, kind, id, "wait_h.mean");
            }
        }
    }
    if let Some(max) = t.max_backlog_teu {
        let backlog: f64 = model
            .flows
            .iter()
            .zip(&r.flows)
            .filter(|(f, _)| f.cargo == Cargo::Containers)
            .map(|(_, o)| o.backlog_teu)
            .sum();
        consider(backlog, max, "network", "backlog", "backlog_teu");
    }
    worst.map(|(_, f)| f)
}

/// Per flow of `model`, true when the targets concern it: a container flow, and when the
/// targets name elements or leave some out, one with a route passing an element whose
/// waits count.
fn concerned_flows(model: &Model, t: &Targets) -> Vec<bool> {
    let counted: Vec<crate::model::Element> = model.elements().filter(|e| t.counts(e.id)).collect();
    let every = t.elements.is_empty() && t.exclude.is_empty();
    model
        .flows
        .iter()
        .map(|f| {
            let steps = || f.routes.iter().flat_map(|r| &r.steps);
            f.cargo == Cargo::Containers
                && (every || counted.iter().any(|e| steps().any(|s| e.is_step(s))))
        })
        .collect()
}

/// The container TEU per year delivered by the flows the targets concern.
fn carried(concerned: &[bool], r: &ReplicationObs) -> f64 {
    concerned
        .iter()
        .zip(&r.flows)
        .filter(|(c, _)| **c)
        .map(|(_, o)| o.delivered_teu_per_year)
        .sum()
}

/// The element causing the most delay in a replication, among those on the routes of the
/// flows the targets concern: (kind, id).
fn most_delay(model: &Model, concerned: &[bool], r: &ReplicationObs) -> Binding {
    let on_route = |e: &crate::model::Element| {
        model
            .flows
            .iter()
            .zip(concerned)
            .filter(|(_, c)| **c)
            .flat_map(|(f, _)| f.routes.iter().flat_map(|r| &r.steps))
            .any(|s| e.is_step(s))
    };
    let mut best = (f64::NEG_INFINITY, "network", "none".to_string());
    for e in r.elements(model) {
        if e.delay_h > best.0 && on_route(&e.element) {
            best = (e.delay_h, e.element.kind.name(), e.element.id.to_string());
        }
    }
    (best.1, best.2)
}

/// A demand counts as carried while at least this share of it is delivered (relative to
/// the base multiplier's deliveries, scaled).
pub const CARRIED: f64 = 0.98;

/// What the search of one replication found: the record a shard keeps of it.
#[derive(Serialize, Deserialize)]
struct Searched {
    /// The largest multiplier meeting the targets (0 when even [`SMALLEST`] fails them,
    /// [`RANGE`] when nothing fails up to it).
    multiplier: f64,
    /// What fails just above it (at 1 when even the smallest fails).
    #[serde(deserialize_with = "binding")]
    binding: Option<Binding>,
    /// When even the smallest multiplier fails the targets: what fails there.
    infeasible: Option<Failure>,
}

/// The largest multiplier meeting the targets in replication `rep`, and what fails just
/// above it.
fn search_one(
    model: &Model,
    t: &Targets,
    concerned: &[bool],
    opts: &RunOptions,
    rep: u64,
) -> Searched {
    let base = simulate(model, opts.warmup, opts.seed, rep);
    let base_delivered = carried(concerned, &base);
    let fails = |m: f64| {
        let r = if m == 1.0 {
            base.clone()
        } else {
            simulate(&scaled(model, m), opts.warmup, opts.seed, rep)
        };
        // Above the base, the network must carry the added demand.
        let expected = (m > 1.0).then_some(m * base_delivered);
        violation(model, t, concerned, &r, expected)
    };
    let bind = |f: Failure| (f.kind, f.id);
    let found = |multiplier, binding, infeasible| Searched {
        multiplier,
        binding,
        infeasible,
    };
    let (mut lo, mut hi);
    let mut binding;
    match fails(1.0) {
        None => {
            lo = 1.0;
            hi = 2.0;
            loop {
                binding = fails(hi).map(bind);
                if binding.is_some() || hi >= RANGE {
                    break;
                }
                lo = hi;
                hi *= 2.0;
            }
            if binding.is_none() {
                return found(RANGE, None, None);
            }
        }
        Some(b) => {
            binding = Some(bind(b));
            hi = 1.0;
            lo = 0.5;
            while let Some(failure) = fails(lo) {
                hi = lo;
                lo /= 2.0;
                if lo < SMALLEST {
                    return found(0.0, binding, Some(failure));
                }
            }
        }
    }
    while (hi - lo) > TOLERANCE * hi {
        let mid = 0.5 * (lo + hi);
        match fails(mid) {
            None => lo = mid,
            Some(b) => {
                hi = mid;
                binding = Some(bind(b));
            }
        }
    }
    found(lo, binding, None)
}

/// Searches the capacity of `model` under `targets` in replications
/// `0..opts.replications`, in parallel. After an interruption, replications not yet
/// started are skipped and the answer is `None`: a search over some replications only is
/// no answer.
pub fn search(
    model: &Model,
    targets: &Targets,
    opts: &RunOptions,
) -> Result<Option<Capacity>, RunError> {
    let concerned = concerned_flows(model, targets);
    let mut found = Vec::with_capacity(opts.replications as usize);
    map_replications(
        opts,
        &(model, targets, opts.warmup),
        |r| search_one(model, targets, &concerned, opts, r),
        |f| found.push(f),
    )?;
    if found.len() < opts.replications as usize {
        return Ok(None);
    }
    let per_replication: Vec<f64> = found.iter().map(|f| f.multiplier).collect();
    let stat = Stat::from_values(&per_replication);
    let widen = TOLERANCE * stat.mean;
    let binding = most_often(found.iter().filter_map(|f| f.binding.clone()))
        .map_or(("network", "none".to_string()), |(b, _)| b);
    let failures: Vec<&Failure> = found.iter().filter_map(|f| f.infeasible.as_ref()).collect();
    let infeasible = failures.len() as u32;
    let demand: f64 = model
        .flows
        .iter()
        .filter(|f| f.cargo == Cargo::Containers)
        .map(|f| f.teu_per_year)
        .sum();
    Ok(Some(Capacity {
        schema: "corridor.capacity/1",
        scenario: model.name.clone(),
        seed: opts.seed,
        replications: opts.replications,
        targets: targets.clone(),
        multiplier: stat.mean,
        multiplier_ci95: [(stat.ci95_lo - widen).max(0.0), stat.ci95_hi + widen],
        teu_per_year: stat.mean * demand,
        binding: binding.1,
        binding_kind: binding.0,
        per_replication,
        feasible: 2 * infeasible <= opts.replications,
        infeasible_replications: infeasible,
        failing: failing(&failures),
    }))
}

/// The value seen most often, and how often (ties: the first seen).
fn most_often<T: PartialEq>(values: impl Iterator<Item = T>) -> Option<(T, u32)> {
    let mut counts: Vec<(T, u32)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(k, _)| *k == v) {
            Some((_, c)) => *c += 1,
            None => counts.push((v, 1)),
        }
    }
    let mut best: Option<(T, u32)> = None;
    for (v, c) in counts {
        if best.as_ref().is_none_or(|b| c > b.1) {
            best = Some((v, c));
        }
    }
    best
}

/// What fails first at the smallest multiplier in most of the replications where it does
/// (ties: the first in replication order), with its value averaged over them.
fn failing(failures: &[&Failure]) -> Option<Failing> {
    let what = |f: &&Failure| (f.kind, f.id.clone(), f.figure);
    let ((kind, id, figure), replications) = most_often(failures.iter().map(what))?;
    let same: Vec<&&Failure> = failures
        .iter()
        .filter(|f| f.kind == kind && f.id == id && f.figure == figure)
        .collect();
    let value = same.iter().map(|f| f.value).sum::<f64>() / same.len() as f64;
    Some(Failing {
        kind,
        id,
        figure,
        value,
        limit: same[0].limit,
        multiplier: SMALLEST,
        replications,
    })
}

/// The capacity of `scenario` under `targets`: the targets and elements checked, the
/// warm-up settled, then a [`search`] on the batch's replications. Interrupted, there is
/// no answer (a search over some replications only is none).
pub fn capacity(
    scenario: &Scenario,
    targets: &Targets,
    batch: &Batch,
) -> Result<Capacity, StudyError> {
    targets.check()?;
    targets.check_elements(&scenario.model)?;
    let (opts, _) = settled(scenario, batch.options(&scenario.settings))?;
    let found = search(&scenario.model, targets, &opts)?;
    unless_interrupted("interrupted; nothing written")?;
    match found {
        Some(c) => Ok(c),
        None if crate::runner::interrupted() => {
            Err(StudyError::Interrupted("interrupted; nothing written"))
        }
        // Merged from shards that lack some replications.
        None => Err(StudyError::Incomplete(
            "a capacity search answers from every replication's search, and some are missing; nothing written",
        )),
    }
}

/// How close the targets are at demand multiplier `multiplier`: over the replications of
/// `scenario` with its demand scaled so, the ratio of the tightest target's figure to its
/// limit among the elements the targets count (1: at the limit; the largest over the
/// elements and targets, per replication).
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    /// The demand multiplier.
    pub multiplier: f64,
    /// The tightest ratio's lower quartile, median and upper quartile over the
    /// replications. Each replication's ratio rises with the multiplier (its random
    /// numbers are the same at every one), so the median crosses 1 where the middle
    /// replication's search stops: the answer, the mean of where each stops, lies near
    /// it. The mean ratio, pulled up by the replications past saturation, crosses earlier.
    pub quartiles: [f64; 3],
}

/// The lower quartile, median and upper quartile of `values` (linear between order
/// statistics); NaN when there are none.
pub fn quartiles(values: &[f64]) -> [f64; 3] {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return [f64::NAN; 3];
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let h = q * (v.len() - 1) as f64;
        let (lo, frac) = (h.floor() as usize, h - h.floor());
        let hi = (lo + 1).min(v.len() - 1);
        v[lo] + frac * (v[hi] - v[lo])
    };
    [at(0.25), at(0.5), at(0.75)]
}

/// The tightest target's ratio to its limit at each of `multipliers` (see [`CurvePoint`]),
/// on the replications `batch` gives: the curve on which the capacity search finds where
/// the ratio crosses 1. Used by the HTML report of `capacity`. The targets are checked
/// first, as by [`capacity()`]: a ratio to a wait target of 0 h has no meaning.
pub fn curve(
    scenario: &Scenario,
    targets: &Targets,
    multipliers: &[f64],
    batch: &Batch,
) -> Result<Vec<CurvePoint>, StudyError> {
    targets.check()?;
    let (opts, _) = settled(scenario, batch.options(&scenario.settings))?;
    let mut out = Vec::with_capacity(multipliers.len());
    for &m in multipliers {
        let model = scaled(&scenario.model, m);
        let mut ratios = Vec::with_capacity(opts.replications as usize);
        // The curve is drawn for a report: simulated here even when the answer was merged
        // from shards.
        map_replications(
            &RunOptions {
                progress: false,
                source: Source::Simulate,
                ..opts.clone()
            },
            &(&model, targets, opts.warmup),
            |r| {
                tightest(
                    &model,
                    targets,
                    &simulate(&model, opts.warmup, opts.seed, r),
                )
            },
            |x| ratios.push(x),
        )?;
        unless_interrupted("interrupted; nothing written")?;
        out.push(CurvePoint {
            multiplier: m,
            quartiles: quartiles(&ratios),
        });
    }
    Ok(out)
}

/// The largest ratio of a target's figure to its limit, over the targets and the elements
/// they count, in replication `r` of `model` (0 when no figure was observed).
fn tightest(model: &Model, t: &Targets, r: &ReplicationObs) -> f64 {
    let mut most: f64 = 0.0;
    for e in r.elements(model).filter(|e| t.counts(e.element.id)) {
        for (value, limit) in [
            (e.wait_p95_h, t.max_p95_wait_h),
            (e.wait_mean_h, t.max_mean_wait_h),
        ] {
            if let (Some(limit), false) = (limit, value.is_nan()) {
                most = most.max(value / limit);
            }
        }
    }
    if let Some(max) = t.max_backlog_teu {
        let backlog: f64 = (model.flows.iter().zip(&r.flows))
            .filter(|(f, _)| f.cargo == Cargo::Containers)
            .map(|(_, o)| o.backlog_teu)
            .sum();
        most = most.max((backlog + 1.0) / (max + 1.0));
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Why `t` is refused.
    fn refusal(t: &Targets) -> String {
        t.check().expect_err("refused").to_string()
    }

    #[test]
    fn a_wait_target_not_above_zero_hours_is_refused_naming_the_option_and_the_value() {
        let p95 = Targets {
            max_p95_wait_h: Some(0.0),
            ..Targets::default()
        };
        assert_eq!(
            refusal(&p95),
            "--max-p95-wait-h 0: a target must be a number of hours above 0"
        );
        let mean = |h: f64| Targets {
            max_mean_wait_h: Some(h),
            max_backlog_teu: Some(100.0),
            ..Targets::default()
        };
        assert_eq!(
            refusal(&mean(-2.5)),
            "--max-mean-wait-h -2.5: a target must be a number of hours above 0"
        );
        assert_eq!(
            refusal(&mean(f64::NAN)),
            "--max-mean-wait-h NaN: a target must be a number of hours above 0"
        );
        assert!(mean(0.001).check().is_ok());
    }

    #[test]
    fn a_backlog_target_of_zero_teu_is_accepted_and_a_negative_one_refused() {
        let backlog = |teu: f64| Targets {
            max_backlog_teu: Some(teu),
            ..Targets::default()
        };
        assert!(backlog(0.0).check().is_ok());
        assert_eq!(
            refusal(&backlog(-1.0)),
            "--max-backlog-teu -1: a target must be a number of TEU of 0 or more"
        );
        assert_eq!(
            refusal(&backlog(f64::INFINITY)),
            "--max-backlog-teu inf: a target must be a number of TEU of 0 or more"
        );
    }
}
