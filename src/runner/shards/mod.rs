//! Shards: the replications of every batch of a study cut into N disjoint slices, run
//! apart (by a batch scheduler: a Slurm job array, a Kubernetes indexed Job, GNU parallel)
//! and each written as a partial result; and the merge, which reads the partials back and
//! hands the study every replication's record in replication order, so that the study
//! gives exactly the document one machine would have given.
//!
//! A partial result is one file:
//!
//! | bytes | what |
//! |---|---|
//! | 8 | the magic `CRDRPART` |
//! | 8 | the length of the header, little-endian |
//! | header | a [`PartHeader`] in CBOR (RFC 8949) |
//! | records | per batch, per replication held, the replication's record in CBOR |
//!
//! A record is what the study's reader gets from the runner: the observations of each
//! model of the batch ([`crate::stats::ReplicationObs`]), or a capacity search's answer.
//! CBOR keeps every number exactly, NaN (nothing observed) included, so that the merge
//! sums the very same numbers in the very same order as one machine.
//!
//! [`record`] writes a shard's partial result, [`part`] is its file, [`replay`] reads
//! partial results back for the merge.

mod part;
mod record;
mod replay;

pub use part::{BatchEntry, Part, PartHeader, PART_FORMAT};
pub use record::Recorder;
pub use replay::{Missing, Replayer};

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// Shard `index` (1 to `count`) of `count`: the `index`-th of `count` disjoint slices of
/// the replications of each batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 1.
    pub index: u32,
    /// How many slices.
    pub count: u32,
}

impl Shard {
    /// This shard's slice of the replications `range`: contiguous, and the slices of
    /// shards 1 to N follow one another and cover `range`.
    pub fn slice(self, range: &std::ops::Range<u64>) -> std::ops::Range<u64> {
        let len = u128::from(range.end - range.start);
        let at = |i: u32| range.start + (len * u128::from(i) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }

    /// The file name of this shard's partial result: `part-I-of-N.cbor`, with I padded to
    /// the width of N so that a directory lists the parts in order.
    pub fn file_name(self) -> String {
        let width = self.count.to_string().len();
        format!("part-{:0width$}-of-{}.cbor", self.index, self.count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Where a batch's replications come from.
#[derive(Clone, Default)]
pub enum Source {
    /// Simulated here, all of them.
    #[default]
    Simulate,
    /// Simulated here, this shard's slice only, and recorded into a partial result.
    Record(Arc<Recorder>),
    /// Read back from partial results, in replication order.
    Replay(Arc<Replayer>),
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Source::Simulate, Source::Simulate) => true,
            (Source::Record(a), Source::Record(b)) => Arc::ptr_eq(a, b),
            (Source::Replay(a), Source::Replay(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Source {}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Simulate => f.write_str("Simulate"),
            Source::Record(r) => write!(f, "Record({})", r.shard()),
            Source::Replay(r) => write!(f, "Replay({} parts)", r.parts().len()),
        }
    }
}

/// A partial result that could not be written or read, or that does not fit the others.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PartError {
    /// Reading or writing the file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a partial result of this format, or is damaged.
    #[error("{}: {why}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// More shards than replications in a batch: some would hold none.
    #[error("--shard {shard}: a batch of {replications} replications cut into {} shards leaves some empty; give at most {replications} shards", shard.count)]
    EmptyShard {
        /// The shard.
        shard: Shard,
        /// The replications of the batch.
        replications: u64,
    },
    /// The parts cannot be merged: they differ, or some are missing.
    #[error("{0}")]
    Refused(String),
}

/// FNV-1a, 128 bits: the fingerprint of what a batch runs, fed with the `Debug` text of its
/// models (which is every value the simulation reads, in a fixed order).
pub struct Fingerprint(u128);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d)
    }
}

impl Fingerprint {
    /// Adds `bytes`.
    pub fn add(&mut self, bytes: &[u8]) {
        const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    /// The fingerprint as 32 hexadecimal digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }
}

impl fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.add(s.as_bytes());
        Ok(())
    }
}

/// The fingerprint of a batch: `what` (its models and warm-ups, written with `Debug`), its
/// seed, replications and tasks per replication.
pub fn fingerprint(
    what: &dyn fmt::Debug,
    seed: u64,
    range: &std::ops::Range<u64>,
    tasks: usize,
) -> String {
    use fmt::Write as _;
    let mut f = Fingerprint::default();
    let _ = write!(f, "{what:?}|{seed}|{range:?}|{tasks}");
    f.hex()
}

/// Locks `m`, whatever a thread that panicked holding it left: the data are records and
/// counts, whole at every step.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slices_of_the_shards_follow_one_another_and_cover_the_range() {
        for (start, len) in [(0u64, 10u64), (5, 7), (0, 1000), (3, 4)] {
            for count in 1..=len.min(12) as u32 {
                let range = start..start + len;
                let mut at = start;
                for index in 1..=count {
                    let s = Shard { index, count }.slice(&range);
                    assert_eq!(s.start, at);
                    assert!(!s.is_empty(), "{index}/{count} of {range:?}");
                    at = s.end;
                }
                assert_eq!(at, range.end);
            }
        }
    }

    #[test]
    fn part_names_sort_in_shard_order() {
        let names: Vec<String> = (1..=12)
            .map(|index| Shard { index, count: 12 }.file_name())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(names[2], "part-03-of-12.cbor");
    }

    #[test]
    fn fingerprints_tell_different_inputs_apart() {
        let a = fingerprint(&"model a", 1, &(0..10), 1);
        assert_eq!(a, fingerprint(&"model a", 1, &(0..10), 1));
        assert_ne!(a, fingerprint(&"model b", 1, &(0..10), 1));
        assert_ne!(a, fingerprint(&"model a", 2, &(0..10), 1));
        assert_ne!(a, fingerprint(&"model a", 1, &(0..11), 1));
        assert_ne!(a, fingerprint(&"model a", 1, &(0..10), 2));
    }
}
