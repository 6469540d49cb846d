//! Reports of results: a terminal table, the JSON document of the results contract, and
//! tidy CSV (one row per element and metric). Files are written atomically.

pub mod capacity;
pub mod compare;
mod csv;
pub mod forecast;
pub mod html;
mod layout;
pub mod sweep;
mod table;
mod trace;

pub use self::csv::{quote as csv_quote, to_csv, Num, Spread, CSV_DIGITS, RESULTS_CSV_HEADER};
pub use self::table::{num as table_number, overload_note, to_table};
pub use self::trace::{trace_line, TRACE_HEADER};

use crate::stats::Results;
use crate::study::capacity::Capacity;
use crate::study::compare::Comparison;
use crate::study::forecast::Forecasts;
use crate::study::sweep::Sweep;
use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// Held while a file is written, from the creation of its temporary file to its rename,
/// so that leaving the process ([`exit_between_writes`]) waits for the file under way
/// instead of leaving its temporary file behind.
static WRITING: Mutex<()> = Mutex::new(());

/// The results as the `corridor.results/1` JSON document, pretty-printed.
pub fn to_json(r: &Results) -> String {
    pretty_json(r)
}

/// Any document as pretty-printed JSON ending in a newline.
pub fn pretty_json(doc: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|e| {
        // Serialising plain structs of numbers and strings cannot fail; keep the message
        // if it ever does rather than panicking.
        format!("{{\"error\": \"cannot serialise the results: {e}\"}}")
    });
    s.push('\n');
    s
}

/// A study's document as each output renders it.
pub trait Document {
    /// The name of its files in an output directory (`STEM.json`, `STEM.csv`, `STEM.txt`).
    fn stem(&self) -> &'static str;
    /// The JSON document.
    fn json(&self) -> String;
    /// Tidy CSV.
    fn csv(&self) -> String;
    /// The table for a terminal.
    fn table(&self) -> String;
}

impl Document for Results {
    fn stem(&self) -> &'static str {
        "results"
    }
    fn json(&self) -> String {
        to_json(self)
    }
    fn csv(&self) -> String {
        to_csv(self)
    }
    fn table(&self) -> String {
        to_table(self)
    }
}

impl Document for Comparison {
    fn stem(&self) -> &'static str {
        "compare"
    }
    fn json(&self) -> String {
        compare::to_json(self)
    }
    fn csv(&self) -> String {
        compare::to_csv(self)
    }
    fn table(&self) -> String {
        compare::to_table(self)
    }
}

impl Document for Capacity {
    fn stem(&self) -> &'static str {
        "capacity"
    }
    fn json(&self) -> String {
        capacity::to_json(self)
    }
    fn csv(&self) -> String {
        capacity::to_csv(self)
    }
    fn table(&self) -> String {
        capacity::to_table(self)
    }
}

impl Document for Forecasts {
    fn stem(&self) -> &'static str {
        "forecast"
    }
    fn json(&self) -> String {
        forecast::to_json(self)
    }
    fn csv(&self) -> String {
        forecast::to_csv(self)
    }
    fn table(&self) -> String {
        forecast::to_table(self)
    }
}

impl Document for Sweep {
    fn stem(&self) -> &'static str {
        "sweep"
    }
    fn json(&self) -> String {
        sweep::to_json(self)
    }
    fn csv(&self) -> String {
        sweep::to_csv(self)
    }
    fn table(&self) -> String {
        sweep::to_table(self)
    }
}

/// Writes `doc` into `dir` (created if need be) as `STEM.json`, `STEM.csv` and `STEM.txt`,
/// as a set: all three are written to temporary files first, and only once all three are
/// whole are they renamed into place, so that a failure leaves the earlier set as it was.
/// Two commands writing into one directory take turns (a lock on the directory), so the
/// three files always come from one of them. Leaving the process
/// ([`exit_between_writes`]) waits for the set under way. An error names the file it
/// concerns.
pub fn write_files(dir: &Path, doc: &dyn Document) -> std::io::Result<()> {
    let stem = doc.stem();
    let named = |path: &Path| {
        let path = path.to_path_buf();
        move |e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir).map_err(named(dir))?;
    let _writing = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
    let lock = std::fs::File::open(dir).map_err(named(dir))?;
    lock.lock().map_err(named(dir))?;
    let mut staged: Vec<(std::path::PathBuf, std::path::PathBuf)> = Vec::with_capacity(3);
    for (ext, text) in [
        ("json", doc.json()),
        ("csv", doc.csv()),
        ("txt", doc.table()),
    ] {
        let path = dir.join(format!("{stem}.{ext}"));
        match stage(&path, text.as_bytes()) {
            Ok(tmp) => staged.push((tmp, path)),
            Err(e) => {
                for (tmp, _) in &staged {
                    let _ = std::fs::remove_file(tmp);
                }
                return Err(named(&path)(e));
            }
        }
    }
    let mut failed = None;
    for (tmp, path) in &staged {
        if failed.is_some() {
            let _ = std::fs::remove_file(tmp);
        } else if let Err(e) = std::fs::rename(tmp, path) {
            let _ = std::fs::remove_file(tmp);
            failed = Some(named(path)(e));
        }
    }
    failed.map_or(Ok(()), Err)
}

/// Writes `contents` into a temporary file beside `path`, flushed to disk; returns the
/// temporary file's path (removed again if the write fails).
fn stage(path: &Path, contents: &[u8]) -> std::io::Result<std::path::PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Checks, before anything runs, that a file can be written at `path` (an HTML report):
/// it is not a directory, and the directory it goes in can be written in (or made).
pub fn check_out_file(path: &Path) -> Result<(), String> {
    if path.as_os_str().is_empty() || path.file_name().is_none() {
        return Err("give the path of a file, such as report.html".into());
    }
    if path.is_dir() {
        return Err(format!(
            "{} is a directory; give the path of a file in it, such as {}",
            path.display(),
            path.join("report.html").display()
        ));
    }
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => check_out_dir(dir),
        _ => Ok(()),
    }
}

/// Checks, before anything runs, that [`write_files`] can write into `dir`: it is a
/// directory to write in, or it does not exist yet and its nearest existing ancestor is a
/// directory to write in (it is created when the files are written). Creates nothing;
/// says what is wrong otherwise.
pub fn check_out_dir(dir: &Path) -> Result<(), String> {
    if dir.as_os_str().is_empty() {
        return Err("the path is empty".into());
    }
    use std::io::ErrorKind;
    let mut at = dir;
    loop {
        match std::fs::metadata(at) {
            Ok(m) if m.is_dir() => {
                return writable(at).map_err(|e| format!("cannot write in {}: {e}", at.display()));
            }
            Ok(_) if at == dir => {
                return Err(format!("{} is a file, not a directory", at.display()));
            }
            Ok(_) => {
                return Err(format!(
                    "{} is a file, so no directory can be made in it",
                    at.display()
                ));
            }
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                let up = match at.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                if up == at {
                    return Err(format!("cannot use {}: {e}", at.display()));
                }
                at = up;
            }
            Err(e) => return Err(format!("cannot use {}: {e}", at.display())),
        }
    }
}

/// Whether a file can be made in directory `dir`: by making one, and removing it.
fn writable(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".corridor-probe{}", std::process::id()));
    std::fs::File::create(&probe)?;
    std::fs::remove_file(&probe)
}

/// Writes `contents` to `path` atomically: into a temporary file beside it, flushed to
/// disk, then renamed over `path`. A reader never sees a half-written file, and
/// [`exit_between_writes`] never leaves the temporary file behind.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let _writing = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
    let tmp = stage(path, contents)?;
    let result = std::fs::rename(&tmp, path);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Ends the process with exit code `code` between two file writes: once the file under
/// way, if any, is whole and in its place, and before another is started.
pub fn exit_between_writes(code: i32) -> ! {
    let _writing = WRITING.lock().unwrap_or_else(PoisonError::into_inner);
    std::process::exit(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("corridor-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("out.json");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "second");
        let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(entries.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn no_file_is_started_while_the_process_is_leaving() {
        // What `exit_between_writes` holds until the process ends: while it is held, a
        // write does not create even its temporary file.
        let dir = std::env::temp_dir().join(format!("corridor-leaving-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("out.json");
        let leaving = WRITING.lock().unwrap();
        let writer = {
            let p = p.clone();
            std::thread::spawn(move || write_atomic(&p, b"whole"))
        };
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        drop(leaving);
        writer.join().unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "whole");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
