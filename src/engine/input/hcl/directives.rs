//! Suppression comments: ours and the peers' forms.
//!
//! - `# planlens:ignore:ENC001 reason` (also `ENC001,S3001`), `// planlens:ignore:…`
//! - `#tfsec:ignore:aws-s3-encryption-customer-key` (an `:exp:YYYY-MM-DD` suffix is dropped)
//! - `#trivy:ignore:AVD-AWS-0132`
//! - `#checkov:skip=CKV_AWS_145:reason`
//!
//! A comment on or directly above a resource applies to the resource; on or directly above
//! an attribute or nested block, to that path; on or above a module call, to every
//! resource in the module (as tfsec and trivy do). Checkov reads a skip comment anywhere inside
//! the resource's lines as applying to the whole resource, so `checkov:skip` inside a block
//! is recorded for the resource.

use super::ast::{Block, Body, Comment};
use crate::engine::model::{Directive, Tool};

/// The directives of a resource block, with attribute paths for those on its contents.
pub(super) fn of_resource(block: &Block) -> Vec<Directive> {
    let mut out = Vec::new();
    for c in &block.comments {
        parse(c, None, &mut out);
    }
    let mut inside = Vec::new();
    walk(&block.body, "", &mut inside);
    // Checkov skips inside the block come from `inner` (every line), when HCL gives it.
    let checkov_inside = !block.inner.is_empty();
    out.extend(
        inside
            .into_iter()
            .filter(|d| !(checkov_inside && d.tool == Tool::Checkov)),
    );
    for c in &block.inner {
        let mut found = Vec::new();
        parse(c, None, &mut found);
        out.extend(found.into_iter().filter(|d| d.tool == Tool::Checkov));
    }
    out
}

/// The directives on or above a module call, for every resource in the module. Checkov
/// does not carry its skips into modules, so its comments are left out.
pub(super) fn of_module_call(block: &Block) -> Vec<Directive> {
    let mut out = Vec::new();
    for c in &block.comments {
        parse(c, None, &mut out);
    }
    out.retain(|d| d.tool != Tool::Checkov);
    out
}

fn walk(body: &Body, prefix: &str, out: &mut Vec<Directive>) {
    for a in &body.attrs {
        let path = join(prefix, &a.name);
        for c in &a.comments {
            parse(c, Some(&path), out);
        }
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for b in &body.blocks {
        let path = if b.kind == "dynamic" {
            join(prefix, b.label(0))
        } else {
            let n = match counts.iter_mut().find(|(k, _)| *k == b.kind) {
                Some((_, n)) => {
                    *n += 1;
                    *n - 1
                }
                None => {
                    counts.push((&b.kind, 1));
                    0
                }
            };
            format!("{}.{n}", join(prefix, &b.kind))
        };
        for c in &b.comments {
            parse(c, Some(&path), out);
        }
        walk(&b.body, &path, out);
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Every directive in one comment.
pub(super) fn parse(c: &Comment, attribute: Option<&str>, out: &mut Vec<Directive>) {
    let text = c
        .text
        .trim_start_matches('#')
        .trim_start_matches("//")
        .trim_start_matches("/*")
        .trim_end_matches("*/");
    let lower = text.to_ascii_lowercase();
    for (marker, tool) in [
        ("planlens:ignore:", Tool::Planlens),
        ("tfsec:ignore:", Tool::Tfsec),
        ("trivy:ignore:", Tool::Trivy),
        ("checkov:skip=", Tool::Checkov),
    ] {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(marker) {
            let start = from + pos + marker.len();
            from = start;
            let rest = &text[start..];
            let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let token = &rest[..token_end];
            let after = rest[token_end..].trim();
            let (ids, reason): (Vec<&str>, Option<String>) = match tool {
                Tool::Checkov => {
                    // CKV_AWS_145:reason text (the reason may contain spaces)
                    let (id, reason) = match rest.split_once(':') {
                        Some((id, r)) if !id.contains(char::is_whitespace) => {
                            (id, Some(r.trim().to_string()))
                        }
                        _ => (token, None),
                    };
                    (vec![id], reason.filter(|r| !r.is_empty()))
                }
                Tool::Planlens => (
                    token.split(',').collect(),
                    Some(after.to_string()).filter(|r| !r.is_empty() && !is_directive(r)),
                ),
                _ => {
                    // tfsec/trivy: `id:exp:2025-01-01`; no reason syntax of their own.
                    let id = token.split(":exp:").next().unwrap_or(token);
                    (
                        vec![id],
                        Some(after.to_string()).filter(|r| !r.is_empty() && !is_directive(r)),
                    )
                }
            };
            for id in ids.into_iter().map(str::trim).filter(|i| !i.is_empty()) {
                out.push(Directive {
                    tool,
                    id: id.to_string(),
                    reason: reason.clone(),
                    attribute: if tool == Tool::Checkov {
                        None
                    } else {
                        attribute.map(str::to_string)
                    },
                    line: c.line,
                });
            }
        }
    }
}

/// Whether the text after one directive is another directive rather than a reason.
fn is_directive(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    ["planlens:", "tfsec:", "trivy:", "checkov:", "#", "//"]
        .iter()
        .any(|m| l.starts_with(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directives(text: &str) -> Vec<Directive> {
        let mut out = Vec::new();
        parse(
            &Comment {
                line: 3,
                text: text.into(),
            },
            Some("rule.0"),
            &mut out,
        );
        out
    }

    #[test]
    fn each_tool_form() {
        let d = directives("# planlens:ignore:ENC001 bucket holds test data");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].tool, d[0].id.as_str()), (Tool::Planlens, "ENC001"));
        assert_eq!(d[0].reason.as_deref(), Some("bucket holds test data"));
        assert_eq!(d[0].attribute.as_deref(), Some("rule.0"));
        assert_eq!(d[0].line, 3);

        let d = directives("//planlens:ignore:ENC001,S3001");
        let ids: Vec<&str> = d.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, vec!["ENC001", "S3001"]);
        assert_eq!(d[0].reason, None);

        let d = directives("#tfsec:ignore:aws-s3-encryption-customer-key:exp:2025-01-01");
        assert_eq!(d[0].tool, Tool::Tfsec);
        assert_eq!(d[0].id, "aws-s3-encryption-customer-key");

        let d = directives("#trivy:ignore:AVD-AWS-0132");
        assert_eq!((d[0].tool, d[0].id.as_str()), (Tool::Trivy, "AVD-AWS-0132"));

        let d = directives("#checkov:skip=CKV_AWS_145:uses the AWS managed key on purpose");
        assert_eq!(
            (d[0].tool, d[0].id.as_str()),
            (Tool::Checkov, "CKV_AWS_145")
        );
        assert_eq!(
            d[0].reason.as_deref(),
            Some("uses the AWS managed key on purpose")
        );
        assert_eq!(d[0].attribute, None, "checkov skips apply to the resource");
    }

    #[test]
    fn stacked_in_one_comment_and_not_directives() {
        let d = directives("#tfsec:ignore:a-b trivy:ignore:AVD-AWS-1");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].reason, None);
        assert!(directives("# just a note about planlens").is_empty());
    }
}
