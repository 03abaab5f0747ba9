//! User settings: `planlens.toml` for the CLI, the settings panel on the page, and the
//! permalink all carry the same [`Config`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::category::{Category, Level};

/// Tag keys that carry a data category, out of the box.
pub const DEFAULT_TAG_KEYS: [&str; 6] = [
    "data-class",
    "data_class",
    "DataClass",
    "data-classification",
    "DataClassification",
    "classification",
];

/// Name fragments that suggest a category when no tag or type decides (SPEC §3).
pub const DEFAULT_HEURISTICS: [(Category, &[&str]); 6] = [
    (Category::Pii, &["customer", "user", "profile", "email"]),
    (
        Category::Financial,
        &["payment", "transaction", "billing", "invoice"],
    ),
    (
        Category::Health,
        &["patient", "health", "medical", "diagnos"],
    ),
    (Category::Logs, &["log", "audit", "trail"]),
    (Category::Operational, &["metric", "monitor"]),
    (
        Category::Public,
        &["static", "asset", "public", "website", "cdn"],
    ),
];

/// A suppression that does not live in a comment: plan JSON has none, and the page and
/// the CLI's `--ignore FILE` add them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Suppression {
    pub rule: String,
    /// `None` suppresses the rule everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Tag keys read for a store's category, in priority order.
    pub tag_keys: Vec<String>,
    /// Extra tag values and what they mean (`confidential = "pii"`); the built-in
    /// normalisation applies after these.
    pub tag_values: BTreeMap<String, Category>,
    /// Per-category minimums stricter than the seed's (`operational = "cmk"`).
    pub minimums: BTreeMap<Category, Level>,
    /// Name heuristics; replaces the built-in fragments for the categories it names.
    pub heuristics: BTreeMap<Category, Vec<String>>,
    /// Category per store address, set by the user.
    pub overrides: BTreeMap<String, Category>,
    pub suppressions: Vec<Suppression>,
    /// `[access]`: per category, the principals allowed to decrypt it (addresses, ARNs or
    /// `*` patterns such as `arn:aws:iam::*:role/pii-*`); ACC005 reports any other.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub access: BTreeMap<Category, Vec<String>>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            tag_keys: DEFAULT_TAG_KEYS.iter().map(|s| s.to_string()).collect(),
            tag_values: BTreeMap::new(),
            minimums: BTreeMap::new(),
            heuristics: BTreeMap::new(),
            overrides: BTreeMap::new(),
            suppressions: Vec::new(),
            access: BTreeMap::new(),
        }
    }
}

impl Config {
    /// Parses `planlens.toml`. Errors carry the line and column.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError {
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        for (category, level) in &cfg.minimums {
            if *level < category.minimum() {
                return Err(ConfigError {
                    line: 1,
                    column: 1,
                    message: format!(
                        "minimums.{category} = \"{level}\" is weaker than the seed's minimum \"{}\"; a config may only make minimums stricter",
                        category.minimum()
                    ),
                });
            }
        }
        Ok(cfg)
    }

    /// The minimum a category is held to: the seed's, or the config's stricter one.
    pub fn minimum(&self, category: Category) -> Level {
        self.minimums
            .get(&category)
            .copied()
            .unwrap_or(category.minimum())
            .max(category.minimum())
    }

    /// The category a tag value names, after the user's mapping and the built-in one.
    pub fn category_from_tag(&self, value: &str) -> Option<Category> {
        let lowered = value.trim().to_ascii_lowercase();
        self.tag_values
            .iter()
            .find(|(k, _)| k.to_ascii_lowercase() == lowered)
            .map(|(_, c)| *c)
            .or_else(|| Category::from_tag_value(value))
    }

    /// The category a name suggests, with the fragment that matched.
    pub fn category_from_name(&self, name: &str) -> Option<(Category, String)> {
        let name = name.to_ascii_lowercase();
        for (category, defaults) in DEFAULT_HEURISTICS {
            let hit = match self.heuristics.get(&category) {
                Some(custom) => custom
                    .iter()
                    .find(|f| name.contains(&f.to_ascii_lowercase()))
                    .cloned(),
                None => defaults
                    .iter()
                    .find(|f| name.contains(**f))
                    .map(|f| f.to_string()),
            };
            if let Some(fragment) = hit {
                return Some((category, fragment));
            }
        }
        self.heuristics
            .iter()
            .filter(|(c, _)| !DEFAULT_HEURISTICS.iter().any(|(d, _)| d == *c))
            .find_map(|(c, frags)| {
                frags
                    .iter()
                    .find(|f| name.contains(&f.to_ascii_lowercase()))
                    .map(|f| (*c, f.clone()))
            })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("planlens.toml:{line}:{column}: {message}")]
pub struct ConfigError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0) as u32
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let cfg = Config::from_toml(
            r#"
tag_keys = ["sensitivity"]
[tag_values]
confidential = "pii"
[minimums]
operational = "cmk"
[heuristics]
financial = ["ledger"]
[overrides]
"aws_s3_bucket.misc" = "pii"
[[suppressions]]
rule = "ENC003"
reason = "tagged by the platform later"
[access]
pii = ["aws_iam_role.app", "arn:aws:iam::*:role/pii-*"]
"#,
        )
        .unwrap();
        assert_eq!(cfg.tag_keys, vec!["sensitivity"]);
        assert_eq!(cfg.category_from_tag("Confidential"), Some(Category::Pii));
        assert_eq!(cfg.minimum(Category::Operational), Level::Cmk);
        assert_eq!(
            cfg.category_from_name("ledger-archive").map(|c| c.0),
            Some(Category::Financial)
        );
        assert_eq!(cfg.overrides["aws_s3_bucket.misc"], Category::Pii);
        assert_eq!(cfg.suppressions.len(), 1);
        assert_eq!(cfg.access[&Category::Pii].len(), 2);
    }

    #[test]
    fn errors_name_line_and_column() {
        let err = Config::from_toml("tag_keys = [\n  1,\n]\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = Config::from_toml("[minimums]\npii = \"aws-managed\"\n").unwrap_err();
        assert!(err.message.contains("weaker"), "{err}");
    }

    #[test]
    fn name_heuristics_follow_the_spec() {
        let cfg = Config::default();
        let cat = |n: &str| cfg.category_from_name(n).map(|c| c.0);
        assert_eq!(cat("customer-profiles"), Some(Category::Pii));
        assert_eq!(cat("invoices"), Some(Category::Financial));
        assert_eq!(cat("patient_records"), Some(Category::Health));
        assert_eq!(cat("cloudtrail"), Some(Category::Logs));
        assert_eq!(cat("static-site"), Some(Category::Public));
        assert_eq!(cat("scratch"), None);
    }
}
