//! The client's evaluator (`territoryctl::impact`) and the simulator's rule runs
//! (`simulator/src/rule_run/`, started through `territoryctl rules run`) on the same
//! generated records must give every record the same territories.

use std::collections::BTreeMap;

use territoryctl::impact::preview::RecordRead;
use territoryctl::impact::{Clock, Context, DealChoice, Node, Tree, automatic};
use territoryctl::model::{AssignedHow, Module, RuleModule};
use territoryctl::zoho::{Credentials, ReadClient, Secret, Settings};

use super::generate::{self, NOW};
use crate::records::Org;

fn read_client(org: &Org) -> ReadClient {
    let url = reqwest::Url::parse(&org.server().base_url()).unwrap();
    let token_url = url.join("/oauth/v2/token").unwrap();
    let settings = Settings::for_url(url, token_url).unwrap();
    ReadClient::connect(
        settings,
        Credentials::AccessToken(Secret::new(org.server().access_token())),
    )
    .unwrap()
}

/// What the client predicts for every record of `module`: record id -> automatic territory ids.
fn predicted(org: &Org, module: RuleModule) -> (BTreeMap<String, Vec<String>>, usize) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = read_client(org);
    let (territories, fields, users, records) = runtime.block_on(async {
        let territories = client.territories().await.unwrap();
        let fields = client.fields(module.module()).await.unwrap();
        let users = client.active_users().await.unwrap();
        let used: Vec<String> = territories
            .iter()
            .filter_map(|t| t.rules.get(module))
            .flat_map(|c| c.rules().into_iter().map(|r| r.field.clone()))
            .collect();
        let (records, partial) =
            territoryctl::impact::read::records(&client, module, &used, 100_000)
                .await
                .unwrap();
        assert!(!partial);
        (territories, fields, users, records)
    });
    let position: BTreeMap<&str, usize> = territories
        .iter()
        .enumerate()
        .map(|(at, t)| (t.id.as_str(), at))
        .collect();
    // `territories()` gives them ordered by id, which is creation order here.
    let tree = Tree::new(
        territories
            .iter()
            .map(|t| Node {
                key: t.id.clone(),
                parent: t.parent.as_deref().map(|p| position[p]),
                criteria: t.rules.get(module),
            })
            .collect(),
    );
    let user_names = users.into_iter().map(|u| (u.id, u.full_name)).collect();
    let context = Context {
        fields: &fields,
        clock: Clock {
            unix: NOW,
            offset_secs: 0,
            fiscal_start_month: 1,
        },
        user_names: &user_names,
    };
    let mut out = BTreeMap::new();
    let mut matched = 0;
    for RecordRead {
        sample,
        territories,
        ..
    } in &records
    {
        let manual: Vec<&str> = territories
            .iter()
            .filter(|(_, how)| *how == AssignedHow::Manually)
            .map(|(id, _)| id.as_str())
            .collect();
        let reached: Vec<&str> = tree
            .reached(&context, sample)
            .into_iter()
            .map(|at| tree.nodes[at].key.as_str())
            .collect();
        let given = automatic(module.module(), &reached, &manual, DealChoice::First);
        matched += usize::from(!given.is_empty());
        out.insert(
            sample.id.clone(),
            given.into_iter().map(str::to_owned).collect(),
        );
    }
    (out, matched)
}

/// What the simulator's rule run gave every record of `module`.
fn simulated(org: &Org, module: Module) -> BTreeMap<String, Vec<String>> {
    org.server().state().records[module.api_name()]
        .iter()
        .map(|record| {
            let automatic = record
                .territories
                .iter()
                .filter(|t| t.assigned == "automatically")
                .map(|t| t.id.clone())
                .collect();
            (record.id.clone(), automatic)
        })
        .collect()
}

#[test]
fn the_client_evaluator_gives_every_generated_record_what_a_simulator_rule_run_gives() {
    let mut records_compared = 0;
    let mut matched = 0;
    for seed in 0..12 {
        let org = Org::with(|state| generate::org(state, seed, 16, 450, 120));
        org.server().set_clock(NOW);
        for module in [RuleModule::Accounts, RuleModule::Deals] {
            let run = org.run(&["rules", "run", "--module", module.module().api_name()]);
            assert_eq!(run.code, 0, "seed {seed}: {}\n{}", run.stdout, run.stderr);
            let (predicted, hits) = predicted(&org, module);
            let simulated = simulated(&org, module.module());
            assert_eq!(predicted.len(), simulated.len(), "seed {seed} {module}");
            for (id, territories) in &simulated {
                assert_eq!(
                    predicted.get(id),
                    Some(territories),
                    "seed {seed}, {module} record {id}: the client and the simulator disagree\n{:#?}",
                    org.server().state().records[module.module().api_name()]
                        .iter()
                        .find(|r| &r.id == id)
                );
            }
            records_compared += simulated.len();
            matched += hits;
        }
    }
    // The generated rules catch a fair share of the records, so the comparison means something.
    assert!(records_compared == 12 * (450 + 120), "{records_compared}");
    assert!(
        matched > records_compared / 5,
        "{matched} of {records_compared}"
    );
}
