use crate::declare_rule;
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::inventory::live;

declare_rule! {
    /// ## What it does
    /// Flags an ACM certificate requested with `validation_method = "EMAIL"`.
    ///
    /// ## Why is this bad?
    /// ACM renews a DNS-validated certificate on its own as long as the validation CNAME
    /// stays in place. An email-validated certificate renews only after someone at one of
    /// the domain's contact addresses clicks the approval link — miss the mail and the
    /// certificate expires in production. The seed relies on "ACM renews automatically".
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_acm_certificate" "main" {
    ///   domain_name       = "example.com"
    ///   validation_method = "EMAIL"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_acm_certificate" "main" {
    ///   domain_name       = "example.com"
    ///   validation_method = "DNS"
    ///
    ///   lifecycle {
    ///     create_before_destroy = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Managed certificate renewal in ACM](https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html)
    /// - [DNS validation](https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html)
    /// - [Email validation](https://docs.aws.amazon.com/acm/latest/userguide/email-validation.html)
    id: "CRT001", name: "acm-email-validation", severity: Medium, control: InTransit,
    resource_types: ["aws_acm_certificate"],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.of_type("aws_acm_certificate").filter(|r| live(r)) {
        if r.get_str("validation_method")
            .is_some_and(|m| m.eq_ignore_ascii_case("EMAIL"))
        {
            cx.finding(
                &RULE,
                r,
                "validation_method",
                format!("{} sets validation_method = \"EMAIL\", so every renewal waits for someone to approve a mail.", r.address),
            )
            .push(out);
        }
    }
}
