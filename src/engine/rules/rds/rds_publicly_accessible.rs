use super::live;
use crate::declare_rule;
use crate::engine::rules::{Context, Finding};

declare_rule! {
    /// ## What it does
    /// Flags an RDS instance or Aurora cluster instance with `publicly_accessible = true`.
    /// The default is false.
    ///
    /// ## Why is this bad?
    /// A publicly accessible instance gets a DNS name that resolves to a public IP address:
    /// security groups become the only thing between the internet and the database.
    /// Encryption at rest does not help against a database anyone can connect to. The seed's
    /// RDS example sets `publicly_accessible = false # Never public`. Severity: high.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine              = "postgres"
    ///   instance_class      = "db.t3.medium"
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   engine              = "postgres"
    ///   instance_class      = "db.t3.medium"
    ///   publicly_accessible = false
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS: hiding a DB instance in a VPC from the internet](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding)
    /// - [AWS Security Hub: RDS controls (RDS.2)](https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html)
    id: "RDS001", name: "rds-publicly-accessible", severity: High, control: AtRest,
    resource_types: ["aws_db_instance", "aws_rds_cluster_instance"],
    peers: [
        Checkov "CKV_AWS_17", Tfsec "aws-rds-no-public-db-access", Trivy "AVD-AWS-0082",
        Trivy "AVD-AWS-0180", Kics "35113e6f-2c6b-414d-beec-7a9482d3b2d1", SecurityHub "RDS.2",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for db in live(cx.model, &["aws_db_instance", "aws_rds_cluster_instance"]) {
        if db.get_bool("publicly_accessible") != Some(true) {
            continue;
        }
        let message = format!("{} sets publicly_accessible = true.", db.address);
        cx.finding(&RULE, db, "publicly_accessible", message)
            .push(out);
    }
}
