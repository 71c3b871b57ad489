//! The rules Zoho enforces on territory data, each answering with Zoho's own error objects.

pub(crate) mod criteria;
mod criteria_value;
pub(crate) mod field_kind;
pub(crate) mod filters;
pub(crate) mod name;
pub(crate) mod territory;
