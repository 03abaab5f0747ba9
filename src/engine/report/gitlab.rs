//! GitLab Code Quality (`--format gitlab`): the JSON array GitLab reads from a job's
//! `artifacts:reports:codequality` and shows in merge requests (docs.gitlab.com, "Code
//! Quality", "Code Quality report format"). Each issue has a `description`, a
//! `check_name`, a `fingerprint` that must be unique in the report (GitLab keeps only the
//! first issue of a fingerprint), a `severity` of `info`, `minor`, `major`, `critical` or
//! `blocker`, and a `location` with a repository-relative `path` (no `./`) and
//! `lines.begin`.
//!
//! Suppressed findings are left out: GitLab has no way to show one as suppressed.

use std::collections::HashMap;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::sarif::{fingerprint, resource_line, SarifOptions};
use super::Report;
use crate::engine::rules::Severity;

pub fn render_gitlab(report: &Report, paths: &SarifOptions) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.counts())
        .map(|f| {
            let hash = fingerprint(f);
            let n = seen.entry(hash.clone()).or_insert(0);
            *n += 1;
            // The same finding twice (one per instance of a repeated block) still needs
            // two fingerprints; the first keeps the SARIF one, so the two formats agree.
            let fingerprint = if *n == 1 {
                hash
            } else {
                hex(&Sha256::digest(format!("{hash}:{n}").as_bytes()))
            };
            let file = f
                .file
                .as_deref()
                .or_else(|| report.input.files.first().map(|x| x.path.as_str()))
                .unwrap_or("");
            let line = f
                .line
                .or_else(|| f.file.as_deref().and_then(|x| resource_line(report, f, x)))
                .unwrap_or(1)
                .max(1);
            let place = f.address.as_deref().unwrap_or("(project)");
            json!({
                "type": "issue",
                "description": format!("{} {} on {place}: {}", f.rule, f.name, f.message),
                "check_name": f.rule,
                "fingerprint": fingerprint,
                "severity": severity(f.severity),
                "categories": ["Security"],
                "location": {
                    "path": repository_path(paths, file),
                    "lines": { "begin": line },
                },
            })
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_default() + "\n"
}

/// planlens's five levels onto GitLab's five, in order.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

/// GitLab wants the path relative to the repository, without `./`.
fn repository_path(paths: &SarifOptions, file: &str) -> String {
    let shown = paths.paths.get(file).map(String::as_str).unwrap_or(file);
    let mut rel = shown.trim_start_matches('\\');
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest;
    }
    rel.replace('\\', "/")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_keep_their_order() {
        let order = ["info", "minor", "major", "critical", "blocker"];
        let mapped: Vec<&str> = Severity::ALL.iter().rev().map(|s| severity(*s)).collect();
        assert_eq!(mapped, order);
    }

    #[test]
    fn paths_lose_their_dot_slash() {
        let p = SarifOptions::default();
        assert_eq!(repository_path(&p, "./infra/main.tf"), "infra/main.tf");
        assert_eq!(repository_path(&p, "infra\\main.tf"), "infra/main.tf");
    }
}
