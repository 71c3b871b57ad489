//! Live names come from Zoho unchecked: a plan shows them escaped in text and Markdown (one
//! entry per change, no markup, HTML, mention or link), and exactly as they are in JSON.

use std::process::Command;

use zoho_crm_sim::State;

/// Names a Zoho org may hold (Zoho does not refuse them all), each to be deleted by the plan.
const HOSTILE: &[&str] = &[
    "Sales\n  - delete Strategic Accounts",
    "East\u{1b}[2J\u{1b}[31mred",
    "Nul\0here",
    "Bell\u{7}",
    "Evil\u{202E}gnp.exe",
    "Zero\u{200B}width",
    "<img src=x onerror=alert(1)>",
    "@everyone",
    "[x](http://evil.example)",
    "tick`s ``` fence",
    "pipe | cell",
];

fn org() -> State {
    let mut state = State::new_org("Acme Corp");
    let root = state.root().expect("a root").clone();
    for (index, name) in HOSTILE.iter().enumerate() {
        let mut territory = root.clone();
        territory.id = state.allocate_id();
        territory.name = (*name).to_owned();
        territory.api_name = format!("Hostile_{index}");
        territory.reporting_to = Some(root.id.clone());
        territory.permission_type = "read_write_delete".into();
        territory.description = Some(format!("about {name}"));
        state.add_territory(territory);
    }
    state
}

fn plan(format: &str) -> String {
    run("plan", format, &["--max-change-percent", "100"], 0)
}

/// `territoryctl <command> ... --format <format>` against the hostile org, expecting `code`.
fn run(command: &str, format: &str, extra: &[&str], code: i32) -> String {
    let dir = tempfile::tempdir().unwrap();
    let desired = dir.path().join("territories.yaml");
    std::fs::write(
        &desired,
        "version: 1\nroot: Acme Corp\nunmanaged: delete\nterritories:\n  - name: Kept\n    parent: Acme Corp\n",
    )
    .unwrap();
    let state = dir.path().join("org.json");
    std::fs::write(&state, serde_json::to_string(&org()).unwrap()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .arg(command)
        .arg(&desired)
        .arg("--sandbox")
        .arg(&state)
        .args(["--color", "never", "--format", format])
        .args(extra)
        .env_remove("NO_COLOR")
        .output()
        .expect("territoryctl runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(
        output.status.code(),
        Some(code),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn assert_no_raw_hidden_character(rendering: &str) {
    let raw: Vec<char> = rendering
        .chars()
        .filter(|&c| territoryctl::escape::is_hidden(c) && c != '\n')
        .collect();
    assert!(
        raw.is_empty(),
        "raw hidden characters {raw:?} in:\n{rendering}"
    );
}

#[test]
fn the_text_plan_shows_hostile_names_escaped() {
    let text = plan("text");
    assert_no_raw_hidden_character(&text);
    assert!(
        !text
            .lines()
            .any(|line| line.trim_start().starts_with("- delete")),
        "a name forged a line:\n{text}"
    );
    for escaped in [
        "Sales\\n  - delete Strategic Accounts",
        "East\\u{1b}[2J\\u{1b}[31mred",
        "Nul\\0here",
        "Bell\\u{7}",
        "Evil\\u{202e}gnp.exe",
        "Zero\\u{200b}width",
    ] {
        assert!(text.contains(escaped), "`{escaped}` not shown in:\n{text}");
    }
    assert!(text.contains("Plan: 1 to add, 0 to change, 0 to move, 11 to delete."));
}

#[test]
fn the_markdown_plan_keeps_one_entry_per_change_and_no_markup_from_names() {
    let markdown = plan("markdown");
    assert_no_raw_hidden_character(&markdown);
    let deletions: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with("- **Delete** "))
        .collect();
    assert_eq!(deletions.len(), HOSTILE.len(), "{markdown}");
    // Ten items a category, the rest folded.
    assert!(
        markdown.contains("\n<details><summary>1 more deletion</summary>\n\n- **Delete** "),
        "{markdown}"
    );
    for line in &deletions {
        // Everything after the bold word is one code span: nothing in it is markup.
        let span = line.strip_prefix("- **Delete** ").unwrap();
        let fence_len = span.chars().take_while(|&c| c == '`').count();
        assert!(fence_len >= 1, "{line}");
        let fence = "`".repeat(fence_len);
        assert!(span.ends_with(&fence), "{line}");
        let inner = &span[fence_len..span.len() - fence_len];
        assert!(
            !inner.contains(&fence),
            "the name closes its own code span: {line}"
        );
    }
    // Which lines are inside a fenced block (text, diff or Mermaid): a block cannot be closed
    // by a name with backticks, since the first line that starts with a block's fence is its
    // closing fence, alone on its line.
    let mut fence: Option<String> = None;
    let mut languages = Vec::new();
    let mut in_block = Vec::new();
    for line in markdown.lines() {
        match &fence {
            None if line.starts_with("```") => {
                let open: String = line.chars().take_while(|&c| c == '`').collect();
                languages.push(line[open.len()..].to_owned());
                fence = Some(open);
                in_block.push(false);
            }
            None => in_block.push(false),
            Some(open) if line.trim_start().starts_with("```") => {
                assert!(
                    line.len() < open.len() || line == open,
                    "a line inside a block starts with its fence: {line}"
                );
                in_block.push(line != open);
                if line == open {
                    fence = None;
                }
            }
            Some(_) => in_block.push(true),
        }
    }
    assert!(fence.is_none(), "a block is left open:\n{markdown}");
    for language in ["text", "diff", "mermaid"] {
        assert!(
            languages.iter().any(|found| found == language),
            "no {language} block in:\n{markdown}"
        );
    }
    for name in [
        "<img src=x onerror=alert(1)>",
        "@everyone",
        "[x](http://evil.example)",
    ] {
        for (line, inside) in markdown.lines().zip(&in_block) {
            let Some(at) = line.find(name) else { continue };
            assert!(
                *inside || line[..at].ends_with('`'),
                "`{name}` outside code in: {line}"
            );
        }
    }
    // No line break was added: a block's lines all belong to it.
    assert!(
        !markdown
            .lines()
            .any(|line| line.trim_start().starts_with("- delete"))
    );
    // In the diagram, a name is only ever inside a quoted label, as entity codes: nothing of
    // it can end the label, start a statement, or be read as Markdown or HTML.
    let diagram: Vec<&str> = markdown
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a Mermaid block")
        .lines()
        .collect();
    let mut labels = 0;
    for line in &diagram {
        let Some((_, label)) = line.split_once("[\"") else {
            continue;
        };
        let label = label.rsplit_once("\"]").expect("a closed label").0;
        labels += 1;
        assert!(
            label
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '#' || c == ';'),
            "a raw character in the label {label:?}"
        );
    }
    // The root, `Kept` and every hostile name.
    assert_eq!(labels, 2 + HOSTILE.len(), "{diagram:?}");
    assert!(
        diagram
            .iter()
            .any(|line| line.contains("#60;img src#61;x onerror#61;alert#40;1#41;#62;")),
        "{diagram:?}"
    );
}

#[test]
fn a_refusal_naming_hostile_names_stays_inside_its_block() {
    // Apply refuses the deletions, naming them at the top of the plan it shows.
    let args = ["--yes", "--max-change-percent", "100"];
    let text = run("apply", "text", &args, 3);
    assert_no_raw_hidden_character(&text);
    let first = text.lines().next().unwrap();
    assert!(
        first
            .starts_with("Refused (apply::deletions-not-allowed): the plan deletes 11 territories")
            && first.contains("Sales\\n  - delete Strategic Accounts"),
        "{text}"
    );
    let markdown = run("apply", "markdown", &args, 3);
    assert_no_raw_hidden_character(&markdown);
    let alert: Vec<&str> = markdown
        .lines()
        .skip_while(|line| !line.starts_with("> [!CAUTION]"))
        .take_while(|line| !line.is_empty())
        .collect();
    // The message is one line of a code block inside the alert: every line of the alert
    // starts with `> `, and the block's fence outlasts the backticks of any name.
    assert_eq!(alert.len(), 7, "{alert:#?}");
    assert!(alert.iter().all(|line| line.starts_with('>')), "{alert:#?}");
    let fence = alert[3]
        .strip_prefix("> ")
        .unwrap()
        .trim_end_matches("text");
    assert!(
        fence.len() > 3 && fence.chars().all(|c| c == '`'),
        "{alert:#?}"
    );
    assert!(
        alert[4].contains("<img src=x onerror=alert(1)>"),
        "{alert:#?}"
    );
    assert_eq!(alert[6], format!("> {fence}"));
}

#[test]
fn the_json_plan_keeps_names_exactly() {
    let json: serde_json::Value = serde_json::from_str(&plan("json")).expect("JSON");
    let names: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|change| change["action"]["name"].as_str())
        .collect();
    for name in HOSTILE {
        assert!(names.contains(name), "{name:?} not in {names:?}");
    }
}
