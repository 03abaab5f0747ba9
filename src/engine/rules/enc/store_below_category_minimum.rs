use super::{at_store, category_name, level_text, minimum_text};
use crate::declare_rule;
use crate::engine::category::Category;
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::stores::{self, DataStore};

declare_rule! {
    /// ## What it does
    /// Compares every data store's encryption at rest with the minimum of its data category
    /// (SPEC §3, the seed's "Which Data Requires CMK?" table): a customer-managed KMS key
    /// (CMK) for PII, financial, health, log, secret and backup data; an AWS-managed KMS key
    /// (SSE-KMS) for operational data; SSE-S3 for public assets. A store nothing classifies
    /// is held to the operational minimum. Levels, weakest first: not encrypted <
    /// provider-owned key (SSE-S3, DynamoDB's AWS-owned key, SSE-SQS) < AWS-managed key
    /// (`alias/aws/*`) < CMK.
    ///
    /// A data store is a resource of any of the 198 types in the store catalogue
    /// ([docs/stores.md](../stores.md), `planlens stores`), each read with its own key
    /// argument, switch and AWS default; the resource types listed below are the ones with
    /// their own examples and peer mappings here.
    ///
    /// The finding sits on the store (the bucket, not its
    /// `aws_s3_bucket_server_side_encryption_configuration`), located at the attribute that
    /// decides the level. Defaults count: a bucket without any encryption configuration has
    /// SSE-S3, an RDS instance without `storage_encrypted` is not encrypted, a DynamoDB table
    /// without `server_side_encryption` uses an AWS-owned key. A key attribute that is set
    /// but not known before apply counts as a customer key (unverified): unknown values are
    /// never failures.
    ///
    /// ## Why is this bad?
    /// With SSE-S3 or an AWS-owned key, AWS holds the key: you cannot restrict who decrypts
    /// through a key policy, audit every use of it in CloudTrail, revoke it, or erase the
    /// data by deleting it. With an AWS-managed key the key is in your account but its
    /// policy is AWS's and shared by every use of the service. The seed's first mistake in
    /// its list is exactly this: "S3 buckets with SSE-S3 (AES256) instead of CMK – AWS
    /// manages the key, no real key ownership".
    ///
    /// Severity: critical for PII, financial and health data below a CMK; high for the other
    /// categories; medium for an unclassified store (ENC003 asks to classify it first).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "customer_data" {
    ///   bucket = "myorg-customer-data-prod"
    ///   tags   = { data-class = "pii" }
    /// }
    ///
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "customer_data" {
    ///   bucket = aws_s3_bucket.customer_data.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm = "AES256" # SSE-S3: AWS holds the key
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   description         = "CMK for PII data"
    ///   enable_key_rotation = true
    ///   tags                = { data-class = "pii" }
    /// }
    ///
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "customer_data" {
    ///   bucket = aws_s3_bucket.customer_data.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.pii.arn
    ///     }
    ///     bucket_key_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Where the seed is wrong
    /// The seed's non-compliant snippet comments `sse_algorithm = "AES256"` as "AWS-managed
    /// key – no CMK!". AES256 is SSE-S3, a key S3 owns; an AWS-managed key is the KMS key
    /// `aws/s3` that `sse_algorithm = "aws:kms"` without `kms_master_key_id` uses. Both are
    /// below the CMK that PII requires, but they are different levels, and this rule names
    /// the right one. The seed also has no row for health data's key in its hierarchy; the
    /// minimum for health data (a CMK) comes from its category table.
    ///
    /// ## References
    /// - [Amazon S3: default encryption FAQ (SSE-S3 for every bucket since January 2023)](https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html)
    /// - [AWS KMS concepts: customer managed, AWS managed and AWS owned keys](https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt)
    /// - [Amazon RDS: encrypting DB resources](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html)
    /// - [DynamoDB encryption at rest](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html)
    id: "ENC001", name: "store-below-category-minimum", severity: Critical, control: AtRest,
    resource_types: [
        "aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table",
        "aws_ebs_volume", "aws_instance", "aws_launch_template", "aws_launch_configuration",
        "aws_efs_file_system", "aws_cloudtrail", "aws_cloudwatch_log_group",
        "aws_secretsmanager_secret", "aws_ssm_parameter", "aws_backup_vault", "aws_sqs_queue",
        "aws_sns_topic", "aws_kinesis_stream", "aws_ecr_repository",
        "aws_elasticache_replication_group", "aws_redshift_cluster", "aws_opensearch_domain",
        "aws_elasticsearch_domain",
    ],
    peers: [
        Checkov "CKV_AWS_145", Checkov "CKV_AWS_16", Checkov "CKV_AWS_119",
        Checkov "CKV_AWS_3", Checkov "CKV_AWS_8", Checkov "CKV_AWS_158", Checkov "CKV_AWS_35",
        Checkov "CKV_AWS_149", Checkov "CKV_AWS_27", Checkov "CKV_AWS_26",
        Tfsec "aws-s3-encryption-customer-key", Trivy "AVD-AWS-0132",
        Tfsec "aws-dynamodb-table-customer-key", Trivy "AVD-AWS-0025",
        Tfsec "aws-cloudwatch-log-group-customer-key", Trivy "AVD-AWS-0017",
        Tfsec "aws-rds-encrypt-instance-storage-data", Trivy "AVD-AWS-0080",
        Tfsec "aws-rds-encrypt-cluster-storage-data", Trivy "AVD-AWS-0079",
        Tfsec "aws-ec2-volume-encryption-customer-key", Trivy "AVD-AWS-0027",
        Kics "cfdcabb0-fc06-427c-865b-c59f13e898ce", Kics "76976de7-c7b1-4f64-a94f-90c1345914c2",
        SecurityHub "RDS.3",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let config = &cx.options.config;
    for store in &cx.analysis.stores {
        let minimum = store.minimum(config);
        if store.level >= minimum {
            continue;
        }
        let mut message = format!(
            "{} holds {} data with {} ({}), below the required {}.",
            store.label(),
            category_name(store),
            level_text(store.level),
            store.evidence().unwrap_or("no encryption settings"),
            minimum_text(config, store.category),
        );
        // Types read from the store catalogue alone: say which argument takes the key (the
        // rule's own example is S3's).
        if let Some(e) =
            stores::catalogue_entry(&store.rtype).filter(|e| e.reader == stores::Reader::Catalogue)
        {
            match (e.keys.first(), e.switch) {
                (Some(k), Some(s)) => message.push_str(&format!(
                    " The key goes in `{}` (with `{} = {}`).",
                    k.replace(".0.", "."),
                    s.path.replace(".0.", "."),
                    s.on.first().copied().unwrap_or("true")
                )),
                (Some(k), None) => {
                    message.push_str(&format!(" The key goes in `{}`.", k.replace(".0.", ".")))
                }
                (None, _) => message.push_str(&format!(
                    " {} takes no key of yours: docs/stores.md.",
                    store.rtype
                )),
            }
        }
        if let Some(b) = at_store(cx, &RULE, store, message) {
            b.severity(severity(store)).push(out);
        }
    }
}

fn severity(store: &DataStore) -> Severity {
    match store.category {
        Some(Category::Pii | Category::Financial | Category::Health) => Severity::Critical,
        Some(_) => Severity::High,
        None => Severity::Medium,
    }
}
