//! Reads each data store's encryption into one [`DataStore`] (category, level, key) and
//! builds the key hierarchy, so the rules never parse HCL or JSON themselves.
//!
//! One reader per service family (`s3`, `volumes`, `databases`, `services`) says how a
//! store is protected; `keys` resolves key attributes to nodes of the hierarchy;
//! `classify` decides the category; this module puts them together and decides the level.

mod catalogue;
mod catalogue_data;
mod classify;
mod databases;
mod documents;
mod index;
mod keys;
mod outcomes;
mod read;
mod s3;
mod services;
mod volumes;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::category::{Category, CategorySource, Level};
use super::config::Config;
use super::model::{Model, Origin};
use super::policy::PolicyAnalysis;
use keys::{KeyBook, Resolved};
use read::{Protection, Reading};

pub use catalogue::{
    entry as catalogue_entry, Entry as CatalogueEntry, NoKey, Reader, Switch, CATALOGUE,
};
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

impl Key {
    /// A node with nothing known about it yet but its id, kind and provider.
    pub fn new(id: impl Into<String>, kind: KeyKind, provider: impl Into<String>) -> Key {
        Key {
            id: id.into(),
            kind,
            address: None,
            alias: None,
            category: None,
            rotation: None,
            deletion_window: None,
            policy: None,
            hsm: false,
            provider: provider.into(),
            stores: Vec::new(),
        }
    }
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
    /// Look-ups by address and key id, built on first use: every finding asks for its
    /// store, and every key for its stores, so scanning the lists made a review quadratic.
    #[serde(skip)]
    index: index::Lazy,
    /// Each CMK's key-policy analysis by key address, as the analysis read it: the
    /// key-policy rules read the same policies again.
    #[serde(skip)]
    policies: index::Cached<HashMap<String, PolicyAnalysis>>,
}

impl Analysis {
    pub fn key(&self, id: &str) -> Option<&Key> {
        match self.index.get(self) {
            Some(ix) => ix.key(id).map(|i| &self.keys[i]),
            None => self.keys.iter().find(|k| k.id == id),
        }
    }

    /// The first store at `address` (a resource with block devices holds several).
    pub fn store(&self, address: &str) -> Option<&DataStore> {
        match self.index.get(self) {
            Some(ix) => ix.store(address).map(|i| &self.stores[i]),
            None => self.stores.iter().find(|s| s.address == address),
        }
    }

    /// The key-policy analysis of the CMK at `address`, when this analysis made one (it
    /// is not serialized: a deserialized analysis has none).
    pub fn key_policy(&self, address: &str) -> Option<&PolicyAnalysis> {
        self.policies.0.get(address)
    }

    /// The stores whose key is `id`, in the order of [`Analysis::stores`].
    pub fn stores_of_key<'a>(
        &'a self,
        id: &'a str,
    ) -> Box<dyn Iterator<Item = &'a DataStore> + 'a> {
        match self.index.get(self) {
            Some(ix) => Box::new(ix.stores_of_key(id).iter().map(|&i| &self.stores[i])),
            None => Box::new(
                self.stores
                    .iter()
                    .filter(move |s| s.key.as_deref() == Some(id)),
            ),
        }
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

/// Every resource type [`analyse`] reads, as a managed resource or a data source: the
/// stores, S3's encryption companion, keys, aliases and key policies, and the account's EBS
/// defaults. The analysis of a model's resources of these types alone equals the analysis
/// of the whole model (a test holds every fixture to that), so a second analysis (the plan's
/// before values, PLN002) needs only these.
pub const READ_TYPES: [&str; 30] = [
    "aws_backup_vault",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_db_instance",
    "aws_dynamodb_table",
    "aws_ebs_default_kms_key",
    "aws_ebs_encryption_by_default",
    "aws_ebs_volume",
    "aws_ecr_repository",
    "aws_efs_file_system",
    "aws_elasticache_replication_group",
    "aws_elasticsearch_domain",
    "aws_instance",
    "aws_kinesis_stream",
    "aws_kms_alias",
    "aws_kms_external_key",
    "aws_kms_key",
    "aws_kms_key_policy",
    "aws_kms_replica_key",
    "aws_launch_configuration",
    "aws_launch_template",
    "aws_opensearch_domain",
    "aws_rds_cluster",
    "aws_redshift_cluster",
    "aws_s3_bucket",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_secretsmanager_secret",
    "aws_sns_topic",
    "aws_sqs_queue",
    "aws_ssm_parameter",
];

/// Whether [`analyse`] reads resources of this type: the keys and settings above, and every
/// type the store catalogue judges.
pub fn reads_type(rtype: &str) -> bool {
    READ_TYPES.binary_search(&rtype).is_ok() || catalogue::entry(rtype).is_some_and(|e| e.judged())
}

/// The store catalogue as `docs/stores.md` shows it.
pub fn catalogue_markdown() -> String {
    catalogue::markdown()
}

/// Reads every data store and key of the model.
pub fn analyse(model: &Model, config: &Config) -> Analysis {
    let ebs_defaults = volumes::EbsDefaults::new(model);
    let readings = read_all(model, &ebs_defaults);
    // The other outcome of blocks that may or may not be written (see `outcomes`).
    let alt_model = outcomes::without_conditional_blocks(model);
    let alt_defaults = alt_model.as_ref().map(volumes::EbsDefaults::new);
    let alt_readings = match (&alt_model, &alt_defaults) {
        (Some(m), Some(d)) => read_all(m, d),
        _ => Vec::new(),
    };

    let mut book = KeyBook::new(model, config);
    let mut stores = Vec::with_capacity(readings.len());
    for mut r in readings {
        let class = classify::classify(model, config, r.store, r.type_category);
        let provider = r.store.provider.clone();
        let (mut level, mut key, mut assumed) = settle(&mut book, &r, class.category, &provider);
        let conditions = outcomes::conditions(&r);
        if let Some(alt) = alt_readings
            .iter()
            .filter(|_| !conditions.is_empty())
            .find(|a| a.store.address == r.store.address && a.part == r.part)
        {
            let settled = settle(&mut book, alt, class.category, &provider);
            if settled.0 < level {
                (level, key, assumed) = settled;
                r.evidence = format!(
                    "{} when {} writes no block",
                    alt.evidence,
                    conditions.join(" and ")
                );
                r.decided_by = (r.decided_by.0, alt.decided_by.1.clone());
                r.assumed = alt.assumed.clone();
            } else {
                r.evidence = format!(
                    "{}, and no better when {} writes no block",
                    r.evidence,
                    conditions.join(" and ")
                );
            }
        }
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
    let (keys, policies) = book.into_parts();
    let providers = provider_nodes(model, &ebs_defaults, &stores, &keys);
    let missing_keys = missing_keys(&providers, &stores, &keys);
    Analysis {
        stores,
        keys,
        providers,
        missing_keys,
        index: index::Lazy::default(),
        policies: index::Cached(policies),
    }
}

/// Every store reading of the model, per service family.
fn read_all<'a>(model: &'a Model, ebs_defaults: &volumes::EbsDefaults<'a>) -> Vec<Reading<'a>> {
    let mut readings: Vec<Reading> = Vec::new();
    s3::read(model, &mut readings);
    databases::read(model, &mut readings);
    volumes::read(model, ebs_defaults, &mut readings);
    services::read(model, &mut readings);
    documents::read(model, &mut readings);
    catalogue::read(model, &mut readings);
    readings
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
        Protection::Named { value } => match book.literal_key(value, provider) {
            Resolved::Key(id) => {
                let (level, assumed) = book
                    .key(&id)
                    .map(|k| level_with_cmk(category, k))
                    .unwrap_or((Level::Cmk, None));
                (level, Some(id), assumed)
            }
            Resolved::AwsManaged(alias) => (
                Level::AwsManaged,
                Some(book.aws_managed(&alias, provider)),
                None,
            ),
        },
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
        let needed: BTreeSet<Category> = crate::engine::sort::btree_set(
            stores
                .iter()
                .filter(|s| s.provider == p.key)
                .filter_map(|s| s.category)
                .filter(|c| c.key_alias().is_some()),
        );
        let have: BTreeSet<Category> = crate::engine::sort::btree_set(
            keys.iter()
                .filter(|k| k.provider == p.key)
                .filter(|k| {
                    matches!(
                        k.kind,
                        KeyKind::Cmk | KeyKind::External | KeyKind::Unverified
                    )
                })
                .filter_map(|k| k.category),
        );
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
    // Labels already listed: a key shared by thousands of stores made `contains` quadratic.
    let mut seen: HashSet<(Category, String)> = HashSet::new();
    for s in analysis.stores_of_key(&key.id) {
        if let Some(c) = s.category {
            let label = s.label();
            if seen.insert((c, label.clone())) {
                out.entry(c).or_default().push(label);
            }
        }
    }
    out
}

/// File and line of a provider block, for provider-level findings.
pub fn provider_location(model: &Model, key: &str) -> Option<(String, Option<u32>)> {
    let p = model.provider(key)?;
    match &p.origin {
        Origin::Span(s) => model.line(*s).map(|(f, l)| (f.to_string(), Some(l))),
        Origin::Pointer { file, .. } => model.files.get(*file).map(|f| (f.path.clone(), None)),
        Origin::Implied => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{input, SourceFile};

    /// Every fixture and example input, one model each (a fixture folder's files together).
    fn fixture_models() -> Vec<(String, Model)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let mut dirs = vec![root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files = Vec::new();
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "tf" || x == "json") {
                    if let Ok(bytes) = std::fs::read(&p) {
                        files.push(SourceFile::new(p.to_string_lossy(), bytes));
                    }
                }
            }
            for f in files {
                out.push((f.path.clone(), input::load(&[f])));
            }
        }
        let seed = root.join("src/example/seed.plan.json");
        if let Ok(bytes) = std::fs::read(&seed) {
            let f = SourceFile::new("seed.plan.json", bytes);
            out.push((f.path.clone(), input::load(&[f])));
        }
        out
    }

    #[test]
    fn read_types_are_sorted_and_cover_what_the_analysis_reads() {
        assert!(READ_TYPES.windows(2).all(|w| w[0] < w[1]));
        let models = fixture_models();
        assert!(models.len() > 50, "fixtures not found: {}", models.len());
        for (name, model) in models {
            let mut only = Model::default();
            only.providers = model.providers.clone();
            only.resources = model
                .resources
                .iter()
                .filter(|r| reads_type(&r.rtype))
                .cloned()
                .collect();
            only.index();
            let config = Config::default();
            assert_eq!(
                analyse(&only, &config),
                analyse(&model, &config),
                "{name}: the analysis reads a type missing from READ_TYPES"
            );
        }
    }
}
