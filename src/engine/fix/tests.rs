//! The fix engine on small configurations: edits land where `terraform fmt` would put
//! them, touch nothing else, and a second run changes nothing.

use super::*;
use crate::engine::{Options, SourceFile};

fn fix(text: &str, unsafe_fixes: bool) -> (String, Outcome) {
    let files = vec![SourceFile::new("main.tf", text)];
    let selection = Selection {
        unsafe_fixes,
        ..Selection::default()
    };
    let out = fix_all(files, &Options::default(), &selection);
    let new = out
        .changed
        .iter()
        .find(|(p, _, _)| p == "main.tf")
        .map(|(_, _, n)| n.clone())
        .unwrap_or_else(|| text.to_string());
    (new, out)
}

#[test]
fn an_added_attribute_joins_the_run_and_realigns_it() {
    let text = "resource \"aws_kms_key\" \"k\" {\n  description = \"x\" # why\n  is_enabled  = true\n\n  tags = {\n    data-class = \"logs\"\n  }\n}\n";
    let (new, _) = fix(text, false);
    assert!(
        new.starts_with("resource \"aws_kms_key\" \"k\" {\n  description         = \"x\" # why\n  is_enabled          = true\n  enable_key_rotation = true\n\n  tags = {\n    data-class = \"logs\"\n  }\n}\n"),
        "{new}"
    );
}

#[test]
fn a_replaced_value_keeps_the_comment_column() {
    let text = "resource \"aws_db_instance\" \"d\" {\n  engine              = \"postgres\"\n  instance_class      = \"db.t3.micro\"\n  storage_encrypted   = true\n  publicly_accessible = true # for now\n  deletion_protection = true # keep\n  backup_retention_period = 7\n  iam_database_authentication_enabled = true\n  tags = { data-class = \"operational\" }\n}\n";
    let (new, out) = fix(text, true);
    assert!(
        out.applied.iter().any(|a| a.rule == "RDS001"),
        "{:?}",
        out.applied
    );
    assert!(new.contains("  publicly_accessible                 = false # for now\n  deletion_protection                 = true  # keep\n"), "{new}");
}

#[test]
fn fixing_twice_changes_nothing() {
    let text = "resource \"aws_kms_key\" \"k\" {\n  description = \"x\"\n  tags = { data-class = \"logs\" }\n}\n";
    let (once, _) = fix(text, true);
    assert_ne!(once, text);
    let (twice, out) = fix(&once, true);
    assert_eq!(twice, once);
    assert!(out.changed.is_empty());
}

#[test]
fn a_value_from_a_variable_is_not_rewritten() {
    let text = "variable \"rotate\" {\n  type = bool\n}\n\nresource \"aws_kms_key\" \"k\" {\n  enable_key_rotation     = var.rotate\n  deletion_window_in_days = 30\n}\n";
    let files = vec![SourceFile::new("main.tf", text)];
    let report = crate::engine::check(&files, &Options::default());
    assert!(report
        .findings
        .iter()
        .all(|f| f.fix.is_none() || f.rule != "KMS001"));
}

#[test]
fn a_block_is_made_where_it_is_missing() {
    let text = "resource \"aws_acm_certificate\" \"c\" {\n  domain_name       = \"example.com\"\n  validation_method = \"DNS\"\n}\n";
    let (new, _) = fix(text, false);
    assert_eq!(
        &new[..new.find("\n\nresource \"aws_ebs").unwrap_or(new.len()) + 1],
        "resource \"aws_acm_certificate\" \"c\" {\n  domain_name       = \"example.com\"\n  validation_method = \"DNS\"\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n"
    );
}

#[test]
fn the_diff_applies_with_a_and_b_prefixes() {
    let changed = vec![(
        "main.tf".to_string(),
        "a\nb\n".to_string(),
        "a\nc\n".to_string(),
    )];
    let diff = unified_diff(&changed, |p| p.to_string());
    assert!(diff.starts_with("diff --git a/main.tf b/main.tf\n--- a/main.tf\n+++ b/main.tf\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"), "{diff}");
}

/// All of ENC001's fixes, unsafe as they are.
fn fix_enc001(text: &str) -> Outcome {
    let selection = Selection {
        unsafe_fixes: true,
        rules: vec!["ENC001".into()],
        findings: None,
    };
    fix_all(
        vec![SourceFile::new("main.tf", text)],
        &Options::default(),
        &selection,
    )
}

#[test]
fn a_removed_attribute_takes_its_run_along() {
    let text = "resource \"aws_sqs_queue\" \"q\" {\n  name                    = \"q\"\n  sqs_managed_sse_enabled = true\n  tags                    = { data-class = \"pii\" }\n}\n";
    let out = fix_enc001(text);
    let new = &out.changed[0].2;
    assert!(
        new.starts_with("resource \"aws_sqs_queue\" \"q\" {\n  name              = \"q\"\n  tags              = { data-class = \"pii\" }\n  kms_master_key_id = aws_kms_key.pii.arn\n}\n"),
        "{new}"
    );
    assert!(!new.contains("sqs_managed_sse_enabled"));
}

#[test]
fn a_new_key_lets_in_the_services_its_stores_need() {
    let text = "resource \"aws_cloudtrail\" \"main\" {\n  name           = \"main\"\n  s3_bucket_name = \"trail-logs\"\n}\n\nresource \"aws_cloudwatch_log_group\" \"app\" {\n  name = \"/app\"\n}\n";
    let out = fix_enc001(text);
    let new = &out.changed[0].2;
    for needed in [
        "AllowCloudTrailEncrypt",
        "AllowCloudTrailDescribeKey",
        "AllowCloudWatchLogs",
        "data \"aws_region\" \"current\" {}",
        "kms_key_id     = aws_kms_key.logs.arn",
    ] {
        assert!(new.contains(needed), "{needed} in\n{new}");
    }
    assert_eq!(new.matches("resource \"aws_kms_key\"").count(), 1, "{new}");
    assert!(
        out.report.findings.iter().all(|f| f.rule != "ENC001"),
        "{:?}",
        out.report.findings
    );
}
