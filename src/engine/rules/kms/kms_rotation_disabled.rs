use super::cmks;
use crate::declare_rule;
use crate::engine::model::Lookup;
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags a symmetric customer-managed KMS key (`aws_kms_key`) without
    /// `enable_key_rotation = true`; the provider's default is false. Keys KMS cannot rotate
    /// automatically are skipped: asymmetric and HMAC keys, keys with imported material
    /// (`aws_kms_external_key`), keys in a custom key store, and replica keys (rotation is
    /// set on the primary).
    ///
    /// ## Why is this bad?
    /// Automatic rotation gives the key new key material every year (or on the period you
    /// set) while KMS keeps the old material to decrypt what it protected: as the seed puts
    /// it, "when the CMK rotates, only DEKs are re-encrypted – not all data". It limits how
    /// much data any one version of the key material protects, costs nothing to turn on, and
    /// the seed's metrics target 100% of CMKs with rotation. Severity: medium, as trivy and
    /// Security Hub (KMS.4) rate it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   description = "CMK for operational data"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "general" {
    ///   description         = "CMK for operational data"
    ///   enable_key_rotation = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: rotating keys](https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html)
    /// - [AWS KMS API: EnableKeyRotation (which keys can rotate)](https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html)
    id: "KMS001", name: "kms-rotation-disabled", severity: Medium, control: AtRest,
    resource_types: ["aws_kms_key"],
    peers: [
        Checkov "CKV_AWS_7", Tfsec "aws-kms-auto-rotate-keys", Trivy "AVD-AWS-0065",
        Kics "22fbfeac-7b5a-421a-8a27-7a2178bb910b", SecurityHub "KMS.4",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for (key, res) in cmks(cx) {
        // `rotation` is `Some` only where rotation applies and the value is known.
        if key.rotation != Some(false) {
            continue;
        }
        let message = match res.get("enable_key_rotation") {
            Lookup::Absent => format!(
                "{} does not set enable_key_rotation, which defaults to false.",
                res.address
            ),
            _ => format!("{} sets enable_key_rotation = false.", res.address),
        };
        cx.finding(&RULE, res, "enable_key_rotation", message)
            .category(key.category)
            .push(out);
    }
}
