//! Writing a shard's partial result as its replications finish.

use super::part::{BatchEntry, PartHeader, MAGIC, PART_FORMAT};
use super::{lock, PartError, Shard};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    pub(in crate::runner) fn begin(
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
    pub(in crate::runner) fn write<T: Serialize>(&self, record: &T) {
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
    pub(in crate::runner) fn failure(&self) -> Option<PartError> {
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
