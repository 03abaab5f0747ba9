//! Reads what TLS an endpoint accepts from a resource's attribute values: load balancer
//! listeners, CloudFront viewer certificates, API Gateway and OpenSearch domains. Each
//! reader takes the values (not the resource) so a plan's `before` values read the same
//! way as its `after` values.

use super::policies::{self, Protocol, Service, TlsPolicy};
use crate::engine::model::{Lookup, Value};

/// What a policy setting resolves to against the table.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    /// A row of the table; `defaulted` when the setting is absent and AWS's default applies.
    Known {
        policy: &'static TlsPolicy,
        defaulted: bool,
    },
    /// Protocols given one by one (a classic ELB custom SSL negotiation policy).
    Custom(Vec<Protocol>),
    /// A name the table doesn't have.
    UnknownName(String),
    /// Not set, and no default we can name.
    NotSet,
    /// Not known before apply (or depends on something we can't read).
    NotKnowable(String),
}

impl Resolved {
    /// The weakest protocol accepted, when that is known.
    pub fn min(&self) -> Option<Protocol> {
        match self {
            Resolved::Known { policy, .. } => Some(policy.min()),
            Resolved::Custom(p) => p.iter().min().copied(),
            _ => None,
        }
    }

    pub fn protocols(&self) -> Option<&[Protocol]> {
        match self {
            Resolved::Known { policy, .. } => Some(policy.protocols),
            Resolved::Custom(p) => Some(p),
            _ => None,
        }
    }

    /// The name as configured (or defaulted), for messages and evidence.
    pub fn name(&self) -> Option<&str> {
        match self {
            Resolved::Known { policy, .. } => Some(policy.name),
            Resolved::UnknownName(n) => Some(n),
            _ => None,
        }
    }

    pub fn describe(&self) -> String {
        match self.protocols() {
            Some(p) => p.iter().map(|p| p.label()).collect::<Vec<_>>().join(", "),
            None => "unknown protocols".into(),
        }
    }
}

/// Resolves a policy name setting; an absent or empty name falls back to `default`.
pub fn resolve(service: Service, setting: Lookup<'_>, default: Option<&str>) -> Resolved {
    let name = match setting {
        Lookup::Known(v) => match v.as_str() {
            Some(s) if !s.trim().is_empty() => s.trim(),
            Some(_) => return resolve_default(service, default),
            None => return Resolved::UnknownName(v.display()),
        },
        Lookup::Unknown(why) => return Resolved::NotKnowable(why.to_string()),
        Lookup::Absent => return resolve_default(service, default),
    };
    match policies::lookup(service, name) {
        Some(policy) => Resolved::Known {
            policy,
            defaulted: false,
        },
        None => Resolved::UnknownName(name.to_string()),
    }
}

fn resolve_default(service: Service, default: Option<&str>) -> Resolved {
    match default.and_then(|d| policies::lookup(service, d)) {
        Some(policy) => Resolved::Known {
            policy,
            defaulted: true,
        },
        None => Resolved::NotSet,
    }
}

/// An ALB/NLB listener (`aws_lb_listener`, `aws_alb_listener`).
#[derive(Clone, Debug, PartialEq)]
pub enum Listener {
    /// HTTPS or TLS: terminates TLS with this policy.
    Tls {
        protocol: String,
        policy: Resolved,
    },
    /// Plain HTTP, with what its default action does about it.
    Http(DefaultAction),
    /// TCP, UDP, TCP_UDP, GENEVE, QUIC: not an HTTP endpoint, TLS (if any) is the targets'.
    Other(String),
    NotKnowable(String),
}

/// The routing action of an HTTP listener's default action list.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultAction {
    /// A redirect whose protocol is HTTPS; the status code as written (`HTTP_301`).
    RedirectToHttps {
        status: Option<String>,
    },
    /// Anything else: `forward`, `fixed-response`, a redirect that keeps HTTP.
    Serves {
        action: String,
    },
    NotKnowable(String),
}

/// Reads a listener. `default_protocol` is what an absent `protocol` means for its load
/// balancer (HTTP for an ALB, TCP for an NLB).
pub fn lb_listener(values: &Value, default_protocol: &str) -> Listener {
    let protocol = match values.lookup("protocol") {
        Lookup::Known(v) => v.as_str().unwrap_or("").trim().to_ascii_uppercase(),
        Lookup::Absent => default_protocol.to_string(),
        Lookup::Unknown(why) => return Listener::NotKnowable(why.to_string()),
    };
    match protocol.as_str() {
        "HTTPS" | "TLS" => Listener::Tls {
            policy: resolve(
                Service::Elbv2,
                values.lookup("ssl_policy"),
                Some(policies::ELBV2_DEFAULT),
            ),
            protocol,
        },
        "HTTP" => Listener::Http(default_action(values)),
        _ => Listener::Other(protocol),
    }
}

const ROUTING: [&str; 3] = ["forward", "redirect", "fixed-response"];

fn default_action(values: &Value) -> DefaultAction {
    let actions = match values.lookup("default_action") {
        Lookup::Known(Value::List(l)) => l,
        Lookup::Unknown(why) => return DefaultAction::NotKnowable(why.to_string()),
        _ => {
            return DefaultAction::Serves {
                action: "none".into(),
            }
        }
    };
    // Authentication actions come first; the routing action is the one with the highest
    // `order` among forward/redirect/fixed-response (list order when none is given).
    let mut routing: Vec<(f64, usize, &Value)> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let order = match a.lookup("order") {
                Lookup::Known(v) => v.as_f64().unwrap_or(i as f64),
                _ => i as f64,
            };
            (order, i, a)
        })
        .collect();
    crate::engine::sort::by(&mut routing, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut chosen = None;
    for (_, _, a) in &routing {
        match a.lookup("type") {
            Lookup::Known(t) if t.as_str().is_some_and(|t| ROUTING.contains(&t)) => {
                chosen = Some(*a);
                break;
            }
            Lookup::Unknown(why) => return DefaultAction::NotKnowable(why.to_string()),
            _ => {}
        }
    }
    let Some(action) = chosen else {
        return DefaultAction::Serves {
            action: "none".into(),
        };
    };
    let kind = match action.lookup("type") {
        Lookup::Known(v) => v.display(),
        _ => "unknown".into(),
    };
    if kind != "redirect" {
        return DefaultAction::Serves { action: kind };
    }
    match action.lookup("redirect.0.protocol") {
        Lookup::Known(v) if v.as_str().is_some_and(|p| p.eq_ignore_ascii_case("HTTPS")) => {
            DefaultAction::RedirectToHttps {
                status: match action.lookup("redirect.0.status_code") {
                    Lookup::Known(v) => v.as_str().map(str::to_string),
                    _ => None,
                },
            }
        }
        Lookup::Unknown(why) => DefaultAction::NotKnowable(why.to_string()),
        // Absent means `#{protocol}`: the request's own protocol, HTTP here.
        _ => DefaultAction::Serves {
            action: "redirect to HTTP".into(),
        },
    }
}

/// What viewers of a CloudFront distribution can negotiate.
#[derive(Clone, Debug, PartialEq)]
pub struct Viewer {
    pub default_certificate: bool,
    pub has_aliases: bool,
    /// `minimum_protocol_version` as configured (absent: the provider's `TLSv1`).
    pub configured: Resolved,
    /// What applies: `TLSv1` whenever the default certificate is used.
    pub effective: Resolved,
}

/// The Terraform provider's default for `minimum_protocol_version`.
pub const CLOUDFRONT_PROVIDER_DEFAULT: &str = "TLSv1";

pub fn cloudfront_viewer(values: &Value) -> Viewer {
    let default_certificate = matches!(
        values.lookup("viewer_certificate.0.cloudfront_default_certificate"),
        Lookup::Known(v) if v.as_bool() == Some(true)
    );
    let has_aliases = matches!(
        values.lookup("aliases"),
        Lookup::Known(Value::List(l)) if !l.is_empty()
    ) || matches!(values.lookup("aliases"), Lookup::Unknown(_));
    let configured = resolve(
        Service::CloudFront,
        values.lookup("viewer_certificate.0.minimum_protocol_version"),
        Some(CLOUDFRONT_PROVIDER_DEFAULT),
    );
    let effective = if default_certificate {
        resolve(
            Service::CloudFront,
            Lookup::Known(&Value::String("TLSv1".into())),
            None,
        )
    } else {
        configured.clone()
    };
    Viewer {
        default_certificate,
        has_aliases,
        configured,
        effective,
    }
}

/// `viewer_protocol_policy` of the default and every ordered cache behaviour, with their
/// attribute paths.
pub fn cloudfront_behaviours(values: &Value) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for block in ["default_cache_behavior", "ordered_cache_behavior"] {
        if let Lookup::Known(Value::List(l)) = values.lookup(block) {
            for (i, b) in l.iter().enumerate() {
                let policy = match b.lookup("viewer_protocol_policy") {
                    Lookup::Known(v) => v.as_str().map(str::to_string),
                    _ => None,
                };
                out.push((format!("{block}.{i}.viewer_protocol_policy"), policy));
            }
        }
    }
    out
}

/// The security policy of an API Gateway custom domain name, v1 or v2.
pub fn api_gateway(rtype: &str, values: &Value) -> (String, Resolved) {
    let path = if rtype == "aws_apigatewayv2_domain_name" {
        "domain_name_configuration.0.security_policy"
    } else {
        "security_policy"
    };
    (
        path.to_string(),
        resolve(Service::ApiGateway, values.lookup(path), None),
    )
}

pub const OPENSEARCH_POLICY: &str = "domain_endpoint_options.0.tls_security_policy";
pub const OPENSEARCH_ENFORCE_HTTPS: &str = "domain_endpoint_options.0.enforce_https";

pub fn opensearch(values: &Value) -> Resolved {
    resolve(Service::OpenSearch, values.lookup(OPENSEARCH_POLICY), None)
}

/// How strong an endpoint's TLS is, for "did the plan make it weaker" comparisons:
/// plaintext below any protocol, then the weakest protocol, then (CloudFront only) the
/// policy's position in AWS's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Strength {
    pub min: Option<Protocol>,
    pub rank: usize,
}

/// The strength of an endpoint resource's TLS, with the attribute that decides it; `None`
/// when it isn't an endpoint or can't be read.
pub fn strength(rtype: &str, values: &Value) -> Option<(&'static str, Strength, String)> {
    match rtype {
        "aws_lb_listener" | "aws_alb_listener" => match lb_listener(values, "HTTP") {
            Listener::Tls { policy, .. } => {
                let min = policy.min()?;
                let label = policy.name().unwrap_or("").to_string();
                Some((
                    "ssl_policy",
                    Strength {
                        min: Some(min),
                        rank: 0,
                    },
                    label,
                ))
            }
            Listener::Http(DefaultAction::Serves { .. }) => {
                Some(("protocol", Strength { min: None, rank: 0 }, "HTTP".into()))
            }
            _ => None,
        },
        "aws_cloudfront_distribution" => {
            let v = cloudfront_viewer(values);
            let name = v.effective.name()?.to_string();
            let rank = policies::cloudfront_rank(&name)?;
            Some((
                "viewer_certificate.0.minimum_protocol_version",
                Strength {
                    min: v.effective.min(),
                    rank,
                },
                if v.default_certificate {
                    format!("{name} (default certificate)")
                } else {
                    name
                },
            ))
        }
        "aws_api_gateway_domain_name" | "aws_apigatewayv2_domain_name" => {
            let (_, r) = api_gateway(rtype, values);
            let path = if rtype == "aws_apigatewayv2_domain_name" {
                "domain_name_configuration.0.security_policy"
            } else {
                "security_policy"
            };
            Some((
                path,
                Strength {
                    min: Some(r.min()?),
                    rank: 0,
                },
                r.name()?.to_string(),
            ))
        }
        "aws_opensearch_domain" | "aws_elasticsearch_domain" => {
            let r = opensearch(values);
            Some((
                OPENSEARCH_POLICY,
                Strength {
                    min: Some(r.min()?),
                    rank: 0,
                },
                r.name()?.to_string(),
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(j: serde_json::Value) -> Value {
        Value::from_json(j)
    }

    #[test]
    fn missing_ssl_policy_is_the_2016_default() {
        let l = lb_listener(&v(json!({"protocol": "HTTPS"})), "HTTP");
        let Listener::Tls { policy, .. } = l else {
            panic!("{l:?}")
        };
        assert_eq!(policy.name(), Some("ELBSecurityPolicy-2016-08"));
        assert!(matches!(
            policy,
            Resolved::Known {
                defaulted: true,
                ..
            }
        ));
        assert_eq!(policy.min(), Some(Protocol::Tls10));
        // Plans record an unset policy as "".
        let l = lb_listener(&v(json!({"protocol": "TLS", "ssl_policy": ""})), "TCP");
        assert!(matches!(
            l,
            Listener::Tls {
                policy: Resolved::Known {
                    defaulted: true,
                    ..
                },
                ..
            }
        ));
    }

    #[test]
    fn unknown_and_unknowable_policies() {
        let l = lb_listener(
            &v(json!({"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-Made-Up"})),
            "HTTP",
        );
        assert!(matches!(
            l,
            Listener::Tls {
                policy: Resolved::UnknownName(_),
                ..
            }
        ));
        let mut vals = v(json!({"protocol": "HTTPS"}));
        if let Value::Map(m) = &mut vals {
            m.insert(
                "ssl_policy".into(),
                Value::unknown("var.policy has no value"),
            );
        }
        assert!(matches!(
            lb_listener(&vals, "HTTP"),
            Listener::Tls {
                policy: Resolved::NotKnowable(_),
                ..
            }
        ));
    }

    #[test]
    fn http_default_actions() {
        let redirect = json!({"protocol": "HTTP", "default_action": [
            {"type": "redirect", "redirect": [{"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}]}]});
        assert_eq!(
            lb_listener(&v(redirect), "HTTP"),
            Listener::Http(DefaultAction::RedirectToHttps {
                status: Some("HTTP_301".into())
            })
        );
        let forward =
            json!({"port": 80, "default_action": [{"type": "forward", "target_group_arn": "x"}]});
        assert_eq!(
            lb_listener(&v(forward), "HTTP"),
            Listener::Http(DefaultAction::Serves {
                action: "forward".into()
            })
        );
        let keeps_http = json!({"protocol": "HTTP", "default_action": [{"type": "redirect", "redirect": [{"port": "8080"}]}]});
        assert!(matches!(
            lb_listener(&v(keeps_http), "HTTP"),
            Listener::Http(DefaultAction::Serves { .. })
        ));
        let authenticated = json!({"protocol": "HTTP", "default_action": [
            {"type": "redirect", "order": 2, "redirect": [{"protocol": "HTTPS"}]},
            {"type": "authenticate-oidc", "order": 1}]});
        assert!(matches!(
            lb_listener(&v(authenticated), "HTTP"),
            Listener::Http(DefaultAction::RedirectToHttps { status: None })
        ));
        assert_eq!(
            lb_listener(&v(json!({"protocol": "TCP"})), "HTTP"),
            Listener::Other("TCP".into())
        );
    }

    #[test]
    fn cloudfront_default_certificate_forces_tlsv1() {
        let vw = cloudfront_viewer(&v(
            json!({"aliases": ["www.example.com"], "viewer_certificate": [
            {"cloudfront_default_certificate": true, "minimum_protocol_version": "TLSv1.2_2021"}]}),
        ));
        assert!(vw.default_certificate && vw.has_aliases);
        assert_eq!(vw.configured.name(), Some("TLSv1.2_2021"));
        assert_eq!(vw.effective.name(), Some("TLSv1"));
        assert_eq!(vw.effective.min(), Some(Protocol::Tls10));
        let absent = cloudfront_viewer(&v(
            json!({"viewer_certificate": [{"acm_certificate_arn": "arn"}]}),
        ));
        assert_eq!(absent.effective.name(), Some("TLSv1"));
        assert!(matches!(
            absent.configured,
            Resolved::Known {
                defaulted: true,
                ..
            }
        ));
    }

    #[test]
    fn strengths_order() {
        let s = |t: &str, j| strength(t, &v(j)).map(|x| x.1);
        let tls13 = s(
            "aws_lb_listener",
            json!({"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
        );
        let old = s(
            "aws_lb_listener",
            json!({"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08"}),
        );
        let http = s(
            "aws_lb_listener",
            json!({"protocol": "HTTP", "default_action": [{"type": "forward"}]}),
        );
        assert!(old < tls13);
        assert!(http < old);
        let cf = |p: &str| {
            s(
                "aws_cloudfront_distribution",
                json!({"viewer_certificate": [{"minimum_protocol_version": p}]}),
            )
        };
        assert!(cf("TLSv1.2_2019") < cf("TLSv1.2_2021"));
        assert!(cf("TLSv1") < cf("TLSv1.2_2018"));
        assert_eq!(
            s(
                "aws_lb_listener",
                json!({"protocol": "HTTPS", "ssl_policy": "Nope"})
            ),
            None
        );
    }

    #[test]
    fn api_gateway_and_opensearch() {
        let (path, r) = api_gateway(
            "aws_apigatewayv2_domain_name",
            &v(json!({
            "domain_name_configuration": [{"security_policy": "TLS_1_2"}]})),
        );
        assert_eq!(path, "domain_name_configuration.0.security_policy");
        assert_eq!(r.min(), Some(Protocol::Tls12));
        let (_, r) = api_gateway("aws_api_gateway_domain_name", &v(json!({})));
        assert_eq!(r, Resolved::NotSet);
        let r = opensearch(&v(
            json!({"domain_endpoint_options": [{"tls_security_policy": "Policy-Min-TLS-1-0-2019-07"}]}),
        ));
        assert_eq!(r.min(), Some(Protocol::Tls10));
    }
}
