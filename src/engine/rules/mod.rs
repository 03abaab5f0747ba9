//! The rule registry and what every rule shares: metadata, the context it reads, and how
//! it reports a finding.
//!
//! A rule lives in `rules/<family>/<rule_name>.rs`: a doc comment with fixed sections
//! (captured by [`declare_rule!`] as the rule's documentation), its metadata, and one
//! `check` function.

#[cfg(test)]
mod doc_examples;
pub mod docs;
mod finding;
mod suppress;

mod acc;
mod crt;
mod ebs;
mod enc;
mod kms;
mod pln;
mod rds;
mod s3;
mod tls;

use serde::{Deserialize, Serialize};

use super::model::Model;
use super::stores::Analysis;
use super::Options;

pub use finding::{Finding, FindingBuilder, Suppressed};
pub use suppress::apply_suppressions;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The seed control a rule serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Control {
    /// Encryption at rest with CMK.
    #[serde(rename = "WAF-SEC-030")]
    AtRest,
    /// Encryption in transit – TLS enforcement.
    #[serde(rename = "WAF-SEC-040")]
    InTransit,
}

impl Control {
    pub fn id(self) -> &'static str {
        match self {
            Control::AtRest => "WAF-SEC-030",
            Control::InTransit => "WAF-SEC-040",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Control::AtRest => "Encryption at Rest with CMK",
            Control::InTransit => "Encryption in Transit – TLS Enforcement",
        }
    }
}

/// Another scanner whose check covers the same ground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeerTool {
    Checkov,
    /// tfsec's long id (`aws-s3-encryption-customer-key`), also honoured as trivy's.
    Tfsec,
    /// trivy's AVD id (`AVD-AWS-0132`).
    Trivy,
    Kics,
    SecurityHub,
}

impl PeerTool {
    pub fn label(self) -> &'static str {
        match self {
            PeerTool::Checkov => "checkov",
            PeerTool::Tfsec => "tfsec",
            PeerTool::Trivy => "trivy",
            PeerTool::Kics => "KICS",
            PeerTool::SecurityHub => "AWS Security Hub",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Peer {
    pub tool: PeerTool,
    pub id: &'static str,
}

/// A rule's metadata and check.
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub control: Control,
    pub resource_types: &'static [&'static str],
    pub peers: &'static [Peer],
    /// The rule's doc comment: its documentation.
    pub docs: &'static str,
    pub check: fn(&Context, &mut Vec<Finding>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.id, self.name)
    }
}

/// Declares a rule; its doc comment becomes its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// …
///     id: "KMS001", name: "kms-rotation-disabled", severity: High, control: AtRest,
///     resource_types: ["aws_kms_key"],
///     peers: [Checkov "CKV_AWS_7", Tfsec "aws-kms-auto-rotate-keys"],
///     check: check,
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        id: $id:literal, name: $name:literal, severity: $sev:ident, control: $ctl:ident,
        resource_types: [$($rt:literal),* $(,)?],
        peers: [$($tool:ident $pid:literal),* $(,)?],
        check: $check:path $(,)?
    ) => {
        pub static RULE: $crate::engine::rules::Rule = $crate::engine::rules::Rule {
            id: $id,
            name: $name,
            severity: $crate::engine::rules::Severity::$sev,
            control: $crate::engine::rules::Control::$ctl,
            resource_types: &[$($rt),*],
            peers: &[$($crate::engine::rules::Peer { tool: $crate::engine::rules::PeerTool::$tool, id: $pid }),*],
            docs: concat!($($doc, "\n"),+),
            check: $check,
        };
    };
}

/// What a rule reads.
pub struct Context<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    /// Who can use, administer or grant each customer-managed key.
    pub access: &'a super::access::AccessModel,
    pub options: &'a Options,
}

/// The rule families in id order; each family's `RULES` lists its rules in id order.
const FAMILIES: [&[&Rule]; 9] = [
    acc::RULES,
    crt::RULES,
    ebs::RULES,
    enc::RULES,
    kms::RULES,
    pln::RULES,
    rds::RULES,
    s3::RULES,
    tls::RULES,
];

/// Every rule, once, in id order.
pub fn registry() -> &'static [&'static Rule] {
    static ALL: std::sync::OnceLock<Vec<&'static Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| FAMILIES.iter().flat_map(|f| f.iter().copied()).collect())
}

pub fn rule(id: &str) -> Option<&'static Rule> {
    registry()
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id) || r.name == id)
}

/// Runs every rule and applies suppressions.
pub fn run(cx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in registry() {
        (rule.check)(cx, &mut out);
    }
    apply_suppressions(cx, &mut out);
    crate::engine::sort::by(&mut out, |a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.address.cmp(&b.address))
            .then_with(|| a.attribute.cmp(&b.attribute))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_sorted_and_well_formed() {
        let rules = registry();
        for pair in rules.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "registry out of id order at {}",
                pair[1].id
            );
        }
        let mut names: Vec<_> = rules.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), rules.len(), "duplicate rule names");
        for r in rules {
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{} is not kebab-case",
                r.name
            );
        }
    }

    #[test]
    fn every_doc_has_its_sections() {
        for r in registry() {
            let doc = docs::RuleDoc::parse(r);
            assert!(!doc.what.is_empty(), "{}: no '## What it does'", r.id);
            assert!(!doc.why.is_empty(), "{}: no '## Why is this bad?'", r.id);
            assert!(!doc.example.is_empty(), "{}: no example", r.id);
            assert!(!doc.fix.is_empty(), "{}: no 'Use instead:' snippet", r.id);
            assert!(!doc.references.is_empty(), "{}: no references", r.id);
        }
    }
}
