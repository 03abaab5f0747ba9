//! The access rules, in id order: who can use, administer or grant a customer-managed key,
//! read from the access model (`engine::access`).

mod decryptor_not_allowed;
mod external_principal_sensitive_key;
mod grant_without_encryption_context;
mod identity_policy_decrypt_all_keys;
mod key_admin_also_user;

use std::collections::BTreeSet;

use super::{Context, Rule};
use crate::engine::access::{AccessEntry, Via};
use crate::engine::category::Category;
use crate::engine::model::Resource;
use crate::engine::stores::{key_categories, Key};

pub static RULES: &[&Rule] = &[
    &key_admin_also_user::RULE,
    &identity_policy_decrypt_all_keys::RULE,
    &external_principal_sensitive_key::RULE,
    &grant_without_encryption_context::RULE,
    &decryptor_not_allowed::RULE,
];

/// The categories a key serves: its own tag or alias, and its stores'.
pub(crate) fn categories(cx: &Context, key: &Key) -> BTreeSet<Category> {
    let mut out: BTreeSet<Category> = key_categories(cx.analysis, key).into_keys().collect();
    out.extend(key.category);
    out
}

/// The categories whose data needs the tightest access (SPEC §3: CMK with a key policy,
/// BYOK, HSM).
pub(crate) const SENSITIVE: [Category; 3] = [Category::Pii, Category::Financial, Category::Health];

/// A key of the access model with its resource.
pub(crate) fn key_of<'a>(cx: &'a Context<'a>, id: &str) -> Option<(&'a Key, &'a Resource)> {
    let key = cx.analysis.key(id)?;
    let res = cx.model.get(key.address.as_deref()?)?;
    Some((key, res))
}

/// `AllowAppUsage in aws_kms_key.pii`, `aws_iam_policy.x (ReadAll)`, `aws_kms_grant.etl`.
pub(crate) fn describe_via(v: &Via) -> String {
    let at = v.address.clone().unwrap_or_default();
    let mut s = match &v.statement {
        Some(st) => format!("{st:?} in {at}"),
        None => at,
    };
    if let Some(t) = &v.through {
        s.push_str(&format!(" ({t})"));
    }
    s
}

/// An entry as evidence: principal, kind, what it can do, sources, conditions.
pub(crate) fn evidence(e: &AccessEntry) -> serde_json::Value {
    serde_json::json!({
        "principal": e.principal,
        "kind": e.kind,
        "can": e.can,
        "via": e.via.iter().map(describe_via).collect::<Vec<_>>(),
        "conditions": e.conditions,
    })
}

/// The addresses an entry's sources sit in, other than the key.
pub(crate) fn related(e: &AccessEntry, key: &str) -> Vec<String> {
    let mut out: Vec<String> = e
        .via
        .iter()
        .filter_map(|v| v.address.clone())
        .filter(|a| a != key)
        .collect();
    crate::engine::sort::ord(&mut out);
    out.dedup();
    out
}
