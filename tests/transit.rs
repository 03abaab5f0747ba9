//! Encryption in transit, certificates and plan changes, end to end: the built-in example
//! plan, the seed's own snippets, and the metrics they produce.

use std::collections::BTreeSet;

use planlens::engine::{check, Options, Report, SourceFile};

const FAMILIES: [&str; 3] = ["TLS", "CRT", "PLN"];

fn run(files: &[(&str, &str)]) -> Report {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(p, t)| SourceFile::new(*p, t.as_bytes().to_vec()))
        .collect();
    let report = check(
        &files,
        &Options {
            now: Some("2026-11-29".into()),
            ..Options::default()
        },
    );
    let errors: Vec<String> = report.errors().map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "input errors: {errors:?}");
    report
}

/// (rule, address) of every transit/certificate/plan finding.
fn ours(report: &Report) -> BTreeSet<(String, String)> {
    report
        .findings
        .iter()
        .filter(|f| FAMILIES.iter().any(|p| f.rule.starts_with(p)))
        .map(|f| (f.rule.clone(), f.address.clone().unwrap_or_default()))
        .collect()
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn example_plan_yields_the_seeds_transit_mistakes() {
    let report = run(&[(planlens::example::NAME, planlens::example::PLAN)]);
    assert_eq!(
        ours(&report),
        set(&[
            ("TLS001", "aws_lb_listener.https"),
            ("TLS003", "aws_lb_listener.http"),
            ("TLS004", "aws_cloudfront_distribution.cdn"),
            ("PLN002", "aws_lb_listener.https"),
        ])
    );
    let find = |rule: &str| {
        report
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("no {rule}"))
    };
    let tls001 = find("TLS001");
    assert!(
        tls001.message.contains("ELBSecurityPolicy-2016-08"),
        "{}",
        tls001.message
    );
    assert!(tls001.message.contains("TLS 1.0"), "{}", tls001.message);
    assert_eq!(tls001.attribute.as_deref(), Some("ssl_policy"));
    // The listener is updated by this plan; the HTTP listener was already there.
    assert_eq!(tls001.introduced, Some(true));
    assert_eq!(find("TLS003").introduced, Some(false));
    let tls004 = find("TLS004");
    assert_eq!(tls004.introduced, Some(true));
    assert!(tls004.message.contains("TLSv1"), "{}", tls004.message);
    let pln002 = find("PLN002");
    assert!(
        pln002
            .message
            .contains("ELBSecurityPolicy-TLS13-1-2-2021-06")
            && pln002.message.contains("ELBSecurityPolicy-2016-08"),
        "{}",
        pln002.message
    );
    assert_eq!(
        pln002.evidence["before"],
        "ELBSecurityPolicy-TLS13-1-2-2021-06"
    );
    assert_eq!(
        pln002.pointer.as_deref(),
        Some("/resource_changes/15/change/after/ssl_policy")
    );
}

#[test]
fn example_plan_metrics() {
    let report = run(&[(planlens::example::NAME, planlens::example::PLAN)]);
    let tls = &report.metrics["tls12_endpoints"];
    // Both listeners of the internet-facing ALB and the distribution on the default
    // certificate: none is on TLS 1.2+.
    assert_eq!((tls.numerator, tls.denominator), (0, 3));
    assert_eq!(
        tls.failing,
        vec![
            "aws_lb_listener.https",
            "aws_lb_listener.http",
            "aws_cloudfront_distribution.cdn"
        ]
    );
    let acm = &report.metrics["acm_expiry"];
    // The DNS-validated ACM certificate renews itself.
    assert_eq!((acm.numerator, acm.denominator), (1, 1));
    assert_eq!(acm.addresses, vec!["aws_acm_certificate.main"]);
}

const SEED_ALB: &str = r#"
resource "aws_lb" "main" {
  name               = "main"
  load_balancer_type = "application"
  internal           = false
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.main.arn
  port              = "443"
  protocol          = "HTTPS"
  # Modern TLS policy: TLS 1.2 and 1.3, strong cipher suites
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.main.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

# HTTP → HTTPS redirect (no plain HTTP!)
resource "aws_lb_listener" "http_redirect" {
  load_balancer_arn = aws_lb.main.arn
  port              = "80"
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
"#;

const SEED_CLOUDFRONT: &str = r#"
resource "aws_cloudfront_distribution" "main" {
  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate.cdn.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021" # No TLS 1.0 or 1.1
  }
}
"#;

const SEED_ACM: &str = r#"
resource "aws_acm_certificate" "main" {
  domain_name               = "*.example.com"
  subject_alternative_names = ["example.com"]
  validation_method         = "DNS"
  lifecycle {
    create_before_destroy = true # Zero-downtime renewal
  }
}

resource "aws_acm_certificate" "cdn" {
  domain_name       = "cdn.example.com"
  validation_method = "DNS"
  lifecycle {
    create_before_destroy = true
  }
}
"#;

#[test]
fn the_seeds_compliant_snippets_pass() {
    let report = run(&[
        ("alb.tf", SEED_ALB),
        ("cloudfront.tf", SEED_CLOUDFRONT),
        ("acm.tf", SEED_ACM),
    ]);
    assert_eq!(ours(&report), BTreeSet::new());
    let tls = &report.metrics["tls12_endpoints"];
    assert_eq!((tls.numerator, tls.denominator), (3, 3), "{tls:?}");
    let acm = &report.metrics["acm_expiry"];
    assert_eq!((acm.numerator, acm.denominator), (2, 2));
}

#[test]
fn the_seeds_minimum_policy_fails() {
    let weakened = SEED_ALB.replace(
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-2016-08",
    );
    let report = run(&[("alb.tf", &weakened)]);
    assert_eq!(ours(&report), set(&[("TLS001", "aws_lb_listener.https")]));
    let f = &report.findings.iter().find(|f| f.rule == "TLS001").unwrap();
    assert_eq!((f.file.as_deref(), f.line), (Some("alb.tf"), Some(13)));
    assert_eq!(f.introduced, None);
    assert_eq!(
        f.evidence["protocols"],
        serde_json::json!(["TLSv1", "TLSv1.1", "TLSv1.2"])
    );

    // Dropping ssl_policy altogether means the same default.
    let omitted: String = SEED_ALB
        .lines()
        .filter(|l| !l.contains("ssl_policy"))
        .collect::<Vec<_>>()
        .join("\n");
    let report = run(&[("alb.tf", &omitted)]);
    assert_eq!(ours(&report), set(&[("TLS001", "aws_lb_listener.https")]));
    let f = report.findings.iter().find(|f| f.rule == "TLS001").unwrap();
    assert!(
        f.message.contains("sets no security policy"),
        "{}",
        f.message
    );
    let tls = &report.metrics["tls12_endpoints"];
    assert_eq!((tls.numerator, tls.denominator), (1, 2));
}

#[test]
fn prefix_lookalike_policies_fail() {
    for policy in [
        "ELBSecurityPolicy-TLS13-1-1-2021-06",
        "ELBSecurityPolicy-TLS13-1-0-2021-06",
        "ELBSecurityPolicy-FS-1-1-2019-08",
    ] {
        let tf = SEED_ALB.replace("ELBSecurityPolicy-TLS13-1-2-2021-06", policy);
        let report = run(&[("alb.tf", &tf)]);
        assert_eq!(
            ours(&report),
            set(&[("TLS001", "aws_lb_listener.https")]),
            "{policy}"
        );
    }
}

fn fixture(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

#[test]
fn a_destroyed_key_is_one_finding_naming_every_store() {
    let plan = fixture("PLN001/bad.plan.json");
    let report = run(&[("plan.json", &plan)]);
    let of = |key: &str| {
        let hits: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == "PLN001" && f.address.as_deref() == Some(key))
            .collect();
        assert_eq!(hits.len(), 1, "{key}: {hits:?}");
        hits[0].clone()
    };
    let replaced = of("aws_kms_key.pii");
    let mut related = replaced.related.clone();
    related.sort();
    assert_eq!(
        related,
        vec![
            "aws_db_instance.customers",
            "aws_dynamodb_table.transactions",
            "aws_ebs_volume.data"
        ]
    );
    assert_eq!(replaced.severity.as_str(), "critical");
    assert_eq!(replaced.introduced, Some(true));
    for store in &related {
        assert!(
            replaced.message.contains(store.as_str()),
            "{}",
            replaced.message
        );
    }
    // Deleted outright, and still named by ARN in the archive bucket's encryption.
    let deleted = of("aws_kms_key.retired");
    assert_eq!(deleted.related, vec!["aws_s3_bucket.audit_archive"]);
    assert_eq!(deleted.introduced, Some(true));
    assert!(deleted.message.contains("deletes"), "{}", deleted.message);
}

#[test]
fn plan_weakenings_say_before_and_after() {
    let plan = fixture("PLN002/bad.plan.json");
    let report = run(&[("plan.json", &plan)]);
    let of = |address: &str| {
        report
            .findings
            .iter()
            .find(|f| f.rule == "PLN002" && f.address.as_deref() == Some(address))
            .unwrap_or_else(|| panic!("no PLN002 on {address}"))
    };
    let bucket = of("aws_s3_bucket.customer_data");
    assert_eq!(
        bucket.decided_by.as_deref(),
        Some("aws_s3_bucket_server_side_encryption_configuration.customer_data")
    );
    assert_eq!(bucket.evidence["after"], "provider-owned");
    let cdn = of("aws_cloudfront_distribution.cdn");
    assert!(cdn.message.contains("TLSv1.2_2021") && cdn.message.contains("TLSv1.2_2019"));
    let listener = of("aws_lb_listener.https");
    assert!(
        listener.message.contains("TLS 1.1 and up"),
        "{}",
        listener.message
    );
    assert_eq!(
        of("aws_kms_key.general").attribute.as_deref(),
        Some("enable_key_rotation")
    );
    assert!(report
        .findings
        .iter()
        .filter(|f| f.rule == "PLN002")
        .all(|f| f.introduced == Some(true)));
}

#[test]
fn expiry_uses_the_plan_timestamp() {
    let plan = fixture("CRT005/bad.plan.json");
    let report = run(&[("plan.json", &plan)]);
    let legacy = report
        .findings
        .iter()
        .find(|f| f.rule == "CRT005" && f.address.as_deref() == Some("aws_acm_certificate.legacy"))
        .unwrap();
    assert_eq!(legacy.evidence["days_left"], 11);
    assert_eq!(legacy.evidence["now"], "the plan's timestamp");
    let acm = &report.metrics["acm_expiry"];
    // fresh has months left; legacy, the IAM certificate and main (DNS-validated, 5 days
    // left: its renewal has failed) fail the seed's "expiry > 30 days".
    assert_eq!((acm.numerator, acm.denominator), (1, 4));
    assert_eq!(
        acm.failing,
        vec![
            "aws_acm_certificate.legacy",
            "aws_iam_server_certificate.web",
            "aws_acm_certificate.main"
        ]
    );
    let main = report
        .findings
        .iter()
        .find(|f| f.rule == "CRT005" && f.address.as_deref() == Some("aws_acm_certificate.main"))
        .unwrap();
    assert!(
        main.message.contains("renewal has failed") && main.message.contains("CNAME"),
        "{}",
        main.message
    );
    // No "now" at all: nothing can be judged, nothing is reported.
    let files = [SourceFile::new(
        "plan.json",
        plan.replace("\"timestamp\"", "\"no_timestamp\""),
    )];
    let silent = check(&files, &Options::default());
    assert!(silent.findings.iter().all(|f| f.rule != "CRT005"));
}

#[test]
fn lifecycle_is_not_judged_on_plans() {
    // The example plan's ACM certificate has no lifecycle in JSON: CRT002 must stay silent.
    let report = run(&[(planlens::example::NAME, planlens::example::PLAN)]);
    assert!(report.findings.iter().all(|f| f.rule != "CRT002"));
    let tf = r#"
resource "aws_acm_certificate" "main" {
  domain_name       = "example.com"
  validation_method = "DNS"
}
"#;
    let report = run(&[("acm.tf", tf)]);
    assert_eq!(
        ours(&report),
        set(&[("CRT002", "aws_acm_certificate.main")])
    );
}

#[test]
fn internal_load_balancers_and_classic_elbs_in_the_endpoint_metric() {
    let tf = r#"
resource "aws_lb" "internal" {
  name     = "internal"
  internal = true
}

resource "aws_lb_listener" "internal_http" {
  load_balancer_arn = aws_lb.internal.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-central-1:111122223333:targetgroup/app/1"
  }
}

resource "aws_elb" "legacy" {
  name               = "legacy"
  availability_zones = ["eu-central-1a"]
  listener {
    instance_port     = 80
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}

resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "api.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-central-1:111122223333:certificate/api"
  security_policy          = "TLS_1_2"
}
"#;
    let report = run(&[("main.tf", tf)]);
    let tls = &report.metrics["tls12_endpoints"];
    // The internal ALB's listener is not external; the classic ELB serves plain HTTP.
    assert_eq!(
        tls.addresses,
        vec!["aws_elb.legacy", "aws_api_gateway_domain_name.api"]
    );
    assert_eq!(tls.failing, vec!["aws_elb.legacy"]);
    // TLS003 still reports the internal listener: plain HTTP inside the VPC is still plain.
    assert_eq!(
        ours(&report),
        set(&[("TLS003", "aws_lb_listener.internal_http")])
    );
}
