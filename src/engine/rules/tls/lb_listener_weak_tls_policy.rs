use crate::declare_rule;
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::tls::classic;
use crate::engine::tls::inventory::{default_protocol, live, load_balancer_of};
use crate::engine::tls::{endpoints, policies, Protocol, Resolved};

declare_rule! {
    /// ## What it does
    /// Flags an HTTPS or TLS listener of an Application, Network or Classic Load Balancer
    /// whose security policy accepts TLS 1.0 or TLS 1.1. A listener without `ssl_policy`
    /// gets AWS's default, `ELBSecurityPolicy-2016-08`, which accepts both. The decision
    /// comes from planlens's table of AWS's predefined policies, never from the policy's
    /// name; a policy the table doesn't know is reported as unknown (at medium severity)
    /// rather than passed.
    ///
    /// Classic Load Balancers (`aws_elb`) are read with their SSL negotiation policy:
    /// `aws_lb_ssl_negotiation_policy`, or an `aws_load_balancer_policy` attached with
    /// `aws_load_balancer_listener_policy` (its `Reference-Security-Policy`, or its
    /// `Protocol-*` switches); without one, the default `ELBSecurityPolicy-2016-08` applies.
    ///
    /// checkov's CKV_AWS_103 decides by name prefix (`ELBSecurityPolicy-FS-1-2*`,
    /// `ELBSecurityPolicy-TLS-1-2*`): it fails every TLS 1.3 policy, including the ones AWS
    /// recommends, and a prefix can't tell `…-TLS13-1-2-…` (TLS 1.2+) from `…-TLS13-1-1-…`
    /// (TLS 1.1+). planlens reads the protocols from the table instead.
    ///
    /// ## Why is this bad?
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and CBC constructions
    /// with known attacks, and any client that still offers them can be downgraded. The seed
    /// prohibits "policies that allow TLS 1.0 or 1.1"; every current client speaks TLS 1.2.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   load_balancer_arn = aws_lb.main.arn
    ///   port              = 443
    ///   protocol          = "HTTPS"
    ///   ssl_policy        = "ELBSecurityPolicy-TLS13-1-1-2021-06" # accepts TLS 1.1
    ///   certificate_arn   = aws_acm_certificate.main.arn
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   load_balancer_arn = aws_lb.main.arn
    ///   port              = 443
    ///   protocol          = "HTTPS"
    ///   ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    ///   certificate_arn   = aws_acm_certificate.main.arn
    /// }
    /// ```
    ///
    /// ## Where the seed is wrong
    /// The seed lists `ELBSecurityPolicy-2016-08` as the acceptable minimum, "TLS 1.2 only".
    /// AWS documents it as accepting TLS 1.0, TLS 1.1 and TLS 1.2 (the "Protocols by policy"
    /// table of the Application Load Balancer guide), so it fails this rule, and so does a
    /// listener that omits `ssl_policy`, because the API then applies exactly that policy.
    ///
    /// ## References
    /// - [Security policies for your Application Load Balancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)
    /// - [Security policies for your Network Load Balancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html)
    /// - [Predefined SSL security policies for Classic Load Balancers](https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-security-policy-table.html)
    /// - [RFC 8996: Deprecating TLS 1.0 and TLS 1.1](https://www.rfc-editor.org/rfc/rfc8996)
    /// - [Security Hub ELB.17](https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-17)
    id: "TLS001", name: "lb-listener-weak-tls-policy", severity: High, control: InTransit,
    resource_types: ["aws_lb_listener", "aws_alb_listener", "aws_elb"],
    peers: [
        Checkov "CKV_AWS_103",
        Tfsec "aws-elb-use-secure-tls-policy",
        Trivy "AVD-AWS-0047",
        Kics "126c1788-23c2-4a10-906c-ef179f4f96ec",
        SecurityHub "ELB.17",
        SecurityHub "ELB.8",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        match r.rtype.as_str() {
            "aws_lb_listener" | "aws_alb_listener" => {
                let lb = load_balancer_of(cx.model, r);
                if let endpoints::Listener::Tls { policy, protocol } =
                    endpoints::lb_listener(&r.values, default_protocol(lb))
                {
                    let what = format!("{protocol} listener {}", r.address);
                    if let Some((msg, sev, ev)) = judge(&what, "ssl_policy", &policy) {
                        cx.finding(&RULE, r, "ssl_policy", msg)
                            .severity(sev)
                            .evidence(ev)
                            .push(out);
                    }
                }
            }
            "aws_elb" => {
                for l in classic::listeners(cx.model, r) {
                    let Some((policy, companion)) = &l.policy else {
                        continue;
                    };
                    let port = l.port.map(|p| format!(" on port {p}")).unwrap_or_default();
                    let what = format!(
                        "{} listener{port} of {}",
                        l.protocol.to_uppercase(),
                        r.address
                    );
                    let Some((msg, sev, ev)) = judge(&what, "its SSL negotiation policy", policy)
                    else {
                        continue;
                    };
                    let companion = companion.as_deref().and_then(|c| cx.model.get(c));
                    let b = cx.finding(&RULE, r, &l.path, msg).severity(sev);
                    let b = match companion {
                        Some(c) if c.rtype == "aws_lb_ssl_negotiation_policy" => {
                            b.decided_in(c, "attribute")
                        }
                        Some(c) => b.decided_in(c, "policy_attribute"),
                        None => b,
                    };
                    b.evidence(ev).push(out);
                }
            }
            _ => {}
        }
    }
}

/// The message, severity and evidence for a policy that accepts TLS below 1.2 (or that the
/// table doesn't know); `None` when it is fine or can't be read.
fn judge(
    what: &str,
    setting: &str,
    policy: &Resolved,
) -> Option<(String, Severity, serde_json::Value)> {
    let protocols: Vec<Protocol> = policy
        .protocols()
        .map(<[Protocol]>::to_vec)
        .unwrap_or_default();
    match policy {
        Resolved::Known { policy: p, defaulted } if p.allows_below_tls12() => {
            let msg = if *defaulted {
                format!(
                    "The {what} sets no security policy, so AWS applies {}, which accepts {}.",
                    p.name,
                    policy.describe()
                )
            } else {
                format!("The {what} uses {}, which accepts {}.", p.name, policy.describe())
            };
            Some((
                msg,
                RULE.severity,
                serde_json::json!({"policy": p.name, "defaulted": defaulted, "protocols": protocols, "source": p.source}),
            ))
        }
        Resolved::Custom(p) if p.iter().min().is_some_and(|m| *m < Protocol::Tls12) => Some((
            format!("The {what} uses a custom SSL negotiation policy that enables {}.", policy.describe()),
            RULE.severity,
            serde_json::json!({"policy": "custom", "protocols": protocols}),
        )),
        Resolved::UnknownName(name) => Some((
            format!(
                "The {what} uses {setting} {name:?}, which is not a predefined policy planlens knows; it cannot confirm the policy refuses TLS 1.0 and 1.1 (see `aws elbv2 describe-ssl-policies`)."
            ),
            Severity::Medium,
            serde_json::json!({"policy": name, "known": false, "table": policies::ALB_DOC}),
        )),
        _ => None,
    }
}
