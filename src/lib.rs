//! corridor: a discrete-event simulator of container freight on the Eurasian transit
//! corridors.
//!
//! A TOML scenario describes rail segments, roads and border crossings, and container flows
//! between origins and destinations. corridor moves every container train and truck through
//! that network, replicates the simulated period many times in parallel, and reports
//! throughput, transit times and border waits with 95 % confidence intervals.
//!
//! Data flows one way: [`scenario::load`] reads and checks a file into a [`model::Model`];
//! [`runner::run`] simulates replications of it in parallel (each one [`model::simulate`]
//! on one thread) and feeds them, in replication order, to a [`stats::Summariser`], which
//! keeps a running summary of every metric and nothing per replication; the [`report`]
//! module prints or writes the summary.
//!
//! ```
//! use std::path::Path;
//! let scenario = corridor::scenario::load(Path::new("scenarios/border_post.toml")).unwrap();
//! let opts = corridor::runner::RunOptions {
//!     replications: 4,
//!     seed: 1,
//!     warmup: scenario.settings.warmup.fixed().unwrap(),
//!     threads: Some(1),
//!     progress: false,
//!     source: corridor::runner::Source::Simulate,
//! };
//! let results = corridor::runner::run(&scenario.model, &opts).unwrap();
//! assert!(results.network.delivered_teu_per_year.mean > 0.0);
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod kernel;
pub mod model;
pub mod policy;
pub mod random;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod stats;
pub mod study;

/// Hours in a year: every rate given per year uses a 365-day year.
pub const HOURS_PER_YEAR: f64 = 8760.0;
