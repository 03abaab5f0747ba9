//! The built binary, end to end: exit codes (0 clean, 1 at `--fail-on`, 2 unusable input),
//! every `--format` parses as what it claims to be, the permalink goes to stderr and
//! decodes to the report on stdout, and `rules` / `rule ID` print the registry.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Output;

use planlens::engine::report::permalink;
use planlens::engine::rules::{docs, registry, Severity};
use serde_json::Value;

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/example/seed.plan.json")
}

fn run(args: &[&str]) -> Output {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// The example's report as the CLI prints it, and the exit code its findings call for.
fn example_json() -> (Value, i32) {
    let path = example_path();
    let o = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).expect("--format json is JSON");
    let worst = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .filter_map(|f| f["severity"].as_str().and_then(Severity::parse))
        .max();
    let expected = if worst.is_some_and(|w| w >= Severity::High) {
        1
    } else {
        0
    };
    assert_eq!(o.status.code(), Some(expected), "{}", stderr(&o));
    (json, expected)
}

fn sarif_validator() -> jsonschema::Validator {
    // See tests/report.rs: the official schema's `language` patterns carry a stray `]`
    // that the strict regex check on the schema rejects; escaping it keeps the meaning.
    let schema = include_str!("schemas/sarif-schema-2.1.0.json").replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
    );
    let schema: Value = serde_json::from_str(&schema).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn json_output_and_exit_code_follow_the_findings() {
    let (json, _) = example_json();
    assert_eq!(json["tool"]["name"], "planlens");
    assert_eq!(json["input"]["files"][0]["kind"], "plan");
    assert_eq!(
        json["input"]["files"][0]["sha256"].as_str().map(str::len),
        Some(64)
    );
}

#[test]
fn the_cli_prints_the_same_document_as_the_library_export() {
    use planlens::engine::report::{export, ExportFormat, ExportOptions};
    use planlens::engine::{self, Options, SourceFile};
    let path = example_path();
    let bytes = std::fs::read(&path).unwrap();
    let arg = path.to_str().unwrap();
    let report = engine::check(
        &[SourceFile::new(arg, bytes)],
        // The plan's own timestamp decides expiry, so "now" does not matter here.
        &Options::default(),
    );
    let o = run(&["check", arg, "--format", "json"]);
    assert_eq!(
        stdout(&o),
        export(&report, ExportFormat::Json, &ExportOptions::default()).text
    );
}

#[test]
fn fail_on_moves_the_threshold() {
    let (json, _) = example_json();
    let path = example_path();
    let arg = path.to_str().unwrap();
    let any = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["suppressed"].is_null());
    let o = run(&["check", arg, "--format", "json", "--fail-on", "info"]);
    assert_eq!(o.status.code(), Some(i32::from(any)));
    let o = run(&["check", arg, "--fail-on", "bogus"]);
    assert_eq!(o.status.code(), Some(2), "a bad flag is a usage error");
}

#[test]
fn sarif_output_validates_against_the_schema() {
    let (json, code) = example_json();
    let path = example_path();
    let o = run(&["check", path.to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(code));
    let log: Value = serde_json::from_str(&stdout(&o)).expect("SARIF is JSON");
    let validator = sarif_validator();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(
        log["runs"][0]["results"].as_array().unwrap().len(),
        json["findings"].as_array().unwrap().len()
    );
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        registry().len()
    );
}

#[test]
fn markdown_and_csv_outputs_parse() {
    let (json, code) = example_json();
    let findings = json["findings"].as_array().unwrap().len();
    let path = example_path();
    let arg = path.to_str().unwrap();
    let md = run(&["check", arg, "--format", "markdown"]);
    assert_eq!(md.status.code(), Some(code));
    let md = stdout(&md);
    assert!(md.starts_with("## planlens review\n"), "{md}");
    assert_eq!(md.matches("<details>").count(), findings);

    let csv = run(&["check", arg, "--format", "csv"]);
    assert_eq!(csv.status.code(), Some(code));
    let csv = stdout(&csv);
    assert!(csv.starts_with("rule,name,severity,address,attribute,category,message,"));
    // Rows end in CRLF; a quoted cell may hold a bare LF but never CRLF.
    assert_eq!(csv.matches("\r\n").count(), 1 + findings);
}

#[test]
fn sarif_paths_are_relative_to_the_working_directory() {
    let scratch = Scratch::new("paths");
    let plan = scratch.write(
        "infra/plan.json",
        &std::fs::read_to_string(example_path()).unwrap(),
    );
    scratch.write("modules/kms/main.tf", "resource \"aws_kms_key\" \"k\" {}\n");
    for arg in [
        "infra/plan.json",
        "./infra/plan.json",
        plan.to_str().unwrap(),
    ] {
        let o = run_in(&scratch.0, &["check", arg, "--format", "sarif"]);
        let log: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let uri = &log["runs"][0]["artifacts"][0]["location"]["uri"];
        assert_eq!(uri, "infra/plan.json", "for {arg}");
    }
    let o = run_in(&scratch.0, &["check", "modules", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        log["runs"][0]["artifacts"][0]["location"]["uri"],
        "modules/kms/main.tf"
    );
}

#[test]
fn unusable_input_exits_2_and_says_why() {
    let scratch = Scratch::new("broken");
    let broken = scratch.write(
        "broken.json",
        "{\"format_version\": \"1.2\", \"planned_values\": ",
    );
    for format in ["text", "json", "sarif", "markdown", "csv"] {
        let o = run(&["check", broken.to_str().unwrap(), "--format", format]);
        assert_eq!(o.status.code(), Some(2), "{format}");
        assert!(
            stderr(&o).contains("broken.json"),
            "{format}: {}",
            stderr(&o)
        );
        if format == "json" || format == "sarif" {
            let _: Value = serde_json::from_str(&stdout(&o)).expect("still a document");
        }
    }
    let o = run(&["check", "/nonexistent/planlens/plan.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("plan.json"));
}

#[test]
fn permalink_goes_to_stderr_and_decodes_to_the_report() {
    let path = example_path();
    let arg = path.to_str().unwrap();
    let plain = run(&["check", arg, "--format", "json"]);
    let o = run(&[
        "check",
        arg,
        "--format",
        "json",
        "--permalink",
        "https://planlens.example/",
    ]);
    assert_eq!(o.status.code(), plain.status.code());
    assert_eq!(stdout(&o), stdout(&plain), "stdout stays the report");
    let err = stderr(&o);
    let link = err
        .lines()
        .find(|l| l.starts_with("https://planlens.example/#v1."))
        .unwrap_or_else(|| panic!("no link in stderr: {err}"));
    let payload = permalink::decode(link).expect("the link decodes");
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(serde_json::to_value(&payload.report).unwrap(), json);
    assert!(payload.input.is_none(), "no input unless asked");

    let o = run(&[
        "check",
        arg,
        "--permalink",
        "https://planlens.example/",
        "--permalink-with-input",
    ]);
    let err = stderr(&o);
    let link = err
        .lines()
        .find(|l| l.starts_with("https://planlens.example/#v1."))
        .unwrap();
    let payload = permalink::decode(link).unwrap();
    let input = payload.input.expect("the example fits in a link");
    assert_eq!(input[0].text, std::fs::read_to_string(&path).unwrap());

    let o = run(&["check", arg, "--permalink-with-input"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "--permalink-with-input needs --permalink"
    );
}

#[test]
fn rules_lists_the_registry() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), registry().len());
    for (line, rule) in lines.iter().zip(registry()) {
        assert!(line.starts_with(rule.id), "{line}");
        assert!(line.ends_with(rule.name), "{line}");
        assert!(line.contains(rule.severity.as_str()), "{line}");
    }
}

#[test]
fn rule_prints_its_docs_and_unknown_ids_exit_2() {
    for r in registry() {
        for key in [
            r.id.to_string(),
            r.id.to_ascii_lowercase(),
            r.name.to_string(),
        ] {
            let o = run(&["rule", &key]);
            assert_eq!(o.status.code(), Some(0), "{key}");
            assert_eq!(stdout(&o), docs::markdown(r), "{key}");
        }
    }
    let o = run(&["rule", "NOPE999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("NOPE999"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn local_modules_outside_the_folder_given_are_read_from_disk() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/input/hcl/outside");
    let o = run_in(&dir, &["check", "envs/prod", "--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&o)).expect("JSON report");
    let addresses: Vec<&str> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(addresses, vec!["module.store.aws_dynamodb_table.this"]);
    // The module's file is named as Terraform finds it from the folder given.
    let files: Vec<&str> = report["input"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["main.tf", "../../modules/store/main.tf"]);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "ENC001" && f["address"] == "module.store.aws_dynamodb_table.this"));
    // The path that does not exist is named, not dropped.
    let unread = report["input"]["unread_modules"].as_array().unwrap();
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0]["module"], "module.missing");
    assert_eq!(unread[0]["source"], "../../modules/not-there");
}

#[test]
fn unread_modules_are_named_in_every_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/input/hcl/installed");
    let scratch = Scratch::new("unread");
    scratch.write(
        "main.tf",
        &std::fs::read_to_string(dir.join("main.tf")).unwrap(),
    );
    let path = scratch.0.to_string_lossy().to_string();
    let text = stdout(&run(&["check", &path]));
    assert!(
        text.contains("not reviewed: 2 modules were not read: their resources are not reviewed"),
        "{text}"
    );
    assert!(
        text.contains("not reviewed: module.bucket (terraform-aws-modules/s3-bucket/aws ~> 4.1)"),
        "{text}"
    );
    let md = stdout(&run(&["check", &path, "--format", "markdown"]));
    assert!(
        md.contains("**⚠️ Incomplete**") && md.contains("> **Not reviewed**"),
        "{md}"
    );
    let sarif: Value =
        serde_json::from_str(&stdout(&run(&["check", &path, "--format", "sarif"]))).unwrap();
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes.iter().any(|n| n["level"] == "warning"
        && n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("module.audit")));
    let json: Value =
        serde_json::from_str(&stdout(&run(&["check", &path, "--format", "json"]))).unwrap();
    assert_eq!(json["input"]["unread_modules"].as_array().unwrap().len(), 2);
    // With .terraform/modules present, the CLI reads the installed modules.
    let json: Value =
        serde_json::from_str(&stdout(&run_in(&dir, &["check", ".", "--format", "json"]))).unwrap();
    let unread = json["input"]["unread_modules"].as_array().unwrap();
    assert_eq!(unread.len(), 1, "{unread:?}");
    assert_eq!(unread[0]["module"], "module.audit");
    assert!(json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["address"] == "module.bucket.aws_s3_bucket.this"));
}

#[test]
fn an_errored_plan_is_named_in_every_output() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/input/errored-plan/plan.json")
        .to_string_lossy()
        .to_string();
    let text = stdout(&run(&["check", &plan]));
    assert!(
        text.contains("Terraform saved this plan although planning failed"),
        "{text}"
    );
    let json: Value =
        serde_json::from_str(&stdout(&run(&["check", &plan, "--format", "json"]))).unwrap();
    let incomplete = json["input"]["incomplete_plans"].as_array().unwrap();
    assert_eq!(incomplete.len(), 1);
    assert!(incomplete[0]["reason"]
        .as_str()
        .unwrap()
        .contains("\"errored\": true"));
    let md = stdout(&run(&["check", &plan, "--format", "markdown"]));
    assert!(
        md.contains("> **Not reviewed**") && md.contains("planning failed"),
        "{md}"
    );
    let sarif: Value =
        serde_json::from_str(&stdout(&run(&["check", &plan, "--format", "sarif"]))).unwrap();
    assert!(
        sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["level"] == "warning"
                && n["message"]["text"]
                    .as_str()
                    .unwrap()
                    .contains("planning failed"))
    );
}
