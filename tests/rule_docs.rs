//! Rule documentation is generated from each rule's doc comment and metadata
//! (`rules::docs::markdown`) and committed under `docs/rules/<ID>-<name>.md`. This test
//! fails when a committed page drifts from what the code generates; run it with
//! `PLANLENS_BLESS=1` to rewrite the pages.

use std::path::Path;

use planlens::engine::rules::{docs, registry};

#[test]
fn committed_rule_docs_match_the_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let bless = std::env::var_os("PLANLENS_BLESS").is_some_and(|v| v == "1");
    if bless {
        std::fs::create_dir_all(&dir).expect("create docs/rules");
    }
    let mut drift = Vec::new();
    for rule in registry() {
        let path = dir.join(format!("{}-{}.md", rule.id, rule.name));
        let generated = docs::markdown(rule);
        if bless {
            std::fs::write(&path, &generated).expect("write rule doc");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(committed) if committed == generated => {}
            Ok(_) => drift.push(format!("{} differs from the code", path.display())),
            Err(_) => drift.push(format!("{} is missing", path.display())),
        }
    }
    assert!(
        drift.is_empty(),
        "rule docs out of date (rerun with PLANLENS_BLESS=1):\n{}",
        drift.join("\n")
    );
}

/// The README's rule table (between `<!-- rules:start -->` and `<!-- rules:end -->`) is
/// generated from the registry too.
#[test]
fn readme_rule_table_matches_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md lacks the {start:?} … {end:?} markers");
    };
    let mut table =
        String::from("| id | name | severity | control | what it flags |\n|---|---|---|---|---|\n");
    for rule in registry() {
        let what = docs::RuleDoc::parse(rule).what;
        let paragraph = what.split("\n\n").next().unwrap_or("").replace('\n', " ");
        let cut = [": ", "; ", ". "]
            .iter()
            .filter_map(|p| paragraph.find(p))
            .min()
            .unwrap_or(paragraph.len());
        let first = paragraph[..cut].trim().trim_end_matches('.');
        table.push_str(&format!(
            "| [{id}](docs/rules/{id}-{name}.md) | {name} | {sev} | {ctl} | {first}. |\n",
            id = rule.id,
            name = rule.name,
            sev = rule.severity,
            ctl = rule.control.id(),
            first = first.replace('|', "\\|"),
        ));
    }
    let generated = format!("{}{start}{table}{}", &readme[..a], &readme[b..]);
    if std::env::var_os("PLANLENS_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, generated).expect("write README.md");
        return;
    }
    assert!(
        generated == readme,
        "README rule table is out of date (rerun with PLANLENS_BLESS=1)"
    );
}
