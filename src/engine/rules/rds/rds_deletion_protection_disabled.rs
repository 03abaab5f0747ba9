use super::live;
use crate::declare_rule;
use crate::engine::model::Lookup;
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags an RDS instance or cluster whose `deletion_protection` is not true (the default
    /// is false). A value not known before apply passes.
    ///
    /// ## Why is this bad?
    /// With deletion protection, a `DeleteDBInstance`/`DeleteDBCluster` call fails until
    /// someone turns it off on purpose — a `terraform destroy`, a renamed resource that
    /// Terraform replaces, or a console slip can't take the database with it. The seed's RDS
    /// example sets `deletion_protection = true`. Severity: medium.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine         = "postgres"
    ///   instance_class = "db.t3.medium"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine              = "postgres"
    ///   instance_class      = "db.t3.medium"
    ///   deletion_protection = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS: deletion protection](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection)
    /// - [AWS Security Hub: RDS controls (RDS.7, RDS.8)](https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html)
    id: "RDS002", name: "rds-deletion-protection-disabled", severity: Medium, control: AtRest,
    resource_types: ["aws_db_instance", "aws_rds_cluster"],
    peers: [
        Checkov "CKV_AWS_293", Checkov "CKV_AWS_139",
        Tfsec "aws-rds-enable-deletion-protection", Trivy "AVD-AWS-0177",
        Tfsec "aws-rds-enable-cluster-deletion-protection", Trivy "AVD-AWS-0343",
        SecurityHub "RDS.7", SecurityHub "RDS.8",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for db in live(cx.model, &["aws_db_instance", "aws_rds_cluster"]) {
        let message = match db.get("deletion_protection") {
            Lookup::Known(v) if v.as_bool() == Some(true) => continue,
            Lookup::Unknown(_) => continue,
            Lookup::Known(_) => format!("{} sets deletion_protection = false.", db.address),
            Lookup::Absent => format!(
                "{} does not set deletion_protection, which defaults to false.",
                db.address
            ),
        };
        cx.finding(&RULE, db, "deletion_protection", message)
            .push(out);
    }
}
