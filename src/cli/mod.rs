//! The `corridor` command: its arguments ([`args`]) and what each command does with them
//! ([`commands`], [`sweep`] for `corridor sweep` and [`trace`] for `corridor trace`):
//! load the scenarios, call a study, deliver its document.

pub(crate) mod args;
pub(crate) mod commands;
pub(crate) mod sweep;
pub(crate) mod trace;
