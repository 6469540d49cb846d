//! The vocabulary of the network that scenario files spell out: the kinds of node, of
//! vehicle, of arrival process and of cargo. The scenario layer reads them from TOML (hence
//! the serde derives); the model owns them.

use serde::Deserialize;

/// What a node is, as the scenario says.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// An inland terminal or city where flows start and end.
    Terminal,
    /// A junction of lines.
    Junction,
    /// A border station or checkpoint.
    Crossing,
    /// A sea port.
    Port,
}

/// The kind of vehicle a crossing or flow concerns.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Container trains on rail segments.
    Rail,
    /// Trucks on road segments.
    Road,
}

impl Mode {
    /// The TOML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Rail => "rail",
            Mode::Road => "road",
        }
    }
}

/// How a flow's vehicles arrive at its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Arrivals {
    /// A Poisson process: exponential gaps between vehicles.
    Poisson,
    /// Evenly spaced vehicles (a timetable), starting at a random phase.
    Regular,
}

/// What a flow carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Cargo {
    /// Containers: counted in the network's throughput and transit time.
    #[default]
    Containers,
    /// Other trains or trucks (bulk, oil, empties): they take track, road and border
    /// capacity, and are reported as a flow, but not counted in the network figures.
    Other,
}
