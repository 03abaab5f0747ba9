//! Markdown for a pull-request comment (`--format markdown`, the page's Markdown export):
//! the verdict, the five metrics, counts by severity, then each finding folded in a
//! `<details>`.
//!
//! Everything that comes from the input (addresses, attributes, paths, messages quoting
//! tag values, evidence) is escaped so a resource named `[x](http://evil)` or
//! `<img src=x>` renders as text: plain text is backslash-escaped, text inside HTML is
//! entity-escaped, code is fenced with a fence longer than any backtick run in it, and
//! `@` is kept from becoming a mention. The comment stays under GitHub's 65,536-character
//! limit; what does not fit is counted in a closing line.

use std::fmt::Write;

use super::text::is_bidi_control;
use super::Report;
use crate::engine::metrics::METRICS;
use crate::engine::rules::{docs::RuleDoc, rule, Finding, Severity};

/// GitHub rejects comment bodies longer than 65,536 characters; the budget is counted in
/// bytes (never fewer than characters) and leaves room for the closing line.
pub const MAX_COMMENT: usize = 65_536;
const BUDGET: usize = MAX_COMMENT - 1_024;
/// Evidence or a message longer than this (a whole key policy) is cut in the comment.
const MAX_TEXT: usize = 2_000;
/// Input errors listed before the rest are counted.
const MAX_ERRORS: usize = 20;

/// Renders the report; `fail_on` is the threshold the verdict is judged against (the
/// CLI's `--fail-on`; the page uses high).
pub fn render_markdown(report: &Report, fail_on: Severity) -> String {
    let mut out = String::new();
    let counts = report.counts();
    let failing: usize = counts
        .iter()
        .filter(|(s, _)| **s >= fail_on)
        .map(|(_, n)| n)
        .sum();
    let total: usize = counts.values().sum();
    let errors = report.errors().count();
    let _ = writeln!(out, "## planlens review\n");
    let verdict = if report.has_input_errors() {
        format!(
            "**⚠️ Incomplete**: {} input error{} (listed below); the review covers only what could be read.",
            errors,
            plural(errors)
        )
    } else if failing > 0 {
        format!(
            "**❌ Fail**: {failing} finding{} at or above {fail_on}.",
            plural(failing)
        )
    } else if !report.input.is_complete() {
        "**⚠️ Incomplete**: no finding in what was read, but part of the configuration was not read (below).".to_string()
    } else if total > 0 {
        format!("**✅ Pass**: no finding at or above {fail_on} ({total} below it).")
    } else {
        "**✅ Pass**: no findings.".to_string()
    };
    let _ = writeln!(out, "{verdict}\n");
    let unread = report.input.unread();
    if !unread.is_empty() {
        let _ = writeln!(out, "> **Not reviewed**");
        for line in &unread {
            let _ = writeln!(out, "> - {}", escape(line));
        }
        let _ = writeln!(out);
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(out, "**Baseline**: {}.\n", super::baseline::sentence(b));
        for e in b.stale.iter().take(MAX_ERRORS) {
            let _ = writeln!(
                out,
                "- no longer occurs: {}",
                code(&super::baseline::describe(e))
            );
        }
        if b.stale.len() > MAX_ERRORS {
            let _ = writeln!(out, "- and {} more", b.stale.len() - MAX_ERRORS);
        }
        if !b.stale.is_empty() {
            out.push('\n');
        }
    }
    let resources = report.resources.len();
    let _ = writeln!(
        out,
        "{resources} resource{} · {} file{} · planlens {}\n",
        plural(resources),
        report.input.files.len(),
        plural(report.input.files.len()),
        escape(&report.tool.version)
    );

    for e in report.errors().take(MAX_ERRORS) {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!(":{l}:{c}"),
            (Some(l), None) => format!(":{l}"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "- input error in {}: {}",
            code(&format!("{}{at}", e.file)),
            escape(&clip_text(&e.message, MAX_TEXT))
        );
    }
    if errors > MAX_ERRORS {
        let _ = writeln!(out, "- and {} more input errors", errors - MAX_ERRORS);
    }
    if errors > 0 {
        out.push('\n');
    }

    out.push_str("| metric | compliant | total | share |\n|---|---:|---:|---:|\n");
    for (key, title) in METRICS {
        match report.metrics.get(key) {
            Some(m) if m.denominator > 0 => {
                let _ = writeln!(
                    out,
                    "| {title} | {} | {} | {:.0}% |",
                    m.numerator,
                    m.denominator,
                    m.percent()
                );
            }
            Some(_) => {
                let _ = writeln!(out, "| {title} | 0 | 0 | — (nothing to count) |");
            }
            None => {
                let _ = writeln!(out, "| {title} | | | not measured |");
            }
        }
    }
    out.push('\n');

    out.push_str(
        "| critical | high | medium | low | info | suppressed |\n|---:|---:|---:|---:|---:|---:|\n",
    );
    let suppressed = report.findings.iter().filter(|f| !f.counts()).count();
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n",
        counts[&Severity::Critical],
        counts[&Severity::High],
        counts[&Severity::Medium],
        counts[&Severity::Low],
        counts[&Severity::Info],
        suppressed
    );

    let mut omitted = 0usize;
    let mut full = false;
    for severity in Severity::ALL {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity && f.counts())
            .collect();
        if group.is_empty() {
            continue;
        }
        let heading = format!(
            "### {} ({})\n\n",
            capitalised(severity.as_str()),
            group.len()
        );
        omitted += push_group(&mut out, &heading, &group, &mut full);
    }
    let hidden: Vec<&Finding> = report.findings.iter().filter(|f| !f.counts()).collect();
    if !hidden.is_empty() {
        let heading = format!("### Suppressed ({})\n\n", hidden.len());
        omitted += push_group(&mut out, &heading, &hidden, &mut full);
    }
    if omitted > 0 {
        let _ = writeln!(
            out,
            "**{omitted} more finding{} not shown**: a PR comment holds at most {MAX_COMMENT} characters. \
             The full list is in `planlens check --format json` (or `sarif`, `csv`).",
            plural(omitted)
        );
    }
    out
}

/// Appends a group's heading and as many findings as fit; returns how many did not. Once
/// one finding does not fit, none after it is shown either (`full`), so a comment never
/// shows a lower severity in place of a higher one.
fn push_group(out: &mut String, heading: &str, group: &[&Finding], full: &mut bool) -> usize {
    let mut shown = 0;
    for f in group {
        if *full {
            break;
        }
        let block = finding(f);
        let needed = block.len() + if shown == 0 { heading.len() } else { 0 };
        if out.len() + needed > BUDGET {
            *full = true;
            break;
        }
        if shown == 0 {
            out.push_str(heading);
        }
        out.push_str(&block);
        shown += 1;
    }
    group.len() - shown
}

fn finding(f: &Finding) -> String {
    let mut s = String::new();
    let place = f.address.as_deref().unwrap_or("(project)");
    let _ = write!(
        s,
        "<details>\n<summary><code>{}</code> {} on <code>{}</code>",
        html(&f.rule),
        html(&f.name),
        html(place)
    );
    if let Some(attr) = &f.attribute {
        let _ = write!(s, " · <code>{}</code>", html(attr));
    }
    if let Some(reason) = f.suppressed.as_ref().map(|x| &x.reason) {
        let _ = write!(s, " · suppressed: {}", html(reason));
    }
    s.push_str("</summary>\n\n");
    let _ = writeln!(s, "{}\n", escape(&clip_text(&f.message, MAX_TEXT)));
    let mut facts = Vec::new();
    facts.push(format!("rule {} {}", code(&f.rule), escape(&f.name)));
    facts.push(format!("severity {}", f.severity));
    if let Some(c) = f.category {
        facts.push(format!("category {c}"));
    }
    match (&f.file, f.line) {
        (Some(file), Some(line)) => facts.push(format!("at {}", code(&format!("{file}:{line}")))),
        (Some(file), None) => facts.push(format!("in {}", code(file))),
        _ => {}
    }
    if let Some(p) = &f.pointer {
        facts.push(format!("pointer {}", code(p)));
    }
    if let Some(d) = &f.decided_by {
        facts.push(format!("decided by {}", code(d)));
    }
    match f.introduced {
        Some(true) => facts.push("introduced by this plan".into()),
        Some(false) => facts.push("already there before this plan".into()),
        None => {}
    }
    if let Some(s) = &f.suppressed {
        facts.push(format!(
            "suppressed by {}: {}",
            escape(&s.by),
            escape(&s.reason)
        ));
    }
    for fact in facts {
        let _ = writeln!(s, "- {fact}");
    }
    if !f.related.is_empty() {
        let list: Vec<String> = f.related.iter().map(|r| code(r)).collect();
        let _ = writeln!(s, "- concerns {}", list.join(", "));
    }
    if !f.evidence.is_null() {
        let text = serde_json::to_string_pretty(&f.evidence).unwrap_or_default();
        let _ = writeln!(
            s,
            "\nEvidence:\n\n{}",
            fenced("json", &clip_text(&text, MAX_TEXT))
        );
    }
    if let Some(r) = rule(&f.rule) {
        let fix = RuleDoc::parse(r).fix;
        if !fix.is_empty() {
            let _ = writeln!(s, "\nFix:\n\n{}", fenced("hcl", &fix));
        }
    }
    s.push_str("\n</details>\n\n");
    s
}

/// Backslash-escapes Markdown's punctuation and folds newlines, so text from the input
/// stays one paragraph of text. `@` is followed by a word joiner: GitHub turns `@name`
/// into a mention even after a backslash.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '<' | '>' | '~' | '&' | '"' | '\'' | '=' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{2060}"),
            '\n' | '\r' | '\t' => out.push(' '),
            // Shown as `\u{202e}`: a bidi override would reorder the comment around it.
            c if is_bidi_control(c) => {
                let _ = write!(out, "\\\\u\\{{{:x}\\}}", c as u32);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes text placed inside HTML (`<summary>`), where Markdown is not parsed.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Markdown punctuation would still be read in the Markdown that follows a
            // blank line inside <details>; entities keep it literal everywhere.
            '`' => out.push_str("&#96;"),
            '|' => out.push_str("&#124;"),
            '@' => out.push_str("@\u{2060}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_bidi_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An inline code span that holds any text: the fence is one backtick longer than the
/// longest run inside, padded with spaces (CommonMark strips one on each side).
pub fn code(s: &str) -> String {
    let mut text = String::with_capacity(s.len());
    for c in s.chars() {
        if is_bidi_control(c) {
            let _ = write!(text, "\\u{{{:x}}}", c as u32);
        } else if c.is_control() {
            text.push(' ');
        } else {
            text.push(c);
        }
    }
    let s = text;
    let fence = "`".repeat(longest_run(&s, '`') + 1);
    format!("{fence} {s} {fence}")
}

/// A fenced code block whose fence no line inside can close.
fn fenced(lang: &str, body: &str) -> String {
    let fence = "`".repeat((longest_run(body, '`') + 1).max(3));
    let body = body.trim_end_matches('\n');
    format!("{fence}{lang}\n{body}\n{fence}")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn clip_text(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n… ({} more bytes cut)", &s[..end], s.len() - end)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
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
    fn bidi_overrides_are_made_visible_everywhere() {
        let name = "invoice\u{202e}gpj.exe";
        assert_eq!(escape(name), "invoice\\\\u\\{202e\\}gpj\\.exe");
        assert_eq!(html(name), "invoice\\u{202e}gpj.exe");
        assert_eq!(code(name), "` invoice\\u{202e}gpj.exe `");
    }

    #[test]
    fn escape_neutralises_markdown_and_html() {
        let e = escape("[x](http://evil) <img src=x> **b** `c` # h | t @alice\nnext");
        assert!(!e.contains("[x]("), "{e}");
        assert!(e.contains("\\[x\\]\\(http\\:"), "{e}");
        assert!(e.contains("\\<img"), "{e}");
        assert!(e.contains("\\*\\*b\\*\\*"), "{e}");
        assert!(e.contains("@\u{2060}alice"), "{e}");
        assert!(!e.contains('\n'));
    }

    #[test]
    fn html_escapes_tags_and_quotes() {
        assert_eq!(
            html("<script>\"x\"&'y'</script>"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn code_spans_and_fences_outrun_backticks() {
        assert_eq!(code("a``b"), "``` a``b ```");
        assert_eq!(code("plain"), "` plain `");
        let f = fenced("json", "x\n````\ny");
        assert!(f.starts_with("`````json\n"), "{f}");
        assert!(f.ends_with("\n`````"), "{f}");
    }

    #[test]
    fn long_evidence_is_cut_on_a_char_boundary() {
        let s = "é".repeat(MAX_TEXT);
        let c = clip_text(&s, MAX_TEXT);
        assert!(c.len() < s.len());
        assert!(c.contains("more bytes cut"));
    }
}
