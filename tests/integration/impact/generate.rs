//! Generated orgs for the impact tests: a territory hierarchy with random Accounts and Deals
//! rules on every field type the evaluator knows, and records with random values (some
//! missing or empty, some territories assigned by hand). Deterministic from a seed.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use zoho_crm_sim::state::{Field, Record, RecordTerritory, State, Territory};

/// Fixed "now" of the generated orgs: Wednesday 2026-02-11 12:00 UTC.
pub(crate) const NOW: i64 = 1_770_811_200;

const COUNTRIES: &[&str] = &[
    "Japan",
    "South Korea",
    "United States",
    "Canada",
    "Germany",
    "France",
];
const FRAGMENTS: &[&str] = &["an", "Ja", "ce", "Korea", "united"];
const TYPES: &[&str] = &["Customer", "Partner", "Prospect"];
const TAGS: &[&str] = &["Gold", "Silver", "Bronze", "Strategic"];
const STAGES: &[&str] = &["Qualification", "Negotiation", "Closed Won", "Closed Lost"];
const DATES: &[&str] = &[
    "2025-06-01",
    "2025-12-31",
    "2026-01-15",
    "2026-02-11",
    "2026-03-01",
];
const LITERALS: &[&str] = &[
    "${TODAY}",
    "${THISMONTH}",
    "${LASTMONTH}",
    "${THISFQ}",
    "${LAST_N_DAYS:30}",
    "${NEXT_N_DAYS:30}",
    "${THISYEAR}",
    "${YESTERDAYMINUS}",
];

/// A random source with the helpers the generator needs.
pub(crate) struct Dice(pub(crate) fastrand::Rng);

impl Dice {
    pub(crate) fn new(seed: u64) -> Self {
        Self(fastrand::Rng::with_seed(seed))
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.0.usize(..items.len())]
    }

    pub(crate) fn chance(&mut self, percent: u8) -> bool {
        self.0.u8(..100) < percent
    }

    fn some<'a>(&mut self, items: &[&'a str], most: usize) -> Vec<&'a str> {
        let count = 1 + self.0.usize(..most.min(items.len()));
        let mut chosen: Vec<&str> = Vec::new();
        while chosen.len() < count {
            let item = self.pick(items);
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen
    }
}

fn field(id: &str, api_name: &str, data_type: &str) -> Field {
    serde_json::from_value(json!({
        "id": id, "api_name": api_name, "field_label": api_name, "data_type": data_type,
    }))
    .expect("a field")
}

/// The fields rules use, by module, with the ids the criteria carry.
fn fields() -> BTreeMap<&'static str, Vec<(&'static str, &'static str, &'static str)>> {
    BTreeMap::from([
        (
            "Accounts",
            vec![
                ("4150868000000000011", "Account_Name", "text"),
                ("4150868000000000013", "Billing_Country", "text"),
                ("4150868000000000014", "Billing_State", "text"),
                ("4150868000000000015", "Account_Type", "picklist"),
                ("4150868000000000016", "Annual_Revenue", "currency"),
                ("4150868000000000017", "Employees", "integer"),
                ("4150868000000000018", "Created_Time", "datetime"),
                ("4150868000000000019", "Is_Partner", "boolean"),
                ("4150868000000000020", "Tags", "multiselectpicklist"),
                ("4150868000000000021", "Renewal_Date", "date"),
            ],
        ),
        (
            "Deals",
            vec![
                ("4150868000000000031", "Deal_Name", "text"),
                ("4150868000000000032", "Amount", "currency"),
                ("4150868000000000033", "Stage", "picklist"),
                ("4150868000000000034", "Closing_Date", "date"),
            ],
        ),
    ])
}

fn field_ref(module: &str, api_name: &str) -> Value {
    let id = fields()[module]
        .iter()
        .find(|(_, name, _)| *name == api_name)
        .map(|(id, _, _)| *id)
        .expect("a known field");
    json!({"api_name": api_name, "id": id})
}

fn rule(module: &str, api_name: &str, comparator: &str, value: Value) -> Value {
    json!({"field": field_ref(module, api_name), "comparator": comparator, "value": value})
}

fn number(dice: &mut Dice, low: u32, high: u32) -> Value {
    // Zoho echoes numbers in criteria as strings.
    json!(dice.0.u32(low..high).to_string())
}

/// One random Accounts rule.
pub(crate) fn account_rule(dice: &mut Dice) -> Value {
    let m = "Accounts";
    match dice.0.u8(..9) {
        0 => {
            let comparator = dice.pick(&["equal", "not_equal", "in", "not_in"]);
            let value = if comparator.ends_with("in") {
                json!(dice.some(COUNTRIES, 3))
            } else {
                json!(dice.pick(COUNTRIES))
            };
            rule(m, "Billing_Country", comparator, value)
        }
        1 => {
            let comparator = dice.pick(&["contains", "not_contains", "starts_with", "ends_with"]);
            rule(
                m,
                "Billing_Country",
                comparator,
                json!(dice.pick(FRAGMENTS)),
            )
        }
        2 => {
            let comparator = dice.pick(&["equal", "not_equal"]);
            let value = dice.pick(&["${EMPTY}", "${NOTEMPTY}", "CA", "TX"]);
            rule(m, "Billing_State", comparator, json!(value))
        }
        3 => {
            let comparator = dice.pick(&["equal", "not_equal", "in"]);
            let value = if comparator == "in" {
                json!(dice.some(TYPES, 2))
            } else {
                json!(dice.pick(TYPES))
            };
            rule(m, "Account_Type", comparator, value)
        }
        4 => {
            let comparator = dice.pick(&[
                "less_than",
                "greater_equal",
                "between",
                "not_between",
                "equal",
            ]);
            let value = if comparator.ends_with("between") {
                let low = dice.0.u32(0..5_000_000);
                json!([
                    low.to_string(),
                    (low + dice.0.u32(0..5_000_000)).to_string()
                ])
            } else {
                number(dice, 0, 10_000_000)
            };
            rule(m, "Annual_Revenue", comparator, value)
        }
        5 => {
            let comparator = dice.pick(&["greater_than", "less_equal", "in"]);
            let value = if comparator == "in" {
                json!(["10", "50", "100"])
            } else {
                number(dice, 0, 500)
            };
            rule(m, "Employees", comparator, value)
        }
        6 => {
            let comparator = dice.pick(&["equal", "less_than", "greater_equal", "between"]);
            let value = match comparator {
                "between" => json!([
                    dice.pick(&["2025-06-01T00:00:00+00:00", "2026-01-15T12:00:00+00:00"]),
                    dice.pick(&["2026-02-28T23:59:59+00:00", "2026-12-31T00:00:00+00:00"])
                ]),
                "equal" => json!(dice.pick(LITERALS)),
                _ => json!(dice.pick(&[
                    "2026-01-01T00:00:00+00:00",
                    "${TODAY}",
                    "${LASTMONTH}",
                    "2025-12-31T08:00:00+00:00"
                ])),
            };
            rule(m, "Created_Time", comparator, value)
        }
        7 => {
            let comparator = dice.pick(&["equal", "not_equal"]);
            rule(m, "Is_Partner", comparator, json!(dice.chance(50)))
        }
        _ => {
            if dice.chance(50) {
                let comparator = dice.pick(&["equal", "not_equal", "in", "contains"]);
                let value = match comparator {
                    "contains" => json!(dice.pick(&["old", "ilv", "Strat"])),
                    _ => json!(dice.some(TAGS, 2)),
                };
                rule(m, "Tags", comparator, value)
            } else {
                let comparator = dice.pick(&["less_than", "greater_than", "equal", "between"]);
                let value = match comparator {
                    "between" => json!([dice.pick(DATES), "${NEXT_N_DAYS:60}"]),
                    "equal" => json!(dice.pick(LITERALS)),
                    _ => json!(dice.pick(DATES)),
                };
                rule(m, "Renewal_Date", comparator, value)
            }
        }
    }
}

/// One random Deals rule.
pub(crate) fn deal_rule(dice: &mut Dice) -> Value {
    let m = "Deals";
    match dice.0.u8(..3) {
        0 => {
            let comparator = dice.pick(&["greater_than", "less_than", "between"]);
            let value = if comparator == "between" {
                json!(["1000", "60000"])
            } else {
                number(dice, 0, 100_000)
            };
            rule(m, "Amount", comparator, value)
        }
        1 => {
            let comparator = dice.pick(&["equal", "not_equal", "in"]);
            let value = if comparator == "in" {
                json!(dice.some(STAGES, 2))
            } else {
                json!(dice.pick(STAGES))
            };
            rule(m, "Stage", comparator, value)
        }
        _ => {
            let comparator = dice.pick(&["less_than", "greater_equal", "equal"]);
            let value = if comparator == "equal" {
                json!(dice.pick(LITERALS))
            } else {
                json!(dice.pick(DATES))
            };
            rule(m, "Closing_Date", comparator, value)
        }
    }
}

/// A criteria of one to three rules, sometimes nested.
pub(crate) fn criteria(dice: &mut Dice, one: fn(&mut Dice) -> Value) -> Value {
    if dice.chance(40) {
        return one(dice);
    }
    let count = 2 + dice.0.usize(..2);
    let group: Vec<Value> = (0..count)
        .map(|_| {
            if dice.chance(20) {
                json!({"group_operator": dice.pick(&["AND", "OR"]), "group": [one(dice), one(dice)]})
            } else {
                one(dice)
            }
        })
        .collect();
    json!({"group_operator": dice.pick(&["AND", "OR"]), "group": group})
}

fn territory(id: String, name: String, parent: &str, admin: &str) -> Territory {
    serde_json::from_value(json!({
        "id": id, "name": name.clone(), "api_name": name.replace(' ', "_"),
        "reporting_to": parent, "permission_type": "read_write_delete",
        "created_time": "2026-01-01T00:00:00+00:00", "modified_time": "2026-01-01T00:00:00+00:00",
        "created_by": admin, "modified_by": admin,
    }))
    .expect("a territory")
}

fn random_day(dice: &mut Dice) -> String {
    // Around "now": from 2025-08 to 2026-08.
    let day = NOW / 86_400 - 190 + i64::from(dice.0.u16(..380));
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn civil(day: i64) -> (i64, u32, u32) {
    // A plain walk is enough for a test: from 2025-01-01 (day 20089).
    let mut left = day - 20_089;
    let mut year = 2025;
    let month_days = |year: i64, month: u32| match month {
        2 if year % 4 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let mut month = 1;
    while left >= month_days(year, month) {
        left -= month_days(year, month);
        month += 1;
        if month == 13 {
            month = 1;
            year += 1;
        }
    }
    (year, month, left as u32 + 1)
}

fn account(dice: &mut Dice, n: usize) -> BTreeMap<String, Value> {
    let mut fields = BTreeMap::new();
    fields.insert("Account_Name".to_owned(), json!(format!("Account {n:04}")));
    let mut maybe = |key: &str, value: Value, dice: &mut Dice| {
        match dice.0.u8(..10) {
            0 => {}
            1 => {
                fields.insert(key.to_owned(), Value::Null);
            }
            _ => {
                fields.insert(key.to_owned(), value);
            }
        };
    };
    let country = dice.pick(COUNTRIES);
    maybe("Billing_Country", json!(country), dice);
    let state = if dice.chance(20) {
        ""
    } else {
        dice.pick(&["CA", "TX", "Tokyo", "Bavaria"])
    };
    maybe("Billing_State", json!(state), dice);
    maybe("Account_Type", json!(dice.pick(TYPES)), dice);
    maybe("Annual_Revenue", json!(dice.0.u32(0..10_000_000)), dice);
    maybe(
        "Employees",
        json!(
            dice.pick(&["10", "50", "100", "250", "7"])
                .parse::<u32>()
                .unwrap()
        ),
        dice,
    );
    let created = format!("{}T{:02}:30:00+00:00", random_day(dice), dice.0.u8(..24));
    maybe("Created_Time", json!(created), dice);
    maybe("Is_Partner", json!(dice.chance(50)), dice);
    maybe("Tags", json!(dice.some(TAGS, 3)), dice);
    maybe("Renewal_Date", json!(random_day(dice)), dice);
    fields
}

fn deal(dice: &mut Dice, n: usize) -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("Deal_Name".to_owned(), json!(format!("Deal {n:04}"))),
        ("Amount".to_owned(), json!(dice.0.u32(0..100_000))),
        ("Stage".to_owned(), json!(dice.pick(STAGES))),
        ("Closing_Date".to_owned(), json!(random_day(dice))),
    ])
}

/// The generated org: acme's users on `base`, a hierarchy of `territories` (root included)
/// with random rules, `accounts` accounts and `deals` deals; a tenth of the records hold a
/// territory assigned by hand.
pub(crate) fn org(base: &mut State, seed: u64, territories: usize, accounts: usize, deals: usize) {
    let mut dice = Dice::new(seed);
    let admin = base.org.current_user.clone();
    let root = base.root().expect("a root").clone();
    base.territories.retain(|t| t.id == root.id);
    base.rule_jobs.clear();
    for (module, list) in fields() {
        base.fields.insert(
            module.to_owned(),
            list.iter()
                .map(|(id, name, kind)| field(id, name, kind))
                .collect(),
        );
    }
    let mut ids = vec![root.id.clone()];
    for n in 1..territories {
        let id = format!("41508680000070{n:05}");
        // Parents among the earlier territories: a hierarchy up to four deep.
        let parent = ids[dice.0.usize(..ids.len().min(1 + n / 2))].clone();
        let mut territory = territory(id.clone(), format!("T{n:02}"), &parent, &admin);
        if dice.chance(80) {
            territory.account_rule_criteria = Some(criteria(&mut dice, account_rule));
        }
        if dice.chance(50) {
            territory.deal_rule_criteria = Some(criteria(&mut dice, deal_rule));
        }
        base.territories.push(Box::new(territory));
        ids.push(id);
    }
    let manual = |dice: &mut Dice, ids: &[String]| -> Vec<RecordTerritory> {
        if ids.len() > 1 && dice.chance(10) {
            vec![RecordTerritory {
                id: ids[1 + dice.0.usize(..ids.len() - 1)].clone(),
                assigned: "manually".into(),
                assigned_by: Some(admin.clone()),
                assigned_time: "2026-01-05T10:00:00+00:00".into(),
            }]
        } else {
            Vec::new()
        }
    };
    let accounts: Vec<Record> = (0..accounts)
        .map(|n| Record {
            id: format!("41508680000080{n:05}"),
            fields: account(&mut dice, n),
            territories: manual(&mut dice, &ids),
            locked: false,
        })
        .collect();
    let deals: Vec<Record> = (0..deals)
        .map(|n| Record {
            id: format!("41508680000090{n:05}"),
            fields: deal(&mut dice, n),
            territories: manual(&mut dice, &ids),
            locked: false,
        })
        .collect();
    base.records.insert("Accounts".into(), accounts);
    base.records.insert("Deals".into(), deals);
    base.records.insert("Contacts".into(), Vec::new());
    base.limits.rule_job_scheduled_secs = 0;
    base.limits.rule_job_running_secs = 0;
}
