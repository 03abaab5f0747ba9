//! Hash look-ups over an [`Analysis`]: a store by address, a key by id, a key's stores.
//!
//! Every finding asks for its resource's store and every key rule for a key's stores; a
//! scan of the lists per question made a review quadratic in the number of stores (20,000
//! queues sharing one key took seconds per rule). The index is built on first use, so an
//! `Analysis` built or deserialized anywhere gets it without a constructor.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::Analysis;

pub(super) struct Index {
    /// The list lengths the index was built for: an `Analysis` whose lists were changed
    /// afterwards (its fields are public) is scanned instead of trusting stale positions.
    stores_len: usize,
    keys_len: usize,
    /// Address → position of its first store.
    store_by_address: HashMap<String, usize>,
    key_by_id: HashMap<String, usize>,
    /// Key id → positions of the stores it protects, in store order.
    stores_by_key: HashMap<String, Vec<usize>>,
}

impl Index {
    fn new(a: &Analysis) -> Index {
        let mut store_by_address = HashMap::with_capacity(a.stores.len());
        let mut stores_by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in a.stores.iter().enumerate() {
            store_by_address.entry(s.address.clone()).or_insert(i);
            if let Some(k) = &s.key {
                match stores_by_key.get_mut(k.as_str()) {
                    Some(list) => list.push(i),
                    None => {
                        stores_by_key.insert(k.clone(), vec![i]);
                    }
                }
            }
        }
        let mut key_by_id = HashMap::with_capacity(a.keys.len());
        for (i, k) in a.keys.iter().enumerate() {
            key_by_id.entry(k.id.clone()).or_insert(i);
        }
        Index {
            stores_len: a.stores.len(),
            keys_len: a.keys.len(),
            store_by_address,
            key_by_id,
            stores_by_key,
        }
    }

    pub(super) fn store(&self, address: &str) -> Option<usize> {
        self.store_by_address.get(address).copied()
    }

    pub(super) fn key(&self, id: &str) -> Option<usize> {
        self.key_by_id.get(id).copied()
    }

    pub(super) fn stores_of_key(&self, id: &str) -> &[usize] {
        self.stores_by_key.get(id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The index, built on first use. Not part of the analysis' value: clones start without
/// one, and it never makes two analyses unequal.
#[derive(Default)]
pub(super) struct Lazy(OnceLock<Index>);

impl Lazy {
    /// The index for `a`, or `None` when `a`'s lists no longer match it.
    pub(super) fn get(&self, a: &Analysis) -> Option<&Index> {
        let ix = self.0.get_or_init(|| Index::new(a));
        (ix.stores_len == a.stores.len() && ix.keys_len == a.keys.len()).then_some(ix)
    }
}

impl Clone for Lazy {
    fn clone(&self) -> Lazy {
        Lazy::default()
    }
}

impl PartialEq for Lazy {
    fn eq(&self, _: &Lazy) -> bool {
        true
    }
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("(index)")
    }
}

/// Derived data an [`Analysis`] carries along without it being part of its value: it
/// never makes two analyses unequal and is not printed.
#[derive(Clone, Default)]
pub(super) struct Cached<T>(pub T);

impl<T> PartialEq for Cached<T> {
    fn eq(&self, _: &Cached<T>) -> bool {
        true
    }
}

impl<T> std::fmt::Debug for Cached<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("(cached)")
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DataStore, Key, KeyKind};
    use super::*;
    use crate::engine::category::{CategorySource, Level};

    fn store(address: &str, part: Option<&str>, key: Option<&str>) -> DataStore {
        DataStore {
            address: address.into(),
            part: part.map(str::to_string),
            rtype: "aws_instance".into(),
            service: "ebs".into(),
            category: None,
            category_source: CategorySource::Unclassified,
            category_evidence: None,
            level: Level::Cmk,
            key: key.map(str::to_string),
            decided_by: None,
            provider: "aws".into(),
        }
    }

    fn key(id: &str) -> Key {
        Key {
            address: Some(id.into()),
            ..Key::new(id, KeyKind::Cmk, "aws")
        }
    }

    #[test]
    fn look_ups_agree_with_a_scan_and_follow_changes() {
        let mut a = Analysis {
            stores: vec![
                store("aws_instance.a", Some("root_block_device.0"), Some("k1")),
                store("aws_instance.a", Some("ebs_block_device.0"), Some("k2")),
                store("aws_instance.b", None, Some("k1")),
                store("aws_instance.c", None, None),
            ],
            keys: vec![key("k1"), key("k2")],
            ..Analysis::default()
        };
        assert_eq!(
            a.store("aws_instance.a").and_then(|s| s.part.as_deref()),
            Some("root_block_device.0")
        );
        assert!(a.store("aws_instance.z").is_none());
        assert_eq!(a.key("k2").map(|k| k.id.as_str()), Some("k2"));
        assert!(a.key("k3").is_none());
        let of_k1: Vec<_> = a.stores_of_key("k1").map(|s| s.address.as_str()).collect();
        assert_eq!(of_k1, ["aws_instance.a", "aws_instance.b"]);
        assert_eq!(a.stores_of_key("k3").count(), 0);
        // Built, then the lists change: the stale index is not trusted.
        a.stores
            .insert(0, store("aws_instance.z", None, Some("k3")));
        a.keys.push(key("k3"));
        assert_eq!(
            a.store("aws_instance.z").map(|s| s.address.as_str()),
            Some("aws_instance.z")
        );
        assert_eq!(a.stores_of_key("k3").count(), 1);
        assert!(a.key("k3").is_some());
        // A clone starts afresh and compares equal.
        let b = a.clone();
        assert_eq!(a, b);
        assert_eq!(b.stores_of_key("k1").count(), 2);
    }
}
