//! Logs, secrets, backups and messaging. Defaults, from AWS's documentation:
//! - CloudTrail log files are encrypted with SSE-S3 unless `kms_key_id` is set
//!   (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html>).
//! - CloudWatch log groups are always encrypted, with a key the service owns, unless
//!   `kms_key_id` is set (<https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html>).
//! - Secrets Manager uses `alias/aws/secretsmanager` without `kms_key_id`
//!   (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html>).
//! - SSM SecureString parameters use `alias/aws/ssm` without `key_id`
//!   (<https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html>).
//! - Backup vaults use `alias/aws/backup` without `kms_key_arn`
//!   (<https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html>).
//! - SQS encrypts new queues with SQS-owned keys (SSE-SQS) by default since October 2022
//!   (<https://aws.amazon.com/blogs/compute/announcing-server-side-encryption-with-amazon-simple-queue-service-managed-encryption-keys-sse-sqs-by-default/>);
//!   `sqs_managed_sse_enabled = false` without a key turns it off.
//! - SNS topics are not encrypted unless `kms_master_key_id` is set
//!   (<https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html>).
//! - Kinesis streams are not encrypted unless `encryption_type = "KMS"`
//!   (<https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html>).
//! - ECR repositories use AES256 (SSE-S3) unless `encryption_type = "KMS"`, which without
//!   `kms_key` uses `alias/aws/ecr` (<https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html>).

use super::read::{attr, describe, flag, keyed, live, Attr, Protection, Reading};
use crate::engine::category::Category;
use crate::engine::model::Model;

pub(crate) fn read<'a>(model: &'a Model, out: &mut Vec<Reading<'a>>) {
    for p in live(model, "aws_ssm_parameter") {
        // Only SecureString parameters are encrypted data; a String parameter is plain text
        // by the user's choice, and an unknown type is not guessed at.
        if p.get_str("type") != Some("SecureString") {
            continue;
        }
        out.push(
            keyed(
                p,
                "ssm",
                "key_id",
                "alias/aws/ssm",
                Protection::AwsManaged("alias/aws/ssm"),
                "key_id is not set: the AWS-managed key aws/ssm",
            )
            .type_category(Category::Secrets),
        );
    }
    for q in live(model, "aws_sqs_queue") {
        let sse_off = flag(q, "sqs_managed_sse_enabled", true) == Some(false);
        let (absent, evidence) = if sse_off {
            (
                Protection::None,
                "sqs_managed_sse_enabled = false and no kms_master_key_id",
            )
        } else {
            (
                Protection::ProviderOwned,
                "kms_master_key_id is not set: SQS-managed encryption (SSE-SQS)",
            )
        };
        let mut r = keyed(
            q,
            "sqs",
            "kms_master_key_id",
            "alias/aws/sqs",
            absent,
            evidence,
        );
        if sse_off && !attr(q, "kms_master_key_id").is_set() {
            r.decided_by.1 = "sqs_managed_sse_enabled".into();
        }
        out.push(r);
    }
    for s in live(model, "aws_kinesis_stream") {
        // `encryption_type = "KMS"` without `kms_key_id` names no key: StartStreamEncryption
        // requires a KeyId, so the provider fails after creating the stream and the stream
        // stays unencrypted (AWS has no implicit aws/kinesis key here).
        let r = match attr(s, "encryption_type") {
            Attr::Set(v) if v.as_str() == Some("KMS") && attr(s, "kms_key_id").is_set() => {
                keyed(
                    s,
                    "kinesis",
                    "kms_key_id",
                    "alias/aws/kinesis",
                    Protection::None,
                    "",
                )
            }
            Attr::Set(v) if v.as_str() == Some("KMS") => Reading::new(
                s,
                "kinesis",
                Protection::None,
                (s, "kms_key_id"),
                "encryption_type = \"KMS\" without kms_key_id: no key is named, StartStreamEncryption \
                 requires one, and the stream stays unencrypted",
            ),
            Attr::Unknown => keyed(
                s,
                "kinesis",
                "kms_key_id",
                "alias/aws/kinesis",
                Protection::AwsManaged("alias/aws/kinesis"),
                "encryption_type = (known after apply)",
            )
            .assumed("encryption_type is not known before apply"),
            a => Reading::new(
                s,
                "kinesis",
                Protection::None,
                (s, "encryption_type"),
                format!("{} (not encrypted)", describe("encryption_type", a)),
            ),
        };
        out.push(r);
    }
    for r in live(model, "aws_ecr_repository") {
        let type_path = "encryption_configuration.0.encryption_type";
        let reading = match attr(r, type_path) {
            Attr::Set(v) if v.as_str() == Some("KMS") => keyed(
                r,
                "ecr",
                "encryption_configuration.0.kms_key",
                "alias/aws/ecr",
                Protection::AwsManaged("alias/aws/ecr"),
                "encryption_type = \"KMS\" without kms_key: the AWS-managed key aws/ecr",
            ),
            Attr::Unknown => keyed(
                r,
                "ecr",
                "encryption_configuration.0.kms_key",
                "alias/aws/ecr",
                Protection::AwsManaged("alias/aws/ecr"),
                "encryption_type = (known after apply)",
            )
            .assumed("encryption_type is not known before apply"),
            a => Reading::new(
                r,
                "ecr",
                Protection::ProviderOwned,
                (r, type_path),
                format!("{} (AES256, SSE-S3)", describe("encryption_type", a)),
            ),
        };
        out.push(reading);
    }
}
