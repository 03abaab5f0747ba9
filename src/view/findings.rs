//! The findings table: rows, filters, sorting and the counts that follow the filters.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::category::Category;
use crate::engine::rules::{Finding, Severity, Suppressed};
use crate::engine::stores::DataStore;
use crate::engine::Report;

use super::{location, service_of_type};

/// One finding as the table shows it. `index` points back into `report.findings`.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingRow {
    pub index: usize,
    /// Stable across re-analysis (suppressing or overriding re-runs the engine), so an
    /// opened row stays open: rule, address, attribute and a counter for duplicates.
    pub id: String,
    pub severity: Severity,
    pub rule: String,
    pub name: String,
    pub address: String,
    pub category: Option<Category>,
    /// Where the store's category came from (`tag`, `inferred from name`, …), when the
    /// finding is about a data store.
    pub category_source: Option<&'static str>,
    /// What decided the category (the tag, the word in the name…), shown as a tooltip.
    pub category_evidence: Option<String>,
    pub service: String,
    pub file: String,
    pub line: Option<u32>,
    pub location: String,
    pub message: String,
    pub introduced: Option<bool>,
    pub suppressed: Option<Suppressed>,
    /// The finding's own address and the others it concerns, for focus filters.
    pub concerns: Vec<String>,
    /// How safe its fix is, when it has one and is not suppressed (the patch can take it).
    pub fix: Option<crate::engine::fix::Safety>,
    /// `fix::finding_key`: how the patch names it.
    pub key: String,
}

/// Shown instead of an address for provider- and project-level findings.
pub const PROJECT: &str = "(project)";

pub fn finding_rows(report: &Report) -> Vec<FindingRow> {
    let types: HashMap<&str, &str> = report
        .resources
        .iter()
        .map(|r| (r.address.as_str(), r.rtype.as_str()))
        .collect();
    let services: HashMap<&str, &str> = report
        .stores
        .iter()
        .map(|s| (s.address.as_str(), s.service.as_str()))
        .collect();
    let sources: HashMap<&str, &DataStore> = report
        .stores
        .iter()
        .map(|s| (s.address.as_str(), s))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    report
        .findings
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let service = match f.address.as_deref() {
                None => "account".to_string(),
                Some(a) => services
                    .get(a)
                    .map(|s| s.to_string())
                    .or_else(|| types.get(a).map(|t| service_of_type(t)))
                    .unwrap_or_else(|| service_of_type(type_of_address(a))),
            };
            let base = format!(
                "{}|{}|{}",
                f.rule,
                f.address.as_deref().unwrap_or(""),
                f.attribute.as_deref().unwrap_or("")
            );
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let store = f
                .category
                .and(f.address.as_deref())
                .and_then(|a| sources.get(a));
            FindingRow {
                index,
                id: format!("{base}|{n}"),
                severity: f.severity,
                rule: f.rule.clone(),
                name: f.name.clone(),
                address: f.address.clone().unwrap_or_else(|| PROJECT.into()),
                category: f.category,
                category_source: store.map(|s| super::source_label(s.category_source)),
                category_evidence: store.and_then(|s| s.category_evidence.clone()),
                service,
                file: f.file.clone().unwrap_or_default(),
                line: f.line,
                location: location(f.file.as_deref(), f.line),
                message: f.message.clone(),
                introduced: f.introduced,
                suppressed: f.suppressed.clone(),
                concerns: concerns(f),
                fix: super::fix::fixable(f).map(|x| x.safety),
                key: crate::engine::fix::finding_key(f),
            }
        })
        .collect()
}

/// What a focus can match: the address, the deciding companion, the related resources,
/// and for provider-level findings the provider key their evidence names (the EBS metric
/// counts providers, not resources).
fn concerns(f: &Finding) -> Vec<String> {
    let provider = f
        .evidence
        .get("provider")
        .and_then(|p| p.as_str())
        .filter(|_| f.address.is_none())
        .map(str::to_string);
    f.address
        .iter()
        .chain(f.decided_by.iter())
        .chain(f.related.iter())
        .cloned()
        .chain(provider)
        .collect()
}

/// `module.a.aws_s3_bucket.b[0]` → `aws_s3_bucket`: the type is the second-to-last
/// dot-separated part outside brackets (module keys may contain dots).
fn type_of_address(address: &str) -> &str {
    let mut depth = 0i32;
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in address.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '.' if depth == 0 => {
                parts.push(&address[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&address[start..]);
    let n = parts.len();
    if n >= 2 {
        parts[n - 2]
    } else {
        ""
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Newness {
    #[default]
    All,
    /// Introduced by the plan (create/update/replace).
    New,
    /// Already there (no-op).
    Existing,
}

/// The category filter: a category, or findings that have none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CategoryFilter {
    Is(Category),
    None,
}

/// A named set of addresses the table is narrowed to ("CMKs with rotation enabled: falling
/// short"), set from the overview's metrics and the matrix's cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Focus {
    pub label: String,
    pub addresses: BTreeSet<String>,
}

impl Focus {
    pub fn new(label: impl Into<String>, addresses: impl IntoIterator<Item = String>) -> Focus {
        Focus {
            label: label.into(),
            addresses: addresses.into_iter().collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingFilter {
    /// Empty means every severity.
    pub severities: BTreeSet<Severity>,
    pub rule: Option<String>,
    pub category: Option<CategoryFilter>,
    pub service: Option<String>,
    pub newness: Newness,
    pub show_suppressed: bool,
    /// Case-insensitive, over address, rule and message.
    pub text: String,
    pub focus: Option<Focus>,
}

impl Default for FindingFilter {
    fn default() -> FindingFilter {
        FindingFilter {
            severities: BTreeSet::new(),
            rule: None,
            category: None,
            service: None,
            newness: Newness::All,
            // Suppressed findings stay visible as suppressed (SPEC §4).
            show_suppressed: true,
            text: String::new(),
            focus: None,
        }
    }
}

impl FindingFilter {
    pub fn matches(&self, row: &FindingRow) -> bool {
        self.matches_except_severity(row)
            && (self.severities.is_empty() || self.severities.contains(&row.severity))
    }

    /// Everything but the severity chips: the chips show counts under the other filters.
    fn matches_except_severity(&self, row: &FindingRow) -> bool {
        if !self.show_suppressed && row.suppressed.is_some() {
            return false;
        }
        if self.rule.as_ref().is_some_and(|r| *r != row.rule) {
            return false;
        }
        match self.category {
            Some(CategoryFilter::Is(c)) if row.category != Some(c) => return false,
            Some(CategoryFilter::None) if row.category.is_some() => return false,
            _ => {}
        }
        if self.service.as_ref().is_some_and(|s| *s != row.service) {
            return false;
        }
        match self.newness {
            Newness::New if row.introduced != Some(true) => return false,
            Newness::Existing if row.introduced != Some(false) => return false,
            _ => {}
        }
        if let Some(focus) = &self.focus {
            if !row.concerns.iter().any(|a| focus.addresses.contains(a)) {
                return false;
            }
        }
        let needle = self.text.trim().to_lowercase();
        needle.is_empty()
            || row.address.to_lowercase().contains(&needle)
            || row.message.to_lowercase().contains(&needle)
            || row.rule.to_lowercase().contains(&needle)
    }

    /// True when anything narrows the table.
    pub fn is_active(&self) -> bool {
        *self != FindingFilter::default()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Severity,
    Rule,
    Resource,
    Category,
    File,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Severity,
        SortKey::Rule,
        SortKey::Resource,
        SortKey::Category,
        SortKey::File,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Severity => "Severity",
            SortKey::Rule => "Rule",
            SortKey::Resource => "Resource",
            SortKey::Category => "Category",
            SortKey::File => "File",
        }
    }
}

/// A sort order. `descending` on severity means critical first (the default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Sort {
        Sort {
            key: SortKey::Severity,
            descending: true,
        }
    }
}

impl Sort {
    /// What clicking a column header does: the same column flips, a new one starts in its
    /// natural order (severity worst first, the others A→Z).
    pub fn toggled(self, key: SortKey) -> Sort {
        if self.key == key {
            Sort {
                key,
                descending: !self.descending,
            }
        } else {
            Sort {
                key,
                descending: key == SortKey::Severity,
            }
        }
    }
}

/// The rows to show, in order, as indices into `rows`.
pub fn apply(rows: &[FindingRow], filter: &FindingFilter, sort: Sort) -> Vec<usize> {
    let mut out: Vec<usize> = (0..rows.len())
        .filter(|&i| filter.matches(&rows[i]))
        .collect();
    crate::engine::sort::by(&mut out, |&a, &b| {
        let (x, y) = (&rows[a], &rows[b]);
        let primary = match sort.key {
            SortKey::Severity => x.severity.cmp(&y.severity),
            SortKey::Rule => x.rule.cmp(&y.rule),
            SortKey::Resource => x.address.cmp(&y.address),
            // Findings without a category sort after every category.
            SortKey::Category => match (x.category, y.category) {
                (Some(p), Some(q)) => p.as_str().cmp(q.as_str()),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            SortKey::File => x.file.cmp(&y.file).then(x.line.cmp(&y.line)),
        };
        let primary = if sort.descending {
            primary.reverse()
        } else {
            primary
        };
        // Ties: worst first, then rule and address, so the order never depends on input order.
        primary
            .then_with(|| y.severity.cmp(&x.severity))
            .then_with(|| x.rule.cmp(&y.rule))
            .then_with(|| x.address.cmp(&y.address))
            .then_with(|| x.index.cmp(&y.index))
    });
    out
}

/// Counts of what the filters let through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub shown: usize,
    pub total: usize,
    /// Per severity under every filter but the severity chips (so a chip says what
    /// selecting it would show).
    pub by_severity: BTreeMap<Severity, usize>,
    pub suppressed: usize,
    pub new: usize,
}

pub fn counts(rows: &[FindingRow], filter: &FindingFilter) -> Counts {
    let mut c = Counts {
        total: rows.len(),
        by_severity: crate::engine::sort::btree_map(Severity::ALL.iter().map(|s| (*s, 0))),
        ..Counts::default()
    };
    for row in rows {
        if !filter.matches_except_severity(row) {
            continue;
        }
        *c.by_severity.entry(row.severity).or_default() += 1;
        if filter.severities.is_empty() || filter.severities.contains(&row.severity) {
            c.shown += 1;
            if row.suppressed.is_some() {
                c.suppressed += 1;
            }
            if row.introduced == Some(true) {
                c.new += 1;
            }
        }
    }
    c
}

/// The values each filter can take, from the rows (not the registry: only what occurs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// (id, name, count), by id.
    pub rules: Vec<(String, String, usize)>,
    pub categories: Vec<Category>,
    pub has_uncategorised: bool,
    pub services: Vec<String>,
    /// Whether any finding knows if the plan introduced it (plan input only).
    pub has_newness: bool,
}

pub fn facets(rows: &[FindingRow]) -> Facets {
    let mut rules: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    let mut categories = BTreeSet::new();
    let mut services = BTreeSet::new();
    let mut f = Facets::default();
    for r in rows {
        rules.entry(&r.rule).or_insert((&r.name, 0)).1 += 1;
        match r.category {
            Some(c) => {
                categories.insert(c);
            }
            None => f.has_uncategorised = true,
        }
        services.insert(r.service.clone());
        f.has_newness |= r.introduced.is_some();
    }
    f.rules = rules
        .into_iter()
        .map(|(id, (name, n))| (id.to_string(), name.to_string(), n))
        .collect();
    f.categories = categories.into_iter().collect();
    f.services = services.into_iter().collect();
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture;

    fn rows() -> Vec<FindingRow> {
        finding_rows(&fixture::report())
    }

    fn rules_of(rows: &[FindingRow], idx: &[usize]) -> Vec<String> {
        idx.iter()
            .map(|&i| format!("{} {}", rows[i].rule, rows[i].address))
            .collect()
    }

    #[test]
    fn rows_carry_service_from_store_or_type_and_project_findings_are_account_level() {
        let rows = rows();
        let by = |rule: &str, addr: &str| {
            rows.iter()
                .find(|r| r.rule == rule && r.address == addr)
                .unwrap()
                .clone()
        };
        assert_eq!(by("ENC001", "aws_sqs_queue.jobs").service, "sqs");
        let logs = by("ENC001", "aws_cloudwatch_log_group.app");
        assert_eq!(logs.category_source, Some("tag"));
        assert_eq!(by("TLS003", "aws_lb_listener.http").category_source, None);
        assert_eq!(by("TLS003", "aws_lb_listener.http").service, "elb");
        assert_eq!(by("KMS005", "aws_kms_key.pii").service, "kms");
        let ebs = by("EBS001", PROJECT);
        assert_eq!(ebs.service, "account");
        assert_eq!(ebs.location, "main.tf:1");
    }

    #[test]
    fn ids_are_unique_and_stable() {
        let mut report = fixture::report();
        let dup = report.findings[0].clone();
        report.findings.push(dup);
        let rows = finding_rows(&report);
        let ids: BTreeSet<_> = rows.iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids.len(), rows.len());
        assert_eq!(finding_rows(&report)[0].id, rows[0].id);
    }

    #[test]
    fn type_of_address_skips_module_keys_with_dots() {
        assert_eq!(
            type_of_address("module.a[\"x.y\"].aws_s3_bucket.b[0]"),
            "aws_s3_bucket"
        );
        assert_eq!(type_of_address("aws_kms_key.k"), "aws_kms_key");
        assert_eq!(type_of_address("nonsense"), "");
    }

    #[test]
    fn default_sort_is_worst_first_then_rule_then_address() {
        let rows = rows();
        let order = apply(&rows, &FindingFilter::default(), Sort::default());
        assert_eq!(
            rules_of(&rows, &order),
            [
                "ENC001 aws_sqs_queue.jobs",
                "EBS001 (project)",
                "ENC001 aws_cloudwatch_log_group.app",
                "KMS005 aws_kms_key.pii",
                "TLS003 aws_lb_listener.http",
                "ENC003 aws_sqs_queue.jobs",
            ]
        );
    }

    #[test]
    fn sorting_by_resource_and_flipping() {
        let rows = rows();
        let asc = apply(
            &rows,
            &FindingFilter::default(),
            Sort::default().toggled(SortKey::Resource),
        );
        let addrs: Vec<_> = asc.iter().map(|&i| rows[i].address.as_str()).collect();
        let mut sorted = addrs.clone();
        sorted.sort();
        assert_eq!(addrs, sorted);
        let desc = apply(
            &rows,
            &FindingFilter::default(),
            Sort::default()
                .toggled(SortKey::Resource)
                .toggled(SortKey::Resource),
        );
        assert_eq!(rows[desc[0]].address, "aws_sqs_queue.jobs");
        assert_eq!(rows[*desc.last().unwrap()].address, PROJECT);
    }

    #[test]
    fn sorting_by_category_puts_uncategorised_last() {
        let rows = rows();
        let order = apply(
            &rows,
            &FindingFilter::default(),
            Sort {
                key: SortKey::Category,
                descending: false,
            },
        );
        assert_eq!(rows[order[0]].category, Some(Category::Logs));
        assert!(order[1..].iter().all(|&i| rows[i].category.is_none()));
    }

    #[test]
    fn filters_combine_and_counts_follow() {
        let rows = rows();
        let mut f = FindingFilter::default();
        assert_eq!(counts(&rows, &f).shown, 6);
        assert_eq!(counts(&rows, &f).suppressed, 1);

        f.show_suppressed = false;
        assert_eq!(counts(&rows, &f).shown, 5);

        f.severities.insert(Severity::Medium);
        let c = counts(&rows, &f);
        assert_eq!(c.shown, 2);
        // The chips still count what each severity would show.
        assert_eq!(c.by_severity[&Severity::High], 2);
        assert_eq!(
            c.by_severity[&Severity::Low],
            0,
            "the low one is suppressed"
        );

        f.service = Some("elb".into());
        assert_eq!(
            rules_of(&rows, &apply(&rows, &f, Sort::default())),
            ["TLS003 aws_lb_listener.http"]
        );
        assert!(f.is_active());
        assert!(!FindingFilter::default().is_active());
    }

    #[test]
    fn newness_rule_category_and_text_filters() {
        let rows = rows();
        let f = FindingFilter {
            newness: Newness::New,
            ..FindingFilter::default()
        };
        let c = counts(&rows, &f);
        assert_eq!(c.shown, 2);
        assert_eq!(c.new, 2);
        let f = FindingFilter {
            newness: Newness::Existing,
            ..FindingFilter::default()
        };
        assert_eq!(counts(&rows, &f).shown, 2);

        let f = FindingFilter {
            rule: Some("ENC001".into()),
            ..FindingFilter::default()
        };
        assert_eq!(counts(&rows, &f).shown, 2);

        let f = FindingFilter {
            category: Some(CategoryFilter::Is(Category::Logs)),
            ..FindingFilter::default()
        };
        assert_eq!(counts(&rows, &f).shown, 1);
        let f = FindingFilter {
            category: Some(CategoryFilter::None),
            ..FindingFilter::default()
        };
        assert_eq!(counts(&rows, &f).shown, 5);

        let f = FindingFilter {
            text: "  PLAIN http ".into(),
            ..FindingFilter::default()
        };
        assert_eq!(
            rules_of(&rows, &apply(&rows, &f, Sort::default())),
            ["TLS003 aws_lb_listener.http"]
        );
        let f = FindingFilter {
            text: "sqs_queue".into(),
            ..FindingFilter::default()
        };
        assert_eq!(counts(&rows, &f).shown, 2);
    }

    #[test]
    fn focus_matches_address_decider_and_related() {
        let mut report = fixture::report();
        report.findings[3].related = vec!["aws_dynamodb_table.payments".into()];
        let rows = finding_rows(&report);
        let f = FindingFilter {
            focus: Some(Focus::new(
                "payments",
                ["aws_dynamodb_table.payments".to_string()],
            )),
            ..FindingFilter::default()
        };
        assert_eq!(
            rules_of(&rows, &apply(&rows, &f, Sort::default())),
            ["KMS005 aws_kms_key.pii"]
        );
    }

    #[test]
    fn focus_on_a_provider_matches_its_project_level_findings() {
        let mut report = fixture::report();
        report.findings[2].evidence = serde_json::json!({"provider": "aws", "region": null});
        let rows = finding_rows(&report);
        let f = FindingFilter {
            focus: Some(Focus::new("ebs", ["aws".to_string()])),
            ..FindingFilter::default()
        };
        assert_eq!(
            rules_of(&rows, &apply(&rows, &f, Sort::default())),
            ["EBS001 (project)"]
        );
    }

    #[test]
    fn facets_list_what_occurs() {
        let f = facets(&rows());
        let ids: Vec<_> = f.rules.iter().map(|r| (r.0.as_str(), r.2)).collect();
        assert_eq!(
            ids,
            [
                ("EBS001", 1),
                ("ENC001", 2),
                ("ENC003", 1),
                ("KMS005", 1),
                ("TLS003", 1)
            ]
        );
        assert_eq!(f.categories, [Category::Logs]);
        assert!(f.has_uncategorised);
        assert_eq!(f.services, ["account", "elb", "kms", "logs", "sqs"]);
        assert!(f.has_newness);
    }
}
