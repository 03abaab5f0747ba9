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
                        v.statement
                            .clone()
                            .or(v.address.clone())
                            .unwrap_or_default(),
                        v.through
                            .as_ref()
                            .map(|t| format!(" ({t})"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            format!(
                "{} {} [{}] via {}",
                e.principal,
                e.kind.as_str(),
                can.join(","),
                via.join(" + ")
            )
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
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/seed/seed.tf"
    ))
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

/// Every source at once, from `.tf`: identity policies (managed + attachment, inline,
/// `inline_policy`, a policy document data source with source/override documents), an AWS
/// managed policy by ARN, a group and its members, a grant, a Deny, NotAction, and a
/// principal from a variable.
const SOURCES_TF: &str = r#"
provider "aws" {
  allowed_account_ids = ["111122223333"]
}

variable "auditor_arn" {
  type = string
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "pii" {
  enable_key_rotation = true
  tags                = { data-class = "pii" }
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableIAMUserPermissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Auditor"
        Effect    = "Allow"
        Principal = { AWS = var.auditor_arn }
        Action    = ["kms:Decrypt"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } }
      },
      {
        Sid       = "NoDeletionByOps"
        Effect    = "Deny"
        Principal = { AWS = aws_iam_role.ops.arn }
        Action    = ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"]
        Resource  = "*"
      },
      {
        Sid       = "Partner"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::444455556666:root" }
        Action    = "kms:Decrypt"
        Resource  = "*"
      }
    ]
  })
}

resource "aws_kms_key" "logs" {
  enable_key_rotation = true
  tags                = { data-class = "logs" }
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
}

resource "aws_iam_role" "ops" {
  name               = "ops"
  assume_role_policy = "{}"
  inline_policy {
    name = "ops"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", NotAction = ["kms:Decrypt"], Resource = "*" }]
    })
  }
}

resource "aws_iam_role" "admin" {
  name               = "admin"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "ReadPii"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.pii.arn]
  }
}

data "aws_iam_policy_document" "app" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Logs"
    actions   = ["kms:Encrypt"]
    resources = [aws_kms_key.logs.arn]
  }
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.app.arn
}

resource "aws_iam_group" "analysts" {
  name = "analysts"
}

resource "aws_iam_user" "jane" {
  name = "jane"
}

resource "aws_iam_group_membership" "analysts" {
  name  = "analysts"
  group = aws_iam_group.analysts.name
  users = [aws_iam_user.jane.name]
}

resource "aws_iam_group_policy" "analysts" {
  group = aws_iam_group.analysts.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "kms:Decrypt*", Resource = "*" },
      { Effect = "Deny", Action = "kms:Decrypt", Resource = "*",
        Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } } }
    ]
  })
}

resource "aws_kms_grant" "etl" {
  name              = "etl"
  key_id            = aws_kms_key.pii.key_id
  grantee_principal = "arn:aws:iam::111122223333:role/etl"
  operations        = ["Decrypt", "CreateGrant"]
}

resource "aws_s3_bucket" "customers" {
  bucket = "customers"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "customers" {
  bucket = aws_s3_bucket.customers.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.pii.arn
    }
  }
}
"#;

#[test]
fn every_source_from_tf() {
    let (_, _, access) = model_of(&[("main.tf", SOURCES_TF)]);
    let got = summary(&access, "aws_kms_key.pii");
    assert_eq!(
        got,
        vec![
            "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root account [administer] via EnableIAMUserPermissions",
            "arn:aws:iam::111122223333:role/etl role [use,grant] via aws_kms_grant.etl",
            "arn:aws:iam::444455556666:root account [use] via Partner",
            "aws_iam_group.analysts group [use] via Statement[0]",
            "aws_iam_role.admin role [use,administer,grant] via Statement[0] (aws_iam_role_policy_attachment.admin)",
            "aws_iam_role.app role [use] via ReadPii (aws_iam_role_policy_attachment.app)",
            "aws_iam_role.ops role [use,administer,grant] via Statement[0]",
            "aws_iam_user.jane user [use] via Statement[0] (member of aws_iam_group.analysts)",
            "var.auditor_arn unknown [use] via Auditor",
        ],
        "{got:#?}"
    );
    let entry = |p: &str| {
        access
            .entries
            .iter()
            .find(|e| e.key == "aws_kms_key.pii" && e.principal == p)
            .unwrap()
    };
    // The Deny removes what it names and nothing else.
    let ops = entry("aws_iam_role.ops");
    assert!(!ops.via[0]
        .actions
        .contains(&"kms:ScheduleKeyDeletion".to_string()));
    assert!(!ops.via[0].actions.contains(&"kms:PutKeyPolicy".to_string()));
    assert!(ops.via[0].actions.contains(&"kms:DisableKey".to_string()));
    // NotAction kms:Decrypt: everything else.
    assert!(!ops.decrypt);
    // Conditions are kept verbatim and a conditional Deny only limits.
    let auditor = entry("var.auditor_arn");
    assert_eq!(
        auditor.conditions,
        vec![serde_json::json!({"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}})]
    );
    let jane = entry("aws_iam_user.jane");
    assert!(jane.decrypt);
    assert_eq!(jane.limited_by.len(), 1);
    assert_eq!(
        jane.via[0].delegated_by.as_deref(),
        Some("EnableIAMUserPermissions")
    );
    // The partner account is outside allowed_account_ids.
    assert!(entry("arn:aws:iam::444455556666:root").external);
    assert!(!entry("aws_iam_role.app").external);
    // The logs key has no policy: the default one, and the app's Logs statement.
    assert_eq!(
        summary(&access, "aws_kms_key.logs"),
        vec![
            "arn:aws:iam::${account}:root account [administer] via Enable IAM User Permissions",
            "aws_iam_group.analysts group [use] via Statement[0]",
            "aws_iam_role.admin role [use,administer,grant] via Statement[0] (aws_iam_role_policy_attachment.admin)",
            "aws_iam_role.app role [use] via Logs (aws_iam_role_policy_attachment.app)",
            "aws_iam_role.ops role [use,administer,grant] via Statement[0]",
            "aws_iam_user.jane user [use] via Statement[0] (member of aws_iam_group.analysts)",
        ]
    );
    // PII decryptors: the union over the keys protecting PII stores.
    let pii: Vec<&str> = access.decryptors[&Category::Pii]
        .iter()
        .map(|d| d.principal.as_str())
        .collect();
    assert_eq!(
        pii,
        vec![
            "arn:aws:iam::111122223333:role/etl",
            "arn:aws:iam::444455556666:root",
            "aws_iam_group.analysts",
            "aws_iam_role.admin",
            "aws_iam_role.app",
            "aws_iam_user.jane",
            "var.auditor_arn"
        ]
    );
    // The group's Decrypt* on "*" is an all-keys decryption grant (inline).
    assert!(access
        .all_keys_decrypt
        .iter()
        .any(|a| a.address == "aws_iam_group_policy.analysts" && a.inline));
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/access/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_default()
}

/// The same configuration as `terraform plan` (real-plan) and as `.tf`.
#[test]
fn real_plan_and_tf_agree() {
    let plan = fixture("sources.plan.json");
    let tf = fixture("sources.tf");
    assert!(!plan.is_empty() && !tf.is_empty());
    let (_, _, from_plan) = model_of(&[("sources.plan.json", &plan)]);
    let (_, _, from_tf) = model_of(&[("sources.tf", &tf)]);
    let expected_plan = vec![
        "arn:aws:iam::111122223333:root account [administer] via EnableIAMUserPermissions",
        "arn:aws:iam::444455556666:root account [use] via Partner",
        "aws_iam_group.analysts group [use,administer,grant] via Statement[0] (aws_iam_group_policy_attachment.analysts)",
        // The ARN in the key policy names the role the plan creates: its address.
        "aws_iam_role.app role [use,grant] via AllowAppUsage + aws_kms_grant.etl",
        "aws_iam_role.ops role [use,administer] via OpsAdmin (aws_iam_role_policy_attachment.ops)",
        "aws_iam_user.jane user [use,administer,grant] via Statement[0] (member of aws_iam_group.analysts)",
        "cloudtrail.amazonaws.com service [use] via AllowCloudTrailUsage",
    ];
    assert_eq!(summary(&from_plan, "aws_kms_key.pii"), expected_plan);
    // From `.tf` the role ARN and the root are templates on var.account_id (default set).
    let expected_tf: Vec<String> = expected_plan.iter().map(|s| s.to_string()).collect();
    assert_eq!(summary(&from_tf, "aws_kms_key.pii"), expected_tf);
    for access in [&from_plan, &from_tf] {
        // The conditional Deny of the ops document limits, shown verbatim.
        let ops = access
            .entries
            .iter()
            .find(|e| e.key == "aws_kms_key.pii" && e.principal == "aws_iam_role.ops")
            .unwrap();
        assert_eq!(ops.limited_by.len(), 1);
        assert_eq!(
            ops.limited_by[0].condition,
            Some(serde_json::json!({"Bool": {"aws:MultiFactorAuthPresent": "false"}}))
        );
        let partner = access
            .entries
            .iter()
            .find(|e| e.principal == "arn:aws:iam::444455556666:root")
            .unwrap();
        assert_eq!(
            partner.conditions,
            vec![
                serde_json::json!({"StringEquals": {"kms:ViaService": "s3.eu-central-1.amazonaws.com"}})
            ]
        );
    }
    // With no managed account known, a root given only Decrypt is another account
    // reading the key (a decryptor, conditionally), not the owner's delegation.
    let pii = &from_plan.decryptors[&Category::Pii];
    let partner = pii
        .iter()
        .find(|d| d.principal == "arn:aws:iam::444455556666:root")
        .unwrap();
    assert!(partner.conditional);
    assert!(!pii
        .iter()
        .any(|d| d.principal == "arn:aws:iam::111122223333:root"));
    // The plan can't read a policy naming a role it creates: a gap, never "nobody".
    assert!(summary(&from_plan, "aws_kms_key.general").is_empty());
    assert!(from_plan
        .gaps
        .iter()
        .any(|g| g.key.as_deref() == Some("aws_kms_key.general")
            && g.reason.contains("aws_iam_role.app")));
    // The .tf reads it: the role by its address.
    assert_eq!(
        summary(&from_tf, "aws_kms_key.general"),
        vec!["aws_iam_role.app role [use] via AllowAppUsage"]
    );
}

#[test]
fn separate_key_policy_notprincipal_policy_attachment_and_overrides() {
    let tf = r#"
module "iam" {
  source = "./iam"
}

resource "aws_kms_key" "fin" {
  enable_key_rotation = true
  tags                = { data-class = "financial" }
  policy              = "{}"
}

# The separate resource wins over the key's own policy.
resource "aws_kms_key_policy" "fin" {
  key_id = aws_kms_key.fin.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Root", Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "kms:*", Resource = "*" },
      { Sid = "FromModule", Effect = "Allow", Principal = { AWS = module.iam.reader_arn }, Action = "kms:Decrypt", Resource = "*" },
      { Sid = "AllButAuditor", Effect = "Allow", NotPrincipal = { AWS = "arn:aws:iam::111122223333:role/auditor" },
        Action = "kms:Encrypt", Resource = "*",
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } } },
      { Sid = "AliasScoped", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/alias-user" },
        Action = "kms:Decrypt", Resource = "*",
        Condition = { "ForAnyValue:StringEquals" = { "kms:ResourceAliases" = "alias/cmk-financial" } } }
    ]
  })
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "narrowed" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.only_describe.json]
}

data "aws_iam_policy_document" "only_describe" {
  statement {
    sid       = "Read"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "narrowed" {
  name   = "narrowed"
  policy = data.aws_iam_policy_document.narrowed.json
}

resource "aws_iam_policy" "writer" {
  name = "writer"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:GenerateDataKey", Resource = "arn:aws:kms:*:111122223333:key/*" }]
  })
}

resource "aws_iam_policy_attachment" "writer" {
  name       = "writer"
  users      = [aws_iam_user.bob.name]
  groups     = [aws_iam_group.ops.name]
  policy_arn = aws_iam_policy.writer.arn
}

resource "aws_iam_role_policy_attachment" "narrowed" {
  role       = "reporting"
  policy_arn = aws_iam_policy.narrowed.arn
}

resource "aws_iam_role_policy" "unknown_resource" {
  role = "etl"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = var.key_arn }]
  })
}

variable "key_arn" {
  type = string
}
"#;
    let (_, _, access) = model_of(&[("main.tf", tf)]);
    assert_eq!(
        summary(&access, "aws_kms_key.fin"),
        vec![
            "* (NotPrincipal: everyone but arn:aws:iam::111122223333:role/auditor) anyone [use] via AllButAuditor",
            "arn:aws:iam::111122223333:role/alias-user role [use] via AliasScoped",
            "arn:aws:iam::111122223333:root account [administer] via Root",
            "aws_iam_group.ops group [use] via Statement[0] (aws_iam_policy_attachment.writer)",
            "aws_iam_user.bob user [use] via Statement[0] (aws_iam_policy_attachment.writer)",
            "module.iam.reader_arn unknown [use] via FromModule",
        ]
    );
    // The override replaced the Decrypt statement: "reporting" is not a reader.
    assert!(!access
        .entries
        .iter()
        .any(|e| e.principal.contains("reporting")));
    // The alias condition is kept, not decided.
    let alias = access
        .entries
        .iter()
        .find(|e| e.principal.ends_with("alias-user"))
        .unwrap();
    assert_eq!(alias.conditions.len(), 1);
    // A Resource not known before apply is a gap, not "no access".
    assert!(access
        .gaps
        .iter()
        .any(|g| g.address == "aws_iam_role_policy.unknown_resource"));
    // The via names the separate key-policy resource.
    let root = access
        .entries
        .iter()
        .find(|e| e.kind == PrincipalKind::Account)
        .unwrap();
    assert_eq!(
        root.via[0].address.as_deref(),
        Some("aws_kms_key_policy.fin")
    );
}
