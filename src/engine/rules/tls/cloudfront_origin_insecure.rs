use crate::declare_rule;
use crate::engine::model::{Lookup, Value};
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::tls::endpoints;
use crate::engine::tls::inventory::live;
use crate::engine::tls::Protocol;

declare_rule! {
    /// ## What it does
    /// Flags a CloudFront custom origin (`origin { custom_origin_config { … } }`) that
    /// CloudFront reaches without TLS, or with TLS below 1.2:
    /// - `origin_protocol_policy = "http-only"`: high;
    /// - `origin_protocol_policy = "match-viewer"` while a cache behaviour has
    ///   `viewer_protocol_policy = "allow-all"`: HTTP viewers are fetched over HTTP: high;
    /// - `origin_ssl_protocols` containing `SSLv3` (high) or `TLSv1`/`TLSv1.1` (medium).
    ///
    /// S3 website endpoints speak only HTTP; put the bucket behind an S3 (REST) origin with
    /// origin access control instead of a website origin.
    ///
    /// ## Why is this bad?
    /// Viewer HTTPS ends at the edge: the hop from CloudFront to the origin crosses the
    /// internet too, and over HTTP (or a downgradable TLS 1.0 session) everything the
    /// origin returns can be read or altered there.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "main" {
    ///   origin {
    ///     domain_name = aws_lb.main.dns_name
    ///     origin_id   = "app"
    ///     custom_origin_config {
    ///       http_port              = 80
    ///       https_port             = 443
    ///       origin_protocol_policy = "http-only"
    ///       origin_ssl_protocols   = ["TLSv1", "TLSv1.1", "TLSv1.2"]
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "main" {
    ///   origin {
    ///     domain_name = "app.example.com"
    ///     origin_id   = "app"
    ///     custom_origin_config {
    ///       http_port              = 80
    ///       https_port             = 443
    ///       origin_protocol_policy = "https-only"
    ///       origin_ssl_protocols   = ["TLSv1.2"]
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Requiring HTTPS for communication between CloudFront and your custom origin](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html)
    /// - [Security Hub CloudFront.9: distributions should encrypt traffic to custom origins](https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-9)
    /// - [Security Hub CloudFront.10: no deprecated SSL protocols between edge locations and custom origins](https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-10)
    id: "TLS006", name: "cloudfront-origin-insecure", severity: High, control: InTransit,
    resource_types: ["aws_cloudfront_distribution"],
    peers: [SecurityHub "CloudFront.9", SecurityHub "CloudFront.10"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx
        .model
        .of_type("aws_cloudfront_distribution")
        .filter(|r| live(r))
    {
        let viewers_http = endpoints::cloudfront_behaviours(&r.values)
            .iter()
            .any(|(_, p)| p.as_deref() == Some("allow-all"));
        for (path, origin) in r.blocks("origin") {
            let id = match origin.lookup("origin_id") {
                Lookup::Known(v) => v.display(),
                _ => path.clone(),
            };
            let cfg = format!("{path}.custom_origin_config.0");
            let policy_path = format!("{cfg}.origin_protocol_policy");
            let policy = match r.get(&policy_path) {
                Lookup::Known(v) => v.as_str().map(str::to_string),
                _ => None,
            };
            match policy.as_deref() {
                Some("http-only") => {
                    cx.finding(
                        &RULE,
                        r,
                        &policy_path,
                        format!("{} reaches origin {id:?} over plain HTTP (origin_protocol_policy \"http-only\").", r.address),
                    )
                    .push(out);
                    continue;
                }
                Some("match-viewer") if viewers_http => cx
                    .finding(
                        &RULE,
                        r,
                        &policy_path,
                        format!(
                            "{} forwards HTTP viewers to origin {id:?} over plain HTTP: origin_protocol_policy is \"match-viewer\" and a cache behaviour allows HTTP.",
                            r.address
                        ),
                    )
                    .push(out),
                _ => {}
            }
            let ssl_path = format!("{cfg}.origin_ssl_protocols");
            let Lookup::Known(Value::List(list)) = r.get(&ssl_path) else {
                continue;
            };
            let weak: Vec<Protocol> = list
                .iter()
                .filter_map(|v| v.as_str().and_then(Protocol::parse_aws))
                .filter(|p| *p < Protocol::Tls12)
                .collect();
            let Some(min) = weak.iter().min() else {
                continue;
            };
            let names: Vec<&str> = weak.iter().map(|p| p.label()).collect();
            cx.finding(
                &RULE,
                r,
                &ssl_path,
                format!(
                    "{} lets CloudFront talk to origin {id:?} with {} (origin_ssl_protocols).",
                    r.address,
                    names.join(", ")
                ),
            )
            .severity(if *min == Protocol::Ssl3 {
                Severity::High
            } else {
                Severity::Medium
            })
            .push(out);
        }
    }
}
