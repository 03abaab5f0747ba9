use crate::declare_rule;
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags an IAM identity policy that allows a KMS decryption action (`kms:Decrypt`,
    /// `kms:ReEncryptFrom`, or a wildcard or `NotAction` that covers one) on every key
    /// (`Resource = "*"`): customer managed policies (`aws_iam_policy`, Security Hub
    /// KMS.1) and inline policies (`aws_iam_role_policy`, `aws_iam_user_policy`,
    /// `aws_iam_group_policy`, `aws_iam_role.inline_policy`, Security Hub KMS.2), whether
    /// written as JSON or through `data "aws_iam_policy_document"` (its
    /// `source_policy_documents` and `override_policy_documents` included). Like Security
    /// Hub, it does not judge AWS managed policies, and it flags the statement whatever its
    /// condition (shown in the evidence).
    ///
    /// ## Why is this bad?
    /// Every key whose key policy delegates to the account (AWS's default policy does, and
    /// so does the seed's `EnableIAMUserPermissions`) becomes readable by the identity —
    /// including keys created later for other data categories. Scope the statement to the
    /// keys the workload needs. Severity: medium (Security Hub's).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "reader" {
    ///   name = "reader"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    /// }
    ///
    /// resource "aws_iam_policy" "reader" {
    ///   name = "reader"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.pii.arn }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS Security Hub: KMS.1 and KMS.2](https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html)
    /// - [AWS KMS: IAM policy best practices](https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html)
    id: "ACC002", name: "identity-policy-decrypt-all-keys", severity: Medium, control: AtRest,
    resource_types: ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
    peers: [SecurityHub "KMS.1", SecurityHub "KMS.2", Tfsec "aws-iam-block-kms-policy-wildcard"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for a in &cx.access.all_keys_decrypt {
        let Some(res) = cx.model.get(&a.address) else {
            continue;
        };
        let message = format!(
            "{} allows {} on every KMS key (Resource \"*\") in {:?}{}.",
            a.address,
            a.actions.join(", "),
            a.statement,
            if a.inline {
                " (inline policy, Security Hub KMS.2)"
            } else {
                " (customer managed policy, Security Hub KMS.1)"
            }
        );
        let attr = if res.rtype == "aws_iam_role" {
            "inline_policy"
        } else {
            "policy"
        };
        cx.finding(&RULE, res, attr, message)
            .evidence(serde_json::json!({
                "statement": a.statement,
                "actions": a.actions,
                "resource": "*",
            }))
            .push(out);
    }
}
