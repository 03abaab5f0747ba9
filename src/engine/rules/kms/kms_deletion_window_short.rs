use super::cmks;
use crate::declare_rule;
use crate::engine::rules::{Context, Finding};

/// The seed's "at least 14 days".
const MINIMUM_DAYS: u32 = 14;

declare_rule! {
    /// ## What it does
    /// Flags a customer-managed key (`aws_kms_key`, `aws_kms_replica_key`,
    /// `aws_kms_external_key`) whose `deletion_window_in_days` is below 14. Unset, KMS waits
    /// 30 days, which passes.
    ///
    /// ## Why is this bad?
    /// Deleting a CMK is cryptographic erasure: "when the CMK is deleted, all data protected
    /// by it immediately becomes undecryptable" (the seed). The waiting period is the only
    /// window in which a mistaken or malicious `ScheduleKeyDeletion` can be noticed and
    /// cancelled; KMS allows 7 to 30 days. The seed asks for at least 14. Severity: medium.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   deletion_window_in_days = 7
    ///   enable_key_rotation     = true
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   deletion_window_in_days = 30
    ///   enable_key_rotation     = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: deleting keys (waiting period)](https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html)
    /// - [AWS provider: aws_kms_key deletion_window_in_days](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#deletion_window_in_days)
    id: "KMS002", name: "kms-deletion-window-short", severity: Medium, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key"],
    peers: [Kics "0b530315-0ea4-497f-b34c-4ff86268f59d"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (key, res) in cmks(cx) {
        let Some(days) = key.deletion_window else {
            continue;
        };
        if days >= MINIMUM_DAYS {
            continue;
        }
        let message = format!(
            "{} sets deletion_window_in_days = {days}, below the {MINIMUM_DAYS} days the seed asks for.",
            res.address
        );
        cx.finding(&RULE, res, "deletion_window_in_days", message)
            .category(key.category)
            .push(out);
    }
}
