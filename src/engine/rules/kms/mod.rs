//! The KMS rules, in id order: rotation, deletion window, key policy, sharing across data
//! categories, aliases and classification of customer-managed keys.

mod kms_deletion_window_short;
mod kms_key_shared_across_categories;
mod kms_key_unclassified;
mod kms_key_without_alias;
mod kms_policy_overbroad_grant;
mod kms_policy_wildcard_principal;
mod kms_rotation_disabled;

use super::{Context, Rule};
use crate::engine::model::Resource;
use crate::engine::stores::{Key, KeyKind};

pub static RULES: &[&Rule] = &[
    &kms_rotation_disabled::RULE,
    &kms_deletion_window_short::RULE,
    &kms_policy_wildcard_principal::RULE,
    &kms_policy_overbroad_grant::RULE,
    &kms_key_shared_across_categories::RULE,
    &kms_key_without_alias::RULE,
    &kms_key_unclassified::RULE,
];

/// The customer-managed keys the configuration defines, with their resources.
pub(crate) fn cmks<'a>(cx: &'a Context<'a>) -> impl Iterator<Item = (&'a Key, &'a Resource)> + 'a {
    cx.analysis
        .keys
        .iter()
        .filter(|k| matches!(k.kind, KeyKind::Cmk | KeyKind::External))
        .filter_map(|k| Some((k, cx.model.get(k.address.as_deref()?)?)))
}

/// Findings for the statements of a key's effective policy that get `verdict`: one per key,
/// on the key, located at the `policy` attribute (of `aws_kms_key_policy` when that holds
/// the policy).
pub(crate) fn policy_findings(
    cx: &Context,
    rule: &Rule,
    verdict: crate::engine::stores::PolicyVerdict,
    describe: fn(&str, &[&crate::engine::policy::PolicyIssue]) -> String,
    out: &mut Vec<super::Finding>,
) {
    let policies = crate::engine::policy::KeyPolicies::new(cx.model);
    for (key, res) in cmks(cx) {
        // The stores analysis has read this policy already.
        let (analysis, holder) = match cx.analysis.key_policy(&res.address) {
            Some(a) => (
                std::borrow::Cow::Borrowed(a),
                policies.separate_policy(res).unwrap_or(res),
            ),
            None => {
                let (a, holder) = policies.for_key(res);
                (std::borrow::Cow::Owned(a), holder)
            }
        };
        let issues: Vec<_> = analysis
            .issues
            .iter()
            .filter(|i| i.verdict == verdict)
            .collect();
        if issues.is_empty() {
            continue;
        }
        let evidence: Vec<_> = issues
            .iter()
            .map(|i| {
                serde_json::json!({
                    "statement": i.statement,
                    "principals": i.principals,
                    "actions": i.actions,
                })
            })
            .collect();
        let message = describe(&res.address, &issues);
        let b = if holder.address == res.address {
            cx.finding(rule, res, "policy", message)
        } else {
            cx.finding(rule, res, "", message)
                .decided_in(holder, "policy")
        };
        b.evidence(evidence).category(key.category).push(out);
    }
}

/// `"AppEverything" (arn:aws:iam::…:role/app)`.
pub(crate) fn statements(issues: &[&crate::engine::policy::PolicyIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{:?} ({})", i.statement, i.principals.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}
