//! The key hierarchy's nodes: every CMK in the model, the AWS-managed and provider-owned
//! "keys" stores fall back to, and customer keys we can only see by name (unverified) —
//! and how a store's key attribute resolves to one of them.

use std::collections::{HashMap, HashSet};

use super::classify::tag_category;
use super::read::{attr, flag, live, Attr};
use super::{Key, KeyKind};
use crate::engine::category::Category;
use crate::engine::config::Config;
use crate::engine::model::{Mode, Model, Resource, Value};
use crate::engine::policy;

/// Resource types that are customer-managed keys.
pub const KEY_TYPES: [&str; 3] = ["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key"];

/// AWS's default deletion waiting period when `deletion_window_in_days` is unset (the
/// provider and the KMS API both use 30:
/// <https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html>).
pub const DEFAULT_DELETION_WINDOW: u32 = 30;

/// What a key attribute resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// An entry of the key list (a CMK, or an unverified customer key).
    Key(String),
    /// An AWS-managed key alias (`alias/aws/s3`).
    AwsManaged(String),
}

pub(crate) struct KeyBook<'a> {
    model: &'a Model,
    keys: Vec<Key>,
    by_id: HashMap<String, usize>,
    /// A CMK's `arn`, `key_id` and `id` → its key id.
    literal: HashMap<String, String>,
    /// `alias/name` of an `aws_kms_alias` in the model → the key it targets.
    aliases: HashMap<String, String>,
    /// (key position, store address) pairs already recorded: a key shared by thousands of
    /// stores made a scan of its list per store quadratic.
    protected: HashSet<(usize, &'a str)>,
    /// Each CMK's key-policy analysis, by key address, kept for the key-policy rules.
    policies: HashMap<String, policy::PolicyAnalysis>,
}

impl<'a> KeyBook<'a> {
    pub(crate) fn new(model: &'a Model, config: &Config) -> KeyBook<'a> {
        let mut book = KeyBook {
            model,
            keys: Vec::new(),
            by_id: HashMap::new(),
            literal: HashMap::new(),
            aliases: HashMap::new(),
            protected: HashSet::new(),
            policies: HashMap::new(),
        };
        let policies = policy::KeyPolicies::new(model);
        for rtype in KEY_TYPES {
            for res in live(model, rtype) {
                book.add_cmk(config, &policies, res);
            }
        }
        for alias in live(model, "aws_kms_alias") {
            let Some(name) = alias.get_str("name") else {
                continue;
            };
            let Some(id) = book.alias_target(alias) else {
                continue;
            };
            book.aliases.insert(name.to_string(), id.clone());
            if let Some(&i) = book.by_id.get(&id) {
                let key = &mut book.keys[i];
                // A category alias (`alias/cmk-pii`) says most about the key: prefer it.
                let better = key.alias.as_deref().is_none_or(|a| {
                    Category::from_key_alias(a).is_none()
                        && Category::from_key_alias(name).is_some()
                });
                if better {
                    key.alias = Some(name.to_string());
                }
            }
        }
        for key in &mut book.keys {
            if key.category.is_none() {
                key.category = key.alias.as_deref().and_then(Category::from_key_alias);
            }
        }
        book
    }

    fn add_cmk(&mut self, config: &Config, policies: &policy::KeyPolicies<'a>, res: &'a Resource) {
        let kind = if res.rtype == "aws_kms_external_key" {
            KeyKind::External
        } else {
            KeyKind::Cmk
        };
        let rotation = if rotation_applicable(res) {
            flag(res, "enable_key_rotation", false)
        } else {
            None
        };
        let deletion_window = match attr(res, "deletion_window_in_days") {
            Attr::Set(v) => v.as_f64().map(|n| n.max(0.0) as u32),
            Attr::Unknown => None,
            Attr::Absent => Some(DEFAULT_DELETION_WINDOW),
        };
        let category =
            tag_category(self.model, config, res, &mut Vec::new()).and_then(|c| c.category);
        let policy_analysis = policies.for_key(res).0;
        let key = Key {
            address: Some(res.address.clone()),
            category,
            rotation,
            deletion_window,
            policy: Some(policy_analysis.verdict),
            hsm: in_custom_key_store(res),
            ..Key::new(&res.address, kind, &res.provider)
        };
        for a in ["arn", "key_id", "id"] {
            if let Some(v) = res.get_str(a).filter(|v| !v.is_empty()) {
                self.literal.insert(v.to_string(), res.address.clone());
            }
        }
        // As for the key node, the first resource at an address wins.
        self.policies
            .entry(res.address.clone())
            .or_insert(policy_analysis);
        self.insert(key);
    }

    fn insert(&mut self, key: Key) -> String {
        let id = key.id.clone();
        if !self.by_id.contains_key(&id) {
            self.by_id.insert(id.clone(), self.keys.len());
            self.keys.push(key);
        }
        id
    }

    pub(crate) fn key(&self, id: &str) -> Option<&Key> {
        self.by_id.get(id).map(|&i| &self.keys[i])
    }

    /// Records that the key protects a store.
    pub(crate) fn protect(&mut self, id: &str, store: &'a str) {
        if let Some(&i) = self.by_id.get(id) {
            if self.protected.insert((i, store)) {
                self.keys[i].stores.push(store.to_string());
            }
        }
    }

    /// The key nodes, and the CMKs' policy analyses by key address.
    pub(crate) fn into_parts(self) -> (Vec<Key>, HashMap<String, policy::PolicyAnalysis>) {
        (self.keys, self.policies)
    }

    /// The target of an `aws_kms_alias`: by reference, else by literal key id or ARN.
    fn alias_target(&self, alias: &Resource) -> Option<String> {
        for r in alias.refs("target_key_id") {
            if let Some(t) = pick(alias, self.model.resolve(r)) {
                if t.mode == Mode::Managed && KEY_TYPES.contains(&t.rtype.as_str()) {
                    return self
                        .by_id
                        .contains_key(&t.address)
                        .then(|| t.address.clone());
                }
            }
        }
        alias
            .get_str("target_key_id")
            .and_then(|v| self.literal_cmk(v))
    }

    fn literal_cmk(&self, value: &str) -> Option<String> {
        if let Some(id) = self.literal.get(value) {
            return Some(id.clone());
        }
        // `arn:aws:kms:region:account:key/<key id>` where the model knows only the key id.
        let tail = value.rsplit_once(":key/").map(|(_, t)| t)?;
        self.literal.get(tail).cloned()
    }

    /// Resolves the key attribute `path` of `holder`. `None` when it is not set.
    pub(crate) fn resolve(
        &mut self,
        holder: &Resource,
        path: &str,
        provider: &str,
    ) -> Option<Resolved> {
        let value = attr(holder, path);
        if !value.is_set() {
            return None;
        }
        for r in holder.refs(path) {
            if let Some(found) = self.follow(holder, r, provider) {
                return Some(found);
            }
        }
        // A key inside an object- or list-typed attribute (`encryption_configuration = {
        // kms_key_arn = … }`): plan JSON records the reference on the attribute, and a
        // document's references sit under it.
        if holder.refs(path).is_empty() {
            let mut p = path;
            while let Some(i) = p.rfind('.') {
                p = &p[..i];
                for r in holder.refs(p) {
                    if let Some(found) = self.follow(holder, r, provider) {
                        return Some(found);
                    }
                }
            }
            let inner: Vec<String> = super::documents::refs_under(holder, path)
                .into_iter()
                .cloned()
                .collect();
            for r in &inner {
                if let Some(found) = self.follow(holder, r, provider) {
                    return Some(found);
                }
            }
        }
        Some(match value {
            Attr::Set(Value::String(s)) => self.literal_key(s, provider),
            Attr::Set(other) => {
                Resolved::Key(self.unverified(other.display(), None, provider, None))
            }
            _ => {
                // Set, but not known before apply: a customer key we cannot see. The first
                // reference we could not follow (`var.kms_key_arn`, `module.kms.arn`) names
                // it; two stores naming the same variable share the key.
                let id = holder
                    .refs(path)
                    .iter()
                    .find(|r| {
                        ["var.", "module.", "local.", "data."]
                            .iter()
                            .any(|p| r.starts_with(p) || r.contains(&format!(".{p}")))
                    })
                    .cloned()
                    .unwrap_or_else(|| format!("unverified:{}.{path}", holder.address));
                Resolved::Key(self.unverified(id, None, provider, None))
            }
        })
    }

    fn follow(&mut self, holder: &Resource, reference: &str, provider: &str) -> Option<Resolved> {
        let target = pick(holder, self.model.resolve(reference))?;
        match (target.mode, target.rtype.as_str()) {
            (Mode::Managed, t) if KEY_TYPES.contains(&t) => {
                if self.by_id.contains_key(&target.address) {
                    Some(Resolved::Key(target.address.clone()))
                } else {
                    // The plan deletes it: the store keeps a key that will be gone.
                    Some(Resolved::Key(self.unverified(
                        target.address.clone(),
                        None,
                        provider,
                        Some(&target.address),
                    )))
                }
            }
            (Mode::Managed, "aws_kms_alias") => {
                let name = target.get_str("name").unwrap_or_default().to_string();
                if is_aws_managed(&name) {
                    return Some(Resolved::AwsManaged(name));
                }
                if let Some(id) = self.alias_target(target) {
                    return Some(Resolved::Key(id));
                }
                let alias = (!name.is_empty()).then_some(name.as_str());
                Some(Resolved::Key(self.unverified(
                    target.address.clone(),
                    alias,
                    provider,
                    Some(&target.address),
                )))
            }
            (Mode::Data, "aws_kms_alias") => {
                let name = target.get_str("name").unwrap_or_default().to_string();
                if is_aws_managed(&name) {
                    return Some(Resolved::AwsManaged(name));
                }
                if let Some(id) = self.aliases.get(&name) {
                    return Some(Resolved::Key(id.clone()));
                }
                let alias = (!name.is_empty()).then_some(name.as_str());
                Some(Resolved::Key(self.unverified(
                    target.address.clone(),
                    alias,
                    provider,
                    Some(&target.address),
                )))
            }
            (Mode::Data, "aws_kms_key") => {
                let key_id = target.get_str("key_id").unwrap_or_default().to_string();
                if alias_name(&key_id).is_some() {
                    return Some(self.literal_key(&key_id, provider));
                }
                if let Some(id) = self.literal_cmk(&key_id) {
                    return Some(Resolved::Key(id));
                }
                Some(Resolved::Key(self.unverified(
                    target.address.clone(),
                    None,
                    provider,
                    Some(&target.address),
                )))
            }
            _ => None,
        }
    }

    /// A key written as a literal: an alias (`alias/x`, alias ARN), a key ARN or a key id.
    pub(crate) fn literal_key(&mut self, value: &str, provider: &str) -> Resolved {
        if let Some(alias) = alias_name(value) {
            if is_aws_managed(alias) {
                return Resolved::AwsManaged(alias.to_string());
            }
            if let Some(id) = self.aliases.get(alias) {
                return Resolved::Key(id.clone());
            }
            let alias = alias.to_string();
            return Resolved::Key(self.unverified(value.to_string(), Some(&alias), provider, None));
        }
        if let Some(id) = self.literal_cmk(value) {
            return Resolved::Key(id);
        }
        Resolved::Key(self.unverified(value.to_string(), None, provider, None))
    }

    fn unverified(
        &mut self,
        id: String,
        alias: Option<&str>,
        provider: &str,
        address: Option<&str>,
    ) -> String {
        self.insert(Key {
            category: alias.and_then(Category::from_key_alias),
            address: address.map(str::to_string),
            alias: alias.map(str::to_string),
            ..Key::new(id, KeyKind::Unverified, provider)
        })
    }

    /// The node for an AWS-managed key (`aws-managed:alias/aws/s3`).
    pub(crate) fn aws_managed(&mut self, alias: &str, provider: &str) -> String {
        self.insert(Key {
            alias: Some(alias.to_string()),
            // AWS rotates AWS-managed keys every year and it can't be turned off (KMS API
            // reference, EnableKeyRotation).
            rotation: Some(true),
            ..Key::new(
                pseudo_id("aws-managed", alias, provider),
                KeyKind::AwsManaged,
                provider,
            )
        })
    }

    /// The node for provider-owned encryption (`provider-owned:s3`).
    pub(crate) fn provider_owned(&mut self, service: &str, provider: &str) -> String {
        self.insert(Key::new(
            pseudo_id("provider-owned", service, provider),
            KeyKind::ProviderOwned,
            provider,
        ))
    }
}

/// Pseudo-keys are per provider; the default provider keeps the short id.
fn pseudo_id(prefix: &str, name: &str, provider: &str) -> String {
    if provider.is_empty() || provider == "aws" {
        format!("{prefix}:{name}")
    } else {
        format!("{prefix}:{name}@{provider}")
    }
}

/// `alias/x` or `arn:aws:kms:region:account:alias/x` → `alias/x`.
fn alias_name(value: &str) -> Option<&str> {
    if value.starts_with("alias/") {
        return Some(value);
    }
    value
        .strip_prefix("arn:")
        .and_then(|_| value.find(":alias/"))
        .map(|i| &value[i + 1..])
}

fn is_aws_managed(alias: &str) -> bool {
    alias.starts_with("alias/aws/")
}

/// Among the instances a reference resolves to, the one with the referrer's instance key
/// (`for_each` pairs), else the first.
fn pick<'m>(
    holder: &Resource,
    targets: impl Iterator<Item = &'m Resource>,
) -> Option<&'m Resource> {
    let targets: Vec<&Resource> = targets.collect();
    targets
        .iter()
        .find(|t| t.index.is_some() && t.index == holder.index)
        .or_else(|| targets.first())
        .copied()
}

/// In a CloudHSM or external key store.
pub(crate) fn in_custom_key_store(res: &Resource) -> bool {
    attr(res, "custom_key_store_id").is_set() || attr(res, "xks_key_id").is_set()
}

/// Whether automatic rotation applies: KMS rotates only symmetric encryption keys with
/// KMS-generated material outside custom key stores — not asymmetric, HMAC or imported
/// keys, nor keys in a custom key store (KMS API reference, EnableKeyRotation:
/// <https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html>).
/// Replica keys follow their primary. An unknown key spec is not held against the key.
pub fn rotation_applicable(res: &Resource) -> bool {
    if res.rtype != "aws_kms_key" || in_custom_key_store(res) {
        return false;
    }
    let spec_ok = |path: &str, symmetric: &str| match attr(res, path) {
        Attr::Absent => true,
        Attr::Set(v) => v.as_str() == Some(symmetric),
        Attr::Unknown => false,
    };
    spec_ok("customer_master_key_spec", "SYMMETRIC_DEFAULT")
        && spec_ok("key_spec", "SYMMETRIC_DEFAULT")
        && spec_ok("key_usage", "ENCRYPT_DECRYPT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_names() {
        assert_eq!(alias_name("alias/cmk-pii"), Some("alias/cmk-pii"));
        assert_eq!(
            alias_name("arn:aws:kms:eu-central-1:111122223333:alias/aws/s3"),
            Some("alias/aws/s3")
        );
        assert_eq!(
            alias_name("arn:aws:kms:eu-central-1:111122223333:key/abc"),
            None
        );
        assert!(is_aws_managed("alias/aws/rds"));
        assert_eq!(
            pseudo_id("aws-managed", "alias/aws/s3", "aws"),
            "aws-managed:alias/aws/s3"
        );
        assert_eq!(
            pseudo_id("provider-owned", "s3", "aws.west"),
            "provider-owned:s3@aws.west"
        );
    }
}
