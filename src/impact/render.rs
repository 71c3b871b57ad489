//! The impact preview as text (after the plan) and as Markdown (a table in the pull-request
//! comment, under "Needs attention" when a territory loses records). JSON carries the
//! [`Preview`] whole, with every record. Every name and record name came from YAML or Zoho:
//! text shows hidden characters as escapes, Markdown puts names in code spans.

use std::fmt::Write as _;

use super::preview::{EXAMPLES, ModuleImpact, Preview, RecordRef};
use crate::escape;

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn noun(module: &ModuleImpact) -> (&'static str, &'static str) {
    match module.module {
        crate::model::Module::Accounts => ("account", "accounts"),
        crate::model::Module::Contacts => ("contact", "contacts"),
        crate::model::Module::Deals => ("deal", "deals"),
        crate::model::Module::Leads => ("lead", "leads"),
    }
}

fn example_text(records: &[RecordRef]) -> String {
    let mut shown: Vec<String> = records
        .iter()
        .take(EXAMPLES)
        .map(|record| match &record.name {
            Some(name) => format!("{} ({})", escape::terminal(name), record.id),
            None => record.id.clone(),
        })
        .collect();
    if records.len() > EXAMPLES {
        shown.push(format!("{} more", records.len() - EXAMPLES));
    }
    shown.join(", ")
}

fn example_cell(records: &[RecordRef]) -> String {
    let mut shown: Vec<String> = records
        .iter()
        .take(EXAMPLES)
        .map(|record| match &record.name {
            Some(name) => format!("{} ({})", escape::code_cell(name), record.id),
            None => record.id.clone(),
        })
        .collect();
    if records.len() > EXAMPLES {
        shown.push(format!("{} more", records.len() - EXAMPLES));
    }
    shown.join(", ")
}

fn read_line(module: &ModuleImpact) -> String {
    let (one, many) = noun(module);
    format!(
        "{}: {} read in {}{}",
        module.module,
        plural(module.records, one, many),
        plural(
            usize::try_from(module.requests).unwrap_or(usize::MAX),
            "request",
            "requests"
        ),
        if module.partial {
            format!(
                ", stopped at --impact-max-records {} (partial)",
                module.max_records
            )
        } else {
            String::new()
        }
    )
}

/// The preview for a terminal.
#[must_use]
pub fn text(preview: &Preview) -> String {
    let mut out = format!(
        "\nImpact on records (read only; {}):\n",
        plural(
            usize::try_from(preview.requests()).unwrap_or(usize::MAX),
            "request",
            "requests"
        )
    );
    for module in &preview.modules {
        let (one, many) = noun(module);
        let _ = writeln!(out, "  {}", read_line(module));
        if module.territories.is_empty() {
            let _ = writeln!(out, "    no {one} changes territory");
        }
        for territory in &module.territories {
            let _ = writeln!(out, "    {}:", escape::terminal(&territory.territory));
            if !territory.entering.is_empty() {
                let _ = writeln!(
                    out,
                    "      + {} enter: {}",
                    plural(territory.entering.len(), one, many),
                    example_text(&territory.entering)
                );
            }
            if !territory.leaving.is_empty() {
                let _ = writeln!(
                    out,
                    "      - {} leave: {}",
                    plural(territory.leaving.len(), one, many),
                    example_text(&territory.leaving)
                );
            }
        }
        for note in &module.notes {
            let _ = writeln!(out, "    note: {note}");
        }
    }
    out
}

/// The "Needs attention" lines: one per territory that loses records.
#[must_use]
pub fn attention(preview: &Preview) -> Vec<String> {
    let mut lines = Vec::new();
    for module in &preview.modules {
        let (one, many) = noun(module);
        for territory in module.territories.iter().filter(|t| !t.leaving.is_empty()) {
            let count = territory.leaving.len();
            lines.push(format!(
                "**Records leave** {}: {} {}",
                escape::code_span(&territory.territory),
                plural(count, one, many),
                if count == 1 { "leaves" } else { "leave" }
            ));
        }
    }
    lines
}

/// The preview as a Markdown table, with how it was read and its notes.
#[must_use]
pub fn markdown_table(preview: &Preview) -> String {
    let mut out = format!(
        "**Impact on records** (read only, {})\n\n",
        plural(
            usize::try_from(preview.requests()).unwrap_or(usize::MAX),
            "request",
            "requests"
        )
    );
    let rows: Vec<(&ModuleImpact, &super::preview::TerritoryImpact)> = preview
        .modules
        .iter()
        .flat_map(|module| module.territories.iter().map(move |t| (module, t)))
        .collect();
    if !rows.is_empty() {
        out.push_str(
            "| module | territory | enter | leave | examples |\n|---|---|---:|---:|---|\n",
        );
        for (module, territory) in rows {
            let mut examples = Vec::new();
            if !territory.entering.is_empty() {
                examples.push(format!("+ {}", example_cell(&territory.entering)));
            }
            if !territory.leaving.is_empty() {
                examples.push(format!("− {}", example_cell(&territory.leaving)));
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                module.module,
                escape::code_cell(&territory.territory),
                territory.entering.len(),
                territory.leaving.len(),
                examples.join("<br>")
            );
        }
        out.push('\n');
    }
    for module in &preview.modules {
        let (one, _) = noun(module);
        let _ = write!(out, "- {}", read_line(module));
        if module.territories.is_empty() {
            let _ = write!(out, "; no {one} changes territory");
        }
        out.push('\n');
        for note in &module.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    out.push('\n');
    out
}

/// The preview as the plan's JSON shows it under `impact`: every record.
#[derive(serde::Serialize)]
pub struct ImpactJson<'a> {
    requests: u64,
    modules: &'a [ModuleImpact],
}

impl<'a> ImpactJson<'a> {
    #[must_use]
    pub fn of(preview: &'a Preview) -> Self {
        Self {
            requests: preview.requests(),
            modules: &preview.modules,
        }
    }
}
