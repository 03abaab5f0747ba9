//! Encryption at rest end to end: data stores, categories, levels and the key hierarchy read
//! from plan JSON built here, the at-rest rules and metrics, the seed's own Terraform, and
//! the built-in example plan.

use std::collections::BTreeMap;
use std::path::Path;

use planlens::engine::category::{Category, CategorySource, Level};
use planlens::engine::config::Config;
use planlens::engine::rules::{self, Severity};
use planlens::engine::stores::{DataStore, KeyKind, PolicyVerdict};
use planlens::engine::{check, Options, Report, SourceFile};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------
// A small plan-JSON builder: values as `terraform show -json` gives them, `"(unknown)"` for
// values known only after apply, and configuration references per attribute path.

const UNKNOWN: &str = "(unknown)";

struct R {
    address: String,
    values: Value,
    refs: Vec<(String, Vec<String>)>,
    action: &'static str,
    provider: &'static str,
}

fn r(address: &str, values: Value) -> R {
    R {
        address: address.into(),
        values,
        refs: Vec::new(),
        action: "create",
        provider: "aws",
    }
}

impl R {
    fn refs(mut self, path: &str, targets: &[&str]) -> R {
        self.refs
            .push((path.into(), targets.iter().map(|t| t.to_string()).collect()));
        self
    }

    fn action(mut self, action: &'static str) -> R {
        self.action = action;
        self
    }

    fn provider(mut self, provider: &'static str) -> R {
        self.provider = provider;
        self
    }

    fn parts(&self) -> (&str, &str, &str) {
        let (mode, rest) = match self.address.strip_prefix("data.") {
            Some(rest) => ("data", rest),
            None => ("managed", self.address.as_str()),
        };
        let (t, n) = rest.split_once('.').expect("type.name");
        (mode, t, n)
    }
}

/// Splits `(unknown)` markers out of `values` into `after_unknown`.
fn split_unknowns(v: &Value) -> (Value, Value) {
    match v {
        Value::String(s) if s == UNKNOWN => (Value::Null, Value::Bool(true)),
        Value::Object(m) => {
            let mut after = serde_json::Map::new();
            let mut unknown = serde_json::Map::new();
            for (k, v) in m {
                let (a, u) = split_unknowns(v);
                after.insert(k.clone(), a);
                if u != Value::Bool(false) {
                    unknown.insert(k.clone(), u);
                }
            }
            (Value::Object(after), Value::Object(unknown))
        }
        Value::Array(l) => {
            let (a, u): (Vec<Value>, Vec<Value>) = l.iter().map(split_unknowns).unzip();
            (Value::Array(a), Value::Array(u))
        }
        other => (other.clone(), Value::Bool(false)),
    }
}

/// Sets `{"references": [...]}` at a dotted path, numbers being list indexes.
fn set_expr(root: &mut Value, path: &str, refs: &[String]) {
    let steps: Vec<&str> = path.split('.').collect();
    let mut cur = root;
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let next_is_index = steps.get(i + 1).is_some_and(|s| s.parse::<usize>().is_ok());
        let fresh = if next_is_index { json!([]) } else { json!({}) };
        cur = if let Ok(idx) = step.parse::<usize>() {
            let list = cur.as_array_mut().expect("list");
            while list.len() <= idx {
                list.push(json!({}));
            }
            &mut list[idx]
        } else {
            let map = cur.as_object_mut().expect("map");
            if last {
                map.insert(step.to_string(), json!({ "references": refs }));
                return;
            }
            map.entry(step.to_string()).or_insert(fresh)
        };
    }
}

fn plan(resources: Vec<R>) -> SourceFile {
    let mut planned = Vec::new();
    let mut changes = Vec::new();
    let mut config = Vec::new();
    for res in &resources {
        let (mode, rtype, name) = res.parts();
        let (after, after_unknown) = split_unknowns(&res.values);
        planned.push(json!({
            "address": res.address, "mode": mode, "type": rtype, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": after,
        }));
        if mode == "managed" {
            let before = if res.action == "delete" {
                after.clone()
            } else {
                Value::Null
            };
            changes.push(json!({
                "address": res.address, "mode": mode, "type": rtype, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": [res.action], "before": before, "after": if res.action == "delete" { Value::Null } else { after.clone() }, "after_unknown": after_unknown},
            }));
        }
        let mut exprs = json!({});
        for (path, targets) in &res.refs {
            set_expr(&mut exprs, path, targets);
        }
        config.push(json!({
            "address": res.address, "mode": mode, "type": rtype, "name": name,
            "provider_config_key": res.provider, "expressions": exprs, "schema_version": 0,
        }));
    }
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                        "expressions": {"region": {"constant_value": "eu-central-1"}}},
                "aws.west": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "alias": "west",
                             "expressions": {"region": {"constant_value": "eu-west-1"}}},
            },
            "root_module": {"resources": config},
        },
        "timestamp": "2026-11-29T00:00:00Z",
    });
    SourceFile::new("plan.json", serde_json::to_vec_pretty(&doc).unwrap())
}

fn run(resources: Vec<R>) -> Report {
    run_with(resources, Config::default())
}

fn run_with(resources: Vec<R>, config: Config) -> Report {
    let report = check(
        &[plan(resources)],
        &Options {
            config,
            now: Some("2026-11-29".into()),
        },
    );
    assert!(
        !report.has_input_errors(),
        "{:?}",
        report.errors().collect::<Vec<_>>()
    );
    report
}

fn store<'a>(report: &'a Report, address: &str) -> &'a DataStore {
    report
        .stores
        .iter()
        .find(|s| s.address == address)
        .unwrap_or_else(|| panic!("no store {address} in {:?}", addresses(report)))
}

fn addresses(report: &Report) -> Vec<String> {
    report.stores.iter().map(|s| s.label()).collect()
}

fn level(report: &Report, address: &str) -> (Level, Option<String>) {
    let s = store(report, address);
    (s.level, s.key.clone())
}

fn fired(report: &Report, rule: &str) -> Vec<(String, Severity)> {
    let mut out: Vec<(String, Severity)> = report
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.suppressed.is_none())
        .map(|f| (f.address.clone().unwrap_or_default(), f.severity))
        .collect();
    out.sort();
    out
}

const KEY_ARN: &str =
    "arn:aws:kms:eu-central-1:111122223333:key/5c1f0a52-6b0e-4d4e-9a57-0f3f7a1b2c3d";

fn cmk(address: &str, tags: Value) -> R {
    r(
        address,
        json!({"enable_key_rotation": true, "arn": UNKNOWN, "key_id": UNKNOWN, "tags": tags}),
    )
}

// ---------------------------------------------------------------------------------------
// Stores and levels

#[test]
fn s3_reads_the_companion_the_inline_block_and_the_default() {
    let report = run(vec![
        cmk("aws_kms_key.pii", json!({"data-class": "pii"})),
        r("aws_s3_bucket.a", json!({"bucket": "a", "tags": {"data-class": "pii"}})),
        r("aws_s3_bucket_server_side_encryption_configuration.a", json!({
            "bucket": UNKNOWN,
            "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": UNKNOWN}], "bucket_key_enabled": true}]
        }))
        .refs("bucket", &["aws_s3_bucket.a"])
        .refs("rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id", &["aws_kms_key.pii"]),
        // Linked by literal bucket name.
        r("aws_s3_bucket.b", json!({"bucket": "myorg-b", "tags": {"data-class": "pii"}})),
        r("aws_s3_bucket_server_side_encryption_configuration.b", json!({
            "bucket": "myorg-b",
            "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]
        })),
        // v3 inline, aws:kms without a key: the AWS-managed aws/s3.
        r("aws_s3_bucket.c", json!({"bucket": "c", "tags": {"data-class": "operational"},
            "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}]})),
        // Nothing at all (the provider's computed inline attribute unknown): SSE-S3.
        r("aws_s3_bucket.d", json!({"bucket": "d", "tags": {"data-class": "public"}, "server_side_encryption_configuration": UNKNOWN})),
    ]);
    assert_eq!(
        level(&report, "aws_s3_bucket.a"),
        (Level::Cmk, Some("aws_kms_key.pii".into()))
    );
    let a = store(&report, "aws_s3_bucket.a");
    let decided = a.decided_by.as_ref().unwrap();
    assert_eq!(
        decided.address,
        "aws_s3_bucket_server_side_encryption_configuration.a"
    );
    assert_eq!(
        decided.attribute,
        "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"
    );
    assert_eq!(
        level(&report, "aws_s3_bucket.b"),
        (Level::ProviderOwned, Some("provider-owned:s3".into()))
    );
    assert_eq!(
        store(&report, "aws_s3_bucket.b")
            .decided_by
            .as_ref()
            .unwrap()
            .address,
        "aws_s3_bucket_server_side_encryption_configuration.b"
    );
    assert_eq!(
        level(&report, "aws_s3_bucket.c"),
        (Level::AwsManaged, Some("aws-managed:alias/aws/s3".into()))
    );
    assert_eq!(
        level(&report, "aws_s3_bucket.d"),
        (Level::ProviderOwned, Some("provider-owned:s3".into()))
    );
    // Companions are not stores of their own.
    assert_eq!(report.stores.len(), 4);
    // ENC001 sits on the bucket, located in the companion.
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "ENC001" && f.address.as_deref() == Some("aws_s3_bucket.b"))
        .expect("ENC001 on the bucket");
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(
        f.decided_by.as_deref(),
        Some("aws_s3_bucket_server_side_encryption_configuration.b")
    );
    assert_eq!(
        f.attribute.as_deref(),
        Some("rule.0.apply_server_side_encryption_by_default.0.sse_algorithm")
    );
    assert_eq!(f.evidence, json!("AES256"));
    assert_eq!(f.category, Some(Category::Pii));
    assert_eq!(f.introduced, Some(true));
}

#[test]
fn key_attributes_resolve_to_the_hierarchy() {
    let report = run(vec![
        r("aws_kms_key.pii", json!({"enable_key_rotation": true, "arn": KEY_ARN, "key_id": "5c1f0a52-6b0e-4d4e-9a57-0f3f7a1b2c3d", "tags": {"data-class": "pii"}})).action("no-op"),
        r("aws_kms_alias.pii", json!({"name": "alias/cmk-pii", "target_key_id": "5c1f0a52-6b0e-4d4e-9a57-0f3f7a1b2c3d"})).action("no-op"),
        r("data.aws_kms_alias.financial", json!({"name": "alias/cmk-financial"})),
        r("data.aws_kms_alias.s3", json!({"name": "alias/aws/s3"})),
        // By reference to the alias resource.
        r("aws_secretsmanager_secret.a", json!({"name": "a", "kms_key_id": UNKNOWN})).refs("kms_key_id", &["aws_kms_alias.pii"]),
        // By literal key ARN, literal alias name and alias ARN.
        r("aws_secretsmanager_secret.b", json!({"name": "b", "kms_key_id": KEY_ARN})),
        r("aws_secretsmanager_secret.c", json!({"name": "c", "kms_key_id": "alias/cmk-pii"})),
        r("aws_secretsmanager_secret.d", json!({"name": "d", "kms_key_id": "arn:aws:kms:eu-central-1:111122223333:alias/aws/secretsmanager"})),
        // Data sources: a customer alias (unverified, category from the alias) and an AWS one.
        r("aws_secretsmanager_secret.e", json!({"name": "e", "kms_key_id": UNKNOWN})).refs("kms_key_id", &["data.aws_kms_alias.financial"]),
        r("aws_secretsmanager_secret.f", json!({"name": "f", "kms_key_id": UNKNOWN})).refs("kms_key_id", &["data.aws_kms_alias.s3"]),
        // A key nobody here defines, and one from a variable.
        r("aws_secretsmanager_secret.g", json!({"name": "g", "kms_key_id": "arn:aws:kms:eu-central-1:999999999999:key/abc"})),
        r("aws_secretsmanager_secret.h", json!({"name": "h", "kms_key_id": UNKNOWN})).refs("kms_key_id", &["var.kms_key_arn"]),
        // Unknown without any expression: the provider's computed default (aws/secretsmanager).
        r("aws_secretsmanager_secret.i", json!({"name": "i", "kms_key_id": UNKNOWN})),
    ]);
    for s in ["a", "b", "c"] {
        assert_eq!(
            level(&report, &format!("aws_secretsmanager_secret.{s}")),
            (Level::Cmk, Some("aws_kms_key.pii".into())),
            "{s}"
        );
    }
    for s in ["d", "f"] {
        assert_eq!(
            store(&report, &format!("aws_secretsmanager_secret.{s}")).level,
            Level::AwsManaged,
            "{s}"
        );
    }
    assert_eq!(
        level(&report, "aws_secretsmanager_secret.e"),
        (Level::Cmk, Some("data.aws_kms_alias.financial".into()))
    );
    let e_key = report
        .keys
        .iter()
        .find(|k| k.id == "data.aws_kms_alias.financial")
        .unwrap();
    assert_eq!(e_key.kind, KeyKind::Unverified);
    assert_eq!(e_key.category, Some(Category::Financial));
    assert_eq!(
        level(&report, "aws_secretsmanager_secret.g"),
        (
            Level::Cmk,
            Some("arn:aws:kms:eu-central-1:999999999999:key/abc".into())
        )
    );
    assert_eq!(
        level(&report, "aws_secretsmanager_secret.h"),
        (Level::Cmk, Some("var.kms_key_arn".into()))
    );
    assert_eq!(
        level(&report, "aws_secretsmanager_secret.i"),
        (
            Level::AwsManaged,
            Some("aws-managed:alias/aws/secretsmanager".into())
        )
    );
    let pii = report
        .keys
        .iter()
        .find(|k| k.id == "aws_kms_key.pii")
        .unwrap();
    assert_eq!(pii.alias.as_deref(), Some("alias/cmk-pii"));
    assert_eq!(
        pii.stores,
        vec![
            "aws_secretsmanager_secret.a",
            "aws_secretsmanager_secret.b",
            "aws_secretsmanager_secret.c"
        ]
    );
    // Secrets stores under a PII key: shared across categories? No — all of them are secrets.
    assert!(fired(&report, "KMS005").is_empty());
}

#[test]
fn databases_follow_aws_defaults() {
    let report = run(vec![
        r("aws_db_instance.plain", json!({"identifier": "plain", "engine": "postgres"})),
        r("aws_db_instance.managed", json!({"identifier": "managed", "engine": "postgres", "storage_encrypted": true, "kms_key_id": UNKNOWN})),
        r("aws_rds_cluster.serverless", json!({"cluster_identifier": "s", "engine": "aurora-postgresql", "engine_mode": "serverless"})),
        r("aws_rds_cluster.provisioned", json!({"cluster_identifier": "p", "engine": "aurora-postgresql"})),
        r("aws_rds_cluster.off", json!({"cluster_identifier": "o", "engine": "aurora-postgresql", "storage_encrypted": false})),
        r("aws_rds_cluster.serverless_off", json!({"cluster_identifier": "so", "engine": "aurora-mysql", "engine_mode": "serverless", "storage_encrypted": false})),
        r("aws_rds_cluster.multi_az", json!({"cluster_identifier": "m", "engine": "postgres"})),
        r("aws_dynamodb_table.owned", json!({"name": "owned", "server_side_encryption": []})),
        r("aws_dynamodb_table.off", json!({"name": "off", "server_side_encryption": [{"enabled": false}]})),
        r("aws_dynamodb_table.managed", json!({"name": "managed", "server_side_encryption": [{"enabled": true}]})),
        cmk("aws_kms_key.k", json!({})),
        r("aws_dynamodb_table.cmk", json!({"name": "cmk", "server_side_encryption": [{"enabled": true, "kms_key_arn": UNKNOWN}]}))
            .refs("server_side_encryption.0.kms_key_arn", &["aws_kms_key.k"]),
        r("aws_redshift_cluster.default", json!({"cluster_identifier": "d"})),
        // Set in the configuration: an expression stands behind the value.
        r("aws_redshift_cluster.off", json!({"cluster_identifier": "o", "encrypted": false}))
            .refs("encrypted", &[]),
        // Not set: provider 5.x plans its stale default `false`; AWS encrypts new clusters.
        r("aws_redshift_cluster.stale", json!({"cluster_identifier": "s", "encrypted": false})),
        r("aws_elasticache_replication_group.redis", json!({"replication_group_id": "r", "engine": "redis"})),
        r("aws_elasticache_replication_group.valkey", json!({"replication_group_id": "v", "engine": "valkey"})),
        r("aws_opensearch_domain.search", json!({"domain_name": "s", "encrypt_at_rest": [{"enabled": true}]})),
    ]);
    let expect = [
        ("aws_db_instance.plain", Level::None),
        ("aws_db_instance.managed", Level::AwsManaged),
        ("aws_rds_cluster.serverless", Level::AwsManaged),
        // Aurora encrypts new clusters with an AWS-owned key since 18 February 2026; an
        // explicit false is a cluster from before; Serverless v1 can't be unencrypted; a
        // Multi-AZ DB cluster is RDS, not Aurora.
        ("aws_rds_cluster.provisioned", Level::ProviderOwned),
        ("aws_rds_cluster.off", Level::None),
        ("aws_rds_cluster.serverless_off", Level::AwsManaged),
        ("aws_rds_cluster.multi_az", Level::None),
        ("aws_dynamodb_table.owned", Level::ProviderOwned),
        ("aws_dynamodb_table.off", Level::ProviderOwned),
        ("aws_dynamodb_table.managed", Level::AwsManaged),
        ("aws_dynamodb_table.cmk", Level::Cmk),
        ("aws_redshift_cluster.default", Level::ProviderOwned),
        ("aws_redshift_cluster.off", Level::None),
        ("aws_redshift_cluster.stale", Level::ProviderOwned),
        ("aws_elasticache_replication_group.redis", Level::None),
        (
            "aws_elasticache_replication_group.valkey",
            Level::ProviderOwned,
        ),
        ("aws_opensearch_domain.search", Level::AwsManaged),
    ];
    for (address, want) in expect {
        assert_eq!(store(&report, address).level, want, "{address}");
    }
    assert_eq!(
        store(&report, "aws_db_instance.managed").key.as_deref(),
        Some("aws-managed:alias/aws/rds")
    );
}

#[test]
fn block_devices_are_one_store_each_and_follow_ebs_default_encryption() {
    let devices = |provider: &'static str, suffix: &str| {
        vec![
            r(&format!("aws_instance.web{suffix}"), json!({
                "ami": "ami-123", "tags": {"data-class": "operational"},
                "root_block_device": [{"encrypted": false}],
                "ebs_block_device": [{"device_name": "/dev/sdb", "encrypted": true}, {"device_name": "/dev/sdc"}]
            })).provider(provider),
            r(&format!("aws_launch_template.lt{suffix}"), json!({
                "name": "lt", "tags": {"data-class": "operational"},
                "block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"encrypted": "true"}]}, {"device_name": "/dev/xvdb", "virtual_name": "ephemeral0", "ebs": []}]
            })).provider(provider),
            r(&format!("aws_ebs_volume.data{suffix}"), json!({"availability_zone": "a", "size": 1, "tags": {"data-class": "operational"}})).provider(provider),
        ]
    };
    let mut resources = devices("aws", "");
    resources.extend(devices("aws.west", "_west"));
    resources.push(
        r(
            "aws_ebs_encryption_by_default.west",
            json!({"enabled": true}),
        )
        .provider("aws.west"),
    );
    resources
        .push(cmk("aws_kms_key.ebs", json!({"data-class": "operational"})).provider("aws.west"));
    resources.push(
        r("aws_ebs_default_kms_key.west", json!({"key_arn": UNKNOWN}))
            .provider("aws.west")
            .refs("key_arn", &["aws_kms_key.ebs"]),
    );
    let report = run(resources);
    let parts: BTreeMap<String, Level> =
        report.stores.iter().map(|s| (s.label(), s.level)).collect();
    let want: BTreeMap<String, Level> = [
        ("aws_instance.web (root_block_device.0)", Level::None),
        ("aws_instance.web (ebs_block_device.0)", Level::AwsManaged),
        ("aws_instance.web (ebs_block_device.1)", Level::None),
        (
            "aws_launch_template.lt (block_device_mappings.0)",
            Level::AwsManaged,
        ),
        ("aws_ebs_volume.data", Level::None),
        // In aws.west every new volume is encrypted with the default key, a CMK there.
        ("aws_instance.web_west (root_block_device.0)", Level::Cmk),
        ("aws_instance.web_west (ebs_block_device.0)", Level::Cmk),
        ("aws_instance.web_west (ebs_block_device.1)", Level::Cmk),
        (
            "aws_launch_template.lt_west (block_device_mappings.0)",
            Level::Cmk,
        ),
        ("aws_ebs_volume.data_west", Level::Cmk),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(parts, want);
    let providers: BTreeMap<&str, bool> = report
        .providers
        .iter()
        .map(|p| (p.key.as_str(), p.ebs_default_encryption))
        .collect();
    assert_eq!(
        providers,
        BTreeMap::from([("aws", false), ("aws.west", true)])
    );
    // One ENC001 per device below the operational minimum, at the device's attribute.
    let attrs: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.rule == "ENC001")
        .filter_map(|f| f.attribute.clone())
        .collect();
    assert!(
        attrs.contains(&"root_block_device.0.encrypted".to_string()),
        "{attrs:?}"
    );
    assert!(
        attrs.contains(&"ebs_block_device.1.encrypted".to_string()),
        "{attrs:?}"
    );
    // EBS001 only for the provider without default encryption.
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.rule == "EBS001")
            .count(),
        1
    );
    assert_eq!(report.metrics["ebs_default_encryption"].numerator, 1);
    assert_eq!(report.metrics["ebs_default_encryption"].denominator, 2);
}

#[test]
fn logs_secrets_backups_and_messaging_follow_aws_defaults() {
    let report = run(vec![
        r(
            "aws_cloudtrail.main",
            json!({"name": "main", "s3_bucket_name": "trail"}),
        ),
        r("aws_cloudwatch_log_group.app", json!({"name": "/app"})),
        r("aws_secretsmanager_secret.db", json!({"name": "db"})),
        r(
            "aws_ssm_parameter.secure",
            json!({"name": "/p/secure", "type": "SecureString"}),
        ),
        r(
            "aws_ssm_parameter.plain",
            json!({"name": "/p/plain", "type": "String"}),
        ),
        r("aws_backup_vault.main", json!({"name": "main"})),
        r("aws_sqs_queue.default", json!({"name": "default"})),
        r(
            "aws_sqs_queue.off",
            json!({"name": "off", "sqs_managed_sse_enabled": false}),
        ),
        r("aws_sns_topic.alerts", json!({"name": "alerts"})),
        r("aws_kinesis_stream.events", json!({"name": "events"})),
        r(
            "aws_kinesis_stream.kms",
            json!({"name": "kms", "encryption_type": "KMS", "kms_key_id": "alias/aws/kinesis"}),
        ),
        r("aws_ecr_repository.app", json!({"name": "app"})),
        r(
            "aws_efs_file_system.shared",
            json!({"creation_token": "shared"}),
        ),
    ]);
    let expect = [
        (
            "aws_cloudtrail.main",
            Level::ProviderOwned,
            Some(Category::Logs),
        ),
        (
            "aws_cloudwatch_log_group.app",
            Level::ProviderOwned,
            Some(Category::Logs),
        ),
        (
            "aws_secretsmanager_secret.db",
            Level::AwsManaged,
            Some(Category::Secrets),
        ),
        (
            "aws_ssm_parameter.secure",
            Level::AwsManaged,
            Some(Category::Secrets),
        ),
        (
            "aws_backup_vault.main",
            Level::AwsManaged,
            Some(Category::Backup),
        ),
        ("aws_sqs_queue.default", Level::ProviderOwned, None),
        ("aws_sqs_queue.off", Level::None, None),
        ("aws_sns_topic.alerts", Level::None, None),
        ("aws_kinesis_stream.events", Level::None, None),
        ("aws_kinesis_stream.kms", Level::AwsManaged, None),
        ("aws_ecr_repository.app", Level::ProviderOwned, None),
        ("aws_efs_file_system.shared", Level::None, None),
    ];
    for (address, want, category) in expect {
        let s = store(&report, address);
        assert_eq!((s.level, s.category), (want, category), "{address}");
    }
    assert!(!report
        .stores
        .iter()
        .any(|s| s.address == "aws_ssm_parameter.plain"));
    for address in ["aws_cloudtrail.main", "aws_secretsmanager_secret.db"] {
        assert_eq!(
            store(&report, address).category_source,
            CategorySource::ResourceType
        );
    }
    // Logs, secrets and backups need a CMK: ENC001 high.
    let enc: BTreeMap<String, Severity> = fired(&report, "ENC001").into_iter().collect();
    for address in [
        "aws_cloudtrail.main",
        "aws_cloudwatch_log_group.app",
        "aws_secretsmanager_secret.db",
        "aws_ssm_parameter.secure",
        "aws_backup_vault.main",
    ] {
        assert_eq!(enc.get(address), Some(&Severity::High), "{address}");
    }
    // Unclassified stores are held to the operational minimum (medium) and get ENC003.
    assert_eq!(enc.get("aws_sns_topic.alerts"), Some(&Severity::Medium));
    assert!(!enc.contains_key("aws_kinesis_stream.kms"));
    assert!(fired(&report, "ENC003")
        .iter()
        .any(|(a, s)| a == "aws_sns_topic.alerts" && *s == Severity::Medium));
}

#[test]
fn categories_come_from_override_tag_default_tag_type_name_in_that_order() {
    let mut config = Config::default();
    config
        .overrides
        .insert("aws_s3_bucket.overridden".into(), Category::Health);
    config
        .tag_values
        .insert("confidential".into(), Category::Pii);
    config.tag_keys.push("sensitivity".into());
    let report = run_with(
        vec![
            r(
                "aws_s3_bucket.overridden",
                json!({"bucket": "myorg-customer", "tags": {"data-class": "public"}}),
            ),
            r(
                "aws_s3_bucket.tagged",
                json!({"bucket": "myorg-customer", "tags": {"DataClass": "Finance"}}),
            ),
            r(
                "aws_s3_bucket.mapped",
                json!({"bucket": "x", "tags": {"sensitivity": "confidential"}}),
            ),
            r(
                "aws_s3_bucket.defaulted",
                json!({"bucket": "x", "tags": {}, "tags_all": {"data-class": "phi"}}),
            ),
            r(
                "aws_cloudwatch_log_group.patients",
                json!({"name": "/patients", "tags_all": {"env": "prod"}}),
            ),
            r(
                "aws_s3_bucket.named",
                json!({"bucket": "myorg-invoice-archive"}),
            ),
            r("aws_s3_bucket.by_resource_name", json!({"bucket": "x1"})),
            r(
                "aws_s3_bucket.tags_from_variable",
                json!({"bucket": "x3", "tags": UNKNOWN}),
            )
            .refs("tags", &["var.tags"]),
            r(
                "aws_s3_bucket.unknown_tag",
                json!({"bucket": "x2", "tags": {"data-class": "top-secret"}}),
            ),
        ],
        config,
    );
    let got = |a: &str| {
        let s = store(&report, a);
        (s.category, s.category_source)
    };
    assert_eq!(
        got("aws_s3_bucket.overridden"),
        (Some(Category::Health), CategorySource::Override)
    );
    assert_eq!(
        got("aws_s3_bucket.tagged"),
        (Some(Category::Financial), CategorySource::Tag)
    );
    assert_eq!(
        got("aws_s3_bucket.mapped"),
        (Some(Category::Pii), CategorySource::Tag)
    );
    assert_eq!(
        got("aws_s3_bucket.defaulted"),
        (Some(Category::Health), CategorySource::DefaultTag)
    );
    assert_eq!(
        got("aws_cloudwatch_log_group.patients"),
        (Some(Category::Logs), CategorySource::ResourceType)
    );
    assert_eq!(
        got("aws_s3_bucket.named"),
        (Some(Category::Financial), CategorySource::Name)
    );
    assert_eq!(
        got("aws_s3_bucket.by_resource_name"),
        (None, CategorySource::Unclassified)
    );
    assert_eq!(
        got("aws_s3_bucket.unknown_tag"),
        (None, CategorySource::Unclassified)
    );
    assert_eq!(
        store(&report, "aws_s3_bucket.named")
            .category_evidence
            .as_deref(),
        Some("name \"myorg-invoice-archive\" contains \"invoice\"")
    );
    assert!(store(&report, "aws_s3_bucket.unknown_tag")
        .category_evidence
        .as_deref()
        .unwrap()
        .contains("names no known category"));
    // ENC003: medium for nothing, low for a name guess; tagged, typed and overridden stores pass.
    assert_eq!(
        fired(&report, "ENC003"),
        vec![
            ("aws_s3_bucket.by_resource_name".into(), Severity::Medium),
            ("aws_s3_bucket.named".into(), Severity::Low),
            ("aws_s3_bucket.unknown_tag".into(), Severity::Medium),
        ]
    );
}

fn policy(statements: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

#[test]
fn recommendations_depend_on_the_category() {
    let root = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"});
    let app = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": ["kms:Decrypt"], "Resource": "*"});
    let key = |address: &str, extra: Value| {
        let mut v = json!({"enable_key_rotation": true, "arn": UNKNOWN});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        r(address, v)
    };
    let bucket = |name: &str, category: &str, key: &str| {
        vec![
            r(&format!("aws_s3_bucket.{name}"), json!({"bucket": name, "tags": {"data-class": category}})),
            r(&format!("aws_s3_bucket_server_side_encryption_configuration.{name}"), json!({
                "bucket": UNKNOWN,
                "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": UNKNOWN}], "bucket_key_enabled": true}]
            }))
            .refs("bucket", &[&format!("aws_s3_bucket.{name}")])
            .refs("rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id", &[key]),
        ]
    };
    let mut resources = vec![
        key(
            "aws_kms_key.explicit",
            json!({"policy": policy(json!([root, app]))}),
        ),
        key("aws_kms_key.default", json!({})),
        key(
            "aws_kms_key.root_only",
            json!({"policy": policy(json!([root]))}),
        ),
        key("aws_kms_key.unknown_policy", json!({"policy": UNKNOWN}))
            .refs("policy", &["aws_iam_role.app"]),
        r("aws_kms_external_key.byok", json!({"arn": UNKNOWN})),
        key(
            "aws_kms_key.hsm",
            json!({"custom_key_store_id": "cks-1234567890abcdef0"}),
        ),
    ];
    for (name, category, k) in [
        ("pii_explicit", "pii", "aws_kms_key.explicit"),
        ("pii_default", "pii", "aws_kms_key.default"),
        ("pii_root_only", "pii", "aws_kms_key.root_only"),
        ("pii_unknown", "pii", "aws_kms_key.unknown_policy"),
        ("fin_plain", "financial", "aws_kms_key.explicit"),
        ("fin_byok", "financial", "aws_kms_external_key.byok"),
        ("fin_hsm", "financial", "aws_kms_key.hsm"),
        ("health_plain", "health", "aws_kms_key.explicit"),
        ("health_hsm", "health", "aws_kms_key.hsm"),
        ("logs", "logs", "aws_kms_key.default"),
    ] {
        resources.extend(bucket(name, category, k));
    }
    let report = run(resources);
    let want = [
        ("pii_explicit", Level::CmkRecommended),
        ("pii_default", Level::Cmk),
        ("pii_root_only", Level::Cmk),
        ("pii_unknown", Level::CmkRecommended),
        ("fin_plain", Level::Cmk),
        ("fin_byok", Level::CmkRecommended),
        ("fin_hsm", Level::CmkRecommended),
        ("health_plain", Level::Cmk),
        ("health_hsm", Level::CmkRecommended),
        ("logs", Level::Cmk),
    ];
    for (name, level) in want {
        assert_eq!(
            store(&report, &format!("aws_s3_bucket.{name}")).level,
            level,
            "{name}"
        );
    }
    assert!(store(&report, "aws_s3_bucket.pii_unknown")
        .assumed()
        .is_some());
    let policies: BTreeMap<&str, Option<PolicyVerdict>> = report
        .keys
        .iter()
        .filter(|k| k.address.is_some())
        .map(|k| (k.id.as_str(), k.policy))
        .collect();
    assert_eq!(policies["aws_kms_key.explicit"], Some(PolicyVerdict::Ok));
    assert_eq!(
        policies["aws_kms_key.root_only"],
        Some(PolicyVerdict::Default)
    );
    assert_eq!(
        policies["aws_kms_key.unknown_policy"],
        Some(PolicyVerdict::Unknown)
    );
    // ENC002: low, info where only HSM backing is missing; nothing for logs or unknowns.
    assert_eq!(
        fired(&report, "ENC002"),
        vec![
            ("aws_s3_bucket.fin_plain".into(), Severity::Low),
            ("aws_s3_bucket.health_plain".into(), Severity::Info),
            ("aws_s3_bucket.pii_default".into(), Severity::Low),
            ("aws_s3_bucket.pii_root_only".into(), Severity::Low),
        ]
    );
    assert!(fired(&report, "ENC001").is_empty());
    // Keys shared across categories: explicit (pii, financial, health), default (pii, logs),
    // hsm (financial, health).
    assert_eq!(
        fired(&report, "KMS005")
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        vec![
            "aws_kms_key.default",
            "aws_kms_key.explicit",
            "aws_kms_key.hsm"
        ]
    );
    // Rotation: the external and HSM keys can't rotate and aren't counted.
    assert_eq!(report.metrics["kms_rotation"].denominator, 4);
}

#[test]
fn missing_category_keys_and_the_hierarchy_per_provider() {
    let report = run(vec![
        r(
            "aws_kms_key.pii",
            json!({"enable_key_rotation": true, "arn": UNKNOWN, "tags": {"data-class": "pii"}}),
        ),
        r(
            "aws_s3_bucket.customers",
            json!({"bucket": "c", "tags": {"data-class": "pii"}}),
        ),
        r(
            "aws_dynamodb_table.payments",
            json!({"name": "payments", "tags": {"data-class": "financial"}}),
        ),
        r(
            "aws_s3_bucket.site",
            json!({"bucket": "s", "tags": {"data-class": "public"}}),
        ),
        r("aws_cloudwatch_log_group.west", json!({"name": "/w"})).provider("aws.west"),
        // Deleted by the plan: no longer a store.
        r(
            "aws_s3_bucket.gone",
            json!({"bucket": "g", "tags": {"data-class": "health"}}),
        )
        .action("delete"),
    ]);
    let missing: Vec<(String, Category, String)> = report
        .missing_keys
        .iter()
        .map(|m| (m.provider.clone(), m.category, m.alias.clone()))
        .collect();
    assert_eq!(
        missing,
        vec![
            (
                "aws".into(),
                Category::Financial,
                "alias/cmk-financial".into()
            ),
            ("aws.west".into(), Category::Logs, "alias/cmk-logs".into()),
        ]
    );
    assert!(!report
        .stores
        .iter()
        .any(|s| s.address == "aws_s3_bucket.gone"));
    let regions: Vec<(String, Option<String>)> = report
        .providers
        .iter()
        .map(|p| (p.key.clone(), p.region.clone()))
        .collect();
    assert!(regions.contains(&("aws.west".into(), Some("eu-west-1".into()))));
    let owned = report
        .keys
        .iter()
        .find(|k| k.id == "provider-owned:dynamodb")
        .unwrap();
    assert_eq!(owned.kind, KeyKind::ProviderOwned);
    assert!(report
        .keys
        .iter()
        .any(|k| k.id == "provider-owned:logs@aws.west"));
}

#[test]
fn a_literal_key_shared_across_categories_is_reported_without_an_address() {
    let arn = "arn:aws:kms:eu-central-1:999999999999:key/shared";
    let report = run(vec![
        r(
            "aws_db_instance.customers",
            json!({"identifier": "c", "engine": "postgres", "storage_encrypted": true, "kms_key_id": arn, "tags": {"data-class": "pii"}}),
        ),
        r(
            "aws_cloudwatch_log_group.app",
            json!({"name": "/app", "kms_key_id": arn}),
        ),
    ]);
    let f = report
        .findings
        .iter()
        .find(|f| f.rule == "KMS005")
        .expect("KMS005");
    assert_eq!(f.address, None);
    assert!(f.message.contains(arn), "{}", f.message);
    assert_eq!(
        f.related,
        vec!["aws_db_instance.customers", "aws_cloudwatch_log_group.app"]
    );
}

// ---------------------------------------------------------------------------------------
// The built-in example plan

#[test]
fn the_built_in_example_reads_as_the_seed_describes() {
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/example/seed.plan.json"))
            .unwrap();
    let report = check(
        &[SourceFile::new("seed.plan.json", bytes)],
        &Options::default(),
    );
    let stores: BTreeMap<String, (Option<Category>, Level, Option<String>)> = report
        .stores
        .iter()
        .map(|s| (s.address.clone(), (s.category, s.level, s.key.clone())))
        .collect();
    let want: BTreeMap<String, (Option<Category>, Level, Option<String>)> = [
        (
            "aws_s3_bucket.customer_data",
            Some(Category::Pii),
            Level::CmkRecommended,
            Some("aws_kms_key.pii"),
        ),
        (
            "aws_s3_bucket.user_exports",
            Some(Category::Pii),
            Level::ProviderOwned,
            Some("provider-owned:s3"),
        ),
        (
            "aws_s3_bucket.metrics",
            Some(Category::Operational),
            Level::Cmk,
            Some("aws_kms_key.general"),
        ),
        (
            "aws_s3_bucket.static_site",
            Some(Category::Public),
            Level::ProviderOwned,
            Some("provider-owned:s3"),
        ),
        (
            "aws_db_instance.main",
            Some(Category::Pii),
            Level::CmkRecommended,
            Some("aws_kms_key.pii"),
        ),
        (
            "aws_dynamodb_table.transactions",
            Some(Category::Financial),
            Level::ProviderOwned,
            Some("provider-owned:dynamodb"),
        ),
        (
            "aws_cloudwatch_log_group.app",
            Some(Category::Logs),
            Level::Cmk,
            Some("aws_kms_key.pii"),
        ),
    ]
    .into_iter()
    .map(|(a, c, l, k)| (a.to_string(), (c, l, k.map(str::to_string))))
    .collect();
    assert_eq!(stores, want);

    let pii = report
        .keys
        .iter()
        .find(|k| k.id == "aws_kms_key.pii")
        .unwrap();
    assert_eq!(
        (
            pii.alias.as_deref(),
            pii.category,
            pii.rotation,
            pii.deletion_window,
            pii.policy
        ),
        (
            Some("alias/cmk-pii"),
            Some(Category::Pii),
            Some(true),
            Some(30),
            Some(PolicyVerdict::Ok)
        )
    );
    let general = report
        .keys
        .iter()
        .find(|k| k.id == "aws_kms_key.general")
        .unwrap();
    assert_eq!(
        (
            general.alias.as_deref(),
            general.category,
            general.rotation,
            general.deletion_window,
            general.policy
        ),
        (
            None,
            None,
            Some(false),
            Some(7),
            Some(PolicyVerdict::Overbroad)
        )
    );
    let missing: Vec<Category> = report.missing_keys.iter().map(|m| m.category).collect();
    assert_eq!(
        missing,
        vec![Category::Financial, Category::Logs, Category::Operational]
    );

    let at_rest: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| {
            ["ENC", "S3", "KMS", "EBS", "RDS"]
                .iter()
                .any(|p| f.rule.starts_with(p))
        })
        .map(|f| (f.rule.clone(), f.address.clone().unwrap_or_default()))
        .collect();
    let mut at_rest = at_rest;
    at_rest.sort();
    assert_eq!(
        at_rest,
        [
            ("ENC001", "aws_dynamodb_table.transactions"),
            ("ENC001", "aws_s3_bucket.user_exports"),
            ("KMS001", "aws_kms_key.general"),
            ("KMS002", "aws_kms_key.general"),
            ("KMS004", "aws_kms_key.general"),
            ("KMS005", "aws_kms_key.pii"),
            ("KMS006", "aws_kms_key.general"),
            ("KMS007", "aws_kms_key.general"),
            ("S3001", "aws_s3_bucket.metrics"),
        ]
        .iter()
        .map(|(r, a)| (r.to_string(), a.to_string()))
        .collect::<Vec<_>>()
    );
    // A store finding created by this plan is "introduced"; the no-op key's is not.
    let user_exports = report
        .findings
        .iter()
        .find(|f| f.rule == "ENC001" && f.address.as_deref() == Some("aws_s3_bucket.user_exports"))
        .unwrap();
    assert_eq!(user_exports.introduced, Some(true));
    assert!(user_exports
        .pointer
        .as_deref()
        .unwrap()
        .starts_with("/resource_changes/"));
    let shared = report.findings.iter().find(|f| f.rule == "KMS005").unwrap();
    assert_eq!(shared.introduced, Some(false));

    let figures = |m: &str| (report.metrics[m].numerator, report.metrics[m].denominator);
    assert_eq!(figures("pii_financial_cmk"), (2, 4));
    assert_eq!(
        report.metrics["pii_financial_cmk"].failing,
        vec![
            "aws_s3_bucket.user_exports",
            "aws_dynamodb_table.transactions"
        ]
    );
    assert_eq!(figures("kms_rotation"), (1, 2));
    assert_eq!(figures("ebs_default_encryption"), (1, 1));
}

// ---------------------------------------------------------------------------------------
// The seed's own Terraform

fn fixture(path: &str) -> SourceFile {
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    let name = full.file_name().unwrap().to_string_lossy().to_string();
    SourceFile::new(name, std::fs::read(&full).unwrap())
}

fn seed_config() -> Config {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/planlens.toml"),
    )
    .unwrap();
    Config::from_toml(&text).unwrap()
}

fn at_rest_findings(report: &Report) -> Vec<(String, String, Option<u32>)> {
    report
        .findings
        .iter()
        .filter(|f| {
            ["ENC", "S3", "KMS", "RDS"]
                .iter()
                .any(|p| f.rule.starts_with(p))
        })
        .map(|f| {
            (
                f.rule.clone(),
                f.address.clone().unwrap_or_default(),
                f.line,
            )
        })
        .collect()
}

#[test]
fn the_seeds_compliant_terraform_passes() {
    let options = Options {
        config: seed_config(),
        now: None,
    };
    let report = check(&[fixture("seed/seed.tf")], &options);
    assert!(
        !report.has_input_errors(),
        "{:?}",
        report.errors().collect::<Vec<_>>()
    );
    assert_eq!(at_rest_findings(&report), vec![]);
    assert_eq!(
        store(&report, "aws_s3_bucket.customer_data").level,
        Level::CmkRecommended
    );
    assert_eq!(
        store(&report, "aws_db_instance.main").key.as_deref(),
        Some("aws_kms_key.pii")
    );
    let pii = report
        .keys
        .iter()
        .find(|k| k.id == "aws_kms_key.pii")
        .unwrap();
    assert_eq!(pii.alias.as_deref(), Some("alias/cmk-pii"));
    assert_eq!(
        pii.stores,
        vec!["aws_s3_bucket.customer_data", "aws_db_instance.main"]
    );
    // The seed has no aws_ebs_encryption_by_default.
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.rule == "EBS001")
            .count(),
        1
    );

    // Without the classification the seed's hierarchy implies, its stores are untagged.
    let untagged = check(&[fixture("seed/seed.tf")], &Options::default());
    let rules: Vec<(String, String)> = at_rest_findings(&untagged)
        .into_iter()
        .map(|(r, a, _)| (r, a))
        .collect();
    assert_eq!(
        rules,
        vec![
            ("ENC003".to_string(), "aws_db_instance.main".to_string()),
            (
                "ENC003".to_string(),
                "aws_s3_bucket.customer_data".to_string()
            ),
        ]
    );
}

#[test]
fn the_seeds_aes256_variant_on_the_pii_bucket_fails_enc001() {
    let seed = String::from_utf8(fixture("seed/seed.tf").bytes).unwrap();
    // Drop the compliant encryption configuration; the variant file supplies its own.
    let start = seed
        .find("resource \"aws_s3_bucket_server_side_encryption_configuration\"")
        .unwrap();
    let end = start + seed[start..].find("\n}\n").unwrap() + 3;
    let without = format!("{}{}", &seed[..start], &seed[end..]);
    let options = Options {
        config: seed_config(),
        now: None,
    };
    let report = check(
        &[
            SourceFile::new("seed.tf", without),
            fixture("seed/non_compliant_sse.tf"),
        ],
        &options,
    );
    assert!(
        !report.has_input_errors(),
        "{:?}",
        report.errors().collect::<Vec<_>>()
    );
    let f: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "ENC001")
        .collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].address.as_deref(), Some("aws_s3_bucket.customer_data"));
    assert_eq!(f[0].severity, Severity::Critical);
    assert_eq!(f[0].file.as_deref(), Some("non_compliant_sse.tf"));
    assert_eq!(f[0].line, Some(7));
    assert_eq!(f[0].evidence, json!("AES256"));
    assert_eq!(
        store(&report, "aws_s3_bucket.customer_data").level,
        Level::ProviderOwned
    );
    assert_eq!(report.metrics["pii_financial_cmk"].numerator, 1);
    assert_eq!(report.metrics["pii_financial_cmk"].denominator, 2);
}

// ---------------------------------------------------------------------------------------
// Fixtures: suppressions and metrics

fn fixture_report(path: &str) -> Report {
    let options = Options {
        config: Config::default(),
        now: Some("2026-11-29".into()),
    };
    let report = check(&[fixture(path)], &options);
    assert!(
        !report.has_input_errors(),
        "{path}: {:?}",
        report.errors().collect::<Vec<_>>()
    );
    report
}

#[test]
fn suppressions_are_honoured_in_every_family() {
    let cases = [
        (
            "ENC001/suppressed.tf",
            "ENC001",
            "aws_s3_bucket.legacy_exports",
            "planlens",
        ),
        (
            "ENC001/suppressed.tf",
            "ENC001",
            "aws_s3_bucket.archive",
            "checkov",
        ),
        (
            "ENC003/suppressed.tf",
            "ENC003",
            "aws_s3_bucket.scratch",
            "planlens",
        ),
        (
            "S3001/bad.tf",
            "S3001",
            "aws_s3_bucket.audit_sample",
            "planlens",
        ),
        ("KMS001/bad.tf", "KMS001", "aws_kms_key.releases", "tfsec"),
        (
            "KMS001/bad.tf",
            "KMS001",
            "aws_kms_key.migration",
            "planlens",
        ),
        (
            "KMS003/suppressed.tf",
            "KMS003",
            "aws_kms_key.partner",
            "checkov",
        ),
        (
            "KMS004/suppressed.tf",
            "KMS004",
            "aws_kms_key.break_glass",
            "planlens",
        ),
        (
            "KMS005/suppressed.tf",
            "KMS005",
            "aws_kms_key.pii",
            "planlens",
        ),
        ("KMS006/bad.tf", "KMS006", "aws_kms_key.shared", "planlens"),
        (
            "EBS001/suppressed.tf",
            "EBS001",
            "aws_ebs_encryption_by_default.this",
            "checkov",
        ),
        (
            "EBS001/suppressed_planlens.tf",
            "EBS001",
            "aws_ebs_encryption_by_default.this",
            "planlens",
        ),
        ("RDS001/bad.tf", "RDS001", "aws_db_instance.demo", "tfsec"),
        (
            "RDS002/bad.tf",
            "RDS002",
            "aws_db_instance.staging",
            "planlens",
        ),
        (
            "RDS002/bad.tf",
            "RDS002",
            "aws_db_instance.preview",
            "checkov",
        ),
        ("RDS003/bad.tf", "RDS003", "aws_db_instance.orders", "tfsec"),
        (
            "RDS004/bad.tf",
            "RDS004",
            "aws_db_instance.legacy",
            "checkov",
        ),
    ];
    for (path, rule, address, by) in cases {
        let report = fixture_report(path);
        let f = report
            .findings
            .iter()
            .find(|f| f.rule == rule && f.address.as_deref() == Some(address))
            .unwrap_or_else(|| panic!("{path}: {rule} did not fire on {address}"));
        let s = f
            .suppressed
            .as_ref()
            .unwrap_or_else(|| panic!("{path}: {rule} on {address} is not suppressed"));
        assert_eq!(s.by, by, "{path}: {rule} on {address}");
        assert!(!s.reason.is_empty());
    }
}

#[test]
fn fixture_metrics() {
    let report = fixture_report("ENC001/bad.tf");
    let m = &report.metrics["pii_financial_cmk"];
    // customer_data (SSE-S3), invoices (aws/s3), customers (RDS unencrypted),
    // transactions (AWS-owned): none with a CMK.
    assert_eq!((m.numerator, m.denominator), (0, 4));
    let report = fixture_report("ENC001/good.tf");
    let m = &report.metrics["pii_financial_cmk"];
    assert_eq!((m.numerator, m.denominator), (3, 3));
    let report = fixture_report("KMS001/bad.tf");
    let m = &report.metrics["kms_rotation"];
    assert_eq!((m.numerator, m.denominator), (0, 4));
    let report = fixture_report("KMS001/good.tf");
    let m = &report.metrics["kms_rotation"];
    // Only the symmetric key with KMS material counts.
    assert_eq!((m.numerator, m.denominator), (1, 1));
    let report = fixture_report("EBS001/good_default.tf");
    let m = &report.metrics["ebs_default_encryption"];
    assert_eq!((m.numerator, m.denominator), (1, 1));
}

#[test]
fn at_rest_rules_are_registered_with_docs() {
    let ids: Vec<&str> = rules::registry().iter().map(|r| r.id).collect();
    for id in [
        "ENC001", "ENC002", "ENC003", "S3001", "KMS001", "KMS002", "KMS003", "KMS004", "KMS005",
        "KMS006", "KMS007", "EBS001", "RDS001", "RDS002", "RDS003", "RDS004",
    ] {
        assert!(ids.contains(&id), "{id} missing");
        let rule = rules::rule(id).unwrap();
        let doc = rules::docs::RuleDoc::parse(rule);
        assert!(
            doc.example.contains("resource") || doc.example.contains("provider"),
            "{id}: example"
        );
        assert!(
            doc.fix.contains("resource") || doc.fix.contains("provider"),
            "{id}: fix"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Cases taken from the peers' own fixtures (docs/peer-parity.md) that a fixture's line
// markers can't show: which store a finding's deciding line belongs to, and key verdicts.

fn hcl(text: &str) -> Report {
    check(&[SourceFile::new("main.tf", text)], &Options::default())
}

fn key_policy(report: &Report, address: &str) -> Option<PolicyVerdict> {
    report
        .keys
        .iter()
        .find(|k| k.address.as_deref() == Some(address))
        .and_then(|k| k.policy)
}

#[test]
fn key_policies_with_arns_known_only_after_apply_are_judged_statement_by_statement() {
    let statement = |sid: &str, principal: &str, action: &str| {
        format!(
            "{{ Sid = \"{sid}\", Effect = \"Allow\", Principal = {principal}, Action = {action}, Resource = \"*\" }}"
        )
    };
    let key = |name: &str, statements: &[String]| {
        format!(
            "resource \"aws_kms_key\" \"{name}\" {{\n  enable_key_rotation = true\n  policy = jsonencode({{ Version = \"2012-10-17\", Statement = [{}] }})\n}}\n",
            statements.join(", ")
        )
    };
    let root = statement(
        "Root",
        "{ AWS = \"arn:aws:iam::${var.account_id}:root\" }",
        "\"kms:*\"",
    );
    let app = statement(
        "App",
        "{ AWS = aws_iam_role.app.arn }",
        "[\"kms:Decrypt\", \"kms:GenerateDataKey\"]",
    );
    let text = [
        "resource \"aws_iam_role\" \"app\" { name = \"app\" }\n".to_string(),
        key("seed", &[root.clone(), app.clone()]),
        key(
            "app_everything",
            &[statement(
                "AppAll",
                "{ AWS = aws_iam_role.app.arn }",
                "\"kms:*\"",
            )],
        ),
        key(
            "everyone",
            &[
                app.clone(),
                statement("Everyone", "\"*\"", "\"kms:Decrypt\""),
            ],
        ),
        key(
            "known_root",
            &[
                statement(
                    "Root",
                    "{ AWS = \"arn:aws:iam::111122223333:root\" }",
                    "\"kms:*\"",
                ),
                app,
            ],
        ),
    ]
    .concat();
    let report = hcl(&text);
    // The seed's own shape: the root's account is a variable without a value, so the
    // policy can't be confirmed either way; nothing fires.
    assert_eq!(
        key_policy(&report, "aws_kms_key.seed"),
        Some(PolicyVerdict::Unknown)
    );
    assert_eq!(
        key_policy(&report, "aws_kms_key.app_everything"),
        Some(PolicyVerdict::Overbroad)
    );
    assert_eq!(
        key_policy(&report, "aws_kms_key.everyone"),
        Some(PolicyVerdict::WildcardPrincipal)
    );
    assert_eq!(
        key_policy(&report, "aws_kms_key.known_root"),
        Some(PolicyVerdict::Ok)
    );
    let kms004 = fired(&report, "KMS004");
    assert_eq!(
        kms004,
        vec![("aws_kms_key.app_everything".to_string(), Severity::High)]
    );
    let finding = report.findings.iter().find(|f| f.rule == "KMS004").unwrap();
    assert!(
        finding.message.contains("aws_iam_role.app"),
        "{}",
        finding.message
    );
    assert_eq!(
        fired(&report, "KMS003"),
        vec![("aws_kms_key.everyone".to_string(), Severity::Critical)]
    );
}

#[test]
fn replicas_restores_and_snapshot_volumes_take_their_sources_encryption() {
    let report = hcl(r#"
resource "aws_kms_key" "pii" {
  enable_key_rotation = true
  tags                = { data-class = "pii" }
}
resource "aws_db_instance" "primary" {
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.pii.arn
}
resource "aws_db_instance" "replica" {
  replicate_source_db = aws_db_instance.primary.identifier
}
resource "aws_db_instance" "plain" {
  engine = "postgres"
}
resource "aws_db_instance" "replica_of_plain" {
  replicate_source_db = aws_db_instance.plain.identifier
}
resource "aws_db_instance" "remote_replica" {
  replicate_source_db = "arn:aws:rds:eu-west-1:111122223333:db:primary"
}
resource "aws_db_instance" "restored" {
  snapshot_identifier = "rds:primary-2026-01-01"
}
resource "aws_ebs_volume" "from_snapshot" {
  availability_zone = "eu-central-1a"
  snapshot_id       = "snap-0123456789abcdef0"
}
resource "aws_launch_configuration" "no_root_block" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}
"#);
    let replica = store(&report, "aws_db_instance.replica");
    assert_eq!(replica.level, Level::Cmk);
    assert_eq!(replica.key.as_deref(), Some("aws_kms_key.pii"));
    assert_eq!(
        replica.decided_by.as_ref().map(|d| d.address.as_str()),
        Some("aws_db_instance.primary")
    );
    assert_eq!(
        store(&report, "aws_db_instance.replica_of_plain").level,
        Level::None
    );
    // Sources not in the input: unknown, read in their favour, and no key is made up.
    for address in [
        "aws_db_instance.remote_replica",
        "aws_db_instance.restored",
        "aws_ebs_volume.from_snapshot",
    ] {
        let s = store(&report, address);
        assert_eq!(s.level, Level::CmkRecommended, "{address}");
        assert!(s.key.is_none(), "{address}");
        assert!(s.assumed().is_some(), "{address}");
    }
    let lc = store(&report, "aws_launch_configuration.no_root_block");
    assert_eq!(lc.part.as_deref(), Some("root_block_device"));
    assert_eq!(lc.level, Level::None);
    let pii_keys: Vec<&str> = report.keys.iter().map(|k| k.id.as_str()).collect();
    assert!(
        !pii_keys.iter().any(|k| k.starts_with("unverified:")),
        "{pii_keys:?}"
    );
}
