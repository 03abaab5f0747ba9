//! Data categories, encryption levels and the seed's table that ties them together.
//! This is the one place that table lives.

use serde::{Deserialize, Serialize};

/// A data category from the seed's "Which Data Requires CMK?" table, plus the two key
/// categories of its hierarchy (secrets, backup).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Pii,
    Financial,
    Health,
    Logs,
    Operational,
    Public,
    Secrets,
    Backup,
}

/// How strongly data is encrypted at rest, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    None,
    /// SSE-S3, DynamoDB's default AWS-owned key, SQS-managed SSE: the provider holds the key.
    ProviderOwned,
    /// An AWS-managed KMS key (`alias/aws/s3`, …): in the account, but not yours to govern.
    AwsManaged,
    /// A customer-managed key.
    Cmk,
    /// A CMK that also meets the category's recommendation (HSM backing, BYOK, explicit policy).
    CmkRecommended,
}

/// Where a store's category came from; always shown beside the category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CategorySource {
    /// The resource's own tag.
    Tag,
    /// The provider's `default_tags`.
    DefaultTag,
    /// The resource type implies it (CloudTrail → logs, Secrets Manager → secrets).
    ResourceType,
    /// Inferred from the resource's name.
    Name,
    /// Set by the user (settings panel, `planlens.toml`).
    Override,
    /// Nothing says: held to the operational minimum.
    Unclassified,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Pii,
        Category::Financial,
        Category::Health,
        Category::Logs,
        Category::Operational,
        Category::Public,
        Category::Secrets,
        Category::Backup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Pii => "pii",
            Category::Financial => "financial",
            Category::Health => "health",
            Category::Logs => "logs",
            Category::Operational => "operational",
            Category::Public => "public",
            Category::Secrets => "secrets",
            Category::Backup => "backup",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Pii => "PII (personal data)",
            Category::Financial => "Financial data",
            Category::Health => "Health data",
            Category::Logs => "Internal audit logs",
            Category::Operational => "Operational data",
            Category::Public => "Public assets",
            Category::Secrets => "Secrets",
            Category::Backup => "Backups",
        }
    }

    /// The seed's minimum requirement.
    pub fn minimum(self) -> Level {
        match self {
            Category::Operational => Level::AwsManaged,
            Category::Public => Level::ProviderOwned,
            _ => Level::Cmk,
        }
    }

    /// The seed's recommendation, as the level that meets it.
    pub fn recommendation(self) -> Level {
        match self {
            Category::Pii | Category::Financial | Category::Health => Level::CmkRecommended,
            Category::Public => Level::ProviderOwned,
            _ => Level::Cmk,
        }
    }

    /// The seed's wording of the minimum.
    pub fn minimum_text(self) -> &'static str {
        match self {
            Category::Operational => "SSE-KMS (AWS-managed key)",
            Category::Public => "SSE-S3",
            _ => "CMK",
        }
    }

    /// The seed's wording of the recommendation.
    pub fn recommendation_text(self) -> &'static str {
        match self {
            Category::Pii => "CMK with an explicit key policy",
            Category::Financial => "CMK or BYOK (origin = EXTERNAL)",
            Category::Health => "CMK backed by an HSM (custom key store)",
            Category::Public => "SSE-S3",
            _ => "CMK",
        }
    }

    /// The alias of this category's key in the seed's recommended hierarchy. Public data
    /// needs no key. The seed's hierarchy has no health key; we recommend `cmk-health`.
    pub fn key_alias(self) -> Option<&'static str> {
        match self {
            Category::Pii => Some("cmk-pii"),
            Category::Financial => Some("cmk-financial"),
            Category::Health => Some("cmk-health"),
            Category::Logs => Some("cmk-logs"),
            Category::Operational => Some("cmk-general"),
            Category::Public => None,
            Category::Secrets => Some("cmk-secrets"),
            Category::Backup => Some("cmk-backup"),
        }
    }

    /// Reads a category name as written in a tag value, after the built-in normalisation
    /// (`PII`, `personal` → pii; `finance` → financial; `phi` → health; `audit` → logs).
    pub fn from_tag_value(value: &str) -> Option<Category> {
        let v = value.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Some(match v.as_str() {
            "pii" | "personal" | "personal-data" | "customer" | "customer-data" => Category::Pii,
            "financial" | "finance" | "payment" | "payments" | "pci" => Category::Financial,
            "health" | "phi" | "medical" | "hipaa" => Category::Health,
            "logs" | "log" | "audit" | "audit-logs" | "logging" => Category::Logs,
            "operational" | "ops" | "internal" | "general" | "metrics" => Category::Operational,
            "public" => Category::Public,
            "secrets" | "secret" | "credentials" => Category::Secrets,
            "backup" | "backups" => Category::Backup,
            _ => return None,
        })
    }

    /// Reverse of [`Category::key_alias`] for an alias such as `alias/cmk-pii`.
    pub fn from_key_alias(alias: &str) -> Option<Category> {
        let name = alias.strip_prefix("alias/").unwrap_or(alias);
        Category::ALL
            .into_iter()
            .find(|c| c.key_alias() == Some(name))
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::ProviderOwned => "provider-owned",
            Level::AwsManaged => "aws-managed",
            Level::Cmk => "cmk",
            Level::CmkRecommended => "cmk-recommended",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::None => "not encrypted",
            Level::ProviderOwned => "provider-owned key (SSE-S3 / AWS-owned)",
            Level::AwsManaged => "AWS-managed KMS key",
            Level::Cmk => "customer-managed key (CMK)",
            Level::CmkRecommended => "CMK meeting the recommendation",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "none" => Level::None,
            "provider-owned" | "sse-s3" => Level::ProviderOwned,
            "aws-managed" | "sse-kms" => Level::AwsManaged,
            "cmk" => Level::Cmk,
            "cmk-recommended" => Level::CmkRecommended,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_values_normalise() {
        assert_eq!(Category::from_tag_value("PII"), Some(Category::Pii));
        assert_eq!(Category::from_tag_value("personal"), Some(Category::Pii));
        assert_eq!(
            Category::from_tag_value("finance"),
            Some(Category::Financial)
        );
        assert_eq!(Category::from_tag_value("phi"), Some(Category::Health));
        assert_eq!(Category::from_tag_value("audit"), Some(Category::Logs));
        assert_eq!(Category::from_tag_value("confidential"), None);
    }

    #[test]
    fn levels_order_weakest_first() {
        assert!(Level::None < Level::ProviderOwned);
        assert!(Level::ProviderOwned < Level::AwsManaged);
        assert!(Level::AwsManaged < Level::Cmk);
        assert!(Level::Cmk < Level::CmkRecommended);
        assert!(Category::Pii.minimum() > Category::Operational.minimum());
    }

    #[test]
    fn key_aliases_round_trip() {
        for c in Category::ALL {
            if let Some(a) = c.key_alias() {
                assert_eq!(Category::from_key_alias(&format!("alias/{a}")), Some(c));
            }
        }
    }
}
