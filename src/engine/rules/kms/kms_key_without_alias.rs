use super::cmks;
use crate::declare_rule;
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags a customer-managed key that no `aws_kms_alias` in the configuration targets.
    ///
    /// ## Why is this bad?
    /// An alias is how people and code refer to a key without its opaque id, and how the
    /// seed's hierarchy names its keys (`alias/cmk-pii`, `alias/cmk-logs`, …). Aliases also
    /// let you point a name at a new key without touching every store's configuration, and
    /// key policies and IAM can refer to them (`kms:RequestAlias`). Severity: low.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   enable_key_rotation = true
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   enable_key_rotation = true
    /// }
    ///
    /// resource "aws_kms_alias" "general" {
    ///   name          = "alias/cmk-general"
    ///   target_key_id = aws_kms_key.general.key_id
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: aliases](https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html)
    /// - [AWS provider: aws_kms_alias](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_alias)
    id: "KMS006", name: "kms-key-without-alias", severity: Low, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key"],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (key, res) in cmks(cx) {
        if key.alias.is_some() {
            continue;
        }
        let message = format!("{} has no aws_kms_alias targeting it.", res.address);
        cx.finding(&RULE, res, "", message)
            .evidence(serde_json::json!({ "alias": null }))
            .category(key.category)
            .push(out);
    }
}
