use crate::declare_rule;
use crate::engine::model::Lookup;
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::inventory::live;

declare_rule! {
    /// ## What it does
    /// Flags an ElastiCache replication group (Redis OSS / Valkey) whose
    /// `transit_encryption_enabled` is not `true` (it defaults to `false`), or whose
    /// `transit_encryption_mode` is `"preferred"`, which still accepts unencrypted clients.
    ///
    /// ## Why is this bad?
    /// Without in-transit encryption, cached data, AUTH tokens and replication traffic
    /// between nodes cross the VPC in plain text. Caches often hold session data and PII
    /// copied from the primary store.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id = "sessions"
    ///   description          = "user sessions"
    ///   engine               = "redis"
    ///   node_type            = "cache.t4g.small"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id       = "sessions"
    ///   description                = "user sessions"
    ///   engine                     = "redis"
    ///   node_type                  = "cache.t4g.small"
    ///   transit_encryption_enabled = true
    ///   transit_encryption_mode    = "required"
    /// }
    /// ```
    ///
    /// ## References
    /// - [ElastiCache in-transit encryption (TLS)](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html)
    /// - [Security Hub ElastiCache.5: replication groups should be encrypted in transit](https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html#elasticache-5)
    id: "TLS008", name: "elasticache-transit-encryption-disabled", severity: Medium, control: InTransit,
    resource_types: ["aws_elasticache_replication_group"],
    peers: [
        Checkov "CKV_AWS_30",
        Tfsec "aws-elasticache-enable-in-transit-encryption",
        SecurityHub "ElastiCache.5",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx
        .model
        .of_type("aws_elasticache_replication_group")
        .filter(|r| live(r))
    {
        match r.get("transit_encryption_enabled") {
            Lookup::Unknown(_) => continue,
            Lookup::Known(v) if v.as_bool() == Some(true) => {}
            _ => {
                cx.finding(
                    &RULE,
                    r,
                    "transit_encryption_enabled",
                    format!("{} does not enable in-transit encryption (transit_encryption_enabled is not true).", r.address),
                )
                .push(out);
                continue;
            }
        }
        if r.get_str("transit_encryption_mode") == Some("preferred") {
            cx.finding(
                &RULE,
                r,
                "transit_encryption_mode",
                format!(
                    "{} accepts unencrypted clients too (transit_encryption_mode \"preferred\").",
                    r.address
                ),
            )
            .push(out);
        }
    }
}
