//! Getting territoryctl: the install script behind the setup action, the release notes taken
//! from CHANGELOG.md, and the shape of the setup action and the release workflow.

mod action;
mod changelog;
mod install;
