//! A live org built by hand to exercise every corner of export: names YAML would misread,
//! unicode, every comparator and nesting, descriptions of every shape, an inactive manager, a
//! deleted field, manual and automatic record assignments.

use std::collections::BTreeMap;

use territoryctl::model::{
    AssignedHow, Comparator, Criteria, FieldMeta, GroupOperator, Live, LiveRecord, LiveTerritory,
    Module, OrgInfo, Permission, RecordTerritory, Rule, RuleModule, RuleValue, Scalar, User,
    UserRef,
};

pub(crate) fn territory(id: &str, name: &str, parent: Option<&str>) -> LiveTerritory {
    LiveTerritory {
        id: id.to_owned(),
        fields: territoryctl::model::Fields::new(
            name,
            parent.map(str::to_owned),
            Permission::ReadWriteDelete,
        ),
        modified_time: None,
    }
}

pub(crate) fn rule(field: &str, comparator: Comparator, value: RuleValue) -> Criteria {
    Criteria::Rule(Rule {
        field: field.to_owned(),
        comparator,
        value,
    })
}

pub(crate) fn all(items: Vec<Criteria>) -> Criteria {
    Criteria::Group {
        operator: GroupOperator::And,
        items,
    }
}

pub(crate) fn any(items: Vec<Criteria>) -> Criteria {
    Criteria::Group {
        operator: GroupOperator::Or,
        items,
    }
}

pub(crate) fn text(value: &str) -> Scalar {
    Scalar::Text(value.to_owned())
}

pub(crate) fn number(value: &str) -> Scalar {
    Scalar::Number(value.to_owned())
}

pub(crate) fn one(scalar: Scalar) -> RuleValue {
    RuleValue::One(scalar)
}

pub(crate) fn many(scalars: Vec<Scalar>) -> RuleValue {
    RuleValue::Many(scalars)
}

pub(crate) fn lookup(id: &str, name: &str) -> Scalar {
    Scalar::Lookup {
        id: id.to_owned(),
        name: Some(name.to_owned()),
    }
}

fn manager(id: &str, name: &str) -> Option<UserRef> {
    Some(UserRef {
        id: id.to_owned(),
        name: Some(name.to_owned()),
    })
}

pub(crate) fn user(id: &str, email: &str, full_name: &str) -> User {
    User {
        id: id.to_owned(),
        email: email.to_owned(),
        full_name: full_name.to_owned(),
    }
}

pub(crate) fn fields(names: &[&str]) -> Vec<FieldMeta> {
    names
        .iter()
        .enumerate()
        .map(|(index, name)| FieldMeta {
            api_name: (*name).to_owned(),
            id: format!("90000{index}"),
            data_type: "text".into(),
            picklist: Vec::new(),
        })
        .collect()
}

/// The id of the Accounts record with manual and automatic territories.
pub(crate) const ACCOUNT_RECORD: &str = "4150868000004522032";
/// A Contacts record with only an automatic territory.
pub(crate) const CONTACT_RECORD: &str = "4150868000004530011";
/// A Deals record the live state does not hold.
pub(crate) const MISSING_DEAL: &str = "4150868000004540005";

/// The hand-made org. The deleted field is `Legacy_Region`; the inactive manager is
/// Dana Former (id 7000000000009).
#[expect(clippy::too_many_lines, reason = "one literal org, read top to bottom")]
pub(crate) fn sample_live() -> Live {
    let mut root = territory("1000", "Globex Corporation", None);
    root.manager = manager("7000000000001", "Alice Admin");

    let mut americas = territory("1001", "Americas", Some("1000"));
    americas.manager = manager("7000000000001", "Alice Admin");
    americas.description =
        Some("North, Central and South America.\nIncludes the Caribbean.\n".to_owned());
    americas.rules.accounts = Some(any(vec![
        rule(
            "Billing_Country",
            Comparator::In,
            many(vec![text("United States"), text("Canada"), text("Brasil")]),
        ),
        rule("Billing_Country", Comparator::Equal, one(text("USA"))),
    ]));
    americas.rules.leads = Some(rule(
        "Country",
        Comparator::NotIn,
        many(vec![text("Germany"), text("France")]),
    ));

    let mut sao_paulo = territory("1010", "São Paulo (Região 2)", Some("1001"));
    sao_paulo.manager = manager("7000000000003", "Chen Wei");
    sao_paulo.permission = Permission::ReadOnly;
    sao_paulo.description = Some("  Indented first line\nsecond line".to_owned());
    sao_paulo.rules.accounts = Some(all(vec![
        rule("Billing_State", Comparator::StartsWith, one(text("SP"))),
        rule(
            "Billing_City",
            Comparator::EndsWith,
            many(vec![text("Paulo"), text("Sul")]),
        ),
        any(vec![
            rule(
                "Annual_Revenue",
                Comparator::Between,
                many(vec![number("10000"), number("250000.5")]),
            ),
            rule(
                "Employees",
                Comparator::NotBetween,
                many(vec![number("0"), number("9")]),
            ),
            all(vec![
                rule("Rating", Comparator::Like, one(text("Hot"))),
                rule("Rating", Comparator::NotLike, one(text("Cold"))),
            ]),
        ]),
    ]));

    let mut north_west = territory("1011", "North: West", Some("1001"));
    north_west.manager = manager("7000000000009", "Dana Former");
    north_west.description = Some(String::new());
    north_west.rules.deals = Some(all(vec![
        rule("Amount", Comparator::GreaterEqual, one(number("50000"))),
        rule("Amount", Comparator::LessThan, one(number("1000000"))),
        rule("Stage", Comparator::NotEqual, one(text("Closed Lost"))),
    ]));

    let mut yes = territory("1012", "Yes", Some("1011"));
    yes.description = Some("yes".to_owned());
    yes.rules.accounts = Some(rule(
        "Is_Partner",
        Comparator::Equal,
        one(Scalar::Bool(true)),
    ));

    let mut numeric = territory("1013", "123", Some("1011"));
    numeric.permission = Permission::ReadOnly;
    numeric.rules.accounts = Some(rule("Billing_Code", Comparator::Contains, one(text("007"))));
    numeric.rules.leads = Some(rule(
        "Lead_Score",
        Comparator::LessEqual,
        one(number("-3.25")),
    ));

    let mut emea = territory("1002", "EMEA", Some("1000"));
    emea.manager = manager("7000000000002", "Bob Builder");
    emea.description = Some(
        "Europe, the Middle East and Africa: every country from Iceland to South Africa, \
         worked from the London, Berlin and Dubai offices. # Not a comment; 'quotes' and \
         \"double quotes\" are kept, as are trailing words of a long single line of text."
            .to_owned(),
    );
    emea.rules.accounts = Some(all(vec![
        rule(
            "Billing_Country",
            Comparator::NotContains,
            one(text("Test")),
        ),
        rule(
            "Owner",
            Comparator::IncludeAny,
            many(vec![
                lookup("7000000000002", "Bob Builder"),
                lookup("7000000000003", "Chen Wei"),
            ]),
        ),
        rule(
            "Owner",
            Comparator::ExcludeAll,
            many(vec![lookup("7000000000009", "Dana Former")]),
        ),
    ]));
    emea.rules.leads = Some(rule("Legacy_Region", Comparator::Equal, one(text("EU"))));

    let mut dach = territory("1020", "DACH", Some("1002"));
    dach.manager = manager("7000000000002", "Bob Builder");
    dach.rules.accounts = Some(any(vec![
        rule(
            "Tags",
            Comparator::IncludeAll,
            many(vec![lookup("5000000000001", "Enterprise")]),
        ),
        rule(
            "Tags",
            Comparator::ExcludeAny,
            many(vec![lookup("5000000000002", "Churned")]),
        ),
        rule(
            "Billing_Country",
            Comparator::Equal,
            many(vec![text("Germany"), text("Österreich"), text("Schweiz")]),
        ),
    ]));

    let mut zurich = territory("1021", "Zürich – Nord", Some("1020"));
    zurich.description = Some("# not a comment\n- not a list\nkey: not a map".to_owned());
    zurich.rules.deals = Some(rule(
        "Legacy_Region",
        Comparator::GreaterThan,
        one(number("3")),
    ));

    let mut apac = territory("1003", "日本 and APAC", Some("1000"));
    apac.manager = manager("7000000000003", "Chen Wei");
    apac.description = Some("null".to_owned());

    let mut orphan = territory("1099", "Lost Territory", Some("4242"));
    orphan.description = Some("Its parent was deleted.".to_owned());

    let mut records = BTreeMap::new();
    records.insert(
        Module::Accounts,
        BTreeMap::from([(
            ACCOUNT_RECORD.to_owned(),
            LiveRecord {
                id: ACCOUNT_RECORD.to_owned(),
                territories: vec![
                    record_territory("1021", "Zürich – Nord", AssignedHow::Manually),
                    record_territory("1020", "DACH", AssignedHow::Automatically),
                    record_territory("1010", "São Paulo (Região 2)", AssignedHow::Manually),
                ],
            },
        )]),
    );
    records.insert(
        Module::Contacts,
        BTreeMap::from([(
            CONTACT_RECORD.to_owned(),
            LiveRecord {
                id: CONTACT_RECORD.to_owned(),
                territories: vec![record_territory("1002", "EMEA", AssignedHow::Automatically)],
            },
        )]),
    );

    Live {
        org: Some(OrgInfo {
            id: "60000000001".to_owned(),
            name: "Globex".to_owned(),
        }),
        territories: vec![
            root, americas, emea, apac, sao_paulo, north_west, yes, numeric, dach, zurich, orphan,
        ],
        users: vec![
            user("7000000000001", "alice.admin@globex.example", "Alice Admin"),
            user("7000000000002", "bob.builder@globex.example", "Bob Builder"),
            user("7000000000003", "chen.wei@globex.example", "Chen Wei"),
        ],
        fields: BTreeMap::from([
            (
                RuleModule::Accounts,
                fields(&[
                    "Billing_Country",
                    "Billing_State",
                    "Billing_City",
                    "Billing_Code",
                    "Annual_Revenue",
                    "Employees",
                    "Rating",
                    "Is_Partner",
                    "Owner",
                    "Tags",
                ]),
            ),
            (
                RuleModule::Leads,
                fields(&["Country", "Lead_Source", "Lead_Score"]),
            ),
            (RuleModule::Deals, fields(&["Amount", "Stage"])),
        ]),
        records,
    }
}

fn record_territory(id: &str, name: &str, how: AssignedHow) -> RecordTerritory {
    RecordTerritory {
        id: id.to_owned(),
        name: name.to_owned(),
        how,
        assigned_by: None,
        assigned_time: None,
    }
}
