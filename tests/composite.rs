//! The composite example (`tests/fixtures/composite/`): a realistic Terraform folder with a
//! local module and a variables file, plus a hand-written plan for what only a plan shows.
//! Loaded in one check, every rule in the registry fires at least once; the key hierarchy
//! and the five metrics come out as derived below from the files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use planlens::engine::rules::registry;
use planlens::engine::stores::KeyKind;
use planlens::engine::{check, Options, Report, SourceFile};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/composite")
}

/// Every `.tf`, `.tfvars` and plan file under the folder, named relative to it (so
/// `source = "./modules/logging"` finds its files), in a stable order.
fn composite() -> Vec<SourceFile> {
    let mut out = Vec::new();
    let mut dirs = vec![root()];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("the composite folder exists")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            let name = p.to_string_lossy().to_string();
            if p.is_dir() {
                dirs.push(p);
            } else if [".tf", ".tfvars", ".plan.json"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                let rel = p
                    .strip_prefix(root())
                    .expect("under the folder")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(SourceFile::new(rel, std::fs::read(&p).expect("readable")));
            }
        }
    }
    out
}

fn report() -> Report {
    // "Now" is the plan's timestamp, 2026-11-20.
    // planlens.toml beside the files is the configuration, as the CLI reads it.
    let config = std::fs::read_to_string(root().join("planlens.toml"))
        .map(|t| planlens::engine::Config::from_toml(&t).expect("composite planlens.toml"))
        .unwrap_or_default();
    check(
        &composite(),
        &Options {
            config,
            ..Options::default()
        },
    )
}

#[test]
fn every_rule_fires_on_the_composite() {
    let report = report();
    assert!(
        !report.has_input_errors(),
        "{:?}",
        report.errors().collect::<Vec<_>>()
    );
    let fired: BTreeSet<&str> = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| f.rule.as_str())
        .collect();
    let missing: Vec<&str> = registry()
        .iter()
        .map(|r| r.id)
        .filter(|id| !fired.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules that never fire: {missing:?}");
    // Each file of the folder took part.
    assert_eq!(report.input.files.len(), composite().len());
}

#[test]
fn the_composite_key_hierarchy() {
    let report = report();
    let kinds = |kind: KeyKind| -> Vec<String> {
        report
            .keys
            .iter()
            .filter(|k| k.kind == kind)
            .map(|k| k.id.clone())
            .collect()
    };
    // Five CMKs in kms.tf and the plan's reports key; the plan deletes the archive key, so
    // the archive bucket keeps a key that will be gone, known only by its ARN.
    assert_eq!(
        kinds(KeyKind::Cmk),
        vec![
            "aws_kms_key.reports",
            "aws_kms_key.pii",
            "aws_kms_key.logs",
            "aws_kms_key.general",
            "aws_kms_key.partner",
            "aws_kms_key.batch",
        ]
    );
    assert_eq!(
        kinds(KeyKind::Unverified),
        vec!["arn:aws:kms:eu-central-1:111122223333:key/0a1b2c3d-1111-2222-3333-444455556666"]
    );
    // SSE-S3 (customer_data, exports, assets, reports after the plan), and the audit
    // module's trail and log group without a key; the bastion's root volume gets the
    // account's default EBS key.
    assert_eq!(
        kinds(KeyKind::ProviderOwned),
        vec![
            "provider-owned:s3",
            "provider-owned:logs",
            "provider-owned:cloudtrail"
        ]
    );
    assert_eq!(
        kinds(KeyKind::AwsManaged),
        vec!["aws-managed:alias/aws/ebs"]
    );
    assert_eq!(report.keys.len(), 11);

    // Against the seed's hierarchy: the secret sits under cmk-pii and the archive's backup
    // data under a key without a category, so cmk-secrets and cmk-backup are missing.
    let missing: Vec<(String, String)> = report
        .missing_keys
        .iter()
        .map(|m| (m.provider.clone(), m.alias.clone()))
        .collect();
    assert_eq!(
        missing,
        vec![
            ("aws".to_string(), "alias/cmk-secrets".to_string()),
            ("aws".to_string(), "alias/cmk-backup".to_string()),
        ]
    );

    // Keys shared across categories: the general key (payments: financial by name; metrics:
    // operational) and the PII key (the customer database and sessions: pii; the database
    // secret: secrets).
    let shared: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule == "KMS005")
        .filter_map(|f| f.address.as_deref())
        .collect();
    assert_eq!(shared, vec!["aws_kms_key.general", "aws_kms_key.pii"]);

    let pii = report
        .keys
        .iter()
        .find(|k| k.id == "aws_kms_key.pii")
        .expect("the PII key");
    assert_eq!(pii.alias.as_deref(), Some("alias/cmk-pii"));
    assert_eq!(
        pii.stores,
        vec![
            "aws_db_instance.customers",
            "aws_elasticache_replication_group.sessions",
            "aws_secretsmanager_secret.db",
        ]
    );
    let batch = report
        .keys
        .iter()
        .find(|k| k.id == "aws_kms_key.batch")
        .expect("the batch key");
    assert_eq!(batch.stores.len(), 3);
}

#[test]
fn the_composite_metrics() {
    let report = report();
    let figures: Vec<(String, usize, usize, Vec<String>)> = report
        .metrics
        .iter()
        .map(|(name, m)| (name.clone(), m.numerator, m.denominator, m.failing.clone()))
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        figures,
        vec![
            // Only the DNS-validated API certificate renews itself; the email-validated
            // portal, the two imports and the IAM upload don't (the legacy import also
            // expires 13 days after the plan's timestamp).
            (
                "acm_expiry".to_string(),
                1,
                5,
                s(&[
                    "aws_acm_certificate.legacy_import",
                    "aws_acm_certificate.portal",
                    "aws_acm_certificate.internal",
                    "aws_iam_server_certificate.legacy",
                ])
            ),
            // aws has aws_ebs_encryption_by_default, aws.us_east_1 has not.
            (
                "ebs_default_encryption".to_string(),
                1,
                2,
                s(&["aws.us_east_1"])
            ),
            // Six CMKs, the logs key without rotation.
            ("kms_rotation".to_string(), 5, 6, s(&["aws_kms_key.logs"])),
            // PII: customer_data (SSE-S3), customers, sessions; financial: payments (by
            // name, on the general CMK) and the plan's reports bucket (SSE-S3 after it).
            (
                "pii_financial_cmk".to_string(),
                3,
                5,
                s(&["aws_s3_bucket.reports", "aws_s3_bucket.customer_data"])
            ),
            // Three listeners, the distribution and the API domain: only the admin listener
            // (TLS 1.2 only) refuses TLS 1.0/1.1.
            (
                "tls12_endpoints".to_string(),
                1,
                5,
                s(&[
                    "aws_lb_listener.https",
                    "aws_lb_listener.http",
                    "aws_cloudfront_distribution.site",
                    "aws_api_gateway_domain_name.api",
                ])
            ),
        ]
    );
}
