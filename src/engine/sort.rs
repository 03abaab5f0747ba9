//! Stable sorts that share one compiled sort routine, and B-trees built without one.
//!
//! Every `slice::sort_by` call with its own closure type is its own copy of the standard
//! library's driftsort in the wasm, about 3 KB each: the page had 41 of them (issue 15,
//! bench/RESULTS.md). These functions sort a list of positions through one non-generic
//! routine that calls the comparison through `dyn`, then move the items into place; what stays
//! generic per call site is only the short permutation below. The result is exactly a stable
//! sort's: equal items keep their order. `collect` into a `BTreeMap`/`BTreeSet` sorts too, so
//! [`btree_map`] and [`btree_set`] insert instead.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// `v.sort_by(cmp)`, stable.
pub fn by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    positions(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// `v.sort_by_key(key)`, stable.
pub fn by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort()`, stable.
pub fn ord<T: Ord>(v: &mut [T]) {
    by(v, T::cmp);
}

/// `pairs.collect::<BTreeMap<_, _>>()` by inserting: `collect` sorts a copy of the pairs
/// first, with a sort compiled once per iterator type. The last of equal keys wins, as there.
pub fn btree_map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut out = BTreeMap::new();
    out.extend(pairs);
    out
}

/// `items.collect::<BTreeSet<_>>()` by inserting, for the same reason as [`btree_map`].
pub fn btree_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut out = BTreeSet::new();
    out.extend(items);
    out
}

/// The one place a slice sort is compiled (the wasm lint, .ci/clippy-wasm, disallows others).
#[inline(never)]
#[allow(clippy::disallowed_methods)]
fn positions(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Rearranges `v` so that `v[i]` becomes the item that was at `order[i]`, following each cycle
/// of the permutation with swaps.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut at = start;
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed pseudo-random sequence with many repeats, so stability matters.
    fn sample(n: usize) -> Vec<(u8, usize)> {
        let mut x: u32 = 2463534242;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                ((x % 7) as u8, i)
            })
            .collect()
    }

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        for n in [0, 1, 2, 3, 10, 33, 1000] {
            let mut ours = sample(n);
            let mut std = ours.clone();
            by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "n = {n}");
        }
    }

    #[test]
    fn equal_items_keep_their_order() {
        let mut v = sample(500);
        by_key(&mut v, |p| std::cmp::Reverse(p.0));
        for w in v.windows(2) {
            assert!(
                w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1),
                "{w:?}"
            );
        }
    }

    #[test]
    fn b_trees_built_by_inserting_match_collect() {
        let pairs = [(3, "c"), (1, "a"), (3, "last"), (2, "b")];
        assert_eq!(
            btree_map(pairs),
            pairs.into_iter().collect::<BTreeMap<_, _>>()
        );
        assert_eq!(
            btree_set([3, 1, 3, 2]),
            [1, 2, 3].into_iter().collect::<BTreeSet<_>>()
        );
    }

    #[test]
    fn moves_owned_items_without_losing_or_duplicating_any() {
        let mut v: Vec<String> = ["delta", "alpha", "charlie", "bravo", "alpha"]
            .map(String::from)
            .to_vec();
        ord(&mut v);
        assert_eq!(v, ["alpha", "alpha", "bravo", "charlie", "delta"]);
    }
}
