//! The TLS rules (encryption in transit), in id order.

mod api_gateway_weak_tls;
mod cloudfront_origin_insecure;
mod cloudfront_viewer_allows_http;
mod cloudfront_weak_minimum_protocol;
mod elasticache_transit_encryption_disabled;
mod lb_http_not_redirected;
mod lb_listener_weak_tls_policy;
mod lb_listener_without_tls13;
mod opensearch_endpoint_weak_tls;
mod opensearch_node_to_node_unencrypted;
mod redshift_ssl_not_required;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &lb_listener_weak_tls_policy::RULE,
    &lb_listener_without_tls13::RULE,
    &lb_http_not_redirected::RULE,
    &cloudfront_weak_minimum_protocol::RULE,
    &cloudfront_viewer_allows_http::RULE,
    &cloudfront_origin_insecure::RULE,
    &api_gateway_weak_tls::RULE,
    &elasticache_transit_encryption_disabled::RULE,
    &opensearch_endpoint_weak_tls::RULE,
    &opensearch_node_to_node_unencrypted::RULE,
    &redshift_ssl_not_required::RULE,
];
