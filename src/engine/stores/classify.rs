//! A store's data category and where it came from (SPEC §3): the user's override, the
//! store's own tag, the provider's `default_tags`, the resource type, the name — in that
//! order — else unclassified.

use crate::engine::category::{Category, CategorySource};
use crate::engine::config::Config;
use crate::engine::model::{Lookup, Model, Resource, Value};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Classified {
    pub category: Option<Category>,
    pub source: CategorySource,
    /// Human-readable: `tag data-class = "pii"`, `name "customer-data" contains "customer"`.
    pub evidence: Option<String>,
}

/// Attributes that name what a store holds, in the order they are read for the name
/// heuristic (before the resource's own name).
const NAME_ATTRIBUTES: [&str; 10] = [
    "bucket",
    "identifier",
    "cluster_identifier",
    "name",
    "replication_group_id",
    "domain_name",
    "creation_token",
    "bucket_prefix",
    "identifier_prefix",
    "name_prefix",
];

pub(crate) fn classify(
    model: &Model,
    config: &Config,
    res: &Resource,
    type_default: Option<Category>,
) -> Classified {
    let overridden = (!config.overrides.is_empty())
        .then(|| {
            config
                .overrides
                .get(&res.address)
                .or_else(|| config.overrides.get(&res.config_address()))
        })
        .flatten();
    if let Some(&category) = overridden {
        return Classified {
            category: Some(category),
            source: CategorySource::Override,
            evidence: Some("set by the user".into()),
        };
    }
    let mut notes = Vec::new();
    if let Some(c) = tag_category(model, config, res, &mut notes) {
        return c;
    }
    if let Some(category) = type_default {
        return Classified {
            category: Some(category),
            source: CategorySource::ResourceType,
            evidence: Some(format!("{} holds {category} data", res.rtype)),
        };
    }
    for name in NAME_ATTRIBUTES
        .iter()
        .filter_map(|a| res.values.child(a).and_then(Value::as_str))
        .chain(std::iter::once(res.name.as_str()))
    {
        if let Some((category, fragment)) = config.category_from_name(name) {
            return Classified {
                category: Some(category),
                source: CategorySource::Name,
                evidence: Some(format!("name {name:?} contains {fragment:?}")),
            };
        }
    }
    notes.push("no data-class tag, and nothing in its type or name suggests one".into());
    Classified {
        category: None,
        source: CategorySource::Unclassified,
        evidence: Some(notes.join("; ")),
    }
}

/// The category a resource's tags give: its own `tags`, else the provider's `default_tags`
/// (seen in `tags_all` for plan input, or on the provider block for HCL). Tag keys match
/// case-insensitively, in the config's priority order. Values that name no category are
/// noted and skipped.
pub(crate) fn tag_category(
    model: &Model,
    config: &Config,
    res: &Resource,
    notes: &mut Vec<String>,
) -> Option<Classified> {
    let own = res.values.child("tags");
    let all = res.values.child("tags_all");
    // Read in place (every store is classified; copying its tags into owned pairs was most
    // of the work), the provider's only when the store's own tags don't decide.
    let mut defaults: Option<Option<&Value>> = None;
    for key in &config.tag_keys {
        for source in 0..3 {
            let (source, tags) = match source {
                0 => (CategorySource::Tag, own),
                1 => (CategorySource::DefaultTag, all),
                _ => (
                    CategorySource::DefaultTag,
                    *defaults.get_or_insert_with(|| {
                        model.provider(&res.provider).and_then(|p| {
                            match p.values.lookup("default_tags.0.tags") {
                                Lookup::Known(v) => Some(v),
                                _ => None,
                            }
                        })
                    }),
                ),
            };
            let Some((k, v)) = find_tag(tags, key) else {
                continue;
            };
            match config.category_from_tag(v) {
                Some(category) => {
                    let origin = if source == CategorySource::DefaultTag {
                        " (provider default_tags)"
                    } else {
                        ""
                    };
                    return Some(Classified {
                        category: Some(category),
                        source,
                        evidence: Some(format!("tag {k} = {v:?}{origin}")),
                    });
                }
                None => {
                    let note = format!("tag {k} = {v:?} names no known category");
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
            }
        }
    }
    None
}

/// The first string-valued tag whose key matches `key` case-insensitively, in key order.
fn find_tag<'a>(tags: Option<&'a Value>, key: &str) -> Option<(&'a str, &'a str)> {
    match tags {
        Some(Value::Map(m)) => m.iter().find_map(|(k, v)| {
            v.as_str()
                .filter(|_| k.eq_ignore_ascii_case(key))
                .map(|v| (k.as_str(), v))
        }),
        _ => None,
    }
}
