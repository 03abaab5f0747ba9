//! A hand-built report for the view tests: the views are tested against the engine's
//! types, independent of which stores and rules the engine reads today.

use std::collections::BTreeMap;

use crate::engine::category::{Category, CategorySource, Level};
use crate::engine::metrics::Metric;
use crate::engine::report::{InputSummary, ResourceSummary, ToolInfo};
use crate::engine::rules::{Finding, Severity, Suppressed};
use crate::engine::stores::{DataStore, Key, KeyKind, MissingKey, PolicyVerdict, ProviderNode};
use crate::engine::Report;

pub fn store(
    address: &str,
    service: &str,
    category: Option<Category>,
    level: Level,
    key: Option<&str>,
) -> DataStore {
    DataStore {
        address: address.into(),
        part: None,
        rtype: format!("aws_{service}_thing"),
        service: service.into(),
        category,
        category_source: if category.is_some() {
            CategorySource::Tag
        } else {
            CategorySource::Unclassified
        },
        category_evidence: None,
        level,
        key: key.map(str::to_string),
        decided_by: None,
        provider: "aws".into(),
    }
}

pub fn cmk(id: &str, alias: Option<&str>, category: Option<Category>, stores: &[&str]) -> Key {
    Key {
        address: Some(id.into()),
        alias: alias.map(str::to_string),
        category,
        rotation: Some(true),
        deletion_window: Some(30),
        policy: Some(PolicyVerdict::Ok),
        ..pseudo(id, KeyKind::Cmk, stores)
    }
}

pub fn pseudo(id: &str, kind: KeyKind, stores: &[&str]) -> Key {
    Key {
        stores: stores.iter().map(|s| s.to_string()).collect(),
        ..Key::new(id, kind, "aws")
    }
}

pub fn finding(
    rule: &str,
    severity: Severity,
    address: Option<&str>,
    category: Option<Category>,
    message: &str,
) -> Finding {
    Finding {
        rule: rule.into(),
        name: format!("{}-name", rule.to_ascii_lowercase()),
        severity,
        address: address.map(str::to_string),
        attribute: None,
        category,
        message: message.into(),
        evidence: serde_json::Value::Null,
        file: Some("main.tf".into()),
        line: Some(1),
        pointer: None,
        introduced: None,
        suppressed: None,
        related: Vec::new(),
        decided_by: None,
        fix: None,
    }
}

pub fn resource(address: &str, rtype: &str) -> ResourceSummary {
    ResourceSummary {
        address: address.into(),
        rtype: rtype.into(),
        provider: "aws".into(),
        action: None,
        file: Some("main.tf".into()),
        line: Some(1),
    }
}

pub fn empty() -> Report {
    Report {
        tool: ToolInfo {
            name: "planlens".into(),
            version: "0".into(),
        },
        input: InputSummary::default(),
        findings: Vec::new(),
        resources: Vec::new(),
        stores: Vec::new(),
        keys: Vec::new(),
        providers: Vec::new(),
        missing_keys: Vec::new(),
        metrics: BTreeMap::new(),
        baseline: None,
        access: Vec::new(),
        decryptors: BTreeMap::new(),
        access_gaps: Vec::new(),
    }
}

/// A small account: a PII bucket and RDS on cmk-pii, a financial table on the same key
/// (shared across categories), a log group on the AWS-managed key (below its minimum),
/// a public bucket on SSE-S3, an unclassified unencrypted queue, no cmk-logs.
pub fn report() -> Report {
    let mut r = empty();
    r.providers = vec![ProviderNode {
        key: "aws".into(),
        region: Some("eu-central-1".into()),
        ebs_default_encryption: false,
    }];
    r.stores = vec![
        store(
            "aws_s3_bucket.customers",
            "s3",
            Some(Category::Pii),
            Level::Cmk,
            Some("aws_kms_key.pii"),
        ),
        store(
            "aws_db_instance.users",
            "rds",
            Some(Category::Pii),
            Level::CmkRecommended,
            Some("aws_kms_key.pii"),
        ),
        store(
            "aws_dynamodb_table.payments",
            "dynamodb",
            Some(Category::Financial),
            Level::Cmk,
            Some("aws_kms_key.pii"),
        ),
        store(
            "aws_cloudwatch_log_group.app",
            "logs",
            Some(Category::Logs),
            Level::AwsManaged,
            Some("aws-managed:alias/aws/logs"),
        ),
        store(
            "aws_s3_bucket.site",
            "s3",
            Some(Category::Public),
            Level::ProviderOwned,
            Some("provider-owned:s3"),
        ),
        store("aws_sqs_queue.jobs", "sqs", None, Level::None, None),
    ];
    r.keys = vec![
        cmk(
            "aws_kms_key.pii",
            Some("alias/cmk-pii"),
            Some(Category::Pii),
            &[
                "aws_s3_bucket.customers",
                "aws_db_instance.users",
                "aws_dynamodb_table.payments",
            ],
        ),
        pseudo(
            "aws-managed:alias/aws/logs",
            KeyKind::AwsManaged,
            &["aws_cloudwatch_log_group.app"],
        ),
        pseudo(
            "provider-owned:s3",
            KeyKind::ProviderOwned,
            &["aws_s3_bucket.site"],
        ),
    ];
    r.missing_keys = vec![
        MissingKey {
            provider: "aws".into(),
            category: Category::Financial,
            alias: "alias/cmk-financial".into(),
        },
        MissingKey {
            provider: "aws".into(),
            category: Category::Logs,
            alias: "alias/cmk-logs".into(),
        },
    ];
    r.resources = vec![
        resource("aws_kms_key.pii", "aws_kms_key"),
        resource("aws_s3_bucket.customers", "aws_s3_bucket"),
        resource("aws_db_instance.users", "aws_db_instance"),
        resource("aws_dynamodb_table.payments", "aws_dynamodb_table"),
        resource("aws_cloudwatch_log_group.app", "aws_cloudwatch_log_group"),
        resource("aws_s3_bucket.site", "aws_s3_bucket"),
        resource("aws_sqs_queue.jobs", "aws_sqs_queue"),
        resource("aws_lb_listener.http", "aws_lb_listener"),
    ];
    let mut logs = finding(
        "ENC001",
        Severity::High,
        Some("aws_cloudwatch_log_group.app"),
        Some(Category::Logs),
        "Log group aws_cloudwatch_log_group.app uses the AWS-managed key.",
    );
    logs.introduced = Some(true);
    let mut shared = finding(
        "KMS005",
        Severity::Medium,
        Some("aws_kms_key.pii"),
        None,
        "Key aws_kms_key.pii protects pii and financial stores.",
    );
    shared.introduced = Some(false);
    let mut tls = finding(
        "TLS003",
        Severity::Medium,
        Some("aws_lb_listener.http"),
        None,
        "Listener aws_lb_listener.http serves plain HTTP.",
    );
    tls.introduced = Some(true);
    let mut unclassified = finding(
        "ENC003",
        Severity::Low,
        Some("aws_sqs_queue.jobs"),
        None,
        "Queue aws_sqs_queue.jobs has no data-class tag.",
    );
    unclassified.suppressed = Some(Suppressed {
        reason: "scratch queue".into(),
        by: "list".into(),
    });
    let ebs = finding(
        "EBS001",
        Severity::High,
        None,
        None,
        "Provider aws has no EBS default encryption.",
    );
    let mut unencrypted = finding(
        "ENC001",
        Severity::Critical,
        Some("aws_sqs_queue.jobs"),
        None,
        "Queue aws_sqs_queue.jobs is not encrypted.",
    );
    unencrypted.introduced = Some(false);
    r.findings = vec![unencrypted, logs, ebs, shared, tls, unclassified];
    r.metrics.insert(
        "pii_financial_cmk".into(),
        Metric {
            numerator: 3,
            denominator: 3,
            addresses: vec![
                "aws_s3_bucket.customers".into(),
                "aws_db_instance.users".into(),
                "aws_dynamodb_table.payments".into(),
            ],
            failing: vec![],
        },
    );
    r.metrics.insert(
        "ebs_default_encryption".into(),
        Metric {
            numerator: 0,
            denominator: 1,
            addresses: vec!["aws".into()],
            failing: vec!["aws".into()],
        },
    );
    r
}
