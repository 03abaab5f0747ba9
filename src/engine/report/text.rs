//! The terminal report: findings grouped by severity, each with its source line and fix.

use std::fmt::Write;

use super::Report;
use crate::engine::model::Model;
use crate::engine::rules::{docs::RuleDoc, rule, Severity};

pub fn render_text(report: &Report, model: &Model) -> String {
    let mut out = String::new();
    for e in report.errors() {
        let _ = writeln!(out, "error: {e}");
        if let Some(x) = &e.excerpt {
            let _ = writeln!(out, "    | {x}");
        }
    }
    let counts = report.counts();
    let mut fixes_shown = std::collections::BTreeSet::new();
    for severity in Severity::ALL {
        let group: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity && f.counts())
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{} ({})",
            severity.as_str().to_uppercase(),
            group.len()
        );
        for f in group {
            let _ = writeln!(
                out,
                "  {} {} {}",
                f.rule,
                f.address.as_deref().unwrap_or("(project)"),
                f.attribute
                    .as_deref()
                    .map(|a| format!("· {a}"))
                    .unwrap_or_default()
            );
            let _ = writeln!(out, "    {}", f.message);
            if let (Some(file), Some(line)) = (&f.file, f.line) {
                let _ = writeln!(out, "    at {file}:{line}");
                let src = model
                    .files
                    .iter()
                    .find(|x| &x.path == file)
                    .and_then(|x| x.line_text(line));
                if let Some(src) = src {
                    let _ = writeln!(out, "    | {}", src.trim());
                }
            } else if let Some(file) = &f.file {
                let _ = writeln!(out, "    in {file} {}", f.pointer.as_deref().unwrap_or(""));
            }
            // The fix snippet once per rule; later findings of the same rule point back to it.
            if !fixes_shown.insert(f.rule.clone()) {
                let _ = writeln!(out, "    fix: as for {} above", f.rule);
            } else if let Some(r) = rule(&f.rule) {
                let fix = RuleDoc::parse(r).fix;
                if !fix.is_empty() {
                    let _ = writeln!(out, "    fix:");
                    for l in fix.lines() {
                        let _ = writeln!(out, "      {l}");
                    }
                }
            }
        }
    }
    let suppressed = report.findings.iter().filter(|f| !f.counts()).count();
    let _ = writeln!(
        out,
        "\n{} resources · {} findings (critical {}, high {}, medium {}, low {}, info {}){}",
        report.resources.len(),
        counts.values().sum::<usize>(),
        counts[&Severity::Critical],
        counts[&Severity::High],
        counts[&Severity::Medium],
        counts[&Severity::Low],
        counts[&Severity::Info],
        if suppressed > 0 {
            format!(" · {suppressed} suppressed")
        } else {
            String::new()
        }
    );
    out
}
