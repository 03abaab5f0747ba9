use crate::declare_rule;
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::tls::endpoints::{self, Resolved, CLOUDFRONT_PROVIDER_DEFAULT};
use crate::engine::tls::inventory::live;
use crate::engine::tls::policies::{self, Protocol};

const VC: &str = "viewer_certificate.0.minimum_protocol_version";
const DEFAULT_CERT: &str = "viewer_certificate.0.cloudfront_default_certificate";

declare_rule! {
    /// ## What it does
    /// Flags a CloudFront distribution whose viewer security policy is below
    /// `TLSv1.2_2021`:
    /// - a `minimum_protocol_version` that accepts TLS 1.0 or 1.1 (`TLSv1`, `TLSv1_2016`,
    ///   `TLSv1.1_2016`, `SSLv3`), or none at all (the provider then sends `TLSv1`): high;
    /// - `TLSv1.2_2018` or `TLSv1.2_2019`, which refuse TLS 1.0/1.1 but still offer CBC
    ///   ciphers that `TLSv1.2_2021` drops: medium;
    /// - `cloudfront_default_certificate = true` on a distribution with `aliases`:
    ///   CloudFront then sets the security policy to `TLSv1` whatever
    ///   `minimum_protocol_version` says, so the alias domains accept TLS 1.0: high;
    /// - the default certificate without aliases (only `*.cloudfront.net` is served, again
    ///   with `TLSv1`): low, because the only fix is a custom domain with its own certificate.
    ///
    /// checkov's CKV_AWS_174 passes any `TLSv1.2_*`/`TLSv1.3_*` value, including
    /// `TLSv1.2_2018` and `TLSv1.2_2019`; tfsec/trivy AVD-AWS-0013 skips distributions using
    /// the default certificate. planlens flags both.
    ///
    /// ## Why is this bad?
    /// Viewers that still negotiate TLS 1.0/1.1 can be downgraded to broken constructions,
    /// and the older TLS 1.2 policies keep CBC-mode ciphers. The seed's CloudFront example
    /// sets `TLSv1.2_2021` ("No TLS 1.0 or 1.1"); Security Hub CloudFront.15 asks for the
    /// recommended policy too.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "main" {
    ///   aliases = ["www.example.com"]
    ///   viewer_certificate {
    ///     cloudfront_default_certificate = true
    ///     minimum_protocol_version       = "TLSv1.2_2021" # ignored with the default certificate
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "main" {
    ///   aliases = ["www.example.com"]
    ///   viewer_certificate {
    ///     acm_certificate_arn      = aws_acm_certificate.cdn.arn
    ///     ssl_support_method       = "sni-only"
    ///     minimum_protocol_version = "TLSv1.2_2021"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Supported protocols and ciphers between viewers and CloudFront](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html)
    /// - [ViewerCertificate.MinimumProtocolVersion: the default certificate forces TLSv1](https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html)
    /// - [Security Hub CloudFront.15: distributions should use the recommended TLS security policy](https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-15)
    id: "TLS004", name: "cloudfront-weak-minimum-protocol", severity: High, control: InTransit,
    resource_types: ["aws_cloudfront_distribution"],
    peers: [
        Checkov "CKV_AWS_174",
        Tfsec "aws-cloudfront-use-secure-tls-policy",
        Trivy "AVD-AWS-0013",
        Kics "00e5e55e-c2ff-46b3-a757-a7a1cd802456",
        SecurityHub "CloudFront.15",
        SecurityHub "CloudFront.7",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(floor) = policies::cloudfront_rank(policies::CLOUDFRONT_MINIMUM) else {
        return;
    };
    for r in cx
        .model
        .of_type("aws_cloudfront_distribution")
        .filter(|r| live(r))
    {
        let viewer = endpoints::cloudfront_viewer(&r.values);
        if viewer.default_certificate {
            let configured = viewer
                .configured
                .name()
                .unwrap_or(CLOUDFRONT_PROVIDER_DEFAULT)
                .to_string();
            let (msg, sev) = if viewer.has_aliases {
                (
                    format!(
                        "{} serves its aliases with the default CloudFront certificate, so CloudFront applies TLSv1 (TLS 1.0 and up) whatever minimum_protocol_version says ({configured}).",
                        r.address
                    ),
                    RULE.severity,
                )
            } else {
                (
                    format!(
                        "{} uses the default CloudFront certificate, whose security policy is always TLSv1 (TLS 1.0 and up).",
                        r.address
                    ),
                    Severity::Low,
                )
            };
            cx.finding(&RULE, r, DEFAULT_CERT, msg)
                .severity(sev)
                .evidence(serde_json::json!({"cloudfront_default_certificate": true, "effective": "TLSv1", "minimum_protocol_version": configured, "aliases": viewer.has_aliases}))
                .push(out);
            continue;
        }
        match &viewer.configured {
            Resolved::Known { policy, defaulted } => {
                let rank = policies::cloudfront_rank(policy.name).unwrap_or(floor);
                if rank >= floor {
                    continue;
                }
                let weak = policy.min() < Protocol::Tls12;
                let msg = match (defaulted, weak) {
                    (true, _) => format!(
                        "{} sets no minimum_protocol_version, so the provider sends {} (TLS 1.0 and up).",
                        r.address, policy.name
                    ),
                    (false, true) => format!(
                        "{} uses minimum_protocol_version {}, which accepts {}.",
                        r.address,
                        policy.name,
                        viewer.configured.describe()
                    ),
                    (false, false) => format!(
                        "{} uses minimum_protocol_version {}, which refuses TLS 1.0/1.1 but keeps CBC ciphers that {} drops.",
                        r.address,
                        policy.name,
                        policies::CLOUDFRONT_MINIMUM
                    ),
                };
                cx.finding(&RULE, r, VC, msg)
                    .severity(if weak { RULE.severity } else { Severity::Medium })
                    .evidence(serde_json::json!({"minimum_protocol_version": policy.name, "defaulted": defaulted, "protocols": policy.protocols, "source": policy.source}))
                    .push(out);
            }
            Resolved::UnknownName(name) => cx
                .finding(
                    &RULE,
                    r,
                    VC,
                    format!(
                        "{} uses minimum_protocol_version {name:?}, which is not a CloudFront security policy planlens knows.",
                        r.address
                    ),
                )
                .severity(Severity::Medium)
                .push(out),
            _ => {}
        }
    }
}
