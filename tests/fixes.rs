//! Every fixable rule, on its own bad fixtures: fix → re-check.
//!
//! For each `tests/fixtures/<RULE>/bad*.tf`, all of that rule's fixes (safe and unsafe) are
//! applied with `fix_all`, and then:
//! - every finding that had a fix is gone, and no finding appears that was not there before;
//! - fixing the result again changes nothing;
//! - every comment of the original is still there, and the text outside the fixed blocks is
//!   byte-identical (new blocks only at the end of the file);
//! - the result is the committed one, `tests/fixtures/fixes/fixed/<RULE>/<file>`
//!   (`PLANLENS_BLESS=1` rewrites them), which is in `terraform fmt` style (checked with
//!   `terraform fmt` where it is installed) and which real Terraform planned
//!   (`tests/fixtures/fixes/fixed/PLANNED.tsv`, written by `plan-fixed.sh`, holds the SHA-256
//!   of each file it planned).

use std::collections::BTreeSet;
use std::path::PathBuf;

use planlens::engine::fix::{self, finding_key, Selection};
use planlens::engine::model::Origin;
use planlens::engine::{check, input, Options, SourceFile};
use sha2::{Digest, Sha256};

/// The rules with mechanical fixes.
const FIXABLE: &[&str] = &[
    "CRT001", "CRT002", "EBS001", "ENC001", "KMS001", "KMS002", "RDS001", "RDS002", "RDS003",
    "RDS004", "S3001", "TLS001", "TLS002", "TLS003", "TLS004", "TLS005", "TLS006", "TLS007",
    "TLS008", "TLS009", "TLS010", "TLS011",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options() -> Options {
    Options {
        now: Some("2026-11-29".into()),
        ..Options::default()
    }
}

fn bad_fixtures(rule: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures").join(rule);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("bad") && name.ends_with(".tf")
        })
        .collect();
    out.sort();
    out
}

/// `text` without the blocks whose configuration address `skip` names, trailing space trimmed.
fn outside(text: &str, skip: &dyn Fn(&str) -> bool) -> String {
    let model = input::load(&[SourceFile::new("main.tf", text)]);
    let mut spans: Vec<(usize, usize)> = model
        .resources
        .iter()
        .filter(|r| skip(&r.config_address()))
        .filter_map(|r| match &r.origin {
            Origin::Span(s) => Some((s.start as usize, s.end as usize)),
            _ => None,
        })
        .collect();
    spans.sort();
    spans.dedup();
    let mut out = String::new();
    let mut at = 0;
    for (s, e) in spans {
        if s >= at {
            out.push_str(&text[at..s]);
            at = e;
        }
    }
    out.push_str(&text[at..]);
    out.trim_end().to_string()
}

fn comments(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].to_string()))
        .collect();
    v.sort();
    v
}

fn terraform_fmt(text: &str) -> Option<String> {
    use std::io::Write;
    let mut child = std::process::Command::new("terraform")
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn planned() -> Vec<(String, String, String)> {
    let path = root().join("tests/fixtures/fixes/fixed/PLANNED.tsv");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?.into(), c.next()?.into(), c.next()?.into()))
        })
        .collect()
}

#[test]
fn every_fixable_rule_is_fixed_on_its_fixtures() {
    let bless = std::env::var_os("PLANLENS_BLESS").is_some();
    let have_terraform = terraform_fmt("").is_some();
    let planned = planned();
    let mut failures = Vec::new();
    let mut fixed_rules = BTreeSet::new();
    for rule in FIXABLE {
        for path in bad_fixtures(rule) {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let at = format!("{rule}/{name}");
            let text = std::fs::read_to_string(&path).unwrap();
            let files = vec![SourceFile::new("main.tf", text.clone())];
            let before = check(&files, &options());
            let fixable: Vec<String> = before
                .findings
                .iter()
                .filter(|f| f.rule == *rule && f.fix.is_some() && f.counts())
                .map(finding_key)
                .collect();
            if fixable.is_empty() {
                continue;
            }
            let selection = Selection {
                unsafe_fixes: true,
                rules: vec![rule.to_string()],
                findings: None,
            };
            let outcome = fix::fix_all(files, &options(), &selection);
            let Some((_, _, new)) = outcome.changed.first().cloned() else {
                failures.push(format!("{at}: fixes were offered but nothing changed"));
                continue;
            };
            fixed_rules.insert(*rule);
            let before_keys: BTreeSet<String> = before.findings.iter().map(finding_key).collect();
            for f in &outcome.report.findings {
                let key = finding_key(f);
                if fixable.contains(&key) {
                    failures.push(format!("{at}: still finds {key}"));
                } else if !before_keys.contains(&key) && !climbed(&before, f) {
                    failures.push(format!(
                        "{at}: the fix brought a new finding {key}: {}",
                        f.message
                    ));
                }
            }
            for e in outcome.report.errors() {
                failures.push(format!("{at}: the fixed file has an input error: {e}"));
            }
            // Idempotent.
            let again = fix::fix_all(
                vec![SourceFile::new("main.tf", new.clone())],
                &options(),
                &selection,
            );
            if !again.changed.is_empty() {
                failures.push(format!("{at}: fixing twice changed the file again"));
            }
            // Comments and unrelated text.
            if comments(&text).iter().any(|c| !comments(&new).contains(c)) {
                failures.push(format!("{at}: a comment was lost"));
            }
            let old_model = input::load(&[SourceFile::new("main.tf", text.clone())]);
            let touched: BTreeSet<String> = outcome
                .applied
                .iter()
                .filter_map(|a| a.address.as_deref())
                .map(|a| {
                    old_model
                        .get(a)
                        .map(|r| r.config_address())
                        .unwrap_or_default()
                })
                .chain(
                    before
                        .findings
                        .iter()
                        .filter(|f| f.rule == *rule)
                        .filter_map(|f| f.decided_by.clone()),
                )
                .collect();
            let known = |a: &str| old_model.get(a).is_some();
            let o = outside(&text, &|a| touched.contains(a));
            let n = outside(&new, &|a| touched.contains(a) || !known(a));
            let n = n.trim_end_matches(|c: char| c.is_whitespace()).to_string();
            if o != n && !n.starts_with(&o) {
                failures.push(format!("{at}: text outside the fixed blocks changed"));
            }
            // fmt style.
            if have_terraform {
                match terraform_fmt(&new) {
                    Some(f) if f == new => {}
                    Some(f) => failures.push(format!(
                        "{at}: not in terraform fmt style:\n{}",
                        similar_diff(&new, &f)
                    )),
                    None => failures.push(format!("{at}: terraform fmt rejects the fixed file")),
                }
            }
            // The committed result, and that real Terraform planned it.
            let golden = root()
                .join("tests/fixtures/fixes/fixed")
                .join(rule)
                .join(&name);
            if bless {
                std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
                std::fs::write(&golden, &new).unwrap();
            } else if std::fs::read_to_string(&golden).ok().as_deref() != Some(new.as_str()) {
                failures.push(format!(
                    "{at}: differs from {} (PLANLENS_BLESS=1 rewrites it)",
                    golden.display()
                ));
            }
            let sha = hex(&Sha256::digest(new.as_bytes()));
            match planned.iter().find(|(file, _, _)| *file == at) {
                Some((_, s, result)) if *s == sha && result.starts_with("ok") => {}
                Some((_, s, result)) if *s == sha => failures.push(format!("{at}: real Terraform did not plan it: {result}")),
                _ => failures.push(format!("{at}: not planned with real Terraform since it changed (tests/fixtures/fixes/plan-fixed.sh)")),
            }
        }
    }
    for rule in FIXABLE {
        if !fixed_rules.contains(rule) {
            failures.push(format!("{rule}: no bad fixture gets a fix"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A store that was below its category's minimum (ENC001) and now meets it may still be
/// below the recommendation (ENC002: HSM backing, imported key material, an explicit key
/// policy), which no mechanical fix decides: that finding is the next rung, not a new fault.
fn climbed(before: &planlens::engine::Report, f: &planlens::engine::rules::Finding) -> bool {
    f.rule == "ENC002"
        && before
            .findings
            .iter()
            .any(|b| b.rule == "ENC001" && b.address == f.address)
}

fn similar_diff(a: &str, b: &str) -> String {
    fix::unified_diff(&[("main.tf".into(), a.into(), b.into())], |p| p.to_string())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn findings_in_json_carry_their_fix() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/KMS001/bad.tf")).unwrap();
    let report = check(&[SourceFile::new("main.tf", text)], &options());
    let json = serde_json::to_value(&report).unwrap();
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "KMS001")
        .expect("a KMS001 finding");
    assert_eq!(f["fix"]["safety"], "safe");
    assert!(f["fix"]["plan"].as_str().unwrap().starts_with("update"));
    let edit = &f["fix"]["edits"][0];
    assert_eq!(edit["file"], "main.tf");
    assert!(edit["replacement"]
        .as_str()
        .unwrap()
        .contains("enable_key_rotation"));
}

#[test]
fn plan_input_has_no_fixes() {
    let path = root().join("tests/fixtures/S3001/bad.plan.json");
    let report = check(
        &[SourceFile::new(
            "bad.plan.json",
            std::fs::read(path).unwrap(),
        )],
        &options(),
    );
    assert!(report.findings.iter().any(|f| f.rule == "S3001"));
    assert!(report.findings.iter().all(|f| f.fix.is_none()));
}

#[test]
fn the_unsafe_ones_say_what_they_do() {
    for rule in FIXABLE {
        for path in bad_fixtures(rule) {
            let text = std::fs::read_to_string(&path).unwrap();
            let report = check(&[SourceFile::new("main.tf", text)], &options());
            for f in &report.findings {
                if let Some(x) = &f.fix {
                    assert_eq!(
                        x.safety == fix::Safety::Unsafe,
                        x.consequence.is_some(),
                        "{}: {} {:?}",
                        path.display(),
                        f.rule,
                        x
                    );
                }
            }
        }
    }
}

/// ENC001's fix on every store type of the catalogue: each `<type>.customer_nocmk` of the
/// store fixtures (tests/fixtures/stores/batch-*/main.tf, PII stores without a customer key)
/// is pointed at the PII key, and the review finds no ENC001 on it afterwards — unless the
/// type has no mechanical fix, which the list below names with the reason.
#[test]
fn every_store_type_gets_its_key() {
    let dir = root().join("tests/fixtures/stores");
    let mut batches: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().join("main.tf"))
        .filter(|p| p.is_file())
        .collect();
    batches.sort();
    let mut fixed = 0;
    let mut unfixed = Vec::new();
    let mut failures = Vec::new();
    for batch in batches {
        let text = std::fs::read_to_string(&batch).unwrap();
        let files = vec![SourceFile::new("main.tf", text)];
        let before = check(&files, &options());
        let selection = Selection {
            unsafe_fixes: true,
            rules: vec!["ENC001".into()],
            findings: None,
        };
        let outcome = fix::fix_all(files, &options(), &selection);
        for f in before.findings.iter().filter(|f| f.rule == "ENC001") {
            let address = f.address.clone().unwrap_or_default();
            if !address.ends_with(".customer_nocmk") {
                continue;
            }
            let left = outcome
                .report
                .findings
                .iter()
                .any(|g| g.rule == "ENC001" && g.address == f.address);
            match (&f.fix, left) {
                (Some(_), false) => fixed += 1,
                (Some(x), true) => failures.push(format!(
                    "{address}: fixed ({}) but ENC001 is still found",
                    x.description
                )),
                (None, _) => unfixed.push(address),
            }
        }
        for e in outcome.report.errors() {
            failures.push(format!("{}: {e}", batch.display()));
        }
    }
    eprintln!(
        "ENC001 fixed on {fixed} store types; no fix for {}: {unfixed:?}",
        unfixed.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(fixed >= 150, "only {fixed} store types fixed");
}

#[path = "common/mod.rs"]
mod common;

/// The README's example: `planlens fix --dry-run --unsafe` on the seed's Terraform with its
/// mistakes prints a diff that `git apply` takes, and after it no finding is left that a
/// mechanical fix could remove.
#[test]
fn the_seed_with_its_mistakes_is_fixed_by_its_diff() {
    let scratch = common::Scratch::new("seed-mistakes");
    let original =
        std::fs::read_to_string(root().join("tests/fixtures/fixes/seed-mistakes/main.tf")).unwrap();
    scratch.write("main.tf", &original);
    let before = common::run_in(&scratch.0, &["check", ".", "--format", "json"]);
    let before: serde_json::Value = serde_json::from_str(&common::stdout(&before)).unwrap();
    let fixable = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["fix"].is_null())
        .count();
    assert!(fixable >= 12, "{fixable} fixable findings");

    let dry = common::run_in(&scratch.0, &["fix", ".", "--dry-run", "--unsafe"]);
    let diff = common::stdout(&dry);
    assert!(
        diff.starts_with("diff --git a/main.tf b/main.tf\n"),
        "{diff}"
    );
    assert!(
        common::stderr(&dry).contains("Left after fixing"),
        "{}",
        common::stderr(&dry)
    );
    // --dry-run wrote nothing.
    assert_eq!(
        std::fs::read_to_string(scratch.path("main.tf")).unwrap(),
        original
    );

    scratch.write("fix.patch", &diff);
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(&scratch.0)
            .output()
            .expect("git runs")
    };
    assert!(git(&["init", "-q"]).status.success());
    let applied = git(&["apply", "fix.patch"]);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    std::fs::remove_file(scratch.path("fix.patch")).unwrap();

    let after = common::run_in(&scratch.0, &["check", ".", "--format", "json"]);
    let after: serde_json::Value = serde_json::from_str(&common::stdout(&after)).unwrap();
    let left: Vec<String> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["fix"].is_null())
        .map(|f| format!("{} {}", f["rule"], f["address"]))
        .collect();
    assert!(left.is_empty(), "fixable findings left: {left:?}");
    assert!(after["input"]["errors"]
        .as_array()
        .is_none_or(|e| e.is_empty()));

    // The files written by `planlens fix` (not --dry-run) are the patched ones.
    let direct = common::Scratch::new("seed-mistakes-direct");
    direct.write("main.tf", &original);
    let run = common::run_in(&direct.0, &["fix", ".", "--unsafe"]);
    assert!(
        common::stdout(&run).starts_with("Applied "),
        "{}",
        common::stdout(&run)
    );
    assert_eq!(
        std::fs::read_to_string(direct.path("main.tf")).unwrap(),
        std::fs::read_to_string(scratch.path("main.tf")).unwrap()
    );
}

/// docs/fixes.md's evidence section is `results.tsv` as the engine reads it
/// (`PLANLENS_BLESS=1` rewrites it).
#[test]
fn the_evidence_in_docs_is_current() {
    use planlens::engine::fix::evidence;
    let rows: Vec<evidence::Planned> = evidence::all().collect();
    let mut out =
        String::from("| fix | type | planned | forces replacement |\n|---|---|---|---|\n");
    for p in rows.iter().filter(|p| p.fix != "store-cmk") {
        let planned = match p.actions.strip_prefix("error: ") {
            Some(e) => format!(
                "not planned: {}",
                e.chars().take(90).collect::<String>().replace('|', "/")
            ),
            None => p.actions.to_string(),
        };
        out.push_str(&format!(
            "| {} | `{}` | {planned} | {} |\n",
            p.fix,
            p.rtype,
            p.replace_paths.replace(';', ", ")
        ));
    }
    let store: Vec<&evidence::Planned> = rows.iter().filter(|p| p.fix == "store-cmk").collect();
    let names = |f: &dyn Fn(&evidence::Planned) -> bool| -> Vec<String> {
        let mut v: Vec<String> = store
            .iter()
            .filter(|p| f(p))
            .map(|p| format!("`{}`", p.rtype))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let replaced = names(&|p| p.replaces());
    let updated = names(&|p| p.actions == "update");
    let noop = names(&|p| p.actions == "no-op");
    let failed = names(&|p| p.actions.starts_with("error"));
    out.push_str(&format!(
        "\nPointing a store at a customer key (`store-cmk`, one pair per store type from\n`tests/fixtures/stores`): **{} types are replaced** (their fix says so), {} are updated in\nplace, {} plan no change for an existing resource (their fix says only a new one gets the\nkey), {} could not be planned offline (`results.tsv` has the error).\n\nReplaced (`delete`+`create`): {}.\n\nUpdated in place: {}.\n\nNo change planned: {}.\n\nNot planned: {}.\n",
        replaced.len(),
        updated.len(),
        noop.len(),
        failed.len(),
        replaced.join(", "),
        updated.join(", "),
        noop.join(", "),
        failed.join(", ")
    ));
    let path = root().join("docs/fixes.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- evidence:start -->\n", "<!-- evidence:end -->");
    let a = doc.find(start).expect("the evidence marker") + start.len();
    let b = doc.find(end).expect("the evidence end marker");
    if std::env::var_os("PLANLENS_BLESS").is_some() {
        std::fs::write(&path, format!("{}{out}{}", &doc[..a], &doc[b..])).unwrap();
    } else {
        assert_eq!(
            &doc[a..b],
            out,
            "docs/fixes.md: PLANLENS_BLESS=1 rewrites its evidence"
        );
    }
}
