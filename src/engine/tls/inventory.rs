//! The endpoints and certificates the seed's metrics count, each with whether it meets
//! the target.
//!
//! External endpoints (TLS 1.2+ on all external endpoints):
//! - ALB/NLB listeners of load balancers that are not `internal = true` (a listener whose
//!   load balancer isn't in the input counts as external): an HTTPS/TLS listener passes
//!   when its policy accepts nothing below TLS 1.2; an HTTP listener passes only when its
//!   default action redirects to HTTPS (it then carries no data), and fails when it serves
//!   plain HTTP. TCP/UDP listeners are not HTTP endpoints and are not counted.
//! - Classic ELBs that are not internal: pass when no listener serves plain HTTP and every
//!   HTTPS/SSL listener's negotiation policy accepts nothing below TLS 1.2.
//! - CloudFront distributions: pass when the effective minimum (TLSv1 with the default
//!   certificate) is TLS 1.2+ and no cache behaviour allows plain HTTP.
//! - API Gateway custom domain names (not private ones): pass when the security policy
//!   accepts nothing below TLS 1.2.
//!
//! Anything that can't be read (an unknown policy name, a value known only after apply)
//! counts as not meeting the target: the metric shows what is confirmed.
//!
//! Certificates (ACM certificates expiring in more than 30 days, or auto-renewing): every
//! `aws_acm_certificate` and `aws_iam_server_certificate`. A certificate passes with an
//! expiry more than 30 days after "now" (the plan's timestamp, else today); without a known
//! expiry, ACM-issued DNS-validated or private-CA certificates pass (ACM renews them) and
//! the rest fail. The seed's metric is literally "expiry > 30 days": an auto-renewing
//! certificate under 30 days fails it, since its renewal has failed.

use super::certs;
use super::classic;
use super::dates;
use super::endpoints::{self, DefaultAction, Listener, Resolved};
use super::policies::Protocol;
use crate::engine::model::{Action, Lookup, Mode, Model, Resource};
use crate::engine::Options;

/// Days before expiry below which a certificate fails (Security Hub ACM.1's default).
pub const EXPIRY_DAYS: i64 = 30;

/// A managed resource that exists after the plan.
pub fn live(r: &Resource) -> bool {
    r.mode == Mode::Managed && !matches!(r.action, Some(Action::Delete | Action::Read))
}

/// The load balancer a listener belongs to, when the input has it.
pub fn load_balancer_of<'m>(model: &'m Model, listener: &Resource) -> Option<&'m Resource> {
    let by_ref = listener
        .refs("load_balancer_arn")
        .iter()
        .flat_map(|a| model.resolve(a))
        .find(|r| matches!(r.rtype.as_str(), "aws_lb" | "aws_alb"));
    by_ref.or_else(|| {
        let arn = listener.get_str("load_balancer_arn")?;
        model.resources.iter().find(|r| {
            matches!(r.rtype.as_str(), "aws_lb" | "aws_alb") && r.get_str("arn") == Some(arn)
        })
    })
}

/// What an absent `protocol` means for a listener: HTTP on an ALB, TCP on an NLB.
pub fn default_protocol(lb: Option<&Resource>) -> &'static str {
    match lb.and_then(|l| l.get_str("load_balancer_type")) {
        Some("network") => "TCP",
        Some("gateway") => "GENEVE",
        _ => "HTTP",
    }
}

fn internal(r: Option<&Resource>) -> bool {
    r.and_then(|r| r.get_bool("internal")) == Some(true)
}

fn tls12(r: &Resolved) -> bool {
    r.min().is_some_and(|m| m >= Protocol::Tls12)
}

pub fn external_endpoints(model: &Model) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for r in model.resources.iter().filter(|r| live(r)) {
        let ok = match r.rtype.as_str() {
            "aws_lb_listener" | "aws_alb_listener" => {
                let lb = load_balancer_of(model, r);
                if internal(lb) {
                    continue;
                }
                match endpoints::lb_listener(&r.values, default_protocol(lb)) {
                    Listener::Tls { policy, .. } => tls12(&policy),
                    Listener::Http(DefaultAction::RedirectToHttps { .. }) => true,
                    Listener::Http(_) | Listener::NotKnowable(_) => false,
                    Listener::Other(_) => continue,
                }
            }
            "aws_elb" => {
                if internal(Some(r)) {
                    continue;
                }
                let listeners = classic::listeners(model, r);
                let web: Vec<_> = listeners
                    .iter()
                    .filter(|l| matches!(l.protocol.as_str(), "http" | "https" | "ssl"))
                    .collect();
                if web.is_empty() {
                    continue;
                }
                web.iter().all(|l| match &l.policy {
                    Some((p, _)) => tls12(p),
                    None => false,
                })
            }
            "aws_cloudfront_distribution" => {
                let viewer = endpoints::cloudfront_viewer(&r.values);
                let plain = endpoints::cloudfront_behaviours(&r.values)
                    .iter()
                    .any(|(_, p)| p.as_deref() == Some("allow-all"));
                tls12(&viewer.effective) && !plain
            }
            "aws_api_gateway_domain_name" | "aws_apigatewayv2_domain_name" => {
                if matches!(r.get("endpoint_configuration.0.types"), Lookup::Known(v) if v.as_list().is_some_and(|l| l.iter().any(|t| t.as_str() == Some("PRIVATE"))))
                {
                    continue;
                }
                tls12(&endpoints::api_gateway(&r.rtype, &r.values).1)
            }
            _ => continue,
        };
        out.push((r.address.clone(), ok));
    }
    out
}

pub fn certificates(model: &Model, options: &Options) -> Vec<(String, bool)> {
    let now = certs::now(model, options).map(|n| n.0);
    model
        .resources
        .iter()
        .filter(|r| live(r))
        .filter_map(|r| {
            let kind = certs::kind(r)?;
            // A known expiry decides, for every kind: an auto-renewing certificate under 30
            // days is one whose renewal failed (CRT005). Without one, only ACM's renewal does.
            let ok = match (now, certs::expiry(model, r)) {
                (Some(now), Some((then, ..))) => dates::days_until(now, then) > EXPIRY_DAYS,
                _ => kind.auto_renews(),
            };
            Some((r.address.clone(), ok))
        })
        .collect()
}
