use crate::declare_rule;
use crate::engine::model::{Action, Model, Resource, Value};
use crate::engine::rules::{Context, Finding};
use crate::engine::stores::{Analysis, KEY_TYPES};

declare_rule! {
    /// ## What it does
    /// On plan input, flags every customer managed key the plan deletes or replaces
    /// (`aws_kms_key`, `aws_kms_replica_key`, `aws_kms_external_key` with action `delete`,
    /// `delete`+`create` or `create`+`delete`). One finding per key lists every data store it
    /// protects: stores whose encryption points at the key by reference, and stores whose
    /// values (after or before the plan) carry the key's ARN or key id.
    ///
    /// A replacement counts too: the new key has new key material, so nothing encrypted
    /// under the old one can be decrypted with it.
    ///
    /// ## Why is this bad?
    /// Envelope encryption means every data key of every store under the CMK is wrapped by
    /// that CMK. Once the key is gone (after its deletion window), the wrapped data keys —
    /// and so all the data beneath — are undecryptable: cryptographic erasure, as the seed
    /// puts it. This is rarely what a routine `terraform apply` intends.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   description             = "CMK for PII data"
    ///   customer_master_key_spec = "RSA_4096" # changing the spec forces a replacement
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```hcl
    /// resource "aws_kms_key" "pii" {
    ///   description             = "CMK for PII data"
    ///   deletion_window_in_days = 30
    ///   enable_key_rotation     = true
    ///
    ///   lifecycle {
    ///     prevent_destroy = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Deleting AWS KMS keys](https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html)
    /// - [Envelope encryption](https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#enveloping)
    /// - [The lifecycle meta-argument: prevent_destroy](https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle)
    id: "PLN001", name: "plan-destroys-kms-key", severity: Critical, control: AtRest,
    resource_types: ["aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key"],
    peers: [SecurityHub "KMS.3"],
    check: check,
}

fn check(cx: &Context, out: &mut Vec<Finding>) {
    for key in cx.model.resources.iter() {
        if !KEY_TYPES.contains(&key.rtype.as_str()) {
            continue;
        }
        let verb = match key.action {
            Some(Action::Delete) => "deletes",
            Some(Action::Replace) => "replaces",
            _ => continue,
        };
        let stores = protected_stores(cx.model, cx.analysis, key);
        let list = if stores.is_empty() {
            "no data store in this plan is known to use it".to_string()
        } else {
            format!(
                "everything encrypted under it becomes undecryptable: {}",
                stores.join(", ")
            )
        };
        cx.finding(
            &RULE,
            key,
            "",
            format!("The plan {verb} the KMS key {}; {list}.", key.address),
        )
        .evidence(
            serde_json::json!({"action": verb, "stores": stores, "arn": key_strings(key).first()}),
        )
        .related(stores.clone())
        // A delete is introduced by this plan even though the resource won't exist after it.
        .introduced(Some(true))
        .push(out);
    }
}

/// The key's ARN and key id as the plan knows them (before values first: a deleted or
/// replaced key's identity is the old one).
fn key_strings(key: &Resource) -> Vec<String> {
    let mut out = Vec::new();
    for values in key.before.iter().chain(std::iter::once(&key.values)) {
        for attr in ["arn", "key_id", "id"] {
            if let Some(s) = values.lookup(attr).known_str() {
                if s.len() >= 8 && !out.iter().any(|o: &String| o == s) {
                    out.push(s.to_string());
                }
            }
        }
    }
    out
}

trait KnownStr<'a> {
    fn known_str(self) -> Option<&'a str>;
}

impl<'a> KnownStr<'a> for crate::engine::model::Lookup<'a> {
    fn known_str(self) -> Option<&'a str> {
        match self {
            crate::engine::model::Lookup::Known(v) => v.as_str(),
            _ => None,
        }
    }
}

/// Every store the key protects, by the stores analysis, by reference, or by ARN/key id.
fn protected_stores(model: &Model, analysis: &Analysis, key: &Resource) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let add = |a: &str, out: &mut Vec<String>| {
        if !out.iter().any(|o| o == a) {
            out.push(a.to_string());
        }
    };
    let cfg = key.config_address();
    for k in &analysis.keys {
        if k.address
            .as_deref()
            .is_some_and(|a| a == key.address || a == cfg)
            || k.id == key.address
        {
            for s in &k.stores {
                add(s, &mut out);
            }
        }
    }
    let ids = key_strings(key);
    for store in &analysis.stores {
        let decided = store
            .decided_by
            .as_ref()
            .and_then(|d| model.get(&d.address));
        let holders = [model.get(&store.address), decided];
        let hit = holders
            .iter()
            .flatten()
            .any(|r| refers_to(r, key, &cfg) || (!ids.is_empty() && mentions(r, &ids)));
        if hit {
            add(&store.address, &mut out);
        }
    }
    out
}

fn refers_to(r: &Resource, key: &Resource, cfg: &str) -> bool {
    r.meta
        .iter()
        .filter(|(path, _)| path.contains("kms"))
        .any(|(_, m)| m.refs.iter().any(|x| x == &key.address || x == cfg))
}

/// Whether any string in the resource's values (after or before) carries one of `ids`.
fn mentions(r: &Resource, ids: &[String]) -> bool {
    r.before
        .iter()
        .chain(std::iter::once(&r.values))
        .any(|v| contains_any(v, ids))
}

fn contains_any(v: &Value, ids: &[String]) -> bool {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if ids.iter().any(|id| s.contains(id.as_str())) => return true,
            Value::List(l) => stack.extend(l),
            Value::Map(m) => stack.extend(m.values()),
            _ => {}
        }
    }
    false
}
