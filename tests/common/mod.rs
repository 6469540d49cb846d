//! Helpers shared by the integration tests: run the real `corridor` binary on real files.

#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `corridor ARGS...` ready to run from the repository root.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_corridor"));
    c.args(args).current_dir(root());
    c
}

/// Runs `corridor ARGS...` from the repository root.
pub fn corridor(args: &[&str]) -> Output {
    command(args).output().expect("the corridor binary runs")
}

/// Runs `corridor ARGS...`; panics with its stderr unless it succeeds.
pub fn corridor_ok(args: &[&str]) -> Output {
    let out = corridor(args);
    assert!(
        out.status.success(),
        "corridor {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fresh, empty directory for test `tag` under the system's temporary directory.
pub fn scratch_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("corridor-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    dir
}

/// `path` relative to the repository root, as tests hand it to the binary.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .expect("the path is inside the repository")
        .to_string_lossy()
        .into_owned()
}

/// Runs `corridor COMMAND ARGS... --format json`; panics with stderr on failure.
pub fn json_of(command: &str, args: &[&str]) -> Value {
    let mut all = vec![command];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    serde_json::from_slice(&corridor_ok(&all).stdout).expect("stdout is JSON")
}

/// Runs a scenario with `--format json` and extra arguments; panics with stderr on failure.
pub fn run_json(scenario: &str, extra: &[&str]) -> Value {
    let mut args = vec![scenario];
    args.extend_from_slice(extra);
    json_of("run", &args)
}

/// The element with id `id` in section `section` (`flows`, `crossings`, ...) of a results
/// document; panics naming it when there is none.
pub fn by_id<'v>(v: &'v Value, section: &str, id: &str) -> &'v Value {
    let list = v[section].as_array();
    list.and_then(|l| l.iter().find(|e| e["id"] == id))
        .unwrap_or_else(|| panic!("no {id} in {section}"))
}

/// A STAT object at `path` (e.g. `["crossings", 0, "wait_h", "mean"]`) as (mean, lo, hi).
pub fn stat(v: &Value, path: &[&str]) -> (f64, f64, f64) {
    let mut node = v;
    for p in path {
        node = match p.parse::<usize>() {
            Ok(i) => &node[i],
            Err(_) => &node[*p],
        };
    }
    let f = |k: &str| {
        node[k]
            .as_f64()
            .unwrap_or_else(|| panic!("{path:?}.{k} is a number"))
    };
    (f("mean"), f("ci95_lo"), f("ci95_hi"))
}

/// The records of CSV `text` as RFC 4180 reads them: fields split at commas outside
/// quotes, quoted fields unquoted (`""` standing for a quote), a record per line break
/// outside quotes.
pub fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Every `.toml` file under `dir`, recursively, sorted.
pub fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("directory is readable") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Erlang C: probability that an arrival waits in an M/M/c queue with offered load `a`
/// (= lambda / mu) erlangs.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / k as f64;
        sum += term;
    }
    let last = term * a / c as f64 * c as f64 / (c as f64 - a);
    last / (sum + last)
}

/// The lines of `lines` wider than the 120 characters every table and sentence of the
/// terminal output keeps within.
pub fn too_wide<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    lines.filter(|l| l.chars().count() > 120).collect()
}

/// `text` with every run of whitespace made one space: sentences of a table's heading and
/// notes read whole, wherever they wrap to keep the width.
pub fn as_prose(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Mean wait in queue of an M/M/c queue: C(c, a) / (c mu - lambda).
pub fn mmc_wait(c: u32, lambda: f64, mu: f64) -> f64 {
    erlang_c(c, lambda / mu) / (c as f64 * mu - lambda)
}

/// A scenario of one road border post between two terminals, overloaded from `horizon_days`
/// on: either its second stage (2 servers, half an hour each) serves 4 trucks an hour of the
/// 7 that come, and they wait there whole; or two flows of 7 trucks an hour each interleave
/// at its one stage (4 servers), which serves 8, and wait there compact, a run for each
/// truck followed by one of the other flow.
pub fn overloaded_post(horizon_days: u32, second_stage: bool) -> String {
    let mut s = format!(
        "[scenario]\nname = \"overloaded\"\nhorizon_days = {horizon_days}\nwarmup_days = 0\nseed = 3\nreplications = 1\n"
    );
    s += "[[node]]\nid = \"a\"\nkind = \"terminal\"\n[[node]]\nid = \"post\"\nkind = \"crossing\"\n[[node]]\nid = \"b\"\nkind = \"terminal\"\n";
    s += "[[road]]\nid = \"in\"\nfrom = \"a\"\nto = \"post\"\nlength_km = 30\nspeed_kmh = 60\n";
    s += "[[road]]\nid = \"out\"\nfrom = \"post\"\nto = \"b\"\nlength_km = 30\nspeed_kmh = 60\n";
    s += "[[crossing]]\nid = \"post\"\nnode = \"post\"\nmode = \"road\"\n";
    s += "[[crossing.stage]]\nname = \"first\"\nservers = 4\nservice_h = { dist = \"exp\", mean = 0.5 }\n";
    let flows: &[&str] = if second_stage {
        s += "[[crossing.stage]]\nname = \"second\"\nservers = 2\nservice_h = { dist = \"exp\", mean = 0.5 }\n";
        &["t"]
    } else {
        &["t", "u"]
    };
    for id in flows {
        s += &format!("[[flow]]\nid = \"{id}\"\nfrom = \"a\"\nto = \"b\"\nmode = \"road\"\nteu_per_year = 122640\nunit_teu = 2\n");
    }
    s
}
