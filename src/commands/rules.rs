//! `rules run`.

use std::io::Write;

use crate::cli::GlobalArgs;
use crate::error::Error;
use crate::exit::ExitStatus;

use super::{Formatted, connect, runtime};

/// `rules run`: run the rules of named territories (default: the root) for the named
/// modules (default: all three), one module at a time, and report each job.
///
/// # Errors
/// An unknown module or territory, a failed connection or request, a failed write.
pub fn run(
    global: &GlobalArgs,
    args: &crate::cli::RulesRunArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    use crate::model::{NameKey, RuleModule};
    use crate::records::RecordsError;
    let mut modules: Vec<RuleModule> = Vec::new();
    for given in &args.module {
        let module = RuleModule::ALL
            .into_iter()
            .find(|module| {
                module
                    .module()
                    .api_name()
                    .eq_ignore_ascii_case(given.trim())
            })
            .ok_or_else(|| RecordsError::UnknownModule {
                given: given.clone(),
            })?;
        if !modules.contains(&module) {
            modules.push(module);
        }
    }
    if modules.is_empty() {
        modules = RuleModule::ALL.to_vec();
    }
    runtime()?.block_on(async {
        let connection = connect(global).await?;
        let client = connection.write_client()?;
        let territories = client.territories().await?;
        let mut chosen: Vec<(String, String)> = Vec::new();
        if args.territory.is_empty() {
            if let Some(root) = territories.iter().find(|t| t.parent.is_none()) {
                chosen.push((root.id.clone(), root.name.clone()));
            }
        }
        let mut unknown = Vec::new();
        for name in &args.territory {
            match territories
                .iter()
                .find(|t| NameKey::new(&t.name) == NameKey::new(name))
            {
                Some(found) if !chosen.iter().any(|(id, _)| *id == found.id) => {
                    chosen.push((found.id.clone(), found.name.clone()));
                }
                Some(_) => {}
                None => unknown.push(name.clone()),
            }
        }
        if !unknown.is_empty() {
            return Err(RecordsError::unknown_territories(
                unknown,
                territories.iter().map(|t| t.name.as_str()),
            )
            .into());
        }
        let by_module = modules
            .iter()
            .map(|module| (*module, chosen.clone()))
            .collect();
        let runs = crate::rules::runs(&by_module);
        let policy =
            crate::rules::RunPolicy::with_timeout(std::time::Duration::from_secs(args.timeout));
        let results = crate::rules::execute(&client, &runs, policy, stderr).await;
        let report = crate::rules::RunsReport::new(results);
        report.write_as(args.format, stdout)?;
        Ok(report.exit_status())
    })
}
