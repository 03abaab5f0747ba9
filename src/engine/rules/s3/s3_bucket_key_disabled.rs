use crate::declare_rule;
use crate::engine::model::{Lookup, Value};
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags an S3 bucket encrypted with SSE-KMS (`sse_algorithm = "aws:kms"`) whose default
    /// encryption rule does not set `bucket_key_enabled = true` — in the v4+
    /// `aws_s3_bucket_server_side_encryption_configuration` or the v3 inline block. The
    /// finding sits on the bucket, located at the rule that lacks it. A value not known
    /// before apply is not flagged. Dual-layer SSE-KMS (`aws:kms:dsse`) is not flagged:
    /// S3 Bucket Keys don't support it.
    ///
    /// ## Why is this bad?
    /// Without an S3 Bucket Key, S3 calls KMS for every object it encrypts or decrypts.
    /// A bucket-level key derived from the CMK cuts those requests — and their cost and
    /// throttling — by up to 99% without weakening the key ownership the CMK gives. The seed
    /// lists "No `bucket_key_enabled`: without bucket key, high KMS API costs are incurred"
    /// among its anti-patterns. Severity: low (cost and KMS quota, not exposure).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "metrics" {
    ///   bucket = "myorg-metrics"
    /// }
    ///
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "metrics" {
    ///   bucket = aws_s3_bucket.metrics.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.general.arn
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_s3_bucket" "metrics" {
    ///   bucket = "myorg-metrics"
    /// }
    ///
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "metrics" {
    ///   bucket = aws_s3_bucket.metrics.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.general.arn
    ///     }
    ///     bucket_key_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon S3: reducing the cost of SSE-KMS with S3 Bucket Keys](https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html)
    /// - [AWS provider: aws_s3_bucket_server_side_encryption_configuration](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration)
    id: "S3001", name: "s3-bucket-key-disabled", severity: Low, control: AtRest,
    resource_types: ["aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration"],
    peers: [],
    check: check,
}

const DEFAULT_BLOCK: &str = ".apply_server_side_encryption_by_default";

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for store in cx.analysis.stores.iter().filter(|s| s.service == "s3") {
        let Some(decided) = &store.decided_by else {
            continue;
        };
        // `rule.0` (companion) or `server_side_encryption_configuration.0.rule.0` (inline).
        let Some(rule) = decided
            .attribute
            .split(DEFAULT_BLOCK)
            .next()
            .filter(|r| decided.attribute.contains(DEFAULT_BLOCK) && !r.is_empty())
        else {
            continue;
        };
        let (Some(bucket), Some(holder)) =
            (cx.model.get(&store.address), cx.model.get(&decided.address))
        else {
            continue;
        };
        let algorithm = format!("{rule}{DEFAULT_BLOCK}.0.sse_algorithm");
        if holder.get_str(&algorithm) != Some("aws:kms") {
            continue;
        }
        let path = format!("{rule}.bucket_key_enabled");
        let enabled = match holder.get(&path) {
            Lookup::Known(v) => v.as_bool().unwrap_or(false),
            Lookup::Unknown(_) => continue,
            Lookup::Absent => false,
        };
        if enabled {
            continue;
        }
        let shown = match holder.get(&path) {
            Lookup::Known(Value::Bool(false)) => "bucket_key_enabled = false",
            _ => "bucket_key_enabled is not set",
        };
        let message = format!(
            "{} uses SSE-KMS but {shown} in {}, so S3 calls KMS for every object.",
            store.address, holder.address
        );
        let b = cx.finding(
            &RULE,
            bucket,
            if holder.address == bucket.address {
                &path
            } else {
                ""
            },
            message,
        );
        let b = if holder.address == bucket.address {
            b
        } else {
            b.decided_in(holder, &path)
        };
        b.category(store.category).push(out);
    }
}
