use crate::declare_rule;
use crate::engine::model::{Lookup, Origin};
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::inventory::live;

const PATH: &str = "lifecycle.0.create_before_destroy";

declare_rule! {
    /// ## What it does
    /// Flags an `aws_acm_certificate` without `lifecycle { create_before_destroy = true }`.
    ///
    /// Only `.tf` input can show this: `lifecycle` is a Terraform meta-argument, and plan
    /// and state JSON don't record it. On plan input the rule stays silent rather than
    /// guess.
    ///
    /// ## Why is this bad?
    /// Many certificate changes (a new SAN, another key algorithm) force a replacement.
    /// Terraform's default order destroys the old certificate first — which fails while a
    /// listener or distribution still uses it, or, where it succeeds, leaves the endpoint
    /// without a certificate until the new one is issued and validated. Creating the new
    /// certificate first and swapping it in avoids the outage; the seed's ACM example does
    /// exactly that ("Zero-downtime renewal").
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_acm_certificate" "main" {
    ///   domain_name       = "*.example.com"
    ///   validation_method = "DNS"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_acm_certificate" "main" {
    ///   domain_name       = "*.example.com"
    ///   validation_method = "DNS"
    ///
    ///   lifecycle {
    ///     create_before_destroy = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [The lifecycle meta-argument: create_before_destroy](https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle)
    /// - [aws_acm_certificate (Terraform AWS provider)](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/acm_certificate)
    id: "CRT002", name: "acm-without-create-before-destroy", severity: Low, control: InTransit,
    resource_types: ["aws_acm_certificate"],
    peers: [Checkov "CKV_AWS_233"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.of_type("aws_acm_certificate").filter(|r| live(r)) {
        // Plan and state JSON have no lifecycle: only source text can tell.
        if !matches!(r.origin, Origin::Span(_)) {
            continue;
        }
        match r.get(PATH) {
            Lookup::Known(v) if v.as_bool() == Some(true) => {}
            Lookup::Unknown(_) => {}
            _ => cx
                .finding(
                    &RULE,
                    r,
                    PATH,
                    format!("{} has no lifecycle {{ create_before_destroy = true }}, so replacing it destroys the certificate in use first.", r.address),
                )
                .push(out),
        }
    }
}
