//! Getting territoryctl: the install script behind the setup action, the release notes taken
//! from CHANGELOG.md, the shape of the setup action, the release workflow and the container
//! image.

mod action;
mod changelog;
mod container;
mod install;
