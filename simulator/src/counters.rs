//! Request counters, so tests and benchmarks can count calls instead of timing them.

use std::collections::BTreeMap;

use serde::Serialize;

/// Counts of requests seen, faulted ones included (admin calls excluded).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    pub total: u64,
    /// POST, PUT, PATCH and DELETE requests under `/crm/`.
    pub writes: u64,
    /// Per `"METHOD /route/template"`, e.g. `"PUT /crm/{version}/settings/territories"`.
    pub by_route: BTreeMap<String, u64>,
}

impl Counters {
    pub(crate) fn record(&mut self, method: &str, route: &str) {
        self.total += 1;
        if route.starts_with("/crm/") && matches!(method, "POST" | "PUT" | "PATCH" | "DELETE") {
            self.writes += 1;
        }
        *self
            .by_route
            .entry(format!("{method} {route}"))
            .or_default() += 1;
    }

    /// The count for one method and route template (0 when never called).
    pub fn get(&self, method: &str, route: &str) -> u64 {
        self.by_route
            .get(&format!("{method} {route}"))
            .copied()
            .unwrap_or(0)
    }
}
