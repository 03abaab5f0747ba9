use super::{policy_findings, statements};
use crate::declare_rule;
use crate::engine::policy::PolicyIssue;
use crate::engine::rules::{Context, Finding};
use crate::engine::stores::PolicyVerdict;

declare_rule! {
    /// ## What it does
    /// Flags a KMS key whose key policy (the key's `policy`, or a separate
    /// `aws_kms_key_policy`, which wins) has an `Allow` statement for every principal —
    /// `Principal = "*"`, `{ AWS = "*" }`, a list containing `"*"`, or `NotPrincipal` — without
    /// a condition that pins the caller: `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
    /// `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`,
    /// `aws:SourceOrgID`, `aws:SourceVpce`, `kms:CallerAccount` or `kms:ViaService` with
    /// `StringEquals`/`StringLike`/`ArnEquals`/`ArnLike` (and the `ForAnyValue:`/`ForAllValues:`
    /// forms) and a value other than `*`. Negated operators and `…IfExists` don't count: they
    /// let callers without the key through. `Deny` statements are ignored. A policy not known
    /// before apply is not flagged.
    ///
    /// ## Why is this bad?
    /// A key policy is the key's front door: a wildcard principal lets any AWS account use the
    /// key for what the statement allows — decrypting the PII the key protects, for instance —
    /// limited only by the other account's own IAM, which its owner controls. It turns a
    /// customer-managed key into a shared one. Severity: critical: it exposes everything the
    /// key protects.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "AllowUse", Effect = "Allow", Principal = "*",
    ///       Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "AllowUseWithinOrg", Effect = "Allow", Principal = { AWS = "*" },
    ///       Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*",
    ///       Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: key policies](https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html)
    /// - [AWS KMS: condition keys](https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html)
    /// - [IAM: global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    id: "KMS003", name: "kms-policy-wildcard-principal", severity: Critical, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_key_policy", "aws_kms_replica_key", "aws_kms_external_key"],
    peers: [Checkov "CKV_AWS_33"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    policy_findings(cx, &RULE, PolicyVerdict::WildcardPrincipal, describe, out);
}

fn describe(key: &str, issues: &[&PolicyIssue]) -> String {
    format!(
        "{key}'s key policy allows every principal without a restricting condition in {}.",
        statements(issues)
    )
}
