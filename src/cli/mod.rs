//! The `corridor` command: its arguments ([`args`]) and what each command does with them
//! ([`commands`], [`compare`] for `corridor compare`, [`sweep`] for `corridor sweep` and
//! [`trace`] for `corridor trace`):
//! load the scenarios, call a study, deliver its document; [`shard`] runs a command as one
//! shard of its replications and [`merge`] combines the shards' partial results.

pub(crate) mod args;
pub(crate) mod commands;
pub(crate) mod compare;
pub(crate) mod merge;
pub(crate) mod shard;
pub(crate) mod sweep;
pub(crate) mod trace;
