use super::*;
use crate::engine::config::Config;
use crate::engine::{input, stores, SourceFile};

fn model_of(files: &[(&str, &str)]) -> (Model, Analysis, AccessModel) {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(p, t)| SourceFile::new(*p, t.as_bytes().to_vec()))
        .collect();
    let model = input::load(&sources);
    let analysis = stores::analyse(&model, &Config::default());
    let access = analyse(&model, &analysis);
    (model, analysis, access)
}

fn summary(access: &AccessModel, key: &str) -> Vec<String> {
    access
        .entries
        .iter()
        .filter(|e| e.key == key)
        .map(|e| {
            let can: Vec<&str> = e.can.iter().map(|c| c.as_str()).collect();
            let via: Vec<String> = e
                .via
                .iter()
                .map(|v| {
                    format!(
                        "{}{}",
                        v.statement.clone().or(v.address.clone()).unwrap_or_default(),
                        v.through.as_ref().map(|t| format!(" ({t})")).unwrap_or_default()
                    )
                })
                .collect();
            format!("{} {} [{}] via {}", e.principal, e.kind.as_str(), can.join(","), via.join(" + "))
        })
        .collect()
}

#[test]
fn seed_plan_gives_root_app_and_cloudtrail() {
    let (_, _, access) = model_of(&[("seed.plan.json", crate::example::PLAN)]);
    assert_eq!(
        summary(&access, "aws_kms_key.pii"),
        vec![
            "arn:aws:iam::111122223333:role/app role [use] via AllowAppUsage",
            "arn:aws:iam::111122223333:root account [administer] via EnableIAMUserPermissions",
            "cloudtrail.amazonaws.com service [use] via AllowCloudTrailUsage",
        ]
    );
}

fn seed_tf() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed/seed.tf"))
        .unwrap_or_default()
}

#[test]
fn seed_tf_gives_root_app_and_cloudtrail_by_address() {
    let text = seed_tf();
    let (_, _, access) = model_of(&[("seed.tf", &text)]);
    assert_eq!(
        summary(&access, "aws_kms_key.pii"),
        vec![
            "arn:aws:iam::${var.account_id}:root account [administer] via EnableIAMUserPermissions",
            "aws_iam_role.app role [use] via AllowAppUsage",
            "cloudtrail.amazonaws.com service [use] via AllowCloudTrailUsage",
        ]
    );
}
