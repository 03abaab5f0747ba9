use crate::declare_rule;
use crate::engine::rules::{Context, Finding};
use crate::engine::stores::{key_categories, KeyKind};

declare_rule! {
    /// ## What it does
    /// Flags a customer key that protects data stores of more than one data category —
    /// PII and logs, say. One finding per key, naming each category with its stores. Keys
    /// the configuration names only by a literal ARN or a data source count too: two stores
    /// naming the same ARN share the key. AWS-managed and provider-owned keys are not
    /// flagged here (ENC001 covers stores that rely on them where that falls short).
    ///
    /// ## Why is this bad?
    /// The seed's hierarchy has one CMK per category and lists "Single KMS key for
    /// everything: loss of one key should not affect all data categories" as an
    /// anti-pattern. A shared key's policy must let in every workload of every category,
    /// and deleting or disabling it — the blast radius — reaches all of them at once.
    /// Severity: medium.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   enable_key_rotation = true
    ///   tags = { data-class = "pii" }
    /// }
    ///
    /// resource "aws_db_instance" "customers" {
    ///   engine            = "postgres"
    ///   instance_class    = "db.t3.medium"
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.pii.arn
    ///   tags              = { data-class = "pii" }
    /// }
    ///
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name       = "/app/prod"
    ///   kms_key_id = aws_kms_key.pii.arn # logs under the PII key
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "logs" {
    ///   enable_key_rotation = true
    ///   tags = { data-class = "logs" }
    /// }
    ///
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name       = "/app/prod"
    ///   kms_key_id = aws_kms_key.logs.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS KMS best practices: key hierarchy and separation](https://docs.aws.amazon.com/prescriptive-guidance/latest/encryption-best-practices/kms.html)
    /// - [AWS KMS: deleting keys](https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html)
    id: "KMS005", name: "kms-key-shared-across-categories", severity: Medium, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key"],
    peers: [],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for key in &cx.analysis.keys {
        if !matches!(
            key.kind,
            KeyKind::Cmk | KeyKind::External | KeyKind::Unverified
        ) {
            continue;
        }
        let by_category = key_categories(cx.analysis, key);
        if by_category.len() < 2 {
            continue;
        }
        let described: Vec<String> = by_category
            .iter()
            .map(|(c, stores)| format!("{c} ({})", stores.join(", ")))
            .collect();
        let name = key.address.as_deref().unwrap_or(&key.id);
        let message = format!(
            "{name} protects stores of {} data categories: {}.",
            by_category.len(),
            described.join("; ")
        );
        let related: Vec<String> = key.stores.clone();
        let evidence = serde_json::json!(by_category);
        match key.address.as_deref().and_then(|a| cx.model.get(a)) {
            Some(res) => cx
                .finding(&RULE, res, "", message)
                .category(None)
                .evidence(evidence)
                .related(related)
                .push(out),
            // A key known only by a literal ARN: the finding belongs to no resource of ours.
            None => cx
                .project_finding(&RULE, message)
                .evidence(evidence)
                .related(related)
                .push(out),
        }
    }
}
