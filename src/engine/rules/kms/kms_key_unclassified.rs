use super::cmks;
use crate::declare_rule;
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags a customer-managed key that says nothing about the data category it is for:
    /// no data-classification tag (the same keys as for stores, also via `default_tags`)
    /// and no category alias (`alias/cmk-pii`, `alias/cmk-financial`, `alias/cmk-health`,
    /// `alias/cmk-logs`, `alias/cmk-secrets`, `alias/cmk-backup`, `alias/cmk-general`).
    ///
    /// ## Why is this bad?
    /// The seed's hierarchy is "one CMK per data category". A key without a category can't
    /// be checked against that hierarchy: nobody can tell whether stores of the wrong
    /// category use it, whether its policy fits the data, or which category still lacks its
    /// key. Severity: low.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   description         = "Shared key for everything else"
    ///   enable_key_rotation = true
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   description         = "CMK for operational data"
    ///   enable_key_rotation = true
    ///   tags                = { data-class = "operational" }
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: tagging keys](https://docs.aws.amazon.com/kms/latest/developerguide/tagging-keys.html)
    /// - [AWS KMS: aliases](https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html)
    id: "KMS007", name: "kms-key-unclassified", severity: Low, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key"],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (key, res) in cmks(cx) {
        if key.category.is_some() {
            continue;
        }
        let message = format!(
            "{} has no data-class tag and no category alias (alias/cmk-<category>).",
            res.address
        );
        cx.finding(&RULE, res, "tags", message).push(out);
    }
}
