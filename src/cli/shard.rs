//! `--shard I/N`: a command runs its shard's slice of the replications and writes them as a
//! partial result into `--out`, instead of its document.

use super::args::{
    BatchArgs, CapacityArgs, CompareArgs, ForecastArgs, RunArgs, ShardArg, SweepArgs,
};
use super::commands::{BAD_INPUT, INTERRUPTED};
use corridor::runner::shards::Recorder;
use corridor::runner::{Shard, Source};
use std::process::ExitCode;
use std::sync::Arc;

/// The arguments of a command that runs batches, as `--shard` and `merge` need them.
pub(crate) trait Batched {
    /// Its batch options.
    fn batch_mut(&mut self) -> &mut BatchArgs;
    /// Its `--html`, if any.
    fn html_mut(&mut self) -> &mut Option<std::path::PathBuf>;
    /// An option given that a shard cannot run with, and why.
    fn unshardable(&self) -> Option<&'static str> {
        None
    }
}

macro_rules! batched {
    ($($t:ty),*) => {$(
        impl Batched for $t {
            fn batch_mut(&mut self) -> &mut BatchArgs {
                &mut self.batch
            }
            fn html_mut(&mut self) -> &mut Option<std::path::PathBuf> {
                &mut self.html
            }
        }
    )*};
}
batched!(CompareArgs, CapacityArgs, ForecastArgs, SweepArgs);

impl Batched for RunArgs {
    fn batch_mut(&mut self) -> &mut BatchArgs {
        &mut self.batch
    }
    fn html_mut(&mut self) -> &mut Option<std::path::PathBuf> {
        &mut self.html
    }
    fn unshardable(&self) -> Option<&'static str> {
        self.precision.map(|_| {
            "--precision decides when to stop from every replication run so far, which a shard does not see; give --replications instead"
        })
    }
}

/// Runs `command` with `args`: as it is without `--shard`; with it, as the shard's slice,
/// recorded into a partial result in `--out` (nothing on stdout). The exit code is the
/// command's, or after a shard: 0 once its part is written, 130 if it was interrupted (the
/// part holds what it finished), 1 if the part cannot be written.
pub(crate) fn run<A: Batched>(
    mut args: A,
    deny_warnings: bool,
    command: fn(&A, bool) -> ExitCode,
) -> ExitCode {
    let Some(arg) = args.batch_mut().shard else {
        return command(&args, deny_warnings);
    };
    let recorder = match start(&mut args, arg) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let code = command(&args, deny_warnings);
    let batches = recorder.batches();
    if batches.is_empty() {
        // Refused before anything ran (bad input): no part.
        return code;
    }
    let interrupted = corridor::runner::interrupted();
    match recorder.finish(!interrupted) {
        Ok(path) => {
            let held: u64 = batches.iter().map(|b| b.held[1] - b.held[0]).sum();
            let slices: u64 = batches.iter().map(|b| b.slice[1] - b.slice[0]).sum();
            let s = if batches.len() == 1 { "" } else { "es" };
            let what = match interrupted {
                true => format!("interrupted: {held} of its {slices} replications"),
                false if held == 1 => "1 replication".to_string(),
                false => format!("{held} replications"),
            };
            eprintln!(
                "shard {}: {what} ({} batch{s}) written to {}",
                recorder.shard(),
                batches.len(),
                path.display()
            );
            if interrupted {
                ExitCode::from(INTERRUPTED)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: cannot write the partial result: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Checks the options of a shard and makes its recorder; prints what is wrong (exit 2).
fn start<A: Batched>(args: &mut A, arg: ShardArg) -> Result<Arc<Recorder>, ExitCode> {
    let refuse = |why: String| {
        eprintln!("error: --shard: {why}; nothing was run");
        ExitCode::from(BAD_INPUT)
    };
    if let Some(why) = args.unshardable() {
        return Err(refuse(why.to_string()));
    }
    if args.html_mut().is_some() {
        return Err(refuse(
            "a shard writes no report: give --html to `corridor merge`".into(),
        ));
    }
    let shard = resolve(arg).map_err(refuse)?;
    let Some(dir) = args.batch_mut().out.clone() else {
        return Err(refuse(
            "give --out DIR, the directory its partial result goes into".into(),
        ));
    };
    if let Err(why) = corridor::report::check_out_dir(&dir) {
        return Err(refuse(format!("--out {}: {why}", dir.display())));
    }
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let command = recorded(std::env::args().skip(1));
    let recorder = Recorder::create(&dir, shard, command, cwd).map_err(|e| {
        eprintln!("error: cannot write the partial result: {e}");
        ExitCode::FAILURE
    })?;
    let recorder = Arc::new(recorder);
    args.batch_mut().source = Source::Record(recorder.clone());
    Ok(recorder)
}

/// The shard `--shard` names: given, or read from the environment of a Slurm array task
/// (`SLURM_ARRAY_TASK_ID`, counted from `SLURM_ARRAY_TASK_MIN`) or a Kubernetes indexed Job
/// (`JOB_COMPLETION_INDEX`, from 0).
fn resolve(arg: ShardArg) -> Result<Shard, String> {
    match arg {
        ShardArg::Given(s) => Ok(s),
        ShardArg::FromEnv(count) => from_env(count, |name| std::env::var(name).ok()),
    }
}

/// Shard I of `count`, I read from the batch scheduler's variables as `var` gives them
/// (see [`resolve`]). An index beyond `count`, however large, is refused: it is counted
/// in u128, where a task id or index of up to u64::MAX plus one cannot wrap to 0.
fn from_env(count: u32, var: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
    let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let number = |name: &str, v: String| {
        v.trim()
            .parse::<u64>()
            .map_err(|_| format!("{name}={v:?} is not a whole number"))
    };
    let (index, from) = if let Some(id) = var("SLURM_ARRAY_TASK_ID") {
        let id = number("SLURM_ARRAY_TASK_ID", id)?;
        let min = match var("SLURM_ARRAY_TASK_MIN") {
            Some(m) => number("SLURM_ARRAY_TASK_MIN", m)?,
            None => 1,
        };
        if id < min {
            return Err(format!(
                "SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={min}"
            ));
        }
        (u128::from(id - min) + 1, "SLURM_ARRAY_TASK_ID")
    } else if let Some(i) = var("JOB_COMPLETION_INDEX") {
        (
            u128::from(number("JOB_COMPLETION_INDEX", i)?) + 1,
            "JOB_COMPLETION_INDEX",
        )
    } else {
        return Err(format!(
            "env/{count} reads the shard from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and neither is set"
        ));
    };
    match u32::try_from(index) {
        Ok(index) if index <= count => Ok(Shard { index, count }),
        _ => Err(format!(
            "{from} gives shard {index}, but there are {count}: submit {count} tasks (such as --array=1-{count})"
        )),
    }
}

/// Options that shape only the output of a command or how it runs, not its results, with
/// whether each takes a value: parts of one command may differ in them.
const OUTPUT_OPTIONS: [(&str, bool); 7] = [
    ("--shard", true),
    ("--out", true),
    ("--format", true),
    ("--threads", true),
    ("--html", true),
    ("--quiet", false),
    ("--memory-budget-mb", true),
];

/// The command line `args` (after the program's name) less its output options.
pub(crate) fn recorded(args: impl Iterator<Item = String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip_value = false;
    for a in args {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        let name = a.split('=').next().unwrap_or_default();
        match OUTPUT_OPTIONS.iter().find(|(o, _)| *o == name) {
            Some((_, takes_value)) => skip_value = *takes_value && !a.contains('='),
            None => out.push(a),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shard of `count` that the variables `vars` give.
    fn shard_of(count: u32, vars: &[(&str, &str)]) -> Result<Shard, String> {
        from_env(count, |name| {
            (vars.iter())
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn a_task_index_at_the_end_of_u64_is_refused_as_beyond_the_shards_not_wrapped_to_0() {
        let max = u64::MAX.to_string();
        let refused = "gives shard 18446744073709551616, but there are 2: submit 2 tasks";
        let k8s = shard_of(2, &[("JOB_COMPLETION_INDEX", &max)]).unwrap_err();
        assert!(
            k8s.starts_with(&format!("JOB_COMPLETION_INDEX {refused}")),
            "{k8s}"
        );
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", &max[..]),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ];
        let slurm = shard_of(2, &slurm).unwrap_err();
        assert!(
            slurm.starts_with(&format!("SLURM_ARRAY_TASK_ID {refused}")),
            "{slurm}"
        );
        // Within u64 and u32, as before.
        let last = shard_of(2, &[("JOB_COMPLETION_INDEX", "1")]);
        assert_eq!(last, Ok(Shard { index: 2, count: 2 }));
        let beyond = shard_of(2, &[("JOB_COMPLETION_INDEX", "4294967296")]).unwrap_err();
        assert!(
            beyond.contains("gives shard 4294967297, but there are 2"),
            "{beyond}"
        );
    }

    #[test]
    fn the_recorded_command_leaves_out_the_output_options_in_both_spellings() {
        let argv = [
            "--deny-warnings",
            "run",
            "s.toml",
            "--shard",
            "2/4",
            "--out=parts",
            "--seed",
            "7",
            "--quiet",
            "--format",
            "json",
            "--threads=2",
            "--memory-budget-mb",
            "8000",
            "--set",
            "flow.a.unit_teu=2",
        ];
        let got = recorded(argv.iter().map(|s| s.to_string()));
        assert_eq!(
            got,
            [
                "--deny-warnings",
                "run",
                "s.toml",
                "--seed",
                "7",
                "--set",
                "flow.a.unit_teu=2"
            ]
        );
    }
}
