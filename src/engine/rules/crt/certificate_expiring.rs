use crate::declare_rule;
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::certs::{self, CertKind};
use crate::engine::tls::dates;
use crate::engine::tls::inventory::{live, EXPIRY_DAYS};

declare_rule! {
    /// ## What it does
    /// Flags a certificate that expires within 30 days of "now", or has expired: its
    /// `not_after` (ACM), `expiration` (IAM), or the `validity_end_time` of the
    /// `tls_self_signed_cert`/`tls_locally_signed_cert` it was made from. "Now" is the
    /// plan's `timestamp`; without one (`.tf` or state input) it is today's date as the
    /// CLI passes it. Without either, the rule can't judge and stays silent.
    ///
    /// Every certificate is judged. For imported ACM certificates, IAM server certificates
    /// and email-validated ACM certificates nothing renews them on its own. ACM renews
    /// DNS-validated and private-CA certificates from 60 days before expiry, so one under
    /// 30 days is one whose renewal has failed — most often because it is not associated
    /// with any AWS service (ACM renews only certificates in use) or its validation CNAME
    /// record has gone from DNS — and it is flagged with those causes.
    ///
    /// ## Why is this bad?
    /// An expired certificate takes the endpoint down for every client that verifies it —
    /// which is every client that should. 30 days is the threshold of Security Hub ACM.1
    /// and of the seed's metric ("ACM certificates with expiry > 30 days").
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_acm_certificate" "legacy" {
    ///   certificate_body = file("certs/legacy.pem") # not_after: in 12 days
    ///   private_key      = file("certs/legacy.key")
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_acm_certificate" "legacy" {
    ///   domain_name       = "legacy.example.com"
    ///   validation_method = "DNS"
    ///
    ///   lifecycle {
    ///     create_before_destroy = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Security Hub ACM.1: certificates should be renewed after a specified time period](https://docs.aws.amazon.com/securityhub/latest/userguide/acm-controls.html#acm-1)
    /// - [Managed certificate renewal in ACM](https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html)
    id: "CRT005", name: "certificate-expiring", severity: High, control: InTransit,
    resource_types: ["aws_acm_certificate", "aws_iam_server_certificate"],
    peers: [SecurityHub "ACM.1"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some((now, now_from)) = certs::now(cx.model, cx.options) else {
        return;
    };
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        let Some(kind) = certs::kind(r) else {
            continue;
        };
        let Some((then, holder, attribute, raw)) = certs::expiry(cx.model, r) else {
            continue;
        };
        let days = dates::days_until(now, then);
        if days > EXPIRY_DAYS {
            continue;
        }
        let when = if then <= now {
            format!("expired on {raw}")
        } else {
            format!("expires on {raw}, {days} days after {now_from}")
        };
        let why = match kind {
            CertKind::AcmIssued {
                private_ca: true, ..
            } => "ACM renews private-CA certificates from 60 days before expiry, so its renewal has failed: usually the private CA is disabled, deleted or expired, or ACM lacks permission to issue from it",
            CertKind::AcmIssued { dns: true, .. } => "ACM renews DNS-validated certificates from 60 days before expiry, so its renewal has failed: usually the certificate is not associated with any AWS service (ACM renews only certificates in use) or its validation CNAME record is gone from DNS",
            CertKind::AcmIssued { .. } => {
                "an email-validated certificate renews only once someone approves it"
            }
            _ => "nothing renews it",
        };
        let b = cx.finding(&RULE, r, attribute, format!("{} {when}; {why}.", r.address));
        let b = if holder.address == r.address {
            b
        } else {
            b.decided_in(holder, attribute)
        };
        b.evidence(serde_json::json!({"expires": raw, "days_left": days, "now": now_from}))
            .push(out);
    }
}
