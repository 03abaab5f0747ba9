//! The terminal report: findings grouped by severity, each with its source line and fix.

use std::borrow::Cow;
use std::fmt::Write;

use super::Report;
use crate::engine::model::Model;
use crate::engine::rules::{docs::RuleDoc, rule, Severity};

pub fn render_text(report: &Report, model: &Model) -> String {
    let mut out = String::new();
    for e in report.errors() {
        let _ = writeln!(out, "error: {}", shown(&e.to_string()));
        if let Some(x) = &e.excerpt {
            let _ = writeln!(out, "    | {}", shown(x));
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
                shown(&f.rule),
                shown(f.address.as_deref().unwrap_or("(project)")),
                f.attribute
                    .as_deref()
                    .map(|a| format!("· {}", shown(a)))
                    .unwrap_or_default()
            );
            let _ = writeln!(out, "    {}", shown(&f.message));
            if let (Some(file), Some(line)) = (&f.file, f.line) {
                let _ = writeln!(out, "    at {}:{line}", shown(file));
                let src = model
                    .files
                    .iter()
                    .find(|x| &x.path == file)
                    .and_then(|x| x.line_text(line));
                if let Some(src) = src {
                    let _ = writeln!(out, "    | {}", shown(&excerpt(src.trim())));
                }
            } else if let Some(file) = &f.file {
                let _ = writeln!(
                    out,
                    "    in {} {}",
                    shown(file),
                    shown(f.pointer.as_deref().unwrap_or(""))
                );
            }
            // The finding's own fix as a diff of its file; else the rule's snippet, once per
            // rule (later findings of the same rule point back to it).
            let preview = f.fix.as_ref().and_then(|x| {
                let diff = crate::engine::fix::preview(x, |p| {
                    model
                        .files
                        .iter()
                        .find(|m| m.path == p)
                        .map(|m| m.text.as_str())
                })?;
                Some((x, diff))
            });
            if let Some((x, diff)) = preview {
                let _ = writeln!(
                    out,
                    "    fix ({}): {}",
                    x.safety.as_str(),
                    shown(&x.description)
                );
                if let Some(c) = &x.consequence {
                    let _ = writeln!(out, "      unsafe: {}", shown(c));
                }
                for l in diff.lines().filter(|l| {
                    !l.starts_with("diff --git") && !l.starts_with("---") && !l.starts_with("+++")
                }) {
                    let _ = writeln!(out, "      {}", shown(&excerpt(l)));
                }
            } else if !fixes_shown.insert(f.rule.clone()) {
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
    for line in report.input.unread() {
        let _ = writeln!(out, "not reviewed: {}", shown(&line));
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(out, "baseline: {}", super::baseline::sentence(b));
        for e in &b.stale {
            let _ = writeln!(
                out,
                "  no longer occurs: {}",
                shown(&super::baseline::describe(e))
            );
        }
    }
    out
}

/// A source line as the report shows it: `terraform show -json` writes the whole plan on
/// one line, which a CI log should not repeat for every finding.
fn excerpt(line: &str) -> Cow<'_, str> {
    const MAX: usize = 200;
    match line.char_indices().nth(MAX) {
        None => Cow::Borrowed(line),
        Some((cut, _)) => Cow::Owned(format!(
            "{} … ({} more characters)",
            &line[..cut],
            line[cut..].chars().count()
        )),
    }
}

/// Input text as it may reach a terminal: control characters (ESC sequences that clear the
/// screen or recolour a CI log, carriage returns and newlines that forge output lines, C1
/// controls) and the Unicode bidirectional controls that reorder what is shown
/// ("Trojan Source", CVE-2021-42574) are written as `\u{1b}`-style escapes. Tabs stay.
/// The page shows names and messages through it too: an unterminated right-to-left
/// override in a bucket name would otherwise reverse the rest of the message around it.
pub fn shown(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t') || is_bidi_control(c)
}

/// The Unicode bidirectional marks, embeddings, overrides and isolates.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_source_lines_are_cut() {
        assert_eq!(excerpt("short"), "short");
        let line = "é".repeat(250);
        let cut = excerpt(&line);
        assert!(cut.starts_with(&"é".repeat(200)));
        assert!(cut.ends_with(" … (50 more characters)"), "{cut}");
    }

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(shown("plain · tag=pii\tx"), "plain · tag=pii\tx");
        assert!(matches!(shown("plain"), Cow::Borrowed(_)));
        assert_eq!(
            shown("a\u{1b}[2Jb\r\nc\u{9b}d"),
            "a\\u{1b}[2Jb\\u{d}\\u{a}c\\u{9b}d"
        );
        assert_eq!(shown("x\u{202e}y\u{2066}z"), "x\\u{202e}y\\u{2066}z");
        assert_eq!(shown("\u{7f}"), "\\u{7f}");
    }
}
