//! Databases and caches: RDS instances and clusters, DynamoDB, Redshift, ElastiCache,
//! OpenSearch/Elasticsearch. Defaults, from AWS and the provider's documentation:
//! - RDS: `storage_encrypted` defaults to false; encrypted without `kms_key_id` uses
//!   `alias/aws/rds` (<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html>).
//!   Aurora clusters: see [`rds_cluster`] (Serverless v1 always encrypted; new clusters
//!   encrypted with an AWS-owned key by default since 18 February 2026).
//! - DynamoDB always encrypts: without a `server_side_encryption` block (or with
//!   `enabled = false`) an AWS-owned key; `enabled = true` without `kms_key_arn` the
//!   AWS-managed `alias/aws/dynamodb`
//!   (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html>).
//! - Redshift encrypts new clusters by default with an AWS-owned key; `encrypted = false`
//!   turns it off (<https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html>).
//! - ElastiCache replication groups: `at_rest_encryption_enabled` defaults to false for
//!   Redis OSS and to true for Valkey; without `kms_key_id` the service's own key is used
//!   (<https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html>).
//! - OpenSearch: `encrypt_at_rest.enabled` defaults to false; without `kms_key_id` it uses
//!   `alias/aws/es` (<https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html>).

use super::read::{attr, describe, flag, keyed, live, Attr, Protection, Reading};
use super::volumes::{flagged, flagged_with_default};
use crate::engine::model::{Model, Resource};

const RDS_MANAGED: &str = "alias/aws/rds";

pub(crate) fn read<'a>(model: &'a Model, out: &mut Vec<Reading<'a>>) {
    for db in live(model, "aws_db_instance") {
        out.push(db_instance(model, db));
    }
    for c in live(model, "aws_rds_cluster") {
        out.push(rds_cluster(c));
    }
    for t in live(model, "aws_dynamodb_table") {
        out.push(dynamodb(t));
    }
    for c in live(model, "aws_redshift_cluster") {
        out.push(redshift(c));
    }
    for g in live(model, "aws_elasticache_replication_group") {
        let valkey = g
            .get_str("engine")
            .is_some_and(|e| e.eq_ignore_ascii_case("valkey"));
        let r = flagged_with_default(
            g,
            "elasticache",
            "at_rest_encryption_enabled",
            valkey,
            "kms_key_id",
            "alias/aws/elasticache",
        );
        out.push(service_owned_when_managed(r, "the service's own key"));
    }
}

/// An RDS instance. A read replica (`replicate_source_db`) that sets neither
/// `storage_encrypted` nor `kms_key_id` is encrypted exactly as its source in the same
/// region is, and an instance restored from a snapshot (`snapshot_identifier`) as the
/// snapshot is ("Working with DB instance read replicas"; "Restoring from a DB snapshot"):
/// the source's reading when the source is in the input, else an assumption in its favour.
fn db_instance<'a>(model: &'a Model, db: &'a Resource) -> Reading<'a> {
    let own = flagged(db, "rds", "storage_encrypted", "kms_key_id", RDS_MANAGED);
    if attr(db, "storage_encrypted").is_set() || attr(db, "kms_key_id").is_set() {
        return own;
    }
    if attr(db, "replicate_source_db").is_set() {
        let source = db
            .refs("replicate_source_db")
            .iter()
            .flat_map(|r| model.resolve(r))
            .find(|s| s.rtype == "aws_db_instance" && s.address != db.address);
        if let Some(source) = source {
            let mut r = flagged(
                source,
                "rds",
                "storage_encrypted",
                "kms_key_id",
                RDS_MANAGED,
            );
            r.store = db;
            r.evidence = format!("read replica of {}: {}", source.address, r.evidence);
            return r;
        }
        return Reading::new(
            db,
            "rds",
            Protection::Inherited,
            (db, "replicate_source_db"),
            "read replica: encrypted as its source, which is not in the input",
        )
        .assumed(
            "a read replica takes its source's encryption, and the source is not in the input",
        );
    }
    if attr(db, "snapshot_identifier").is_set() {
        return Reading::new(
            db,
            "rds",
            Protection::Inherited,
            (db, "snapshot_identifier"),
            "restored from a snapshot: encrypted as the snapshot is",
        )
        .assumed("a restored instance takes its snapshot's encryption, and the snapshot is not in the input");
    }
    own
}

/// An Aurora cluster. Aurora Serverless v1 (`engine_mode = "serverless"`) is always
/// encrypted — "you can't disable encryption" — so `storage_encrypted = false` there still
/// means the AWS-managed key aws/rds, or the cluster's `kms_key_id`
/// (<https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless.html>).
///
/// Any other Aurora cluster created since 18 February 2026 is encrypted at rest by default
/// with an AWS-owned key ("Encrypting Amazon Aurora resources",
/// <https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html>):
/// a cluster that sets neither `storage_encrypted` nor `kms_key_id` reads as provider-owned.
/// `storage_encrypted = false` stays unencrypted (a cluster in state from before then).
/// Multi-AZ DB clusters (`engine = "mysql"` / `"postgres"`) are RDS, not Aurora: off by
/// default.
fn rds_cluster(c: &Resource) -> Reading<'_> {
    if c.get_str("engine_mode") != Some("serverless") {
        let aurora = c.get_str("engine").is_none_or(|e| e.starts_with("aurora"));
        if aurora && !attr(c, "storage_encrypted").is_set() && !attr(c, "kms_key_id").is_set() {
            return Reading::new(
                c,
                "rds",
                Protection::ProviderOwned,
                (c, "storage_encrypted"),
                "storage_encrypted is not set: Aurora encrypts new clusters with an AWS-owned key \
                 (since 18 February 2026)",
            );
        }
        return flagged(c, "rds", "storage_encrypted", "kms_key_id", RDS_MANAGED);
    }
    let r = keyed(
        c,
        "rds",
        "kms_key_id",
        RDS_MANAGED,
        Protection::AwsManaged(RDS_MANAGED),
        "engine_mode = \"serverless\" without kms_key_id: Aurora Serverless v1 is always encrypted, \
         with the AWS-managed key aws/rds",
    );
    match (attr(c, "kms_key_id").is_set(), attr(c, "storage_encrypted")) {
        (false, Attr::Set(v)) if v.as_bool() == Some(false) => Reading {
            evidence:
                "storage_encrypted = false, but engine_mode = \"serverless\": Aurora Serverless v1 \
                       can't be unencrypted, so the AWS-managed key aws/rds"
                    .into(),
            ..r
        },
        _ => r,
    }
}

/// ElastiCache has no AWS-managed key alias: at-rest encryption without a CMK uses a key
/// the service owns.
fn service_owned_when_managed<'a>(mut r: Reading<'a>, what: &str) -> Reading<'a> {
    if matches!(r.protection, Protection::AwsManaged(_)) {
        r.protection = Protection::ProviderOwned;
        r.evidence = format!("at_rest_encryption_enabled without kms_key_id: {what}");
    }
    r
}

fn dynamodb(t: &Resource) -> Reading<'_> {
    let block = "server_side_encryption.0";
    let enabled_path = format!("{block}.enabled");
    let has_block = t.blocks("server_side_encryption").next().is_some();
    if !has_block && !matches!(attr(t, "server_side_encryption"), Attr::Unknown) {
        return Reading::new(
            t,
            "dynamodb",
            Protection::ProviderOwned,
            (t, "server_side_encryption"),
            "no server_side_encryption block: DynamoDB uses an AWS-owned key",
        );
    }
    match flag(t, &enabled_path, false) {
        Some(false) => Reading::new(
            t,
            "dynamodb",
            Protection::ProviderOwned,
            (t, enabled_path.as_str()),
            format!(
                "{}: DynamoDB uses an AWS-owned key",
                describe(&enabled_path, attr(t, &enabled_path))
            ),
        ),
        enabled => {
            let r = keyed(
                t,
                "dynamodb",
                &format!("{block}.kms_key_arn"),
                "alias/aws/dynamodb",
                Protection::AwsManaged("alias/aws/dynamodb"),
                "server_side_encryption enabled without kms_key_arn: the AWS-managed key aws/dynamodb",
            );
            if enabled.is_none() {
                r.assumed("server_side_encryption.enabled is not known before apply")
            } else {
                r
            }
        }
    }
}

fn redshift(c: &Resource) -> Reading<'_> {
    match flag(c, "encrypted", true) {
        Some(false) => Reading::new(
            c,
            "redshift",
            Protection::None,
            (c, "encrypted"),
            "encrypted = false",
        ),
        encrypted => {
            let explicit = matches!(attr(c, "encrypted"), Attr::Set(_));
            let (absent, evidence) = if explicit {
                (
                    Protection::AwsManaged("alias/aws/redshift"),
                    "encrypted = true without kms_key_id: the AWS-managed key aws/redshift",
                )
            } else {
                (
                    Protection::ProviderOwned,
                    "encrypted is not set: Redshift encrypts with an AWS-owned key by default",
                )
            };
            let r = keyed(
                c,
                "redshift",
                "kms_key_id",
                "alias/aws/redshift",
                absent,
                evidence,
            );
            if encrypted.is_none() {
                r.assumed("encrypted is not known before apply")
            } else {
                r
            }
        }
    }
}
