//! S3 buckets: the v4+ `aws_s3_bucket_server_side_encryption_configuration` companion
//! (linked by reference or by literal bucket name) wins over the v3 inline
//! `server_side_encryption_configuration` block; a bucket with neither gets SSE-S3, which
//! S3 applies to every bucket since 5 January 2023
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html>).

use std::collections::HashMap;

use super::read::{attr, configured, describe, live, Attr, Protection, Reading};
use crate::engine::model::{Lookup, Model, Resource};

pub const COMPANION: &str = "aws_s3_bucket_server_side_encryption_configuration";

/// The AWS-managed key S3 uses for `aws:kms` without a key id.
const S3_MANAGED: &str = "alias/aws/s3";

pub(crate) fn read<'a>(model: &'a Model, out: &mut Vec<Reading<'a>>) {
    let companions = companions(model);
    for bucket in live(model, "aws_s3_bucket") {
        let reading = if let Some(companion) = companions.get(bucket.address.as_str()) {
            from_rules(bucket, companion, "rule")
        } else if attr(bucket, "server_side_encryption_configuration").is_set()
            && !matches!(
                attr(bucket, "server_side_encryption_configuration"),
                Attr::Set(v) if v.as_list().is_some_and(|l| l.is_empty())
            )
        {
            from_rules(
                bucket,
                bucket,
                "server_side_encryption_configuration.0.rule",
            )
        } else {
            Reading::new(
                bucket,
                "s3",
                Protection::ProviderOwned,
                (bucket, ""),
                "no server-side encryption configuration: S3 applies SSE-S3 (AES256) by default",
            )
        };
        out.push(reading);
    }
}

/// The bucket each encryption companion configures.
pub(crate) fn companions(model: &Model) -> HashMap<&str, &Resource> {
    let mut out = HashMap::new();
    let mut by_name = None;
    for c in live(model, COMPANION) {
        if let Some(bucket) = target_bucket(model, c, &mut by_name) {
            out.entry(bucket.address.as_str()).or_insert(c);
        }
    }
    out
}

/// Live buckets by `bucket` and `id` value, the first bucket in model order for each: a
/// companion naming its bucket literally was matched with a scan of every bucket, which
/// made a plan of thousands of literal companions quadratic.
fn buckets_by_name(model: &Model) -> HashMap<&str, &Resource> {
    let mut out = HashMap::new();
    for b in live(model, "aws_s3_bucket") {
        for attr in ["bucket", "id"] {
            if let Some(name) = b.get_str(attr) {
                out.entry(name).or_insert(b);
            }
        }
    }
    out
}

/// `by_name` is built on the first companion that needs it.
fn target_bucket<'a>(
    model: &'a Model,
    companion: &Resource,
    by_name: &mut Option<HashMap<&'a str, &'a Resource>>,
) -> Option<&'a Resource> {
    for r in companion.refs("bucket") {
        let buckets: Vec<&Resource> = model
            .resolve(r)
            .filter(|b| b.rtype == "aws_s3_bucket")
            .collect();
        let chosen = buckets
            .iter()
            .find(|b| b.index.is_some() && b.index == companion.index)
            .or_else(|| buckets.first());
        if let Some(b) = chosen {
            return Some(b);
        }
    }
    let name = companion.get_str("bucket")?;
    by_name
        .get_or_insert_with(|| buckets_by_name(model))
        .get(name)
        .copied()
}

/// Reads `<rules>.0.apply_server_side_encryption_by_default.0` of `holder` for `bucket`.
fn from_rules<'a>(bucket: &'a Resource, holder: &'a Resource, rules: &str) -> Reading<'a> {
    let base = format!("{rules}.0.apply_server_side_encryption_by_default.0");
    let algo_path = format!("{base}.sse_algorithm");
    let key_path = format!("{base}.kms_master_key_id");
    let key = within(holder, &key_path, rules);
    let keyed = |assumed: Option<&str>| {
        let r = Reading::new(
            bucket,
            "s3",
            Protection::Key {
                holder,
                path: key_path.clone(),
                fallback: S3_MANAGED,
            },
            (holder, key_path.as_str()),
            describe(&key_path, key),
        );
        match assumed {
            Some(why) => r.assumed(why),
            None => r,
        }
    };
    match within(holder, &algo_path, rules) {
        Attr::Set(v) => match v.as_str().unwrap_or_default() {
            "aws:kms" | "aws:kms:dsse" if key.is_set() => keyed(None),
            alg @ ("aws:kms" | "aws:kms:dsse") => Reading::new(
                bucket,
                "s3",
                Protection::AwsManaged(S3_MANAGED),
                (holder, algo_path.as_str()),
                format!(
                    "sse_algorithm = {alg:?} without kms_master_key_id: the AWS-managed key aws/s3"
                ),
            ),
            "AES256" => Reading::new(
                bucket,
                "s3",
                Protection::ProviderOwned,
                (holder, algo_path.as_str()),
                "sse_algorithm = \"AES256\" (SSE-S3)",
            ),
            // S3 rejects any other value, so the bucket keeps the SSE-S3 it has by default.
            other => Reading::new(
                bucket,
                "s3",
                Protection::ProviderOwned,
                (holder, algo_path.as_str()),
                format!(
                    "sse_algorithm = {other:?} is not an S3 algorithm (AES256, aws:kms, aws:kms:dsse): S3 rejects it and the bucket keeps SSE-S3"
                ),
            ),
        },
        Attr::Unknown if key.is_set() => keyed(Some("sse_algorithm is not known before apply")),
        Attr::Unknown => Reading::new(
            bucket,
            "s3",
            Protection::AwsManaged(S3_MANAGED),
            (holder, algo_path.as_str()),
            "sse_algorithm = (known after apply)",
        )
        .assumed("sse_algorithm is not known before apply"),
        Attr::Absent => Reading::new(
            bucket,
            "s3",
            Protection::ProviderOwned,
            (holder, rules),
            "no apply_server_side_encryption_by_default: S3 applies SSE-S3 (AES256) by default",
        ),
    }
}

/// An attribute inside a rules block: unknown because the whole block is, and the block is
/// configured with references, reads as unknown rather than as AWS's default.
fn within<'a>(holder: &'a Resource, path: &str, block: &str) -> Attr<'a> {
    match attr(holder, path) {
        Attr::Absent
            if matches!(holder.get(path), Lookup::Unknown(_)) && configured(holder, block) =>
        {
            Attr::Unknown
        }
        a => a,
    }
}
