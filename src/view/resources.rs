//! The resource inventory, narrowed by a focus (a metric's shortfall, a matrix cell) or a
//! text search.

use std::collections::HashMap;

use crate::engine::Report;

use super::findings::Focus;
use super::{location, source_label};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventoryRow {
    pub address: String,
    pub rtype: String,
    pub provider: String,
    pub action: String,
    pub location: String,
    /// `pii (tag)` for data stores, empty otherwise.
    pub category: String,
    /// The store's encryption level, empty for resources that are not stores.
    pub level: String,
    /// Unsuppressed findings on the resource.
    pub findings: usize,
}

pub fn inventory_rows(report: &Report) -> Vec<InventoryRow> {
    let mut per_address: HashMap<&str, usize> = HashMap::new();
    for f in report.findings.iter().filter(|f| f.counts()) {
        if let Some(a) = f.address.as_deref() {
            *per_address.entry(a).or_default() += 1;
        }
    }
    report
        .resources
        .iter()
        .map(|r| {
            let store = report.stores.iter().find(|s| s.address == r.address);
            InventoryRow {
                address: r.address.clone(),
                rtype: r.rtype.clone(),
                provider: r.provider.clone(),
                action: r
                    .action
                    .map(|a| {
                        serde_json::to_value(a)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    })
                    .unwrap_or_else(|| "—".into()),
                location: location(r.file.as_deref(), r.line),
                category: store
                    .map(|s| {
                        let c = s.category.map(|c| c.as_str()).unwrap_or("unclassified");
                        format!("{c} ({})", source_label(s.category_source))
                    })
                    .unwrap_or_default(),
                level: store
                    .map(|s| s.level.as_str().to_string())
                    .unwrap_or_default(),
                findings: per_address.get(r.address.as_str()).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// Indices of the rows a focus and a search let through.
pub fn filter(rows: &[InventoryRow], focus: Option<&Focus>, text: &str) -> Vec<usize> {
    let needle = text.trim().to_lowercase();
    (0..rows.len())
        .filter(|&i| {
            let r = &rows[i];
            focus.is_none_or(|f| f.addresses.contains(&r.address))
                && (needle.is_empty()
                    || r.address.to_lowercase().contains(&needle)
                    || r.rtype.to_lowercase().contains(&needle))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{check, Options, SourceFile};
    use crate::view::fixture;

    #[test]
    fn example_inventory_lists_every_resource_with_its_action() {
        let report = check(
            &[SourceFile::new(crate::example::NAME, crate::example::PLAN)],
            &Options::default(),
        );
        let rows = inventory_rows(&report);
        assert_eq!(rows.len(), 19);
        let listener = rows
            .iter()
            .find(|r| r.address == "aws_lb_listener.https")
            .unwrap();
        assert_eq!(listener.action, "update");
        assert!(listener.location.starts_with("seed-example.plan.json:"));
    }

    #[test]
    fn stores_show_category_with_source_level_and_finding_count() {
        let rows = inventory_rows(&fixture::report());
        let queue = rows
            .iter()
            .find(|r| r.address == "aws_sqs_queue.jobs")
            .unwrap();
        assert_eq!(queue.category, "unclassified (unclassified)");
        assert_eq!(queue.level, "none");
        assert_eq!(queue.findings, 1, "the suppressed finding does not count");
        let bucket = rows
            .iter()
            .find(|r| r.address == "aws_s3_bucket.customers")
            .unwrap();
        assert_eq!(bucket.category, "pii (tag)");
        let listener = rows
            .iter()
            .find(|r| r.address == "aws_lb_listener.http")
            .unwrap();
        assert!(listener.category.is_empty() && listener.level.is_empty());
    }

    #[test]
    fn focus_and_search_narrow_the_rows() {
        let rows = inventory_rows(&fixture::report());
        assert_eq!(filter(&rows, None, "").len(), rows.len());
        let focus = Focus::new("x", ["aws_s3_bucket.site".to_string(), "nope".to_string()]);
        let idx = filter(&rows, Some(&focus), "");
        assert_eq!(idx.len(), 1);
        assert_eq!(rows[idx[0]].address, "aws_s3_bucket.site");
        assert_eq!(filter(&rows, None, "S3_BUCKET").len(), 2);
        assert!(filter(&rows, Some(&focus), "kms").is_empty());
    }
}
