use crate::declare_rule;
use crate::engine::model::Lookup;
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::tls::endpoints::{self, Resolved, OPENSEARCH_ENFORCE_HTTPS, OPENSEARCH_POLICY};
use crate::engine::tls::inventory::live;

declare_rule! {
    /// ## What it does
    /// Flags an OpenSearch or Elasticsearch domain whose endpoint accepts plain HTTP
    /// (`domain_endpoint_options { enforce_https = false }`) or TLS below 1.2
    /// (`tls_security_policy = "Policy-Min-TLS-1-0-2019-07"`). A policy name planlens doesn't
    /// know is reported as unknown (medium); a domain without `tls_security_policy` is
    /// reported at low severity, because Terraform then leaves the policy to AWS and doesn't
    /// track it. An absent `enforce_https` passes: the provider defaults it to `true`
    /// (checkov CKV_AWS_83 and trivy AVD-AWS-0046 also flag the absent setting).
    ///
    /// ## Why is this bad?
    /// Search domains hold copies of application data (often PII) and their queries; over
    /// HTTP or a downgradable TLS 1.0 session both can be read in transit.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name = "search"
    ///   domain_endpoint_options {
    ///     enforce_https       = true
    ///     tls_security_policy = "Policy-Min-TLS-1-0-2019-07"
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name = "search"
    ///   domain_endpoint_options {
    ///     enforce_https       = true
    ///     tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [DomainEndpointOptions: TLSSecurityPolicy values](https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html)
    /// - [Security Hub Opensearch.8: connections should use the latest TLS security policy](https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-8)
    /// - [Security Hub ES.8](https://docs.aws.amazon.com/securityhub/latest/userguide/es-controls.html#es-8)
    id: "TLS009", name: "opensearch-endpoint-weak-tls", severity: High, control: InTransit,
    resource_types: ["aws_opensearch_domain", "aws_elasticsearch_domain"],
    peers: [
        Checkov "CKV_AWS_83",
        Checkov "CKV_AWS_228",
        Tfsec "aws-elastic-search-enforce-https",
        Tfsec "aws-elastic-search-use-secure-tls-policy",
        Trivy "AVD-AWS-0046",
        Trivy "AVD-AWS-0126",
        SecurityHub "Opensearch.8",
        SecurityHub "ES.8",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        if !matches!(
            r.rtype.as_str(),
            "aws_opensearch_domain" | "aws_elasticsearch_domain"
        ) {
            continue;
        }
        if matches!(r.get(OPENSEARCH_ENFORCE_HTTPS), Lookup::Known(v) if v.as_bool() == Some(false))
        {
            cx.finding(
                &RULE,
                r,
                OPENSEARCH_ENFORCE_HTTPS,
                format!(
                    "{} accepts plain HTTP on its endpoint (enforce_https = false).",
                    r.address
                ),
            )
            .push(out);
        }
        let policy = endpoints::opensearch(&r.values);
        match &policy {
            Resolved::Known { policy: p, .. } if p.allows_below_tls12() => cx
                .finding(
                    &RULE,
                    r,
                    OPENSEARCH_POLICY,
                    format!("{} uses tls_security_policy {}, which accepts {}.", r.address, p.name, policy.describe()),
                )
                .evidence(serde_json::json!({"tls_security_policy": p.name, "protocols": p.protocols, "source": p.source}))
                .push(out),
            Resolved::UnknownName(name) => cx
                .finding(
                    &RULE,
                    r,
                    OPENSEARCH_POLICY,
                    format!("{} uses tls_security_policy {name:?}, which planlens cannot confirm refuses TLS 1.0 and 1.1.", r.address),
                )
                .severity(Severity::Medium)
                .push(out),
            Resolved::NotSet => cx
                .finding(
                    &RULE,
                    r,
                    OPENSEARCH_POLICY,
                    format!("{} sets no tls_security_policy, so Terraform neither sets nor tracks the endpoint's TLS policy.", r.address),
                )
                .severity(Severity::Low)
                .push(out),
            _ => {}
        }
    }
}
