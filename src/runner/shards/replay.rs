//! Reading partial results back for the merge, batch after batch, in replication order.

use super::part::{BatchEntry, Part};
use super::{lock, PartError};
use serde::de::DeserializeOwned;
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Mutex;

/// Reads partial results back, batch after batch, in replication order.
pub struct Replayer {
    /// The parts, in the order of their shards.
    parts: Vec<Part>,
    /// The next batch the study will ask for.
    next: Mutex<usize>,
}

/// Replications of a merged command that no part held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// Shards of which no part was given.
    pub shards: Vec<u32>,
    /// Parts written by an interrupted shard.
    pub interrupted: Vec<PathBuf>,
    /// Per batch (in order, from 0), the replications `[first, end)` no part held.
    pub replications: Vec<(usize, Vec<[u64; 2]>)>,
}

impl Missing {
    /// True when nothing is missing.
    pub fn is_empty(&self) -> bool {
        self.shards.is_empty() && self.interrupted.is_empty() && self.replications.is_empty()
    }
}

impl Replayer {
    /// Checks that `parts` come from one command (same format, version, command, seeds,
    /// scenarios and shard count), that no shard is given twice and, unless
    /// `allow_missing`, that every shard is there and ran to its end.
    pub fn new(mut parts: Vec<Part>, allow_missing: bool) -> Result<Replayer, PartError> {
        let Some(first) = parts.first().cloned() else {
            return Err(PartError::Refused("no partial result to merge".into()));
        };
        let name = |p: &Part| p.path.display().to_string();
        let (a, h) = (name(&first), &first.header);
        for p in &parts[1..] {
            let (b, g) = (name(p), &p.header);
            let differ = |what: &str, x: &dyn fmt::Debug, y: &dyn fmt::Debug| {
                PartError::Refused(format!(
                    "{a} and {b} differ in {what}: {x:?} against {y:?}; merge the parts of one command"
                ))
            };
            if g.version != h.version {
                return Err(differ("the version of corridor", &h.version, &g.version));
            }
            if g.shards != h.shards {
                return Err(differ("the number of shards", &h.shards, &g.shards));
            }
            for (k, (x, y)) in h.batches.iter().zip(&g.batches).enumerate() {
                if x.seed != y.seed {
                    return Err(differ("the seed", &x.seed, &y.seed));
                }
                if x.range != y.range {
                    return Err(differ(
                        &format!("the replications of batch {k}"),
                        &x.range,
                        &y.range,
                    ));
                }
                if x.fingerprint != y.fingerprint || x.tasks != y.tasks {
                    return Err(differ(
                        "the scenario (after overlays and --set)",
                        &x.fingerprint,
                        &y.fingerprint,
                    ));
                }
            }
            // Last: options that change the batches are named above by what they change.
            if g.command != h.command {
                return Err(differ(
                    "the command",
                    &h.command.join(" "),
                    &g.command.join(" "),
                ));
            }
        }
        parts.sort_by_key(|p| p.header.shard);
        for w in parts.windows(2) {
            if w[0].header.shard == w[1].header.shard {
                return Err(PartError::Refused(format!(
                    "{} and {} are both shard {}/{}: give each shard once (a re-run replaces its part in --out)",
                    name(&w[0]),
                    name(&w[1]),
                    w[0].header.shard,
                    w[0].header.shards
                )));
            }
        }
        let replayer = Replayer {
            parts,
            next: Mutex::new(0),
        };
        let missing = replayer.missing();
        if !allow_missing && !missing.is_empty() {
            let mut why = Vec::new();
            if !missing.shards.is_empty() {
                let list: Vec<String> = missing.shards.iter().map(u32::to_string).collect();
                let (s, are) = match list.len() {
                    1 => ("", "is"),
                    _ => ("s", "are"),
                };
                why.push(format!(
                    "shard{s} {} of {} {are} missing",
                    list.join(", "),
                    h.shards
                ));
            }
            for p in &missing.interrupted {
                why.push(format!("{} was interrupted", p.display()));
            }
            return Err(PartError::Refused(format!(
                "{}: run the shards again, or merge what is there with --allow-missing",
                why.join("; ")
            )));
        }
        Ok(replayer)
    }

    /// The parts, in the order of their shards.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// What no part holds.
    pub fn missing(&self) -> Missing {
        let Some(first) = self.parts.first() else {
            return Missing {
                shards: Vec::new(),
                interrupted: Vec::new(),
                replications: Vec::new(),
            };
        };
        let count = first.header.shards;
        let shards = (1..=count)
            .filter(|s| !self.parts.iter().any(|p| p.header.shard == *s))
            .collect();
        let interrupted = (self.parts.iter())
            .filter(|p| !p.header.complete)
            .map(|p| p.path.clone())
            .collect();
        let batches = (self.parts.iter())
            .map(|p| p.header.batches.len())
            .max()
            .unwrap_or(0);
        let mut replications = Vec::new();
        for k in 0..batches {
            let Some(range) = (self.parts.iter()).find_map(|p| p.header.batches.get(k)) else {
                continue;
            };
            let mut gaps = Vec::new();
            let mut at = range.range[0];
            for b in self.parts.iter().filter_map(|p| p.header.batches.get(k)) {
                if b.held[0] > at {
                    gaps.push([at, b.held[0]]);
                }
                at = at.max(b.held[1]);
            }
            if at < range.range[1] {
                gaps.push([at, range.range[1]]);
            }
            if !gaps.is_empty() {
                replications.push((k, gaps));
            }
        }
        Missing {
            shards,
            interrupted,
            replications,
        }
    }

    /// Hands `each` the records of the next batch, one replication at a time in
    /// replication order, after checking that the batch the study asks for
    /// (fingerprint `print`, `seed`, `range`, `tasks`) is the one the parts hold.
    pub(in crate::runner) fn replay<T: DeserializeOwned>(
        &self,
        print: String,
        seed: u64,
        range: &std::ops::Range<u64>,
        tasks: usize,
        mut each: impl FnMut(&mut Vec<T>),
    ) -> Result<(), PartError> {
        let k = {
            let mut next = lock(&self.next);
            *next += 1;
            *next - 1
        };
        let asked = BatchEntry {
            fingerprint: print,
            seed,
            range: [range.start, range.end],
            tasks: tasks as u32,
            slice: [0, 0],
            held: [0, 0],
            offset: 0,
        };
        let mut rep = Vec::with_capacity(tasks);
        for part in &self.parts {
            let Some(b) = part.header.batches.get(k) else {
                continue;
            };
            if !b.same_batch(&asked) {
                return Err(PartError::Refused(format!(
                    "{} does not hold what this command runs in its batch {k} (replications {}..{}, seed {}): the scenario files or the options changed since the shards ran",
                    part.path.display(),
                    range.start,
                    range.end,
                    seed
                )));
            }
            let path = &part.path;
            let bad = |why: String| PartError::Format {
                path: path.clone(),
                why,
            };
            let mut f = File::open(path).map_err(|source| PartError::Io {
                path: path.clone(),
                source,
            })?;
            f.seek(SeekFrom::Start(part.records_start + b.offset))
                .map_err(|source| PartError::Io {
                    path: path.clone(),
                    source,
                })?;
            let mut r = BufReader::new(f);
            for replication in b.held[0]..b.held[1] {
                rep.clear();
                let record: Vec<T> = ciborium::from_reader(&mut r).map_err(|e| {
                    bad(format!(
                        "the record of replication {replication} cannot be read ({e})"
                    ))
                })?;
                if record.len() != tasks {
                    return Err(bad(format!(
                        "replication {replication} holds {} records, not {tasks}",
                        record.len()
                    )));
                }
                rep.extend(record);
                each(&mut rep);
            }
        }
        Ok(())
    }
}
