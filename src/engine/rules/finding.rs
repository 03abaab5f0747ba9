//! A finding, and the builder rules use to make one with its source location filled in.

use serde::{Deserialize, Serialize};

use super::{Context, Rule, Severity};
use crate::engine::category::Category;
use crate::engine::model::{Lookup, Origin, Resource};

/// One thing a rule found (SPEC §7's JSON shape, plus a few fields the page uses).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub name: String,
    pub severity: Severity,
    /// `None` for provider- or project-level findings.
    pub address: Option<String>,
    pub attribute: Option<String>,
    pub category: Option<Category>,
    pub message: String,
    pub evidence: serde_json::Value,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// For plan input: the JSON pointer of the deciding value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Whether the plan introduced it (create/update/replace) or it was there already
    /// (no-op); `None` for HCL and state input.
    pub introduced: Option<bool>,
    pub suppressed: Option<Suppressed>,
    /// Other resources the finding concerns (the stores a deleted key protects, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// The resource carrying the deciding attribute when it is not the finding's own
    /// (a bucket's encryption companion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// For `.tf` input, the edit that removes it when the remedy is mechanical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<crate::engine::fix::Fix>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    pub reason: String,
    /// `planlens`, `tfsec`, `trivy`, `checkov` (a comment) or `list` (config, page, --ignore).
    #[serde(default)]
    pub by: String,
}

impl Finding {
    pub fn counts(&self) -> bool {
        self.suppressed.is_none()
    }
}

/// Builds a finding: `cx.finding(&RULE, res, "ssl_policy", msg).evidence(..).push(out)`.
pub struct FindingBuilder<'a> {
    cx: &'a Context<'a>,
    finding: Finding,
    /// Where the default evidence comes from, read when the finding is built: most rules
    /// give their own, and turning a whole resource (attribute `""`) into JSON only to
    /// replace it was a large part of a review's time.
    evidence_at: Option<(&'a Resource, String)>,
}

/// The value at `attribute` as evidence.
fn evidence_of(resource: &Resource, attribute: &str) -> serde_json::Value {
    match resource.get(attribute) {
        Lookup::Known(v) => v.to_json(),
        Lookup::Unknown(why) => serde_json::Value::String(format!("({why})")),
        Lookup::Absent => serde_json::Value::Null,
    }
}

impl<'a> Context<'a> {
    /// A finding about `resource`, located at `attribute` (or the resource itself when the
    /// attribute is absent from the source). The evidence defaults to the attribute's value.
    pub fn finding(
        &'a self,
        rule: &Rule,
        resource: &'a Resource,
        attribute: &str,
        message: impl Into<String>,
    ) -> FindingBuilder<'a> {
        let mut b = FindingBuilder {
            cx: self,
            finding: Finding {
                rule: rule.id.to_string(),
                name: rule.name.to_string(),
                severity: rule.severity,
                address: Some(resource.address.clone()),
                attribute: (!attribute.is_empty()).then(|| attribute.to_string()),
                category: self
                    .analysis
                    .store(&resource.address)
                    .and_then(|s| s.category),
                message: message.into(),
                evidence: serde_json::Value::Null,
                file: None,
                line: None,
                pointer: None,
                introduced: resource.action.map(|a| a.introduces()),
                suppressed: None,
                related: Vec::new(),
                decided_by: None,
                fix: None,
            },
            evidence_at: Some((resource, attribute.to_string())),
        };
        b.locate(resource, attribute);
        b
    }

    /// A finding with no resource (a provider without EBS default encryption, …).
    pub fn project_finding(
        &'a self,
        rule: &Rule,
        message: impl Into<String>,
    ) -> FindingBuilder<'a> {
        FindingBuilder {
            cx: self,
            finding: Finding {
                rule: rule.id.to_string(),
                name: rule.name.to_string(),
                severity: rule.severity,
                address: None,
                attribute: None,
                category: None,
                message: message.into(),
                evidence: serde_json::Value::Null,
                file: None,
                line: None,
                pointer: None,
                introduced: None,
                suppressed: None,
                related: Vec::new(),
                decided_by: None,
                fix: None,
            },
            evidence_at: None,
        }
    }
}

impl<'a> FindingBuilder<'a> {
    fn locate(&mut self, resource: &Resource, attribute: &str) {
        let model = self.cx.model;
        match &resource.origin {
            Origin::Pointer { file, pointer } => {
                self.finding.file = model.files.get(*file).map(|f| f.path.clone());
                self.finding.pointer = Some(if attribute.is_empty() {
                    pointer.clone()
                } else {
                    format!("{pointer}/{}", attribute.replace('.', "/"))
                });
                self.finding.line = resource
                    .span_of(attribute)
                    .and_then(|s| model.line(s))
                    .map(|p| p.1);
            }
            _ => {
                if let Some((file, line)) = resource.span_of(attribute).and_then(|s| model.line(s))
                {
                    self.finding.file = Some(file.to_string());
                    self.finding.line = Some(line);
                }
            }
        }
    }

    /// The deciding attribute sits in another resource (the bucket's encryption companion):
    /// point the location there; the finding stays on the store's address.
    pub fn decided_in(mut self, companion: &'a Resource, attribute: &str) -> Self {
        self.finding.attribute = (!attribute.is_empty()).then(|| attribute.to_string());
        self.finding.decided_by = Some(companion.address.clone());
        self.evidence_at = Some((companion, attribute.to_string()));
        self.locate(companion, attribute);
        if let Some(a) = companion.action {
            self.finding.introduced = Some(a.introduces() || self.finding.introduced == Some(true));
        }
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.finding.severity = severity;
        self
    }

    pub fn evidence(mut self, evidence: impl Into<serde_json::Value>) -> Self {
        self.finding.evidence = evidence.into();
        self.evidence_at = None;
        self
    }

    pub fn category(mut self, category: Option<Category>) -> Self {
        self.finding.category = category;
        self
    }

    pub fn related(mut self, addresses: Vec<String>) -> Self {
        self.finding.related = addresses;
        self
    }

    pub fn introduced(mut self, introduced: Option<bool>) -> Self {
        self.finding.introduced = introduced;
        self
    }

    /// Locates a project-level finding at a resource or provider span.
    pub fn at(mut self, file: Option<String>, line: Option<u32>) -> Self {
        self.finding.file = file;
        self.finding.line = line;
        self
    }

    pub fn build(mut self) -> Finding {
        if let Some((resource, attribute)) = self.evidence_at.take() {
            self.finding.evidence = evidence_of(resource, &attribute);
        }
        self.finding
    }

    pub fn push(self, out: &mut Vec<Finding>) {
        out.push(self.build());
    }
}
