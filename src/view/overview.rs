//! The overview: the verdict, the seed's five metrics, counts by severity and the input
//! files read.

use crate::engine::metrics::METRICS;
use crate::engine::model::FileKind;
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
    let noun = if resources == 1 {
        "resource"
    } else {
        "resources"
    };
    let mut text = match report.worst() {
        None => format!("No findings in {resources} {noun}."),
        Some(worst) => {
            let parts: Vec<String> = Severity::ALL
                .iter()
                .filter(|s| counts[s] > 0)
                .map(|s| format!("{} {}", counts[s], s))
                .collect();
            format!(
                "{total} finding{} in {resources} {noun}: {}. Worst: {worst}.",
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
    if let Some(unread) = report.input.unread_summary() {
        text.push_str(&format!(" {unread}."));
    }
    if !report.input.incomplete_plans.is_empty() {
        text.push_str(" The plan is incomplete: Terraform failed while planning it.");
    }
    let class = match (errors > 0, report.worst()) {
        (true, _) => "verdict bad",
        (_, Some(Severity::Critical | Severity::High)) => "verdict bad",
        (_, Some(Severity::Medium)) => "verdict warn",
        // What was not read is never a clean pass.
        _ if !report.input.is_complete() => "verdict warn",
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
    report.errors().map(error_row).collect()
}

fn error_row(e: &crate::engine::model::InputError) -> ErrorRow {
    ErrorRow {
        location: match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", e.file),
            (Some(l), None) => format!("{}:{l}", e.file),
            _ => e.file.clone(),
        },
        message: e.message.clone(),
        excerpt: e.excerpt.clone(),
    }
}

/// One of the seed's metrics as a card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricCard {
    pub key: &'static str,
    pub title: &'static str,
    pub numerator: usize,
    pub denominator: usize,
    /// Rounded down, so 99.6% never reads as the 100% target.
    pub percent: u32,
    pub met: bool,
    /// Nothing to count (no such resources in the input): met, and said so.
    pub empty: bool,
    /// What falls short: resource addresses, or provider keys for the EBS metric.
    pub failing: Vec<String>,
    pub addresses: Vec<String>,
}

pub fn metric_cards(report: &Report) -> Vec<MetricCard> {
    METRICS
        .iter()
        .map(|(key, title)| {
            let m = report.metrics.get(*key).cloned().unwrap_or_default();
            let met = m.numerator >= m.denominator;
            MetricCard {
                key,
                title,
                numerator: m.numerator,
                denominator: m.denominator,
                percent: if met {
                    100
                } else {
                    (m.percent().clamp(0.0, 100.0)).floor() as u32
                },
                met,
                empty: m.denominator == 0,
                failing: m.failing,
                addresses: m.addresses,
            }
        })
        .collect()
}

/// Unsuppressed findings per severity, worst first, plus the suppressed and new counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeverityCounts {
    pub by_severity: Vec<(Severity, usize)>,
    pub suppressed: usize,
    pub new: usize,
}

pub fn severity_counts(report: &Report) -> SeverityCounts {
    let counts = report.counts();
    SeverityCounts {
        by_severity: Severity::ALL.iter().map(|s| (*s, counts[s])).collect(),
        suppressed: report.findings.iter().filter(|f| !f.counts()).count(),
        new: report
            .findings
            .iter()
            .filter(|f| f.counts() && f.introduced == Some(true))
            .count(),
    }
}

pub struct FileRow {
    pub path: String,
    pub kind: &'static str,
    pub resources: usize,
    pub errors: Vec<ErrorRow>,
}

pub fn kind_label(kind: Option<FileKind>) -> &'static str {
    match kind {
        Some(FileKind::Plan) => "plan JSON",
        Some(FileKind::State) => "state JSON",
        Some(FileKind::Hcl) => "HCL",
        Some(FileKind::Tfjson) => "Terraform JSON",
        Some(FileKind::Tfvars) => "variables",
        Some(FileKind::Config) => "planlens.toml",
        Some(FileKind::Modules) => "module manifest",
        None => "not recognised",
    }
}

pub fn file_rows(report: &Report) -> Vec<FileRow> {
    report
        .input
        .files
        .iter()
        .map(|f| FileRow {
            path: f.path.clone(),
            kind: kind_label(f.kind),
            resources: f.resources,
            errors: f.errors.iter().map(error_row).collect(),
        })
        .collect()
}

/// A module call the input table lists as not read, with why and how to include it.
pub struct UnreadRow {
    pub module: String,
    pub source: String,
    pub reason: String,
    pub how_to_include: String,
}

pub fn unread_rows(report: &Report) -> Vec<UnreadRow> {
    report
        .input
        .unread_modules
        .iter()
        .map(|m| UnreadRow {
            module: m.module.clone(),
            source: match &m.version {
                Some(v) => format!("{} {v}", m.source),
                None => m.source.clone(),
            },
            reason: m.reason.clone(),
            how_to_include: m.how_to_include.clone(),
        })
        .collect()
}

/// The resources of types planlens does not judge as data stores, in one line for the
/// input table: `aws_cognito_user_pool × 2, …`; `None` when there are none.
pub fn unjudged_line(report: &Report) -> Option<String> {
    let types = &report.input.unjudged_types;
    (!types.is_empty()).then(|| {
        types
            .iter()
            .map(|t| format!("{} × {}", t.rtype, t.count))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{check, Options, SourceFile};
    use crate::view::fixture;

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
        let files = file_rows(&report);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].errors[0].location, "plan.json:2:21");
    }

    #[test]
    fn unread_modules_are_never_a_clean_pass() {
        let report = check(
            &[SourceFile::new(
                "main.tf",
                "module \"bucket\" {\n  source  = \"terraform-aws-modules/s3-bucket/aws\"\n  version = \"4.1.0\"\n  tags    = { data-class = \"pii\" }\n}\n",
            )],
            &Options::default(),
        );
        let s = summary(&report);
        assert_eq!(s.class, "verdict warn");
        assert!(
            s.text
                .contains("1 module was not read: its resources are not reviewed"),
            "{}",
            s.text
        );
        let rows = unread_rows(&report);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].module, "module.bucket");
        assert_eq!(rows[0].source, "terraform-aws-modules/s3-bucket/aws 4.1.0");
        assert!(
            rows[0].reason.contains("Terraform registry"),
            "{}",
            rows[0].reason
        );
        assert!(rows[0].how_to_include.contains("terraform init"));
    }

    #[test]
    fn unjudged_types_make_one_line() {
        let report = check(
            &[SourceFile::new(
                "main.tf",
                "resource \"aws_cognito_user_pool\" \"a\" { name = \"a\" }\n\
                 resource \"aws_cognito_user_pool\" \"b\" { name = \"b\" }\n\
                 resource \"aws_sqs_queue\" \"q\" {}\n",
            )],
            &Options::default(),
        );
        assert_eq!(
            unjudged_line(&report).as_deref(),
            Some("aws_cognito_user_pool × 2")
        );
        assert_eq!(unjudged_line(&fixture::report()), None);
    }

    #[test]
    fn the_example_is_read_as_one_plan() {
        let report = check(
            &[SourceFile::new(crate::example::NAME, crate::example::PLAN)],
            &Options::default(),
        );
        let files = file_rows(&report);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].kind, "plan JSON");
        assert_eq!(files[0].resources, report.resources.len());
        assert!(files[0].errors.is_empty());
    }

    #[test]
    fn metric_cards_follow_the_seeds_order_and_round_down() {
        let mut report = fixture::report();
        report.metrics.insert(
            "kms_rotation".into(),
            crate::engine::metrics::Metric {
                numerator: 199,
                denominator: 200,
                addresses: vec![],
                failing: vec!["aws_kms_key.x".into()],
            },
        );
        let cards = metric_cards(&report);
        let keys: Vec<_> = cards.iter().map(|c| c.key).collect();
        assert_eq!(
            keys,
            [
                "pii_financial_cmk",
                "kms_rotation",
                "tls12_endpoints",
                "acm_expiry",
                "ebs_default_encryption"
            ]
        );
        assert_eq!((cards[0].percent, cards[0].met), (100, true));
        assert_eq!((cards[1].percent, cards[1].met), (99, false));
        assert!(cards[2].empty && cards[2].met, "not measured counts as met");
        assert_eq!(cards[4].failing, ["aws"]);
        assert_eq!(cards[4].percent, 0);
    }

    #[test]
    fn severity_counts_leave_out_suppressed_and_count_new() {
        let c = severity_counts(&fixture::report());
        assert_eq!(
            c.by_severity,
            [
                (Severity::Critical, 1),
                (Severity::High, 2),
                (Severity::Medium, 2),
                (Severity::Low, 0),
                (Severity::Info, 0)
            ]
        );
        assert_eq!(c.suppressed, 1);
        assert_eq!(c.new, 2);
        let s = summary(&fixture::report());
        assert_eq!(s.class, "verdict bad");
        assert!(
            s.text.starts_with("5 findings in 8 resources"),
            "{}",
            s.text
        );
    }
}
