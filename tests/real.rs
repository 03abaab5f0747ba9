//! `.tf` and real plans agree: every folder under `tests/fixtures/real/` holds a
//! configuration (or a `fixture` file naming the rule fixture it plans) and the `plan.json`
//! real Terraform (1.11, AWS provider 5.100) made of it (`tests/fixtures/real/regenerate.sh`). Reviewing the `.tf` files and reviewing the plan
//! must give the same findings (rule, address), but for the differences listed in
//! [`ACCEPTED`], each explained. CI reads the committed plans; it never runs Terraform.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use planlens::engine::{check, Options, Report, SourceFile};

/// (folder, rule, address, why the `.tf` and the plan legitimately differ). `+` marks a
/// finding only the `.tf` review has, `-` one only the plan review has.
const ACCEPTED: &[(&str, char, &str, &str, &str)] = &[
    (
        "crt002-bad",
        '+',
        "CRT002",
        "aws_acm_certificate.destroy_first",
        "plan JSON does not record `lifecycle` blocks, so CRT002 can only be judged from .tf",
    ),
    (
        "crt002-bad",
        '+',
        "CRT002",
        "aws_acm_certificate.no_lifecycle",
        "plan JSON does not record `lifecycle` blocks, so CRT002 can only be judged from .tf",
    ),
    (
        "seed-mistakes",
        '+',
        "CRT002",
        "aws_acm_certificate.main",
        "plan JSON does not record `lifecycle` blocks, so CRT002 can only be judged from .tf",
    ),
    (
        "dynamic-kms-rule",
        '+',
        "ENC002",
        "aws_s3_bucket.customers",
        "a plan's configuration leaves dynamic blocks out, so the key ARN (known after apply) has \
         no reference behind it: the plan review cannot tell which key, reads it as a customer \
         key in the bucket's favour and cannot check its key policy, while the .tf review sees \
         aws_kms_key.pii and its default policy (ENC002)",
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real")
}

/// The configuration's files as a dropped folder: Terraform files and `.terraform/modules`.
/// A folder whose configuration is a rule fixture names it in a `fixture` file
/// (`ENC001/bad.tf`, relative to tests/fixtures) instead of holding a copy.
fn tf_files(dir: &Path) -> Vec<SourceFile> {
    if let Ok(pointer) = std::fs::read_to_string(dir.join("fixture")) {
        let path = root().join("..").join(pointer.trim());
        return vec![SourceFile::new("main.tf", std::fs::read(&path).unwrap())];
    }
    fn walk(root: &Path, p: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            let rel = e
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if e.is_dir() {
                walk(root, &e, out);
            } else if rel != "plan.json" && planlens::view::input::wanted(&rel) {
                // (`fixture` is not a Terraform file, so `wanted` leaves it out.)
                out.push(SourceFile::new(rel, std::fs::read(&e).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// (rule, address); a project-level finding (EBS001) by the provider it names.
fn findings(r: &Report) -> BTreeSet<(String, String)> {
    r.findings
        .iter()
        .map(|f| {
            let at = f.address.clone().unwrap_or_else(|| {
                format!(
                    "provider {}",
                    f.evidence["provider"].as_str().unwrap_or("?")
                )
            });
            (f.rule.clone(), at)
        })
        .collect()
}

fn folders() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("plan.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn there_are_real_plans_of_every_rule_family() {
    let dirs = folders();
    assert!(dirs.len() >= 20, "{} real configurations", dirs.len());
    let mut families = BTreeSet::new();
    for d in &dirs {
        let plan = std::fs::read(d.join("plan.json")).unwrap();
        let r = check(&[SourceFile::new("plan.json", plan)], &Options::default());
        for f in &r.findings {
            // A rule id is its family and three digits: S3001 → S3.
            families.insert(f.rule[..f.rule.len().saturating_sub(3)].to_string());
        }
    }
    for family in ["CRT", "EBS", "ENC", "KMS", "RDS", "S3", "TLS"] {
        assert!(
            families.contains(family),
            "no real plan fires a {family} rule: {families:?}"
        );
    }
}

#[test]
fn tf_and_real_plan_give_the_same_findings() {
    let mut problems = Vec::new();
    let mut accepted_seen = BTreeSet::new();
    for dir in folders() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let plan_text = std::fs::read(dir.join("plan.json")).unwrap();
        let plan = check(
            &[SourceFile::new("plan.json", plan_text)],
            &Options::default(),
        );
        // The `.tf` side judges certificate expiry on the day the plan was made.
        let options = Options {
            now: plan.input.timestamp.clone(),
            ..Options::default()
        };
        let tf = check(&tf_files(&dir), &options);
        for (what, r) in [("tf", &tf), ("plan", &plan)] {
            if r.has_input_errors() || !r.input.is_complete() {
                problems.push(format!(
                    "{name} ({what}): not read whole: {:?} {:?}",
                    r.errors().collect::<Vec<_>>(),
                    r.input.unread()
                ));
            }
        }
        let (a, b) = (findings(&tf), findings(&plan));
        let diff = a
            .difference(&b)
            .map(|f| ('+', f))
            .chain(b.difference(&a).map(|f| ('-', f)));
        for (side, (rule, address)) in diff {
            match ACCEPTED
                .iter()
                .find(|x| x.0 == name && x.1 == side && x.2 == rule && x.3 == address)
            {
                Some(x) => {
                    accepted_seen.insert((x.0, x.1, x.2, x.3));
                }
                None => problems.push(format!(
                    "{name}: {rule} {address} only in the {} review",
                    if side == '+' { ".tf" } else { "plan" }
                )),
            }
        }
    }
    for x in ACCEPTED {
        if !accepted_seen.contains(&(x.0, x.1, x.2, x.3)) {
            problems.push(format!("accepted difference no longer occurs: {x:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
