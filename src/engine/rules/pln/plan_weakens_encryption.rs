use std::collections::HashMap;

use crate::declare_rule;
use crate::engine::model::{Action, Lookup, Model, Resource};
use crate::engine::rules::{Context, Finding};
use crate::engine::stores;
use crate::engine::tls::endpoints;

declare_rule! {
    /// ## What it does
    /// On plan input, compares what a resource had before the plan with what it will have
    /// after, and flags what gets weaker:
    /// - a data store's encryption level (none < provider-owned < AWS-managed key < CMK <
    ///   CMK meeting the category's recommendation), read by running the stores analysis on
    ///   the plan's `before` values and on its planned values;
    /// - a KMS key whose `enable_key_rotation` goes from `true` to off;
    /// - an endpoint whose weakest accepted TLS drops: a load balancer listener's
    ///   `ssl_policy` (or HTTPS turning into plain HTTP), a CloudFront distribution's
    ///   effective viewer policy, an API Gateway or OpenSearch domain's security policy.
    ///
    /// Resources the plan creates have nothing to compare with; their settings are the
    /// other rules' business.
    ///
    /// ## Why is this bad?
    /// A weakening hidden in a large diff is easy to approve: the reviewer sees a changed
    /// string, not "this bucket drops from its CMK to SSE-S3" or "this listener accepts TLS
    /// 1.0 again". Saying it in those words is the point.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   protocol   = "HTTPS"
    ///   ssl_policy = "ELBSecurityPolicy-2016-08" # was ELBSecurityPolicy-TLS13-1-2-2021-06
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   protocol   = "HTTPS"
    ///   ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    /// }
    /// ```
    ///
    /// ## References
    /// - [terraform show -json: the plan representation (before/after)](https://developer.hashicorp.com/terraform/internals/json-format#change-representation)
    /// - [Security policies for your Application Load Balancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)
    /// - [Rotating AWS KMS keys](https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html)
    id: "PLN002", name: "plan-weakens-encryption", severity: High, control: AtRest,
    resource_types: ["aws_lb_listener", "aws_cloudfront_distribution", "aws_kms_key", "aws_s3_bucket", "aws_db_instance"],
    peers: [],
    check: check,
}

fn changed(r: &Resource) -> bool {
    matches!(r.action, Some(Action::Update | Action::Replace)) && r.before.is_some()
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    if !cx.model.resources.iter().any(changed) {
        return;
    }
    stores_weakened(cx, out);
    for r in cx.model.resources.iter().filter(|r| changed(r)) {
        let Some(before) = &r.before else { continue };
        if r.rtype == "aws_kms_key" {
            let was = before.lookup("enable_key_rotation");
            let was_on = matches!(was, Lookup::Known(v) if v.as_bool() == Some(true));
            let now_off = match r.get("enable_key_rotation") {
                Lookup::Known(v) => v.as_bool() != Some(true),
                Lookup::Absent => true,
                Lookup::Unknown(_) => false,
            };
            if was_on && now_off {
                cx.finding(
                    &RULE,
                    r,
                    "enable_key_rotation",
                    format!(
                        "The plan turns off automatic rotation of the KMS key {}.",
                        r.address
                    ),
                )
                .evidence(
                    serde_json::json!({"before": true, "after": match r.get("enable_key_rotation") {
                        Lookup::Known(v) => v.to_json(),
                        _ => serde_json::Value::Null,
                    }}),
                )
                .push(out);
            }
            continue;
        }
        let (Some((path, was, was_label)), Some((_, now, now_label))) = (
            endpoints::strength(&r.rtype, before),
            endpoints::strength(&r.rtype, &r.values),
        ) else {
            continue;
        };
        if now < was {
            let floor = |s: &endpoints::Strength| match s.min {
                Some(p) => format!("{} and up", p.label()),
                None => "plain HTTP".into(),
            };
            cx.finding(
                &RULE,
                r,
                path,
                format!(
                    "The plan weakens {}: {was_label} ({}) becomes {now_label} ({}).",
                    r.address,
                    floor(&was),
                    floor(&now)
                ),
            )
            .evidence(serde_json::json!({"before": was_label, "after": now_label}))
            .push(out);
        }
    }
}

/// Runs the stores analysis on the plan's before values and compares each store's level.
fn stores_weakened(cx: &Context, out: &mut Vec<Finding>) {
    // The model as it was: what the plan creates is not there yet, and what it changes has
    // its before values. Only what the stores analysis reads is copied: no source texts, no
    // resources of other types (load balancers, distributions, certificates).
    let mut before_model = Model::default();
    before_model.providers = cx.model.providers.clone();
    before_model.resources = cx
        .model
        .resources
        .iter()
        .filter(|r| r.action != Some(Action::Create) && stores::reads_type(&r.rtype))
        .map(|r| Resource {
            address: r.address.clone(),
            module: r.module.clone(),
            mode: r.mode,
            rtype: r.rtype.clone(),
            name: r.name.clone(),
            index: r.index.clone(),
            provider: r.provider.clone(),
            values: r.before.as_ref().unwrap_or(&r.values).clone(),
            before: None,
            action: r.action,
            meta: r.meta.clone(),
            origin: r.origin.clone(),
            // Suppressions apply to the findings, which come from the real model.
            directives: Vec::new(),
        })
        .collect();
    before_model.index();
    let before = stores::analyse(&before_model, &cx.options.config);
    drop(before_model);
    // The first store of each (address, part), as a scan from the start would find.
    let mut was_by_store: HashMap<(&str, Option<&str>), &stores::DataStore> = HashMap::new();
    for s in &before.stores {
        was_by_store
            .entry((s.address.as_str(), s.part.as_deref()))
            .or_insert(s);
    }
    for now in &cx.analysis.stores {
        let Some(was) = was_by_store
            .get(&(now.address.as_str(), now.part.as_deref()))
            .copied()
        else {
            continue;
        };
        if now.level >= was.level {
            continue;
        }
        let Some(store) = cx.model.get(&now.address) else {
            continue;
        };
        let decided = now
            .decided_by
            .as_ref()
            .and_then(|d| cx.model.get(&d.address).map(|r| (r, d.attribute.clone())));
        let b = cx.finding(
            &RULE,
            store,
            "",
            format!(
                "The plan lowers the encryption of {}{} from {} to {}.",
                now.address,
                now.part
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default(),
                level_name(was.level),
                level_name(now.level)
            ),
        );
        let b = match decided {
            Some((r, attr)) => b.decided_in(r, &attr),
            None => b,
        };
        b.severity(RULE.severity)
            .evidence(serde_json::json!({"before": was.level, "after": now.level, "key_before": was.key, "key_after": now.key}))
            .push(out);
    }
}

fn level_name(l: crate::engine::category::Level) -> &'static str {
    use crate::engine::category::Level;
    match l {
        Level::None => "no encryption",
        Level::ProviderOwned => "a provider-owned key",
        Level::AwsManaged => "an AWS-managed KMS key",
        Level::Cmk => "a customer managed key",
        Level::CmkRecommended => "a customer managed key meeting its category's recommendation",
    }
}
