use super::{evidence, key_of, related};
use crate::declare_rule;
use crate::engine::access::{Capability, PrincipalKind};
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags a principal other than an account root that can both administer a
    /// customer-managed key (`kms:PutKeyPolicy`, `kms:ScheduleKeyDeletion`,
    /// `kms:DisableKey`, `kms:Update*`, `kms:RevokeGrant`, alias and tag changes, …) and use
    /// it (`kms:Decrypt`, `kms:Encrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, …),
    /// through any source the access model reads: the key policy, identity policies (where
    /// the key policy lets IAM decide), AWS managed policies, grants, group membership. One
    /// finding per key and principal, on the key, with every statement that lets it in.
    /// An account root is the key policy's delegation to IAM and is not flagged; a wildcard
    /// principal is KMS003's. Conditions are shown in the evidence, not judged.
    ///
    /// ## Why is this bad?
    /// AWS recommends separating key administrators from key users: a principal that can
    /// decrypt and also rewrite the key policy or schedule the key's deletion can widen its
    /// own access, remove everyone else's, or erase every store the key protects — one
    /// leaked credential does both. The seed's policy gives the application role only
    /// `kms:Decrypt` and `kms:GenerateDataKey`. Severity: medium.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "OpsDoesEverything", Effect = "Allow",
    ///       Principal = { AWS = "arn:aws:iam::111122223333:role/ops" },
    ///       Action = ["kms:Decrypt", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"], Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [
    ///       { Sid = "KeyAdmins", Effect = "Allow",
    ///         Principal = { AWS = "arn:aws:iam::111122223333:role/key-admin" },
    ///         Action = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"], Resource = "*" },
    ///       { Sid = "AllowAppUsage", Effect = "Allow",
    ///         Principal = { AWS = "arn:aws:iam::111122223333:role/app" },
    ///         Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*" }
    ///     ]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: least privilege and separation of duties](https://docs.aws.amazon.com/kms/latest/developerguide/least-privilege.html)
    /// - [AWS KMS: the default key policy — key administrators and key users](https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)
    id: "ACC001", name: "key-admin-also-user", severity: Medium, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_key_policy", "aws_iam_policy", "aws_iam_role_policy", "aws_kms_grant"],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for e in &cx.access.entries {
        if matches!(e.kind, PrincipalKind::Account | PrincipalKind::Anyone) {
            continue;
        }
        if !(e.can(Capability::Administer) && e.can(Capability::Use)) {
            continue;
        }
        let Some((key, res)) = key_of(cx, &e.key) else {
            continue;
        };
        let message = format!(
            "{} can both administer and use {}: {}.",
            e.principal,
            res.address,
            e.via
                .iter()
                .map(|v| format!(
                    "{} via {}",
                    v.can
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join("+"),
                    super::describe_via(v)
                ))
                .collect::<Vec<_>>()
                .join("; ")
        );
        cx.finding(&RULE, res, "policy", message)
            .evidence(evidence(e))
            .category(key.category)
            .related(related(e, &res.address))
            .push(out);
    }
}
