//! What the page shows, as plain data computed from a report: tested natively, rendered by
//! the thin components in `crate::app`.

use crate::engine::rules::Severity;
use crate::engine::Report;

pub struct Summary {
    pub text: String,
    pub class: &'static str,
}

/// The one-line verdict.
pub fn summary(report: &Report) -> Summary {
    let counts = report.counts();
    let total: usize = counts.values().sum();
    let errors = report.errors().count();
    let resources = report.resources.len();
    let mut text = match report.worst() {
        None => format!("No findings in {resources} resources."),
        Some(worst) => {
            let parts: Vec<String> = Severity::ALL
                .iter()
                .filter(|s| counts[s] > 0)
                .map(|s| format!("{} {}", counts[s], s))
                .collect();
            format!(
                "{total} finding{} in {resources} resources: {}. Worst: {worst}.",
                if total == 1 { "" } else { "s" },
                parts.join(", ")
            )
        }
    };
    if errors > 0 {
        text.push_str(&format!(
            " {errors} input error{} — the review is incomplete.",
            if errors == 1 { "" } else { "s" }
        ));
    }
    let class = match (errors > 0, report.worst()) {
        (true, _) => "verdict bad",
        (_, Some(Severity::Critical | Severity::High)) => "verdict bad",
        (_, Some(Severity::Medium)) => "verdict warn",
        _ => "verdict ok",
    };
    Summary { text, class }
}

pub struct ErrorRow {
    pub location: String,
    pub message: String,
    pub excerpt: Option<String>,
}

pub fn error_rows(report: &Report) -> Vec<ErrorRow> {
    report
        .errors()
        .map(|e| ErrorRow {
            location: match (e.line, e.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", e.file),
                (Some(l), None) => format!("{}:{l}", e.file),
                _ => e.file.clone(),
            },
            message: e.message.clone(),
            excerpt: e.excerpt.clone(),
        })
        .collect()
}

pub struct FindingRow {
    pub severity: &'static str,
    pub rule: String,
    pub address: String,
    pub message: String,
    pub location: String,
}

pub fn finding_rows(report: &Report) -> Vec<FindingRow> {
    report
        .findings
        .iter()
        .map(|f| FindingRow {
            severity: f.severity.as_str(),
            rule: f.rule.clone(),
            address: f.address.clone().unwrap_or_else(|| "(project)".into()),
            message: f.message.clone(),
            location: location(f.file.as_deref(), f.line),
        })
        .collect()
}

pub struct InventoryRow {
    pub address: String,
    pub rtype: String,
    pub provider: String,
    pub action: String,
    pub location: String,
}

pub fn inventory_rows(report: &Report) -> Vec<InventoryRow> {
    report
        .resources
        .iter()
        .map(|r| InventoryRow {
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
        })
        .collect()
}

fn location(file: Option<&str>, line: Option<u32>) -> String {
    match (file, line) {
        (Some(f), Some(l)) => format!("{f}:{l}"),
        (Some(f), None) => f.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{check, Options, SourceFile};

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
    fn errors_show_file_line_and_column() {
        let report = check(
            &[SourceFile::new(
                "plan.json",
                "{\"format_version\": \"1.2\",\n \"planned_values\": [}",
            )],
            &Options::default(),
        );
        let rows = error_rows(&report);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].location, "plan.json:2:21");
        assert!(summary(&report).text.contains("input error"));
    }
}
