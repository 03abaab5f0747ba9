//! What the page shows, as plain data computed from a report: tested natively, rendered by
//! the thin components in `crate::app`. Nothing here touches the DOM.

pub mod access;
pub mod detail;
pub mod findings;
pub mod fix;
pub mod hierarchy;
pub mod input;
pub mod matrix;
pub mod overview;
pub mod resources;
pub mod share;
pub mod svg;

pub use crate::engine::report::shown;
pub use overview::{error_rows, summary, ErrorRow, Summary};
pub use resources::{inventory_rows, InventoryRow};

use crate::engine::category::CategorySource;
use crate::engine::stores::{Key, KeyKind};

/// `file:line`, `file`, or nothing.
pub fn location(file: Option<&str>, line: Option<u32>) -> String {
    match (file, line) {
        (Some(f), Some(l)) => format!("{f}:{l}"),
        (Some(f), None) => f.to_string(),
        _ => String::new(),
    }
}

/// The words shown beside every category: where it came from.
pub fn source_label(source: CategorySource) -> &'static str {
    match source {
        CategorySource::Tag => "tag",
        CategorySource::DefaultTag => "default tag",
        CategorySource::ResourceType => "type",
        CategorySource::Name => "inferred from name",
        CategorySource::Override => "override",
        CategorySource::Unclassified => "unclassified",
    }
}

/// How a key is named on the page: its alias, else its address, else its id.
pub fn key_label(key: &Key) -> String {
    match key.kind {
        KeyKind::AwsManaged => {
            let alias = key
                .alias
                .clone()
                .unwrap_or_else(|| key.id.trim_start_matches("aws-managed:").to_string());
            format!("AWS-managed {alias}")
        }
        KeyKind::ProviderOwned => {
            let service = key.id.trim_start_matches("provider-owned:");
            format!("provider-owned ({service})")
        }
        _ => key
            .alias
            .clone()
            .or_else(|| key.address.clone())
            .unwrap_or_else(|| key.id.clone()),
    }
}

/// The short service a resource type belongs to (`aws_lb_listener` → `elb`), for the
/// findings' service filter when the resource is not a data store (whose own `service`
/// wins).
pub fn service_of_type(rtype: &str) -> String {
    const PREFIXES: [(&str, &str); 34] = [
        ("aws_s3", "s3"),
        ("aws_kms_", "kms"),
        ("aws_db_", "rds"),
        ("aws_rds_", "rds"),
        ("aws_dynamodb_", "dynamodb"),
        ("aws_ebs_", "ebs"),
        ("aws_instance", "ec2"),
        ("aws_launch_template", "ec2"),
        ("aws_launch_configuration", "ec2"),
        ("aws_efs_", "efs"),
        ("aws_cloudtrail", "cloudtrail"),
        ("aws_cloudwatch_log_", "logs"),
        ("aws_secretsmanager_", "secretsmanager"),
        ("aws_ssm_", "ssm"),
        ("aws_backup_", "backup"),
        ("aws_sqs_", "sqs"),
        ("aws_sns_", "sns"),
        ("aws_kinesis", "kinesis"),
        ("aws_ecr_", "ecr"),
        ("aws_elasticache_", "elasticache"),
        ("aws_redshift", "redshift"),
        ("aws_opensearch_", "opensearch"),
        ("aws_elasticsearch_", "opensearch"),
        ("aws_lb", "elb"),
        ("aws_alb", "elb"),
        ("aws_elb", "elb"),
        ("aws_load_balancer_", "elb"),
        ("aws_cloudfront_", "cloudfront"),
        ("aws_acm_", "acm"),
        ("aws_acmpca_", "acm"),
        ("aws_iam_", "iam"),
        ("aws_api_gateway_", "apigateway"),
        ("aws_apigatewayv2_", "apigateway"),
        ("tls_", "tls"),
    ];
    if let Some((_, s)) = PREFIXES.iter().find(|(p, _)| rtype.starts_with(p)) {
        return (*s).to_string();
    }
    // Unknown types: the word after the provider prefix (`aws_glue_job` → `glue`).
    rtype
        .split('_')
        .nth(1)
        .filter(|s| !s.is_empty())
        .unwrap_or("other")
        .to_string()
}

/// Cuts a string to at most `max` characters, on a character boundary, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

/// Cuts a string to at most `max` characters by dropping its middle: for addresses, whose
/// head (`module.x`) and tail (`aws_s3_bucket.name`) both matter.
pub fn clip_middle(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max || max < 5 {
        return clip(s, max);
    }
    let head = (max - 1) / 3;
    let tail = max - 1 - head;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// The first `n` items joined, and how many more there are: a summary line stays one line
/// when a plan has hundreds of them.
pub fn preview(items: &[String], n: usize) -> String {
    let shown = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    match items.len().saturating_sub(n) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_of_type_knows_the_endpoints_and_falls_back_to_the_second_word() {
        assert_eq!(service_of_type("aws_lb_listener"), "elb");
        assert_eq!(service_of_type("aws_s3_bucket"), "s3");
        assert_eq!(service_of_type("aws_cloudfront_distribution"), "cloudfront");
        assert_eq!(service_of_type("aws_glue_job"), "glue");
        assert_eq!(service_of_type("weird"), "other");
    }

    #[test]
    fn preview_names_the_first_few_and_counts_the_rest() {
        let items: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(preview(&items, 5), "a, b, c, d");
        assert_eq!(preview(&items, 2), "a, b and 2 more");
        assert_eq!(preview(&[], 2), "");
    }

    #[test]
    fn clip_middle_keeps_head_and_tail() {
        assert_eq!(clip_middle("abc", 5), "abc");
        let c = clip_middle("module.tenants[\"t1\"].aws_s3_bucket.archive", 20);
        assert_eq!(c.chars().count(), 20);
        assert!(c.starts_with("module") && c.ends_with(".archive"), "{c}");
    }

    #[test]
    fn clip_cuts_on_character_boundaries() {
        assert_eq!(clip("abc", 5), "abc");
        assert_eq!(clip("äöüß", 2), "äö…");
    }
}
