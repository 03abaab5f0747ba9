use super::{categories, key_of, SENSITIVE};
use crate::declare_rule;
use crate::engine::access::{Capability, Source};
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags an `aws_kms_grant` that lets its grantee use a key protecting PII, financial
    /// or health data (`Decrypt`, `Encrypt`, `ReEncrypt*`, `GenerateDataKey*`, …) without a
    /// `constraints` block (`encryption_context_equals` or `encryption_context_subset`).
    ///
    /// ## Why is this bad?
    /// A grant without an encryption-context constraint lets the grantee decrypt anything
    /// the key ever encrypted, for as long as the grant exists — grants live outside the
    /// key policy, so a policy review does not see them. A constraint ties the grant to the
    /// data it was made for (one table, one tenant). Severity: medium.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   tags                = { data-class = "pii" }
    /// }
    ///
    /// resource "aws_kms_grant" "etl" {
    ///   name              = "etl"
    ///   key_id            = aws_kms_key.pii.key_id
    ///   grantee_principal = "arn:aws:iam::111122223333:role/etl"
    ///   operations        = ["Decrypt", "GenerateDataKey"]
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   tags                = { data-class = "pii" }
    /// }
    ///
    /// resource "aws_kms_grant" "etl" {
    ///   name              = "etl"
    ///   key_id            = aws_kms_key.pii.key_id
    ///   grantee_principal = "arn:aws:iam::111122223333:role/etl"
    ///   operations        = ["Decrypt", "GenerateDataKey"]
    ///   constraints {
    ///     encryption_context_equals = { table = "customers" }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: grants, grant constraints](https://docs.aws.amazon.com/kms/latest/developerguide/grants.html)
    /// - [AWS KMS: encryption context](https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html)
    id: "ACC004", name: "grant-without-encryption-context", severity: Medium, control: AtRest,
    resource_types: ["aws_kms_grant"],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for e in &cx.access.entries {
        let Some((key, res)) = key_of(cx, &e.key) else {
            continue;
        };
        let cats = categories(cx, key);
        let Some(cat) = SENSITIVE.iter().find(|c| cats.contains(c)) else {
            continue;
        };
        for v in e.via.iter().filter(|v| {
            v.source == Source::Grant && v.condition.is_none() && v.can.contains(&Capability::Use)
        }) {
            let Some(grant) = v.address.as_deref().and_then(|a| cx.model.get(a)) else {
                continue;
            };
            let message = format!(
                "{} lets {} use {} ({}), which protects {} data, with no encryption-context constraint.",
                grant.address,
                e.principal,
                res.address,
                v.actions.join(", "),
                cat.as_str()
            );
            cx.finding(&RULE, grant, "operations", message)
                .category(Some(*cat))
                .related(vec![res.address.clone()])
                .push(out);
        }
    }
}
