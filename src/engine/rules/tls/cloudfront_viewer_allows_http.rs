use crate::declare_rule;
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::endpoints;
use crate::engine::tls::inventory::live;

declare_rule! {
    /// ## What it does
    /// Flags every cache behaviour of a CloudFront distribution — the default one and each
    /// ordered one — with `viewer_protocol_policy = "allow-all"`.
    ///
    /// ## Why is this bad?
    /// `allow-all` serves the same content over plain HTTP: responses, cookies and signed
    /// URLs can be read and altered in transit. `redirect-to-https` moves HTTP viewers to
    /// HTTPS; `https-only` refuses them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "main" {
    ///   default_cache_behavior {
    ///     target_origin_id       = "static"
    ///     viewer_protocol_policy = "allow-all"
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "main" {
    ///   default_cache_behavior {
    ///     target_origin_id       = "static"
    ///     viewer_protocol_policy = "redirect-to-https"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Requiring HTTPS between viewers and CloudFront](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html)
    /// - [Security Hub CloudFront.3: distributions should require encryption in transit](https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-3)
    id: "TLS005", name: "cloudfront-viewer-allows-http", severity: High, control: InTransit,
    resource_types: ["aws_cloudfront_distribution"],
    peers: [
        Checkov "CKV_AWS_34",
        Tfsec "aws-cloudfront-enforce-https",
        Trivy "AVD-AWS-0012",
        SecurityHub "CloudFront.3",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx
        .model
        .of_type("aws_cloudfront_distribution")
        .filter(|r| live(r))
    {
        for (path, policy) in endpoints::cloudfront_behaviours(&r.values) {
            if policy.as_deref() != Some("allow-all") {
                continue;
            }
            let which = if path.starts_with("default_") {
                "default cache behaviour".to_string()
            } else {
                format!(
                    "ordered cache behaviour {}",
                    path.split('.').nth(1).unwrap_or("?")
                )
            };
            cx.finding(
                &RULE,
                r,
                &path,
                format!(
                    "The {which} of {} has viewer_protocol_policy \"allow-all\", so viewers can fetch it over plain HTTP.",
                    r.address
                ),
            )
            .push(out);
        }
    }
}
