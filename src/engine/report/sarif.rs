//! SARIF 2.1.0 (`--format sarif`, the page's SARIF export), shaped for GitHub code scanning:
//! every registry rule as a `reportingDescriptor` with its full documentation as help, one
//! result per finding with a repository-relative location, a stable fingerprint, and
//! suppressions carried as SARIF suppressions rather than dropped.
//!
//! GitHub's limits (docs.github.com, "SARIF support for code scanning"): 25,000 results and
//! 25,000 rules per run, 20 tags per rule, `name` ≤ 255 and descriptions ≤ 1,024 characters,
//! at least one location per result, and only `partialFingerprints.primaryLocationLineHash`
//! is used for matching alerts across runs.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{Report, TOOL_NAME, VERSION};
use crate::engine::rules::{docs, registry, Control, Finding, Rule, Severity};

/// Where the project lives; rule help links point at the generated docs under it.
pub const REPOSITORY_URL: &str = "https://github.com/planlens/planlens";

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub truncates past these; cutting ourselves keeps the cut at a character boundary.
const MAX_NAME: usize = 255;
const MAX_DESCRIPTION: usize = 1024;
/// GitHub rejects a run with more results than this.
const MAX_RESULTS: usize = 25_000;

/// Rules whose findings depend on a category that may have been inferred from a name:
/// right most of the time, but a misnamed store yields a false positive.
const MEDIUM_PRECISION: [&str; 3] = ["ENC001", "ENC002", "KMS005"];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SarifOptions {
    /// Input path → the path to report, relative to the repository root the SARIF is
    /// uploaded against (the CLI reads `infra/` and names its files `main.tf`; GitHub needs
    /// `infra/main.tf`). Paths not listed are reported as they are.
    pub paths: BTreeMap<String, String>,
}

pub fn render_sarif(report: &Report, options: &SarifOptions) -> String {
    let value = sarif_log(report, options, registry());
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// The SARIF log as a JSON value, with `rules` as the run's rule set.
fn sarif_log(report: &Report, options: &SarifOptions, rules: &[&Rule]) -> Value {
    let mut descriptors: Vec<Value> = rules.iter().map(|r| descriptor(r)).collect();
    let mut index: HashMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.to_string(), i))
        .collect();
    // A finding from a rule outside the set (a report decoded from a permalink made by
    // another version) still needs a descriptor for GitHub to show it.
    for f in &report.findings {
        if !index.contains_key(&f.rule) {
            index.insert(f.rule.clone(), descriptors.len());
            descriptors.push(unknown_descriptor(f));
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<Value> = report
        .findings
        .iter()
        .take(MAX_RESULTS)
        .map(|f| {
            let hash = fingerprint(f);
            let n = seen.entry(hash.clone()).or_insert(0);
            *n += 1;
            result(report, options, f, index.get(&f.rule).copied(), &hash, *n)
        })
        .collect();
    let artifacts: Vec<Value> = report
        .input
        .files
        .iter()
        .map(|file| {
            let mut a = Map::new();
            a.insert("location".into(), artifact_location(options, &file.path));
            a.insert("roles".into(), json!(["analysisTarget"]));
            if !file.sha256.is_empty() {
                a.insert("hashes".into(), json!({ "sha-256": file.sha256 }));
            }
            Value::Object(a)
        })
        .collect();
    let mut notifications: Vec<Value> = report
        .errors()
        .map(|e| {
            let mut region = Map::new();
            if let Some(line) = e.line {
                region.insert("startLine".into(), json!(line.max(1)));
                if let Some(col) = e.column {
                    region.insert("startColumn".into(), json!(col.max(1)));
                }
            }
            let mut physical = Map::new();
            physical.insert(
                "artifactLocation".into(),
                artifact_location(options, &e.file),
            );
            if !region.is_empty() {
                physical.insert("region".into(), Value::Object(region));
            }
            json!({
                "level": "error",
                "message": { "text": e.message },
                "locations": [{ "physicalLocation": physical }],
            })
        })
        .collect();
    // What was not read is a warning of the run, not a result: no rule failed on it.
    notifications.extend(
        report
            .input
            .unread()
            .into_iter()
            .map(|text| json!({ "level": "warning", "message": { "text": text } })),
    );
    let metrics: Map<String, Value> = report
        .metrics
        .iter()
        .map(|(k, m)| {
            (
                k.clone(),
                json!({ "numerator": m.numerator, "denominator": m.denominator }),
            )
        })
        .collect();
    let mut properties = Map::new();
    properties.insert("metrics".into(), Value::Object(metrics));
    if let Some(b) = &report.baseline {
        properties.insert("baseline".into(), json!(b));
    }
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": TOOL_NAME,
                "version": VERSION,
                "semanticVersion": VERSION,
                "informationUri": REPOSITORY_URL,
                "rules": descriptors,
            }},
            "invocations": [{
                "executionSuccessful": !report.has_input_errors(),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": { SRCROOT: {
                "description": { "text": "The folder planlens was run from: paths are relative to it." },
            }},
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": properties,
        }],
    })
}

fn descriptor(rule: &Rule) -> Value {
    let doc = docs::RuleDoc::parse(rule);
    let what = one_line(&doc.what);
    let help = docs::markdown(rule);
    let precision = if MEDIUM_PRECISION.contains(&rule.id) {
        "medium"
    } else {
        "high"
    };
    let family: String = rule
        .id
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    json!({
        "id": rule.id,
        "name": clip(rule.name, MAX_NAME),
        "shortDescription": { "text": clip(first_sentence(&what), MAX_DESCRIPTION) },
        "fullDescription": { "text": clip(&what, MAX_DESCRIPTION) },
        "help": { "text": help, "markdown": help },
        "helpUri": format!("{REPOSITORY_URL}/blob/main/docs/rules/{}-{}.md", rule.id, rule.name),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": ["security", "terraform", "aws", rule.control.id(), control_tag(rule.control), family],
            "security-severity": security_severity(rule.severity),
            "precision": precision,
            "severity": rule.severity.as_str(),
            "resource_types": rule.resource_types,
            "peers": rule.peers.iter().map(|p| json!({ "tool": p.tool.label(), "id": p.id })).collect::<Vec<_>>(),
        },
    })
}

fn unknown_descriptor(f: &Finding) -> Value {
    let text = format!("{} {} (not a rule of planlens {VERSION})", f.rule, f.name);
    json!({
        "id": f.rule,
        "name": clip(&f.name, MAX_NAME),
        "shortDescription": { "text": clip(&text, MAX_DESCRIPTION) },
        "fullDescription": { "text": clip(&text, MAX_DESCRIPTION) },
        "help": { "text": text },
        "defaultConfiguration": { "level": level(f.severity) },
        "properties": {
            "tags": ["security", "terraform", "aws"],
            "security-severity": security_severity(f.severity),
        },
    })
}

fn result(
    report: &Report,
    options: &SarifOptions,
    f: &Finding,
    rule_index: Option<usize>,
    hash: &str,
    occurrence: usize,
) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.rule));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(f.severity)));
    r.insert("message".into(), json!({ "text": f.message }));
    r.insert("locations".into(), json!(location(report, options, f)));
    r.insert(
        "partialFingerprints".into(),
        json!({
            "planlensFinding/v1": hash,
            // GitHub matches alerts on this key only. A Terraform finding's identity is its
            // rule, address and attribute, not its line, so the same hash serves.
            "primaryLocationLineHash": format!("{}:{occurrence}", &hash[..16]),
        }),
    );
    // With a baseline, SARIF's own field says which results are new.
    if report.baseline.is_some() {
        let state = if super::baseline::is_baselined(f) {
            "unchanged"
        } else {
            "new"
        };
        r.insert("baselineState".into(), json!(state));
    }
    if let Some(s) = &f.suppressed {
        let kind = if s.by == "list" || s.by == super::baseline::BY_BASELINE {
            "external"
        } else {
            "inSource"
        };
        r.insert(
            "suppressions".into(),
            json!([{ "kind": kind, "justification": s.reason, "properties": { "by": s.by } }]),
        );
    }
    // SARIF's own fix object: byte-range replacements in the artifact (§3.55–3.57).
    if let Some(x) = &f.fix {
        let mut by_file: Vec<(&str, Vec<Value>)> = Vec::new();
        for e in &x.edits {
            let replacement = json!({
                "deletedRegion": { "byteOffset": e.start, "byteLength": e.end - e.start },
                "insertedContent": { "text": e.replacement },
            });
            match by_file.iter_mut().find(|(p, _)| *p == e.file) {
                Some((_, list)) => list.push(replacement),
                None => by_file.push((&e.file, vec![replacement])),
            }
        }
        let changes: Vec<Value> = by_file
            .into_iter()
            .map(|(path, replacements)| {
                json!({ "artifactLocation": artifact_location(options, path), "replacements": replacements })
            })
            .collect();
        r.insert(
            "fixes".into(),
            json!([{
                "description": { "text": format!("{} ({} fix)", x.description, x.safety.as_str()) },
                "artifactChanges": changes,
                "properties": { "safety": x.safety, "consequence": x.consequence, "plan": x.plan },
            }]),
        );
    }
    let mut props = Map::new();
    props.insert("severity".into(), json!(f.severity.as_str()));
    props.insert("address".into(), json!(f.address));
    props.insert("attribute".into(), json!(f.attribute));
    props.insert("category".into(), json!(f.category));
    props.insert("introduced".into(), json!(f.introduced));
    props.insert("evidence".into(), f.evidence.clone());
    if let Some(p) = &f.pointer {
        props.insert("pointer".into(), json!(p));
    }
    if let Some(d) = &f.decided_by {
        props.insert("decided_by".into(), json!(d));
    }
    if !f.related.is_empty() {
        props.insert("related".into(), json!(f.related));
    }
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

/// GitHub shows a result only with a location: a finding without a source file (a
/// project-level one) is placed on the first input file, as a whole.
fn location(report: &Report, options: &SarifOptions, f: &Finding) -> Vec<Value> {
    let file = f
        .file
        .as_deref()
        .or_else(|| report.input.files.first().map(|x| x.path.as_str()));
    let Some(file) = file else {
        return Vec::new();
    };
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), artifact_location(options, file));
    let mut loc = Map::new();
    match (f.line, &f.file) {
        (Some(line), Some(_)) => {
            physical.insert("region".into(), json!({ "startLine": line.max(1) }));
        }
        (None, Some(_)) => {
            // GitHub places an alert on a line: when the attribute's own line is not
            // known, the block of the resource that decided the finding is the truthful
            // next best.
            if let Some(line) = resource_line(report, f, file) {
                physical.insert("region".into(), json!({ "startLine": line.max(1) }));
                loc.insert(
                    "message".into(),
                    json!({ "text": "The resource's block: the attribute's own line is not known." }),
                );
            }
        }
        _ => {}
    }
    loc.insert("physicalLocation".into(), Value::Object(physical));
    if let Some(address) = &f.address {
        let mut logical = Map::new();
        logical.insert("fullyQualifiedName".into(), json!(address));
        logical.insert("kind".into(), json!("resource"));
        if let Some(attr) = &f.attribute {
            logical.insert("name".into(), json!(attr));
        }
        loc.insert("logicalLocations".into(), json!([logical]));
    }
    if let Some(pointer) = &f.pointer {
        loc.insert("properties".into(), json!({ "jsonPointer": pointer }));
    }
    vec![Value::Object(loc)]
}

/// The line where the resource deciding the finding (its companion, else itself) starts,
/// when that is in `file`.
pub(super) fn resource_line(report: &Report, f: &Finding, file: &str) -> Option<u32> {
    [f.decided_by.as_deref(), f.address.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|address| {
            report
                .resources
                .iter()
                .find(|r| r.address == address && r.file.as_deref() == Some(file))
                .and_then(|r| r.line)
        })
}

fn artifact_location(options: &SarifOptions, path: &str) -> Value {
    let shown = options.paths.get(path).map(String::as_str).unwrap_or(path);
    match file_uri(shown) {
        FileUri::Absolute(uri) => json!({ "uri": uri }),
        FileUri::Relative(uri) => json!({ "uri": uri, "uriBaseId": SRCROOT }),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum FileUri {
    Absolute(String),
    Relative(String),
}

/// A file path as a URI reference: relative paths stay relative (percent-encoded, `./`
/// dropped, `:` encoded so a first segment never reads as a scheme); absolute paths
/// become `file://` URIs.
fn file_uri(path: &str) -> FileUri {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if path.starts_with('/') {
        FileUri::Absolute(format!("file://{}", percent_encode(&path, true)))
    } else if drive {
        FileUri::Absolute(format!("file:///{}", percent_encode(&path, true)))
    } else {
        let mut rel = path.as_str();
        while let Some(rest) = rel.strip_prefix("./") {
            rel = rest;
        }
        FileUri::Relative(percent_encode(rel, false))
    }
}

fn percent_encode(s: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (keep_colon && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The finding's identity: rule, address and attribute (and, for findings about no
/// resource, the message, which names the provider or project). Baselines and GitLab's
/// Code Quality fingerprints use it too.
pub(super) fn fingerprint(f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [
        f.rule.as_str(),
        f.address.as_deref().unwrap_or(""),
        f.attribute.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    if f.address.is_none() {
        h.update(f.message.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub buckets scores: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low, 0.0 none.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn control_tag(c: Control) -> &'static str {
    match c {
        Control::AtRest => "encryption-at-rest",
        Control::InTransit => "encryption-in-transit",
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn first_sentence(s: &str) -> &str {
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

fn clip(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max_chars - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rules::{Context, Peer, PeerTool};

    fn no_check(_: &Context, _: &mut Vec<Finding>) {}

    static TEST_RULE: Rule = Rule {
        id: "TST001",
        name: "test-rule-fires",
        severity: Severity::High,
        control: Control::InTransit,
        resource_types: &["aws_lb_listener"],
        peers: &[Peer {
            tool: PeerTool::Checkov,
            id: "CKV_AWS_103",
        }],
        docs:
            " ## What it does\n Checks a thing. It is a test.\n\n ## Why is this bad?\n Because.\n",
        check: no_check,
    };

    fn finding(rule: &str, address: Option<&str>, attribute: Option<&str>) -> Finding {
        Finding {
            rule: rule.into(),
            name: "test-rule-fires".into(),
            severity: Severity::High,
            address: address.map(Into::into),
            attribute: attribute.map(Into::into),
            category: None,
            message: "m".into(),
            evidence: Value::Null,
            file: Some("main.tf".into()),
            line: Some(3),
            pointer: None,
            introduced: None,
            suppressed: None,
            related: vec![],
            decided_by: None,
            fix: None,
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report {
            tool: super::super::ToolInfo {
                name: "planlens".into(),
                version: VERSION.into(),
            },
            input: Default::default(),
            findings,
            resources: vec![],
            stores: vec![],
            keys: vec![],
            providers: vec![],
            missing_keys: vec![],
            metrics: BTreeMap::new(),
            baseline: None,
            access: vec![],
            decryptors: BTreeMap::new(),
            access_gaps: vec![],
        }
    }

    #[test]
    fn descriptor_carries_docs_severity_and_tags() {
        let d = descriptor(&TEST_RULE);
        assert_eq!(d["id"], "TST001");
        assert_eq!(d["shortDescription"]["text"], "Checks a thing.");
        assert_eq!(
            d["fullDescription"]["text"],
            "Checks a thing. It is a test."
        );
        assert_eq!(d["defaultConfiguration"]["level"], "error");
        assert_eq!(d["properties"]["security-severity"], "8.0");
        assert_eq!(d["properties"]["precision"], "high");
        assert_eq!(d["properties"]["tags"][3], "WAF-SEC-040");
        assert_eq!(d["properties"]["tags"][5], "tst");
        assert!(d["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("CKV_AWS_103"));
    }

    #[test]
    fn results_index_into_the_given_rules_and_unknown_rules_get_a_descriptor() {
        let r = report(vec![
            finding("TST001", Some("aws_lb_listener.a"), Some("ssl_policy")),
            finding("ZZZ999", Some("aws_lb_listener.a"), None),
        ]);
        let log = sarif_log(&r, &SarifOptions::default(), &[&TEST_RULE]);
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"][1]["id"], "ZZZ999");
        assert_eq!(run["results"][0]["ruleIndex"], 0);
        assert_eq!(run["results"][1]["ruleIndex"], 1);
    }

    #[test]
    fn fingerprints_ignore_lines_and_count_repeats() {
        let a = finding("TST001", Some("x.y"), Some("p"));
        let mut b = a.clone();
        b.line = Some(99);
        assert_eq!(fingerprint(&a), fingerprint(&b));
        let c = finding("TST001", Some("x.y"), Some("q"));
        assert_ne!(fingerprint(&a), fingerprint(&c));
        let log = sarif_log(&report(vec![a, b]), &SarifOptions::default(), &[&TEST_RULE]);
        let fp = |i: usize| {
            log["runs"][0]["results"][i]["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert!(
            fp(0).ends_with(":1") && fp(1).ends_with(":2"),
            "{} {}",
            fp(0),
            fp(1)
        );
    }

    #[test]
    fn uris_are_relative_encoded_or_file_uris() {
        assert_eq!(
            file_uri("./infra/main.tf"),
            FileUri::Relative("infra/main.tf".into())
        );
        assert_eq!(
            file_uri("my dir/a:b#c.tf"),
            FileUri::Relative("my%20dir/a%3Ab%23c.tf".into())
        );
        assert_eq!(
            file_uri("/tmp/plan.json"),
            FileUri::Absolute("file:///tmp/plan.json".into())
        );
        assert_eq!(
            file_uri("C:\\work\\plan.json"),
            FileUri::Absolute("file:///C:/work/plan.json".into())
        );
        assert_eq!(
            file_uri("modules/ü.tf"),
            FileUri::Relative("modules/%C3%BC.tf".into())
        );
    }

    #[test]
    fn descriptions_are_clipped_to_githubs_limits() {
        let long = "a".repeat(5000);
        assert_eq!(
            clip(&long, MAX_DESCRIPTION).chars().count(),
            MAX_DESCRIPTION
        );
        assert_eq!(clip("short", MAX_DESCRIPTION), "short");
    }
}
