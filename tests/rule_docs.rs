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
