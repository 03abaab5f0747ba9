use super::{categories, evidence, key_of, related, SENSITIVE};
use crate::declare_rule;
use crate::engine::access::Capability;
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags a principal in an AWS account the configuration does not manage that can use
    /// a customer-managed key protecting PII, financial or health data — through the key
    /// policy or a grant. The managed accounts are those of the configuration's own
    /// resources (any ARN the input knows), its providers' `allowed_account_ids` and
    /// `assume_role` ARNs, and `data.aws_caller_identity` where a plan read it; a
    /// principal whose account is not written literally (an address, a variable, a service)
    /// is not judged, and with no managed account known nothing is. A wildcard principal is
    /// KMS003's. Conditions are shown in the evidence, not judged.
    ///
    /// ## Why is this bad?
    /// Another account's administrators decide who in that account may use the key: the
    /// data's readers are no longer yours to list. This is what IAM Access Analyzer reports
    /// as external access — after apply; planlens reports it from the plan. Severity: high.
    ///
    /// ## Example
    /// ```hcl
    /// provider "aws" {
    ///   allowed_account_ids = ["111122223333"]
    /// }
    ///
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   tags                = { data-class = "pii" }
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "PartnerRead", Effect = "Allow",
    ///       Principal = { AWS = "arn:aws:iam::444455556666:root" },
    ///       Action = "kms:Decrypt", Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// provider "aws" {
    ///   allowed_account_ids = ["111122223333"]
    /// }
    ///
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   tags                = { data-class = "pii" }
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "AllowAppUsage", Effect = "Allow",
    ///       Principal = { AWS = "arn:aws:iam::111122223333:role/app" },
    ///       Action = "kms:Decrypt", Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: allowing users in other accounts to use a KMS key](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html)
    /// - [IAM Access Analyzer: supported resource types (KMS keys)](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html)
    id: "ACC003", name: "external-principal-sensitive-key", severity: High, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_key_policy", "aws_kms_grant"],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for e in cx
        .access
        .entries
        .iter()
        .filter(|e| e.external && e.can(Capability::Use))
    {
        let Some((key, res)) = key_of(cx, &e.key) else {
            continue;
        };
        let cats = categories(cx, key);
        let Some(cat) = SENSITIVE.iter().find(|c| cats.contains(c)) else {
            continue;
        };
        let message = format!(
            "{} (an account this configuration does not manage) can use {}, which protects {} data.",
            e.principal,
            res.address,
            cat.as_str()
        );
        cx.finding(&RULE, res, "policy", message)
            .evidence(evidence(e))
            .category(Some(*cat))
            .related(related(e, &res.address))
            .push(out);
    }
}
