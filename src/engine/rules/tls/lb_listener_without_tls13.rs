use crate::declare_rule;
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::inventory::{default_protocol, live, load_balancer_of};
use crate::engine::tls::{endpoints, policies, Protocol, Resolved};

declare_rule! {
    /// ## What it does
    /// Flags an HTTPS or TLS listener of an Application or Network Load Balancer whose
    /// security policy refuses TLS 1.0 and 1.1 but does not offer TLS 1.3 either
    /// (`ELBSecurityPolicy-TLS-1-2-2017-01`, `ELBSecurityPolicy-FS-1-2-Res-2020-10`, …).
    /// Classic Load Balancers have no TLS 1.3 policy and are not flagged.
    ///
    /// ## Why is this bad?
    /// TLS 1.3 removes the negotiable legacy parts of TLS 1.2 (static RSA key exchange, CBC
    /// ciphers, renegotiation), always gives forward secrecy and saves a round trip. The
    /// TLS 1.3 policies stay backwards compatible with TLS 1.2 clients, so moving to one
    /// costs nothing. The seed recommends `ELBSecurityPolicy-TLS13-1-2-2021-06`; Security
    /// Hub ELB.17 accepts only TLS 1.3 policies (the `-Res-` and post-quantum variants).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   load_balancer_arn = aws_lb.main.arn
    ///   port              = 443
    ///   protocol          = "HTTPS"
    ///   ssl_policy        = "ELBSecurityPolicy-TLS-1-2-2017-01"
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
    /// ## References
    /// - [Security policies for your Application Load Balancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)
    /// - [Security Hub ELB.17: listeners should use recommended security policies](https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-17)
    /// - [RFC 8446: TLS 1.3](https://www.rfc-editor.org/rfc/rfc8446)
    id: "TLS002", name: "lb-listener-without-tls13", severity: Low, control: InTransit,
    resource_types: ["aws_lb_listener", "aws_alb_listener"],
    peers: [SecurityHub "ELB.17"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        if !matches!(r.rtype.as_str(), "aws_lb_listener" | "aws_alb_listener") {
            continue;
        }
        let lb = load_balancer_of(cx.model, r);
        let endpoints::Listener::Tls { policy, protocol } =
            endpoints::lb_listener(&r.values, default_protocol(lb))
        else {
            continue;
        };
        let Resolved::Known { policy: p, .. } = policy else {
            continue;
        };
        if p.allows_below_tls12() || p.allows(Protocol::Tls13) {
            continue;
        }
        cx.finding(
            &RULE,
            r,
            "ssl_policy",
            format!(
                "The {protocol} listener {} uses {}, which accepts TLS 1.2 but not TLS 1.3.",
                r.address, p.name
            ),
        )
        .evidence(serde_json::json!({"policy": p.name, "protocols": p.protocols, "source": p.source, "recommended": policies::ELBV2_RECOMMENDED}))
        .push(out);
    }
}
