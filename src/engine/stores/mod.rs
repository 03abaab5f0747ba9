//! Reads each data store's encryption into one [`DataStore`] (category, level, key) and
//! builds the key hierarchy, so the rules never parse HCL or JSON themselves.
//!
//! One reader per service family (`s3`, `volumes`, `databases`, `services`) says how a
//! store is protected; `keys` resolves key attributes to nodes of the hierarchy;
//! `classify` decides the category; this module puts them together and decides the level.

mod classify;
mod databases;
mod keys;
mod read;
mod s3;
mod services;
mod volumes;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::category::{Category, CategorySource, Level};
use super::config::Config;
use super::model::{Model, Origin};
use keys::{KeyBook, Resolved};
use read::{Protection, Reading};

pub use keys::{rotation_applicable, DEFAULT_DELETION_WINDOW, KEY_TYPES};
pub use s3::COMPANION as S3_ENCRYPTION_COMPANION;

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
    /// What the setting says, in words: `sse_algorithm = "AES256" (SSE-S3)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Set when the level rests on a value not known before apply, read in its most
    /// favourable way (unknown values are never failures); says which.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumed: Option<String>,
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

impl DataStore {
    /// The minimum this store is held to: its category's (stricter in the config), or the
    /// operational minimum when unclassified.
    pub fn minimum(&self, config: &Config) -> Level {
        config.minimum(self.category.unwrap_or(Category::Operational))
    }

    /// The level that meets its category's recommendation (never below the minimum).
    pub fn recommendation(&self, config: &Config) -> Level {
        let category = self.category.unwrap_or(Category::Operational);
        category.recommendation().max(config.minimum(category))
    }

    /// What the deciding setting says, in words.
    pub fn evidence(&self) -> Option<&str> {
        self.decided_by.as_ref().and_then(|d| d.evidence.as_deref())
    }

    /// Why the level is a favourable reading of an unknown value, if it is.
    pub fn assumed(&self) -> Option<&str> {
        self.decided_by.as_ref().and_then(|d| d.assumed.as_deref())
    }

    /// The store as `address` or `address (part)`.
    pub fn label(&self) -> String {
        match &self.part {
            Some(p) => format!("{} ({p})", self.address),
            None => self.address.clone(),
        }
    }
}

/// Reads every data store and key of the model.
pub fn analyse(model: &Model, config: &Config) -> Analysis {
    let ebs_defaults = volumes::EbsDefaults::new(model);
    let mut readings: Vec<Reading> = Vec::new();
    s3::read(model, &mut readings);
    databases::read(model, &mut readings);
    volumes::read(model, &ebs_defaults, &mut readings);
    services::read(model, &mut readings);

    let mut book = KeyBook::new(model, config);
    let mut stores = Vec::with_capacity(readings.len());
    for r in readings {
        let class = classify::classify(model, config, r.store, r.type_category);
        let provider = r.store.provider.clone();
        let (level, key, assumed) = settle(&mut book, &r, class.category, &provider);
        if let Some(id) = &key {
            book.protect(id, &r.store.address);
        }
        stores.push(DataStore {
            address: r.store.address.clone(),
            part: r.part,
            rtype: r.store.rtype.clone(),
            service: r.service.to_string(),
            category: class.category,
            category_source: class.source,
            category_evidence: class.evidence,
            level,
            key,
            decided_by: Some(AttrRef {
                address: r.decided_by.0.address.clone(),
                attribute: r.decided_by.1,
                evidence: Some(r.evidence),
                assumed: r.assumed.or(assumed),
            }),
            provider,
        });
    }
    let keys = book.into_keys();
    let providers = provider_nodes(model, &ebs_defaults, &stores, &keys);
    let missing_keys = missing_keys(&providers, &stores, &keys);
    Analysis {
        stores,
        keys,
        providers,
        missing_keys,
    }
}

/// The level a reading reaches, the key protecting it, and any favourable assumption made.
fn settle(
    book: &mut KeyBook,
    r: &Reading,
    category: Option<Category>,
    provider: &str,
) -> (Level, Option<String>, Option<String>) {
    match &r.protection {
        Protection::None => (Level::None, None, None),
        Protection::Inherited => (Level::CmkRecommended, None, None),
        Protection::ProviderOwned => (
            Level::ProviderOwned,
            Some(book.provider_owned(r.service, provider)),
            None,
        ),
        Protection::AwsManaged(alias) => (
            Level::AwsManaged,
            Some(book.aws_managed(alias, provider)),
            None,
        ),
        Protection::Key {
            holder,
            path,
            fallback,
        } => match book.resolve(holder, path, provider) {
            Some(Resolved::Key(id)) => {
                let (level, assumed) = book
                    .key(&id)
                    .map(|k| level_with_cmk(category, k))
                    .unwrap_or((Level::Cmk, None));
                (level, Some(id), assumed)
            }
            Some(Resolved::AwsManaged(alias)) => (
                Level::AwsManaged,
                Some(book.aws_managed(&alias, provider)),
                None,
            ),
            None => (
                Level::AwsManaged,
                Some(book.aws_managed(fallback, provider)),
                None,
            ),
        },
    }
}

/// A customer key meets the minimum of every category; whether it meets the recommendation
/// depends on the category (SPEC §3): PII needs an explicit key policy, financial data
/// BYOK (`aws_kms_external_key`) or a custom key store, health data a custom key store
/// (HSM). Other categories' recommendation is a CMK. A key we can't see (unverified) or a
/// policy not known before apply is read favourably, and says so.
fn level_with_cmk(category: Option<Category>, key: &Key) -> (Level, Option<String>) {
    let unverified = key.kind == KeyKind::Unverified;
    let met = match category {
        Some(Category::Pii) => match key.policy {
            Some(PolicyVerdict::Ok) => Ok(()),
            Some(PolicyVerdict::Unknown) | None => Err("the key policy is not known before apply"),
            _ => return (Level::Cmk, None),
        },
        Some(Category::Financial) if key.kind == KeyKind::External || key.hsm => Ok(()),
        Some(Category::Health) if key.hsm => Ok(()),
        Some(Category::Financial | Category::Health) if unverified => {
            Err("the key's origin is not visible in this configuration")
        }
        Some(Category::Financial | Category::Health) => return (Level::Cmk, None),
        _ => return (Level::Cmk, None),
    };
    match met {
        Ok(()) => (Level::CmkRecommended, None),
        Err(why) => (Level::CmkRecommended, Some(why.to_string())),
    }
}

/// One node per AWS provider configuration, plus any provider a store or key names that the
/// input did not declare.
fn provider_nodes(
    model: &Model,
    ebs: &volumes::EbsDefaults,
    stores: &[DataStore],
    keys: &[Key],
) -> Vec<ProviderNode> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let named = model
        .providers
        .iter()
        .filter(|p| p.name == "aws")
        .map(|p| (p.key.clone(), p.region().map(str::to_string)));
    let used = stores
        .iter()
        .map(|s| s.provider.clone())
        .chain(
            keys.iter()
                .filter(|k| k.address.is_some())
                .map(|k| k.provider.clone()),
        )
        .chain(
            model
                .resources
                .iter()
                .filter(|r| r.rtype == "aws_ebs_encryption_by_default")
                .map(|r| r.provider.clone()),
        )
        .filter(|p| !p.is_empty())
        .map(|p| (p, None));
    for (key, region) in named.chain(used) {
        if seen.insert(key.clone()) {
            out.push(ProviderNode {
                ebs_default_encryption: ebs.enabled.contains_key(key.as_str()),
                key,
                region,
            });
        }
    }
    out
}

/// Per provider, the categories that have stores but no customer key of their own (against
/// the seed's hierarchy, plus `cmk-health`, which the seed lacks). Public data needs none.
fn missing_keys(providers: &[ProviderNode], stores: &[DataStore], keys: &[Key]) -> Vec<MissingKey> {
    let mut out = Vec::new();
    for p in providers {
        let needed: BTreeSet<Category> = stores
            .iter()
            .filter(|s| s.provider == p.key)
            .filter_map(|s| s.category)
            .filter(|c| c.key_alias().is_some())
            .collect();
        let have: BTreeSet<Category> = keys
            .iter()
            .filter(|k| k.provider == p.key)
            .filter(|k| {
                matches!(
                    k.kind,
                    KeyKind::Cmk | KeyKind::External | KeyKind::Unverified
                )
            })
            .filter_map(|k| k.category)
            .collect();
        for c in needed.difference(&have) {
            if let Some(alias) = c.key_alias() {
                out.push(MissingKey {
                    provider: p.key.clone(),
                    category: *c,
                    alias: format!("alias/{alias}"),
                });
            }
        }
    }
    out
}

/// The categories of the stores a key protects, with those stores.
pub fn key_categories(analysis: &Analysis, key: &Key) -> BTreeMap<Category, Vec<String>> {
    let mut out: BTreeMap<Category, Vec<String>> = BTreeMap::new();
    for s in analysis
        .stores
        .iter()
        .filter(|s| s.key.as_deref() == Some(key.id.as_str()))
    {
        if let Some(c) = s.category {
            let list = out.entry(c).or_default();
            let label = s.label();
            if !list.contains(&label) {
                list.push(label);
            }
        }
    }
    out
}

/// File and line of a provider block, for provider-level findings.
pub fn provider_location(model: &Model, key: &str) -> Option<(String, Option<u32>)> {
    let p = model.provider(key)?;
    match &p.origin {
        Origin::Span(s) => model.position(*s).map(|(f, l, _)| (f.to_string(), Some(l))),
        Origin::Pointer { file, .. } => model.files.get(*file).map(|f| (f.path.clone(), None)),
        Origin::Implied => None,
    }
}
