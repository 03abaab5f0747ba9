use super::{policy_findings, statements};
use crate::declare_rule;
use crate::engine::policy::PolicyIssue;
use crate::engine::rules::{Context, Finding};
use crate::engine::stores::PolicyVerdict;

declare_rule! {
    /// ## What it does
    /// Flags a KMS key whose key policy grants every KMS action — `kms:*`, `*`, or an
    /// `Allow` with `NotAction` — to a principal other than the account root
    /// (`arn:aws:iam::<account>:root` or the bare account id): a role, a user, a service.
    /// The account-root statement of AWS's default policy is fine: it only lets IAM policies
    /// grant access. Explicit administrative action lists for a key-admin role
    /// (`kms:Create*`, `kms:Put*`, `kms:ScheduleKeyDeletion`, …, as the console's key
    /// administrators get) are not flagged: separating key administrators from key users is
    /// AWS's recommendation, and a policy document can't show which role is meant to
    /// administer. Conditions don't excuse `kms:*`: they narrow who, not what. A wildcard
    /// principal is KMS003's. Statements not known before apply are not flagged.
    ///
    /// ## Why is this bad?
    /// `kms:*` includes `kms:PutKeyPolicy`, `kms:ScheduleKeyDeletion` and `kms:DisableKey`:
    /// a workload role holding it can lock everyone else out of the key or erase every
    /// store the key protects. The seed's policy gives its application role exactly
    /// `kms:Decrypt` and `kms:GenerateDataKey`. Severity: high.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "AppEverything", Effect = "Allow",
    ///       Principal = { AWS = aws_iam_role.app.arn },
    ///       Action = "kms:*", Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "AllowAppUsage", Effect = "Allow",
    ///       Principal = { AWS = aws_iam_role.app.arn },
    ///       Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: default key policy and key administrators](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)
    /// - [AWS KMS: least privilege](https://docs.aws.amazon.com/kms/latest/developerguide/least-privilege.html)
    id: "KMS004", name: "kms-policy-overbroad-grant", severity: High, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_key_policy", "aws_kms_replica_key", "aws_kms_external_key"],
    peers: [Kics "7ebc9038-0bde-479a-acc4-6ed7b6758899"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    policy_findings(cx, &RULE, PolicyVerdict::Overbroad, describe, out);
}

fn describe(key: &str, issues: &[&PolicyIssue]) -> String {
    let actions: Vec<&str> = issues
        .iter()
        .flat_map(|i| i.actions.iter().map(String::as_str))
        .filter(|a| matches!(*a, "*" | "kms:*" | "*:*") || a.starts_with("NotAction"))
        .collect();
    format!(
        "{key}'s key policy grants {} beyond the account root in {}.",
        if actions.is_empty() {
            "every KMS action".to_string()
        } else {
            actions.join(", ")
        },
        statements(issues)
    )
}
