//! The `corridor` command: its arguments ([`args`]) and what each command does with them
//! ([`commands`], and [`sweep`] for `corridor sweep`): load the scenarios, call a study,
//! deliver its document.

pub(crate) mod args;
pub(crate) mod commands;
pub(crate) mod sweep;
