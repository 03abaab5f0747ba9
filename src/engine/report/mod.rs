//! The report every output is rendered from: the CLI's formats, the page's views and
//! exports, and the permalink.

pub mod baseline;
mod csv;
// The CI formats are the CLI's: the page does not offer them, and the worker's wasm stays
// within its size budget without them.
#[cfg(not(target_arch = "wasm32"))]
mod gitlab;
#[cfg(not(target_arch = "wasm32"))]
mod junit;
mod markdown;
pub mod permalink;
mod sarif;
mod text;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::access::{AccessEntry, AccessGap, AccessModel, Decryptor};
use super::category::Category;
use super::metrics::Metric;
use super::model::{
    Action, FileKind, IncompletePlan, InputError, Mode, Model, Origin, UnreadModule,
};
use super::rules::{Finding, Severity};
use super::stores::{Analysis, DataStore, Key, MissingKey, ProviderNode};

pub use baseline::{Baseline, BaselineSummary};
pub use csv::render_csv;
#[cfg(not(target_arch = "wasm32"))]
pub use gitlab::render_gitlab;
#[cfg(not(target_arch = "wasm32"))]
pub use junit::render_junit;
pub use markdown::{render_markdown, MAX_COMMENT};
pub use sarif::{render_sarif, SarifOptions, REPOSITORY_URL};
pub use text::{render_text, shown};

pub const TOOL_NAME: &str = "planlens";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub path: String,
    pub kind: Option<FileKind>,
    pub sha256: String,
    pub resources: usize,
    pub errors: Vec<InputError>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputSummary {
    pub files: Vec<FileSummary>,
    /// The plan's timestamp, when the input is a plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Module calls whose resources were not read (an empty list when all were).
    #[serde(default)]
    pub unread_modules: Vec<UnreadModule>,
    /// Plans Terraform saved although planning failed: resources are missing from them.
    #[serde(default)]
    pub incomplete_plans: Vec<IncompletePlan>,
    /// Resources of types that hold data under a KMS key or an encryption switch but that
    /// planlens does not judge as data stores (docs/stores.md says why), by type: the
    /// boundary of the review.
    #[serde(default)]
    pub unjudged_types: Vec<TypeCount>,
}

impl InputSummary {
    /// What the review did not see, one sentence each, for every output to show beside its
    /// verdict: a result with any of these is never a clean pass.
    pub fn unread(&self) -> Vec<String> {
        self.unread_summary()
            .into_iter()
            .chain(self.unread_items())
            .collect()
    }

    /// "1 module was not read: its resources are not reviewed".
    pub fn unread_summary(&self) -> Option<String> {
        let n = self.unread_modules.len();
        (n > 0).then(|| {
            format!(
                "{n} module{} {} not read: {} resources are not reviewed",
                if n == 1 { "" } else { "s" },
                if n == 1 { "was" } else { "were" },
                if n == 1 { "its" } else { "their" }
            )
        })
    }

    /// One sentence per module not read and per errored plan, with how to include it.
    pub fn unread_items(&self) -> Vec<String> {
        let mut out = Vec::new();
        for m in &self.unread_modules {
            let version = m
                .version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            out.push(format!(
                "{} ({}{version}): {}. To include it: {}.",
                m.module, m.source, m.reason, m.how_to_include
            ));
        }
        for p in &self.incomplete_plans {
            out.push(format!(
                "{}: {}; the resources it failed on are missing from it and not reviewed. To include them: fix the errors and plan again.",
                p.file, p.reason
            ));
        }
        out
    }

    pub fn is_complete(&self) -> bool {
        self.unread_modules.is_empty() && self.incomplete_plans.is_empty()
    }
}

/// A resource type and how many managed resources of it the input has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeCount {
    #[serde(rename = "type")]
    pub rtype: String,
    pub count: usize,
}

/// Managed resources of census types the catalogue does not judge, by type.
fn unjudged_types(model: &Model) -> Vec<TypeCount> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in model.resources.iter().filter(|r| r.mode == Mode::Managed) {
        if let Some(e) = crate::engine::stores::catalogue_entry(&r.rtype) {
            if matches!(e.reader, crate::engine::stores::Reader::NotJudged(_)) {
                *counts.entry(e.rtype).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(t, count)| TypeCount {
            rtype: t.to_string(),
            count,
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceSummary {
    pub address: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub provider: String,
    pub action: Option<Action>,
    pub file: Option<String>,
    pub line: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub tool: ToolInfo,
    pub input: InputSummary,
    pub findings: Vec<Finding>,
    pub resources: Vec<ResourceSummary>,
    pub stores: Vec<DataStore>,
    pub keys: Vec<Key>,
    pub providers: Vec<ProviderNode>,
    pub missing_keys: Vec<MissingKey>,
    pub metrics: BTreeMap<String, Metric>,
    /// The comparison with a baseline (`--baseline`, or a baseline file on the page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineSummary>,
    /// One entry per (customer-managed key, principal): what it can do and through what.
    #[serde(default)]
    pub access: Vec<AccessEntry>,
    /// Per data category, who can decrypt it (the union over the keys protecting its stores).
    #[serde(default)]
    pub decryptors: BTreeMap<Category, Vec<Decryptor>>,
    /// What the access model could not read (a policy not known before apply, …).
    #[serde(default)]
    pub access_gaps: Vec<AccessGap>,
}

impl Report {
    pub fn build(
        model: &Model,
        analysis: Analysis,
        findings: Vec<Finding>,
        metrics: BTreeMap<String, Metric>,
    ) -> Report {
        let mut per_file = vec![0usize; model.files.len()];
        let resources = model
            .resources
            .iter()
            .map(|r| {
                let (file, line) = match &r.origin {
                    Origin::Span(s) => {
                        per_file[s.file] += 1;
                        match model.line(*s) {
                            Some((f, l)) => (Some(f.to_string()), Some(l)),
                            None => (None, None),
                        }
                    }
                    Origin::Pointer { file, .. } => {
                        per_file[*file] += 1;
                        let line = r.span_of("").and_then(|s| model.line(s)).map(|p| p.1);
                        (model.files.get(*file).map(|f| f.path.clone()), line)
                    }
                    Origin::Implied => (None, None),
                };
                ResourceSummary {
                    address: r.address.clone(),
                    rtype: r.rtype.clone(),
                    provider: r.provider.clone(),
                    action: r.action,
                    file,
                    line,
                }
            })
            .collect();
        let files = model
            .files
            .iter()
            .zip(per_file)
            .map(|(f, count)| FileSummary {
                path: f.path.clone(),
                kind: f.kind,
                sha256: f.sha256.clone(),
                resources: count,
                errors: model
                    .errors
                    .iter()
                    .filter(|e| e.file == f.path)
                    .cloned()
                    .collect(),
            })
            .collect();
        Report {
            tool: ToolInfo {
                name: TOOL_NAME.into(),
                version: VERSION.into(),
            },
            input: InputSummary {
                files,
                timestamp: model.timestamp.clone(),
                unread_modules: model.unread_modules.clone(),
                incomplete_plans: model.incomplete_plans.clone(),
                unjudged_types: unjudged_types(model),
            },
            findings,
            resources,
            stores: analysis.stores,
            keys: analysis.keys,
            providers: analysis.providers,
            missing_keys: analysis.missing_keys,
            metrics,
            baseline: None,
            access: Vec::new(),
            decryptors: BTreeMap::new(),
            access_gaps: Vec::new(),
        }
    }

    /// Adds the access model.
    pub fn set_access(&mut self, access: AccessModel) {
        self.access = access.entries;
        self.decryptors = access.decryptors;
        self.access_gaps = access.gaps;
    }

    /// Every input error, across files.
    pub fn errors(&self) -> impl Iterator<Item = &InputError> {
        self.input.files.iter().flat_map(|f| &f.errors)
    }

    /// True when a file could not be read: the review is incomplete, so the CLI exits 2
    /// (after still reporting what the other files show).
    pub fn has_input_errors(&self) -> bool {
        self.input.files.is_empty() || self.errors().next().is_some()
    }

    /// Unsuppressed findings per severity.
    pub fn counts(&self) -> BTreeMap<Severity, usize> {
        let mut out = crate::engine::sort::btree_map(Severity::ALL.iter().map(|s| (*s, 0)));
        for f in self.findings.iter().filter(|f| f.counts()) {
            *out.entry(f.severity).or_default() += 1;
        }
        out
    }

    /// The worst unsuppressed severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| f.counts())
            .map(|f| f.severity)
            .max()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// The machine-readable formats: the page's downloads and `planlens check --format …`
/// both come from [`export`], so an export and the CLI's output are the same document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Sarif,
    Markdown,
    Csv,
    /// GitLab Code Quality (CLI only).
    #[cfg(not(target_arch = "wasm32"))]
    Gitlab,
    /// JUnit XML (CLI only).
    #[cfg(not(target_arch = "wasm32"))]
    Junit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// The threshold the Markdown verdict and JUnit failures are judged against.
    pub fail_on: Severity,
    /// Repository-relative paths, for SARIF and GitLab.
    pub sarif: SarifOptions,
    /// The review's "now" (`YYYY-MM-DD` or RFC 3339): JUnit's timestamp.
    pub now: Option<String>,
}

impl Default for ExportOptions {
    fn default() -> ExportOptions {
        ExportOptions {
            fail_on: Severity::High,
            sarif: SarifOptions::default(),
            now: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub file_name: &'static str,
    pub mime: &'static str,
    pub text: String,
}

pub fn export(report: &Report, format: ExportFormat, options: &ExportOptions) -> Export {
    let (file_name, mime, text) = match format {
        ExportFormat::Json => (
            "planlens-report.json",
            "application/json",
            report.to_json() + "\n",
        ),
        ExportFormat::Sarif => (
            "planlens.sarif",
            "application/sarif+json",
            render_sarif(report, &options.sarif),
        ),
        ExportFormat::Markdown => (
            "planlens-report.md",
            "text/markdown",
            render_markdown(report, options.fail_on),
        ),
        ExportFormat::Csv => ("planlens-findings.csv", "text/csv", render_csv(report)),
        #[cfg(not(target_arch = "wasm32"))]
        ExportFormat::Gitlab => (
            "gl-code-quality-report.json",
            "application/json",
            render_gitlab(report, &options.sarif),
        ),
        #[cfg(not(target_arch = "wasm32"))]
        ExportFormat::Junit => (
            "planlens-junit.xml",
            "application/xml",
            render_junit(report, options.fail_on, options.now.as_deref()),
        ),
    };
    Export {
        file_name,
        mime,
        text,
    }
}
