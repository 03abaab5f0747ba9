//! Blocks that may or may not be written: a `dynamic` block whose `for_each` is not known
//! before apply (`for_each = var.sse_on ? [1] : []`). The HCL adapter reads such a block's
//! content once and marks it conditional; each store is judged with the block and without
//! it, and keeps the weaker outcome, with evidence naming what decides it.

use crate::engine::model::{Model, Resource, Value};

use super::read::Reading;

/// A copy of the model without its conditional blocks, when it has any (most have none,
/// and then nothing is copied).
pub(super) fn without_conditional_blocks(model: &Model) -> Option<Model> {
    if !model.resources.iter().any(has_conditional) {
        return None;
    }
    let mut alt = model.clone();
    for r in alt.resources.iter_mut().filter(|r| has_conditional(r)) {
        // Deepest and last first, so removing one item leaves the others' paths intact.
        let mut paths: Vec<String> = r
            .meta
            .iter()
            .filter(|(_, m)| m.conditional.is_some())
            .map(|(p, _)| p.clone())
            .collect();
        crate::engine::sort::by_key(&mut paths, |p| {
            std::cmp::Reverse((p.matches('.').count(), index_of(p)))
        });
        for p in paths {
            remove_item(&mut r.values, &p);
        }
    }
    Some(alt)
}

fn has_conditional(r: &Resource) -> bool {
    r.meta.values().any(|m| m.conditional.is_some())
}

fn index_of(path: &str) -> usize {
    path.rsplit('.')
        .next()
        .and_then(|i| i.parse().ok())
        .unwrap_or(0)
}

/// Removes the list item at `path` (`rule.0`, `a.0.b.1`).
fn remove_item(values: &mut Value, path: &str) {
    let Some((parent, index)) = path.rsplit_once('.') else {
        return;
    };
    let Ok(index) = index.parse::<usize>() else {
        return;
    };
    let Some(cur) = values.at_mut(parent) else {
        return;
    };
    if let Value::List(items) = cur {
        if index < items.len() {
            items.remove(index);
        }
    }
}

/// What decides the conditional blocks a reading rests on (on the store and on the
/// resource that decides its level, such as S3's encryption companion).
pub(super) fn conditions(r: &Reading) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for res in [r.store, r.decided_by.0] {
        for m in res.meta.values() {
            if let Some(c) = &m.conditional {
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_list_items_by_path() {
        let mut v = Value::from_json(serde_json::json!({
            "rule": [{"a": 1}, {"a": 2}],
            "x": [{"b": [{"c": 1}]}]
        }));
        remove_item(&mut v, "rule.0");
        remove_item(&mut v, "x.0.b.0");
        remove_item(&mut v, "missing.3");
        assert_eq!(
            v,
            Value::from_json(serde_json::json!({"rule": [{"a": 2}], "x": [{"b": []}]}))
        );
    }
}
