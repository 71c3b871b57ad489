//! What an export could not write as YAML: each is written into the file as a comment and
//! reported, so nothing is dropped silently.

use std::fmt;

use crate::model::{Module, RuleModule};

/// A live value the desired-state language cannot express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The territory's manager is not an active user, so has no email to write.
    InactiveManager {
        territory: String,
        manager_id: String,
        manager_name: Option<String>,
    },
    /// A member of the territory is not an active user, so has no email `users:` may list.
    InactiveMember {
        territory: String,
        user_id: String,
        email: Option<String>,
    },
    /// A criteria names a field that the module's field metadata no longer has.
    DeletedField {
        territory: String,
        module: RuleModule,
        field: String,
    },
    /// A criteria holds a group with no items.
    EmptyGroup {
        territory: String,
        module: RuleModule,
    },
    /// A territory that does not reach the root (its parent is missing).
    Unreachable {
        territory: String,
        id: String,
        parent: Option<String>,
    },
    /// A record asked for with `--with-assignments` that the live state does not hold.
    RecordNotFound { module: Module, id: String },
    /// `--with-assignments` for a module whose records the API cannot assign.
    NotAssignable { module: Module },
}

impl Warning {
    /// A stable kebab-case code, as diagnostics carry.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::InactiveManager { .. } => "export::inactive-manager",
            Self::InactiveMember { .. } => "export::inactive-member",
            Self::DeletedField { .. } => "export::deleted-field",
            Self::EmptyGroup { .. } => "export::empty-group",
            Self::Unreachable { .. } => "export::unreachable-territory",
            Self::RecordNotFound { .. } => "export::record-not-found",
            Self::NotAssignable { .. } => "export::not-assignable",
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InactiveManager {
                territory,
                manager_id,
                manager_name,
            } => {
                let name = manager_name.as_deref().unwrap_or("a user");
                write!(
                    f,
                    "territory `{territory}`: manager {name} (id {manager_id}) is not an active \
                     user; written as a comment, so a plan will propose removing the manager \
                     unless you write an active user's email"
                )
            }
            Self::InactiveMember {
                territory,
                user_id,
                email,
            } => {
                let who = email.as_deref().unwrap_or("a user");
                write!(
                    f,
                    "territory `{territory}`: member {who} (id {user_id}) is not an active user; \
                     written as a comment (plans leave members who are not active as they are)"
                )
            }
            Self::DeletedField {
                territory,
                module,
                field,
            } => write!(
                f,
                "territory `{territory}`: the {module} criteria uses field `{field}`, which \
                 {} no longer has; the criteria is written as a comment",
                module.module()
            ),
            Self::EmptyGroup { territory, module } => write!(
                f,
                "territory `{territory}`: the {module} criteria has an empty group, which the \
                 YAML cannot express; the criteria is written as a comment"
            ),
            Self::Unreachable {
                territory,
                id,
                parent: Some(parent),
            } => write!(
                f,
                "territory `{territory}` (id {id}) has parent id {parent}, which is not a \
                 territory under the root; the territory is written as a comment"
            ),
            Self::Unreachable {
                territory,
                id,
                parent: None,
            } => write!(
                f,
                "territory `{territory}` (id {id}) is a second root; the territory is written as \
                 a comment"
            ),
            Self::RecordNotFound { module, id } => write!(
                f,
                "{module} record {id} was not found in the live org; written as a comment"
            ),
            Self::NotAssignable { module } => write!(
                f,
                "the API cannot assign territories to {module} records, so their assignments \
                 cannot be declared; written as a comment"
            ),
        }
    }
}
