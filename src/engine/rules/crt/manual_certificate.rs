use crate::declare_rule;
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::certs::{self, CertKind};
use crate::engine::tls::inventory::live;

declare_rule! {
    /// ## What it does
    /// Flags a certificate that nothing renews: an `aws_iam_server_certificate`, or an
    /// `aws_acm_certificate` imported with `certificate_body` (and `private_key`).
    ///
    /// ## Why is this bad?
    /// ACM renews only the certificates it issues. An imported certificate, or one uploaded
    /// to IAM, expires on its `not_after` date unless someone re-imports a new one in time —
    /// and its private key has lived outside AWS, in files and Terraform state. The seed's
    /// anti-pattern: "Manage certificates manually … no manual upload without rotation".
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_server_certificate" "web" {
    ///   name             = "web-2026"
    ///   certificate_body = file("certs/web.pem")
    ///   private_key      = file("certs/web.key")
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_acm_certificate" "web" {
    ///   domain_name       = "www.example.com"
    ///   validation_method = "DNS"
    ///
    ///   lifecycle {
    ///     create_before_destroy = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Importing certificates into ACM](https://docs.aws.amazon.com/acm/latest/userguide/import-certificate.html)
    /// - [Managed certificate renewal in ACM](https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html)
    /// - [Managing server certificates in IAM](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html)
    id: "CRT004", name: "manual-certificate", severity: Medium, control: InTransit,
    resource_types: ["aws_iam_server_certificate", "aws_acm_certificate"],
    peers: [SecurityHub "ELB.2"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        let (attribute, msg) = match certs::kind(r) {
            Some(CertKind::Iam) => ("", format!(
                "{} is a certificate uploaded to IAM: nothing renews it before it expires.",
                r.address
            )),
            Some(CertKind::AcmImported) => ("certificate_body", format!(
                "{} is imported into ACM (certificate_body), and ACM renews only certificates it issues.",
                r.address
            )),
            _ => continue,
        };
        cx.finding(&RULE, r, attribute, msg)
            .evidence(serde_json::json!({"type": r.rtype, "renewed_by": null}))
            .push(out);
    }
}
