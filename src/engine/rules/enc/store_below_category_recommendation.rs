use super::{at_store, category_name, level_text};
use crate::declare_rule;
use crate::engine::category::{Category, Level};
use crate::engine::rules::{Context, Finding, Severity};
use crate::engine::stores::{DataStore, Key, KeyKind, PolicyVerdict};

declare_rule! {
    /// ## What it does
    /// Flags a data store that meets its category's minimum but not the seed's
    /// recommendation:
    /// - PII: a CMK **with an explicit key policy** — one that names who may use the key,
    ///   without wildcard principals or `kms:*` grants beyond the account root. No policy at
    ///   all, or only the account-root statement of AWS's default policy, leaves every
    ///   decision to IAM.
    /// - Financial data: the seed says "CMK or BYOK". A CMK is already the minimum, so the
    ///   recommendation this rule checks is the part beyond it: key material you bring
    ///   (`aws_kms_external_key`, origin `EXTERNAL`) or a key in a custom key store.
    /// - Health data: a CMK backed by an HSM — a key in a CloudHSM or external key store
    ///   (`custom_key_store_id`).
    /// - Operational data: a CMK (`cmk-general`) rather than the AWS-managed key the
    ///   minimum allows.
    ///
    /// Logs, secrets and backups: the recommendation is the minimum (a CMK), so ENC001
    /// covers them; unclassified stores get ENC003 instead. A key this configuration can't see (a literal ARN, a data source) or a
    /// policy not known before apply is not held against the store.
    ///
    /// ## Why is this bad?
    /// The minimum gives you key ownership; the recommendation limits who can use the key
    /// (PII), keeps the key material under your control outside AWS (financial), or keeps
    /// it in hardware you control (health). These are the controls auditors ask for under
    /// GDPR, PCI DSS and HIPAA respectively.
    ///
    /// Severity: low; info where only the HSM backing of a health-data key is missing (a
    /// custom key store is a significant operational commitment the seed recommends but
    /// does not require).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   # no policy: AWS's default key policy
    /// }
    ///
    /// resource "aws_db_instance" "customers" {
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.pii.arn
    ///   tags              = { data-class = "pii" }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [
    ///       { Sid = "EnableIAMUserPermissions", Effect = "Allow",
    ///         Principal = { AWS = "arn:aws:iam::111122223333:root" },
    ///         Action = "kms:*", Resource = "*" },
    ///       { Sid = "AllowAppUsage", Effect = "Allow",
    ///         Principal = { AWS = "arn:aws:iam::111122223333:role/app" },
    ///         Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*" },
    ///     ]
    ///   })
    /// }
    /// ```
    ///
    /// ## Where the seed is wrong
    /// The seed's hierarchy has no key for health data although its category table
    /// recommends HSM backing for it; planlens recommends `cmk-health` in a custom key
    /// store. For financial data the seed's "CMK or BYOK" recommendation is already met by
    /// the minimum as written; planlens reads it as BYOK (or a custom key store) being the
    /// step beyond the minimum, and says so here.
    ///
    /// ## References
    /// - [AWS KMS: key policies](https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html)
    /// - [AWS KMS: importing key material (BYOK)](https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html)
    /// - [AWS KMS: custom key stores](https://docs.aws.amazon.com/kms/latest/developerguide/custom-key-store-overview.html)
    id: "ENC002", name: "store-below-category-recommendation", severity: Low, control: AtRest,
    resource_types: [
        "aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table",
        "aws_ebs_volume", "aws_instance", "aws_launch_template", "aws_launch_configuration",
        "aws_efs_file_system", "aws_cloudtrail", "aws_cloudwatch_log_group",
        "aws_secretsmanager_secret", "aws_ssm_parameter", "aws_backup_vault", "aws_sqs_queue",
        "aws_sns_topic", "aws_kinesis_stream", "aws_ecr_repository",
        "aws_elasticache_replication_group", "aws_redshift_cluster", "aws_opensearch_domain",
        "aws_elasticsearch_domain",
    ],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let config = &cx.options.config;
    for store in &cx.analysis.stores {
        // Below the minimum is ENC001's; an unclassified store is ENC003's to sort out first.
        if store.level < store.minimum(config) || store.category.is_none() {
            continue;
        }
        let recommendation = store.recommendation(config);
        if store.level >= recommendation {
            continue;
        }
        let key = store.key.as_deref().and_then(|k| cx.analysis.key(k));
        let message = format!(
            "{} holds {} data with {}, but {} recommends {}: {}.",
            store.label(),
            category_name(store),
            level_text(store.level),
            category_name(store),
            store
                .category
                .unwrap_or(Category::Operational)
                .recommendation_text(),
            why(store, key),
        );
        let severity = if store.category == Some(Category::Health) && store.level == Level::Cmk {
            Severity::Info
        } else {
            Severity::Low
        };
        if let Some(b) = at_store(cx, &RULE, store, message) {
            b.severity(severity).push(out);
        }
    }
}

fn why(store: &DataStore, key: Option<&Key>) -> String {
    let Some(key) = key else {
        return "no key protects it".into();
    };
    let name = key.address.as_deref().unwrap_or(&key.id);
    match (store.category, key.kind) {
        (_, KeyKind::AwsManaged) => format!(
            "it uses the AWS-managed key {}",
            key.alias.as_deref().unwrap_or(&key.id)
        ),
        (_, KeyKind::ProviderOwned) => "it uses a key the provider owns".into(),
        (Some(Category::Pii), _) => match key.policy {
            Some(PolicyVerdict::Default) => {
                format!("{name} has no explicit key policy (only AWS's default account-root statement)")
            }
            Some(PolicyVerdict::WildcardPrincipal) => {
                format!("{name}'s key policy allows a wildcard principal")
            }
            Some(PolicyVerdict::Overbroad) => {
                format!("{name}'s key policy grants kms:* beyond the account root")
            }
            _ => format!("{name}'s key policy could not be verified"),
        },
        (Some(Category::Financial), _) => format!(
            "{name} is neither imported key material (aws_kms_external_key) nor in a custom key store"
        ),
        (Some(Category::Health), _) => {
            format!("{name} is not in a custom key store (custom_key_store_id)")
        }
        _ => format!("{name} does not meet it"),
    }
}
