//! The ENC rules, in id order: data stores against their category's minimum and
//! recommendation, and stores nothing classifies.

mod store_below_category_minimum;
mod store_below_category_recommendation;
mod unclassified_data_store;

use super::{Context, FindingBuilder, Rule};
use crate::engine::category::{Category, Level};
use crate::engine::config::Config;
use crate::engine::stores::DataStore;

pub static RULES: &[&Rule] = &[
    &store_below_category_minimum::RULE,
    &store_below_category_recommendation::RULE,
    &unclassified_data_store::RULE,
];

/// A finding about a store: on the store's own address, located at the attribute that
/// decides it — in a companion resource when that is where it sits (SPEC §4).
pub(crate) fn at_store<'a>(
    cx: &'a Context<'a>,
    rule: &Rule,
    store: &DataStore,
    message: String,
) -> Option<FindingBuilder<'a>> {
    let res = cx.model.get(&store.address)?;
    let builder = match &store.decided_by {
        Some(d) if d.address != store.address => {
            let companion = cx.model.get(&d.address)?;
            cx.finding(rule, res, "", message)
                .decided_in(companion, &d.attribute)
        }
        Some(d) => cx.finding(rule, res, &d.attribute, message),
        None => cx.finding(rule, res, "", message),
    };
    // Without a deciding attribute (a bucket with no encryption configuration at all) the
    // evidence is what that absence means, not the whole resource.
    let builder = match &store.decided_by {
        Some(d) if !d.attribute.is_empty() => builder,
        _ => builder.evidence(store.evidence().unwrap_or_default()),
    };
    Some(builder.category(store.category))
}

/// `pii`, or `unclassified` for a store nothing classifies.
pub(crate) fn category_name(store: &DataStore) -> String {
    store
        .category
        .map(|c| c.to_string())
        .unwrap_or_else(|| "unclassified".into())
}

/// The seed's wording of a category's minimum, or the config's stricter level.
pub(crate) fn minimum_text(config: &Config, category: Option<Category>) -> String {
    let c = category.unwrap_or(Category::Operational);
    let level = config.minimum(c);
    if level == c.minimum() {
        c.minimum_text().to_string()
    } else {
        level_text(level)
    }
}

pub(crate) fn level_text(level: Level) -> String {
    match level {
        Level::None => "no encryption".into(),
        Level::ProviderOwned => "a provider-owned key".into(),
        Level::AwsManaged => "an AWS-managed KMS key".into(),
        Level::Cmk => "a customer-managed key (CMK)".into(),
        Level::CmkRecommended => "a CMK meeting the recommendation".into(),
    }
}
