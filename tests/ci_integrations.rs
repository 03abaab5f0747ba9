//! The CI integrations, run here as far as a machine without GitHub, GitLab or pre-commit
//! allows: action.yml validates against the schema written from GitHub's metadata
//! documentation and everything it references exists; scripts/github-action.sh runs each
//! step with a fake GITHUB_* environment (outputs, job summary, SARIF, permalink, extra
//! formats, baseline, unusable input, the failing step, the cache key, the install step with
//! a stand-in cargo); .pre-commit-hooks.yaml validates against the schema written from
//! pre-commit's documentation and its entry reviews the changed folders of a fixture repo;
//! every YAML snippet in docs/ci.md parses.

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use planlens::engine::report::permalink;
use serde_json::{json, Value};
use yaml_rust2::{Yaml, YamlLoader};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

// ---------------------------------------------------------------- YAML

/// A YAML document as JSON (mapping keys as strings), for the JSON schemas.
fn yaml_to_json(y: &Yaml) -> Value {
    match y {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(s.clone())),
        Yaml::Integer(i) => json!(i),
        Yaml::String(s) => json!(s),
        Yaml::Boolean(b) => json!(b),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect()),
        Yaml::Hash(h) => Value::Object(
            h.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        other => panic!("unexpected YAML key {other:?}"),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Yaml::Null => Value::Null,
        Yaml::Alias(_) | Yaml::BadValue => panic!("unsupported YAML node {y:?}"),
    }
}

fn load_yaml(text: &str, what: &str) -> Value {
    let docs = YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(docs.len(), 1, "{what}: one YAML document");
    yaml_to_json(&docs[0])
}

fn assert_schema(schema_file: &str, value: &Value) {
    let schema: Value = serde_json::from_str(&read(schema_file)).unwrap();
    let validator = jsonschema::options()
        .build(&schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{schema_file} violations:\n{}",
        errors.join("\n")
    );
}

/// Every `${{ … }}` expression in a string tree.
fn expressions(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(i) = rest.find("${{") {
                let after = &rest[i + 3..];
                let end = after.find("}}").expect("closed expression");
                out.push(after[..end].trim().to_string());
                rest = &after[end + 2..];
            }
        }
        Value::Array(a) => a.iter().for_each(|x| expressions(x, out)),
        Value::Object(o) => o.values().for_each(|x| expressions(x, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------- action.yml

fn action() -> Value {
    load_yaml(&read("action.yml"), "action.yml")
}

#[test]
fn action_yml_is_valid_composite_action_metadata() {
    let action = action();
    assert_schema("tests/schemas/github-action.schema.json", &action);

    let inputs: BTreeSet<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for wanted in ["path", "fail-on", "format", "baseline", "config"] {
        assert!(inputs.contains(wanted), "input {wanted}");
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    let ids: BTreeSet<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();

    // Every expression names a declared input, an earlier step, the runner or a context
    // GitHub provides.
    let mut exprs = Vec::new();
    expressions(&action, &mut exprs);
    assert!(!exprs.is_empty());
    for e in &exprs {
        for word in e.split(|c: char| c.is_whitespace() || "!=()'".contains(c)) {
            if let Some(name) = word.strip_prefix("inputs.") {
                assert!(inputs.contains(name), "{e}: no input {name}");
            } else if let Some(rest) = word.strip_prefix("steps.") {
                let id = rest.split('.').next().unwrap();
                assert!(ids.contains(id), "{e}: no step {id}");
            } else if !word.is_empty() {
                assert!(
                    word.starts_with("runner.") || word == "0",
                    "{e}: unexpected {word}"
                );
            }
        }
    }

    // Every input reaches the script, as the INPUT_* variable it reads.
    let script = read("scripts/github-action.sh");
    let run = steps.iter().find(|s| s["id"] == "run").unwrap();
    for name in &inputs {
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        assert_eq!(
            run["env"][&var],
            format!("${{{{ inputs.{name} }}}}"),
            "{var} passes the {name} input"
        );
        assert!(script.contains(&var), "the script reads {var}");
    }
    // Every run step calls a subcommand the script has.
    for s in steps.iter().filter(|s| s.get("run").is_some()) {
        assert_eq!(s["shell"], "bash");
        let cmd = s["run"].as_str().unwrap();
        let sub = cmd
            .strip_prefix("\"$GITHUB_ACTION_PATH/scripts/github-action.sh\" ")
            .unwrap_or_else(|| panic!("{cmd} runs the script"));
        assert!(
            script.contains(&format!("\n  {sub}) cmd_")),
            "subcommand {sub}"
        );
    }
    // The action's outputs are the run step's.
    for (name, o) in action["outputs"].as_object().unwrap() {
        assert_eq!(
            o["value"],
            format!("${{{{ steps.run.outputs.{name} }}}}"),
            "{name}"
        );
    }
    // The build is cached under a key of the sources, and the SARIF is left for
    // github/codeql-action/upload-sarif.
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    assert_eq!(cache["with"]["key"], "${{ steps.key.outputs.key }}");
}

// ---------------------------------------------------------------- the action's script

/// Runs `scripts/github-action.sh SUB` in `dir` with a fake runner environment; returns
/// the process output and the GITHUB_OUTPUT lines.
fn script(dir: &Scratch, sub: &str, env: &[(&str, &str)]) -> (Output, BTreeMap<String, String>) {
    let outputs = dir.path("github_output");
    let summary = dir.path("step_summary");
    std::fs::write(&outputs, "").unwrap();
    if !summary.exists() {
        std::fs::write(&summary, "").unwrap();
    }
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts/github-action.sh"))
        .arg(sub)
        .current_dir(&dir.0)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_PATH", dir.path("github_path"))
        .env("GITHUB_WORKSPACE", &dir.0)
        .env("GITHUB_ACTIONS", "true")
        .env("RUNNER_TEMP", dir.path("runner_temp"))
        .env("PLANLENS", BIN);
    for k in [
        "INPUT_PATH",
        "INPUT_FAIL_ON",
        "INPUT_FORMAT",
        "INPUT_BASELINE",
        "INPUT_CONFIG",
        "INPUT_PERMALINK_BASE",
        "INPUT_OUTPUT_DIR",
    ] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    let mut map = BTreeMap::new();
    for line in std::fs::read_to_string(&outputs).unwrap().lines() {
        let (k, v) = line.split_once('=').expect("name=value");
        assert!(
            map.insert(k.to_string(), v.to_string()).is_none(),
            "{k} set twice"
        );
    }
    (out, map)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn infra(s: &Scratch) {
    s.write(
        "infra/main.tf",
        &std::fs::read_to_string(root().join("tests/fixtures/ENC001/bad.tf")).unwrap(),
    );
}

#[test]
fn action_run_writes_outputs_summary_sarif_and_extras() {
    let s = Scratch::new("action-run");
    infra(&s);
    let (o, out) = script(
        &s,
        "run",
        &[
            ("INPUT_PATH", "infra"),
            ("INPUT_FAIL_ON", "high"),
            ("INPUT_FORMAT", "junit, gitlab csv"),
            ("INPUT_PERMALINK_BASE", "https://planlens.example/app/"),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    // The counts are the JSON report's.
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&out["json"]).unwrap()).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let mut total = 0;
    for sev in ["critical", "high", "medium", "low", "info"] {
        let n = findings
            .iter()
            .filter(|f| f["severity"] == sev && f["suppressed"].is_null())
            .count();
        assert_eq!(out[sev], n.to_string(), "{sev}");
        total += n;
    }
    assert_eq!(out["total"], total.to_string());
    assert_eq!(out["exit-code"], "1", "ENC001/bad.tf has critical findings");
    assert_eq!(out["baselined"], "0");
    // SARIF, ready for upload-sarif, with paths relative to the workspace.
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&out["sarif"]).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert_eq!(uri, "infra/main.tf");
    // The job summary is the Markdown report, then the permalink.
    let summary = std::fs::read_to_string(s.path("step_summary")).unwrap();
    assert!(summary.starts_with("## planlens review"), "{summary}");
    assert!(summary.contains("**❌ Fail**"));
    let link = &out["permalink"];
    assert!(
        link.starts_with("https://planlens.example/app/#v1."),
        "{link}"
    );
    assert!(summary.contains(link.as_str()));
    let payload = permalink::decode(link).expect("the permalink decodes");
    assert_eq!(payload.report.findings.len(), findings.len());
    // Extras: one output each, each the format asked for.
    let junit = std::fs::read_to_string(&out["junit"]).unwrap();
    assert!(roxmltree::Document::parse(&junit).is_ok());
    let gitlab: Value =
        serde_json::from_str(&std::fs::read_to_string(&out["gitlab"]).unwrap()).unwrap();
    assert_eq!(gitlab.as_array().unwrap().len(), total);
    assert!(std::fs::read_to_string(&out["csv"])
        .unwrap()
        .starts_with("rule,"));
    // The log shows the text report, and the permalink is not repeated there.
    let log = text(&o);
    assert!(log.contains("findings (critical"), "{log}");
    assert!(!log.contains("#v1."), "{log}");
}

#[test]
fn action_run_with_a_baseline_counts_only_new_findings() {
    let s = Scratch::new("action-baseline");
    infra(&s);
    let w = Command::new(BIN)
        .args(["check", "infra", "--write-baseline", "baseline.json"])
        .current_dir(&s.0)
        .output()
        .unwrap();
    assert!(s.path("baseline.json").exists(), "{}", text(&w));
    let (o, out) = script(
        &s,
        "run",
        &[("INPUT_PATH", "infra"), ("INPUT_BASELINE", "baseline.json")],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(out["exit-code"], "0");
    assert_eq!(out["total"], "0");
    assert_ne!(out["baselined"], "0");
    assert_eq!(out["stale"], "0");
    assert!(!out.contains_key("permalink") || out["permalink"].is_empty());
    let summary = std::fs::read_to_string(s.path("step_summary")).unwrap();
    assert!(summary.contains("**Baseline**"), "{summary}");
}

#[test]
fn action_run_reports_unusable_input_and_finish_fails_the_job() {
    let s = Scratch::new("action-broken");
    s.write("infra/main.tf", "resource \"aws_kms_key\" \"k\" {\n");
    let (o, out) = script(
        &s,
        "run",
        &[("INPUT_PATH", "infra"), ("INPUT_OUTPUT_DIR", "reports")],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(out["exit-code"], "2");
    assert!(out["sarif"].ends_with("reports/planlens.sarif"));
    assert!(s.path("reports/planlens.sarif").exists());
    assert!(text(&o).contains("planlens: "), "the input error is logged");

    for (code, message) in [("1", "findings at or above"), ("2", "could not be read")] {
        let (o, _) = script(&s, "finish", &[("CODE", code)]);
        assert_eq!(o.status.code(), Some(code.parse().unwrap()));
        assert!(text(&o).contains(message), "{}", text(&o));
    }
    let (o, _) = script(&s, "finish", &[("CODE", "0")]);
    assert!(o.status.success());
}

#[test]
fn action_key_is_stable_and_names_the_platform() {
    let s = Scratch::new("action-key");
    let (o1, a) = script(&s, "key", &[]);
    let (_, b) = script(&s, "key", &[]);
    assert!(o1.status.success(), "{}", text(&o1));
    let key = &a["key"];
    assert_eq!(key, &b["key"]);
    let hash = key.rsplit('-').next().unwrap();
    assert!(key.starts_with("planlens-"), "{key}");
    assert_eq!(hash.len(), 16);
    assert!(hash.bytes().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn action_install_builds_once_then_uses_the_cache() {
    let s = Scratch::new("action-install");
    // A stand-in cargo that records its arguments and "installs" a binary.
    s.write(
        "bin/cargo",
        "#!/usr/bin/env bash\necho \"$@\" >> \"$CARGO_LOG\"\nroot=\"\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=\"$2\"; shift; done\nmkdir -p \"$root/bin\" && printf '#!/bin/sh\\n' > \"$root/bin/planlens\" && chmod +x \"$root/bin/planlens\"\n",
    );
    Command::new("chmod")
        .args(["+x", s.path("bin/cargo").to_str().unwrap()])
        .status()
        .unwrap();
    let path = format!(
        "{}:{}",
        s.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let root_dir = s.path("tool_cache/planlens/k");
    let log = s.path("cargo.log");
    let env = [
        ("PATH", path.as_str()),
        ("PLANLENS_ROOT", root_dir.to_str().unwrap()),
        ("CARGO_LOG", log.to_str().unwrap()),
    ];
    let (o, _) = script(&s, "install", &env);
    assert!(o.status.success(), "{}", text(&o));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.trim(),
        format!(
            "install --locked --path {} --root {} --bin planlens",
            root().display(),
            root_dir.display()
        )
    );
    let (o, _) = script(&s, "install", &env);
    assert!(text(&o).contains("using the cached build"), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        calls,
        "no second build"
    );
    let added = std::fs::read_to_string(s.path("github_path")).unwrap();
    assert_eq!(added.lines().count(), 2);
    assert!(added.lines().all(|l| Path::new(l) == root_dir.join("bin")));
}

// ---------------------------------------------------------------- pre-commit

fn hooks() -> Value {
    load_yaml(&read(".pre-commit-hooks.yaml"), ".pre-commit-hooks.yaml")
}

/// Whether pre-commit would pass `path` to the hook: `files` is searched in the path
/// (Python `re.search`); JSON Schema's `pattern` has the same unanchored semantics, so the
/// schema validator is the regex engine.
fn selected(files: &str, path: &str) -> bool {
    let schema = json!({ "type": "string", "pattern": files });
    jsonschema::is_valid(&schema, &json!(path))
}

#[test]
fn pre_commit_hook_is_valid_and_selects_terraform_files() {
    let hooks = hooks();
    assert_schema("tests/schemas/pre-commit-hooks.schema.json", &hooks);
    let hook = &hooks[0];
    assert_eq!(hook["id"], "planlens");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], true);
    assert_eq!(
        hook["require_serial"], true,
        "one run sees every changed folder"
    );
    let files = hook["files"].as_str().unwrap();
    for yes in [
        "main.tf",
        "infra/prod/main.tf",
        "x.tf.json",
        "terraform.tfvars",
        "envs/prod.tfvars",
    ] {
        assert!(selected(files, yes), "{yes} is reviewed");
    }
    for no in [
        "README.md",
        "plan.json",
        "main.tfstate",
        "main.tf.bak",
        "tf",
        "x.tfvars.txt",
    ] {
        assert!(!selected(files, no), "{no} is not");
    }
}

/// The hook's `entry`, as pre-commit runs it: the installed `planlens` with the staged
/// files that `files` selects appended.
fn run_hook(dir: &Path, staged: &[&str]) -> Output {
    let hooks = hooks();
    let hook = &hooks[0];
    let files = hook["files"].as_str().unwrap();
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "planlens", "the binary cargo installs");
    Command::new(BIN)
        .args(&entry[1..])
        .args(staged.iter().filter(|f| selected(files, f)))
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn pre_commit_entry_reviews_the_changed_folders() {
    let s = Scratch::new("hook");
    let fixture = |p: &str| std::fs::read_to_string(root().join("tests/fixtures").join(p)).unwrap();
    s.write("clean/main.tf", &fixture("KMS001/good.tf"));
    s.write("clean/terraform.tfvars", "");
    s.write("bad/main.tf", &fixture("ENC001/bad.tf"));
    s.write("docs/README.md", "# not Terraform\n");

    // Only the clean folder changed (two files, one review).
    let o = run_hook(
        &s.0,
        &["clean/main.tf", "clean/terraform.tfvars", "docs/README.md"],
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(out.matches("== clean ==").count(), 1, "{out}");
    assert!(!out.contains("== docs"), "{out}");

    // A change in the bad folder fails the commit, and says where.
    let o = run_hook(&s.0, &["clean/main.tf", "bad/main.tf"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let bad = out.find("== bad ==").expect("the bad folder is reviewed");
    let clean = out
        .find("== clean ==")
        .expect("the clean folder is reviewed");
    assert!(out[bad..clean].contains("CRITICAL"), "{out}");
    assert!(out[bad..clean].contains("ENC001"), "{out}");

    // Nothing selected (only docs changed): pre-commit does not run the hook at all.
    let hooks = hooks();
    assert!(!selected(
        hooks[0]["files"].as_str().unwrap(),
        "docs/README.md"
    ));

    // A file at the top of the repository reviews the top folder.
    s.write("root.tf", &fixture("KMS001/good.tf"));
    let o = Command::new(BIN)
        .args(["check", "--per-folder", "root.tf"])
        .current_dir(&s.0)
        .output()
        .unwrap();
    assert!(text(&o).contains("== . =="), "{}", text(&o));
}

#[test]
fn per_folder_is_text_only_and_reports_unreadable_folders() {
    let s = Scratch::new("per-folder");
    s.write("a/main.tf", "resource \"aws_kms_key\" \"k\" {\n");
    let o = Command::new(BIN)
        .args(["check", "--per-folder", "a/main.tf", "--format", "json"])
        .current_dir(&s.0)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("text reports only"));
    let o = Command::new(BIN)
        .args(["check", "--per-folder", "a/main.tf"])
        .current_dir(&s.0)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn the_metadata_schemas_reject_broken_files() {
    let invalid = |schema_file: &str, value: &Value| {
        let schema: Value = serde_json::from_str(&read(schema_file)).unwrap();
        !jsonschema::is_valid(&schema, value)
    };
    let action = action();
    let mut no_shell = action.clone();
    no_shell["runs"]["steps"][0]
        .as_object_mut()
        .unwrap()
        .remove("shell");
    let mut unknown_key = action.clone();
    unknown_key["runs"]["steps"][0]["timeout"] = json!(5);
    let mut bad_colour = action.clone();
    bad_colour["branding"]["color"] = json!("pink");
    let mut no_value = action.clone();
    no_value["outputs"]["high"]
        .as_object_mut()
        .unwrap()
        .remove("value");
    let mut node = action.clone();
    node["runs"]["using"] = json!("node20");
    for (what, v) in [
        ("no shell", no_shell),
        ("unknown key", unknown_key),
        ("colour", bad_colour),
        ("output value", no_value),
        ("using", node),
    ] {
        assert!(
            invalid("tests/schemas/github-action.schema.json", &v),
            "{what}"
        );
    }
    let hooks = hooks();
    let mut no_entry = hooks.clone();
    no_entry[0].as_object_mut().unwrap().remove("entry");
    let mut bad_language = hooks.clone();
    bad_language[0]["language"] = json!("rustc");
    for v in [no_entry, bad_language] {
        assert!(invalid("tests/schemas/pre-commit-hooks.schema.json", &v));
    }
}

// ---------------------------------------------------------------- docs/ci.md

/// The fenced blocks of a Markdown file with their info string.
fn fenced_blocks(md: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in md.lines() {
        match current.as_mut() {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    current = Some((info.trim().to_string(), String::new()));
                }
            }
            Some((_, body)) => {
                if line.starts_with("```") {
                    out.extend(current.take());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "an unclosed code block");
    out
}

#[test]
fn every_yaml_snippet_in_the_ci_docs_parses_and_uses_real_flags() {
    let md = read("docs/ci.md");
    let blocks = fenced_blocks(&md);
    let yaml: Vec<&String> = blocks
        .iter()
        .filter(|(info, _)| info == "yaml")
        .map(|(_, body)| body)
        .collect();
    // GitHub Actions, GitLab CI, Azure Pipelines, pre-commit, Atlantis.
    assert_eq!(yaml.len(), 5);
    for (i, body) in yaml.iter().enumerate() {
        let v = load_yaml(body, &format!("docs/ci.md YAML block {i}"));
        assert!(v.is_object(), "block {i} is a mapping");
    }
    // The workflow uses this action with inputs it has.
    let workflow = load_yaml(yaml[0], "workflow");
    let steps = workflow["jobs"]["review"]["steps"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("planlens/planlens@"))
        })
        .unwrap();
    let action = action();
    for input in step["with"].as_object().unwrap().keys() {
        assert!(action["inputs"].get(input).is_some(), "no input {input}");
    }
    // The pre-commit snippet names this repository's hook.
    let config = load_yaml(yaml[3], "pre-commit config");
    assert_eq!(config["repos"][0]["hooks"][0]["id"], hooks()[0]["id"]);
    // Every planlens command line in the docs uses flags the CLI has.
    let help = Command::new(BIN)
        .args(["check", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_string();
    for (_, body) in &blocks {
        for line in body.lines().filter(|l| l.contains("planlens check")) {
            for flag in line.split_whitespace().filter(|w| w.starts_with("--")) {
                assert!(help.contains(flag), "{flag} in {line:?}");
            }
        }
    }
}
