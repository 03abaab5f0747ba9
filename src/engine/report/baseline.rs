//! Baselines, for adopting planlens on a codebase that already has findings:
//! `planlens check --write-baseline FILE` records today's findings, and `--baseline FILE`
//! then reports only the findings that are not in it (the CLI drops the others; the page
//! marks them), says how many were in the baseline, and lists the entries that no longer
//! occur, so the file can be pruned as findings get fixed.
//!
//! A finding is identified by the same fingerprint as SARIF's `partialFingerprints`
//! (rule, address and attribute; the message for findings about no resource): it does not
//! change when lines move. Entries are a multiset: two identical fingerprints in the file
//! cover two identical findings.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::sarif::fingerprint;
use super::Report;
use crate::engine::rules::{Finding, Suppressed};

/// The format version this planlens writes and reads (`"planlens_baseline": 1`).
pub const BASELINE_VERSION: u64 = 1;
/// `Suppressed::by` of a finding the baseline holds.
pub const BY_BASELINE: &str = "baseline";
const REASON: &str = "in the baseline: it was there before, so it is not counted as new";

/// A baseline file: `{"planlens_baseline": 1, "findings": [{rule, address, attribute,
/// fingerprint}]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub planlens_baseline: u64,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub rule: String,
    /// `None` for findings about a provider or the project.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// What is matched: SHA-256 of the finding's identity, 64 hex digits.
    pub fingerprint: String,
}

/// What comparing a review with a baseline found; the JSON report's `baseline` key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineSummary {
    /// Entries in the baseline file.
    pub entries: usize,
    /// Findings the baseline holds: the CLI leaves them out, the page marks them.
    pub baselined: usize,
    /// Unsuppressed findings not in the baseline: the ones the exit code follows.
    pub new: usize,
    /// Entries no unsuppressed finding matches any more: fixed, removed or suppressed
    /// since the baseline was written.
    pub stale: Vec<BaselineEntry>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BaselineError {
    #[error("not JSON (line {line}, column {column}): {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a planlens baseline: no \"planlens_baseline\" version (write one with `planlens check --write-baseline FILE`)")]
    NotABaseline,
    #[error("baseline format version {0} is not one this planlens reads (it reads version {BASELINE_VERSION})")]
    Version(u64),
    #[error("entry {index}: {message}")]
    Entry { index: usize, message: String },
}

impl Baseline {
    /// The baseline of a review: every unsuppressed finding, sorted so that the file
    /// changes only when the findings do.
    pub fn of(report: &Report) -> Baseline {
        let mut findings: Vec<BaselineEntry> = report
            .findings
            .iter()
            .filter(|f| f.counts())
            .map(entry)
            .collect();
        crate::engine::sort::ord(&mut findings);
        Baseline {
            planlens_baseline: BASELINE_VERSION,
            findings,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads a baseline file; every way it can be wrong gets its own message.
    pub fn from_json(text: &str) -> Result<Baseline, BaselineError> {
        let value: Value = serde_json::from_str(text).map_err(|e| BaselineError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        let version = value
            .get("planlens_baseline")
            .ok_or(BaselineError::NotABaseline)?;
        match version.as_u64() {
            Some(BASELINE_VERSION) => {}
            Some(v) => return Err(BaselineError::Version(v)),
            None => return Err(BaselineError::NotABaseline),
        }
        let list = match value.get("findings") {
            Some(Value::Array(list)) => list,
            _ => {
                return Err(BaselineError::Entry {
                    index: 0,
                    message: "\"findings\" must be a list".into(),
                })
            }
        };
        let mut findings = Vec::with_capacity(list.len());
        for (index, item) in list.iter().enumerate() {
            let e: BaselineEntry =
                serde_json::from_value(item.clone()).map_err(|e| BaselineError::Entry {
                    index,
                    message: e.to_string(),
                })?;
            let hex = e.fingerprint.len() == 64
                && e.fingerprint
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if !hex {
                return Err(BaselineError::Entry {
                    index,
                    message: format!(
                        "fingerprint {:?} is not 64 lowercase hex digits",
                        e.fingerprint
                    ),
                });
            }
            findings.push(e);
        }
        Ok(Baseline {
            planlens_baseline: BASELINE_VERSION,
            findings,
        })
    }
}

fn entry(f: &Finding) -> BaselineEntry {
    BaselineEntry {
        rule: f.rule.clone(),
        address: f.address.clone(),
        attribute: f.attribute.clone(),
        fingerprint: fingerprint(f),
    }
}

/// Marks the unsuppressed findings the baseline holds as suppressed `by: "baseline"` (so
/// counts, the verdict and the exit code follow the new findings only) and records the
/// comparison in `report.baseline`.
pub fn mark(report: &mut Report, baseline: &Baseline) {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &baseline.findings {
        *left.entry(e.fingerprint.as_str()).or_default() += 1;
    }
    let (mut baselined, mut new) = (0, 0);
    for f in report.findings.iter_mut().filter(|f| f.counts()) {
        match left.get_mut(fingerprint(f).as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                baselined += 1;
                f.suppressed = Some(Suppressed {
                    reason: REASON.into(),
                    by: BY_BASELINE.into(),
                });
            }
            _ => new += 1,
        }
    }
    // What is left over are the stale entries (the later copies of a repeated one).
    let mut stale = Vec::new();
    for e in &baseline.findings {
        if let Some(n) = left.get_mut(e.fingerprint.as_str()) {
            if *n > 0 {
                *n -= 1;
                stale.push(e.clone());
            }
        }
    }
    report.baseline = Some(BaselineSummary {
        entries: baseline.findings.len(),
        baselined,
        new,
        stale,
    });
}

/// Leaves out the findings [`mark`] marked: what the CLI reports with `--baseline`.
pub fn hide(report: &mut Report) {
    report.findings.retain(|f| !is_baselined(f));
}

pub fn is_baselined(f: &Finding) -> bool {
    f.suppressed.as_ref().is_some_and(|s| s.by == BY_BASELINE)
}

/// One sentence for the text and Markdown reports, and the stale entries as lines.
pub fn sentence(s: &BaselineSummary) -> String {
    let mut out = format!(
        "{} finding{} already in the baseline ({} entr{}) {} not counted; {} new",
        s.baselined,
        plural(s.baselined),
        s.entries,
        if s.entries == 1 { "y" } else { "ies" },
        if s.baselined == 1 { "is" } else { "are" },
        s.new
    );
    let _ = write!(
        out,
        "; {} baseline entr{} no longer occur{}",
        s.stale.len(),
        if s.stale.len() == 1 { "y" } else { "ies" },
        if s.stale.len() == 1 { "s" } else { "" }
    );
    if !s.stale.is_empty() {
        out.push_str(" (fixed, removed or suppressed: prune them with --write-baseline)");
    }
    out
}

/// How an entry is named in the reports: `ENC001 aws_s3_bucket.x · attribute`.
pub fn describe(e: &BaselineEntry) -> String {
    let mut s = format!("{} {}", e.rule, e.address.as_deref().unwrap_or("(project)"));
    if let Some(a) = &e.attribute {
        let _ = write!(s, " · {a}");
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_a_baseline_by_name() {
        assert!(matches!(
            Baseline::from_json("{"),
            Err(BaselineError::Json { line: 1, .. })
        ));
        assert_eq!(
            Baseline::from_json("{\"findings\": []}"),
            Err(BaselineError::NotABaseline)
        );
        assert_eq!(
            Baseline::from_json("{\"planlens_baseline\": 2, \"findings\": []}"),
            Err(BaselineError::Version(2))
        );
        let bad =
            r#"{"planlens_baseline": 1, "findings": [{"rule": "ENC001", "fingerprint": "x"}]}"#;
        assert!(matches!(
            Baseline::from_json(bad),
            Err(BaselineError::Entry { index: 0, .. })
        ));
        let ok = format!(
            r#"{{"planlens_baseline": 1, "findings": [{{"rule": "ENC001", "address": "a.b", "fingerprint": "{}"}}]}}"#,
            "0".repeat(64)
        );
        assert_eq!(Baseline::from_json(&ok).map(|b| b.findings.len()), Ok(1));
    }

    #[test]
    fn the_sentence_counts_and_agrees_in_number() {
        let s = BaselineSummary {
            entries: 1,
            baselined: 1,
            new: 0,
            stale: vec![],
        };
        assert_eq!(
            sentence(&s),
            "1 finding already in the baseline (1 entry) is not counted; 0 new; 0 baseline entries no longer occur"
        );
    }
}
