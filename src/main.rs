//! `stance`: thin entry point; the work is in the library's stage modules.

use std::process::ExitCode;

use clap::Parser;
use stance::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Score(args) => stance::app::score(args),
        Command::Eval(args) => stance::app::eval(args),
        Command::Train(args) => stance::app::train(args),
        Command::FetchModel(args) => stance::app::fetch_model(args),
    };
    match result {
        Ok(code) => code,
        Err(err) if stance::app::is_closed_pipe(&err) => {
            ExitCode::from(stance::app::EXIT_CLOSED_PIPE)
        }
        Err(err) => {
            eprintln!("stance: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
