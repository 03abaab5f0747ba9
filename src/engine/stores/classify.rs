//! A store's data category and where it came from (SPEC §3): the user's override, the
//! store's own tag, the provider's `default_tags`, the resource type, the name — in that
//! order — else unclassified.

use crate::engine::category::{Category, CategorySource};
use crate::engine::config::Config;
use crate::engine::model::{Model, Resource, Value};

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
    let overridden = config
        .overrides
        .get(&res.address)
        .or_else(|| config.overrides.get(&res.config_address()));
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
    let own = string_map(res.values.child("tags"));
    let all = string_map(res.values.child("tags_all"));
    let defaults: Vec<(String, String)> = model
        .provider(&res.provider)
        .map(|p| {
            p.default_tags()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    for key in &config.tag_keys {
        for (source, tags) in [
            (CategorySource::Tag, &own),
            (CategorySource::DefaultTag, &all),
            (CategorySource::DefaultTag, &defaults),
        ] {
            let Some((k, v)) = tags.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) else {
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

fn string_map(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Map(m)) => m
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}
