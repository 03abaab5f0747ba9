//! CSV (`--format csv`, the page's CSV export): one row per finding with SPEC §7's finding
//! fields, RFC 4180 quoting and CRLF line ends.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
//! `'`, so a spreadsheet shows a resource named `=HYPERLINK(…)` as text instead of running
//! it (OWASP, "CSV Injection").

use super::Report;
use crate::engine::rules::Finding;

pub const HEADER: [&str; 14] = [
    "rule",
    "name",
    "severity",
    "address",
    "attribute",
    "category",
    "message",
    "evidence",
    "file",
    "line",
    "pointer",
    "introduced",
    "suppressed",
    "suppression_reason",
];

pub fn render_csv(report: &Report) -> String {
    let mut out = String::new();
    push_row(&mut out, HEADER.iter().map(|h| h.to_string()));
    for f in &report.findings {
        push_row(&mut out, row(f).into_iter());
    }
    out
}

fn row(f: &Finding) -> [String; 14] {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    [
        f.rule.clone(),
        f.name.clone(),
        f.severity.as_str().to_string(),
        opt(&f.address),
        opt(&f.attribute),
        f.category
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        f.message.clone(),
        if f.evidence.is_null() {
            String::new()
        } else {
            f.evidence.to_string()
        },
        opt(&f.file),
        f.line.map(|l| l.to_string()).unwrap_or_default(),
        opt(&f.pointer),
        f.introduced.map(|b| b.to_string()).unwrap_or_default(),
        f.suppressed.is_some().to_string(),
        f.suppressed
            .as_ref()
            .map(|s| s.reason.clone())
            .unwrap_or_default(),
    ]
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(&cell));
    }
    out.push_str("\r\n");
}

/// One cell: formula-neutralised, then quoted when it holds a comma, quote or line break.
pub fn cell_text(raw: &str) -> String {
    let neutral = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_string()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_per_rfc4180() {
        assert_eq!(cell_text("plain"), "plain");
        assert_eq!(cell_text("a,b"), "\"a,b\"");
        assert_eq!(cell_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell_text("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn neutralises_formulas() {
        assert_eq!(cell_text("=1+2"), "'=1+2");
        assert_eq!(cell_text("+cmd"), "'+cmd");
        assert_eq!(cell_text("-2"), "'-2");
        assert_eq!(cell_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell_text("\tx"), "'\tx");
        assert_eq!(cell_text("\rx"), "\"'\rx\"");
        assert_eq!(
            cell_text("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(cell_text("a=b"), "a=b");
    }
}
