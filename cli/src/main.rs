//! `payseal`: operator commands and the conformance runner.

use std::process::ExitCode;

mod commands;
mod conformance;
mod paylands_cmds;
mod secret_input;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    commands::dispatch(&args)
}
