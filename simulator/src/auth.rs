//! Access tokens with scopes and expiry, and the OAuth clients of the refresh-token grant.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::RngExt;

use crate::wire::{Outcome, errors};

/// Every scope territoryctl and the official SDK may need: what `access_token()` grants.
pub const FULL_SCOPES: &[&str] = &[
    "ZohoCRM.settings.ALL",
    "ZohoCRM.users.ALL",
    "ZohoCRM.modules.ALL",
    "ZohoCRM.org.ALL",
];

/// Live access tokens. Tokens are never persisted and never logged.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    grants: HashMap<String, Grant>,
}

#[derive(Debug)]
struct Grant {
    scopes: Vec<String>,
    expires_at: Instant,
}

impl Tokens {
    /// Forgets every access token minted so far, as Zoho does when tokens are revoked.
    pub(crate) fn revoke_all(&mut self) {
        self.grants.clear();
    }

    /// Mints a token for `scopes`, valid for `lifetime`.
    pub(crate) fn mint(&mut self, scopes: &[String], lifetime: Duration) -> String {
        let mut rng = rand::rng();
        let token = format!(
            "1000.{:032x}.{:032x}",
            rng.random::<u128>(),
            rng.random::<u128>()
        );
        let grant = Grant {
            scopes: scopes.to_vec(),
            expires_at: Instant::now() + lifetime,
        };
        self.grants.insert(token.clone(), grant);
        token
    }

    /// Checks an `Authorization` header against the scopes a call needs (all of them).
    pub(crate) fn authorize(
        &self,
        header: Option<&str>,
        required: &[String],
    ) -> Result<(), Outcome> {
        let token = header
            .and_then(|value| value.strip_prefix("Zoho-oauthtoken "))
            .map(str::trim)
            .ok_or_else(errors::invalid_token)?;
        let grant = self.grants.get(token).ok_or_else(errors::invalid_token)?;
        if Instant::now() >= grant.expires_at {
            return Err(errors::invalid_token());
        }
        let covered = required
            .iter()
            .all(|needed| grant.scopes.iter().any(|granted| covers(granted, needed)));
        if covered {
            Ok(())
        } else {
            Err(errors::scope_mismatch())
        }
    }
}

/// Whether a granted scope covers a required one: `ZohoCRM.settings.ALL` covers
/// `ZohoCRM.settings.territories.READ`, `ZohoCRM.modules.READ` covers
/// `ZohoCRM.modules.accounts.READ`; the operation must match or be `ALL`.
pub(crate) fn covers(granted: &str, required: &str) -> bool {
    let Some((granted_prefix, granted_op)) = granted.rsplit_once('.') else {
        return false;
    };
    let Some((required_prefix, required_op)) = required.rsplit_once('.') else {
        return false;
    };
    let op_ok =
        granted_op.eq_ignore_ascii_case("ALL") || granted_op.eq_ignore_ascii_case(required_op);
    let granted_prefix = granted_prefix.to_ascii_lowercase();
    let required_prefix = required_prefix.to_ascii_lowercase();
    let prefix_ok = required_prefix == granted_prefix
        || required_prefix.starts_with(&format!("{granted_prefix}."));
    op_ok && prefix_ok
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn scope_coverage() {
        assert!(covers(
            "ZohoCRM.settings.ALL",
            "ZohoCRM.settings.territories.READ"
        ));
        assert!(covers(
            "ZohoCRM.settings.territories.READ",
            "ZohoCRM.settings.territories.READ"
        ));
        assert!(covers(
            "ZohoCRM.modules.READ",
            "ZohoCRM.modules.accounts.READ"
        ));
        assert!(!covers(
            "ZohoCRM.modules.READ",
            "ZohoCRM.modules.accounts.UPDATE"
        ));
        assert!(!covers(
            "ZohoCRM.settings.territories.READ",
            "ZohoCRM.settings.territories.CREATE"
        ));
        assert!(!covers(
            "ZohoCRM.settings.fields.ALL",
            "ZohoCRM.settings.territories.READ"
        ));
        assert!(!covers(
            "ZohoCRM.set.ALL",
            "ZohoCRM.settings.territories.READ"
        ));
    }
}
