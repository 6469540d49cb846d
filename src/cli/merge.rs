//! `corridor merge`: the partial results of the shards of one command, read back in
//! replication order through that command, give the document one machine gives.

use super::args::{Cli, Command, Format, MergeArgs};
use super::commands::{self, check_html, BAD_INPUT};
use super::shard::{self, Batched};
use super::sweep;
use clap::Parser;
use corridor::report::Document;
use corridor::runner::shards::{Missing, Part, Replayer};
use corridor::runner::Source;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// `corridor merge`.
pub(crate) fn merge(args: &MergeArgs, deny_warnings: bool) -> ExitCode {
    let refuse = |why: String| {
        eprintln!("error: {why}");
        ExitCode::from(BAD_INPUT)
    };
    if let Some(dir) = &args.out {
        if let Err(why) = corridor::report::check_out_dir(dir) {
            return refuse(format!(
                "--out {}: {why}; nothing was merged",
                dir.display()
            ));
        }
    }
    if let Err(code) = check_html(args.html.as_deref()) {
        return code;
    }
    let files = match part_files(&args.parts) {
        Ok(f) => f,
        Err(why) => return refuse(why),
    };
    let mut parts = Vec::with_capacity(files.len());
    for f in &files {
        match Part::open(f) {
            Ok(p) => parts.push(p),
            Err(e) => return refuse(e.to_string()),
        }
    }
    let replayer = match Replayer::new(parts, args.allow_missing) {
        Ok(r) => Arc::new(r),
        Err(e) => return refuse(e.to_string()),
    };
    let header = replayer.parts()[0].header.clone();
    let argv = std::iter::once("corridor".to_string()).chain(header.command.iter().cloned());
    let cli = match Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            return refuse(format!(
                "the parts' command `corridor {}` is not one this corridor runs: {}",
                header.command.join(" "),
                e.kind()
            ))
        }
    };
    // The merge's own paths are read where it was started; the command's files where the
    // shards ran.
    let absolute = |p: &Option<PathBuf>| p.as_ref().map(|p| absolute(p));
    let out = Output {
        out: absolute(&args.out),
        html: absolute(&args.html),
        format: args.format,
        quiet: args.quiet,
        threads: args.threads,
        source: Source::Replay(replayer.clone()),
    };
    let cwd = Path::new(&header.cwd);
    if !header.cwd.is_empty() && cwd.is_dir() {
        if let Err(e) = std::env::set_current_dir(cwd) {
            return refuse(format!("cannot work in {}: {e}", cwd.display()));
        }
    }
    let missing = replayer.missing();
    if !missing.is_empty() {
        eprintln!("warning: {}", say_missing(&missing));
    }
    let deny = deny_warnings || cli.deny_warnings;
    match cli.command {
        Command::Run(a) => out.run(a, deny, commands::run),
        Command::Compare(a) => out.run(a, deny, super::compare::compare),
        Command::Capacity(a) => out.run(a, deny, commands::capacity),
        Command::Forecast(a) => out.run(a, deny, commands::forecast),
        Command::Sweep(a) => out.run(a, deny, sweep::sweep),
        _ => refuse(format!(
            "the parts' command `corridor {}` runs no batch of replications",
            header.command.join(" ")
        )),
    }
}

/// The merge's output options, given to the command it replays.
struct Output {
    out: Option<PathBuf>,
    html: Option<PathBuf>,
    format: Format,
    quiet: bool,
    threads: Option<u16>,
    source: Source,
}

impl Output {
    /// Runs `command` on `args` with the merge's output options, its replications read back
    /// from the parts.
    fn run<A: Batched>(
        self,
        mut args: A,
        deny: bool,
        command: fn(&A, bool) -> ExitCode,
    ) -> ExitCode {
        *args.html_mut() = self.html;
        let b = args.batch_mut();
        b.out = self.out;
        b.format = self.format;
        b.quiet = self.quiet;
        b.threads = self.threads;
        b.shard = None;
        b.source = self.source;
        // A merge reads its replications back; what it simulates itself (a report's series)
        // is one replication at a time.
        b.memory_budget_mb = u64::MAX;
        shard::run(args, deny, command)
    }
}

/// `path` made absolute against the directory the merge started in.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The files of `paths`: each file as given, each directory's `part-*-of-*.cbor` in name
/// order.
fn part_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        if !p.is_dir() {
            files.push(p.clone());
            continue;
        }
        let entries = std::fs::read_dir(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|f| {
                let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                name.starts_with("part-") && name.ends_with(".cbor")
            })
            .collect();
        if found.is_empty() {
            return Err(format!(
                "{} holds no partial result (part-I-of-N.cbor)",
                p.display()
            ));
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// What a merge lacks, in a sentence.
pub(crate) fn say_missing(m: &Missing) -> String {
    let mut what = Vec::new();
    if !m.shards.is_empty() {
        let list: Vec<String> = m.shards.iter().map(u32::to_string).collect();
        what.push(format!("no part of shard {}", list.join(", ")));
    }
    for p in &m.interrupted {
        what.push(format!("{} was interrupted", p.display()));
    }
    let reps = missing_replications(m);
    format!(
        "{}: {reps} replication{} missing, the result covers the others",
        what.join("; "),
        if reps == 1 { " is" } else { "s are" }
    )
}

/// How many replications a merge lacks, over all its batches.
fn missing_replications(m: &Missing) -> u64 {
    (m.replications.iter())
        .flat_map(|(_, gaps)| gaps.iter().map(|g| g[1] - g[0]))
        .sum()
}

/// A merged document that lacks replications: its JSON gains a top-level `merge` object
/// saying which, its table a closing line; its CSV is the document's.
pub(crate) struct Incomplete<'a> {
    /// The document.
    pub(crate) doc: &'a dyn Document,
    /// What is missing.
    pub(crate) missing: Missing,
}

impl Document for Incomplete<'_> {
    fn stem(&self) -> &'static str {
        self.doc.stem()
    }
    fn json(&self) -> String {
        let text = self.doc.json();
        let Ok(serde_json::Value::Object(mut doc)) = serde_json::from_str(&text) else {
            return text;
        };
        let m = &self.missing;
        let batches: Vec<serde_json::Value> = (m.replications.iter())
            .map(|(k, gaps)| serde_json::json!({ "batch": k, "replications": gaps }))
            .collect();
        doc.insert(
            "merge".into(),
            serde_json::json!({
                "complete": false,
                "missing_shards": m.shards,
                "interrupted_parts": m.interrupted.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "missing_replications": batches,
            }),
        );
        corridor::report::pretty_json(&doc)
    }
    /// The document's CSV; a run's begins with rows of section `merge` saying that it is
    /// incomplete and how many replications it lacks, as an interrupted run's begins with
    /// `run,run,partial,1`.
    fn csv(&self) -> String {
        let text = self.doc.csv();
        let Some((header, rows)) = text.split_once('\n') else {
            return text;
        };
        if header != corridor::report::RESULTS_CSV_HEADER {
            return text;
        }
        let missing = missing_replications(&self.missing);
        format!(
            "{header}\nmerge,merge,complete,0,,,,,\nmerge,merge,missing_replications,{missing},,,,,\n{rows}"
        )
    }
    fn table(&self) -> String {
        format!(
            "{}\nnote: {}\n",
            self.doc.table(),
            say_missing(&self.missing)
        )
    }
}
