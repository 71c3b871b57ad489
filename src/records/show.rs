//! `records get` output: an aligned table, or JSON with stable keys.

use serde::Serialize;

use crate::model::{AssignedHow, LiveRecord, Module, NameKey};

/// One record asked for: its territories, or `None` when the org has no such record.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownRecord {
    pub id: String,
    pub record: Option<LiveRecord>,
}

/// The table: a row per record territory, sorted by territory name within a record; records
/// in the order asked; a record without territories or that does not exist says so.
#[must_use]
pub fn render_table(module: Module, records: &[ShownRecord]) -> String {
    let mut rows: Vec<[String; 5]> = vec![[
        "RECORD".into(),
        "TERRITORY".into(),
        "ASSIGNED".into(),
        "BY".into(),
        "AT".into(),
    ]];
    for shown in records {
        let Some(record) = &shown.record else {
            rows.push([
                shown.id.clone(),
                format!("(no {module} record with this id)"),
                String::new(),
                String::new(),
                String::new(),
            ]);
            continue;
        };
        if record.territories.is_empty() {
            rows.push([
                shown.id.clone(),
                "(no territories)".into(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for territory in sorted(record) {
            let (how, by) = match territory.how {
                AssignedHow::Manually => (
                    "manually",
                    territory
                        .assigned_by
                        .as_ref()
                        .map_or_else(String::new, |user| {
                            user.name.clone().unwrap_or_else(|| user.id.clone())
                        }),
                ),
                AssignedHow::Automatically => ("automatically", "(rules)".to_owned()),
            };
            rows.push([
                shown.id.clone(),
                territory.name.clone(),
                how.into(),
                by,
                territory.assigned_time.clone().unwrap_or_default(),
            ]);
        }
    }
    // Names come from Zoho: shown with hidden characters escaped.
    let rows: Vec<[String; 5]> = rows
        .into_iter()
        .map(|row| row.map(|cell| crate::escape::terminal(&cell).into_owned()))
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            line.push_str(cell);
            let pad = widths[column] - cell.chars().count();
            line.push_str(&" ".repeat(pad + 2));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn sorted(record: &LiveRecord) -> Vec<&crate::model::RecordTerritory> {
    let mut territories: Vec<_> = record.territories.iter().collect();
    territories.sort_by(|a, b| {
        NameKey::new(&a.name)
            .cmp(&NameKey::new(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    territories
}

/// The JSON rendering. Keys, in this order: `version`, `module`, `records` (each `id`,
/// `found`, `territories`: `id`, `name`, `assigned` (`manually` | `automatically`),
/// `assigned_by` (`{id, name}` or null), `assigned_time`).
#[must_use]
pub fn render_json(module: Module, records: &[ShownRecord]) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        module: &'a str,
        records: Vec<Record<'a>>,
    }
    #[derive(Serialize)]
    struct Record<'a> {
        id: &'a str,
        found: bool,
        territories: Vec<Territory<'a>>,
    }
    #[derive(Serialize)]
    struct Territory<'a> {
        id: &'a str,
        name: &'a str,
        assigned: &'a str,
        assigned_by: Option<User<'a>>,
        assigned_time: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct User<'a> {
        id: &'a str,
        name: Option<&'a str>,
    }
    let document = Document {
        version: 1,
        module: module.api_name(),
        records: records
            .iter()
            .map(|shown| Record {
                id: &shown.id,
                found: shown.record.is_some(),
                territories: shown
                    .record
                    .as_ref()
                    .map(|record| {
                        sorted(record)
                            .into_iter()
                            .map(|territory| Territory {
                                id: &territory.id,
                                name: &territory.name,
                                assigned: match territory.how {
                                    AssignedHow::Manually => "manually",
                                    AssignedHow::Automatically => "automatically",
                                },
                                assigned_by: territory.assigned_by.as_ref().map(|user| User {
                                    id: &user.id,
                                    name: user.name.as_deref(),
                                }),
                                assigned_time: territory.assigned_time.as_deref(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&document).expect("plain data serialises");
    json.push('\n');
    json
}
