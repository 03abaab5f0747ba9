use std::collections::HashSet;

use crate::declare_rule;
use crate::engine::category::CategorySource;
use crate::engine::model::Lookup;
use crate::engine::rules::{Context, Finding, Severity};

declare_rule! {
    /// ## What it does
    /// Flags a data store without a data-classification tag (`data-class`, `data_class`,
    /// `DataClass`, `data-classification`, `DataClassification`, `classification`, or the
    /// keys configured in `planlens.toml`) on itself or through the provider's
    /// `default_tags`:
    /// - medium when nothing else classifies it either: it is held to the operational
    ///   minimum, which may be far below what its data needs;
    /// - low when its category is only inferred from its name (`customer-exports` → pii):
    ///   the guess drives ENC001/ENC002, and a tag makes it a decision.
    ///
    /// Stores whose type implies the category (CloudTrail and log groups → logs, Secrets
    /// Manager and SecureString parameters → secrets, Backup vaults → backup), stores the
    /// user classified in the settings, and stores whose `tags` are not known before apply
    /// are not flagged.
    ///
    /// ## Why is this bad?
    /// The seed's strategy hangs on data categories: which key, which minimum, which
    /// recommendation. "No distinction between data categories (PII vs. operational)" is
    /// one of its listed mistakes. A store nobody classified is a store whose encryption
    /// nobody decided.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "myorg-exports"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "myorg-exports"
    ///   tags   = { data-class = "pii" }
    /// }
    /// ```
    ///
    /// ## Where the seed is wrong
    /// The seed tags its PII key `data-class = "pii"` but neither the S3 bucket nor the RDS
    /// instance its hierarchy puts under that key ("cmk-pii → RDS customer database, S3 PII
    /// bucket"): assembled as written, its own Terraform gets this finding for both (low for
    /// the bucket, whose name says "customer"; medium for `prod-db`). Tag the stores, or
    /// classify them in `planlens.toml` (`[overrides]`).
    ///
    /// ## References
    /// - [AWS Whitepaper: Data classification](https://docs.aws.amazon.com/whitepapers/latest/data-classification/data-classification.html)
    /// - [AWS provider: default_tags](https://registry.terraform.io/providers/hashicorp/aws/latest/docs#default_tags-configuration-block)
    id: "ENC003", name: "unclassified-data-store", severity: Medium, control: AtRest,
    resource_types: [
        "aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table",
        "aws_ebs_volume", "aws_instance", "aws_launch_template", "aws_launch_configuration",
        "aws_efs_file_system", "aws_sqs_queue", "aws_sns_topic", "aws_kinesis_stream",
        "aws_ecr_repository", "aws_elasticache_replication_group", "aws_redshift_cluster",
        "aws_opensearch_domain", "aws_elasticsearch_domain",
    ],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let mut seen: HashSet<&str> = HashSet::new();
    for store in &cx.analysis.stores {
        // One finding per resource, however many stores (block devices) it holds.
        if seen.contains(store.address.as_str()) {
            continue;
        }
        let (severity, message) = match store.category_source {
            CategorySource::Unclassified => (
                Severity::Medium,
                format!(
                    "{} has no data-class tag and nothing else classifies it, so it is held to the operational minimum.",
                    store.address
                ),
            ),
            CategorySource::Name => (
                Severity::Low,
                format!(
                    "{} has no data-class tag; its category {} is only inferred ({}).",
                    store.address,
                    store.category.map(|c| c.to_string()).unwrap_or_default(),
                    store.category_evidence.as_deref().unwrap_or("from its name"),
                ),
            ),
            _ => continue,
        };
        seen.insert(&store.address);
        let Some(res) = cx.model.get(&store.address) else {
            continue;
        };
        // Tags not known before apply may well carry the class: not a failure.
        if ["tags", "tags_all"]
            .iter()
            .any(|t| matches!(res.get(t), Lookup::Unknown(_)) && !res.refs(t).is_empty())
        {
            continue;
        }
        cx.finding(&RULE, res, "tags", message)
            .severity(severity)
            .evidence(serde_json::json!({
                "category": store.category,
                "category_source": store.category_source,
                "category_evidence": store.category_evidence,
            }))
            .push(out);
    }
}
