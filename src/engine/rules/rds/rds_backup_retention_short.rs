use super::live;
use crate::declare_rule;
use crate::engine::model::Lookup;
use crate::engine::rules::{Context, Finding, Severity};

/// Security Hub RDS.11's default minimum, and the seed's `backup_retention_period = 7`.
const MINIMUM_DAYS: f64 = 7.0;

/// What RDS keeps when the API (so Terraform) creates an instance without a retention
/// period; clusters default to 1 as well.
const DEFAULT_DAYS: f64 = 1.0;

declare_rule! {
    /// ## What it does
    /// Flags an RDS instance or cluster whose `backup_retention_period` is below 7 days.
    /// Unset, RDS keeps 1 day for instances created through the API (which Terraform uses)
    /// and the provider defaults clusters to 1 — both fail. Read replicas
    /// (`replicate_source_db`) are skipped: their source's backups count. A value not known
    /// before apply passes. 0 turns automated backups off: that is high, not medium.
    ///
    /// ## Why is this bad?
    /// Automated backups give point-in-time recovery only as far back as the retention
    /// period. Corruption, a bad migration or ransomware is often noticed after days; with
    /// one day of backups, every restore point is already bad. The seed's RDS example keeps
    /// 7 days, as Security Hub's RDS.11 requires by default. Severity: medium; high when
    /// backups are off.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine                  = "postgres"
    ///   instance_class          = "db.t3.medium"
    ///   backup_retention_period = 1
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine                  = "postgres"
    ///   instance_class          = "db.t3.medium"
    ///   backup_retention_period = 7
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS: backup retention period (API default one day)](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html)
    /// - [AWS Security Hub: RDS controls (RDS.11)](https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html)
    id: "RDS003", name: "rds-backup-retention-short", severity: Medium, control: AtRest,
    resource_types: ["aws_db_instance", "aws_rds_cluster"],
    peers: [
        Checkov "CKV_AWS_133", Tfsec "aws-rds-specify-backup-retention", Trivy "AVD-AWS-0077",
        Kics "1dc73fb4-5b51-430c-8c5f-25dcf9090b02", SecurityHub "RDS.11",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for db in live(cx.model, &["aws_db_instance", "aws_rds_cluster"]) {
        if !matches!(db.get("replicate_source_db"), Lookup::Absent) {
            continue;
        }
        let (days, set) = match db.get("backup_retention_period") {
            Lookup::Known(v) => match v.as_f64() {
                Some(d) => (d, true),
                None => continue,
            },
            Lookup::Unknown(_) => continue,
            Lookup::Absent => (DEFAULT_DAYS, false),
        };
        if days >= MINIMUM_DAYS {
            continue;
        }
        let message = if set {
            format!(
                "{} sets backup_retention_period = {days}, below 7 days.",
                db.address
            )
        } else {
            format!(
                "{} does not set backup_retention_period, so RDS keeps {DEFAULT_DAYS} day of backups, below 7.",
                db.address
            )
        };
        let severity = if days <= 0.0 {
            Severity::High
        } else {
            Severity::Medium
        };
        cx.finding(&RULE, db, "backup_retention_period", message)
            .severity(severity)
            .push(out);
    }
}
