//! Text edits to one block of a `.tf` file, written the way `terraform fmt` lays them out.
//!
//! The block comes from hcl-edit's parse of the user's own text, so every edit is a byte
//! range of that text: comments, ordering and the lines a fix does not touch stay as they
//! are. Where an edit adds or changes an attribute, the run of adjacent one-line attributes
//! around it is laid out again as hclwrite's formatter does (the `=` signs of a run in one
//! column, trailing comments of consecutive lines in one column), so the result is already
//! in `terraform fmt` style.

use std::ops::Range;

use hcl::edit::structure::{self as hs, Structure};
use hcl::edit::Span as _;

/// One replacement in one file's text (byte offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// A block body in the source text: where its braces are, how its lines are indented.
#[derive(Clone, Copy)]
pub struct BodyAt<'a> {
    pub text: &'a str,
    pub node: &'a hs::Body,
    /// Offset of the opening `{` and of the closing `}`.
    open: usize,
    close: usize,
    /// Indentation of the block's own first line; its attributes sit two spaces deeper.
    outer: &'a str,
}

/// An attribute of a body, with the source text of its parts.
#[derive(Clone, Debug)]
pub struct AttrAt<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub value_range: Range<usize>,
    /// The attribute's whole lines: from the start of its first line to the end of its last.
    lines: Range<usize>,
    /// The text after the value on its last line, trimmed (a comment, or empty).
    trailing: &'a str,
    /// Its first line number (0-based).
    line: usize,
    /// What precedes the key on its line (whitespace, when `one_line`).
    indent: &'a str,
    one_line: bool,
}

impl<'a> AttrAt<'a> {
    /// The value when it is a literal (a number, `true`/`false`, a quoted string without
    /// interpolation, or `null`): only those does a fix replace.
    pub fn literal(&self) -> Option<&'a str> {
        let v = self.value.trim();
        let quoted = v.len() >= 2 && v.starts_with('"') && v.ends_with('"');
        let plain = quoted && !v.contains("${") && !v.contains("%{");
        let word = matches!(v, "true" | "false" | "null") || v.parse::<f64>().is_ok();
        (plain || word).then_some(v)
    }

    pub fn unquoted(&self) -> Option<&'a str> {
        let v = self.literal()?;
        Some(v.strip_prefix('"')?.strip_suffix('"').unwrap_or(v))
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |p| p + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |p| at + p)
}

fn line_no(text: &str, at: usize) -> usize {
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

fn indent_of(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let line = &text[start..line_end(text, start)];
    &line[..line.len() - line.trim_start().len()]
}

/// Whether a line's trailing text is a comment hclwrite aligns (`#` or `//`).
fn is_comment(s: &str) -> bool {
    s.starts_with('#') || s.starts_with("//")
}

impl<'a> BodyAt<'a> {
    /// The body of `block`, parsed from `text`.
    pub fn of_block(text: &'a str, block: &'a hs::Block) -> Option<BodyAt<'a>> {
        let span = block.span()?;
        let after_labels = block
            .labels
            .last()
            .and_then(|l| l.span())
            .map_or(block.ident.span()?.end, |s| s.end);
        let open = after_labels + text.get(after_labels..span.end)?.find('{')?;
        let close = span.end.checked_sub(1)?;
        (text.as_bytes().get(close) == Some(&b'}')).then_some(BodyAt {
            text,
            node: &block.body,
            open,
            close,
            outer: indent_of(text, span.start),
        })
    }

    fn inner_indent(&self) -> String {
        // The first attribute's or block's indentation when it has its own line, else two
        // spaces deeper than the block.
        for s in self.node.iter() {
            if let Some(sp) = s.span() {
                if line_no(self.text, sp.start) != line_no(self.text, self.open) {
                    return indent_of(self.text, sp.start).to_string();
                }
            }
        }
        format!("{}  ", self.outer)
    }

    fn one_line(&self) -> bool {
        !self.text[self.open..self.close].contains('\n')
    }

    /// The direct attributes, in source order.
    pub fn attrs(&self) -> Vec<AttrAt<'a>> {
        let text = self.text;
        self.node
            .iter()
            .filter_map(|s| match s {
                Structure::Attribute(a) => {
                    let span = a.span()?;
                    let key_span = a.key.span()?;
                    let vr = a.value.span()?;
                    let end = line_end(text, vr.end);
                    let start = line_start(text, span.start);
                    let before_key = text[start..key_span.start].trim();
                    Some(AttrAt {
                        key: &text[key_span.clone()],
                        value: &text[vr.clone()],
                        value_range: vr.clone(),
                        lines: start..end,
                        trailing: text[vr.end..end].trim(),
                        line: line_no(text, span.start),
                        indent: &text[start..key_span.start],
                        one_line: before_key.is_empty()
                            && !text[span.start..vr.end].contains('\n')
                            && (text[vr.end..end].trim().is_empty()
                                || is_comment(text[vr.end..end].trim())),
                    })
                }
                Structure::Block(_) => None,
            })
            .collect()
    }

    pub fn attr(&self, key: &str) -> Option<AttrAt<'a>> {
        self.attrs().into_iter().find(|a| a.key == key)
    }

    /// Direct blocks named `ident`.
    pub fn blocks(&self, ident: &str) -> Vec<(&'a hs::Block, BodyAt<'a>)> {
        self.node
            .blocks()
            .filter(|b| b.has_ident(ident))
            .filter_map(|b| Some((b, BodyAt::of_block(self.text, b)?)))
            .collect()
    }

    /// Sets `key` to `value` (HCL source): replaces the value of an existing attribute, or
    /// adds the attribute after the body's last attribute before its first nested block.
    pub fn set(&self, key: &str, value: &str) -> TextEdit {
        let attrs = self.attrs();
        if let Some(i) = attrs.iter().position(|a| a.key == key) {
            if !attrs[i].one_line {
                return TextEdit {
                    range: attrs[i].value_range.clone(),
                    replacement: value.to_string(),
                };
            }
            let mut rows = rows_of(&attrs);
            rows[i].value = value.to_string();
            return self.relayout(&attrs, rows, i);
        }
        let indent = self.inner_indent();
        let new_row = Row {
            indent: indent.clone(),
            key: key.to_string(),
            value: value.to_string(),
            comment: String::new(),
            joined: true,
        };
        let first_block = self
            .node
            .blocks()
            .filter_map(|b| b.span())
            .map(|s| s.start)
            .min()
            .unwrap_or(usize::MAX);
        // After the last one-line attribute above the first nested block (a multi-line
        // `tags = { … }` or `policy = jsonencode(…)` usually closes the attributes), else
        // after the last attribute.
        let before_blocks = |a: &&AttrAt| a.lines.start < first_block;
        let after = attrs
            .iter()
            .rposition(|a| before_blocks(&a) && a.one_line)
            .or_else(|| attrs.iter().rposition(|a| before_blocks(&a)))
            .or_else(|| attrs.len().checked_sub(1));
        match after {
            Some(i) => {
                let mut rows = rows_of(&attrs);
                rows.insert(i + 1, new_row);
                if !attrs[i].one_line {
                    rows[i + 1].joined = false;
                }
                self.relayout(&attrs, rows, i + 1)
            }
            None => self.insert_lines(&format!("{indent}{key} = {value}"), true),
        }
    }

    /// Removes the one-line attribute `key` and lays out again the run it was in.
    pub fn remove(&self, key: &str) -> Option<TextEdit> {
        let attrs = self.attrs();
        let i = attrs.iter().position(|a| a.key == key)?;
        if !attrs[i].one_line {
            return None;
        }
        let rows = rows_of(&attrs);
        let (first, last) = run_bounds(&rows, |r| attrs[r].one_line, i);
        let mut run: Vec<&Row> = rows[first..=last].iter().collect();
        run.remove(i - first);
        let range = attrs[first].lines.start..attrs[last].lines.end;
        if run.is_empty() {
            // The line goes, with its newline.
            let end = (range.end + 1).min(self.text.len());
            return Some(TextEdit {
                range: range.start..end,
                replacement: String::new(),
            });
        }
        Some(TextEdit {
            range,
            replacement: render(&run),
        })
    }

    /// Adds a nested block (its text at zero indentation, lines separated by `\n`) at the
    /// end of this body, set off by a blank line from what is above it.
    pub fn add_block(&self, block: &str) -> TextEdit {
        let indent = self.inner_indent();
        let indented = indent_lines(block, &indent);
        self.insert_lines(&indented, false)
    }

    /// Inserts whole lines into the body: at its start (`first`) or its end.
    fn insert_lines(&self, lines: &str, first: bool) -> TextEdit {
        let text = self.text;
        if self.one_line() {
            return TextEdit {
                range: self.open + 1..self.close,
                replacement: format!("\n{lines}\n{}", self.outer),
            };
        }
        let has_content = self.node.iter().next().is_some();
        if first {
            let at = line_end(text, self.open) + 1;
            let gap = if has_content { "\n" } else { "" };
            return TextEdit {
                range: at..at,
                replacement: format!("{lines}\n{gap}"),
            };
        }
        let at = line_start(text, self.close);
        let gap = if has_content { "\n" } else { "" };
        TextEdit {
            range: at..at,
            replacement: format!("{gap}{lines}\n"),
        }
    }

    /// Lays out again the run of adjacent one-line attributes holding `rows[target]` and
    /// returns the edit that replaces the run's lines.
    fn relayout(&self, attrs: &[AttrAt<'a>], rows: Vec<Row>, target: usize) -> TextEdit {
        // `rows` is `attrs` with at most one row inserted (at `target`) or one changed.
        let inserted = rows.len() > attrs.len();
        let orig = |r: usize| -> Option<&AttrAt<'a>> {
            if inserted {
                match r.cmp(&target) {
                    std::cmp::Ordering::Less => attrs.get(r),
                    std::cmp::Ordering::Equal => None,
                    std::cmp::Ordering::Greater => attrs.get(r - 1),
                }
            } else {
                attrs.get(r)
            }
        };
        let one_line = |r: usize| orig(r).is_none_or(|a| a.one_line);
        let (first, last) = run_bounds(&rows, one_line, target);
        let run: Vec<&Row> = rows[first..=last].iter().collect();
        // The range: the original lines of the run's original rows; an inserted row alone
        // goes after the end of the line before it.
        let originals: Vec<&AttrAt> = (first..=last).filter_map(orig).collect();
        let text = match (originals.first(), originals.last()) {
            (Some(a), Some(b)) => {
                let range = a.lines.start..b.lines.end;
                return TextEdit {
                    range,
                    replacement: render(&run),
                };
            }
            _ => render(&run),
        };
        // Only the inserted row: after its predecessor's lines (or at the body's start).
        match target.checked_sub(1).and_then(orig) {
            Some(prev) => TextEdit {
                range: prev.lines.end..prev.lines.end,
                replacement: format!("\n{text}"),
            },
            None => self.insert_lines(&text, true),
        }
    }
}

/// The run of adjacent one-line rows around `target`: its first and last index.
fn run_bounds(rows: &[Row], one_line: impl Fn(usize) -> bool, target: usize) -> (usize, usize) {
    let mut first = target;
    while first > 0 && rows[first].joined && one_line(first - 1) && one_line(first) {
        first -= 1;
    }
    let mut last = target;
    while last + 1 < rows.len() && rows[last + 1].joined && one_line(last + 1) && one_line(last) {
        last += 1;
    }
    (first, last)
}

/// One attribute line as hclwrite sees it: lead (indent and key), assignment, comment.
#[derive(Clone, Debug)]
struct Row {
    indent: String,
    key: String,
    value: String,
    comment: String,
    /// On the line right after the previous row (no blank line, comment or block between).
    joined: bool,
}

fn rows_of(attrs: &[AttrAt]) -> Vec<Row> {
    let mut prev_line: Option<usize> = None;
    attrs
        .iter()
        .map(|a| {
            let joined = prev_line.is_some_and(|p| a.line == p + 1);
            prev_line = Some(a.line + a.value.matches('\n').count());
            Row {
                indent: a.indent.to_string(),
                key: a.key.to_string(),
                value: a.value.to_string(),
                comment: a.trailing.to_string(),
                joined,
            }
        })
        .collect()
}

/// hclwrite's cells: `=` signs of the run in one column (one space after the longest lead),
/// and the comments of consecutive commented rows one space after the longest assignment.
fn render(run: &[&Row]) -> String {
    let width = |s: &str| s.chars().count();
    let lead = run
        .iter()
        .map(|r| width(&r.indent) + width(&r.key))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<String> = run
        .iter()
        .map(|r| {
            let pad = lead - (width(&r.indent) + width(&r.key)) + 1;
            format!("{}{}{}= {}", r.indent, r.key, " ".repeat(pad), r.value)
        })
        .collect();
    let mut i = 0;
    while i < run.len() {
        if run[i].comment.is_empty() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < run.len() && !run[j].comment.is_empty() {
            j += 1;
        }
        let col = lines[i..j].iter().map(|l| width(l)).max().unwrap_or(0);
        for k in i..j {
            let pad = col - width(&lines[k]) + 1;
            lines[k] = format!("{}{}{}", lines[k], " ".repeat(pad), run[k].comment);
        }
        i = j;
    }
    lines.join("\n")
}

/// The comment a line ends with (`# …`, `// …`), outside quoted strings.
pub fn trailing_comment(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'#' if !in_str => return Some(line[i..].trim_end()),
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => return Some(line[i..].trim_end()),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Indents every non-empty line of `text` by `indent`.
pub fn indent_lines(text: &str, indent: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Applies non-overlapping edits to `text` (sorted by start; an insertion at the same
/// offset as another edit goes first). Returns `None` when two edits overlap.
pub fn apply(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    crate::engine::sort::by_key(&mut sorted, |e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        if e.range.start < at || e.range.end > text.len() || e.range.start > e.range.end {
            return None;
        }
        out.push_str(text.get(at..e.range.start)?);
        out.push_str(&e.replacement);
        at = e.range.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}
