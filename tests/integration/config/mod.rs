//! The config layer seen from outside: the invalid corpus, bad input, the examples, the
//! schema, and `territoryctl validate` / `schema` as a user runs them.

mod bad_input;
mod cli;
mod corpus;
mod docs;
mod examples;
mod hostile;
mod schema;

use territoryctl::config::ConfigReport;

/// A report as users read it, without colour, at a fixed width.
fn render(report: &ConfigReport) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .render_report(&mut out, report)
        .expect("rendering into a String cannot fail");
    out
}

/// The codes of a report's problems, in order.
fn codes(report: &ConfigReport) -> Vec<&'static str> {
    report
        .errors
        .iter()
        .map(|problem| problem.code().as_str())
        .collect()
}
