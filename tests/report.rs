//! The renderers and the permalink codec, on the built-in example and on hand-built
//! reports with hostile strings: SARIF validates against the official 2.1.0 schema and
//! meets GitHub's requirements, Markdown cannot be injected into and fits a PR comment,
//! CSV parses back and neutralises formulas, JSON has SPEC §7's keys, and permalinks
//! round-trip and fail cleanly on anything forged.

use std::collections::{BTreeMap, BTreeSet};

use planlens::engine::category::Category;
use planlens::engine::metrics::{Metric, METRICS};
use planlens::engine::model::{FileKind, InputError, UnreadModule};
use planlens::engine::report::permalink::{
    self, Payload, PermalinkError, MAX_FRAGMENT_CHARS, MAX_JSON_BYTES, MAX_SHARE_CHARS,
};
use planlens::engine::report::{
    render_csv, render_markdown, render_sarif, FileSummary, InputSummary, Report, ResourceSummary,
    SarifOptions, ToolInfo, MAX_COMMENT,
};
use planlens::engine::rules::{docs, registry, Finding, Severity, Suppressed};
use planlens::engine::{self, Options, SourceFile};
use serde_json::{json, Value};

fn options() -> Options {
    Options {
        now: Some("2026-11-29".into()),
        ..Options::default()
    }
}

fn example() -> (engine::model::Model, Report) {
    let files = [SourceFile::new(
        planlens::example::NAME,
        planlens::example::PLAN.as_bytes(),
    )];
    let model = engine::input::load(&files);
    let report = engine::analyse(&model, &options());
    (model, report)
}

fn finding(rule: &str, severity: Severity, address: Option<&str>, message: &str) -> Finding {
    Finding {
        rule: rule.into(),
        name: format!("{}-name", rule.to_ascii_lowercase()),
        severity,
        address: address.map(Into::into),
        attribute: None,
        category: None,
        message: message.into(),
        evidence: Value::Null,
        file: Some("main.tf".into()),
        line: Some(1),
        pointer: None,
        introduced: None,
        suppressed: None,
        related: vec![],
        decided_by: None,
        fix: None,
    }
}

/// A report whose strings come from a hostile plan: Markdown, HTML, formulas, mentions.
fn hostile() -> Report {
    let evil = "aws_s3_bucket.x[\"<img src=x onerror=alert(1)>\"]";
    let mut a = finding(
        "ENC001",
        Severity::Critical,
        Some(evil),
        "Bucket [click](http://evil.example) tagged `data-class` = \"=HYPERLINK(1)\" @alice #12",
    );
    a.attribute = Some("tags.<b>x</b>|y".into());
    a.category = Some(Category::Pii);
    a.evidence = json!({"sse_algorithm": "AES256", "note": "```\n</details><script>x</script>"});
    a.introduced = Some(true);
    a.file = Some("dir with space/main.tf".into());
    a.line = Some(12);
    let mut b = finding(
        "KMS001",
        Severity::High,
        Some("aws_kms_key.k"),
        "=cmd|' /C calc'!A0",
    );
    b.suppressed = Some(Suppressed {
        reason: "accepted, see <ticket> @bob".into(),
        by: "planlens".into(),
    });
    let mut c = finding(
        "EBS001",
        Severity::Medium,
        None,
        "+provider aws.eu has no default",
    );
    c.file = None;
    c.line = None;
    let mut d = finding(
        "TLS001",
        Severity::Low,
        Some("aws_lb_listener.l"),
        "-1 policy, two\nlines, \"quoted\"",
    );
    d.file = Some("plan.json".into());
    d.line = None;
    d.pointer = Some("/planned_values/root_module/resources/0/values/ssl_policy".into());
    d.suppressed = Some(Suppressed {
        reason: "listed".into(),
        by: "list".into(),
    });
    d.related = vec!["aws_s3_bucket.a".into()];
    let e = finding(
        "ZZZ999",
        Severity::Info,
        Some("@everyone"),
        "\tstarts with tab",
    );
    let mut metrics = BTreeMap::new();
    metrics.insert(
        "kms_rotation".to_string(),
        Metric {
            numerator: 1,
            denominator: 2,
            addresses: vec!["aws_kms_key.a".into(), "aws_kms_key.k".into()],
            failing: vec!["aws_kms_key.k".into()],
        },
    );
    Report {
        tool: ToolInfo {
            name: "planlens".into(),
            version: "0.1.0".into(),
        },
        input: InputSummary {
            files: vec![
                FileSummary {
                    path: "dir with space/main.tf".into(),
                    kind: Some(FileKind::Hcl),
                    sha256: "ab".repeat(32),
                    resources: 2,
                    errors: vec![],
                },
                FileSummary {
                    path: "plan.json".into(),
                    kind: Some(FileKind::Plan),
                    sha256: "cd".repeat(32),
                    resources: 1,
                    errors: vec![],
                },
            ],
            timestamp: None,
            unread_modules: vec![UnreadModule {
                module: "module.logs".into(),
                source: "terraform-aws-modules/s3-bucket/aws".into(),
                version: Some("4.1.0".into()),
                reason: "a remote source (Terraform registry) that no .terraform/modules/modules.json says terraform init installed".into(),
                how_to_include: "run `terraform init` and review the folder with its .terraform/modules".into(),
            }],
            incomplete_plans: vec![],
            unjudged_types: vec![],
        },
        findings: vec![a, b, c, d, e],
        resources: vec![ResourceSummary {
            address: "aws_lb_listener.l".into(),
            rtype: "aws_lb_listener".into(),
            provider: "aws".into(),
            action: None,
            file: Some("plan.json".into()),
            line: Some(30),
        }],
        stores: vec![],
        keys: vec![],
        providers: vec![],
        missing_keys: vec![],
        metrics,
        baseline: None,
        access: vec![],
        decryptors: Default::default(),
        access_gaps: vec![],
    }
}

// ---------------------------------------------------------------- SARIF

const SARIF_SCHEMA: &str = include_str!("schemas/sarif-schema-2.1.0.json");

/// The official schema's `language` patterns (run, toolComponent) have a stray `]`, which is a literal in
/// most regex dialects but an error under the strict ECMA-262 check that `jsonschema`
/// applies to the schema itself. Escaping it keeps the pattern's meaning (and planlens
/// never sets `language`).
const STRAY_BRACKET: (&str, &str) = (
    r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
    r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
);

fn sarif_validator() -> jsonschema::Validator {
    assert_eq!(SARIF_SCHEMA.matches(STRAY_BRACKET.0).count(), 2);
    let patched = SARIF_SCHEMA.replace(STRAY_BRACKET.0, STRAY_BRACKET.1);
    let schema: Value = serde_json::from_str(&patched).expect("vendored schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) -> Value {
    let value: Value = serde_json::from_str(text).expect("SARIF output is JSON");
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
    value
}

/// What GitHub code scanning requires beyond the schema (docs.github.com, "SARIF support
/// for code scanning").
fn assert_github_ready(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().is_some());
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(run["tool"]["driver"]["name"], "planlens");
    for r in rules {
        let id = r["id"].as_str().expect("rule id");
        for field in ["shortDescription", "fullDescription", "help"] {
            let text = r[field]["text"].as_str().unwrap_or("");
            assert!(!text.is_empty(), "{id}: empty {field}.text");
        }
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                <= 1024
        );
        assert!(
            r["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .chars()
                .count()
                <= 1024
        );
        assert!(r["name"].as_str().unwrap_or("").chars().count() <= 255);
        assert!(r["properties"]["tags"].as_array().map_or(0, Vec::len) <= 20);
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .expect("security-severity is a string")
            .parse()
            .expect("security-severity is a number");
        assert!((0.0..=10.0).contains(&sev));
    }
    let results = run["results"].as_array().expect("results");
    assert!(results.len() <= 25_000);
    for res in results {
        let id = res["ruleId"].as_str().expect("ruleId");
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at its rule");
        assert!(!res["message"]["text"].as_str().unwrap_or("").is_empty());
        let locations = res["locations"].as_array().expect("locations");
        assert!((1..=10).contains(&locations.len()), "{id}: 1–10 locations");
        let uri = locations[0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(!uri.is_empty() && !uri.starts_with('/'), "{uri}: relative");
        assert!(res["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .is_some_and(|h| !h.is_empty()));
    }
}

#[test]
fn sarif_of_the_example_is_valid_and_github_ready() {
    let (_, report) = example();
    let text = render_sarif(&report, &SarifOptions::default());
    let log = assert_valid_sarif(&text);
    assert_github_ready(&log);
    let run = &log["runs"][0];
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let registry_ids: Vec<&str> = registry().iter().map(|r| r.id).collect();
    assert_eq!(ids, registry_ids, "every registry rule, in id order");
    assert_eq!(
        run["results"].as_array().unwrap().len(),
        report.findings.len()
    );
    assert_eq!(
        run["artifacts"][0]["hashes"]["sha-256"],
        report.input.files[0].sha256.as_str()
    );
    assert_eq!(
        text,
        render_sarif(&report, &SarifOptions::default()),
        "deterministic"
    );
}

#[test]
fn sarif_of_hostile_findings_is_valid_and_keeps_their_facts() {
    let report = hostile();
    let log = assert_valid_sarif(&render_sarif(&report, &SarifOptions::default()));
    assert_github_ready(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);

    let a = &results[0];
    assert_eq!(a["level"], "error");
    let loc = &a["locations"][0];
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"],
        json!({"uri": "dir%20with%20space/main.tf", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(loc["physicalLocation"]["region"]["startLine"], 12);
    assert_eq!(
        loc["logicalLocations"][0]["fullyQualifiedName"],
        report.findings[0].address.as_deref().unwrap()
    );
    assert_eq!(a["properties"]["category"], "pii");
    assert_eq!(a["properties"]["introduced"], true);
    assert_eq!(a["properties"]["evidence"]["sse_algorithm"], "AES256");
    assert!(a.get("suppressions").is_none());

    let b = &results[1];
    assert_eq!(b["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        b["suppressions"][0]["justification"],
        "accepted, see <ticket> @bob"
    );

    // A project-level finding without a file still gets a location: the first input file.
    let c = &results[2];
    assert_eq!(c["level"], "warning");
    assert_eq!(
        c["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir%20with%20space/main.tf"
    );
    assert!(c["locations"][0]["physicalLocation"]
        .get("region")
        .is_none());

    let d = &results[3];
    assert_eq!(d["suppressions"][0]["kind"], "external");
    assert_eq!(
        d["properties"]["pointer"],
        "/planned_values/root_module/resources/0/values/ssl_policy"
    );
    assert_eq!(
        d["locations"][0]["properties"]["jsonPointer"],
        d["properties"]["pointer"]
    );
    assert_eq!(d["level"], "note");
    // No line for the attribute: the resource's block is the place shown.
    assert_eq!(
        d["locations"][0]["physicalLocation"]["region"]["startLine"],
        30
    );

    // A rule this build does not know still has a descriptor to point at.
    let e = &results[4];
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(
        rules[e["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "ZZZ999"
    );

    let fps: BTreeSet<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["planlensFinding/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(fps.len(), 5, "distinct findings, distinct fingerprints");
}

#[test]
fn sarif_paths_can_be_mapped_to_the_repository_root() {
    let report = hostile();
    let mut options = SarifOptions::default();
    options
        .paths
        .insert("plan.json".into(), "infra/plan.json".into());
    let log: Value = serde_json::from_str(&render_sarif(&report, &options)).unwrap();
    assert_eq!(
        log["runs"][0]["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/plan.json"
    );
}

#[test]
fn sarif_fingerprints_survive_a_line_move() {
    let mut report = hostile();
    let before: Value =
        serde_json::from_str(&render_sarif(&report, &SarifOptions::default())).unwrap();
    report.findings[0].line = Some(40);
    let after: Value =
        serde_json::from_str(&render_sarif(&report, &SarifOptions::default())).unwrap();
    assert_eq!(
        before["runs"][0]["results"][0]["partialFingerprints"],
        after["runs"][0]["results"][0]["partialFingerprints"]
    );
}

#[test]
fn sarif_reports_input_errors_as_notifications() {
    let files = [SourceFile::new(
        "broken.json",
        &b"{\"format_version\": "[..],
    )];
    let report = engine::check(&files, &options());
    assert!(report.has_input_errors());
    let log = assert_valid_sarif(&render_sarif(&report, &SarifOptions::default()));
    let inv = &log["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert!(!inv["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn vendored_schema_is_the_published_file() {
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(SARIF_SCHEMA.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // tests/schemas/README.md records where it came from and this hash.
    assert_eq!(
        digest,
        "af47e7b67f24efe74076621fd3a5fbe7398add9e84fe820c971219a385895cea"
    );
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_has_the_spec_keys() {
    let (_, report) = example();
    let value: Value = serde_json::from_str(&report.to_json()).unwrap();
    let top: BTreeSet<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = [
        "tool",
        "input",
        "findings",
        "resources",
        "stores",
        "keys",
        "metrics",
        // beyond SPEC §7: the hierarchy's top and the category keys it lacks
        "providers",
        "missing_keys",
        // who can use each key (SPEC §7's access), per category who can decrypt, and
        // what the access model could not read
        "access",
        "decryptors",
        "access_gaps",
    ]
    .into_iter()
    .collect();
    assert_eq!(top, expected);
    assert_eq!(value["tool"]["name"], "planlens");
    for f in value["input"]["files"].as_array().unwrap() {
        for k in ["path", "kind", "sha256"] {
            assert!(f.get(k).is_some(), "input file lacks {k}");
        }
    }

    let hostile = hostile();
    let value: Value = serde_json::from_str(&hostile.to_json()).unwrap();
    let spec: BTreeSet<&str> = [
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
        "introduced",
        "suppressed",
    ]
    .into_iter()
    .collect();
    let plain: BTreeSet<&str> = value["findings"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(plain, spec, "a plain finding has exactly SPEC §7's keys");
    let extra: BTreeSet<&str> = value["findings"][3]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let added: BTreeSet<&str> = extra.difference(&spec).copied().collect();
    assert_eq!(added, ["pointer", "related"].into_iter().collect());
    assert_eq!(
        value["findings"][1]["suppressed"]["reason"],
        "accepted, see <ticket> @bob"
    );
    assert_eq!(value["findings"][0]["suppressed"], Value::Null);

    let back: Report = serde_json::from_str(&hostile.to_json()).unwrap();
    assert_eq!(back, hostile, "the JSON reads back into the same report");
}

// ---------------------------------------------------------------- Markdown

/// The Markdown outside fenced code blocks (inside them, nothing is interpreted).
fn outside_code_blocks(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<usize> = None;
    for line in md.lines() {
        let run = line.chars().take_while(|c| *c == '`').count();
        match fence {
            None if run >= 3 => fence = Some(run),
            Some(open) if run >= open && line.trim_start_matches('`').trim().is_empty() => {
                fence = None
            }
            Some(_) => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    assert!(fence.is_none(), "unclosed code block");
    out
}

#[test]
fn markdown_escapes_everything_from_the_input() {
    let full = render_markdown(&hostile(), Severity::High);
    let md = outside_code_blocks(&full);
    for raw in [
        "<img",
        "<b>",
        "<script",
        "](http",
        "<ticket>",
        "@alice",
        "@bob",
        "@everyone",
    ] {
        assert!(!md.contains(raw), "unescaped {raw:?} in:\n{md}");
    }
    // Exactly the <details> we opened and closed, however the evidence tries to close them.
    assert_eq!(md.matches("<details>").count(), 5);
    assert_eq!(md.matches("</details>").count(), 5);
    assert!(
        full.contains("````json"),
        "evidence with ``` gets a longer fence"
    );
    assert!(
        full.contains("</details><script>"),
        "evidence kept, inside its code block"
    );
}

#[test]
fn markdown_has_verdict_metrics_and_counts() {
    let md = render_markdown(&hostile(), Severity::High);
    assert!(
        md.contains("**❌ Fail**: 1 finding at or above high."),
        "{md}"
    );
    for (_, title) in METRICS {
        assert!(md.contains(title), "metric {title} missing");
    }
    assert!(
        md.contains("| CMKs with rotation enabled | 1 | 2 | 50% |"),
        "{md}"
    );
    assert!(
        md.contains("| 1 | 0 | 1 | 0 | 1 | 2 |"),
        "counts row:\n{md}"
    );
    assert!(md.contains("### Suppressed (2)"));
    let pass = render_markdown(&hostile(), Severity::Critical);
    assert!(pass.contains("**❌ Fail**: 1 finding at or above critical."));
    let mut clean = hostile();
    clean.findings.clear();
    // A module not read is never a pass.
    assert!(render_markdown(&clean, Severity::High)
        .contains("**⚠️ Incomplete**: no finding in what was read"));
    clean.input.unread_modules.clear();
    assert!(render_markdown(&clean, Severity::High).contains("**✅ Pass**: no findings."));
    let mut lower = hostile();
    lower.input.unread_modules.clear();
    lower.findings.retain(|f| f.severity < Severity::High);
    assert!(render_markdown(&lower, Severity::High)
        .contains("**✅ Pass**: no finding at or above high"));
    let mut broken = hostile();
    broken.input.files[1].errors.push(InputError {
        file: "plan.json".into(),
        line: Some(3),
        column: Some(7),
        message: "expected `,` <here>".into(),
        excerpt: None,
    });
    let md = render_markdown(&broken, Severity::High);
    assert!(md.contains("**⚠️ Incomplete**"));
    assert!(md.contains("` plan.json:3:7 `"));
    assert!(!md.contains("<here>"));
}

#[test]
fn markdown_stays_under_githubs_comment_limit() {
    let mut report = hostile();
    let template = report.findings[0].clone();
    report.findings = (0..3000)
        .map(|i| {
            let mut f = template.clone();
            f.address = Some(format!("aws_s3_bucket.bucket_{i}"));
            f.message = format!("Bucket {i} {}", "is not encrypted with a CMK. ".repeat(4));
            f
        })
        .collect();
    let md = render_markdown(&report, Severity::High);
    assert!(md.len() <= MAX_COMMENT, "{} bytes", md.len());
    let shown = md.matches("<details>").count();
    assert!(shown > 10, "some findings shown");
    let expected = format!("**{} more findings not shown**", 3000 - shown);
    assert!(md.contains(&expected), "missing {expected:?}");
}

#[test]
fn markdown_of_the_example_lists_each_finding() {
    let (_, report) = example();
    let md = render_markdown(&report, Severity::High);
    assert!(md.starts_with("## planlens review\n"));
    assert_eq!(md.matches("<details>").count(), report.findings.len());
}

// ---------------------------------------------------------------- CSV

/// RFC 4180 reader, enough to check the writer.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CRLF line ends");
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted, "unterminated quote");
    assert!(cell.is_empty() && row.is_empty(), "last row ends with CRLF");
    rows
}

#[test]
fn csv_round_trips_and_neutralises_formulas() {
    let report = hostile();
    let rows = parse_csv(&render_csv(&report));
    assert_eq!(rows.len(), 1 + report.findings.len());
    assert_eq!(
        rows[0],
        [
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
            "suppression_reason"
        ]
    );
    for r in &rows {
        assert_eq!(r.len(), 14);
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    let a = &rows[1];
    assert_eq!(a[0], "ENC001");
    assert_eq!(a[3], report.findings[0].address.as_deref().unwrap());
    assert_eq!(a[5], "pii");
    assert_eq!(a[6], report.findings[0].message);
    let evidence: Value = serde_json::from_str(&a[7]).unwrap();
    assert_eq!(evidence, report.findings[0].evidence);
    assert_eq!(
        (a[8].as_str(), a[9].as_str()),
        ("dir with space/main.tf", "12")
    );
    assert_eq!((a[11].as_str(), a[12].as_str()), ("true", "false"));
    assert_eq!(rows[2][6], "'=cmd|' /C calc'!A0");
    assert_eq!(
        (rows[2][12].as_str(), rows[2][13].as_str()),
        ("true", "accepted, see <ticket> @bob")
    );
    assert_eq!(rows[3][6], "'+provider aws.eu has no default");
    assert_eq!(rows[4][6], "'-1 policy, two\nlines, \"quoted\"");
    assert_eq!(rows[5][3], "'@everyone");
    assert_eq!(rows[5][6], "'\tstarts with tab");
}

#[test]
fn csv_of_the_example_has_a_row_per_finding() {
    let (_, report) = example();
    let rows = parse_csv(&render_csv(&report));
    assert_eq!(rows.len(), 1 + report.findings.len());
    for (row, f) in rows[1..].iter().zip(&report.findings) {
        assert_eq!(row[0], f.rule);
        assert_eq!(row[2], f.severity.as_str());
    }
}

// ---------------------------------------------------------------- permalink

/// `v1.` + base64url(zlib(bytes)), for any bytes (not only a payload).
fn fragment_of(bytes: &[u8]) -> String {
    use base64::Engine;
    let packed = planlens_zlib(bytes);
    format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    )
}

fn planlens_zlib(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 9)
}

#[test]
fn permalink_round_trips_the_example() {
    let (_, report) = example();
    let opts = options();
    let payload = Payload::new(&report, &opts);
    let fragment = permalink::encode(&payload);
    assert!(fragment.starts_with("v1."));
    assert!(fragment[3..]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let back = permalink::decode(&fragment).expect("decodes");
    assert_eq!(back, payload);
    assert_eq!(back.report, report);
    assert_eq!(back.files[0].sha256, report.input.files[0].sha256);
    assert!(back.input.is_none());
    assert_eq!(permalink::decode(&format!("#{fragment}")).unwrap(), payload);
    let link = permalink::link("https://planlens.example/", &payload);
    assert_eq!(permalink::decode(&link).unwrap(), payload);
}

#[test]
fn permalink_with_input_reruns_to_the_same_report() {
    let (model, report) = example();
    let mut opts = options();
    opts.config
        .suppressions
        .push(planlens::engine::config::Suppression {
            rule: "ENC003".into(),
            address: None,
            reason: "tagged later".into(),
        });
    let report_with_cfg = engine::analyse(&model, &opts);
    let mut payload = Payload::new(&report_with_cfg, &opts);
    let chars = payload.attach_input(&model).expect("the example fits");
    assert!(chars <= MAX_SHARE_CHARS);
    let back = permalink::decode(&permalink::encode(&payload)).unwrap();
    let sources = back.sources().expect("input carried");
    let rerun = engine::check(&sources, &back.options());
    assert_eq!(rerun.findings, report_with_cfg.findings);
    assert_eq!(rerun.input.files[0].sha256, report.input.files[0].sha256);
    assert_eq!(back.config.suppressions, opts.config.suppressions);
    assert_eq!(back.input_matches_hashes(), Some(true));
    let mut tampered = back.clone();
    if let Some(input) = tampered.input.as_mut() {
        input[0].text = input[0].text.replace("AES256", "aws:kms");
    }
    assert_eq!(tampered.input_matches_hashes(), Some(false));
    assert_eq!(Payload::new(&report, &opts).input_matches_hashes(), None);
}

#[test]
fn permalink_leaves_out_input_that_does_not_fit() {
    let filler: String = (0..60_000u32)
        .map(|i| format!("{:08x}", i.wrapping_mul(2_654_435_761)))
        .collect();
    let files = [SourceFile::new(
        "big.tf",
        format!("# {filler}\nresource \"aws_s3_bucket\" \"b\" {{}}\n"),
    )];
    let model = engine::input::load(&files);
    let report = engine::analyse(&model, &options());
    let mut payload = Payload::new(&report, &options());
    let err = payload.attach_input(&model).unwrap_err();
    assert!(matches!(err, PermalinkError::InputTooLarge { .. }), "{err}");
    assert!(payload.input.is_none(), "left without input");
    assert!(err.to_string().contains("32000"), "{err}");
}

#[test]
fn permalink_sizes_for_the_example() {
    let (model, report) = example();
    let mut payload = Payload::new(&report, &options());
    let without = permalink::encode(&payload).len();
    let with = payload.attach_input(&model).expect("fits");
    println!(
        "permalink for the built-in example ({} findings): {without} characters without input, {with} with input",
        report.findings.len()
    );
    assert!(without < with && with <= MAX_SHARE_CHARS);
}

#[test]
fn permalink_rejects_unknown_versions_by_name() {
    let err = permalink::decode("https://x.example/#v9.eJzLSM3JyQcABiwCFQ").unwrap_err();
    assert_eq!(
        err,
        PermalinkError::UnsupportedVersion { found: "v9".into() }
    );
    let msg = err.to_string();
    assert!(msg.contains("v9") && msg.contains("v1"), "{msg}");
}

#[test]
fn permalink_rejects_a_decompression_bomb_within_the_limit() {
    // 64 MiB of spaces inside a JSON string compress to ~64 KB: inflating stops at the cap.
    let mut json = b"{\"planlens\":\"".to_vec();
    json.resize(json.len() + 4 * MAX_JSON_BYTES, b' ');
    let fragment = fragment_of(&json);
    assert!(fragment.len() < MAX_FRAGMENT_CHARS);
    let started = std::time::Instant::now();
    let err = permalink::decode(&fragment).unwrap_err();
    assert_eq!(
        err,
        PermalinkError::TooLarge {
            max: MAX_JSON_BYTES
        }
    );
    assert!(started.elapsed().as_secs() < 20, "bounded work");
}

#[test]
fn permalink_rejects_truncated_and_garbage_links() {
    let (_, report) = example();
    let fragment = permalink::encode(&Payload::new(&report, &options()));
    for cut in [fragment.len() / 2, fragment.len() - 7, 5, 4] {
        let err = permalink::decode(&fragment[..cut]).unwrap_err();
        assert!(
            matches!(
                err,
                PermalinkError::Corrupt { .. } | PermalinkError::BadEncoding { .. }
            ),
            "cut at {cut}: {err}"
        );
    }
    assert_eq!(
        permalink::decode("v1."),
        Err(PermalinkError::Corrupt {
            detail: "it ends too early".into()
        })
    );
    assert!(matches!(
        permalink::decode("v1.%%%not-base64%%%"),
        Err(PermalinkError::BadEncoding { .. })
    ));
    assert!(matches!(
        permalink::decode("v1.AAAAAAAAAAAAAAAAAAAA"),
        Err(PermalinkError::Corrupt { .. })
    ));
    assert_eq!(
        permalink::decode("hello world"),
        Err(PermalinkError::NotAPermalink)
    );
    assert_eq!(permalink::decode(""), Err(PermalinkError::Empty));
}

#[test]
fn permalink_detects_flipped_bits() {
    let (_, report) = example();
    let fragment = permalink::encode(&Payload::new(&report, &options()));
    let bytes = raw_fragment_bytes_of(&fragment);
    let step = (bytes.len() / 97).max(1);
    let mut checked = 0;
    for i in (0..bytes.len()).step_by(step) {
        for bit in [0u8, 3, 7] {
            let mut b = bytes.clone();
            b[i] ^= 1 << bit;
            let forged = {
                use base64::Engine;
                format!(
                    "v1.{}",
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&b)
                )
            };
            let res = permalink::decode(&forged);
            assert!(
                res.is_err(),
                "a flipped bit at byte {i} bit {bit} went unnoticed"
            );
            checked += 1;
        }
    }
    assert!(checked > 200);
}

fn raw_fragment_bytes_of(fragment: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&fragment[3..])
        .unwrap()
}

#[test]
fn permalink_rejects_content_that_is_not_a_report() {
    let err = permalink::decode(&fragment_of(b"hello, not json")).unwrap_err();
    assert!(matches!(err, PermalinkError::NotJson { .. }), "{err}");
    for wrong in [&b"{\"a\":1}"[..], b"[1,2,3]", b"{\"planlens\":7}", b"null"] {
        let err = permalink::decode(&fragment_of(wrong)).unwrap_err();
        assert!(
            matches!(err, PermalinkError::WrongShape { .. }),
            "{}: {err}",
            String::from_utf8_lossy(wrong)
        );
    }
    // A real payload with one field of the wrong type.
    let (_, report) = example();
    let mut v = serde_json::to_value(Payload::new(&report, &options())).unwrap();
    v["report"]["findings"] = json!("many");
    let err = permalink::decode(&fragment_of(v.to_string().as_bytes())).unwrap_err();
    assert!(matches!(err, PermalinkError::WrongShape { .. }), "{err}");
    assert!(err.to_string().contains("not a planlens report"));
}

#[test]
fn permalink_survives_deep_nesting() {
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let err = permalink::decode(&fragment_of(deep.as_bytes())).unwrap_err();
    assert!(
        matches!(
            err,
            PermalinkError::NotJson { .. } | PermalinkError::WrongShape { .. }
        ),
        "{err}"
    );
}

#[test]
fn permalink_rejects_a_huge_fragment_before_decoding() {
    let huge = format!("v1.{}", "A".repeat(MAX_FRAGMENT_CHARS));
    let started = std::time::Instant::now();
    let err = permalink::decode(&huge).unwrap_err();
    assert!(matches!(err, PermalinkError::TooLong { .. }), "{err}");
    assert!(started.elapsed().as_millis() < 500);
}

#[test]
fn permalink_carries_a_hostile_report_unchanged() {
    let report = hostile();
    let payload = Payload::new(&report, &options());
    assert_eq!(
        permalink::decode(&permalink::encode(&payload))
            .unwrap()
            .report,
        report
    );
}

#[test]
fn zlib_helper_matches_the_codec() {
    // The hostile tests build streams with `fragment_of`; it must be what `encode` does.
    let (_, report) = example();
    let payload = Payload::new(&report, &options());
    let json = serde_json::to_vec(&payload).unwrap();
    assert_eq!(fragment_of(&json), permalink::encode(&payload));
}

#[test]
fn the_validator_catches_broken_sarif() {
    // Without this, a validator that accepted everything would pass the tests above.
    let (_, report) = example();
    let mut log: Value =
        serde_json::from_str(&render_sarif(&report, &SarifOptions::default())).unwrap();
    let validator = sarif_validator();
    assert!(validator.is_valid(&log));
    log["runs"][0]["results"] = json!([{ "ruleId": "X", "level": "fatal", "message": {} }]);
    assert!(
        !validator.is_valid(&log),
        "bad level and message without text"
    );
    log["runs"][0]["results"] = json!([]);
    log["runs"][0]["artifacts"] = json!([{ "location": { "uri": "a b\\c" } }]);
    assert!(
        !validator.is_valid(&log),
        "a uri with a space is not a URI reference"
    );
}

#[test]
fn exports_are_the_renderers_output() {
    use planlens::engine::report::{export, ExportFormat, ExportOptions};
    let (_, report) = example();
    let o = ExportOptions::default();
    let json = export(&report, ExportFormat::Json, &o);
    assert_eq!(json.text, report.to_json() + "\n");
    assert_eq!(
        (json.file_name, json.mime),
        ("planlens-report.json", "application/json")
    );
    let sarif = export(&report, ExportFormat::Sarif, &o);
    assert_eq!(sarif.text, render_sarif(&report, &SarifOptions::default()));
    assert_eq!(sarif.mime, "application/sarif+json");
    assert_eq!(
        export(&report, ExportFormat::Markdown, &o).text,
        render_markdown(&report, Severity::High)
    );
    assert_eq!(
        export(&report, ExportFormat::Csv, &o).text,
        render_csv(&report)
    );
}

// ---------------------------------------------------------------- snapshots
// What users see, for the built-in example. The findings change as rules land: re-bless
// with `INSTA_UPDATE=always cargo test --test report snapshot` (or `cargo insta accept`).

#[test]
fn snapshot_example_sarif() {
    let (_, report) = example();
    let mut log: Value =
        serde_json::from_str(&render_sarif(&report, &SarifOptions::default())).unwrap();
    // Each rule's help is its whole documentation page, which docs/rules/ already pins
    // (and which would be most of this snapshot); the test above checks it is there.
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap()
    {
        let help = &rule["help"]["markdown"];
        assert_eq!(rule["help"]["text"], *help);
        let id = rule["id"].as_str().unwrap();
        let doc = docs::markdown(planlens::engine::rules::rule(id).unwrap());
        assert_eq!(help.as_str(), Some(doc.as_str()));
        rule["help"] = json!({ "text": "(docs::markdown)", "markdown": "(docs::markdown)" });
    }
    insta::assert_snapshot!("example_sarif", serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn snapshot_example_json() {
    let (_, report) = example();
    insta::assert_snapshot!("example_json", report.to_json());
}

#[test]
fn snapshot_example_markdown() {
    let (_, report) = example();
    insta::assert_snapshot!("example_markdown", render_markdown(&report, Severity::High));
}

#[test]
fn snapshot_example_csv() {
    let (_, report) = example();
    // Snapshots store LF; the CRLF row ends are asserted by the CSV tests above.
    insta::assert_snapshot!("example_csv", render_csv(&report).replace("\r\n", "\n"));
}

#[test]
fn markdown_never_shows_a_lower_severity_in_place_of_a_higher_one() {
    let mut report = hostile();
    report.findings[0].address = Some(format!("aws_s3_bucket.{}", "x".repeat(70_000)));
    report.findings[0].message = "m".repeat(100_000);
    let md = render_markdown(&report, Severity::High);
    assert!(md.len() <= MAX_COMMENT);
    assert_eq!(
        md.matches("<details>").count(),
        0,
        "nothing after the critical one"
    );
    assert!(md.contains("**5 more findings not shown**"), "{md}");
    // A long message alone is cut, not dropped.
    let mut report = hostile();
    report.findings[0].message = "m".repeat(100_000);
    let md = render_markdown(&report, Severity::High);
    assert_eq!(md.matches("<details>").count(), 5);
    assert!(md.contains("more bytes cut"));
}

/// Fixes travel in SARIF's own `fixes` (byte-range replacements), valid against the schema.
#[test]
fn sarif_carries_the_fixes_of_tf_input() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/fixes/seed-mistakes/main.tf"),
    )
    .unwrap();
    let report = planlens::engine::check(
        &[planlens::engine::SourceFile::new("main.tf", text.clone())],
        &planlens::engine::Options::default(),
    );
    let log = assert_valid_sarif(&render_sarif(&report, &SarifOptions::default()));
    let results = log["runs"][0]["results"].as_array().unwrap();
    let kms = results
        .iter()
        .find(|r| r["ruleId"] == "KMS001")
        .expect("a KMS001 result");
    let fix = &kms["fixes"][0];
    assert_eq!(fix["properties"]["safety"], "safe");
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "main.tf");
    let r = &change["replacements"][0];
    let start = r["deletedRegion"]["byteOffset"].as_u64().unwrap() as usize;
    let len = r["deletedRegion"]["byteLength"].as_u64().unwrap() as usize;
    let mut fixed = text.clone();
    fixed.replace_range(
        start..start + len,
        r["insertedContent"]["text"].as_str().unwrap(),
    );
    assert!(fixed.contains("enable_key_rotation = true"));
    assert!(results.iter().filter(|r| r.get("fixes").is_some()).count() >= 12);
}
