//! A rule's documentation, parsed from its doc comment, and the Markdown page generated
//! from it (`docs/rules/<ID>-<name>.md`, `planlens rule <ID>`).

use super::Rule;

/// The fixed sections of a rule's doc comment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleDoc {
    pub what: String,
    pub why: String,
    /// The non-compliant example (code only).
    pub example: String,
    /// The compliant snippet after "Use instead:" (code only).
    pub fix: String,
    pub seed_wrong: String,
    pub references: Vec<(String, String)>,
}

impl RuleDoc {
    pub fn parse(rule: &Rule) -> RuleDoc {
        let mut doc = RuleDoc::default();
        let mut section = "";
        let mut after_use_instead = false;
        let mut in_code = false;
        for raw in rule.docs.lines() {
            let line = raw.strip_prefix(' ').unwrap_or(raw);
            if let Some(h) = line.strip_prefix("## ") {
                section = match h.trim() {
                    "What it does" => "what",
                    "Why is this bad?" => "why",
                    "Example" => "example",
                    "Where the seed is wrong" => "seed",
                    "References" => "refs",
                    _ => "",
                };
                after_use_instead = false;
                continue;
            }
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if section == "example" && !in_code && line.trim() == "Use instead:" {
                after_use_instead = true;
                continue;
            }
            let target = match (section, after_use_instead, in_code) {
                ("what", ..) => &mut doc.what,
                ("why", ..) => &mut doc.why,
                ("seed", ..) => &mut doc.seed_wrong,
                ("example", false, true) => &mut doc.example,
                ("example", true, true) => &mut doc.fix,
                ("refs", ..) => {
                    if let Some(link) = parse_link(line) {
                        doc.references.push(link);
                    }
                    continue;
                }
                _ => continue,
            };
            target.push_str(line);
            target.push('\n');
        }
        for s in [&mut doc.what, &mut doc.why, &mut doc.seed_wrong] {
            *s = s.trim().to_string();
        }
        doc
    }
}

/// `- [title](url)` → (title, url)
fn parse_link(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("- [")?;
    let (title, rest) = rest.split_once("](")?;
    let url = rest.strip_suffix(')')?;
    Some((title.to_string(), url.to_string()))
}

/// The rule's documentation page, in Markdown.
pub fn markdown(rule: &Rule) -> String {
    let mut out = format!("# {} {}\n\n", rule.id, rule.name);
    out.push_str(&format!(
        "Severity: **{}** · Control: {} ({}) · Resource types: {}\n\n",
        rule.severity,
        rule.control.id(),
        rule.control.title(),
        rule.resource_types
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for raw in rule.docs.lines() {
        let line = raw.strip_prefix(' ').unwrap_or(raw);
        out.push_str(line);
        out.push('\n');
    }
    if !rule.peers.is_empty() {
        out.push_str("\n## Equivalent checks in other scanners\n\n| scanner | id |\n|---|---|\n");
        for p in rule.peers {
            out.push_str(&format!("| {} | `{}` |\n", p.tool.label(), p.id));
        }
    }
    out
}
