//! The scenario file as written: serde structs mirroring the TOML, before any check beyond
//! types and known keys. Unknown keys are refused here (`deny_unknown_fields`), with the
//! list of accepted keys in the message.

use crate::model::{Arrivals, Cargo, Mode, NodeKind};
use crate::random::DIST_PARAMETERS;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::fmt;

/// A whole scenario file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    /// The scenario's name, horizon, warm-up, seed, replications and start year.
    pub scenario: RawHeader,
    /// Places: terminals, junctions, border stations, ports.
    #[serde(default)]
    pub node: Vec<RawNode>,
    /// Rail segments between two nodes: double track, or single track with passing loops.
    #[serde(default)]
    pub rail: Vec<RawRail>,
    /// Road segments between two nodes.
    #[serde(default)]
    pub road: Vec<RawRoad>,
    /// Border crossings, each at one node for one mode, with their control stages and gauge change.
    #[serde(default)]
    pub crossing: Vec<RawCrossing>,
    /// Container flows (and other traffic) from an origin to a destination.
    #[serde(default)]
    pub flow: Vec<RawFlow>,
    /// Ferry lines between two ports.
    #[serde(default)]
    pub ferry: Vec<RawFerry>,
    /// Closures of segments, crossings, ferry lines and ports, scheduled or at random.
    #[serde(default)]
    pub disruption: Vec<RawDisruption>,
    /// Groups of flows reported together.
    #[serde(default)]
    pub corridor: Vec<RawCorridor>,
    /// Wagons and locomotives of one gauge region.
    #[serde(default)]
    pub fleet: Vec<RawFleet>,
}

/// `[[fleet]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFleet {
    /// Unique id among fleets.
    pub id: String,
    /// The gauge of the legs it serves, mm (the gauge of some rail segment; one fleet per gauge).
    pub gauge_mm: i64,
    /// Container wagons (flat cars), 1 to 10,000,000.
    pub wagons: i64,
    /// TEU one wagon carries (default 2).
    pub teu_per_wagon: Option<f64>,
    /// Locomotives, one per train, loaded or empty; 1 to 1,000,000.
    pub locomotives: i64,
    /// Where the stock starts and where stock no train needs returns: a node id, or a table of wagons by node id such as { dostyk = 5000, brest = 2000 }.
    pub home: RawHome,
    /// Most wagons in one train, loaded or empty (default: no limit).
    pub max_wagons_per_train: Option<i64>,
    /// Hours released stock takes before it serves again (default 0).
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCorridor {
    /// Unique id among corridors.
    pub id: String,
    /// The name tables show with the id.
    pub name: Option<String>,
    /// Its flows, by id (at least one, each once).
    pub flows: Vec<String>,
}

/// `[[disruption]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDisruption {
    /// Unique id among disruptions.
    pub id: String,
    /// What closes: the id of a segment, crossing, ferry line or port node, or "kind:id" with kind segment, rail, road, crossing, ferry or port.
    pub target: String,
    /// Start of a scheduled closure, days since the start of the simulated period (with end_day).
    pub start_day: Option<f64>,
    /// End of a scheduled closure, days (with start_day).
    pub end_day: Option<f64>,
    /// Closures at random: a Poisson process of this rate a year of open time (with duration_h).
    pub rate_per_year: Option<f64>,
    /// Each random closure's length, hours: a number or a distribution table.
    pub duration_h: Option<RawDist>,
}

/// `[scenario]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHeader {
    /// The scenario's name, printed at the head of every report.
    pub name: String,
    /// Length of each replication, warm-up included, days (above 0, at most 36,500).
    pub horizon_days: f64,
    /// Days discarded before measuring (default 0), or "auto" to find them from the data (MSER-5).
    #[serde(default)]
    pub warmup_days: RawWarmup,
    /// Seed of the random streams (default 1).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Replications run (default 20; 1 to 1,000,000).
    #[serde(default = "default_replications")]
    pub replications: i64,
    /// Calendar year in which simulated time starts, 1 January 00:00 (default 2025; 1900 to 2200).
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNode {
    /// Unique id among nodes.
    pub id: String,
    /// What the node is.
    pub kind: NodeKind,
    /// A display name.
    pub name: Option<String>,
    /// The country.
    pub country: Option<String>,
    /// Latitude, degrees (-90 to 90); maps place the node by it.
    pub lat: Option<f64>,
    /// Longitude, degrees (-180 to 180).
    pub lon: Option<f64>,
}

/// `[[rail]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRail {
    /// Unique id among rail and road segments.
    pub id: String,
    /// One end: a node id.
    pub from: String,
    /// The other end: a node id.
    pub to: String,
    /// Length, km (0 or more).
    pub length_km: f64,
    /// Running speed, km/h (an average including stops where the scenario says so).
    pub speed_kmh: f64,
    /// 2: double track, a track per direction; 1: single track shared by both directions.
    pub tracks: i64,
    /// Double track: least spacing of trains entering a direction, minutes; single track: time a block stays closed after a train leaves it, minutes.
    pub headway_min: f64,
    /// Track gauge, mm (500 to 2000; e.g. 1435 or 1520).
    pub gauge_mm: i64,
    /// Single track: km between passing loops; the segment is cut into ceil(length / spacing) equal blocks (default: one block).
    pub loop_spacing_km: Option<f64>,
}

/// `[[road]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRoad {
    /// Unique id among rail and road segments.
    pub id: String,
    /// One end: a node id.
    pub from: String,
    /// The other end: a node id.
    pub to: String,
    /// Length, km (0 or more).
    pub length_km: f64,
    /// Free-flow speed, km/h.
    pub speed_kmh: f64,
    /// Capacity per direction, trucks an hour: trucks enter a direction at least 1/capacity hours apart (default: free flow).
    pub capacity_trucks_per_h: Option<f64>,
}

/// `[[crossing]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCrossing {
    /// Unique id among crossings.
    pub id: String,
    /// Where it is: a node id (one crossing per node and mode).
    pub node: String,
    /// Which vehicles it handles.
    pub mode: Mode,
    /// Hours when services start, "HH:MM-HH:MM" (default: all day; "22:00-06:00" wraps past midnight).
    pub open: Option<String>,
    /// Days closed 00:00-24:00: "mon" to "sun".
    #[serde(default)]
    pub closed_weekdays: Vec<String>,
    /// The control stages, in the order vehicles pass them.
    #[serde(default)]
    pub stage: Vec<RawStage>,
    /// The change of gauge (rail crossings only).
    pub gauge_change: Option<RawGaugeChange>,
    /// Most TEU inside the crossing, queued or served (default: no limit); more wait upstream.
    pub yard_capacity_teu: Option<f64>,
    /// "transit": every stage serves vehicles of flows with transit = true first; "none" (default).
    pub priority: Option<String>,
}

/// `[[crossing.stage]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStage {
    /// The stage's name.
    pub name: String,
    /// Vehicles served at once (lanes, tracks, teams), 1 to 100,000; or a table of counts by the node vehicles come from, such as { alashankou = 2, aktogay = 1 }.
    pub servers: RawServers,
    /// Time a vehicle holds a server, hours: a number or a distribution table.
    pub service_h: RawDist,
    /// Share of vehicles inspected, 0 to 1 (default 0).
    pub inspect_prob: Option<f64>,
    /// Extra hours an inspected vehicle holds its server: a number or a distribution table.
    pub inspect_h: Option<RawDist>,
    /// The stage serves only vehicles that reach the crossing from this node (default: every side).
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
    /// The JSON Schema type of the figure (`integer` or `number`).
    const JSON_TYPE: &'static str;
    /// The figure an integer gives.
    fn from_i64(v: i64) -> Self;
    /// The figure a float gives, if a float is accepted.
    fn from_f64(v: f64) -> Option<Self>;
}

impl SideFigure for i64 {
    const JSON_TYPE: &'static str = "integer";
    const EXPECTING: &'static str = "an integer, or a table of integers by the node vehicles come from such as { alashankou = 2, aktogay = 1 }";
    fn from_i64(v: i64) -> Self {
        v
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl SideFigure for f64 {
    const JSON_TYPE: &'static str = "number";
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGaugeChange {
    /// "transshipment" (containers craned between trains) or "bogie_exchange" (wagons lifted onto new bogies).
    pub method: String,
    /// Transshipment: crane positions (1 to 10,000).
    pub cranes: Option<i64>,
    /// Transshipment: one crane's rate, TEU an hour.
    pub teu_per_crane_h: Option<f64>,
    /// Transshipment: cranes working one train, a divisor of cranes (default: all of them).
    pub cranes_per_train: Option<i64>,
    /// Bogie exchange: trains handled at once (1 to 10,000).
    pub tracks: Option<i64>,
    /// Bogie exchange: hours per wagon.
    pub wagon_h: Option<f64>,
    /// Bogie exchange: TEU a wagon carries (default 2).
    pub teu_per_wagon: Option<f64>,
    /// Trains that are not container trains (cargo = "other") handled at once (with other_train_h).
    pub other_tracks: Option<i64>,
    /// Hours one train that is not a container train takes to change gauge: a number or a distribution table (with other_tracks).
    pub other_train_h: Option<RawDist>,
    /// Transshipment: container trains are formed anew after it, in trains of this many TEU; or a table of TEU by the node the trains come from (with max_form_h).
    pub train_teu: Option<RawPerSide<f64>>,
    /// Longest a container waits for its new train after the transshipment, hours (with train_teu).
    pub max_form_h: Option<f64>,
}

/// `[[ferry]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFerry {
    /// Unique id among ferry lines.
    pub id: String,
    /// The port where every vessel starts: a node id of kind "port".
    pub from: String,
    /// The other port: a node id of kind "port".
    pub to: String,
    /// Vessels on the line (1 to 10,000).
    pub vessels: i64,
    /// A vessel's capacity, TEU.
    pub capacity_teu: f64,
    /// Hours at the berth before each sailing.
    pub load_h: f64,
    /// Sailing time, hours.
    pub sail_h: f64,
    /// When a vessel leaves: "when_full" (default) or "schedule".
    #[serde(default = "default_depart")]
    pub depart: String,
    /// With "schedule": a sailing slot from each port every this many hours.
    pub every_h: Option<f64>,
    /// With "when_full": the longest a vessel waits after its first vehicle boarded, hours.
    pub max_wait_h: Option<f64>,
    /// Most TEU in each port's yard (default: no limit); more wait upstream.
    pub port_yard_capacity_teu: Option<f64>,
    /// Storms that stop sailings (default: none).
    pub weather: Option<RawWeather>,
}

fn default_depart() -> String {
    "when_full".to_string()
}

/// `weather` of a ferry line.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWeather {
    /// Storm days a year on average (0 to below 365).
    pub storm_days_per_year: f64,
    /// Mean length of a storm, hours.
    pub mean_storm_h: f64,
}

/// `[[flow]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFlow {
    /// Unique id among flows.
    pub id: String,
    /// Origin: a node id.
    pub from: String,
    /// Destination: a node id.
    pub to: String,
    /// Trains on rail segments or trucks on roads (either may take a ferry).
    pub mode: Mode,
    /// Demand at the start of the simulated period, TEU a year.
    pub teu_per_year: f64,
    /// TEU per train or truck (0.001 to 100,000).
    pub unit_teu: f64,
    /// Poisson arrivals (default), or evenly spaced ones.
    #[serde(default = "default_arrivals")]
    pub arrivals: Arrivals,
    /// Demand growth, a share a year compounded over simulated time (0.05 is +5 % a year; default 0).
    #[serde(default)]
    pub growth_per_year: f64,
    /// A fixed route: node ids from `from` to `to` (not with route_choice).
    pub route: Option<Vec<String>>,
    /// "fastest" (default: least free-flow time) or "adaptive" (each vehicle picks among the k_paths fastest by the queues when it departs).
    pub route_choice: Option<String>,
    /// Routes to choose from with "adaptive" (1 to 10; default 3).
    pub k_paths: Option<i64>,
    /// "containers" (default) or "other": other traffic takes capacity but is left out of the network's figures.
    #[serde(default)]
    pub cargo: Cargo,
    /// Served first at crossings with priority = "transit" (default false).
    #[serde(default)]
    pub transit: bool,
    /// The flow arrives as containers formed into trains of up to unit_teu at its origin; a train leaves when full or when its oldest container has waited this many hours.
    pub max_form_h: Option<f64>,
    /// TEU of one arrival when trains are formed (default 1; at most unit_teu).
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
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = dist_table_schema)]
pub(crate) struct RawDistTable {
    /// The distribution's name, one of [`DIST_PARAMETERS`] (the schema lists them).
    pub dist: String,
    /// "const": the value, hours.
    pub value: Option<f64>,
    /// "exp", "lognormal", "gamma": the mean, hours.
    pub mean: Option<f64>,
    /// "lognormal", "gamma": the standard deviation, hours.
    pub sd: Option<f64>,
    /// "uniform", "tri": the least value, hours.
    pub min: Option<f64>,
    /// "tri": the most likely value, hours.
    pub mode: Option<f64>,
    /// "uniform", "tri": the greatest value, hours.
    pub max: Option<f64>,
    /// "empirical": the values, each equally likely, hours.
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

// The forms serde reads by hand have their schemas written by hand: each what its
// deserializer accepts.

impl JsonSchema for RawHome {
    fn schema_name() -> Cow<'static, str> {
        "Home".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A node id, or a table of wagons by node id such as { dostyk = 5000, brest = 2000 }.",
            "anyOf": [
                { "type": "string" },
                { "type": "object", "additionalProperties": { "type": "integer" } }
            ]
        })
    }
}

impl JsonSchema for RawWarmup {
    fn schema_name() -> Cow<'static, str> {
        "Warmup".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number of days, or \"auto\" to find the warm-up from the data.",
            "anyOf": [{ "type": "number" }, { "const": "auto" }]
        })
    }
}

impl<T: SideFigure> JsonSchema for RawPerSide<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("PerSide_{}", T::JSON_TYPE).into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": T::EXPECTING,
            "anyOf": [
                { "type": T::JSON_TYPE },
                { "type": "object", "additionalProperties": { "type": T::JSON_TYPE } }
            ]
        })
    }
}

/// Adds to the derived schema of a distribution table `schema` what its keys alone do not
/// say, from the list the loader checks against: the names `dist` accepts, and for each
/// the parameters it takes, all of them and no other.
fn dist_table_schema(schema: &mut Schema) {
    let names: Vec<&str> = DIST_PARAMETERS.iter().map(|(name, _)| *name).collect();
    let each: Vec<String> = DIST_PARAMETERS
        .iter()
        .map(|(name, takes)| format!("\"{name}\" ({})", takes.join(", ")))
        .collect();
    if let Some(dist) = schema
        .get_mut("properties")
        .and_then(|p| p.get_mut("dist"))
        .and_then(Value::as_object_mut)
    {
        dist.insert(
            "description".into(),
            format!(
                "The distribution, with the parameters it takes: {}.",
                each.join(", ")
            )
            .into(),
        );
        dist.insert("enum".into(), json!(names));
    }
    let forms: Vec<Value> = DIST_PARAMETERS
        .iter()
        .map(|(name, takes)| {
            let keys: Vec<&str> = std::iter::once("dist")
                .chain(takes.iter().copied())
                .collect();
            json!({
                "properties": { "dist": { "const": name } },
                "required": keys,
                "propertyNames": { "enum": keys }
            })
        })
        .collect();
    schema.insert("anyOf".into(), Value::Array(forms));
}

impl JsonSchema for RawDist {
    fn schema_name() -> Cow<'static, str> {
        "Distribution".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let table = generator.subschema_for::<RawDistTable>();
        json_schema!({
            "description": "Hours: a number (a constant), or a distribution table such as { dist = \"exp\", mean = 1.0 }.",
            "anyOf": [{ "type": "number" }, table]
        })
    }
}
