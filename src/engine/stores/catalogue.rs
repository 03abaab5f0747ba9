//! The store catalogue: one declarative entry per AWS resource type that holds data under
//! a KMS key or an encryption switch (the census of the AWS provider 5.100 schema), saying
//! where its key argument sits, which switch turns encryption on or off and what it
//! defaults to, what protects the data when no key is given, the category the type implies,
//! and the AWS page that says so.
//!
//! Most types are read by [`read`] from their entry alone ([`Reader::Catalogue`]). Types
//! whose encryption has a shape an entry can't say — S3's separate encryption resource, EC2
//! block devices, RDS replicas, JSON documents — are read by code next to this module
//! ([`Reader::Code`]) but still have an entry, so `planlens stores` and `docs/stores.md`
//! list every type planlens judges. A few census types are deliberately not judged
//! ([`Reader::NotJudged`]), and a few are settings read as part of another store
//! ([`Reader::Setting`]).
//!
//! Key paths use the model's block indexes (`encryption_configuration.0.kms_key`): a nested
//! block or a list of blocks is read at its first element.

use serde::Serialize;

use super::read::{attr, describe, live_resource, Attr, Protection, Reading};
use crate::engine::category::Category;
use crate::engine::model::{Model, Resource, Value};

/// What protects a store's data when no key is given (or the switch is off).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoKey {
    /// Not encrypted at rest.
    Unencrypted,
    /// A key the service owns: an AWS-owned key, SSE-S3, a service-managed key.
    ProviderOwned,
    /// The service's AWS-managed KMS key (the entry's `managed` alias).
    AwsManaged,
    /// Whatever protects its source or parent (a snapshot, a bucket, a table), which is read
    /// in its favour when the source is not in the input.
    Inherited,
    /// The schema requires a key here: without one, nothing is encrypted with a key.
    Required,
    /// The store does not exist (the switch turns the feature off, not its encryption).
    NoStore,
}

impl NoKey {
    pub fn text(self) -> &'static str {
        match self {
            NoKey::Unencrypted => "not encrypted",
            NoKey::ProviderOwned => "provider-owned key",
            NoKey::AwsManaged => "AWS-managed key",
            NoKey::Inherited => "inherits its source's",
            NoKey::Required => "key required",
            NoKey::NoStore => "no data stored",
        }
    }
}

/// The argument that turns encryption with a key on (or off).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Switch {
    pub path: &'static str,
    /// Values (compared without case; booleans as `true`/`false`) that turn it on.
    pub on: &'static [&'static str],
    /// Whether it is on when the argument is not set.
    pub default_on: bool,
    /// What protects the data when it is off.
    pub off: NoKey,
}

/// Who reads a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reader", content = "why", rename_all = "kebab-case")]
pub enum Reader {
    /// The generic reader, from the entry alone.
    Catalogue,
    /// Code next to the catalogue (s3, volumes, databases, services, documents).
    Code,
    /// Read as a setting of other stores, not a store of its own.
    Setting(&'static str),
    /// Not judged, and why.
    NotJudged(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Entry {
    #[serde(rename = "type")]
    pub rtype: &'static str,
    /// Short service name, the hierarchy's service level (`rds`, `fsx`, `sagemaker`).
    pub service: &'static str,
    /// The service as AWS names it.
    pub service_name: &'static str,
    /// Key arguments, in the order they are read; the first one set protects the store.
    pub keys: &'static [&'static str],
    pub switch: Option<Switch>,
    /// What protects the data when the switch is on (or there is none) and no key is given.
    pub no_key: NoKey,
    /// The AWS-managed key alias the service uses (`alias/aws/rds`), if it has one.
    pub managed: Option<&'static str>,
    /// Values of the key argument that name no key (`AWS_OWNED_KMS_KEY`): read as
    /// provider-owned.
    pub sentinels: &'static [&'static str],
    /// The store exists only when this block is present (an optional volume, an S3 action).
    pub present: Option<&'static str>,
    /// The category the type implies (CloudTrail → logs).
    pub category: Option<Category>,
    /// The AWS documentation page for its encryption at rest.
    pub doc: &'static str,
    /// Peers' check ids for missing encryption or a missing CMK (checkov, trivy, KICS).
    pub peers: &'static [&'static str],
    pub reader: Reader,
    /// What the store is, or a caveat, in a few words.
    pub note: &'static str,
    /// The evidence when no key is given, when the default wording won't do.
    pub absent: &'static str,
}

impl Entry {
    /// Whether planlens judges resources of this type as data stores.
    pub fn judged(&self) -> bool {
        matches!(self.reader, Reader::Catalogue | Reader::Code)
    }

    /// The level when no key is given, in words, for the docs.
    pub fn default_text(&self) -> String {
        let base = match self.no_key {
            NoKey::AwsManaged => match self.managed {
                Some(a) => format!("AWS-managed key {}", a.trim_start_matches("alias/")),
                None => "AWS-managed key".to_string(),
            },
            other => other.text().to_string(),
        };
        match self.switch {
            Some(s) if !s.default_on => format!(
                "{}; with `{} = {}`: {base}",
                s.off.text(),
                s.path.replace(".0.", "."),
                s.on.join(" | ")
            ),
            Some(s) => format!(
                "{base}; with `{}` other than {}: {}",
                s.path.replace(".0.", "."),
                s.on.join(" | "),
                s.off.text()
            ),
            None => base,
        }
    }
}

pub use super::catalogue_data::CATALOGUE;

/// The entry of a type, if the census has it.
pub fn entry(rtype: &str) -> Option<&'static Entry> {
    CATALOGUE
        .binary_search_by(|e| e.rtype.cmp(rtype))
        .ok()
        .map(|i| &CATALOGUE[i])
}

/// S3 objects: without their own `server_side_encryption` and `kms_key_id` they get the
/// default encryption of their bucket (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html>).
const OBJECT_TYPES: [&str; 3] = [
    "aws_s3_bucket_object",
    "aws_s3_object",
    "aws_s3_object_copy",
];

/// Reads every resource of a [`Reader::Catalogue`] type, in one pass over the model. Runs
/// after the S3 reader: an object in a bucket of the input takes that bucket's reading.
pub(crate) fn read<'a>(model: &'a Model, out: &mut Vec<Reading<'a>>) {
    let mut buckets: Option<std::collections::HashMap<&'a str, usize>> = None;
    for res in model.resources.iter().filter(|r| live_resource(r)) {
        let Some(e) = entry(&res.rtype) else {
            continue;
        };
        if e.reader != Reader::Catalogue {
            continue;
        }
        if OBJECT_TYPES.contains(&e.rtype)
            && !attr(res, "server_side_encryption").is_set()
            && !attr(res, "kms_key_id").is_set()
        {
            let index = buckets.get_or_insert_with(|| {
                out.iter()
                    .enumerate()
                    .filter(|(_, r)| r.store.rtype == "aws_s3_bucket")
                    .map(|(i, r)| (r.store.address.as_str(), i))
                    .collect()
            });
            let bucket = res
                .refs("bucket")
                .iter()
                .flat_map(|r| model.resolve(r))
                .find_map(|b| index.get(b.address.as_str()).copied());
            if let Some(i) = bucket {
                let b = &out[i];
                let r = Reading {
                    store: res,
                    part: None,
                    service: e.service,
                    protection: b.protection.clone(),
                    decided_by: b.decided_by.clone(),
                    evidence: format!(
                        "no server_side_encryption: the default encryption of {}, {}",
                        b.store.address, b.evidence
                    ),
                    assumed: b.assumed.clone(),
                    type_category: None,
                };
                out.push(r);
                continue;
            }
        }
        if let Some(r) = read_one(e, res) {
            out.push(r);
        }
    }
}

/// The switch's state: `Some(on)`, or `None` when not known before apply.
fn switch_state<'a>(res: &'a Resource, s: &Switch) -> (Option<bool>, Attr<'a>) {
    let a = attr(res, s.path);
    let on = match a {
        Attr::Absent => Some(s.default_on),
        Attr::Unknown => None,
        Attr::Set(v) => {
            let text = match v {
                Value::Bool(b) => b.to_string(),
                Value::String(s) => s.trim().to_string(),
                other => other.display(),
            };
            Some(s.on.iter().any(|o| o.eq_ignore_ascii_case(&text)))
        }
    };
    (on, a)
}

fn managed_fallback(e: &Entry) -> &'static str {
    e.managed.unwrap_or("alias/aws/kms")
}

fn protection<'a>(e: &Entry, level: NoKey) -> Protection<'a> {
    match level {
        NoKey::Unencrypted | NoKey::Required | NoKey::NoStore => Protection::None,
        NoKey::ProviderOwned => Protection::ProviderOwned,
        NoKey::AwsManaged => match e.managed {
            Some(a) => Protection::AwsManaged(a),
            None => Protection::ProviderOwned,
        },
        NoKey::Inherited => Protection::Inherited,
    }
}

fn level_words(e: &Entry, level: NoKey) -> String {
    let what = match level {
        NoKey::Unencrypted => "not encrypted".to_string(),
        NoKey::ProviderOwned => "a key the service owns (AWS-owned key or SSE-S3)".to_string(),
        NoKey::AwsManaged => match e.managed {
            Some(a) => format!("the AWS-managed key {}", a.trim_start_matches("alias/")),
            None => "a key the service owns".to_string(),
        },
        NoKey::Inherited => "encrypted as its source is".to_string(),
        NoKey::Required => "the schema requires a key here, and none is given".to_string(),
        NoKey::NoStore => "no data stored".to_string(),
    };
    if e.note.is_empty() {
        what
    } else {
        format!("{what} ({})", e.note)
    }
}

fn read_one<'a>(e: &Entry, res: &'a Resource) -> Option<Reading<'a>> {
    if let Some(p) = e.present {
        // Plan JSON writes an absent block as `[]`.
        let present = match attr(res, p) {
            Attr::Set(Value::List(l)) => !l.is_empty(),
            Attr::Set(Value::Null) | Attr::Absent => false,
            _ => true,
        };
        if !present {
            return None;
        }
    }
    let mut assumed = None;
    if let Some(s) = &e.switch {
        let (on, a) = switch_state(res, s);
        match on {
            Some(false) => {
                if s.off == NoKey::NoStore {
                    return None;
                }
                let said = match a {
                    Attr::Set(_) => describe(s.path, a),
                    _ if s.on == ["true"] => {
                        format!("{} (defaults to {})", describe(s.path, a), s.default_on)
                    }
                    _ => format!("{} (defaults to off)", describe(s.path, a)),
                };
                let evidence = match s.off {
                    NoKey::Unencrypted => said,
                    off => format!("{said}: {}", level_words(e, off)),
                };
                let mut r = Reading::new(
                    res,
                    e.service,
                    protection(e, s.off),
                    (res, s.path),
                    evidence,
                );
                if s.off == NoKey::Inherited {
                    r = r.assumed("encrypted as its source, which is not in the input");
                }
                return Some(with_category(e, r));
            }
            None => assumed = Some(format!("{} is not known before apply", s.path)),
            Some(true) => {}
        }
    }
    for path in e.keys {
        let a = attr(res, path);
        if !a.is_set() {
            continue;
        }
        if let Attr::Set(Value::String(v)) = a {
            if e.sentinels.iter().any(|s| s.eq_ignore_ascii_case(v.trim())) {
                let r = Reading::new(
                    res,
                    e.service,
                    Protection::ProviderOwned,
                    (res, path),
                    format!("{}: a key the service owns", describe(path, a)),
                );
                return Some(with_category(e, finish(r, assumed)));
            }
        }
        let r = Reading::new(
            res,
            e.service,
            Protection::Key {
                holder: res,
                path: path.to_string(),
                fallback: managed_fallback(e),
            },
            (res, path),
            describe(path, a),
        );
        return Some(with_category(e, finish(r, assumed)));
    }
    let (path, evidence) = match (e.keys.first(), e.switch) {
        (Some(k), _) if !e.absent.is_empty() => (*k, e.absent.to_string()),
        (Some(k), Some(s)) if attr(res, s.path).is_set() => (
            *k,
            format!(
                "{} without {}: {}",
                describe(s.path, attr(res, s.path)),
                k.rsplit('.').next().unwrap_or(k),
                level_words(e, e.no_key)
            ),
        ),
        (Some(k), _) => (
            *k,
            format!(
                "{} is not set: {}",
                k.rsplit('.').next().unwrap_or(k),
                level_words(e, e.no_key)
            ),
        ),
        (None, Some(s)) => (
            s.path,
            format!(
                "{} (no key argument): {}",
                describe(s.path, attr(res, s.path)),
                level_words(e, e.no_key)
            ),
        ),
        (None, None) => ("", format!("no key argument: {}", level_words(e, e.no_key))),
    };
    let mut r = Reading::new(
        res,
        e.service,
        protection(e, e.no_key),
        (res, path),
        evidence,
    );
    if e.no_key == NoKey::Inherited && assumed.is_none() {
        assumed = Some("encrypted as its source, which is not in the input".to_string());
    }
    r = finish(r, assumed);
    Some(with_category(e, r))
}

fn finish(r: Reading<'_>, assumed: Option<String>) -> Reading<'_> {
    match assumed {
        Some(a) => r.assumed(a),
        None => r,
    }
}

fn with_category<'a>(e: &Entry, r: Reading<'a>) -> Reading<'a> {
    match e.category {
        Some(c) => r.type_category(c),
        None => r,
    }
}

/// `docs/stores.md`: the catalogue as a table, generated (a test holds the file to it).
pub fn markdown() -> String {
    use std::fmt::Write;
    let judged = CATALOGUE.iter().filter(|e| e.judged()).count();
    let services: std::collections::BTreeSet<&str> = CATALOGUE
        .iter()
        .filter(|e| e.judged())
        .map(|e| e.service_name)
        .collect();
    let mut s = String::new();
    let _ = writeln!(s, "# Data stores planlens judges\n");
    let _ = writeln!(
        s,
        "<!-- Generated from src/engine/stores/catalogue_data.rs (`planlens stores` prints it); \
         tests/stores.rs fails when this file drifts (PLANLENS_BLESS=1 rewrites it). -->\n"
    );
    let _ = writeln!(
        s,
        "planlens judges **{judged}** of the {} AWS resource types that hold data under a KMS key \
         or an encryption switch (the census of the AWS provider 5.100 schema), across {} services. \
         Each one is a data store for ENC001, ENC002 and ENC003, sits in the data-category matrix \
         and the key hierarchy, counts in the metrics, and is compared before and after by PLN002. \
         \"Default\" is what protects the data when no key is given; a switch's default is in the \
         same column. Types not judged are listed at the end with the reason, and a plan's \
         resources of those types are listed in the report as `input.unjudged_types`. Where a \
         service's page does not establish whether its default key is AWS-owned or AWS-managed, \
         the catalogue reads it as the weaker (provider-owned), which meets no category's \
         minimum above public data either way.\n",
        CATALOGUE.len(),
        services.len()
    );
    let _ = writeln!(
        s,
        "A key argument resolves the same way for every type: a reference to `aws_kms_key`, \
         `aws_kms_replica_key`, `aws_kms_external_key` or `aws_kms_alias` (resource or data \
         source) is that key; a literal key ARN, key id, alias name or alias ARN names a key of \
         the input when one matches; `alias/aws/*` is the service's AWS-managed key; anything \
         else is a customer key planlens cannot see (unverified, read in its favour). Key paths \
         in nested blocks are read at the block's first element.\n"
    );
    let _ = writeln!(
        s,
        "| type | service | key argument | default (no key) | category | peers | AWS documentation |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    for e in CATALOGUE.iter().filter(|e| e.judged()) {
        let keys = if e.keys.is_empty() && e.note.contains("JSON") {
            "inside the JSON document (see the default column)".to_string()
        } else if e.keys.is_empty() {
            "— (no key argument)".to_string()
        } else {
            e.keys
                .iter()
                .map(|k| format!("`{}`", k.replace(".0.", ".")))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let mut default = e.default_text();
        if !e.note.is_empty() {
            default = format!("{default}. {}", e.note);
        }
        let peers = if e.peers.is_empty() {
            "—".to_string()
        } else {
            e.peers.join(", ")
        };
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} | [docs]({}) |",
            e.rtype,
            e.service_name,
            keys,
            default.replace('|', "\\|"),
            e.category
                .map(|c| c.to_string())
                .unwrap_or_else(|| "—".into()),
            peers,
            e.doc
        );
    }
    let _ = writeln!(s, "\n## Where the census is wrong\n");
    let _ = writeln!(s, "| type | correction | source |");
    let _ = writeln!(s, "|---|---|---|");
    for (t, what, source) in super::catalogue_data::CENSUS_CORRECTIONS.iter() {
        let _ = writeln!(s, "| `{t}` | {} | {source} |", what.replace('|', "\\|"));
    }
    let _ = writeln!(s, "\n## Not judged\n");
    let _ = writeln!(s, "| type | why |");
    let _ = writeln!(s, "|---|---|");
    for e in CATALOGUE.iter().filter(|e| !e.judged()) {
        let why = match e.reader {
            Reader::Setting(w) => format!("read as a setting: {w}"),
            Reader::NotJudged(w) => w.to_string(),
            _ => String::new(),
        };
        let _ = writeln!(s, "| `{}` | {} |", e.rtype, why);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_complete() {
        assert!(CATALOGUE.windows(2).all(|w| w[0].rtype < w[1].rtype));
        assert_eq!(CATALOGUE.len(), 203, "the census has 203 types");
        let judged = CATALOGUE.iter().filter(|e| e.judged()).count();
        assert!(judged >= 150, "{judged} judged");
        for e in CATALOGUE {
            assert!(
                e.doc.starts_with("https://docs.aws.amazon.com/"),
                "{}",
                e.rtype
            );
            if e.no_key == NoKey::AwsManaged {
                assert!(e.managed.is_some(), "{} has no managed alias", e.rtype);
            }
            for k in e.keys {
                assert!(!k.contains('[') && !k.ends_with('.'), "{}: {k}", e.rtype);
            }
        }
    }

    /// Every type checkov checks is judged as a store, or read as the setting that decides
    /// other stores' level (the S3 bucket's encryption resource; the account's EBS default,
    /// which EBS001 also flags).
    #[test]
    fn every_checkov_type_is_read() {
        let mut n = 0;
        for e in CATALOGUE {
            if e.peers.iter().any(|p| p.starts_with("CKV")) {
                n += 1;
                assert!(
                    e.judged() || matches!(e.reader, Reader::Setting(_)),
                    "{} has checkov checks and is not read",
                    e.rtype
                );
            }
        }
        assert_eq!(n, 92, "the census counts 92 checkov types");
    }
}
