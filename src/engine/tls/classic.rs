//! Classic Load Balancers (`aws_elb`): which SSL negotiation policy each HTTPS/SSL listener
//! uses. The policy lives in companion resources — `aws_lb_ssl_negotiation_policy`, or an
//! `aws_load_balancer_policy` attached by `aws_load_balancer_listener_policy` — and without
//! one the listener gets AWS's default predefined policy.

use super::endpoints::Resolved;
use super::policies::{self, Protocol, Service};
use crate::engine::model::{Lookup, Model, Resource, Value};

/// One `listener` block of an `aws_elb`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassicListener {
    /// `listener.0`, …
    pub path: String,
    /// Lower-cased `lb_protocol`: http, https, tcp, ssl.
    pub protocol: String,
    pub port: Option<i64>,
    /// For https/ssl listeners: the negotiation policy, and the companion deciding it.
    pub policy: Option<(Resolved, Option<String>)>,
}

pub fn listeners(model: &Model, elb: &Resource) -> Vec<ClassicListener> {
    elb.blocks("listener")
        .map(|(path, block)| {
            let protocol = match block.lookup("lb_protocol") {
                Lookup::Known(v) => v.display().to_ascii_lowercase(),
                _ => String::new(),
            };
            let port = match block.lookup("lb_port") {
                Lookup::Known(v) => v.as_f64().map(|n| n as i64),
                _ => None,
            };
            let policy =
                matches!(protocol.as_str(), "https" | "ssl").then(|| policy_for(model, elb, port));
            ClassicListener {
                path,
                protocol,
                port,
                policy,
            }
        })
        .collect()
}

/// Whether `companion`'s attribute `path` points at `elb` (by reference or by name).
fn points_at(companion: &Resource, path: &str, elb: &Resource) -> bool {
    let cfg = elb.config_address();
    if companion
        .refs(path)
        .iter()
        .any(|r| r == &elb.address || r == &cfg)
    {
        return true;
    }
    let name = elb.get_str("name");
    matches!(companion.get(path), Lookup::Known(v) if v.as_str().is_some() && v.as_str() == name)
}

fn port_of(r: &Resource, path: &str) -> Option<i64> {
    r.get_f64(path).map(|n| n as i64)
}

fn policy_for(model: &Model, elb: &Resource, port: Option<i64>) -> (Resolved, Option<String>) {
    for p in model.of_type("aws_lb_ssl_negotiation_policy") {
        if points_at(p, "load_balancer", elb) && port_of(p, "lb_port") == port {
            return (from_attributes(p, "attribute"), Some(p.address.clone()));
        }
    }
    for lp in model.of_type("aws_load_balancer_listener_policy") {
        if !points_at(lp, "load_balancer_name", elb) || port_of(lp, "load_balancer_port") != port {
            continue;
        }
        let names: Vec<&str> = match lp.get("policy_names") {
            Lookup::Known(Value::List(l)) => l.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let refs = lp.refs("policy_names");
        for policy in model.of_type("aws_load_balancer_policy") {
            let referenced = refs
                .iter()
                .any(|r| r == &policy.address || r == &policy.config_address());
            let named = policy
                .get_str("policy_name")
                .is_some_and(|n| names.contains(&n));
            let ssl = policy.get_str("policy_type_name") == Some("SSLNegotiationPolicyType");
            if (referenced || named) && ssl {
                return (
                    from_attributes(policy, "policy_attribute"),
                    Some(policy.address.clone()),
                );
            }
        }
    }
    (
        match policies::lookup(Service::ElbClassic, policies::CLASSIC_DEFAULT) {
            Some(policy) => Resolved::Known {
                policy,
                defaulted: true,
            },
            None => Resolved::NotSet,
        },
        None,
    )
}

/// Reads `Reference-Security-Policy`, else the `Protocol-*` switches, from name/value blocks.
fn from_attributes(r: &Resource, block: &str) -> Resolved {
    let mut protocols = Vec::new();
    let mut any = false;
    for (_, attr) in r.blocks(block) {
        let name = match attr.lookup("name") {
            Lookup::Known(v) => v.display(),
            Lookup::Unknown(why) => return Resolved::NotKnowable(why.to_string()),
            Lookup::Absent => continue,
        };
        let value = match attr.lookup("value") {
            Lookup::Known(v) => v.display(),
            Lookup::Unknown(why) => return Resolved::NotKnowable(why.to_string()),
            Lookup::Absent => continue,
        };
        if name == "Reference-Security-Policy" {
            return match policies::lookup(Service::ElbClassic, &value) {
                Some(policy) => Resolved::Known {
                    policy,
                    defaulted: false,
                },
                None => Resolved::UnknownName(value),
            };
        }
        if let Some(p) = Protocol::parse_aws(&name) {
            any = true;
            if value.eq_ignore_ascii_case("true") {
                protocols.push(p);
            }
        }
    }
    if any {
        crate::engine::sort::ord(&mut protocols);
        protocols.dedup();
        Resolved::Custom(protocols)
    } else {
        Resolved::NotSet
    }
}
