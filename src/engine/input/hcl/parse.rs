//! HCL text (`.tf`, `.tfvars`) into the syntax-independent [`Body`], keeping spans and the
//! comments that may hold suppression directives.

use hcl::edit::structure::{self as hs, Structure};
use hcl::edit::{Decorate, Span as _};

use super::ast::{Attr, Block, Body, Comment};
use crate::engine::input::{error_at, error_at_line, MAX_DEPTH};
use crate::engine::model::{FileId, InputError, InputFile};

/// Deepest bracket, brace, parenthesis or interpolation nesting read. Below both
/// `input::MAX_DEPTH` and hcl-edit's own bound (64): measured, hcl-edit's recursive parser
/// needs about 640 KB of stack for 64 levels of nested templates in an optimised x86-64
/// build and more than 1 MB from about 45 levels in a debug build, while the browser gives
/// WebAssembly about 1 MB. Real configurations stay far below 32 levels.
pub(super) const MAX_NESTING: usize = if MAX_DEPTH < 32 { MAX_DEPTH } else { 32 };

/// Parses one HCL file. Nesting is checked before parsing: the parser is recursive, and an
/// input that is only brackets must get a positioned error, not a stack overflow.
pub(super) fn parse(file: &InputFile, id: FileId) -> Result<Body, InputError> {
    if let Some(offset) = too_deep(&file.text, MAX_NESTING) {
        return Err(error_at(
            file,
            offset,
            format!("nesting deeper than {MAX_NESTING} levels; planlens does not read further"),
        ));
    }
    let body = parse_repeating_keys(&file.text).map_err(|e| {
        let loc = e.location();
        error_at_line(
            file,
            loc.line() as u32,
            loc.column() as u32,
            format!("invalid HCL: {}", e.message()),
        )
    })?;
    Ok(convert_body(body, file, id, true))
}

/// Most repeated keys read in one file before the parser's error is reported instead.
const MAX_REPEATED_KEYS: usize = 64;

/// Parses a body the way Terraform does where hcl-edit is stricter: an object constructor
/// may repeat a key, and the last value wins (`{ port = 80, port = 81 }` is `{ port = 81 }`;
/// hashicorp/hcl evaluates the items in order into one map). hcl-edit 0.10 rejects the
/// repeat outright ("found redefined object key") and offers no option, so the repeated key
/// is renamed in a copy of the text to a placeholder of the same byte length (spans,
/// lines and columns stay true), the copy is parsed again, and the placeholder is then put
/// back as the key it stood for, replacing the earlier value.
fn parse_repeating_keys(text: &str) -> Result<hs::Body, hcl::edit::parser::Error> {
    let mut copy: Option<String> = None;
    let mut renamed: Vec<(usize, String)> = Vec::new();
    loop {
        let current = copy.as_deref().unwrap_or(text);
        let err = match hcl::edit::parser::parse_body(current) {
            Ok(mut body) => {
                if !renamed.is_empty() {
                    use hcl::edit::visit_mut::VisitMut;
                    LastKeyWins { renamed: &renamed }.visit_body_mut(&mut body);
                }
                return Ok(body);
            }
            Err(e) => e,
        };
        if !err.message().contains("redefined object key") || renamed.len() >= MAX_REPEATED_KEYS {
            return Err(err);
        }
        let at = err.location().offset();
        let Some((range, original)) = key_token(current, at) else {
            return Err(err);
        };
        let mut next = current.to_string();
        next.replace_range(range, &placeholder(original.len(), renamed.len()));
        renamed.push((at, original));
        copy = Some(next);
    }
}

/// The object key starting at `at`: an identifier, or a quoted string without escapes
/// (the range is then its inside). Returns the byte range to rename and the key's text.
fn key_token(text: &str, at: usize) -> Option<(std::ops::Range<usize>, String)> {
    let rest = text.get(at..)?;
    if let Some(inner) = rest.strip_prefix('"') {
        let len = inner.find(['"', '\\', '$', '%', '\n'])?;
        if len == 0 || !inner[len..].starts_with('"') {
            return None;
        }
        return Some((at + 1..at + 1 + len, inner[..len].to_string()));
    }
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (len > 0).then(|| (at..at + len, rest[..len].to_string()))
}

/// An identifier of `len` bytes that no configuration writes by hand: underscores ending in
/// the rename's number in base 36 (`___0`, `___1`, …).
fn placeholder(len: usize, n: usize) -> String {
    let mut digits = Vec::new();
    let mut k = n;
    loop {
        digits.push(char::from_digit((k % 36) as u32, 36).unwrap_or('0'));
        k /= 36;
        if k == 0 {
            break;
        }
    }
    let digits: String = digits.into_iter().rev().collect();
    if len <= digits.len() {
        return "_".repeat(len);
    }
    format!("{}{digits}", "_".repeat(len - digits.len()))
}

/// Puts renamed keys back: the placeholder's value replaces the earlier item with that key.
struct LastKeyWins<'a> {
    renamed: &'a [(usize, String)],
}

impl hcl::edit::visit_mut::VisitMut for LastKeyWins<'_> {
    fn visit_object_mut(&mut self, node: &mut hcl::edit::expr::Object) {
        hcl::edit::visit_mut::visit_object_mut(self, node);
        use hcl::edit::expr::{Expression, ObjectKey};
        use hcl::edit::{Decorated, Ident};
        let found: Vec<(ObjectKey, String)> = node
            .iter()
            .filter_map(|(k, _)| {
                let start = k.span()?.start;
                // A quoted key's recorded offset is its opening quote.
                let (_, original) = self
                    .renamed
                    .iter()
                    .find(|(at, _)| *at == start || *at + 1 == start)?;
                Some((k.clone(), original.clone()))
            })
            .collect();
        for (placeholder, original) in found {
            let Some(value) = node.remove(&placeholder) else {
                continue;
            };
            let key = match &placeholder {
                ObjectKey::Ident(_) => match Ident::try_new(original.as_str()) {
                    Ok(id) => ObjectKey::Ident(Decorated::new(id)),
                    Err(_) => continue,
                },
                ObjectKey::Expression(_) => ObjectKey::Expression(Expression::from(original)),
            };
            node.remove(&key);
            node.insert(key, value);
        }
    }
}

/// The byte offset where nesting first exceeds `max`, if it does. Quoted strings, heredocs,
/// their template interpolations (`${`, `%{`) and comments are followed closely enough
/// that brackets in literal text do not count and brackets in interpolations do.
pub(super) fn too_deep(text: &str, max: usize) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Ctx {
        Code,
        Str,
        /// Inside a heredoc; the index of its delimiter in `ids`.
        Heredoc(usize),
    }
    let b = text.as_bytes();
    let mut ids: Vec<&str> = Vec::new();
    // What each open bracket returns to when it closes: code, or the string or heredoc an
    // interpolation sits in.
    let mut stack: Vec<Ctx> = Vec::new();
    let mut ctx = Ctx::Code;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match ctx {
            Ctx::Str | Ctx::Heredoc(_) => match c {
                b'\\' if ctx == Ctx::Str => i += 1,
                b'"' if ctx == Ctx::Str => ctx = Ctx::Code,
                b'\n' => match ctx {
                    Ctx::Heredoc(h) => {
                        let end = find(b, i + 1, b"\n").unwrap_or(b.len());
                        if text.get(i + 1..end).map(str::trim) == ids.get(h).copied() {
                            ctx = Ctx::Code;
                            i = end.saturating_sub(1);
                        }
                    }
                    _ => ctx = Ctx::Code,
                },
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    if b.get(i.wrapping_sub(1)) == Some(&c) {
                        // `$${` is an escaped literal
                    } else {
                        stack.push(ctx);
                        ctx = Ctx::Code;
                        i += 1;
                        if stack.len() > max {
                            return Some(i);
                        }
                    }
                }
                _ => {}
            },
            Ctx::Code => match c {
                b'"' => ctx = Ctx::Str,
                b'#' => i = skip_line(b, i),
                b'/' if b.get(i + 1) == Some(&b'/') => i = skip_line(b, i),
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = find(b, i + 2, b"*/").map(|p| p + 1).unwrap_or(b.len());
                }
                b'<' if b.get(i + 1) == Some(&b'<') => {
                    if let Some((id, line_end)) = heredoc_start(text, i) {
                        ids.push(id);
                        ctx = Ctx::Heredoc(ids.len() - 1);
                        // Stop on the newline so the next line is checked for the delimiter.
                        i = line_end.saturating_sub(1);
                    }
                }
                b'(' | b'[' | b'{' => {
                    stack.push(Ctx::Code);
                    if stack.len() > max {
                        return Some(i);
                    }
                }
                b')' | b']' | b'}' => {
                    if let Some(back) = stack.pop() {
                        ctx = back;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

fn skip_line(b: &[u8], i: usize) -> usize {
    find(b, i, b"\n")
        .map(|p| p.saturating_sub(1))
        .unwrap_or(b.len())
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// `<<ID` or `<<-ID` at `at`: the delimiter and the offset of the newline ending the line.
fn heredoc_start(text: &str, at: usize) -> Option<(&str, usize)> {
    let rest = text.get(at + 2..)?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if len == 0 {
        return None;
    }
    let line_end = text[at..].find('\n').map(|p| at + p)?;
    Some((&rest[..len], line_end))
}

fn convert_body(body: hs::Body, file: &InputFile, id: FileId, top: bool) -> Body {
    let mut out = Body::default();
    for s in body {
        let span = s.span().unwrap_or(0..0);
        let span = span.start as u32..span.end as u32;
        let mut comments = comments_above(s.decor().prefix().map(|p| &**p), span.start, file);
        match s {
            Structure::Attribute(a) => {
                if let Some(suffix) = a.decor().suffix() {
                    comments.extend(comment_in(suffix, file.line_col(span.end).0));
                }
                out.attrs.push(Attr {
                    name: a.key.value().as_str().to_string(),
                    expr: a.value,
                    span,
                    comments,
                });
            }
            Structure::Block(b) => {
                let first_line = file.line_col(span.start).0;
                if let Some(prefix) = b.body.decor().prefix() {
                    comments.extend(comment_in(prefix, first_line));
                }
                out.blocks.push(Block {
                    kind: b.ident.value().as_str().to_string(),
                    labels: b.labels.iter().map(|l| l.as_str().to_string()).collect(),
                    body: convert_body(b.body, file, id, false),
                    file: id,
                    inner: if top {
                        comments_inside(file, &span)
                    } else {
                        Vec::new()
                    },
                    span,
                    comments,
                });
            }
        }
    }
    out
}

/// The comment lines directly above a structure (stopping at a blank or code line). `prefix`
/// is the whitespace and comments between the previous structure and this one, ending at
/// `start`.
fn comments_above(prefix: Option<&str>, start: u32, file: &InputFile) -> Vec<Comment> {
    let Some(prefix) = prefix else {
        return Vec::new();
    };
    let prefix_start = (start as usize).saturating_sub(prefix.len()) as u32;
    let first_line = file.line_col(prefix_start).0;
    let lines: Vec<&str> = prefix.split('\n').collect();
    let mut out = Vec::new();
    // The last piece is the indentation before the structure on its own line.
    for (i, line) in lines.iter().enumerate().rev().skip(1) {
        let t = line.trim();
        if is_comment(t) {
            out.push(Comment {
                line: first_line + i as u32,
                text: t.to_string(),
            });
        } else {
            break;
        }
    }
    out.reverse();
    out
}

/// Comment lines (or trailing comments) inside a block after its first line. Text after
/// `#` or `//` counts; a `#` inside a string on the same line could be mistaken for one,
/// which for the one tool that reads these (checkov) only adds a suppression it names.
fn comments_inside(file: &InputFile, span: &std::ops::Range<u32>) -> Vec<Comment> {
    let Some(text) = file.text.get(span.start as usize..span.end as usize) else {
        return Vec::new();
    };
    let first = file.line_col(span.start).0;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let at = match (line.find('#'), line.find("//")) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => continue,
        };
        out.push(Comment {
            line: first + i as u32,
            text: line[at..].trim().to_string(),
        });
    }
    out
}

/// A trailing comment on a structure's own line (`sp` then an optional comment).
fn comment_in(text: &str, line: u32) -> Option<Comment> {
    let t = text.trim();
    let first = t.lines().next().unwrap_or("").trim();
    is_comment(first).then(|| Comment {
        line,
        text: first.to_string(),
    })
}

fn is_comment(t: &str) -> bool {
    t.starts_with('#') || t.starts_with("//") || t.starts_with("/*")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> InputFile {
        InputFile::new("main.tf".into(), None, String::new(), text.into())
    }

    #[test]
    fn nesting_scan_ignores_strings_and_comments() {
        assert_eq!(too_deep("a = [[[1]]]", 3), None);
        assert_eq!(too_deep("a = [[[[1]]]]", 3), Some(7));
        assert_eq!(too_deep("a = \"[[[[[[\" # ((((((\n", 3), None);
        assert_eq!(too_deep("a = \"${[[[1]]]}\"", 3), Some(9));
        assert_eq!(too_deep("a = <<EOT\n((((((\nEOT\nb = [1]\n", 3), None);
        assert_eq!(
            too_deep("a = <<-EOT\n  x ${[[[[1]]]]}\n  EOT\nb = 1\n", 3),
            Some(19)
        );
        assert_eq!(too_deep("a = <<EOT\nEOT\nb = [[[[1]]]]\n", 3), Some(21));
        assert_eq!(too_deep("a = \"$${[[[[[\"", 3), None);
    }

    #[test]
    fn comments_above_and_on_the_line() {
        let f = file(
            "# header\n\n# planlens:ignore:ENC001 why\n#tfsec:ignore:x\nresource \"a\" \"b\" { # on-line\n  # above attr\n  x = 1 # trailing\n}\n",
        );
        let body = parse(&f, 0).unwrap();
        let b = &body.blocks[0];
        let texts: Vec<(u32, &str)> = b
            .comments
            .iter()
            .map(|c| (c.line, c.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (3, "# planlens:ignore:ENC001 why"),
                (4, "#tfsec:ignore:x"),
                (5, "# on-line")
            ]
        );
        let a = &b.body.attrs[0];
        let texts: Vec<(u32, &str)> = a
            .comments
            .iter()
            .map(|c| (c.line, c.text.as_str()))
            .collect();
        assert_eq!(texts, vec![(6, "# above attr"), (7, "# trailing")]);
        assert_eq!(f.line_col(a.span.start).0, 7);
    }

    #[test]
    fn repeated_object_keys_keep_the_last_value_as_terraform_does() {
        let f = file(
            "locals {\n  x = { port = 80, name = \"a\", port = 81 }\n  y = {\n    \"k\" = 1\n    k2  = 2\n    \"k\" = 3\n    k2  = 4\n  }\n}\nz = 1\n",
        );
        let body = parse(&f, 0).unwrap();
        let attrs = &body.blocks[0].body.attrs;
        let render = |i: usize| attrs[i].expr.to_string();
        assert_eq!(render(0).replace(' ', ""), "{name=\"a\",port=81}");
        let y = render(1).split_whitespace().collect::<String>();
        assert!(y.contains("\"k\"=3") && y.contains("k2=4"), "{y}");
        assert!(!y.contains("=1") && !y.contains("=2"), "{y}");
        // Spans still point into the original text.
        assert_eq!(f.line_col(body.attrs[0].span.start).0, 10);
    }

    #[test]
    fn repeated_attributes_in_a_body_stay_an_error() {
        let f = file("resource \"a\" \"b\" {\n  x = 1\n  x = 2\n}\n");
        let e = parse(&f, 0).unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn parse_error_is_positioned() {
        let f = file("resource \"a\" \"b\" {\n  x = \n}\n");
        let e = parse(&f, 0).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.starts_with("invalid HCL"), "{}", e.message);
    }
}
