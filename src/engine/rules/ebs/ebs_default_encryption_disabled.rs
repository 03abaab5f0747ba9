use crate::declare_rule;
use crate::engine::model::{Action, Lookup, Resource, Value};
use crate::engine::rules::{Context, Finding};
use crate::engine::stores::provider_location;

declare_rule! {
    /// ## What it does
    /// Flags each AWS provider configuration (an account/region) that has no
    /// `aws_ebs_encryption_by_default` with `enabled = true` (the provider's default for
    /// `enabled`). It is a project-level finding: where the configuration turns the setting
    /// off, it sits on that resource; otherwise it has no address and points at the provider
    /// block when the input has one. An `enabled` not known before apply passes.
    ///
    /// ## Why is this bad?
    /// EBS encryption by default is a per-account, per-region switch: once on, AWS refuses
    /// to create an unencrypted volume or snapshot copy there, whoever creates it —
    /// Terraform, an Auto Scaling group, a console user, another tool. Without it, each
    /// volume must remember `encrypted = true`. The seed lists "EBS volumes without
    /// encryption-by-default configuration" among the common mistakes and targets
    /// "enabled in all accounts". Severity: medium (volumes Terraform creates are still
    /// checked one by one by ENC001).
    ///
    /// ## Example
    /// ```hcl
    /// provider "aws" {
    ///   region = "eu-central-1"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// provider "aws" {
    ///   region = "eu-central-1"
    /// }
    ///
    /// resource "aws_ebs_encryption_by_default" "this" {
    ///   enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon EBS: encryption by default](https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html)
    /// - [AWS provider: aws_ebs_encryption_by_default](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_encryption_by_default)
    id: "EBS001", name: "ebs-default-encryption-disabled", severity: Medium, control: AtRest,
    resource_types: ["aws_ebs_encryption_by_default"],
    peers: [Checkov "CKV_AWS_106", Kics "3d3f6270-546b-443c-adb4-bb6fb2187ca6", SecurityHub "EC2.7"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for p in cx
        .analysis
        .providers
        .iter()
        .filter(|p| !p.ebs_default_encryption)
    {
        let region = p
            .region
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let evidence = serde_json::json!({ "provider": p.key, "region": p.region });
        // Where the configuration turns it off, the finding belongs to that resource.
        let switches: Vec<_> = cx
            .model
            .of_type("aws_ebs_encryption_by_default")
            .filter(|r| r.provider == p.key && r.action != Some(Action::Delete))
            .collect();
        let off = |r: &&Resource| matches!(r.get("enabled"), Lookup::Known(Value::Bool(false)));
        if let Some(res) = switches
            .iter()
            .copied()
            .find(off)
            .or(switches.first().copied())
        {
            let on: Vec<&str> = switches
                .iter()
                .filter(|r| !off(r))
                .map(|r| r.address.as_str())
                .collect();
            let message = if on.is_empty() {
                format!(
                    "{} sets enabled = false, so new EBS volumes in provider {}{region} are not encrypted by default.",
                    res.address, p.key
                )
            } else {
                format!(
                    "{} sets enabled = false while {} sets it true: both set the one per-region switch of provider {}{region}, the last applied wins, so new EBS volumes may not be encrypted by default.",
                    res.address,
                    on.join(", "),
                    p.key
                )
            };
            cx.finding(&RULE, res, "enabled", message).push(out);
            continue;
        }
        let message = format!(
            "AWS provider {}{region} has no aws_ebs_encryption_by_default with enabled = true.",
            p.key
        );
        let (file, line) = provider_location(cx.model, &p.key)
            .map(|(f, l)| (Some(f), l))
            .unwrap_or((None, None));
        cx.project_finding(&RULE, message)
            .evidence(evidence)
            .at(file, line)
            .push(out);
    }
}
