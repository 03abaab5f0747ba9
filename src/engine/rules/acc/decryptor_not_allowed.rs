use super::{describe_via, key_of};
use crate::declare_rule;
use crate::engine::access::actions::glob;
use crate::engine::access::AccessEntry;
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags a principal that holds `kms:Decrypt` on a key protecting a data category's
    /// stores when the `[access]` table of `planlens.toml` does not list it for that
    /// category. The table names, per category, the principals allowed to decrypt it:
    ///
    /// ```toml
    /// [access]
    /// pii = ["aws_iam_role.app", "arn:aws:iam::*:role/pii-*"]
    /// ```
    ///
    /// An entry matches a principal's address or ARN exactly or as a `*`/`?` pattern. The
    /// account root's delegation to IAM is not a decryptor (the identities it lets in are
    /// listed themselves). Without an `[access]` entry for a category, nothing is judged.
    ///
    /// ## Why is this bad?
    /// The seed's case for a key per category is control over who can decrypt each; an
    /// allow-list makes that control reviewable in every plan, so a new role attached to a
    /// broad policy, a grant, or a key-policy edit that adds a reader shows up before it is
    /// applied. Severity: high.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   tags                = { data-class = "pii" }
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "Analysts", Effect = "Allow",
    ///       Principal = { AWS = "arn:aws:iam::111122223333:role/analyst" },
    ///       Action = "kms:Decrypt", Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   tags                = { data-class = "pii" }
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid = "AllowAppUsage", Effect = "Allow",
    ///       Principal = { AWS = "arn:aws:iam::111122223333:role/app" },
    ///       Action = "kms:Decrypt", Resource = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS: determining access to a KMS key](https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html)
    id: "ACC005", name: "decryptor-not-allowed", severity: High, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_key_policy", "aws_iam_policy", "aws_kms_grant"],
    peers: [],
    check: check,
}

fn allowed(patterns: &[String], e: &AccessEntry) -> bool {
    patterns.iter().any(|p| {
        let p = p.trim().to_ascii_lowercase();
        [Some(&e.principal), e.arn.as_ref()]
            .into_iter()
            .flatten()
            .any(|id| glob(&p, &id.to_ascii_lowercase()))
    })
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    let rules = &cx.options.config.access;
    if rules.is_empty() {
        return;
    }
    for e in cx.access.entries.iter().filter(|e| e.decrypt) {
        let Some((key, res)) = key_of(cx, &e.key) else {
            continue;
        };
        for (cat, patterns) in rules {
            if !super::categories(cx, key).contains(cat) || allowed(patterns, e) {
                continue;
            }
            let message = format!(
                "{} can decrypt {} data through {} ({}), and planlens.toml's [access] {} does not list it.",
                e.principal,
                cat.as_str(),
                res.address,
                e.via.iter().map(describe_via).collect::<Vec<_>>().join("; "),
                cat.as_str()
            );
            cx.finding(&RULE, res, "policy", message)
                .evidence(super::evidence(e))
                .category(Some(*cat))
                .related(super::related(e, &res.address))
                .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::{check, Config, Options, SourceFile};

    /// The fixture's bad case, counted: the analyst (key policy) and the BI role (identity
    /// policy, through the account's delegation) are flagged; the app role (by address) and
    /// the `pii-*` role (by pattern) are allowed; CloudTrail and the root never decrypt.
    #[test]
    fn flags_exactly_the_unlisted_decryptors() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ACC005/bad/");
        let read = |f: &str| std::fs::read_to_string(format!("{root}{f}")).unwrap_or_default();
        let options = Options {
            config: Config::from_toml(&read("planlens.toml")).unwrap_or_default(),
            ..Options::default()
        };
        let report = check(&[SourceFile::new("main.tf", read("main.tf"))], &options);
        let mut flagged: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.rule == "ACC005")
            .filter_map(|f| f.evidence["principal"].as_str().map(str::to_string))
            .collect();
        flagged.sort();
        assert_eq!(
            flagged,
            vec!["arn:aws:iam::111122223333:role/analyst", "aws_iam_role.bi"]
        );
        // Without an [access] table nothing is judged.
        let plain = check(
            &[SourceFile::new("main.tf", read("main.tf"))],
            &Options::default(),
        );
        assert!(!plain.findings.iter().any(|f| f.rule == "ACC005"));
    }
}
