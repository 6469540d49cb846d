//! The `corridor` command: its arguments ([`args`]) and what each command does with them
//! ([`commands`]): load the scenarios, call a study, deliver its document.

pub(crate) mod args;
pub(crate) mod commands;
