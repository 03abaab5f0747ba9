use crate::declare_rule;
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::tls::endpoints::{self, DefaultAction, Listener};
use crate::engine::tls::inventory::{default_protocol, live, load_balancer_of};

declare_rule! {
    /// ## What it does
    /// Flags an HTTP listener whose default action does not redirect to HTTPS: it forwards
    /// to a target group, returns a fixed response, or redirects while keeping HTTP. A
    /// redirect with `status_code = "HTTP_302"` is reported at low severity: traffic is
    /// moved to HTTPS, but browsers don't remember a temporary redirect, so every first
    /// request still goes out in plain text.
    ///
    /// `aws_lb_listener_rule` redirects only cover the paths and hosts they match; whatever
    /// they don't match falls through to the default action, so the default action decides.
    ///
    /// ## Why is this bad?
    /// Plain HTTP can be read and altered by anyone on the path: cookies, tokens and form
    /// data travel in the clear. The seed: "HTTP → HTTPS redirect (no plain HTTP!)".
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "http" {
    ///   load_balancer_arn = aws_lb.main.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.app.arn
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_lb_listener" "http" {
    ///   load_balancer_arn = aws_lb.main.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///
    ///   default_action {
    ///     type = "redirect"
    ///     redirect {
    ///       port        = "443"
    ///       protocol    = "HTTPS"
    ///       status_code = "HTTP_301"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Listener rule action types: redirect](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html)
    /// - [Security Hub ELB.1: Application Load Balancer should redirect all HTTP requests to HTTPS](https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1)
    id: "TLS003", name: "lb-http-not-redirected", severity: High, control: InTransit,
    resource_types: ["aws_lb_listener", "aws_alb_listener"],
    peers: [
        Checkov "CKV_AWS_2",
        Tfsec "aws-elb-http-not-used",
        Trivy "AVD-AWS-0054",
        Kics "de7f5e83-da88-4046-871f-ea18504b1d43",
        SecurityHub "ELB.1",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        if !matches!(r.rtype.as_str(), "aws_lb_listener" | "aws_alb_listener") {
            continue;
        }
        let lb = load_balancer_of(cx.model, r);
        let Listener::Http(action) = endpoints::lb_listener(&r.values, default_protocol(lb)) else {
            continue;
        };
        match action {
            DefaultAction::Serves { action } => cx
                .finding(
                    &RULE,
                    r,
                    "default_action",
                    format!(
                        "The HTTP listener {} serves plain HTTP: its default action is {action}, not a redirect to HTTPS.",
                        r.address
                    ),
                )
                .evidence(serde_json::json!({"protocol": "HTTP", "default_action": action}))
                .push(out),
            DefaultAction::RedirectToHttps { status: Some(s) } if s == "HTTP_302" => cx
                .finding(
                    &RULE,
                    r,
                    "default_action.0.redirect.0.status_code",
                    format!(
                        "The HTTP listener {} redirects to HTTPS with a temporary HTTP_302, which browsers don't remember.",
                        r.address
                    ),
                )
                .severity(Severity::Low)
                .push(out),
            _ => {}
        }
    }
}
