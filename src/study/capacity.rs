//! How much the network can carry: the largest multiplier of container demand that still
//! meets service targets (a longest wait, a largest backlog), found by bisection in each
//! replication on common random numbers, so that the answer comes with a confidence
//! interval.
//!
//! Every container flow's `teu_per_year` is multiplied by the same factor; flows with
//! `cargo = "other"` keep their volume (they are background load, not the demand being
//! sized). A target is met in a replication when, over the measured window:
//! - every crossing, segment and ferry line (or only those listed in `elements`) has a
//!   95th-percentile wait at most `max_p95_wait_h` (and a mean wait at most
//!   `max_mean_wait_h`);
//! - the container TEU not delivered at the horizon are at most `max_backlog_teu`;
//! - and, above the scenario's own demand, the flows concerned (all container flows, or
//!   those passing the elements named) still deliver at least 98 % of the demand they are
//!   offered, relative to what they deliver at the scenario's demand: a demand the network
//!   cannot carry to those elements fails, and the element causing most delay is named.

use super::{settled, unless_interrupted, Batch, InputError, StudyError};
use crate::model::{simulate, Cargo, Model};
use crate::runner::{map_replications, RunError, RunOptions};
use crate::scenario::Scenario;
use crate::stats::{ReplicationObs, Stat};
use serde::Serialize;

/// The service targets a demand must meet.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Targets {
    /// Only these elements' waits count (crossing, segment or ferry ids); all when empty.
    pub elements: Vec<String>,
    /// Longest 95th-percentile wait allowed at any crossing, segment or ferry, hours.
    pub max_p95_wait_h: Option<f64>,
    /// Longest mean wait allowed at any crossing, segment or ferry, hours.
    pub max_mean_wait_h: Option<f64>,
    /// Largest container backlog allowed at the horizon, TEU.
    pub max_backlog_teu: Option<f64>,
}

impl Targets {
    /// Refuses targets that cannot be searched: none given, or one that is negative or not
    /// a number.
    pub fn check(&self) -> Result<(), InputError> {
        let given = [
            self.max_p95_wait_h,
            self.max_mean_wait_h,
            self.max_backlog_teu,
        ];
        if given.iter().all(Option::is_none) {
            return Err(InputError::NoTarget);
        }
        if given
            .iter()
            .flatten()
            .any(|v| !(v.is_finite() && *v >= 0.0))
        {
            return Err(InputError::NegativeTarget);
        }
        Ok(())
    }

    /// Refuses an element named in the targets that `model` does not have.
    pub fn check_elements(&self, model: &Model) -> Result<(), InputError> {
        let known = |id: &String| model.elements().any(|e| e.id == id);
        match self.elements.iter().find(|e| !known(e)) {
            Some(bad) => Err(InputError::UnknownElement {
                id: bad.clone(),
                hint: crate::scenario::hint(bad, model.elements().map(|e| e.id)),
            }),
            None => Ok(()),
        }
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
}

/// What fails the targets first: its kind (`crossing`, `segment`, `ferry` or `network`)
/// and id.
type Binding = (&'static str, String);

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

/// What fails the targets in one replication's results, if anything: (kind, id). Besides
/// the targets, a demand fails when the network no longer carries it: when less than
/// `CARRIED` of the demand added since the base multiplier is delivered (`expected` is the
/// delivered TEU per year the base's rate would give at this multiplier). The element
/// then named is the one causing the most delay.
fn violation(
    model: &Model,
    t: &Targets,
    concerned: &[bool],
    r: &ReplicationObs,
    expected: Option<f64>,
) -> Option<Binding> {
    if let Some(expected) = expected {
        if carried(concerned, r) < CARRIED * expected {
            return Some(most_delay(model, concerned, r));
        }
    }
    let mut worst: Option<(f64, &'static str, String)> = None;
    let mut consider = |ratio: f64, kind: &'static str, id: &str| {
        if ratio > 1.0 && worst.as_ref().is_none_or(|w| ratio > w.0) {
            worst = Some((ratio, kind, id.to_string()));
        }
    };
    for e in r.elements(model) {
        let (kind, id) = (e.element.kind.name(), e.element.id);
        if !t.elements.is_empty() && !t.elements.iter().any(|name| name == id) {
            continue;
        }
        if let Some(max) = t.max_p95_wait_h {
            if !e.wait_p95_h.is_nan() {
                consider(e.wait_p95_h / max, kind, id);
            }
        }
        if let Some(max) = t.max_mean_wait_h {
            if !e.wait_mean_h.is_nan() {
                consider(e.wait_mean_h / max, kind, id);
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
        if backlog > max {
            consider((backlog + 1.0) / (max + 1.0), "network", "backlog");
        }
    }
    worst.map(|(_, k, id)| (k, id))
}

/// Per flow of `model`, true when the targets concern it: a container flow, and when the
/// targets name elements, one with a route passing one of them.
fn concerned_flows(model: &Model, t: &Targets) -> Vec<bool> {
    let named: Vec<crate::model::Element> = model
        .elements()
        .filter(|e| t.elements.iter().any(|name| name == e.id))
        .collect();
    model
        .flows
        .iter()
        .map(|f| {
            let steps = || f.routes.iter().flat_map(|r| &r.steps);
            f.cargo == Cargo::Containers
                && (t.elements.is_empty() || named.iter().any(|e| steps().any(|s| e.is_step(s))))
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

/// The largest multiplier meeting the targets in replication `rep`, and what fails just
/// above it.
fn search_one(
    model: &Model,
    t: &Targets,
    concerned: &[bool],
    opts: &RunOptions,
    rep: u64,
) -> (f64, Option<Binding>) {
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
    let (mut lo, mut hi);
    let mut binding;
    match fails(1.0) {
        None => {
            lo = 1.0;
            hi = 2.0;
            loop {
                binding = fails(hi);
                if binding.is_some() || hi >= RANGE {
                    break;
                }
                lo = hi;
                hi *= 2.0;
            }
            if binding.is_none() {
                return (RANGE, None);
            }
        }
        Some(b) => {
            binding = Some(b);
            hi = 1.0;
            lo = 0.5;
            while fails(lo).is_some() {
                hi = lo;
                lo /= 2.0;
                if lo < 1.0 / RANGE {
                    return (0.0, binding);
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
                binding = Some(b);
            }
        }
    }
    (lo, binding)
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
        |r| search_one(model, targets, &concerned, opts, r),
        |f| found.push(f),
    )?;
    if found.len() < opts.replications as usize {
        return Ok(None);
    }
    let per_replication: Vec<f64> = found.iter().map(|f| f.0).collect();
    let stat = Stat::from_values(&per_replication);
    let widen = TOLERANCE * stat.mean;
    // The element failing first in most replications (ties: the first in replication order).
    let mut counts: Vec<(Binding, usize)> = Vec::new();
    for b in found.iter().filter_map(|f| f.1.clone()) {
        match counts.iter_mut().find(|(k, _)| *k == b) {
            Some((_, c)) => *c += 1,
            None => counts.push((b, 1)),
        }
    }
    let mut binding = ("network", "none".to_string());
    let mut most = 0;
    for (k, c) in counts {
        if c > most {
            most = c;
            binding = k;
        }
    }
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
    }))
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
    found.ok_or(StudyError::Interrupted("interrupted; nothing written"))
}
