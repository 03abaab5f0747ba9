//! The RDS rules, in id order: settings the seed's RDS example sets beside encryption.

mod rds_backup_retention_short;
mod rds_deletion_protection_disabled;
mod rds_iam_auth_disabled;
mod rds_publicly_accessible;

use super::Rule;
use crate::engine::model::{Action, Model, Resource};

pub static RULES: &[&Rule] = &[
    &rds_publicly_accessible::RULE,
    &rds_deletion_protection_disabled::RULE,
    &rds_backup_retention_short::RULE,
    &rds_iam_auth_disabled::RULE,
];

/// Resources of these types that still exist after the plan.
pub(crate) fn live<'a>(
    model: &'a Model,
    types: &'a [&'a str],
) -> impl Iterator<Item = &'a Resource> + 'a {
    types
        .iter()
        .flat_map(move |t| model.of_type(t))
        .filter(|r| r.action != Some(Action::Delete))
}
