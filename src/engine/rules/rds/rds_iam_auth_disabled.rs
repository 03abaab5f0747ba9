use super::live;
use crate::declare_rule;
use crate::engine::model::{Lookup, Resource};
use crate::engine::rules::{Context, Finding};

/// Engines with IAM database authentication: RDS for MariaDB (10.11 and later), MySQL and
/// PostgreSQL, and Aurora MySQL/PostgreSQL — not Db2, Oracle or SQL Server.
const IAM_AUTH_ENGINES: [&str; 6] = [
    "mysql",
    "mariadb",
    "postgres",
    "aurora",
    "aurora-mysql",
    "aurora-postgresql",
];

declare_rule! {
    /// ## What it does
    /// Flags an RDS instance or cluster of an engine that supports IAM database
    /// authentication (MariaDB, MySQL, PostgreSQL, Aurora MySQL and PostgreSQL) whose
    /// `iam_database_authentication_enabled` is not true (the default is false). Other
    /// engines, and resources whose engine is not known, are skipped, and so is RDS for
    /// MariaDB before 10.11 (`engine_version = "10.6.14"`), for which AWS does not offer IAM
    /// authentication. A value not known before apply passes.
    ///
    /// ## Why is this bad?
    /// With IAM authentication, applications connect with 15-minute tokens from their IAM
    /// role instead of a long-lived password stored somewhere; access is granted, logged and
    /// revoked in IAM like every other permission. The seed's RDS example enables it:
    /// "IAM authentication instead of password (for apps)". Severity: medium.
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
    ///   engine                              = "postgres"
    ///   instance_class                      = "db.t3.medium"
    ///   iam_database_authentication_enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon RDS: IAM database authentication for MariaDB, MySQL, and PostgreSQL](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html)
    /// - [Amazon RDS: supported engines for IAM database authentication](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.RDS_Fea_Regions_DB-eng.Feature.IamDatabaseAuthentication.html)
    /// - [AWS Security Hub: RDS controls (RDS.10, RDS.12)](https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html)
    id: "RDS004", name: "rds-iam-auth-disabled", severity: Medium, control: AtRest,
    resource_types: ["aws_db_instance", "aws_rds_cluster"],
    peers: [
        Checkov "CKV_AWS_161", Checkov "CKV_AWS_162", Tfsec "aws-rds-enable-iam-auth",
        Trivy "AVD-AWS-0176", Kics "88fd05e0-ac0e-43d2-ba6d-fc0ba60ae1a6",
        SecurityHub "RDS.10", SecurityHub "RDS.12",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for db in live(cx.model, &["aws_db_instance", "aws_rds_cluster"]) {
        let supported = db
            .get_str("engine")
            .is_some_and(|e| IAM_AUTH_ENGINES.contains(&e.to_ascii_lowercase().as_str()));
        if !supported || mariadb_without_iam_auth(db) {
            continue;
        }
        let message = match db.get("iam_database_authentication_enabled") {
            Lookup::Known(v) if v.as_bool() == Some(true) => continue,
            Lookup::Unknown(_) => continue,
            Lookup::Known(_) => format!(
                "{} sets iam_database_authentication_enabled = false.",
                db.address
            ),
            Lookup::Absent => format!(
                "{} does not set iam_database_authentication_enabled, which defaults to false.",
                db.address
            ),
        };
        cx.finding(&RULE, db, "iam_database_authentication_enabled", message)
            .push(out);
    }
}

/// RDS for MariaDB offers IAM authentication from 10.11 on ("Supported Regions and DB engines
/// for IAM database authentication": 10.4, 10.5 and 10.6 are "Not available"). An absent or
/// unreadable version is the provider's default, the newest, which has it.
fn mariadb_without_iam_auth(db: &Resource) -> bool {
    if !db
        .get_str("engine")
        .is_some_and(|e| e.eq_ignore_ascii_case("mariadb"))
    {
        return false;
    }
    let Some(version) = db.get_str("engine_version") else {
        return false;
    };
    let mut parts = version.split('.').map(|p| p.trim().parse::<u32>());
    match (parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor) < (10, 11),
        (Some(Ok(major)), None) => major < 10,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::input::load;
    use crate::engine::SourceFile;

    fn db(engine: &str, version: Option<&str>) -> bool {
        let version = version
            .map(|v| format!("engine_version = \"{v}\""))
            .unwrap_or_default();
        let text = format!(
            "resource \"aws_db_instance\" \"x\" {{\n engine = \"{engine}\"\n {version}\n}}\n"
        );
        let model = load(&[SourceFile::new("main.tf", text)]);
        model.resources.iter().any(mariadb_without_iam_auth)
    }

    #[test]
    fn mariadb_before_10_11_has_no_iam_auth() {
        assert!(db("mariadb", Some("10.6.14")));
        assert!(db("mariadb", Some("10.5")));
        assert!(!db("mariadb", Some("10.11.5")));
        assert!(!db("mariadb", Some("11.4")));
        assert!(!db("mariadb", None));
        assert!(!db("mysql", Some("5.7")));
    }
}
