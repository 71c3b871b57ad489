use serde_json::Value;

use super::*;

/// Strings that a careless writer gets wrong, one per trap.
const TRICKY: &[&str] = &[
    "",
    " ",
    "  two",
    "trail ",
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "on",
    "Off",
    "y",
    "Y",
    "n",
    "N",
    "true",
    "False",
    "TRUE",
    "null",
    "Null",
    "NULL",
    "~",
    "0",
    "7",
    "123",
    "-1",
    "+1",
    "1.5",
    ".5",
    "5.",
    "1e3",
    "1E-3",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "007",
    ".inf",
    "-.inf",
    "+.INF",
    ".nan",
    ".NaN",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "12:30",
    "1:20:30",
    "a: b",
    "a:",
    "a:b",
    "http://example.com/x?y=1#z",
    "a #b",
    "a#b",
    "#a",
    "-",
    "-a",
    "- a",
    "--",
    "---",
    "...",
    "?",
    "? a",
    "?a",
    ":",
    ":a",
    ",a",
    "[a]",
    "]",
    "{a}",
    "}",
    "*a",
    "&a",
    "!a",
    "!!str",
    "|a",
    ">a",
    "'a",
    "it's",
    "\"a",
    "say \"hi\"",
    "%a",
    "50%",
    "@a",
    "a@b.example",
    "`a",
    "<<",
    "=",
    "back\\slash",
    "tab\tin",
    "\ttab",
    "new\nline",
    "trailing\n",
    "\n",
    "\r\n",
    "cr\r",
    "nul\u{0}",
    "bell\u{7}",
    "del\u{7F}",
    "nel\u{85}",
    "ls\u{2028}",
    "ps\u{2029}",
    "\u{FEFF}bom",
    "nbsp\u{A0}",
    "\u{A0}nbsp",
    "\u{FFFE}",
    "São Paulo (Região 2)",
    "日本語",
    "Zürich – Nord",
    "emoji 🎉",
    "Ελλάδα",
    "a,b",
    "a[b]",
    "a{b}",
    "C# team",
    "a - b",
    "key: value # comment",
    "Closed Lost",
    "North America",
    "%TAG",
    "a\\nb",
    "é",
];

fn parse(document: &str) -> Value {
    serde_saphyr::from_str::<Value>(document)
        .unwrap_or_else(|error| panic!("cannot parse {document:?}: {error}"))
}

#[test]
fn every_tricky_string_reads_back_as_itself_in_block_context() {
    for text in TRICKY {
        let document = format!("key: {}\n", yaml_string(text, Context::Block));
        assert_eq!(
            parse(&document)["key"],
            Value::String((*text).to_owned()),
            "{document:?}"
        );
    }
}

#[test]
fn every_tricky_string_reads_back_as_itself_in_flow_context() {
    for text in TRICKY {
        let written = yaml_string(text, Context::Flow);
        let document = format!("list: [{written}, {written}]\nmap: {{ k: {written}, j: x }}\n");
        let value = parse(&document);
        let expected = Value::String((*text).to_owned());
        assert_eq!(value["list"][0], expected, "{document:?}");
        assert_eq!(value["list"][1], expected, "{document:?}");
        assert_eq!(value["map"]["k"], expected, "{document:?}");
        assert_eq!(value["map"]["j"], Value::String("x".into()), "{document:?}");
    }
}

#[test]
fn yaml_1_1_booleans_and_nulls_are_quoted_even_where_yaml_1_2_would_not_need_it() {
    for word in ["yes", "No", "ON", "off", "y", "N", "null", "~", "<<", "="] {
        assert!(
            yaml_string(word, Context::Block).starts_with('"'),
            "{word} must be quoted"
        );
    }
}

#[test]
fn ordinary_text_and_unicode_stay_plain() {
    for text in [
        "North America",
        "São Paulo (Região 2)",
        "日本語",
        "Closed Lost",
        "a@b.example",
        "a:b",
        "Tier 50%",
        "Zürich – Nord",
    ] {
        assert_eq!(yaml_string(text, Context::Block), text);
        assert_eq!(yaml_string(text, Context::Flow), text);
    }
    // Anything that starts like a number is quoted, even when no reader would take it for one.
    assert_eq!(yaml_string("50%", Context::Block), "\"50%\"");
    // Flow indicators are harmless in block context only.
    assert_eq!(yaml_string("a,b", Context::Block), "a,b");
    assert_eq!(yaml_string("a,b", Context::Flow), "\"a,b\"");
}

#[test]
fn escapes_are_the_readable_ones() {
    assert_eq!(double_quoted("a\"b\\c\nd\te"), r#""a\"b\\c\nd\te""#);
    assert_eq!(double_quoted("\u{7}\u{85}\u{2028}"), r#""\x07\x85\u2028""#);
}

/// A tiny xorshift generator, so the test needs no dependency and always sees the same inputs.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % bound as u64).expect("bound fits")
    }
}

#[test]
fn random_strings_of_tricky_characters_read_back_as_themselves() {
    let alphabet: Vec<char> =
        " \t\n:#-?,[]{}&*!|>'\"%@`~.+0123456789eExyYnN\\/é日\u{85}\u{A0}\u{2028}\u{7}"
            .chars()
            .collect();
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..5_000 {
        let length = random.below(8);
        let text: String = (0..length)
            .map(|_| alphabet[random.below(alphabet.len())])
            .collect();
        let expected = Value::String(text.clone());
        let block = format!("key: {}\n", yaml_string(&text, Context::Block));
        assert_eq!(parse(&block)["key"], expected, "{block:?}");
        let flow = format!("key: [{}]\n", yaml_string(&text, Context::Flow));
        assert_eq!(parse(&flow)["key"][0], expected, "{flow:?}");
    }
}

#[test]
fn plain_decimals_are_exactly_the_canonical_ones() {
    for number in [
        "0",
        "7",
        "-7",
        "1000000",
        "1.5",
        "-0.25",
        "999999999999999999",
    ] {
        assert!(is_plain_decimal(number), "{number}");
        let value = parse(&format!("n: {number}\n"));
        assert!(value["n"].is_number(), "{number}");
        assert_eq!(value["n"].to_string(), number);
    }
    for number in [
        "",
        "-",
        "007",
        "1.",
        ".5",
        "1.50",
        "1e3",
        "1_000",
        "+1",
        "-0",
        "0x1F",
        "1,000",
        "12345678901234567890",
        "1.2345678901234567",
    ] {
        assert!(!is_plain_decimal(number), "{number}");
    }
}
