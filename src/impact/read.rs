//! Reading what the preview needs from the org, read-only: each module's records (only the
//! fields the rules use, 200 a page, `page_token` past the 2,000th) up to a cap, and the field
//! metadata of a module the live rules use but the desired state does not.

use std::collections::BTreeMap;

use super::calendar::Clock;
use super::evaluate::Sample;
use super::preview::{self, ModuleImpact, Preview, ReadStats, RecordRead};
use crate::model::{Desired, Live, RuleModule};
use crate::zoho::{PageCursor, ReadClient, RemoteError};

/// The default of `--impact-max-records`.
pub const DEFAULT_MAX_RECORDS: usize = 50_000;

/// Reads the records of `module` with `fields`, stopping once `max` are read. Whether it
/// stopped with more left, and the records.
///
/// # Errors
/// Any failure of a request.
pub async fn records(
    client: &ReadClient,
    module: RuleModule,
    fields: &[String],
    max: usize,
) -> Result<(Vec<RecordRead>, bool), RemoteError> {
    let name_field = preview::name_field(module.module());
    let mut wanted: Vec<String> = fields.to_vec();
    wanted.push(name_field.to_owned());
    let mut out = Vec::new();
    let mut cursor = Some(PageCursor::Number(1));
    while let Some(at) = cursor.take() {
        if out.len() >= max {
            return Ok((out, true));
        }
        let page = client.record_page(module.module(), &wanted, &at).await?;
        for record in page.records {
            if out.len() >= max {
                return Ok((out, true));
            }
            let name = record
                .fields
                .get(name_field)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned);
            out.push(RecordRead {
                sample: Sample {
                    id: record.id,
                    fields: record.fields,
                },
                name,
                territories: record.territories,
            });
        }
        cursor = page.next;
    }
    Ok((out, false))
}

/// The preview of `modules`, each read and evaluated in turn, at `clock`, for the rule runs
/// of `scope` (territory names per module, as `apply --run-rules` runs them).
///
/// # Errors
/// Any failure of a request.
pub async fn preview(
    client: &ReadClient,
    desired: &Desired,
    live: &Live,
    modules: &[RuleModule],
    scope: &BTreeMap<RuleModule, Vec<String>>,
    max_records: usize,
    clock: Clock,
) -> Result<Preview, RemoteError> {
    let user_names: BTreeMap<String, String> = live
        .users
        .iter()
        .map(|user| (user.id.clone(), user.full_name.clone()))
        .collect();
    let mut out: Vec<ModuleImpact> = Vec::new();
    for &module in modules {
        let Some(sides) = preview::sides(desired, live, module) else {
            continue;
        };
        let started = client.requests();
        let fields = match live.fields.get(&module) {
            Some(fields) => fields.clone(),
            None => client.fields(module.module()).await?,
        };
        let used = preview::rule_fields(desired, live, module);
        let (records, partial) = records(client, module, &used, max_records).await?;
        let stats = ReadStats {
            partial,
            max_records,
            requests: client.requests() - started,
        };
        out.push(preview::module_impact(
            desired,
            module,
            &sides,
            scope.get(&module).map(Vec::as_slice).unwrap_or_default(),
            &fields,
            clock,
            &user_names,
            &records,
            stats,
        ));
    }
    Ok(Preview { modules: out })
}
