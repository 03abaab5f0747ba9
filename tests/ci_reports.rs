//! The CI formats and baselines: `--format gitlab` validates against the Code Quality schema
//! written from GitLab's documentation (tests/schemas/gitlab-codequality.schema.json),
//! `--format junit` is well-formed and meets every rule of the Ant JUnit schema CI tools
//! read (checked here element by element, offline; tests/schemas/README.md), and
//! baselines round-trip through the CLI: same input → nothing new, exit 0; one new finding
//! → exit 1; a fixed finding → its entry reported as no longer occurring; moved lines →
//! still matched.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use planlens::engine::report::baseline::{self, Baseline};
use planlens::engine::report::{render_gitlab, render_junit, Report, SarifOptions};
use planlens::engine::rules::Severity;
use planlens::engine::{self, Options, SourceFile};
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn review(paths: &[&str]) -> Report {
    let files: Vec<SourceFile> = paths
        .iter()
        .map(|p| SourceFile::new(*p, std::fs::read(root().join(p)).unwrap()))
        .collect();
    let options = Options {
        now: Some("2026-11-29".into()),
        ..Options::default()
    };
    engine::check(&files, &options)
}

fn example() -> Report {
    review(&["src/example/seed.plan.json"])
}

/// Names with markup, quotes, control and bidi characters, from the hostile corpus.
fn hostile() -> Report {
    review(&[
        "tests/fixtures/hostile-content/hostile.tf",
        "tests/fixtures/hostile-content/hostile.plan.json",
    ])
}

// ---------------------------------------------------------------- GitLab

fn assert_valid_gitlab(text: &str) -> Vec<Value> {
    let schema: Value =
        serde_json::from_str(include_str!("schemas/gitlab-codequality.schema.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the Code Quality schema compiles");
    let value: Value = serde_json::from_str(text).expect("--format gitlab is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
    let issues = value.as_array().unwrap().clone();
    // Not expressible in the schema: GitLab keeps only the first issue of a fingerprint.
    let unique: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(unique.len(), issues.len(), "fingerprints must be unique");
    issues
}

#[test]
fn gitlab_of_the_example_is_valid_and_has_an_issue_per_counted_finding() {
    let report = example();
    let issues = assert_valid_gitlab(&render_gitlab(&report, &SarifOptions::default()));
    let counted: Vec<_> = report.findings.iter().filter(|f| f.counts()).collect();
    assert!(!counted.is_empty());
    assert_eq!(issues.len(), counted.len());
    for (issue, f) in issues.iter().zip(&counted) {
        assert_eq!(issue["check_name"], f.rule.as_str());
        let expected = match f.severity {
            Severity::Critical => "blocker",
            Severity::High => "critical",
            Severity::Medium => "major",
            Severity::Low => "minor",
            Severity::Info => "info",
        };
        assert_eq!(issue["severity"], expected);
        assert!(issue["description"]
            .as_str()
            .unwrap()
            .contains(f.message.as_str()));
        assert_eq!(issue["location"]["path"], "src/example/seed.plan.json");
        if let Some(line) = f.line {
            assert_eq!(issue["location"]["lines"]["begin"], line);
        }
    }
}

#[test]
fn gitlab_of_hostile_input_is_valid_and_leaves_suppressed_findings_out() {
    let report = hostile();
    let issues = assert_valid_gitlab(&render_gitlab(&report, &SarifOptions::default()));
    let counted = report.findings.iter().filter(|f| f.counts()).count();
    assert_eq!(issues.len(), counted);
    assert!(issues.len() > 3, "the hostile corpus has findings");
}

#[test]
fn gitlab_fingerprints_are_the_sarif_ones_and_repeat_findings_get_their_own() {
    let mut report = example();
    let sarif: Value = serde_json::from_str(&planlens::engine::report::render_sarif(
        &report,
        &SarifOptions::default(),
    ))
    .unwrap();
    let issues = assert_valid_gitlab(&render_gitlab(&report, &SarifOptions::default()));
    assert_eq!(
        issues[0]["fingerprint"],
        sarif["runs"][0]["results"][0]["partialFingerprints"]["planlensFinding/v1"]
    );
    let first = report.findings[0].clone();
    report.findings.push(first);
    assert_valid_gitlab(&render_gitlab(&report, &SarifOptions::default()));
}

#[test]
fn gitlab_paths_are_relative_to_the_repository() {
    let s = Scratch::new("gitlab-paths");
    s.write(
        "infra/main.tf",
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n",
    );
    let o = run_in(&s.0, &["check", "infra", "--format", "gitlab"]);
    let issues = assert_valid_gitlab(&stdout(&o));
    assert!(!issues.is_empty(), "{}", stderr(&o));
    for i in &issues {
        assert_eq!(i["location"]["path"], "infra/main.tf");
    }
    let rotation = issues
        .iter()
        .find(|i| i["check_name"] == "KMS001")
        .expect("KMS001 fires");
    assert_eq!(rotation["location"]["lines"]["begin"], 2);
}

// ---------------------------------------------------------------- JUnit

/// Checks a JUnit document against the Ant JUnit schema CI tools read (windyroad
/// `JUnit.xsd`, see tests/schemas/README.md), rule by rule, and that each suite's counts
/// are its cases'. Returns the suites' cases as (suite name, case name, outcome element).
fn assert_valid_junit(xml: &str) -> Vec<(String, String, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).expect("--format junit is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attributes().len(), 0, "testsuites has no attributes");
    let mut cases = Vec::new();
    for (i, suite) in elements(root).into_iter().enumerate() {
        assert_eq!(suite.tag_name().name(), "testsuite");
        check_attributes(
            suite,
            &[
                ("name", Kind::Token1, true),
                ("timestamp", Kind::Timestamp, true),
                ("hostname", Kind::Token1, true),
                ("tests", Kind::Int, true),
                ("failures", Kind::Int, true),
                ("errors", Kind::Int, true),
                ("skipped", Kind::Int, false),
                ("time", Kind::Decimal, true),
                ("package", Kind::Token, true),
                ("id", Kind::Int, true),
            ],
        );
        assert_eq!(suite.attribute("id"), Some(i.to_string().as_str()));
        let children = elements(suite);
        let names: Vec<&str> = children.iter().map(|c| c.tag_name().name()).collect();
        // <xs:sequence>: properties, testcase*, system-out, system-err.
        assert!(names.len() >= 3, "{names:?}");
        assert_eq!(names[0], "properties");
        assert_eq!(&names[names.len() - 2..], ["system-out", "system-err"]);
        assert!(names[1..names.len() - 2].iter().all(|n| *n == "testcase"));
        for p in elements(children[0]) {
            assert_eq!(p.tag_name().name(), "property");
            check_attributes(
                p,
                &[("name", Kind::Token1, true), ("value", Kind::Str, true)],
            );
        }
        assert_eq!(children[0].attributes().len(), 0);
        for out in &children[children.len() - 2..] {
            assert_eq!(out.attributes().len(), 0);
            assert!(elements(*out).is_empty(), "system-out/err hold text only");
        }
        let (mut failures, mut errors, mut skipped) = (0, 0, 0);
        let testcases = &children[1..children.len() - 2];
        for case in testcases {
            check_attributes(
                *case,
                &[
                    ("name", Kind::Token, true),
                    ("classname", Kind::Token, true),
                    ("time", Kind::Decimal, true),
                ],
            );
            // <xs:choice minOccurs="0">: at most one of skipped, error, failure.
            let inner = elements(*case);
            assert!(inner.len() <= 1, "one outcome per case");
            let outcome = inner.first().map(|e| e.tag_name().name().to_string());
            match outcome.as_deref() {
                None => {}
                Some("skipped") => skipped += 1,
                Some(kind @ ("error" | "failure")) => {
                    let e = inner[0];
                    check_attributes(
                        e,
                        &[("message", Kind::Str, false), ("type", Kind::Str, true)],
                    );
                    assert!(elements(e).is_empty(), "{kind} holds text only");
                    if kind == "error" {
                        errors += 1;
                    } else {
                        failures += 1;
                    }
                }
                Some(other) => panic!("unexpected <{other}> in a testcase"),
            }
            cases.push((
                suite.attribute("name").unwrap().to_string(),
                case.attribute("name").unwrap().to_string(),
                outcome,
            ));
        }
        let count = |a: &str| suite.attribute(a).unwrap().parse::<usize>().unwrap();
        assert_eq!(count("tests"), testcases.len());
        assert_eq!(count("failures"), failures);
        assert_eq!(count("errors"), errors);
        assert_eq!(count("skipped"), skipped);
    }
    cases
}

fn elements<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> Vec<roxmltree::Node<'a, 'i>> {
    for child in node.children() {
        if child.is_text() {
            // Element-only content: whitespace between elements, nothing else.
            let t = child.text().unwrap_or("");
            let text_content = ["system-out", "system-err", "failure", "error", "skipped"];
            assert!(
                t.trim().is_empty() || text_content.contains(&node.tag_name().name()),
                "stray text in <{}>: {t:?}",
                node.tag_name().name()
            );
        }
    }
    node.children().filter(|c| c.is_element()).collect()
}

#[derive(Clone, Copy)]
enum Kind {
    /// xs:string
    Str,
    /// xs:token
    Token,
    /// xs:token with minLength 1 (after whitespace collapse)
    Token1,
    /// xs:int
    Int,
    /// xs:decimal
    Decimal,
    /// ISO8601_DATETIME_PATTERN: xs:dateTime restricted to YYYY-MM-DDTHH:MM:SS, no zone
    Timestamp,
}

fn check_attributes(node: roxmltree::Node, allowed: &[(&str, Kind, bool)]) {
    let tag = node.tag_name().name();
    for a in node.attributes() {
        assert!(
            allowed.iter().any(|(n, _, _)| *n == a.name()) && a.namespace().is_none(),
            "<{tag}> does not allow attribute {}",
            a.name()
        );
    }
    for (name, kind, required) in allowed {
        let Some(v) = node.attribute(*name) else {
            assert!(!required, "<{tag}> needs {name}");
            continue;
        };
        let ok = match kind {
            Kind::Str | Kind::Token => true,
            Kind::Token1 => v.split_whitespace().next().is_some(),
            Kind::Int => v.trim().parse::<i32>().is_ok(),
            Kind::Decimal => {
                let t = v.trim().trim_start_matches(['+', '-']);
                let (a, b) = t.split_once('.').unwrap_or((t, ""));
                !(a.is_empty() && b.is_empty())
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && b.bytes().all(|c| c.is_ascii_digit())
            }
            Kind::Timestamp => {
                let b = v.as_bytes();
                b.len() == 19
                    && b.iter().enumerate().all(|(i, c)| match i {
                        4 | 7 => *c == b'-',
                        10 => *c == b'T',
                        13 | 16 => *c == b':',
                        _ => c.is_ascii_digit(),
                    })
            }
        };
        assert!(ok, "<{tag} {name}={v:?}> is not a valid value");
    }
}

#[test]
fn junit_of_the_example_is_schema_valid_with_a_case_per_rule_and_resource() {
    let report = example();
    let cases = assert_valid_junit(&render_junit(&report, Severity::High, Some("2026-11-29")));
    // Every rule × resource of a type it reads is a case.
    for rule in planlens::engine::rules::registry() {
        for r in report
            .resources
            .iter()
            .filter(|r| rule.resource_types.contains(&r.rtype.as_str()))
        {
            let suite = format!("{} {}", rule.id, rule.name);
            assert!(
                cases.iter().any(|(s, c, _)| *s == suite && *c == r.address),
                "no case {suite} × {}",
                r.address
            );
        }
    }
    // A case fails exactly when an unsuppressed finding on it reaches --fail-on.
    for (suite, case, outcome) in &cases {
        let rule = suite.split(' ').next().unwrap();
        let failing = report.findings.iter().any(|f| {
            f.rule == rule
                && f.counts()
                && f.severity >= Severity::High
                && f.address.as_deref().unwrap_or("") == case.as_str()
        });
        assert_eq!(
            outcome.as_deref() == Some("failure"),
            failing,
            "{suite} × {case}: {outcome:?}"
        );
    }
    let failures = cases
        .iter()
        .filter(|c| c.2.as_deref() == Some("failure"))
        .count();
    assert!(failures > 0);
    // A lower threshold fails more cases.
    let low = assert_valid_junit(&render_junit(&report, Severity::Low, None));
    let low_failures = low
        .iter()
        .filter(|c| c.2.as_deref() == Some("failure"))
        .count();
    assert!(low_failures > failures, "{low_failures} vs {failures}");
}

#[test]
fn junit_of_hostile_input_is_valid_and_keeps_the_names() {
    let report = hostile();
    let xml = render_junit(&report, Severity::Info, Some("2026-11-29"));
    let cases = assert_valid_junit(&xml);
    // Names come back as given, whitespace collapsed (xs:token); control characters are
    // shown as \u{…}, the only change.
    for f in report.findings.iter().filter(|f| f.address.is_some()) {
        let address = f.address.as_deref().unwrap();
        if address.chars().any(|c| (c as u32) < 0x20) {
            continue;
        }
        let expected = address.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            cases.iter().any(|(_, c, _)| *c == expected),
            "{expected:?} is not a case"
        );
    }
    assert!(
        cases.iter().any(|c| c.2.as_deref() == Some("skipped")) || {
            report.findings.iter().all(|f| f.counts())
        }
    );
}

#[test]
fn junit_reports_unreadable_input_as_errors() {
    let files = [
        SourceFile::new("broken.tf", b"resource \"aws_kms_key\" \"k\" {".to_vec()),
        SourceFile::new("ok.tf", b"resource \"aws_kms_key\" \"k2\" {}\n".to_vec()),
    ];
    let report = engine::check(&files, &Options::default());
    let cases = assert_valid_junit(&render_junit(&report, Severity::High, None));
    let input: Vec<_> = cases.iter().filter(|c| c.0 == "planlens input").collect();
    assert_eq!(input.len(), 2);
    assert_eq!(input[0].2.as_deref(), Some("error"));
    assert_eq!(input[1].2, None);
}

#[test]
fn the_junit_check_catches_broken_documents() {
    let good = render_junit(&example(), Severity::High, None);
    assert_valid_junit(&good);
    let broken = [
        good.replacen(" hostname=\"localhost\"", "", 1),
        {
            let at = good.find("timestamp=\"").unwrap() + "timestamp=\"".len() + 19;
            format!("{}Z{}", &good[..at], &good[at..])
        },
        good.replacen("<properties>", "<properties x=\"1\">", 1),
        good.replacen("<system-err></system-err>", "", 1),
        good.replacen(
            " time=\"0\"/>",
            " time=\"0\"><failure type=\"a\"/><skipped/></testcase>",
            1,
        ),
        good.replacen("tests=\"1\"", "tests=\"2\"", 1),
        good.replacen("</testsuites>", "", 1),
    ];
    for (i, doc) in broken.iter().enumerate() {
        assert!(doc != &good, "mutation {i} applied");
        let caught = std::panic::catch_unwind(|| {
            assert_valid_junit(doc);
        });
        assert!(caught.is_err(), "mutation {i} was not caught");
    }
}

// ---------------------------------------------------------------- baselines

/// As tests/cli.rs: the vendored SARIF schema, with its stray `]` escaped.
fn assert_valid_sarif(value: &Value) {
    let schema = include_str!("schemas/sarif-schema-2.1.0.json").replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
    );
    let schema: Value = serde_json::from_str(&schema).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

const KEY_A: &str = r#"resource "aws_kms_key" "a" {
  description             = "a"
  enable_key_rotation     = false
  deletion_window_in_days = 30
}
"#;

const KEY_B: &str = r#"resource "aws_kms_key" "b" {
  description             = "b"
  enable_key_rotation     = false
  deletion_window_in_days = 30
}
"#;

fn check(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "infra", "--fail-on", "medium"];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

#[test]
fn baseline_round_trip_same_input_nothing_new_exit_0() {
    let s = Scratch::new("baseline-same");
    s.write("infra/main.tf", KEY_A);
    let before = check(&s.0, &[]);
    assert_eq!(before.status.code(), Some(1), "KMS001 is medium");
    let written = check(&s.0, &["--write-baseline", "baseline.json"]);
    assert_eq!(
        written.status.code(),
        Some(1),
        "writing changes no exit code"
    );
    assert!(stderr(&written).contains("wrote the baseline of"));
    let text = std::fs::read_to_string(s.0.join("baseline.json")).unwrap();
    let b = Baseline::from_json(&text).expect("the written baseline reads back");
    assert!(b.findings.iter().any(|e| e.rule == "KMS001"
        && e.address.as_deref() == Some("aws_kms_key.a")
        && e.attribute.as_deref() == Some("enable_key_rotation")));

    let o = check(&s.0, &["--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
    assert_eq!(json["baseline"]["new"], 0);
    assert_eq!(json["baseline"]["baselined"], b.findings.len());
    assert_eq!(json["baseline"]["entries"], b.findings.len());
    assert_eq!(json["baseline"]["stale"].as_array().unwrap().len(), 0);

    let text = stdout(&check(&s.0, &["--baseline", "baseline.json"]));
    assert!(
        text.contains(&format!(
            "baseline: {n} findings already in the baseline ({n} entries) are not counted; 0 new; 0 baseline entries no longer occur",
            n = b.findings.len()
        )),
        "{text}"
    );
}

#[test]
fn baseline_one_new_finding_exits_1_and_is_the_only_one_reported() {
    let s = Scratch::new("baseline-new");
    s.write("infra/main.tf", KEY_A);
    check(&s.0, &["--write-baseline", "baseline.json"]);
    s.write("infra/b.tf", KEY_B);
    let o = check(&s.0, &["--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|f| f["address"] == "aws_kms_key.b"),
        "{findings:?}"
    );
    assert_eq!(json["baseline"]["new"], findings.len());

    // SARIF says so in its own field, and stays schema-valid (tests/cli.rs validates the rest).
    let o = check(&s.0, &["--baseline", "baseline.json", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    assert!(results.iter().all(|r| r["baselineState"] == "new"));
    assert_valid_sarif(&sarif);
    assert_eq!(
        sarif["runs"][0]["properties"]["baseline"]["new"],
        findings.len()
    );
    let md = stdout(&check(
        &s.0,
        &["--baseline", "baseline.json", "--format", "markdown"],
    ));
    assert!(md.contains("**Baseline**: "), "{md}");
    assert!(md.contains("are not counted"), "{md}");
}

#[test]
fn baseline_fixed_finding_is_reported_as_stale() {
    let s = Scratch::new("baseline-fixed");
    s.write("infra/main.tf", &format!("{KEY_A}{KEY_B}"));
    check(&s.0, &["--write-baseline", "baseline.json"]);
    s.write(
        "infra/main.tf",
        &format!(
            "{KEY_A}{}",
            KEY_B.replace("rotation     = false", "rotation     = true")
        ),
    );
    let o = check(&s.0, &["--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let stale = json["baseline"]["stale"].as_array().unwrap();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0]["rule"], "KMS001");
    assert_eq!(stale[0]["address"], "aws_kms_key.b");
    let text = stdout(&check(&s.0, &["--baseline", "baseline.json"]));
    assert!(
        text.contains("1 baseline entry no longer occurs")
            && text.contains("no longer occurs: KMS001 aws_kms_key.b · enable_key_rotation"),
        "{text}"
    );
    let md = stdout(&check(
        &s.0,
        &["--baseline", "baseline.json", "--format", "markdown"],
    ));
    assert!(md.contains("no longer occurs: `"), "{md}");
}

#[test]
fn baseline_survives_moved_lines() {
    let s = Scratch::new("baseline-moved");
    s.write("infra/main.tf", KEY_A);
    check(&s.0, &["--write-baseline", "baseline.json"]);
    s.write(
        "infra/main.tf",
        &format!("# a comment\n\n\nlocals {{ x = 1 }}\n\n{KEY_A}"),
    );
    let o = check(&s.0, &["--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_broken_baseline_is_unusable_input() {
    let s = Scratch::new("baseline-broken");
    s.write("infra/main.tf", KEY_A);
    s.write("baseline.json", "{\"findings\": []}");
    let o = check(&s.0, &["--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a planlens baseline"),
        "{}",
        stderr(&o)
    );
    let o = check(
        &s.0,
        &["--baseline", "baseline.json", "--write-baseline", "x.json"],
    );
    assert_eq!(o.status.code(), Some(2), "the two flags exclude each other");
}

#[test]
fn marking_keeps_baselined_findings_visible_for_the_page() {
    let report = example();
    let b = Baseline::of(&report);
    let mut marked = report.clone();
    baseline::mark(&mut marked, &b);
    assert_eq!(marked.findings.len(), report.findings.len());
    assert!(marked.worst().is_none(), "nothing new");
    let summary = marked.baseline.as_ref().unwrap();
    assert_eq!(summary.baselined, b.findings.len());
    for (before, after) in report.findings.iter().zip(&marked.findings) {
        assert_eq!(
            before.counts(),
            baseline::is_baselined(after),
            "{}",
            after.rule
        );
    }
    assert_eq!(
        marked
            .findings
            .iter()
            .filter(|f| baseline::is_baselined(f))
            .count(),
        b.findings.len()
    );
    // The page's SARIF export says which results the baseline holds, and stays valid.
    let sarif: Value = serde_json::from_str(&planlens::engine::report::render_sarif(
        &marked,
        &SarifOptions::default(),
    ))
    .unwrap();
    assert_valid_sarif(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let unchanged = results
        .iter()
        .filter(|r| r["baselineState"] == "unchanged")
        .count();
    assert_eq!(unchanged, b.findings.len());
    assert!(results
        .iter()
        .filter(|r| r["baselineState"] == "unchanged")
        .all(|r| r["suppressions"][0]["kind"] == "external"));
    // Repeated entries cover repeated findings, and no more.
    let mut twice = report.clone();
    let first = twice.findings.iter().find(|f| f.counts()).unwrap().clone();
    twice.findings.push(first);
    baseline::mark(&mut twice, &b);
    assert_eq!(twice.baseline.unwrap().new, 1);
}

/// The baseline the end-to-end test picks on the page (tests/e2e/baseline.test.mjs): the
/// built-in example's, less its first entry (so one finding is new) and with one entry for
/// a key that is gone (so one entry no longer occurs). `PLANLENS_BLESS=1` rewrites it.
#[test]
fn the_pages_baseline_fixture_is_the_examples_baseline_edited() {
    let files = [SourceFile::new(
        planlens::example::NAME,
        planlens::example::PLAN.as_bytes(),
    )];
    let report = engine::check(&files, &Options::default());
    let mut b = Baseline::of(&report);
    b.findings.remove(0);
    b.findings.push(baseline::BaselineEntry {
        rule: "KMS001".into(),
        address: Some("aws_kms_key.gone".into()),
        attribute: Some("enable_key_rotation".into()),
        fingerprint: "0".repeat(64),
    });
    let path = root().join("tests/fixtures/ci/example.baseline.json");
    if std::env::var_os("PLANLENS_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b.to_json()).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed,
        b.to_json(),
        "tests/fixtures/ci/example.baseline.json is stale: PLANLENS_BLESS=1 cargo test --test ci_reports"
    );
    let mut marked = report.clone();
    baseline::mark(&mut marked, &b);
    let s = marked.baseline.unwrap();
    assert_eq!(
        (s.new, s.stale.len(), s.baselined),
        (1, 1, b.findings.len() - 1)
    );
}
