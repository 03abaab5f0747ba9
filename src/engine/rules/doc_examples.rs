//! Every rule's documented examples are tests (as Biome's are): the `## Example` snippet and
//! the `Use instead:` snippet parse as HCL without errors, the example fires the rule, and
//! the fix does not.
//!
//! ACC005 needs a `planlens.toml` allow-list, so its examples are parsed only.
//! Two rules can't be shown with `.tf` alone, and their examples are checked for parsing
//! only: PLN001/PLN002 judge what a plan changes, and CRT005 reads expiry dates that exist
//! only once a certificate does (plan or state `not_after`).

use super::docs::RuleDoc;
use super::registry;
use crate::engine::input::load;
use crate::engine::{check, Options, SourceFile};

/// Rules whose examples need a plan or state: parsed, not run.
const PLAN_ONLY: [&str; 4] = ["ACC005", "CRT005", "PLN001", "PLN002"];

fn source(text: &str) -> Vec<SourceFile> {
    vec![SourceFile::new("example.tf", text)]
}

fn fires(rule: &str, text: &str) -> bool {
    let options = Options {
        now: Some("2026-11-29".into()),
        ..Options::default()
    };
    check(&source(text), &options)
        .findings
        .iter()
        .any(|f| f.rule == rule && f.suppressed.is_none())
}

#[test]
fn every_documented_snippet_parses() {
    let mut problems = Vec::new();
    for rule in registry() {
        let doc = RuleDoc::parse(rule);
        for (which, text) in [("Example", &doc.example), ("Use instead", &doc.fix)] {
            let model = load(&source(text));
            if !model.errors.is_empty() {
                problems.push(format!("{} {which}: {:?}", rule.id, model.errors));
            }
            if model.resources.is_empty() && model.providers.is_empty() {
                problems.push(format!("{} {which}: declares nothing", rule.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_example_fires_its_rule_and_every_fix_does_not() {
    let mut problems = Vec::new();
    for rule in registry().iter().filter(|r| !PLAN_ONLY.contains(&r.id)) {
        let doc = RuleDoc::parse(rule);
        if !fires(rule.id, &doc.example) {
            problems.push(format!("{}: its Example does not fire it", rule.id));
        }
        if fires(rule.id, &doc.fix) {
            problems.push(format!("{}: its `Use instead:` snippet fires it", rule.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
