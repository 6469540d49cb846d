//! A partial result's file: its magic, its header and where its records start.

use super::PartError;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The first eight bytes of a partial result.
pub(super) const MAGIC: &[u8; 8] = b"CRDRPART";
/// The `format` of the partial results this version writes and reads.
pub const PART_FORMAT: &str = "corridor.partial/1";
/// The largest header read back (a header lists the batches, one line of numbers each).
const MAX_HEADER_BYTES: u64 = 64 << 20;

/// One batch as a partial result holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchEntry {
    /// What the batch runs: its models and warm-ups, seed, replications and records per
    /// replication, hashed ([`fingerprint`]). Equal in every part of one command.
    pub fingerprint: String,
    /// The seed of its random streams.
    pub seed: u64,
    /// The replications of the whole batch, `[first, end)`.
    pub range: [u64; 2],
    /// Records per replication (one per model run together).
    pub tasks: u32,
    /// This shard's slice of `range`.
    pub slice: [u64; 2],
    /// The replications recorded, from the first of `slice` on: all of it unless the shard
    /// was interrupted.
    pub held: [u64; 2],
    /// Where its records start, in bytes from the start of the records.
    pub offset: u64,
}

impl BatchEntry {
    /// True when the same batch as `other` (only the slice and what is held may differ).
    pub(super) fn same_batch(&self, other: &BatchEntry) -> bool {
        self.fingerprint == other.fingerprint
            && self.seed == other.seed
            && self.range == other.range
            && self.tasks == other.tasks
    }
}

/// What a partial result says of itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartHeader {
    /// [`PART_FORMAT`].
    pub format: String,
    /// The version of corridor that wrote it.
    pub version: String,
    /// The command that ran, as given, less the options that do not change its results
    /// (`--shard`, `--out`, `--format`, `--quiet`, `--threads`, `--html`,
    /// `--memory-budget-mb`).
    pub command: Vec<String>,
    /// The directory it ran in, against which the command's files are read.
    pub cwd: String,
    /// Which shard.
    pub shard: u32,
    /// Of how many.
    pub shards: u32,
    /// False when the shard was interrupted (Ctrl-C, SIGTERM, SIGHUP) before it ran all of
    /// its slices: it holds what it finished.
    pub complete: bool,
    /// Every batch the shard ran, in order.
    pub batches: Vec<BatchEntry>,
}

/// A partial result opened for the merge: its file, header, and where its records start.
#[derive(Debug, Clone)]
pub struct Part {
    /// The file.
    pub path: PathBuf,
    /// What it says of itself.
    pub header: PartHeader,
    pub(super) records_start: u64,
}

impl Part {
    /// Opens the partial result at `path` and reads its header.
    pub fn open(path: &Path) -> Result<Part, PartError> {
        let bad = |why: String| PartError::Format {
            path: path.to_path_buf(),
            why,
        };
        let io = |source| PartError::Io {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            return Err(bad("is a directory, not a partial result".into()));
        }
        let mut f = File::open(path).map_err(io)?;
        let mut lead = [0u8; 16];
        if f.read_exact(&mut lead).is_err() || &lead[..8] != MAGIC {
            return Err(bad(
                "not a partial result of corridor (written by --shard I/N --out DIR)".into(),
            ));
        }
        let len = u64::from_le_bytes(lead[8..].try_into().unwrap_or_default());
        let size = f.metadata().map_err(io)?.len();
        if len > MAX_HEADER_BYTES || 16 + len > size {
            return Err(bad("the file is cut short or damaged".into()));
        }
        let mut head = vec![0u8; len as usize];
        f.read_exact(&mut head).map_err(io)?;
        let header: PartHeader = ciborium::from_reader(&head[..])
            .map_err(|e| bad(format!("its header cannot be read ({e})")))?;
        if header.format != PART_FORMAT {
            return Err(bad(format!(
                "format {:?}; this corridor reads {PART_FORMAT:?}",
                header.format
            )));
        }
        if header.shards == 0 || header.shard == 0 || header.shard > header.shards {
            return Err(bad(format!(
                "shard {}/{} is not a shard",
                header.shard, header.shards
            )));
        }
        Ok(Part {
            path: path.to_path_buf(),
            header,
            records_start: 16 + len,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn records_keep_every_number_exactly_nan_included() {
        let values = vec![f64::NAN, 0.1 + 0.2, -0.0, f64::MAX, 5e-324, 1.0 / 3.0];
        let mut bytes = Vec::new();
        ciborium::into_writer(&values, &mut bytes).unwrap();
        let back: Vec<f64> = ciborium::from_reader(&bytes[..]).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&values), bits(&back));
    }
}
