//! Which names of a resource type are nested blocks, from the AWS provider's schema
//! (`schema_blocks.txt`, written by `tests/fixtures/real/schema-blocks.py` from
//! `terraform providers schema -json` of provider 5.100). Syntax alone cannot tell a block
//! from an argument in two places the adapters need to:
//! - HCL: `node_to_node_encryption = { enabled = true }` writes a block as an argument;
//!   Terraform rejects it ("Unsupported argument"), so we report it instead of reading
//!   the setting as absent;
//! - plan JSON: a block a plan leaves unknown without a configuration expression is a
//!   `dynamic` block (the plan's `configuration` omits those), not an unset argument.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("schema_blocks.txt");

fn table() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static T: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    T.get_or_init(|| {
        TABLE
            .lines()
            .filter_map(|l| {
                let mut it = l.split(' ');
                Some((it.next()?, it.collect()))
            })
            .collect()
    })
}

/// Whether `path` (block names joined by dots, no indexes: `rule`,
/// `rule.apply_server_side_encryption_by_default`) is a nested block of `rtype`.
pub fn is_block(rtype: &str, path: &str) -> bool {
    table().get(rtype).is_some_and(|b| b.contains(&path))
}

/// Whether the provider schema of `rtype` is in the table at all (a type without nested
/// blocks is not, and then nothing can be said about its names).
pub fn knows(rtype: &str) -> bool {
    table().contains_key(rtype)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_from_the_provider_schema() {
        assert!(is_block("aws_opensearch_domain", "node_to_node_encryption"));
        assert!(is_block("aws_opensearch_domain", "encrypt_at_rest"));
        assert!(!is_block("aws_opensearch_domain", "domain_name"));
        assert!(is_block(
            "aws_s3_bucket_server_side_encryption_configuration",
            "rule.apply_server_side_encryption_by_default"
        ));
        assert!(is_block("aws_lb_listener", "default_action.redirect"));
        assert!(!is_block("aws_lb_listener", "ssl_policy"));
        assert!(knows("aws_dynamodb_table") && !knows("aws_not_a_type"));
    }
}
