//! Input that is not a desired state at all gets a one-line reason naming the file, never a
//! panic or a stack overflow.

use std::path::{Path, PathBuf};

use super::{codes, render};

/// A scratch directory of this test process, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("territoryctl-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create scratch directory");
        Self(path)
    }

    fn file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn one_problem(path: &Path) -> (String, String) {
    let report = territoryctl::config::load(&[path.to_owned()]).expect_err("must be refused");
    assert_eq!(report.errors.len(), 1, "{}", render(&report));
    (codes(&report)[0].to_owned(), report.errors[0].to_string())
}

#[test]
fn a_missing_path_is_named() {
    let (code, message) = one_problem(Path::new("tests/fixtures/invalid/no-such-file.yaml"));
    assert_eq!(code, "file::not-found");
    assert_eq!(
        message,
        "`tests/fixtures/invalid/no-such-file.yaml` does not exist"
    );
}

#[test]
fn a_directory_without_yaml_is_refused() {
    let report = territoryctl::config::load(&[PathBuf::from("tests/fixtures/invalid/no-yaml")])
        .expect_err("no YAML");
    insta::assert_snapshot!(render(&report), @r"
      × the desired state has 1 error

    Error: file::no-yaml

      × `tests/fixtures/invalid/no-yaml` holds no `*.yaml` or `*.yml` file
      help: territoryctl reads the YAML files directly in a directory, not in its
            subdirectories
    ");
}

#[test]
fn a_50_mib_file_is_refused_before_parsing() {
    let scratch = Scratch::new("huge");
    let mut huge = b"# padding\n".repeat(5 * 1024 * 1024);
    huge.resize(50 * 1024 * 1024, b'\n');
    let path = scratch.file("huge.yaml", &huge);
    let (code, message) = one_problem(&path);
    assert_eq!(code, "file::too-large");
    assert_eq!(
        message,
        format!(
            "`{}` is 50 MiB; territoryctl reads desired-state files of at most 8 MiB",
            path.display()
        )
    );
    assert!(!message.contains('\n'));
}

#[test]
fn deep_nesting_fails_fast_without_overflowing_the_stack() {
    let scratch = Scratch::new("deep");
    let depth = 100_000;
    // Criteria groups nest legitimately, so deserialisation follows them down to the limit.
    let text = format!(
        "version: 1\nroot: R\nterritories:\n  - name: A\n    parent: R\n    rules:\n      accounts: {}{}\n",
        "{all: [".repeat(depth),
        "]}".repeat(depth)
    );
    let path = scratch.file("groups.yaml", text.as_bytes());
    let (code, message) = one_problem(&path);
    assert_eq!(code, "yaml::too-complex", "{message}");
    assert_eq!(message, "the YAML is nested more than 40 levels deep");

    // Elsewhere the value of the wrong type is reported, and its entry left out (so here
    // `root` is missing too); any clean error will do.
    let text = format!(
        "version: 1\nroot: {}x{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let report = territoryctl::config::load(&[scratch.file("flow.yaml", text.as_bytes())])
        .expect_err("must be refused");
    assert!(
        codes(&report).contains(&"yaml::wrong-type"),
        "{:?}",
        codes(&report)
    );
    let text: String = (0..2_000)
        .map(|level| format!("{}k{level}:\n", " ".repeat(level)))
        .collect();
    let report = territoryctl::config::load(&[scratch.file("block.yaml", text.as_bytes())])
        .expect_err("must be refused");
    assert!(
        codes(&report).iter().any(|code| code.starts_with("yaml::")),
        "{:?}",
        codes(&report)
    );
}

#[test]
fn a_billion_laughs_is_refused() {
    // Criteria groups are the one place where nested aliases type-check, so expansion would
    // reach 10^9 rules if the parser's alias limits did not stop it first.
    let scratch = Scratch::new("laughs");
    let mut text = String::from(
        "version: 1\nroot: R\nterritories:\n  - name: A\n    parent: R\n    rules:\n      accounts:\n        all:\n          - &g0 { field: F, comparator: equal, value: x }\n",
    );
    for level in 1..10 {
        let alias = format!("*g{}", level - 1);
        let items = [alias.as_str(); 10].join(", ");
        text.push_str(&format!("          - &g{level} {{ all: [{items}] }}\n"));
    }
    let path = scratch.file("laughs.yaml", text.as_bytes());
    let (code, message) = one_problem(&path);
    assert_eq!(code, "yaml::too-complex", "{message}");
    assert_eq!(
        message,
        "aliases (`*name`) copy more than 10000 YAML values and keys in all, the most territoryctl expands in one file (a bound against alias bombs)"
    );
}

/// Files of a directory are parsed on several threads; their problems still come in path
/// order, and every file's problem is found.
#[test]
fn problems_of_a_directory_come_in_path_order() {
    let scratch = Scratch::new("path-order");
    let good = |number: usize| {
        format!("territories:\n  - name: T{number}\n    parent: Acme Corp\n").into_bytes()
    };
    scratch.file("00-root.yaml", b"version: 1\nroot: Acme Corp\n");
    for number in 1..=9 {
        let contents = if number % 3 == 0 {
            format!("territories: [{{ name: T{number}\n").into_bytes()
        } else {
            good(number)
        };
        scratch.file(&format!("{number:02}.yaml"), &contents);
    }
    let report =
        territoryctl::config::load(std::slice::from_ref(&scratch.0)).expect_err("3 broken");
    let files: Vec<String> = report
        .errors
        .iter()
        .map(|problem| {
            let text = render_one(problem);
            ["03.yaml", "06.yaml", "09.yaml"]
                .into_iter()
                .find(|name| text.contains(name))
                .unwrap_or("none")
                .to_owned()
        })
        .collect();
    assert_eq!(
        files,
        ["03.yaml", "06.yaml", "09.yaml"],
        "{}",
        render(&report)
    );
    assert!(
        codes(&report).iter().all(|code| code.starts_with("yaml::")),
        "{codes:?}",
        codes = codes(&report)
    );
}

fn render_one(problem: &territoryctl::config::Problem) -> String {
    let mut text = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut text, problem)
        .expect("render");
    text
}

/// A fan-out-10 tree of `count` territories under `Root`, as YAML lines.
fn tree(count: usize, parent_of: impl Fn(usize) -> String) -> String {
    let mut text = String::from("version: 1\nroot: Root\nterritories:\n");
    for index in 0..count {
        text.push_str(&format!(
            "  - name: T{index}\n    parent: {}\n",
            parent_of(index)
        ));
    }
    text
}

#[test]
fn a_cycle_in_a_large_tree_is_one_error_drawing_the_cycle() {
    let scratch = Scratch::new("cycle-20000");
    // T0 is made the child of its own child T10: every territory under T0 (about a tenth of
    // the tree) is below the cycle, and still only the cycle is an error.
    let path = scratch.file(
        "cycle.yaml",
        tree(20_000, |index| match index {
            0 => "T10".to_owned(),
            1..10 => "Root".to_owned(),
            _ => format!("T{}", (index - 10) / 10),
        })
        .as_bytes(),
    );
    let report = territoryctl::config::load(&[path]).expect_err("a cycle");
    assert_eq!(codes(&report), ["territory::cycle"], "exactly one error");
    let message = report.errors[0].to_string();
    assert!(
        message.starts_with("the territories form a cycle: T0 -> T10 -> T0; "),
        "{message}"
    );
    assert!(
        message.ends_with("territories below it do not reach the root"),
        "{message}"
    );
}

#[test]
fn two_hundred_thousand_former_names_validate() {
    let scratch = Scratch::new("previously-200000");
    let mut text = String::from(
        "version: 1\nroot: Root\nterritories:\n  - name: A\n    parent: Root\n    previously:\n",
    );
    for index in 0..200_000 {
        text.push_str(&format!("      - P{index}\n"));
    }
    let path = scratch.file("previously.yaml", text.as_bytes());
    let loaded = territoryctl::config::load(&[path]).expect("valid");
    assert_eq!(loaded.desired.territories[0].previously.len(), 200_000);
}

#[cfg(unix)]
#[test]
fn a_device_without_end_is_read_only_up_to_the_cap() {
    // `/dev/zero` has size 0 and never ends: the read, not the size, must be bounded.
    let (code, message) = one_problem(Path::new("/dev/zero"));
    assert_eq!(code, "file::too-large");
    assert_eq!(
        message,
        "`/dev/zero` is more than 8 MiB; territoryctl reads desired-state files of at most 8 MiB"
    );
}

#[test]
fn carriage_return_line_breaks_after_a_comment_are_read_as_lines() {
    let scratch = Scratch::new("cr-only");
    // Old Mac line breaks: with or without a leading comment, the same document.
    let with_comment = scratch.file(
        "comment.yaml",
        b"# header\rversion: 1\rroot: Root\rterritories:\r  - { name: A, parent: Root }\r",
    );
    let without = scratch.file(
        "plain.yaml",
        b"version: 1\rroot: Root\rterritories:\r  - { name: A, parent: Root }\r",
    );
    for path in [with_comment, without] {
        let loaded = territoryctl::config::load(std::slice::from_ref(&path))
            .unwrap_or_else(|report| panic!("{}: {}", path.display(), render(&report)));
        assert_eq!(loaded.desired.territories.len(), 1);
    }
    // Only carriage returns and a comment: empty, said the same way as without the comment.
    for (name, contents) in [
        ("cr.yaml", &b"# header\r\r\r"[..]),
        ("bare.yaml", b"\r\r\r"),
    ] {
        let (code, message) = one_problem(&scratch.file(name, contents));
        assert_eq!(code, "file::empty", "{name}");
        assert!(message.ends_with(&format!("{name}` is empty")), "{message}");
    }
}

#[test]
fn many_aliases_of_one_anchor_say_which_limit_was_hit_and_where() {
    let scratch = Scratch::new("anchors");
    let mut text =
        String::from("version: 1\nroot: Root\nterritories:\n  - &t { name: A, parent: Root }\n");
    for _ in 0..150 {
        text.push_str("  - *t\n");
    }
    let path = scratch.file("anchors.yaml", text.as_bytes());
    let report = territoryctl::config::load(&[path]).expect_err("too many aliases");
    assert_eq!(codes(&report), ["yaml::too-complex"], "{}", render(&report));
    let rendered = render(&report);
    assert!(
        rendered.contains("the file uses 150 aliases (`*name`) of 1 anchor (`&name`): more than"),
        "{rendered}"
    );
    assert!(
        rendered.contains("anchors.yaml:"),
        "the place is named: {rendered}"
    );
    assert!(!rendered.contains("criteria"), "{rendered}");
}
