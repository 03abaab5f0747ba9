//! The data-category matrix: one row per category (and one for unclassified stores) with
//! the seed's minimum and recommendation, the stores, their levels, the keys used and how
//! many meet the minimum. Every cell names the stores behind it.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::category::{Category, Level};
use crate::engine::config::Config;
use crate::engine::stores::DataStore;
use crate::engine::Report;

use super::key_label;

/// A matrix row: a category, or the stores nothing classifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowKey {
    Category(Category),
    Unclassified,
}

impl RowKey {
    pub fn slug(self) -> &'static str {
        match self {
            RowKey::Category(c) => c.as_str(),
            RowKey::Unclassified => "unclassified",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RowKey::Category(c) => c.label(),
            RowKey::Unclassified => "Unclassified",
        }
    }

    /// The category whose minimum applies: unclassified stores are held to operational.
    pub fn held_to(self) -> Category {
        match self {
            RowKey::Category(c) => c,
            RowKey::Unclassified => Category::Operational,
        }
    }

    pub fn of(store: &DataStore) -> RowKey {
        store
            .category
            .map(RowKey::Category)
            .unwrap_or(RowKey::Unclassified)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    pub key: RowKey,
    pub minimum: Level,
    pub minimum_text: &'static str,
    pub recommendation_text: &'static str,
    /// The seed's key for the category (`cmk-pii`); none for public data.
    pub key_alias: Option<&'static str>,
    /// Store addresses (with their part when a resource holds several), by address.
    pub stores: Vec<String>,
    /// Stores per level, weakest first; only levels that occur.
    pub levels: Vec<(Level, usize)>,
    /// Labels of the keys protecting these stores, sorted; "none" for unencrypted ones.
    pub keys: Vec<String>,
    pub compliant: usize,
    pub total: usize,
    /// Findings (unsuppressed) on these stores.
    pub findings: usize,
}

/// One row per category in the seed's order, then unclassified.
pub fn matrix(report: &Report, config: &Config) -> Vec<MatrixRow> {
    let keys: BTreeMap<&str, String> = report
        .keys
        .iter()
        .map(|k| (k.id.as_str(), key_label(k)))
        .collect();
    Category::ALL
        .into_iter()
        .map(RowKey::Category)
        .chain([RowKey::Unclassified])
        .map(|row| {
            let held_to = row.held_to();
            let minimum = config.minimum(held_to);
            let stores: Vec<&DataStore> = report
                .stores
                .iter()
                .filter(|s| RowKey::of(s) == row)
                .collect();
            let mut levels: BTreeMap<Level, usize> = BTreeMap::new();
            let mut used: BTreeSet<String> = BTreeSet::new();
            for s in &stores {
                *levels.entry(s.level).or_default() += 1;
                used.insert(match s.key.as_deref() {
                    Some(id) => keys.get(id).cloned().unwrap_or_else(|| id.to_string()),
                    None => "none".to_string(),
                });
            }
            let addresses: BTreeSet<&str> = stores.iter().map(|s| s.address.as_str()).collect();
            let mut names: Vec<String> = stores.iter().map(|s| store_name(s)).collect();
            crate::engine::sort::ord(&mut names);
            MatrixRow {
                key: row,
                minimum,
                minimum_text: held_to.minimum_text(),
                recommendation_text: held_to.recommendation_text(),
                key_alias: match row {
                    RowKey::Category(c) => c.key_alias(),
                    RowKey::Unclassified => None,
                },
                compliant: stores.iter().filter(|s| s.level >= minimum).count(),
                total: stores.len(),
                stores: names,
                levels: levels.into_iter().collect(),
                keys: used.into_iter().collect(),
                findings: report
                    .findings
                    .iter()
                    .filter(|f| f.counts())
                    .filter(|f| f.address.as_deref().is_some_and(|a| addresses.contains(a)))
                    .count(),
            }
        })
        .collect()
}

/// A store as listed: its address, and the block for multi-store resources.
pub fn store_name(s: &DataStore) -> String {
    match &s.part {
        Some(p) => format!("{} ({p})", s.address),
        None => s.address.clone(),
    }
}

/// A matrix cell that can be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Stores,
    Level(Level),
    Keys,
    Compliant,
    NonCompliant,
}

/// The stores behind a cell, by address.
pub fn cell_stores<'a>(
    report: &'a Report,
    config: &Config,
    row: RowKey,
    column: Column,
) -> Vec<&'a DataStore> {
    let minimum = config.minimum(row.held_to());
    let mut out: Vec<&DataStore> = report
        .stores
        .iter()
        .filter(|s| RowKey::of(s) == row)
        .filter(|s| match column {
            Column::Stores | Column::Keys => true,
            Column::Level(l) => s.level == l,
            Column::Compliant => s.level >= minimum,
            Column::NonCompliant => s.level < minimum,
        })
        .collect();
    crate::engine::sort::by(&mut out, |a, b| {
        a.address.cmp(&b.address).then(a.part.cmp(&b.part))
    });
    out
}

/// What a cell is called in the drill-down heading.
pub fn cell_label(row: RowKey, column: Column) -> String {
    let what = match column {
        Column::Stores => "all stores".to_string(),
        Column::Level(l) => format!("stores at {}", l.label()),
        Column::Keys => "stores and their keys".to_string(),
        Column::Compliant => "stores meeting the minimum".to_string(),
        Column::NonCompliant => "stores below the minimum".to_string(),
    };
    format!("{}: {what}", row.label())
}

/// The choices of a store's category select: "automatic" (empty value) and each category.
pub fn override_options() -> Vec<(String, String)> {
    std::iter::once((String::new(), "automatic".to_string()))
        .chain(
            Category::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), c.as_str().to_string())),
        )
        .collect()
}

/// Applies a store's category select to the config: a category overrides, empty clears.
pub fn set_override(config: &mut Config, address: &str, value: &str) {
    match Category::ALL.into_iter().find(|c| c.as_str() == value) {
        Some(c) => {
            config.overrides.insert(address.to_string(), c);
        }
        None => {
            config.overrides.remove(address);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture;

    fn row(rows: &[MatrixRow], key: RowKey) -> &MatrixRow {
        rows.iter().find(|r| r.key == key).unwrap()
    }

    #[test]
    fn one_row_per_category_then_unclassified() {
        let rows = matrix(&fixture::report(), &Config::default());
        assert_eq!(rows.len(), Category::ALL.len() + 1);
        assert_eq!(rows[0].key, RowKey::Category(Category::Pii));
        assert_eq!(rows.last().unwrap().key, RowKey::Unclassified);
        let health = row(&rows, RowKey::Category(Category::Health));
        assert_eq!((health.total, health.compliant), (0, 0));
        assert_eq!(health.key_alias, Some("cmk-health"));
        assert_eq!(health.minimum_text, "CMK");
    }

    #[test]
    fn rows_count_stores_levels_keys_and_compliance() {
        let rows = matrix(&fixture::report(), &Config::default());
        let pii = row(&rows, RowKey::Category(Category::Pii));
        assert_eq!(pii.total, 2);
        assert_eq!(pii.compliant, 2);
        assert_eq!(pii.levels, [(Level::Cmk, 1), (Level::CmkRecommended, 1)]);
        assert_eq!(pii.keys, ["alias/cmk-pii"]);
        assert_eq!(pii.recommendation_text, "CMK with an explicit key policy");

        let logs = row(&rows, RowKey::Category(Category::Logs));
        assert_eq!((logs.compliant, logs.total), (0, 1));
        assert_eq!(logs.keys, ["AWS-managed alias/aws/logs"]);
        assert_eq!(logs.findings, 1);

        let public = row(&rows, RowKey::Category(Category::Public));
        assert_eq!((public.compliant, public.total), (1, 1));
        assert_eq!(public.key_alias, None);
    }

    #[test]
    fn unclassified_stores_are_held_to_operational() {
        let mut report = fixture::report();
        let mut aws_managed = fixture::store(
            "aws_sns_topic.events",
            "sns",
            None,
            Level::AwsManaged,
            Some("aws-managed:alias/aws/sns"),
        );
        aws_managed.provider = "aws".into();
        report.stores.push(aws_managed);
        let rows = matrix(&report, &Config::default());
        let u = row(&rows, RowKey::Unclassified);
        assert_eq!(u.minimum, Level::AwsManaged);
        assert_eq!(u.minimum_text, "SSE-KMS (AWS-managed key)");
        assert_eq!((u.compliant, u.total), (1, 2));
        assert_eq!(u.keys, ["aws-managed:alias/aws/sns", "none"]);
        assert_eq!(u.findings, 1, "the suppressed ENC003 does not count");
    }

    #[test]
    fn a_stricter_config_minimum_changes_compliance() {
        let mut config = Config::default();
        config.minimums.insert(Category::Pii, Level::CmkRecommended);
        let rows = matrix(&fixture::report(), &config);
        let pii = row(&rows, RowKey::Category(Category::Pii));
        assert_eq!((pii.compliant, pii.total), (1, 2));
    }

    #[test]
    fn cells_name_their_stores() {
        let report = fixture::report();
        let c = Config::default();
        let pii = RowKey::Category(Category::Pii);
        let names = |v: Vec<&DataStore>| v.iter().map(|s| s.address.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(cell_stores(&report, &c, pii, Column::Stores)),
            ["aws_db_instance.users", "aws_s3_bucket.customers"]
        );
        assert_eq!(
            names(cell_stores(&report, &c, pii, Column::Level(Level::Cmk))),
            ["aws_s3_bucket.customers"]
        );
        let logs = RowKey::Category(Category::Logs);
        assert_eq!(
            names(cell_stores(&report, &c, logs, Column::NonCompliant)),
            ["aws_cloudwatch_log_group.app"]
        );
        assert!(cell_stores(&report, &c, logs, Column::Compliant).is_empty());
        assert_eq!(
            cell_label(logs, Column::NonCompliant),
            "Internal audit logs: stores below the minimum"
        );
    }

    #[test]
    fn overrides_set_and_clear() {
        let mut c = Config::default();
        set_override(&mut c, "aws_sqs_queue.jobs", "financial");
        assert_eq!(c.overrides["aws_sqs_queue.jobs"], Category::Financial);
        set_override(&mut c, "aws_sqs_queue.jobs", "");
        assert!(c.overrides.is_empty());
        let opts = override_options();
        assert_eq!(opts.len(), Category::ALL.len() + 1);
        assert_eq!(opts[0].1, "automatic");
    }

    #[test]
    fn the_matrix_follows_an_override_through_the_engine() {
        // The page's override path: set the override, re-run the engine on the kept model.
        let files = [crate::engine::SourceFile::new(
            crate::example::NAME,
            crate::example::PLAN,
        )];
        let model = crate::engine::input::load(&files);
        let mut options = crate::engine::Options::default();
        let before = crate::engine::analyse(&model, &options);
        let Some(store) = before.stores.first() else {
            return; // the engine reads no stores yet
        };
        let target = if store.category == Some(Category::Health) {
            Category::Public
        } else {
            Category::Health
        };
        set_override(&mut options.config, &store.address, target.as_str());
        let after = crate::engine::analyse(&model, &options);
        let rows = matrix(&after, &options.config);
        let row = row(&rows, RowKey::Category(target));
        assert!(row.stores.iter().any(|s| s.starts_with(&store.address)));
    }
}
