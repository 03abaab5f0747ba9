use crate::declare_rule;
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::tls::endpoints::{self, Resolved};
use crate::engine::tls::inventory::live;
use crate::engine::tls::Protocol;

declare_rule! {
    /// ## What it does
    /// Flags an API Gateway custom domain name (`aws_api_gateway_domain_name`,
    /// `aws_apigatewayv2_domain_name`) whose security policy accepts TLS below 1.2:
    /// `TLS_1_0` accepts TLS 1.0 to 1.3. A policy planlens's table doesn't know is reported
    /// as unknown (medium), among them enhanced policies such as
    /// `SecurityPolicy_TLS13_1_2_2021_06` whose protocols no AWS page planlens could read
    /// lists (checkov passes them by name). A REST domain name without `security_policy` is
    /// low: AWS gives new custom domains `TLS_1_2` ("Supported security policies", default
    /// security policies), but a domain created earlier may still have `TLS_1_0`, and
    /// Terraform neither sets nor tracks the value.
    ///
    /// ## Why is this bad?
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996) and let a client be downgraded to broken
    /// constructions. `TLS_1_2` accepts TLS 1.2 and 1.3 only.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_api_gateway_domain_name" "api" {
    ///   domain_name              = "api.example.com"
    ///   regional_certificate_arn = aws_acm_certificate.api.arn
    ///   security_policy          = "TLS_1_0"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_api_gateway_domain_name" "api" {
    ///   domain_name              = "api.example.com"
    ///   regional_certificate_arn = aws_acm_certificate.api.arn
    ///   security_policy          = "TLS_1_2"
    /// }
    /// ```
    ///
    /// ## References
    /// - [Choose a security policy for your custom domain in API Gateway](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html)
    /// - [Supported security policies (default policy per resource)](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html)
    /// - [RFC 8996: Deprecating TLS 1.0 and TLS 1.1](https://www.rfc-editor.org/rfc/rfc8996)
    id: "TLS007", name: "api-gateway-weak-tls", severity: High, control: InTransit,
    resource_types: ["aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name"],
    peers: [
        Checkov "CKV_AWS_206",
        Tfsec "aws-api-gateway-use-secure-tls-policy",
        Trivy "AVD-AWS-0005",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        if !matches!(
            r.rtype.as_str(),
            "aws_api_gateway_domain_name" | "aws_apigatewayv2_domain_name"
        ) {
            continue;
        }
        let (path, policy) = endpoints::api_gateway(&r.rtype, &r.values);
        match &policy {
            Resolved::Known { policy: p, .. } if p.min() < Protocol::Tls12 => cx
                .finding(
                    &RULE,
                    r,
                    &path,
                    format!("{} uses security_policy {}, which accepts {}.", r.address, p.name, policy.describe()),
                )
                .evidence(serde_json::json!({"security_policy": p.name, "protocols": p.protocols, "source": p.source}))
                .push(out),
            Resolved::UnknownName(name) => cx
                .finding(
                    &RULE,
                    r,
                    &path,
                    format!("{} uses security_policy {name:?}, which planlens cannot confirm refuses TLS 1.0 and 1.1.", r.address),
                )
                .severity(Severity::Medium)
                .push(out),
            Resolved::NotSet => cx
                .finding(
                    &RULE,
                    r,
                    &path,
                    format!("{} sets no security_policy, so the domain's TLS policy is whatever AWS applied when it was created, and Terraform doesn't track it.", r.address),
                )
                .severity(Severity::Low)
                .push(out),
            _ => {}
        }
    }
}
