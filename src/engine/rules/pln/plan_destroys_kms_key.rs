use std::collections::{HashMap, HashSet};

use crate::declare_rule;
use crate::engine::model::{Action, Model, Resource, Value};
use crate::engine::rules::{Context, Finding};
use crate::engine::stores::{Analysis, KEY_TYPES};

declare_rule! {
    /// ## What it does
    /// On plan input, flags every customer managed key the plan deletes or replaces
    /// (`aws_kms_key`, `aws_kms_replica_key`, `aws_kms_external_key` with action `delete`,
    /// `delete`+`create` or `create`+`delete`). One finding per key lists every data store it
    /// protects: stores whose encryption points at the key by reference, and stores whose
    /// values (after or before the plan) carry the key's ARN or key id.
    ///
    /// A replacement counts too: the new key has new key material, so nothing encrypted
    /// under the old one can be decrypted with it.
    ///
    /// ## Why is this bad?
    /// Envelope encryption means every data key of every store under the CMK is wrapped by
    /// that CMK. Once the key is gone (after its deletion window), the wrapped data keys —
    /// and so all the data beneath — are undecryptable: cryptographic erasure, as the seed
    /// puts it. This is rarely what a routine `terraform apply` intends.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   description             = "CMK for PII data"
    ///   customer_master_key_spec = "RSA_4096" # changing the spec forces a replacement
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   description             = "CMK for PII data"
    ///   deletion_window_in_days = 30
    ///   enable_key_rotation     = true
    ///
    ///   lifecycle {
    ///     prevent_destroy = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Deleting AWS KMS keys](https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html)
    /// - [Envelope encryption](https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#enveloping)
    /// - [The lifecycle meta-argument: prevent_destroy](https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle)
    id: "PLN001", name: "plan-destroys-kms-key", severity: Critical, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key"],
    peers: [SecurityHub "KMS.3"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let destroyed: Vec<(&Resource, &str)> = cx
        .model
        .resources
        .iter()
        .filter(|key| KEY_TYPES.contains(&key.rtype.as_str()))
        .filter_map(|key| match key.action {
            Some(Action::Delete) => Some((key, "deletes")),
            Some(Action::Replace) => Some((key, "replaces")),
            _ => None,
        })
        .collect();
    if destroyed.is_empty() {
        return;
    }
    let keys: Vec<&Resource> = destroyed.iter().map(|(k, _)| *k).collect();
    let protected = protected_stores(cx.model, cx.analysis, &keys);
    for ((key, verb), stores) in destroyed.into_iter().zip(protected) {
        let list = if stores.is_empty() {
            "no data store in this plan is known to use it".to_string()
        } else {
            format!(
                "everything encrypted under it becomes undecryptable: {}",
                stores.join(", ")
            )
        };
        cx.finding(
            &RULE,
            key,
            "",
            format!("The plan {verb} the KMS key {}; {list}.", key.address),
        )
        .evidence(
            serde_json::json!({"action": verb, "stores": stores, "arn": key_strings(key).first()}),
        )
        .related(stores.clone())
        // A delete is introduced by this plan even though the resource won't exist after it.
        .introduced(Some(true))
        .push(out);
    }
}

/// The key's ARN and key id as the plan knows them (before values first: a deleted or
/// replaced key's identity is the old one).
fn key_strings(key: &Resource) -> Vec<String> {
    let mut out = Vec::new();
    for values in key.before.iter().chain(std::iter::once(&key.values)) {
        for attr in ["arn", "key_id", "id"] {
            if let Some(s) = values.lookup(attr).known_str() {
                if s.len() >= MIN_ID && !out.iter().any(|o: &String| o == s) {
                    out.push(s.to_string());
                }
            }
        }
    }
    out
}

/// Shorter strings are not taken for a key's identity (they would match by accident).
const MIN_ID: usize = 8;

trait KnownStr<'a> {
    fn known_str(self) -> Option<&'a str>;
}

impl<'a> KnownStr<'a> for crate::engine::model::Lookup<'a> {
    fn known_str(self) -> Option<&'a str> {
        match self {
            crate::engine::model::Lookup::Known(v) => v.as_str(),
            _ => None,
        }
    }
}

/// For each of `keys`, every store it protects: by the stores analysis, by reference, or by
/// ARN/key id. One pass over the stores for all keys: a pass per key (each walking every
/// store's values) grew with keys × stores.
fn protected_stores(model: &Model, analysis: &Analysis, keys: &[&Resource]) -> Vec<Vec<String>> {
    let mut out: Vec<Lists> = keys.iter().map(|_| Lists::default()).collect();
    let cfgs: Vec<String> = keys.iter().map(|k| k.config_address()).collect();
    // A key's address and its address without instance key → the keys they name.
    let mut by_address: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_config: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, key) in keys.iter().enumerate() {
        by_address.entry(key.address.as_str()).or_default().push(j);
        by_config.entry(cfgs[j].as_str()).or_default().push(j);
    }
    let named = |x: &str, hits: &mut Vec<usize>| {
        for map in [&by_address, &by_config] {
            hits.extend(map.get(x).into_iter().flatten());
        }
    };

    let mut hits = Vec::new();
    for k in &analysis.keys {
        hits.clear();
        if let Some(a) = k.address.as_deref() {
            named(a, &mut hits);
        }
        hits.extend(by_address.get(k.id.as_str()).into_iter().flatten());
        hits.sort_unstable();
        hits.dedup();
        for &j in &hits {
            for s in &k.stores {
                out[j].add(s);
            }
        }
    }

    let ids = Needles::new(
        keys.iter()
            .enumerate()
            .flat_map(|(j, key)| key_strings(key).into_iter().map(move |id| (id, j))),
    );
    // The holders of consecutive stores are often the same resource (an instance's block
    // devices): its hits are kept rather than found again.
    let mut last: Option<(&Resource, Vec<usize>)> = None;
    for store in &analysis.stores {
        let decided = store
            .decided_by
            .as_ref()
            .and_then(|d| model.get(&d.address));
        hits.clear();
        for r in [model.get(&store.address), decided].into_iter().flatten() {
            let found = match &last {
                Some((p, found)) if std::ptr::eq(*p, r) => found.clone(),
                _ => {
                    let found = holder_hits(r, &ids, &named);
                    last = Some((r, found.clone()));
                    found
                }
            };
            hits.extend(found);
        }
        hits.sort_unstable();
        hits.dedup();
        for &j in &hits {
            out[j].add(&store.address);
        }
    }
    out.into_iter().map(|l| l.list).collect()
}

/// The keys (positions) that a resource's key attributes refer to or whose ARN/key id its
/// values (after or before) carry.
fn holder_hits(r: &Resource, ids: &Needles, named: &dyn Fn(&str, &mut Vec<usize>)) -> Vec<usize> {
    let mut hits = Vec::new();
    for (_, m) in r.meta.iter().filter(|(path, _)| path.contains("kms")) {
        for x in &m.refs {
            named(x, &mut hits);
        }
    }
    if !ids.is_empty() {
        for v in r.before.iter().chain(std::iter::once(&r.values)) {
            let mut stack = vec![v];
            while let Some(v) = stack.pop() {
                match v {
                    Value::String(s) => ids.find_in(s, &mut hits),
                    Value::List(l) => stack.extend(l),
                    Value::Map(m) => stack.extend(m.values()),
                    _ => {}
                }
            }
        }
    }
    hits.sort_unstable();
    hits.dedup();
    hits
}

/// A key's store list without repeats.
#[derive(Default)]
struct Lists {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Lists {
    fn add(&mut self, address: &str) {
        if !self.seen.contains(address) {
            self.seen.insert(address.to_string());
            self.list.push(address.to_string());
        }
    }
}

/// Key ids and ARNs to find inside strings, all at once: each string is scanned once, with
/// its 8-byte windows looked up by their first [`MIN_ID`] bytes, instead of once per id.
struct Needles {
    /// First `MIN_ID` bytes → (the whole id, the key it belongs to).
    by_prefix: HashMap<[u8; MIN_ID], Vec<(String, usize)>>,
    /// One bit per hashed prefix: most windows are ruled out by one bit test, without
    /// hashing them for the map.
    filter: Vec<u64>,
    shortest: usize,
}

/// Bits in [`Needles::filter`]: 2^16.
const FILTER_BITS: u32 = 16;

fn filter_bit(window: [u8; MIN_ID]) -> usize {
    (u64::from_le_bytes(window).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS)) as usize
}

impl Needles {
    fn new(ids: impl Iterator<Item = (String, usize)>) -> Needles {
        let mut by_prefix: HashMap<[u8; MIN_ID], Vec<(String, usize)>> = HashMap::new();
        let mut filter = vec![0u64; 1 << (FILTER_BITS - 6)];
        let mut shortest = usize::MAX;
        for (id, j) in ids {
            let Some(prefix) = id.as_bytes().first_chunk::<MIN_ID>() else {
                continue;
            };
            let bit = filter_bit(*prefix);
            filter[bit / 64] |= 1 << (bit % 64);
            shortest = shortest.min(id.len());
            by_prefix.entry(*prefix).or_default().push((id, j));
        }
        Needles {
            by_prefix,
            filter,
            shortest,
        }
    }

    fn is_empty(&self) -> bool {
        self.by_prefix.is_empty()
    }

    /// Adds the key of every id `s` contains to `hits`.
    fn find_in(&self, s: &str, hits: &mut Vec<usize>) {
        let bytes = s.as_bytes();
        if bytes.len() < self.shortest {
            return;
        }
        for (i, window) in bytes.windows(MIN_ID).enumerate() {
            let Some(&window) = window.first_chunk::<MIN_ID>() else {
                continue;
            };
            let bit = filter_bit(window);
            if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
                continue;
            }
            let Some(candidates) = self.by_prefix.get(&window) else {
                continue;
            };
            for (id, j) in candidates {
                if bytes[i..].starts_with(id.as_bytes()) {
                    hits.push(*j);
                }
            }
        }
    }
}
