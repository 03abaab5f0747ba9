//! The fixture runner: `tests/fixtures/<RULE_ID>/` holds good and bad examples. In `.tf`
//! files a `# expect: ID[, ID…]` comment marks a line that must fire; a JSON fixture
//! (`*.plan.json`) lists its expectations in a sibling `<name>.expect` file, one
//! `ID ADDRESS` per line. A fixture that is a folder is loaded as one module tree, with
//! expectations read from its `.tf` files.
//!
//! For the fixture's own rule and every rule an expectation names, the findings must be
//! exactly the expected ones: each expectation fires, nothing else does. `good*` fixtures
//! must not fire their rule at all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use planlens::engine::{check, Options, SourceFile};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Where {
    Line(String, u32),
    Address(String),
}

fn rule_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.len() >= 6
                        && n.chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                })
        })
        .collect();
    dirs.sort();
    dirs
}

/// Reads a fixture (file or folder) into source files, paths relative to the fixture.
fn sources(fixture: &Path) -> Vec<SourceFile> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<SourceFile>) {
        if p.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(p)
                .unwrap()
                .filter_map(Result::ok)
                .map(|e| e.path())
                .collect();
            entries.sort();
            for e in entries {
                walk(root, &e, out);
            }
        } else if p.extension().is_none_or(|e| e != "expect") {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(SourceFile::new(rel, std::fs::read(p).unwrap()));
        }
    }
    let mut out = Vec::new();
    if fixture.is_dir() {
        walk(fixture, fixture, &mut out);
    } else {
        let name = fixture.file_name().unwrap().to_string_lossy().to_string();
        out.push(SourceFile::new(name, std::fs::read(fixture).unwrap()));
    }
    out
}

fn expectations(fixture: &Path, files: &[SourceFile]) -> BTreeSet<(String, Where)> {
    let mut out = BTreeSet::new();
    for f in files {
        let text = String::from_utf8_lossy(&f.bytes);
        for (i, line) in text.lines().enumerate() {
            if let Some(rest) = line.split("# expect:").nth(1) {
                for id in rest.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    out.insert((id.to_string(), Where::Line(f.path.clone(), i as u32 + 1)));
                }
            }
        }
    }
    let sidecar = fixture.with_extension("expect");
    let sidecar = if fixture.to_string_lossy().ends_with(".plan.json") {
        PathBuf::from(
            fixture
                .to_string_lossy()
                .trim_end_matches(".json")
                .to_string()
                + ".expect",
        )
    } else {
        sidecar
    };
    if let Ok(text) = std::fs::read_to_string(&sidecar) {
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (id, address) = line.split_once(' ').unwrap_or((line, ""));
            out.insert((id.to_string(), Where::Address(address.trim().to_string())));
        }
    }
    out
}

#[test]
fn every_fixture_fires_exactly_what_it_expects() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for dir in rule_dirs() {
        let rule_id = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| !p.extension().is_some_and(|e| e == "expect" || e == "md"))
            .collect();
        fixtures.sort();
        for fixture in fixtures {
            ran += 1;
            let files = sources(&fixture);
            let expected = expectations(&fixture, &files);
            // A folder fixture's planlens.toml is its configuration, as the CLI reads it.
            let config = std::fs::read_to_string(fixture.join("planlens.toml"))
                .ok()
                .map(|t| planlens::engine::Config::from_toml(&t).expect("fixture planlens.toml"))
                .unwrap_or_default();
            let options = Options {
                now: Some("2026-11-29".into()),
                config,
            };
            let report = check(&files, &options);
            for e in report.errors() {
                failures.push(format!("{}: input error {e}", fixture.display()));
            }
            let mut watched: BTreeSet<String> = expected.iter().map(|(id, _)| id.clone()).collect();
            watched.insert(rule_id.clone());
            let by_address = expected.iter().any(|(_, w)| matches!(w, Where::Address(_)));
            let actual: BTreeSet<(String, Where)> = report
                .findings
                .iter()
                .filter(|f| watched.contains(&f.rule) && f.suppressed.is_none())
                .map(|f| {
                    let at = if by_address {
                        Where::Address(f.address.clone().unwrap_or_default())
                    } else {
                        Where::Line(f.file.clone().unwrap_or_default(), f.line.unwrap_or(0))
                    };
                    (f.rule.clone(), at)
                })
                .collect();
            let name = fixture.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with("good") && actual.iter().any(|(id, _)| id == &rule_id) {
                failures.push(format!(
                    "{}: a good fixture fired {rule_id}",
                    fixture.display()
                ));
            }
            if name.starts_with("bad") && !expected.iter().any(|(id, _)| id == &rule_id) {
                failures.push(format!(
                    "{}: a bad fixture expects no {rule_id}",
                    fixture.display()
                ));
            }
            for missing in expected.difference(&actual) {
                failures.push(format!(
                    "{}: expected {missing:?}, not reported",
                    fixture.display()
                ));
            }
            for extra in actual.difference(&expected) {
                let msg = report
                    .findings
                    .iter()
                    .find(|f| f.rule == extra.0)
                    .map(|f| f.message.clone())
                    .unwrap_or_default();
                failures.push(format!(
                    "{}: unexpected {extra:?}: {msg}",
                    fixture.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{ran} fixtures checked");
}
