//! Every bound an input must keep: the figures of a scenario file and the options of the
//! command line. The checks and their messages read them from here, so that a bound and the
//! message stating it cannot drift apart.
//!
//! A bound is inclusive unless its comment says otherwise.

/// The longest duration, in hours, that any figure of a scenario may come to (about 114
/// years): service and running times, headways, gaps between closures. Re-exported from
/// [`crate::random`], whose distributions keep their draws within it.
pub use crate::random::MAX_HOURS;

/// The largest number accepted for any figure of a scenario.
pub const MAX_NUMBER: f64 = 1.0e9;

/// The longest horizon accepted, in days (100 years).
pub const MAX_HORIZON_DAYS: f64 = 36_500.0;

/// The shortest time left to measure after the warm-up, in hours; the horizon must exceed
/// the warm-up by at least this much.
pub const MIN_MEASURED_HOURS: f64 = 1.0;

/// The fewest replications, in `[scenario].replications` and on the command line
/// (`--replications`).
pub const MIN_REPLICATIONS: u32 = 1;

/// The most replications, in `[scenario].replications` and on the command line
/// (`--replications`).
pub const MAX_REPLICATIONS: u32 = 1_000_000;

/// The earliest calendar year: of `[scenario].start_year`, and of the years the command
/// line's `forecast --years FIRST..LAST` runs.
pub const MIN_YEAR: i32 = 1900;

/// The latest calendar year: of `[scenario].start_year`, and of the years the command
/// line's `forecast --years FIRST..LAST` runs.
pub const MAX_YEAR: i32 = 2200;

/// The most years between the first and the last year of the command line's
/// `forecast --years FIRST..LAST` (LAST − FIRST), in years.
pub const MAX_FORECAST_SPAN_YEARS: i32 = 100;

/// The fewest worker threads on the command line (`--threads`).
pub const MIN_THREADS: u16 = 1;

/// The most worker threads on the command line (`--threads`).
pub const MAX_THREADS: u16 = 1024;

/// The bound below the command line's `--precision` (a share of the mean), exclusive: the
/// share must be above it.
pub const MIN_PRECISION: f64 = 0.0;

/// The bound above the command line's `--precision` (a share of the mean), exclusive: the
/// share must be below it.
pub const MAX_PRECISION: f64 = 1.0;

/// The bound below the command line's `forecast --saturation` (a utilisation), exclusive:
/// the utilisation must be above it.
pub const MIN_SATURATION: f64 = 0.0;

/// The largest utilisation the command line's `forecast --saturation` accepts.
pub const MAX_SATURATION: f64 = 1.0;

/// The bound below a capacity search's wait targets (`capacity --max-p95-wait-h`,
/// `--max-mean-wait-h`), in hours, exclusive: a target must be above it, as a figure is
/// measured against its target as a ratio.
pub const MIN_WAIT_TARGET_H: f64 = 0.0;

/// The smallest backlog target of a capacity search (`capacity --max-backlog-teu`), TEU.
pub const MIN_BACKLOG_TARGET_TEU: f64 = 0.0;

/// The largest latitude of a node, in degrees north; the smallest is its negative.
pub const MAX_LATITUDE_DEG: f64 = 90.0;

/// The largest longitude of a node, in degrees east; the smallest is its negative.
pub const MAX_LONGITUDE_DEG: f64 = 180.0;

/// The narrowest track gauge of a rail segment, in mm.
pub const MIN_GAUGE_MM: u32 = 500;

/// The widest track gauge of a rail segment, in mm.
pub const MAX_GAUGE_MM: u32 = 2000;

/// The most blocks (stretches between passing loops) of a single-track segment.
pub const MAX_BLOCKS: f64 = 100_000.0;

/// The fewest of anything counted in whole units: vessels of a ferry line, servers of a
/// stage, cranes or tracks of a gauge change, cranes working one train.
pub const MIN_COUNT: u32 = 1;

/// The most vessels of a ferry line.
pub const MAX_VESSELS: u32 = 10_000;

/// The bound on a ferry line's stormy days, in days per year, exclusive: a line must
/// have some days it can sail.
pub const MAX_STORM_DAYS_PER_YEAR: f64 = 365.0;

/// The most servers (lanes, booths, teams) of one stage of a crossing.
pub const MAX_STAGE_SERVERS: u32 = 100_000;

/// The smallest probability, e.g. of `inspect_prob`.
pub const MIN_PROBABILITY: f64 = 0.0;

/// The largest probability, e.g. of `inspect_prob`.
pub const MAX_PROBABILITY: f64 = 1.0;

/// The most cranes (transshipment) or tracks (bogie exchange) of a gauge change.
pub const MAX_GAUGE_CHANGE_SERVERS: u32 = 10_000;

/// The fewest vehicles a flow may send per year (one in a thousand years).
pub const MIN_VEHICLES_PER_YEAR: f64 = 1.0e-3;

/// The most vehicles a flow may send per year: beyond this a scenario is almost certainly
/// wrong (a TEU figure given as `unit_teu`, say), and a year would take very long to run.
pub const MAX_VEHICLES_PER_YEAR: f64 = 50_000_000.0;

/// The smallest load of one train or truck, TEU.
pub const MIN_UNIT_TEU: f64 = 1.0e-3;

/// The largest load of one train or truck, TEU.
pub const MAX_UNIT_TEU: f64 = 100_000.0;

/// The bound below a flow's `growth_per_year` (a yearly rate, −1 being −100 %), exclusive:
/// a flow cannot shrink to nothing in a year.
pub const MIN_GROWTH_PER_YEAR: f64 = -1.0;

/// The largest `growth_per_year` of a flow (a yearly rate, 10 being +1000 %).
pub const MAX_GROWTH_PER_YEAR: f64 = 10.0;

/// The fewest paths an adaptive flow chooses among (`k_paths`).
pub const MIN_K_PATHS: u32 = 1;

/// The most paths an adaptive flow chooses among (`k_paths`).
pub const MAX_K_PATHS: u32 = 10;

/// The most events a replication may handle in a year, as [`crate::model::Model::event_rate`]
/// estimates them (an upper estimate, one to four times the events a run handles): about
/// a minute or two of one core for each year simulated.
pub const MAX_EVENTS_PER_YEAR: f64 = 2e9;

/// The largest scenario file read, bytes: 64 MiB (a network of a hundred thousand nodes
/// takes a few MB).
pub const MAX_SCENARIO_BYTES: u64 = 64 << 20;

/// The most files in a chain of overlays (`[scenario].extends`), from the overlay read
/// first down to the base that extends nothing.
pub const MAX_OVERLAY_CHAIN: usize = 32;

/// The fastest plausible `speed_kmh` of a rail segment, km/h: a freight train runs at
/// 100–120 km/h at most. Faster is accepted with a warning (1500 is likely km per day).
pub const PLAUSIBLE_RAIL_SPEED_KMH: f64 = 160.0;

/// The fastest plausible `speed_kmh` of a road segment, km/h: a truck's average. Faster
/// is accepted with a warning.
pub const PLAUSIBLE_ROAD_SPEED_KMH: f64 = 120.0;

/// The largest plausible `growth_per_year` of a flow (+30 % a year, sustained). More is
/// accepted with a warning (5 is likely "5 %" meant as 0.05).
pub const PLAUSIBLE_GROWTH_PER_YEAR: f64 = 0.30;

/// The most points of a sweep (`corridor sweep`): the product of the numbers of values of
/// its `--set` and `--demand` options. Each point keeps its summary until the sweep ends.
pub const MAX_SWEEP_POINTS: usize = 1000;

/// The most wagons of one fleet.
pub const MAX_FLEET_WAGONS: u32 = 10_000_000;

/// The most locomotives of one fleet: each empty train under way takes one, so this also
/// bounds the empty trains alive at once.
pub const MAX_FLEET_LOCOMOTIVES: u32 = 1_000_000;
