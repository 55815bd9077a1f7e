//! `generate-man --out DIR` (hidden): man pages generated from the clap
//! definitions, `git-postmortem.1` and `git-postmortem-<sub>[-<sub>].1` for
//! every visible subcommand. The pages are committed under `man/` and
//! shipped in the release archives; a test fails when they are stale.

use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory};

use crate::app::Outcome;
use crate::error::{Error, Result};
use crate::output::Output;

/// Write the man pages to DIR (maintainers: `cargo run -- generate-man --out man`).
#[derive(Debug, Args)]
pub(crate) struct GenerateManArgs {
    /// The directory to write the pages to; created when missing. Pages
    /// named `git-postmortem*.1` already there are replaced.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub(crate) fn run(args: &GenerateManArgs, out: &Output) -> Result<Outcome> {
    let dir = &args.out;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    remove_old_pages(dir)?;
    let mut command = super::Cli::command().disable_help_subcommand(true);
    command.build();
    let source = format!("git-postmortem {}", env!("CARGO_PKG_VERSION"));
    let mut written = Vec::new();
    write_pages(&command, dir, &source, &mut written)?;
    written.sort();
    for path in &written {
        out.line(path.display())?;
    }
    Ok(Outcome::Ok)
}

/// Pages of subcommands that no longer exist must not linger.
fn remove_old_pages(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("git-postmortem") && name.ends_with(".1") {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| Error::io(path.display().to_string(), e))?;
        }
    }
    Ok(())
}

fn write_pages(
    command: &clap::Command,
    dir: &Path,
    source: &str,
    written: &mut Vec<PathBuf>,
) -> Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir, source, written)?;
    }
    let man = clap_mangen::Man::new(command.clone());
    let path = dir.join(man.get_filename());
    let mut page = Vec::new();
    man.render(&mut page)
        .map_err(|e| Error::io(path.display().to_string(), e))?;
    // clap_mangen leaves an empty date unquoted, which shifts the source and
    // manual into the wrong fields; the title line is written here instead.
    // No date, so that regenerating changes nothing until the CLI does.
    let title = man.get_filename();
    let title = title.trim_end_matches(".1");
    let page = String::from_utf8_lossy(&page)
        .lines()
        .map(|line| {
            if line.starts_with(".TH ") {
                format!(".TH {title} 1 \"\" \"{source}\" \"Git Postmortem Manual\"\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect::<String>();
    std::fs::write(&path, page).map_err(|e| Error::io(path.display().to_string(), e))?;
    written.push(path);
    Ok(())
}
