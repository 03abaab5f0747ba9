use crate::declare_rule;
use crate::engine::model::Lookup;
use crate::engine::rules::{Context, Finding};
use crate::engine::tls::inventory::live;

const PATH: &str = "node_to_node_encryption.0.enabled";

declare_rule! {
    /// ## What it does
    /// Flags an OpenSearch or Elasticsearch domain without
    /// `node_to_node_encryption { enabled = true }` (the default is off).
    ///
    /// ## Why is this bad?
    /// Without it, shard replication and queries between the domain's nodes travel
    /// unencrypted inside the VPC; TLS on the endpoint protects only the client's hop.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name = "search"
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name = "search"
    ///   node_to_node_encryption {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Node-to-node encryption for Amazon OpenSearch Service](https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html)
    /// - [Security Hub Opensearch.3: domains should encrypt data sent between nodes](https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-3)
    id: "TLS010", name: "opensearch-node-to-node-unencrypted", severity: Medium, control: InTransit,
    resource_types: ["aws_opensearch_domain", "aws_elasticsearch_domain"],
    peers: [
        Checkov "CKV_AWS_6",
        Tfsec "aws-elastic-search-enable-in-transit-encryption",
        Trivy "AVD-AWS-0043",
        SecurityHub "Opensearch.3",
        SecurityHub "ES.3",
    ],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for r in cx.model.resources.iter().filter(|r| live(r)) {
        if !matches!(
            r.rtype.as_str(),
            "aws_opensearch_domain" | "aws_elasticsearch_domain"
        ) {
            continue;
        }
        match r.get(PATH) {
            Lookup::Known(v) if v.as_bool() == Some(true) => {}
            Lookup::Unknown(_) => {}
            _ => cx
                .finding(
                    &RULE,
                    r,
                    PATH,
                    format!("{} does not encrypt traffic between its nodes (node_to_node_encryption is not enabled).", r.address),
                )
                .push(out),
        }
    }
}
