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

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fmt;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The first eight bytes of a partial result.
const MAGIC: &[u8; 8] = b"CRDRPART";
/// The `format` of the partial results this version writes and reads.
pub const PART_FORMAT: &str = "corridor.partial/1";
/// The largest header read back (a header lists the batches, one line of numbers each).
const MAX_HEADER_BYTES: u64 = 64 << 20;

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
            Source::Record(r) => write!(f, "Record({})", r.shard),
            Source::Replay(r) => write!(f, "Replay({} parts)", r.parts.len()),
        }
    }
}

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
    fn same_batch(&self, other: &BatchEntry) -> bool {
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

/// Records a shard's slices of a study's batches into a partial result: records are
/// written as replications finish (into a file beside the result, removed once the result
/// is whole), then [`Recorder::finish`] writes the result itself.
pub struct Recorder {
    shard: Shard,
    header: Mutex<PartHeader>,
    records: Mutex<Records>,
    /// Where the partial result goes.
    path: PathBuf,
}

/// The records written so far.
struct Records {
    file: Option<BufWriter<File>>,
    path: PathBuf,
    written: u64,
    failed: Option<std::io::Error>,
}

impl Recorder {
    /// A recorder for `shard` of `command` (run in `cwd`), writing into directory `dir`
    /// (made if missing).
    pub fn create(
        dir: &Path,
        shard: Shard,
        command: Vec<String>,
        cwd: String,
    ) -> Result<Recorder, PartError> {
        let io = |source| PartError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let path = dir.join(shard.file_name());
        let records_path = dir.join(format!(
            ".{}.records-{}.tmp",
            shard.file_name(),
            std::process::id()
        ));
        let file = File::create(&records_path).map_err(io)?;
        Ok(Recorder {
            shard,
            header: Mutex::new(PartHeader {
                format: PART_FORMAT.to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
                command,
                cwd,
                shard: shard.index,
                shards: shard.count,
                complete: false,
                batches: Vec::new(),
            }),
            records: Mutex::new(Records {
                file: Some(BufWriter::new(file)),
                path: records_path,
                written: 0,
                failed: None,
            }),
            path,
        })
    }

    /// The shard recorded.
    pub fn shard(&self) -> Shard {
        self.shard
    }

    /// Where the partial result goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a batch of `range` (fingerprint `print`): returns the shard's slice of it.
    pub(super) fn begin(
        &self,
        print: String,
        seed: u64,
        range: &std::ops::Range<u64>,
        tasks: usize,
    ) -> Result<std::ops::Range<u64>, PartError> {
        let slice = self.shard.slice(range);
        // Refused by every shard alike, not only by those whose slice would be empty.
        if range.end - range.start < u64::from(self.shard.count) {
            return Err(PartError::EmptyShard {
                shard: self.shard,
                replications: range.end - range.start,
            });
        }
        let offset = lock(&self.records).written;
        lock(&self.header).batches.push(BatchEntry {
            fingerprint: print,
            seed,
            range: [range.start, range.end],
            tasks: tasks as u32,
            slice: [slice.start, slice.end],
            held: [slice.start, slice.start],
            offset,
        });
        Ok(slice)
    }

    /// Writes the record of the next replication of the current batch.
    pub(super) fn write<T: Serialize>(&self, record: &T) {
        let mut r = lock(&self.records);
        if r.failed.is_some() {
            return;
        }
        let mut bytes = Vec::new();
        if let Err(e) = ciborium::into_writer(record, &mut bytes) {
            r.failed = Some(std::io::Error::other(e.to_string()));
            return;
        }
        let written = match r.file.as_mut() {
            Some(f) => f.write_all(&bytes),
            None => Err(std::io::Error::other(
                "the partial result is already written",
            )),
        };
        match written {
            Ok(()) => {
                r.written += bytes.len() as u64;
                drop(r);
                if let Some(b) = lock(&self.header).batches.last_mut() {
                    b.held[1] += 1;
                }
            }
            Err(e) => r.failed = Some(e),
        }
    }

    /// The first failure to write a record, if any (then nothing more is written).
    pub(super) fn failure(&self) -> Option<PartError> {
        let r = lock(&self.records);
        r.failed.as_ref().map(|e| PartError::Io {
            path: r.path.clone(),
            source: std::io::Error::new(e.kind(), e.to_string()),
        })
    }

    /// The batches recorded so far.
    pub fn batches(&self) -> Vec<BatchEntry> {
        lock(&self.header).batches.clone()
    }

    /// Writes the partial result, whole or not at all (a temporary file renamed into
    /// place, replacing an earlier result of the same shard), marked `complete` or
    /// interrupted, and removes the records' file.
    pub fn finish(&self, complete: bool) -> Result<&Path, PartError> {
        if let Some(e) = self.failure() {
            return Err(e);
        }
        let mut r = lock(&self.records);
        let records_path = r.path.clone();
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| PartError::Io { path, source }
        };
        if let Some(mut f) = r.file.take() {
            f.flush().map_err(io(&records_path))?;
        }
        let mut header = lock(&self.header).clone();
        header.complete = complete;
        let mut head = Vec::new();
        ciborium::into_writer(&header, &mut head).map_err(|e| PartError::Format {
            path: self.path.clone(),
            why: e.to_string(),
        })?;
        let tmp = self.path.with_file_name(format!(
            ".{}.tmp-{}",
            self.shard.file_name(),
            std::process::id()
        ));
        let written = (|| {
            let mut out = BufWriter::new(File::create(&tmp)?);
            out.write_all(MAGIC)?;
            out.write_all(&(head.len() as u64).to_le_bytes())?;
            out.write_all(&head)?;
            std::io::copy(&mut File::open(&records_path)?, &mut out)?;
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(&self.path)(e));
        }
        let _ = std::fs::remove_file(&records_path);
        Ok(&self.path)
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        // The records' file is scaffolding: it never outlives the recorder.
        if let Ok(r) = self.records.get_mut() {
            let _ = std::fs::remove_file(&r.path);
        }
    }
}

/// A partial result opened for the merge: its file, header, and where its records start.
#[derive(Debug, Clone)]
pub struct Part {
    /// The file.
    pub path: PathBuf,
    /// What it says of itself.
    pub header: PartHeader,
    records_start: u64,
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
    pub(super) fn replay<T: DeserializeOwned>(
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
