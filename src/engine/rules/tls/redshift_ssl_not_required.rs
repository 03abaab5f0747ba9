use crate::declare_rule;
use crate::engine::model::{Lookup, Model, Resource};
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::inventory::live;

const GROUP: &str = "cluster_parameter_group_name";

declare_rule! {
    /// ## What it does
    /// Flags a Redshift cluster whose parameter group does not set `require_ssl` to `true`:
    /// the cluster uses a default parameter group (`cluster_parameter_group_name` absent or
    /// `default.*`, where `require_ssl` is `false`), or an `aws_redshift_parameter_group` in
    /// the input that doesn't set it. A parameter group named but not in the input is not
    /// judged.
    ///
    /// ## Why is this bad?
    /// Without `require_ssl`, clients may connect without TLS, and query results (the
    /// warehouse's data) cross the network in plain text.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_redshift_cluster" "warehouse" {
    ///   cluster_identifier = "warehouse"
    ///   node_type          = "ra3.xlplus"
    ///   encrypted          = true
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_redshift_parameter_group" "tls" {
    ///   name   = "require-tls"
    ///   family = "redshift-1.0"
    ///   parameter {
    ///     name  = "require_ssl"
    ///     value = "true"
    ///   }
    /// }
    ///
    /// resource "aws_redshift_cluster" "warehouse" {
    ///   cluster_identifier           = "warehouse"
    ///   node_type                    = "ra3.xlplus"
    ///   encrypted                    = true
    ///   cluster_parameter_group_name = aws_redshift_parameter_group.tls.name
    /// }
    /// ```
    ///
    /// ## References
    /// - [Configuring security options for connections (require_ssl)](https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html)
    /// - [Security Hub Redshift.2: connections to clusters should be encrypted in transit](https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html#redshift-2)
    id: "TLS011", name: "redshift-ssl-not-required", severity: Medium, control: InTransit,
    resource_types: ["aws_redshift_cluster", "aws_redshift_parameter_group"],
    peers: [Checkov "CKV_AWS_105", SecurityHub "Redshift.2"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.of_type("aws_redshift_cluster").filter(|r| live(r)) {
        let group = match r.get(GROUP) {
            Lookup::Unknown(_) => match parameter_group(cx.model, r) {
                Some(g) => Some(g),
                None => continue,
            },
            Lookup::Absent => None,
            Lookup::Known(v) => {
                let name = v.display();
                match parameter_group(cx.model, r) {
                    Some(g) => Some(g),
                    None if name.starts_with("default.") => None,
                    // Named, but not in the input: can't tell.
                    None => continue,
                }
            }
        };
        match group {
            None => cx
                .finding(
                    &RULE,
                    r,
                    GROUP,
                    format!("{} uses a default parameter group, where require_ssl is false, so clients may connect without TLS.", r.address),
                )
                .push(out),
            Some(g) => {
                if let Some(path) = require_ssl_off(g) {
                    cx.finding(
                        &RULE,
                        r,
                        GROUP,
                        format!("{} uses parameter group {}, which does not set require_ssl to true.", r.address, g.address),
                    )
                    .decided_in(g, &path)
                    .push(out);
                }
            }
        }
    }
}

/// The `aws_redshift_parameter_group` a cluster names, by reference or by name.
fn parameter_group<'m>(model: &'m Model, cluster: &Resource) -> Option<&'m Resource> {
    let by_ref = cluster
        .refs(GROUP)
        .iter()
        .flat_map(|a| model.resolve(a))
        .find(|g| g.rtype == "aws_redshift_parameter_group");
    by_ref.or_else(|| {
        let name = cluster.get_str(GROUP)?;
        model
            .of_type("aws_redshift_parameter_group")
            .find(|g| g.get_str("name") == Some(name))
    })
}

/// The attribute path showing `require_ssl` is not on, or `None` when it is (or can't be read).
fn require_ssl_off(group: &Resource) -> Option<String> {
    for (path, p) in group.blocks("parameter") {
        if !matches!(p.lookup("name"), Lookup::Known(v) if v.as_str() == Some("require_ssl")) {
            continue;
        }
        return match p.lookup("value") {
            Lookup::Known(v) if v.as_bool() == Some(true) => None,
            Lookup::Unknown(_) => None,
            _ => Some(format!("{path}.value")),
        };
    }
    Some("parameter".to_string())
}
