//! The scenario file as written: serde structs mirroring the TOML, before any check beyond
//! types and known keys. Unknown keys are refused here (`deny_unknown_fields`), with the
//! list of accepted keys in the message.

use crate::model::{Arrivals, Cargo, Mode, NodeKind};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A whole scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub scenario: RawHeader,
    #[serde(default)]
    pub node: Vec<RawNode>,
    #[serde(default)]
    pub rail: Vec<RawRail>,
    #[serde(default)]
    pub road: Vec<RawRoad>,
    #[serde(default)]
    pub crossing: Vec<RawCrossing>,
    #[serde(default)]
    pub flow: Vec<RawFlow>,
    #[serde(default)]
    pub ferry: Vec<RawFerry>,
    #[serde(default)]
    pub disruption: Vec<RawDisruption>,
    #[serde(default)]
    pub corridor: Vec<RawCorridor>,
    #[serde(default)]
    pub fleet: Vec<RawFleet>,
}

/// `[[fleet]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFleet {
    pub id: String,
    pub gauge_mm: i64,
    pub wagons: i64,
    pub teu_per_wagon: Option<f64>,
    pub locomotives: i64,
    pub home: RawHome,
    pub max_wagons_per_train: Option<i64>,
    pub turnaround_h: Option<f64>,
}

/// A fleet's `home` as written: one node, or a table of wagons by node, in file order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawHome {
    Node(String),
    PerNode(Vec<(String, i64)>),
}

impl<'de> Deserialize<'de> for RawHome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawHome;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a node id, or a table of wagons by node id such as { dostyk = 5000, brest = 2000 }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawHome, E> {
                Ok(RawHome::Node(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawHome, A::Error> {
                let mut nodes = Vec::new();
                while let Some((node, n)) = map.next_entry::<String, i64>()? {
                    nodes.push((node, n));
                }
                Ok(RawHome::PerNode(nodes))
            }
        }
        d.deserialize_any(V)
    }
}

/// `[[corridor]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCorridor {
    pub id: String,
    pub name: Option<String>,
    pub flows: Vec<String>,
}

/// `[[disruption]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDisruption {
    pub id: String,
    pub target: String,
    pub start_day: Option<f64>,
    pub end_day: Option<f64>,
    pub rate_per_year: Option<f64>,
    pub duration_h: Option<RawDist>,
}

/// `[scenario]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHeader {
    pub name: String,
    pub horizon_days: f64,
    #[serde(default)]
    pub warmup_days: RawWarmup,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default = "default_replications")]
    pub replications: i64,
    #[serde(default = "default_start_year")]
    pub start_year: i64,
}

/// `warmup_days`: a number of days, or `"auto"` to find it from the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RawWarmup {
    Days(f64),
    Auto,
}

impl Default for RawWarmup {
    fn default() -> Self {
        RawWarmup::Days(0.0)
    }
}

impl<'de> Deserialize<'de> for RawWarmup {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawWarmup;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of days or \"auto\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawWarmup, E> {
                Ok(RawWarmup::Days(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawWarmup, E> {
                Ok(RawWarmup::Days(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawWarmup, E> {
                Ok(RawWarmup::Days(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawWarmup, E> {
                if v == "auto" {
                    Ok(RawWarmup::Auto)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
        }
        d.deserialize_any(V)
    }
}

fn default_seed() -> u64 {
    1
}
fn default_replications() -> i64 {
    20
}
fn default_start_year() -> i64 {
    2025
}

/// `[[node]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNode {
    pub id: String,
    pub kind: NodeKind,
    pub name: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// `[[rail]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRail {
    pub id: String,
    pub from: String,
    pub to: String,
    pub length_km: f64,
    pub speed_kmh: f64,
    pub tracks: i64,
    pub headway_min: f64,
    pub gauge_mm: i64,
    pub loop_spacing_km: Option<f64>,
}

/// `[[road]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRoad {
    pub id: String,
    pub from: String,
    pub to: String,
    pub length_km: f64,
    pub speed_kmh: f64,
    pub capacity_trucks_per_h: Option<f64>,
}

/// `[[crossing]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCrossing {
    pub id: String,
    pub node: String,
    pub mode: Mode,
    pub open: Option<String>,
    #[serde(default)]
    pub closed_weekdays: Vec<String>,
    #[serde(default)]
    pub stage: Vec<RawStage>,
    pub gauge_change: Option<RawGaugeChange>,
    pub yard_capacity_teu: Option<f64>,
    pub priority: Option<String>,
}

/// `[[crossing.stage]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStage {
    pub name: String,
    pub servers: RawServers,
    pub service_h: RawDist,
    pub inspect_prob: Option<f64>,
    pub inspect_h: Option<RawDist>,
    pub from: Option<String>,
}

/// A stage's `servers` as written: a count shared by every direction, or a table of counts
/// by the node the vehicles come from (`{ alashankou = 2, aktogay = 1 }`), in file order.
pub(crate) type RawServers = RawPerSide<i64>;

/// A figure given for every direction, or per side: a table of figures by the node the
/// vehicles come from, in file order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawPerSide<T> {
    Shared(T),
    PerSide(Vec<(String, T)>),
}

/// A number that may be given per side: how one is read from an integer or a float, and
/// what a message says is expected.
pub(crate) trait SideFigure: Sized {
    /// What is expected, for serde's message.
    const EXPECTING: &'static str;
    /// The figure an integer gives.
    fn from_i64(v: i64) -> Self;
    /// The figure a float gives, if a float is accepted.
    fn from_f64(v: f64) -> Option<Self>;
}

impl SideFigure for i64 {
    const EXPECTING: &'static str = "an integer, or a table of integers by the node vehicles come from such as { alashankou = 2, aktogay = 1 }";
    fn from_i64(v: i64) -> Self {
        v
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl SideFigure for f64 {
    const EXPECTING: &'static str = "a number, or a table of numbers by the node vehicles come from such as { alashankou = 110, aktogay = 86 }";
    fn from_i64(v: i64) -> Self {
        v as f64
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

impl<'de, T: SideFigure + Deserialize<'de>> Deserialize<'de> for RawPerSide<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: SideFigure + Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = RawPerSide<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawPerSide<T>, E> {
                Ok(RawPerSide::Shared(T::from_i64(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawPerSide<T>, E> {
                Ok(RawPerSide::Shared(T::from_i64(
                    i64::try_from(v).unwrap_or(i64::MAX),
                )))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawPerSide<T>, E> {
                match T::from_f64(v) {
                    Some(x) => Ok(RawPerSide::Shared(x)),
                    None => Err(E::invalid_type(de::Unexpected::Float(v), &self)),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPerSide<T>, A::Error> {
                let mut sides = Vec::new();
                while let Some((node, n)) = map.next_entry::<String, T>()? {
                    sides.push((node, n));
                }
                Ok(RawPerSide::PerSide(sides))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `[crossing.gauge_change]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGaugeChange {
    pub method: String,
    pub cranes: Option<i64>,
    pub teu_per_crane_h: Option<f64>,
    pub cranes_per_train: Option<i64>,
    pub tracks: Option<i64>,
    pub wagon_h: Option<f64>,
    pub teu_per_wagon: Option<f64>,
    pub other_tracks: Option<i64>,
    pub other_train_h: Option<RawDist>,
    pub train_teu: Option<RawPerSide<f64>>,
    pub max_form_h: Option<f64>,
}

/// `[[ferry]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFerry {
    pub id: String,
    pub from: String,
    pub to: String,
    pub vessels: i64,
    pub capacity_teu: f64,
    pub load_h: f64,
    pub sail_h: f64,
    #[serde(default = "default_depart")]
    pub depart: String,
    pub every_h: Option<f64>,
    pub max_wait_h: Option<f64>,
    pub port_yard_capacity_teu: Option<f64>,
    pub weather: Option<RawWeather>,
}

fn default_depart() -> String {
    "when_full".to_string()
}

/// `weather` of a ferry line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWeather {
    pub storm_days_per_year: f64,
    pub mean_storm_h: f64,
}

/// `[[flow]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFlow {
    pub id: String,
    pub from: String,
    pub to: String,
    pub mode: Mode,
    pub teu_per_year: f64,
    pub unit_teu: f64,
    #[serde(default = "default_arrivals")]
    pub arrivals: Arrivals,
    #[serde(default)]
    pub growth_per_year: f64,
    pub route: Option<Vec<String>>,
    pub route_choice: Option<String>,
    pub k_paths: Option<i64>,
    #[serde(default)]
    pub cargo: Cargo,
    #[serde(default)]
    pub transit: bool,
    pub max_form_h: Option<f64>,
    pub container_teu: Option<f64>,
}

fn default_arrivals() -> Arrivals {
    Arrivals::Poisson
}

/// A distribution as written: a bare number (a constant) or an inline table with `dist`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawDist {
    Const(f64),
    Table(RawDistTable),
}

/// The inline-table form of a distribution; which keys are needed depends on `dist`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDistTable {
    pub dist: String,
    pub value: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub mode: Option<f64>,
    pub max: Option<f64>,
    pub values: Option<Vec<f64>>,
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawDist;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number of hours or a distribution table such as { dist = \"exp\", mean = 1.0 }",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
                Ok(RawDist::Const(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
                Ok(RawDist::Const(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
                Ok(RawDist::Const(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawDist, A::Error> {
                RawDistTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawDist::Table)
            }
        }
        d.deserialize_any(V)
    }
}
