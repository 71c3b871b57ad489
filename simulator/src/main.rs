//! `zoho-crm-sim`: serve a simulated Zoho CRM org until interrupted.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use zoho_crm_sim::cli::Args;
use zoho_crm_sim::{Simulator, State};

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            #[expect(clippy::print_stderr, reason = "the binary reports its own failure")]
            {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let simulator = match &args.state {
        Some(path) => Simulator::from_file(path, !args.read_only).map_err(|e| e.to_string())?,
        None => Simulator::new(State::new_org("Zylker"), Default::default()),
    };
    let mut simulator = simulator.with_faults(args.faults());
    if args.log {
        simulator = simulator.with_log(|line| {
            let _ = writeln!(std::io::stderr(), "{line}");
        });
    }
    if let Some(lifetime) = args.token_lifetime {
        simulator = simulator.with_token_lifetime(std::time::Duration::from_secs(lifetime));
    }
    let server = simulator
        .serve(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let mut lines = vec![
        format!("ZOHO_API_DOMAIN={}", server.base_url()),
        format!("ZOHO_ACCOUNTS_URL={}/oauth/v2/token", server.base_url()),
        format!("ZOHO_ACCESS_TOKEN={}", server.access_token()),
    ];
    if let (Some(id), Some(secret)) = (&args.client_id, &args.client_secret) {
        lines.push(format!(
            "ZOHO_REFRESH_TOKEN={}",
            server.add_client(id, secret)
        ));
    }
    let mut stdout = std::io::stdout().lock();
    for line in lines {
        writeln!(stdout, "{line}").map_err(|e| e.to_string())?;
    }
    stdout.flush().map_err(|e| e.to_string())?;
    drop(stdout);
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    server.shutdown().await;
    Ok(())
}
