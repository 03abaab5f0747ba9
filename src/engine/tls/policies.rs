//! Every TLS security policy planlens knows, with the protocol versions AWS documents it
//! allows and where AWS says so. Compliance is decided from these rows, never from a
//! policy's name: `ELBSecurityPolicy-TLS13-1-1-2021-06` starts like a TLS 1.3 policy and
//! still accepts TLS 1.1.
//!
//! A row is here only when an AWS page (or AWS's own archived copy of it) lists its
//! protocols. Names missing on purpose, because no AWS source we could read gives their
//! protocols: the 2025 post-quantum ELB policies other than the three AWS recommends in
//! prose (`…-TLS13-1-0-PQ-2025-09`, `…-TLS13-1-2-PQ-2025-09`, `…-Ext1/Ext2-PQ-…`,
//! `…-TLS13-1-3-PQ-2025-09`, their FIPS twins), the `…-RFC9151-…-2023-07` family, the
//! classic ELB policies older than `ELBSecurityPolicy-2015-02`, and the API Gateway
//! `SecurityPolicy_*` names other than `SecurityPolicy_TLS13_1_3_2025_09`. A listener using
//! one of them is reported as using an unknown policy, not passed.

use serde::Serialize;

/// A protocol version, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Protocol {
    #[serde(rename = "SSLv3")]
    Ssl3,
    #[serde(rename = "TLSv1")]
    Tls10,
    #[serde(rename = "TLSv1.1")]
    Tls11,
    #[serde(rename = "TLSv1.2")]
    Tls12,
    #[serde(rename = "TLSv1.3")]
    Tls13,
}

impl Protocol {
    pub fn label(self) -> &'static str {
        match self {
            Protocol::Ssl3 => "SSL 3.0",
            Protocol::Tls10 => "TLS 1.0",
            Protocol::Tls11 => "TLS 1.1",
            Protocol::Tls12 => "TLS 1.2",
            Protocol::Tls13 => "TLS 1.3",
        }
    }

    /// The spelling CloudFront's `origin_ssl_protocols` and ELB's `Protocol-*` attributes use.
    pub fn parse_aws(s: &str) -> Option<Protocol> {
        Some(match s.trim() {
            "SSLv3" | "Protocol-SSLv3" => Protocol::Ssl3,
            "TLSv1" | "Protocol-TLSv1" => Protocol::Tls10,
            "TLSv1.1" | "Protocol-TLSv1.1" => Protocol::Tls11,
            "TLSv1.2" | "Protocol-TLSv1.2" => Protocol::Tls12,
            "TLSv1.3" | "Protocol-TLSv1.3" => Protocol::Tls13,
            _ => return None,
        })
    }
}

/// Which service's policy names a row belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    /// Application and Network Load Balancers (`aws_lb_listener.ssl_policy`).
    Elbv2,
    /// Classic Load Balancers (`Reference-Security-Policy` of an SSL negotiation policy).
    ElbClassic,
    /// `viewer_certificate.minimum_protocol_version`.
    CloudFront,
    /// `security_policy` of an API Gateway custom domain name.
    ApiGateway,
    /// `domain_endpoint_options.tls_security_policy` of OpenSearch / Elasticsearch.
    OpenSearch,
}

#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct TlsPolicy {
    pub name: &'static str,
    pub service: Service,
    /// The protocol versions it accepts, weakest first.
    pub protocols: &'static [Protocol],
    /// The AWS page that lists them.
    pub source: &'static str,
}

impl TlsPolicy {
    /// The weakest protocol it accepts.
    pub fn min(&self) -> Protocol {
        self.protocols.first().copied().unwrap_or(Protocol::Tls13)
    }

    pub fn allows_below_tls12(&self) -> bool {
        self.min() < Protocol::Tls12
    }

    pub fn allows(&self, p: Protocol) -> bool {
        self.protocols.contains(&p)
    }
}

use Protocol::{Ssl3, Tls10, Tls11, Tls12, Tls13};

const TLS10_UP: &[Protocol] = &[Tls10, Tls11, Tls12];
const TLS11_UP: &[Protocol] = &[Tls11, Tls12];
const TLS12: &[Protocol] = &[Tls12];
const TLS10_13: &[Protocol] = &[Tls10, Tls11, Tls12, Tls13];
const TLS11_13: &[Protocol] = &[Tls11, Tls12, Tls13];
const TLS12_13: &[Protocol] = &[Tls12, Tls13];
const TLS13: &[Protocol] = &[Tls13];

/// "Security policies for your Application Load Balancer": protocols by policy for the TLS,
/// FIPS and FS families. Network Load Balancers use the same predefined policies.
pub const ALB_DOC: &str =
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html";
/// The same guide before the TLS 1.3 policies, as AWS published it on GitHub: the only
/// place `ELBSecurityPolicy-TLS-1-0-2015-04` and `ELBSecurityPolicy-2015-05` ("identical
/// to ELBSecurityPolicy-2016-08") are described for ALB/NLB.
pub const ALB_DOC_ARCHIVED: &str = "https://github.com/awsdocs/elb-application-load-balancers-user-guide/blob/master/doc_source/create-https-listener.md";
/// "Predefined SSL security policies for Classic Load Balancers".
pub const CLASSIC_DOC: &str =
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html";
/// "Supported protocols and ciphers between viewers and CloudFront".
pub const CLOUDFRONT_DOC: &str = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html";
/// "Choose a security policy for your custom domain in API Gateway".
pub const APIGW_DOC: &str =
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html";
/// OpenSearch Service API reference, `DomainEndpointOptions.TLSSecurityPolicy`.
pub const OPENSEARCH_DOC: &str =
    "https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html";

macro_rules! rows {
    ($service:ident, $source:expr; $($name:literal => $protocols:expr),* $(,)?) => {
        &[$(TlsPolicy { name: $name, service: Service::$service, protocols: $protocols, source: $source }),*]
    };
}

/// ALB/NLB policies from the current guide.
const ELBV2: &[TlsPolicy] = rows![Elbv2, ALB_DOC;
    "ELBSecurityPolicy-TLS13-1-3-2021-06" => TLS13,
    "ELBSecurityPolicy-TLS13-1-2-2021-06" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-1-2021-06" => TLS11_13,
    "ELBSecurityPolicy-TLS13-1-0-2021-06" => TLS10_13,
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06" => TLS12,
    "ELBSecurityPolicy-TLS-1-2-2017-01" => TLS12,
    "ELBSecurityPolicy-TLS-1-1-2017-01" => TLS11_UP,
    "ELBSecurityPolicy-2016-08" => TLS10_UP,
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04" => TLS13,
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04" => TLS11_13,
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04" => TLS10_13,
    "ELBSecurityPolicy-FS-1-2-Res-2020-10" => TLS12,
    "ELBSecurityPolicy-FS-1-2-Res-2019-08" => TLS12,
    "ELBSecurityPolicy-FS-1-2-2019-08" => TLS12,
    "ELBSecurityPolicy-FS-1-1-2019-08" => TLS11_UP,
    "ELBSecurityPolicy-FS-2018-06" => TLS10_UP,
    // The guide's considerations: these post-quantum policies support "hybrid PQ-TLS,
    // TLS 1.3 only, or TLS 1.2 only" clients.
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09" => TLS12_13,
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09" => TLS12_13,
];

const ELBV2_ARCHIVED: &[TlsPolicy] = rows![Elbv2, ALB_DOC_ARCHIVED;
    "ELBSecurityPolicy-TLS-1-0-2015-04" => TLS10_UP,
    "ELBSecurityPolicy-2015-05" => TLS10_UP,
];

const CLASSIC: &[TlsPolicy] = rows![ElbClassic, CLASSIC_DOC;
    "ELBSecurityPolicy-2016-08" => TLS10_UP,
    "ELBSecurityPolicy-TLS-1-1-2017-01" => TLS11_UP,
    "ELBSecurityPolicy-TLS-1-2-2017-01" => TLS12,
    "ELBSecurityPolicy-2015-05" => TLS10_UP,
    "ELBSecurityPolicy-2015-03" => TLS10_UP,
    "ELBSecurityPolicy-2015-02" => TLS10_UP,
];

/// In the order of the guide's table, which is also weakest to strongest: `TLSv1.2_2018`
/// and `TLSv1.2_2019` accept the same protocols as `TLSv1.2_2021` with more (CBC) ciphers.
const CLOUDFRONT: &[TlsPolicy] = rows![CloudFront, CLOUDFRONT_DOC;
    "SSLv3" => &[Ssl3, Tls10, Tls11, Tls12, Tls13],
    "TLSv1" => TLS10_13,
    "TLSv1_2016" => TLS10_13,
    "TLSv1.1_2016" => TLS11_13,
    "TLSv1.2_2018" => TLS12_13,
    "TLSv1.2_2019" => TLS12_13,
    "TLSv1.2_2021" => TLS12_13,
    "TLSv1.2_2025" => TLS12_13,
    "TLSv1.3_2025" => TLS13,
];

const APIGW: &[TlsPolicy] = rows![ApiGateway, APIGW_DOC;
    "TLS_1_0" => TLS10_13,
    "TLS_1_2" => TLS12_13,
    "SecurityPolicy_TLS13_1_3_2025_09" => TLS13,
];

const OPENSEARCH: &[TlsPolicy] = rows![OpenSearch, OPENSEARCH_DOC;
    "Policy-Min-TLS-1-0-2019-07" => TLS10_UP,
    "Policy-Min-TLS-1-2-2019-07" => TLS12,
    "Policy-Min-TLS-1-2-PFS-2023-10" => TLS12_13,
];

/// What an HTTPS/TLS listener created without `ssl_policy` gets from the API, CLI,
/// CloudFormation and Terraform (the console picks a TLS 1.3 policy instead).
pub const ELBV2_DEFAULT: &str = "ELBSecurityPolicy-2016-08";
/// The classic ELB default predefined policy.
pub const CLASSIC_DEFAULT: &str = "ELBSecurityPolicy-2016-08";
/// What AWS recommends for new ALB/NLB listeners (the seed's choice).
pub const ELBV2_RECOMMENDED: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/// The CloudFront policy the seed and Security Hub CloudFront.15 ask for at least.
pub const CLOUDFRONT_MINIMUM: &str = "TLSv1.2_2021";

fn table(service: Service) -> impl Iterator<Item = &'static TlsPolicy> {
    let parts: &[&'static [TlsPolicy]] = match service {
        Service::Elbv2 => &[ELBV2, ELBV2_ARCHIVED],
        Service::ElbClassic => &[CLASSIC],
        Service::CloudFront => &[CLOUDFRONT],
        Service::ApiGateway => &[APIGW],
        Service::OpenSearch => &[OPENSEARCH],
    };
    parts.iter().flat_map(|p| p.iter())
}

/// The row for a policy name, exactly as AWS spells it.
pub fn lookup(service: Service, name: &str) -> Option<&'static TlsPolicy> {
    table(service).find(|p| p.name == name.trim())
}

/// Every row, for documentation and tests.
pub fn all() -> impl Iterator<Item = &'static TlsPolicy> {
    [
        Service::Elbv2,
        Service::ElbClassic,
        Service::CloudFront,
        Service::ApiGateway,
        Service::OpenSearch,
    ]
    .into_iter()
    .flat_map(table)
}

/// Position of a CloudFront policy in AWS's table (weakest first), for "at least
/// TLSv1.2_2021" comparisons that the protocol sets alone can't make.
pub fn cloudfront_rank(name: &str) -> Option<usize> {
    CLOUDFRONT.iter().position(|p| p.name == name.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_does_not_decide() {
        // checkov's prefix match passes these; AWS documents them as accepting TLS 1.0/1.1.
        for name in [
            "ELBSecurityPolicy-TLS13-1-1-2021-06",
            "ELBSecurityPolicy-TLS13-1-0-2021-06",
            "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
            "ELBSecurityPolicy-FS-1-1-2019-08",
        ] {
            let p = lookup(Service::Elbv2, name).unwrap();
            assert!(p.allows_below_tls12(), "{name}");
        }
        assert_eq!(
            lookup(Service::Elbv2, "ELBSecurityPolicy-TLS13-1-1-2021-06")
                .unwrap()
                .min(),
            Protocol::Tls11
        );
    }

    #[test]
    fn the_default_the_seed_calls_tls12_only_allows_tls10() {
        let p = lookup(Service::Elbv2, ELBV2_DEFAULT).unwrap();
        assert_eq!(p.protocols, &[Tls10, Tls11, Tls12]);
        assert!(!p.allows(Tls13));
        assert_eq!(
            lookup(Service::Elbv2, "ELBSecurityPolicy-2015-05")
                .unwrap()
                .protocols,
            p.protocols
        );
    }

    #[test]
    fn recommended_policies_are_tls12_and_13() {
        let p = lookup(Service::Elbv2, ELBV2_RECOMMENDED).unwrap();
        assert_eq!(p.protocols, &[Tls12, Tls13]);
        assert_eq!(
            lookup(Service::Elbv2, "ELBSecurityPolicy-TLS13-1-3-2021-06")
                .unwrap()
                .min(),
            Tls13
        );
    }

    #[test]
    fn unknown_names_are_not_guessed() {
        assert!(lookup(Service::Elbv2, "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09").is_none());
        assert!(lookup(Service::Elbv2, "elbsecuritypolicy-2016-08").is_none());
        assert!(lookup(Service::ApiGateway, "SecurityPolicy_TLS13_1_2_2021_06").is_none());
    }

    #[test]
    fn cloudfront_order_and_floors() {
        let r = |n| cloudfront_rank(n).unwrap();
        assert!(r("TLSv1.2_2019") < r(CLOUDFRONT_MINIMUM));
        assert!(r("TLSv1.2_2025") > r(CLOUDFRONT_MINIMUM));
        assert_eq!(
            lookup(Service::CloudFront, "TLSv1.1_2016").unwrap().min(),
            Tls11
        );
        assert_eq!(lookup(Service::CloudFront, "SSLv3").unwrap().min(), Ssl3);
        assert_eq!(
            lookup(Service::CloudFront, "TLSv1.3_2025")
                .unwrap()
                .protocols,
            &[Tls13]
        );
    }

    #[test]
    fn every_row_is_sourced_sorted_and_unique() {
        let rows: Vec<_> = all().collect();
        for r in &rows {
            assert!(r.source.starts_with("https://"), "{}", r.name);
            assert!(!r.protocols.is_empty(), "{}", r.name);
            assert!(r.protocols.windows(2).all(|w| w[0] < w[1]), "{}", r.name);
            let same = rows
                .iter()
                .filter(|o| o.name == r.name && o.service == r.service)
                .count();
            assert_eq!(same, 1, "{} listed twice", r.name);
        }
        assert!(rows.len() >= 45);
    }

    #[test]
    fn other_services() {
        assert!(lookup(Service::ApiGateway, "TLS_1_0")
            .unwrap()
            .allows(Tls10));
        assert_eq!(lookup(Service::ApiGateway, "TLS_1_2").unwrap().min(), Tls12);
        assert!(lookup(Service::OpenSearch, "Policy-Min-TLS-1-0-2019-07")
            .unwrap()
            .allows_below_tls12());
        assert!(
            !lookup(Service::OpenSearch, "Policy-Min-TLS-1-2-PFS-2023-10")
                .unwrap()
                .allows_below_tls12()
        );
        assert_eq!(
            lookup(Service::ElbClassic, "ELBSecurityPolicy-TLS-1-1-2017-01")
                .unwrap()
                .min(),
            Tls11
        );
        assert_eq!(Protocol::parse_aws("Protocol-TLSv1.1"), Some(Tls11));
        assert_eq!(Protocol::parse_aws("TLSv1"), Some(Tls10));
    }
}
