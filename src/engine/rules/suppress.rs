//! Suppressions: comments in HCL (ours and the peers' forms, for the checks they map to)
//! and the suppression list (config, page, `--ignore`). A suppressed finding stays in the
//! report, marked, with its reason.

use std::collections::HashMap;

use super::{registry, Context, Finding, PeerTool, Rule, Suppressed};
use crate::engine::model::{Directive, Tool};

pub fn apply_suppressions(cx: &Context, findings: &mut [Finding]) {
    // Most inputs carry no suppression comment: then no finding needs its resources
    // looked up again.
    let comments = cx.model.resources.iter().any(|r| !r.directives.is_empty());
    if !comments && cx.options.config.suppressions.is_empty() {
        return;
    }
    let rules: HashMap<&str, &Rule> = registry().iter().map(|r| (r.id, *r)).collect();
    for f in findings.iter_mut() {
        if let Some(s) = suppression_for(cx, &rules, comments, f) {
            f.suppressed = Some(s);
        }
    }
}

fn suppression_for(
    cx: &Context,
    rules: &HashMap<&str, &Rule>,
    comments: bool,
    f: &Finding,
) -> Option<Suppressed> {
    let listed = cx.options.config.suppressions.iter().find(|s| {
        s.rule.eq_ignore_ascii_case(&f.rule)
            && s.address
                .as_deref()
                .is_none_or(|a| Some(a) == f.address.as_deref())
    });
    if let Some(s) = listed {
        return Some(Suppressed {
            reason: s.reason.clone(),
            by: "list".into(),
        });
    }
    if !comments {
        return None;
    }
    let address = f.address.as_deref()?;
    let rule = rules.get(f.rule.as_str())?;
    // Comments on the store itself and on the companion that decided the finding both count.
    let holders = std::iter::once(address).chain(f.decided_by.as_deref());
    for holder in holders {
        for res in cx.model.resolve(holder) {
            if let Some(d) = res
                .directives
                .iter()
                .find(|d| matches(d, rule.id, rule.peers, f))
            {
                return Some(Suppressed {
                    reason: d.reason.clone().unwrap_or_else(|| "no reason given".into()),
                    by: tool_name(d.tool).into(),
                });
            }
        }
    }
    None
}

fn matches(d: &Directive, id: &str, peers: &[super::Peer], f: &Finding) -> bool {
    // A directive on an attribute covers findings on that attribute (or below it).
    if let (Some(on), Some(attr)) = (&d.attribute, &f.attribute) {
        if !(attr == on || attr.starts_with(&format!("{on}."))) {
            return false;
        }
    }
    match d.tool {
        Tool::Planlens => d.id.eq_ignore_ascii_case(id) || d.id == "*",
        Tool::Tfsec | Tool::Trivy => peers.iter().any(|p| {
            matches!(p.tool, PeerTool::Tfsec | PeerTool::Trivy) && p.id.eq_ignore_ascii_case(&d.id)
        }),
        Tool::Checkov => peers
            .iter()
            .any(|p| p.tool == PeerTool::Checkov && p.id.eq_ignore_ascii_case(&d.id)),
    }
}

fn tool_name(t: Tool) -> &'static str {
    match t {
        Tool::Planlens => "planlens",
        Tool::Tfsec => "tfsec",
        Tool::Trivy => "trivy",
        Tool::Checkov => "checkov",
    }
}
