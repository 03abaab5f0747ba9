//! JUnit XML (`--format junit`), for the test-report views of Jenkins, Azure DevOps,
//! CircleCI and GitLab: one `<testsuite>` per rule, one `<testcase>` per rule × resource
//! (every resource of a type the rule reads, plus whatever else a finding of the rule names,
//! such as a provider), and a `<failure>` on a case whose findings reach `--fail-on`.
//! Findings below the threshold pass and are listed in the suite's `<system-out>`; a case
//! whose only findings are suppressed (or in the baseline) is `<skipped>`. Input errors are
//! `<error>`s of a first suite, `planlens input`, one case per file.
//!
//! The document follows the Ant JUnit schema the CI tools read (windyroad's `JUnit.xsd`):
//! `<testsuites>` holds `<testsuite>`s with `package` and `id`; each suite has
//! `<properties>`, its cases, `<system-out>` and `<system-err>`, in that order; a case
//! has at most one of `<skipped>`, `<error>`, `<failure>`; `timestamp` has no time zone.

use std::collections::HashMap;
use std::fmt::Write;

use super::Report;
use crate::engine::rules::{registry, Finding, Severity};

/// The engine has no host name; the schema says `localhost` when it cannot be known.
const HOSTNAME: &str = "localhost";

enum Outcome {
    Pass,
    Skipped(String),
    Failure {
        message: String,
        kind: String,
        text: String,
    },
    Error {
        message: String,
        text: String,
    },
}

struct Case {
    name: String,
    classname: String,
    outcome: Outcome,
}

struct Suite {
    name: String,
    properties: Vec<(String, String)>,
    cases: Vec<Case>,
    out: String,
}

/// `now` is the review's "now" (`YYYY-MM-DD` or RFC 3339), the suites' timestamp.
pub fn render_junit(report: &Report, fail_on: Severity, now: Option<&str>) -> String {
    let stamp = timestamp(now, report.input.timestamp.as_deref());
    let mut suites = vec![input_suite(report)];
    let mut rules_seen = Vec::new();
    for rule in registry() {
        rules_seen.push(rule.id);
        let cases = rule_cases(report, rule.id, rule.resource_types);
        if cases.is_empty() {
            continue;
        }
        let mut suite = Suite {
            name: format!("{} {}", rule.id, rule.name),
            properties: vec![
                ("rule".into(), rule.id.into()),
                ("severity".into(), rule.severity.as_str().into()),
                ("control".into(), rule.control.id().into()),
                ("fail-on".into(), fail_on.as_str().into()),
            ],
            cases: Vec::new(),
            out: String::new(),
        };
        for (target, findings) in cases {
            suite
                .cases
                .push(case(rule.id, &target, &findings, fail_on, &mut suite.out));
        }
        suites.push(suite);
    }
    // A report opened from another version may hold findings of rules this one lacks.
    let mut others: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .filter(|r| !rules_seen.contains(r))
        .collect();
    others.sort_unstable();
    others.dedup();
    for id in others {
        let mut suite = Suite {
            name: format!("{id} (not a rule of this planlens)"),
            properties: vec![("rule".into(), id.into())],
            cases: Vec::new(),
            out: String::new(),
        };
        for (target, findings) in rule_cases(report, id, &[]) {
            suite
                .cases
                .push(case(id, &target, &findings, fail_on, &mut suite.out));
        }
        suites.push(suite);
    }

    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (id, suite) in suites.iter().enumerate() {
        write_suite(&mut xml, id, suite, &stamp);
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn input_suite(report: &Report) -> Suite {
    let cases = report
        .input
        .files
        .iter()
        .map(|file| {
            let outcome = match file.errors.first() {
                None => Outcome::Pass,
                Some(first) => Outcome::Error {
                    message: first.to_string(),
                    text: file
                        .errors
                        .iter()
                        .map(|e| format!("{e}\n"))
                        .collect::<String>(),
                },
            };
            Case {
                name: file.path.clone(),
                classname: "planlens.input".into(),
                outcome,
            }
        })
        .collect();
    Suite {
        name: "planlens input".into(),
        properties: vec![
            ("planlens".into(), report.tool.version.clone()),
            ("resources".into(), report.resources.len().to_string()),
        ],
        cases,
        out: String::new(),
    }
}

/// The rule's cases: each resource of its types (in report order), then each other target
/// its findings name, with the findings on each.
fn rule_cases<'a>(
    report: &'a Report,
    rule: &str,
    types: &[&str],
) -> Vec<(String, Vec<&'a Finding>)> {
    let mut cases: Vec<(String, Vec<&Finding>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in report
        .resources
        .iter()
        .filter(|r| types.contains(&r.rtype.as_str()))
    {
        if !index.contains_key(&r.address) {
            index.insert(r.address.clone(), cases.len());
            cases.push((r.address.clone(), Vec::new()));
        }
    }
    for f in report.findings.iter().filter(|f| f.rule == rule) {
        // A finding about no resource names its provider or project in its message.
        let target = f
            .address
            .clone()
            .unwrap_or_else(|| format!("(project) {}", f.message));
        let i = *index.entry(target.clone()).or_insert_with(|| {
            cases.push((target, Vec::new()));
            cases.len() - 1
        });
        cases[i].1.push(f);
    }
    cases
}

fn case(
    rule: &str,
    target: &str,
    findings: &[&Finding],
    fail_on: Severity,
    out: &mut String,
) -> Case {
    let counting: Vec<&&Finding> = findings.iter().filter(|f| f.counts()).collect();
    let failing: Vec<&&Finding> = counting
        .iter()
        .copied()
        .filter(|f| f.severity >= fail_on)
        .collect();
    let outcome = if let Some(first) = failing.first() {
        Outcome::Failure {
            message: first.message.clone(),
            kind: format!("{} {}", first.rule, first.severity),
            text: counting.iter().map(|f| describe(f)).collect(),
        }
    } else if !counting.is_empty() {
        for f in &counting {
            let _ = writeln!(
                out,
                "below --fail-on {fail_on}: {}",
                describe(f).trim_end().replace('\n', " · ")
            );
        }
        Outcome::Pass
    } else if let Some(s) = findings.iter().find_map(|f| f.suppressed.as_ref()) {
        Outcome::Skipped(format!("suppressed by {}: {}", s.by, s.reason))
    } else {
        Outcome::Pass
    };
    Case {
        name: target.to_string(),
        classname: format!("planlens.{rule}"),
        outcome,
    }
}

fn describe(f: &Finding) -> String {
    let mut s = format!(
        "{} {} {}",
        f.severity,
        f.rule,
        f.address.as_deref().unwrap_or("(project)")
    );
    if let Some(a) = &f.attribute {
        let _ = write!(s, " · {a}");
    }
    let _ = write!(s, "\n{}\n", f.message);
    match (&f.file, f.line) {
        (Some(file), Some(line)) => {
            let _ = writeln!(s, "at {file}:{line}");
        }
        (Some(file), None) => {
            let _ = writeln!(s, "in {file}");
        }
        _ => {}
    }
    if !f.evidence.is_null() {
        let _ = writeln!(s, "evidence: {}", f.evidence);
    }
    s
}

fn write_suite(xml: &mut String, id: usize, suite: &Suite, stamp: &str) {
    let count = |p: fn(&Outcome) -> bool| suite.cases.iter().filter(|c| p(&c.outcome)).count();
    let failures = count(|o| matches!(o, Outcome::Failure { .. }));
    let errors = count(|o| matches!(o, Outcome::Error { .. }));
    let skipped = count(|o| matches!(o, Outcome::Skipped(_)));
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" package=\"planlens\" id=\"{id}\" timestamp=\"{stamp}\" hostname=\"{HOSTNAME}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"0\">",
        token(&suite.name),
        suite.cases.len()
    );
    xml.push_str("    <properties>\n");
    for (name, value) in &suite.properties {
        let _ = writeln!(
            xml,
            "      <property name=\"{}\" value=\"{}\"/>",
            token(name),
            attr(value)
        );
    }
    xml.push_str("    </properties>\n");
    for c in &suite.cases {
        let head = format!(
            "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
            token(&c.name),
            token(&c.classname)
        );
        match &c.outcome {
            Outcome::Pass => {
                let _ = writeln!(xml, "{head}/>");
            }
            Outcome::Skipped(message) => {
                let _ = writeln!(
                    xml,
                    "{head}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                    attr(message)
                );
            }
            Outcome::Failure {
                message,
                kind,
                text: body,
            } => {
                let _ = writeln!(
                    xml,
                    "{head}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                    attr(message),
                    attr(kind),
                    text(body)
                );
            }
            Outcome::Error {
                message,
                text: body,
            } => {
                let _ = writeln!(
                    xml,
                    "{head}>\n      <error message=\"{}\" type=\"input-error\">{}</error>\n    </testcase>",
                    attr(message),
                    text(body)
                );
            }
        }
    }
    let _ = writeln!(
        xml,
        "    <system-out>{}</system-out>\n    <system-err></system-err>\n  </testsuite>",
        text(&suite.out)
    );
}

/// `YYYY-MM-DDTHH:MM:SS`, no zone, as the schema wants: from the review's "now", else the
/// plan's timestamp, else the epoch (the engine has no clock).
fn timestamp(now: Option<&str>, plan: Option<&str>) -> String {
    for candidate in [now, plan].into_iter().flatten() {
        let b = candidate.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            b.get(range)
                .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
        };
        let date = digits(0..4)
            && b.get(4) == Some(&b'-')
            && digits(5..7)
            && b.get(7) == Some(&b'-')
            && digits(8..10);
        if !date {
            continue;
        }
        let time = matches!(b.get(10), Some(b'T' | b't' | b' '))
            && digits(11..13)
            && b.get(13) == Some(&b':')
            && digits(14..16)
            && b.get(16) == Some(&b':')
            && digits(17..19);
        return if time {
            format!("{}T{}", &candidate[..10], &candidate[11..19])
        } else {
            format!("{}T00:00:00", &candidate[..10])
        };
    }
    "1970-01-01T00:00:00".into()
}

/// Character data: markup escaped, and characters XML 1.0 forbids shown as `\u{…}`.
fn text(s: &str) -> String {
    escape(s, false)
}

/// An attribute value: as [`text`], plus quotes and the whitespace a parser would fold.
fn attr(s: &str) -> String {
    escape(s, true)
}

/// An `xs:token` attribute (names): whitespace collapsed, never empty.
fn token(s: &str) -> String {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        "(unnamed)".into()
    } else {
        attr(&collapsed)
    }
}

fn escape(s: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            '\n' if in_attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if in_attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_no_zone() {
        assert_eq!(timestamp(Some("2026-12-04"), None), "2026-12-04T00:00:00");
        assert_eq!(
            timestamp(None, Some("2026-11-29T10:11:12Z")),
            "2026-11-29T10:11:12"
        );
        assert_eq!(
            timestamp(Some("garbage"), Some("2026-11-29T10:11:12+02:00")),
            "2026-11-29T10:11:12"
        );
        assert_eq!(timestamp(Some("2026-1"), None), "1970-01-01T00:00:00");
    }

    #[test]
    fn escaping_keeps_xml_well_formed() {
        assert_eq!(attr("a\"<b>&\n"), "a&quot;&lt;b&gt;&amp;&#10;");
        assert_eq!(text("x\u{1b}y\u{0}"), "x\\u{1b}y\\u{0}");
        assert_eq!(token("  a \n b  "), "a b");
        assert_eq!(token(" "), "(unnamed)");
    }
}
