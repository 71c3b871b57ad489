//! A Mermaid flowchart of the affected tree, for the Markdown rendering (GitHub draws
//! ```` ```mermaid ```` blocks as diagrams). Only small trees: a large one is unreadable.

use std::fmt::Write as _;

use super::tree::Node;

/// Trees with more nodes than this get no diagram.
pub(crate) const MAX_NODES: usize = 50;

/// The flowchart's source, top down, each node coloured by its kind of change. Node ids are
/// generated (`n0`, `n1`, ...); names only appear inside quoted labels, with every character
/// but letters, digits and spaces written as a Mermaid entity code (`#60;`), so no name can
/// end a label, start a statement, or carry Markdown or HTML into the diagram.
pub(crate) fn flowchart(root: &Node) -> String {
    let mut out = String::from("flowchart TD\n");
    let mut next = 0;
    node(root, None, &mut next, &mut out);
    out.push_str(
        "classDef create fill:#dafbe1,stroke:#1a7f37,color:#116329\n\
         classDef update fill:#fff8c5,stroke:#9a6700,color:#7d4e00\n\
         classDef move fill:#ddf4ff,stroke:#0969da,color:#0550ae\n\
         classDef delete fill:#ffebe9,stroke:#cf222e,color:#a40e26\n",
    );
    out
}

fn node(node: &Node, parent: Option<usize>, next: &mut usize, out: &mut String) {
    let id = *next;
    *next += 1;
    let class = match node.symbol {
        Some("+") => ":::create",
        Some("-") => ":::delete",
        Some("->") => ":::move",
        Some(_) => ":::update",
        None => "",
    };
    let _ = writeln!(out, "  n{id}[\"{}\"]{class}", label(&node.label()));
    if let Some(parent) = parent {
        let _ = writeln!(out, "  n{parent} --> n{id}");
    }
    for child in node.children.values() {
        self::node(child, Some(id), next, out);
    }
}

/// `text` as the inside of a quoted Mermaid label. Hidden characters are escaped first (as
/// for a terminal: `\u{202e}`), then everything but letters, digits and spaces becomes
/// `#<decimal>;`, which Mermaid shows as that character and never reads as syntax.
pub(crate) fn label(text: &str) -> String {
    let visible = crate::escape::terminal(text);
    let mut out = String::with_capacity(visible.len());
    for c in visible.chars() {
        if c.is_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_keeps_nothing_mermaid_or_markdown_could_read() {
        let hostile = "a\"] --> x[\"b`<img src=x>`#35;\n|c|";
        let escaped = label(hostile);
        assert!(
            escaped
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '#' || c == ';'),
            "{escaped}"
        );
        // Every `#` starts an entity code that ends in `;`, with only digits between.
        for code in escaped.split('#').skip(1) {
            let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
            assert!(!digits.is_empty(), "{escaped}");
            assert_eq!(code[digits.len()..].chars().next(), Some(';'), "{escaped}");
        }
        assert!(escaped.starts_with("a#34;#93; #45;#45;#62; x"), "{escaped}");
        // The line break arrives as the visible `\n`, not as a new statement.
        assert!(escaped.contains("#92;n"), "{escaped}");
    }
}
