//! What an opened finding shows: why it matters, the evidence, the source lines with the
//! offending one marked (or the plan's JSON pointer), the fix, and the peers' ids.

use crate::engine::model::InputFile;
use crate::engine::rules::{self, docs::RuleDoc, Finding};

use super::clip;

/// Lines around the offending one.
pub const CONTEXT_LINES: u32 = 3;
/// A longer line is cut (minified plan JSON is one line).
const MAX_LINE_CHARS: usize = 240;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLine {
    pub number: u32,
    pub text: String,
    pub marked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub file: String,
    pub lines: Vec<SourceLine>,
}

/// The lines around `line` of `file` (1-based), bounded by the file.
pub fn excerpt(files: &[InputFile], file: &str, line: u32, context: u32) -> Option<Excerpt> {
    let f = files.iter().find(|f| f.path == file)?;
    f.line_text(line)?;
    let first = line.saturating_sub(context).max(1);
    let last = line.saturating_add(context);
    let lines = (first..=last)
        .map_while(|n| {
            f.line_text(n).map(|t| SourceLine {
                number: n,
                text: clip(t, MAX_LINE_CHARS),
                marked: n == line,
            })
        })
        .collect();
    Some(Excerpt {
        file: file.to_string(),
        lines,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    pub what: String,
    pub why: String,
    pub seed_wrong: String,
    pub fix: String,
    pub references: Vec<(String, String)>,
    /// (scanner, id)
    pub peers: Vec<(&'static str, &'static str)>,
    pub control: Option<String>,
    /// The attribute path the finding is about.
    pub attribute: Option<String>,
    /// The value seen, as compact JSON; `None` when there is nothing to show.
    pub evidence: Option<String>,
    pub pointer: Option<String>,
    pub source: Option<Excerpt>,
    pub decided_by: Option<String>,
    pub related: Vec<String>,
}

pub fn detail(finding: &Finding, files: &[InputFile]) -> Detail {
    let rule = rules::rule(&finding.rule);
    let doc = rule.map(RuleDoc::parse).unwrap_or_default();
    let evidence = match &finding.evidence {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(clip(s, 2000)),
        v => Some(clip(
            &serde_json::to_string_pretty(v).unwrap_or_default(),
            4000,
        )),
    };
    let source = match (&finding.file, finding.line) {
        (Some(file), Some(line)) => excerpt(files, file, line, CONTEXT_LINES),
        _ => None,
    };
    Detail {
        what: doc.what,
        why: doc.why,
        seed_wrong: doc.seed_wrong,
        fix: doc.fix.trim_end().to_string(),
        references: doc.references,
        peers: rule
            .map(|r| r.peers.iter().map(|p| (p.tool.label(), p.id)).collect())
            .unwrap_or_default(),
        control: rule.map(|r| format!("{} {}", r.control.id(), r.control.title())),
        attribute: finding.attribute.clone(),
        evidence,
        pointer: finding.pointer.clone(),
        source,
        decided_by: finding.decided_by.clone(),
        related: finding.related.clone(),
    }
}

/// A piece of a doc paragraph: plain text or `code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Code(String),
}

/// A doc paragraph as text and code segments: backticks become code, Markdown links keep
/// their text (the page renders both as text nodes; nothing is parsed as HTML).
pub fn segments(paragraph: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for (i, part) in paragraph.split('`').enumerate() {
        if part.is_empty() {
            continue;
        }
        if i % 2 == 1 {
            out.push(Segment::Code(part.to_string()));
        } else {
            out.push(Segment::Text(strip_links(part)));
        }
    }
    out
}

/// `[text](url)` → `text`.
fn strip_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some(mid) = rest[open..].find("](") else {
            break;
        };
        let Some(close) = rest[open + mid..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..open + mid]);
        rest = &rest[open + mid + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Paragraphs of a doc section (blank-line separated), with line breaks folded.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rules::Severity;
    use crate::view::fixture;

    fn model(text: &str) -> Vec<InputFile> {
        vec![InputFile::new(
            "main.tf".into(),
            None,
            String::new(),
            text.into(),
        )]
    }

    #[test]
    fn excerpt_marks_the_line_and_stops_at_the_file_edges() {
        let m = model("a\nb\nc\nd\ne\nf\ng\nh\n");
        let e = excerpt(&m, "main.tf", 2, 3).unwrap();
        let nums: Vec<_> = e.lines.iter().map(|l| l.number).collect();
        assert_eq!(nums, [1, 2, 3, 4, 5]);
        assert!(e.lines[1].marked && e.lines[1].text == "b");
        assert_eq!(e.lines.iter().filter(|l| l.marked).count(), 1);

        let e = excerpt(&m, "main.tf", 8, 3).unwrap();
        let nums: Vec<_> = e.lines.iter().map(|l| l.number).collect();
        assert_eq!(nums, [5, 6, 7, 8, 9]);
        assert!(excerpt(&m, "main.tf", 40, 3).is_none());
        assert!(excerpt(&m, "other.tf", 1, 3).is_none());
    }

    #[test]
    fn long_lines_are_cut() {
        let long = "x".repeat(10_000);
        let e = excerpt(&model(&long), "main.tf", 1, 3).unwrap();
        assert!(e.lines[0].text.chars().count() <= MAX_LINE_CHARS + 1);
    }

    #[test]
    fn detail_reads_the_rules_docs_and_the_source() {
        let m = model("resource \"x\" \"y\" {\n  enable_key_rotation = false\n}\n");
        let Some(rule) = rules::registry().first() else {
            return; // no rules registered yet: nothing to read
        };
        let mut f = fixture::finding(rule.id, Severity::High, Some("x.y"), None, "m");
        f.line = Some(2);
        f.evidence = serde_json::json!(false);
        let d = detail(&f, &m);
        assert!(!d.why.is_empty(), "{} has a why", rule.id);
        assert!(!d.fix.is_empty());
        assert_eq!(d.peers.len(), rule.peers.len());
        assert_eq!(d.evidence.as_deref(), Some("false"));
        let src = d.source.unwrap();
        assert!(src
            .lines
            .iter()
            .any(|l| l.marked && l.text.contains("rotation")));
    }

    #[test]
    fn unknown_rule_still_shows_source_and_evidence() {
        let m = model("a\n");
        let mut f = fixture::finding("NOPE001", Severity::Low, None, None, "m");
        f.evidence = serde_json::json!({"k": "v"});
        let d = detail(&f, &m);
        assert!(d.why.is_empty() && d.peers.is_empty());
        assert!(d.evidence.unwrap().contains("\"k\""));
        assert!(d.source.is_some());
    }

    #[test]
    fn doc_text_becomes_text_and_code_segments() {
        assert_eq!(
            segments("Set `enable_key_rotation = true` (see [KMS docs](https://x)) now."),
            [
                Segment::Text("Set ".into()),
                Segment::Code("enable_key_rotation = true".into()),
                Segment::Text(" (see KMS docs) now.".into()),
            ]
        );
        assert_eq!(segments("[a](b"), [Segment::Text("[a](b".into())]);
        assert_eq!(paragraphs("a\nb\n\n\nc"), ["a b", "c"]);
    }
}
