//! `sandbox serve`.

use std::io::Write;

use crate::cli::SandboxServeArgs;
use crate::error::Error;
use crate::exit::ExitStatus;

use super::runtime;

/// `sandbox serve`: the simulator on a loopback port until Ctrl-C, printing how to reach it.
///
/// # Errors
/// A state file that does not load, a port that cannot be bound, a failed write.
pub fn serve(
    args: &SandboxServeArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    runtime()?.block_on(async {
        let sandbox =
            crate::zoho::Sandbox::start_on(&args.state, !args.read_only, args.addr).await?;
        // The token printed is the simulator's own, minted for this run: printing it is the
        // point, as `zoho-crm-sim` does.
        writeln!(stdout, "ZOHO_API_DOMAIN={}", sandbox.base_url()).map_err(Error::Stdout)?;
        writeln!(
            stdout,
            "ZOHO_ACCOUNTS_URL={}/oauth/v2/token",
            sandbox.base_url()
        )
        .map_err(Error::Stdout)?;
        writeln!(stdout, "ZOHO_ACCESS_TOKEN={}", sandbox.access_token()).map_err(Error::Stdout)?;
        stdout.flush().map_err(Error::Stdout)?;
        // On stderr, so that stdout stays a list of variables to export.
        let _ = if args.read_only {
            writeln!(
                stderr,
                "note: read only: changes live in memory until Ctrl-C; `{}` is not written",
                args.state.display()
            )
        } else {
            writeln!(
                stderr,
                "note: every change is written back to `{}` (`--read-only` to keep it as it is)",
                args.state.display()
            )
        };
        tokio::signal::ctrl_c().await.map_err(Error::Runtime)?;
        sandbox.shutdown().await;
        Ok(ExitStatus::Success)
    })
}
