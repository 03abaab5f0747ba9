use crate::declare_rule;
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::tls::certs;
use crate::engine::tls::inventory::live;

declare_rule! {
    /// ## What it does
    /// Flags an ACM certificate (`aws_acm_certificate`) or IAM server certificate
    /// (`aws_iam_server_certificate`) whose `certificate_body` is the `cert_pem` of a
    /// `tls_self_signed_cert` — which reaches every listener or distribution that uses it.
    /// High where the certificate, its self-signed source, or a listener using it is tagged
    /// `environment`/`env`/`stage` = `prod`/`production`/`prd` or named so; medium
    /// elsewhere.
    ///
    /// ## Why is this bad?
    /// No client trusts a self-signed certificate, so clients are told to skip verification
    /// — and then anyone in the path can present their own certificate. Nothing renews it
    /// either: it expires when its `validity_period_hours` runs out. The seed lists
    /// "self-signed certificates in production without rotation" among the common mistakes.
    ///
    /// ## Example
    /// ```hcl
    /// resource "tls_self_signed_cert" "web" {
    ///   private_key_pem       = tls_private_key.web.private_key_pem
    ///   validity_period_hours = 8760
    ///   allowed_uses          = ["server_auth"]
    ///   subject {
    ///     common_name = "www.example.com"
    ///   }
    /// }
    ///
    /// resource "aws_acm_certificate" "web" {
    ///   private_key      = tls_private_key.web.private_key_pem
    ///   certificate_body = tls_self_signed_cert.web.cert_pem
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
    /// - [Importing certificates into ACM (no managed renewal)](https://docs.aws.amazon.com/acm/latest/userguide/import-certificate.html)
    /// - [tls_self_signed_cert (Terraform TLS provider)](https://registry.terraform.io/providers/hashicorp/tls/latest/docs/resources/self_signed_cert)
    id: "CRT003", name: "self-signed-certificate", severity: High, control: InTransit,
    resource_types: ["aws_acm_certificate", "aws_iam_server_certificate", "tls_self_signed_cert"],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        if !matches!(
            r.rtype.as_str(),
            "aws_acm_certificate" | "aws_iam_server_certificate"
        ) {
            continue;
        }
        let sources = certs::self_signed_sources(cx.model, r);
        if sources.is_empty() {
            continue;
        }
        let listeners = certs::listeners_using(cx.model, r);
        let production = std::iter::once(r)
            .chain(sources.iter().copied())
            .chain(listeners.iter().copied())
            .find_map(certs::production_evidence);
        let used_by = if listeners.is_empty() {
            String::new()
        } else {
            format!(
                ", served by {}",
                listeners
                    .iter()
                    .map(|l| l.address.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let names: Vec<String> = sources.iter().map(|s| s.address.clone()).collect();
        let (sev, why) = match &production {
            Some(e) => (RULE.severity, format!(" in production ({e})")),
            None => (Severity::Medium, String::new()),
        };
        let mut related = names.clone();
        related.extend(listeners.iter().map(|l| l.address.clone()));
        cx.finding(
            &RULE,
            r,
            "certificate_body",
            format!(
                "{} is the self-signed certificate {}{used_by}{why}: clients can't verify it and nothing renews it.",
                r.address,
                names.join(", ")
            ),
        )
        .severity(sev)
        .evidence(serde_json::json!({"self_signed": names, "production": production}))
        .related(related)
        .push(out);
    }
}
