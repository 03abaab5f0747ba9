//! AWS managed policies that grant KMS actions on every key, as AWS publishes them in the
//! AWS Managed Policy Reference (checked 2026-12-04). Only the statements that matter for
//! KMS are kept; a managed policy not in this table is reported as not read.

/// (policy name, source, the policy document's JSON).
pub const MANAGED_POLICIES: [(&str, &str, &str); 3] = [
    (
        "AdministratorAccess",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        // v12: everything but iam:*, organizations:*, account:* (kms:* included).
        "PowerUserAccess",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}"#,
    ),
    (
        // v2: alias and tag management, no cryptographic use.
        "AWSKeyManagementServicePowerUser",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSKeyManagementServicePowerUser.html",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:CreateAlias","kms:CreateKey","kms:DeleteAlias","kms:Describe*","kms:GenerateRandom","kms:Get*","kms:List*","kms:TagResource","kms:UntagResource","iam:ListGroups","iam:ListRoles","iam:ListUsers"],"Resource":"*"}]}"#,
    ),
];

/// The managed policy an ARN names (`arn:aws:iam::aws:policy/AdministratorAccess`), as
/// `Some(Some(json))` when the table has it and `Some(None)` for another AWS managed
/// policy; `None` when the ARN is not an AWS managed policy.
pub fn managed_policy(arn: &str) -> Option<Option<(&'static str, &'static str)>> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let name = match parts.as_slice() {
        ["arn", _, "iam", "", "aws", res] => res.strip_prefix("policy/")?,
        _ => return None,
    };
    let name = name.rsplit('/').next().unwrap_or(name);
    Some(
        MANAGED_POLICIES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(n, _, doc)| (*n, *doc)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_documents_parse_and_names_resolve() {
        for (name, _, doc) in MANAGED_POLICIES {
            assert!(
                serde_json::from_str::<serde_json::Value>(doc).is_ok(),
                "{name}"
            );
        }
        assert_eq!(
            managed_policy("arn:aws:iam::aws:policy/AdministratorAccess").map(|m| m.map(|x| x.0)),
            Some(Some("AdministratorAccess"))
        );
        assert_eq!(
            managed_policy("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
            Some(None)
        );
        assert_eq!(
            managed_policy("arn:aws:iam::111122223333:policy/mine"),
            None
        );
    }
}
