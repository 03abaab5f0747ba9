//! What the per-service readers share: how an attribute reads (set, unknown, or left to
//! AWS's default) and what a reader reports about one store.

use crate::engine::category::Category;
use crate::engine::model::{Action, Lookup, Mode, Model, Resource, Value};

/// One attribute as a reader needs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Attr<'a> {
    Set(&'a Value),
    /// Set in the configuration, but to something not known before apply.
    Unknown,
    /// Not set: AWS's default applies.
    Absent,
}

impl<'a> Attr<'a> {
    pub(crate) fn is_set(self) -> bool {
        !matches!(self, Attr::Absent)
    }
}

/// Reads `path` of `res`.
///
/// An unknown value reads as [`Attr::Unknown`]: what the configuration does not set the
/// input adapters have already removed (the plan adapter reads an Optional+Computed
/// attribute the configuration leaves out — `kms_key_id` "known after apply" on an RDS
/// instance that sets none — as not set, in one place), so an unknown left is one the
/// configuration sets (`kms_key_id = aws_kms_key.x.arn`, `var.key` without a value) or one
/// inside a `dynamic` block a plan's configuration does not describe. An empty string
/// reads as absent, as the provider treats it.
pub(crate) fn attr<'a>(res: &'a Resource, path: &str) -> Attr<'a> {
    match res.get(path) {
        Lookup::Known(Value::String(s)) if s.trim().is_empty() => Attr::Absent,
        Lookup::Known(v) => Attr::Set(v),
        Lookup::Unknown(_) => Attr::Unknown,
        Lookup::Absent => Attr::Absent,
    }
}

/// Whether the configuration gives `path` (or a block around or inside it) an expression:
/// one with references (plan JSON's `configuration` records only those), or one written in
/// the source text (HCL and `.tf.json` attributes carry their span). In source, only what
/// is written has a value, so an unknown there is always the configuration's — `encrypted =
/// True`, say, which Terraform reads as an undeclared name, not as a boolean.
pub(crate) fn configured(res: &Resource, path: &str) -> bool {
    res.meta.iter().any(|(p, m)| {
        (!m.refs.is_empty() || m.span.is_some())
            && !p.is_empty()
            && (p == path
                || p.strip_prefix(path).is_some_and(|r| r.starts_with('.'))
                || path
                    .strip_prefix(p.as_str())
                    .is_some_and(|r| r.starts_with('.')))
    })
}

/// A boolean setting: `Some(value)`, `Some(default)` when unset, `None` when unknown.
pub(crate) fn flag(res: &Resource, path: &str, default: bool) -> Option<bool> {
    match attr(res, path) {
        Attr::Set(v) => Some(v.as_bool().unwrap_or(default)),
        Attr::Unknown => None,
        Attr::Absent => Some(default),
    }
}

/// Whether a resource is a managed resource that still exists after the plan.
pub(crate) fn live_resource(r: &Resource) -> bool {
    r.mode == Mode::Managed && r.action != Some(Action::Delete)
}

/// Managed resources of a type that still exist after the plan.
pub(crate) fn live<'a>(model: &'a Model, rtype: &'a str) -> impl Iterator<Item = &'a Resource> {
    model
        .of_type(rtype)
        .filter(|r| r.action != Some(Action::Delete))
}

/// How a store is protected, before keys are resolved.
#[derive(Clone, Debug)]
pub(crate) enum Protection<'a> {
    None,
    /// SSE-S3, an AWS-owned key, SQS-managed SSE: the provider holds the key.
    ProviderOwned,
    /// The service's AWS-managed key, by alias (`alias/aws/s3`).
    AwsManaged(&'static str),
    /// Whatever protects something not in the input (the source of a read replica, the
    /// snapshot a volume is restored from): not knowable, so read in its favour, with no key
    /// node made up for it.
    Inherited,
    /// A key named inside a document (an EMR security configuration's JSON): an ARN, key id
    /// or alias, resolved as a literal.
    Named {
        value: String,
    },
    /// A key attribute that is set; resolves to a key in the hierarchy. `fallback` is the
    /// AWS-managed alias the service uses when the attribute names nothing we can follow.
    Key {
        holder: &'a Resource,
        path: String,
        fallback: &'static str,
    },
}

/// What a reader found for one store.
#[derive(Clone, Debug)]
pub(crate) struct Reading<'a> {
    pub store: &'a Resource,
    /// For resources with several stores (an instance's block devices): the block path.
    pub part: Option<String>,
    pub service: &'static str,
    pub protection: Protection<'a>,
    /// The resource and attribute whose value (or absence) decides the level.
    pub decided_by: (&'a Resource, String),
    /// What was seen, in words: `sse_algorithm = "AES256" (SSE-S3)`.
    pub evidence: String,
    /// Set when the level rests on an unknown value read in its most favourable way.
    pub assumed: Option<String>,
    /// The category the resource type implies (CloudTrail → logs).
    pub type_category: Option<Category>,
}

impl<'a> Reading<'a> {
    pub(crate) fn new(
        store: &'a Resource,
        service: &'static str,
        protection: Protection<'a>,
        decided_by: (&'a Resource, &str),
        evidence: impl Into<String>,
    ) -> Reading<'a> {
        Reading {
            store,
            part: None,
            service,
            protection,
            decided_by: (decided_by.0, decided_by.1.to_string()),
            evidence: evidence.into(),
            assumed: None,
            type_category: None,
        }
    }

    pub(crate) fn part(mut self, part: impl Into<String>) -> Self {
        self.part = Some(part.into());
        self
    }

    pub(crate) fn assumed(mut self, why: impl Into<String>) -> Self {
        self.assumed = Some(why.into());
        self
    }

    pub(crate) fn type_category(mut self, category: Category) -> Self {
        self.type_category = Some(category);
        self
    }
}

/// A store whose encryption hinges on one key attribute: set → that key; absent → `absent`.
pub(crate) fn keyed<'a>(
    store: &'a Resource,
    service: &'static str,
    key_path: &str,
    fallback: &'static str,
    absent: Protection<'a>,
    absent_evidence: &str,
) -> Reading<'a> {
    match attr(store, key_path) {
        Attr::Absent => Reading::new(store, service, absent, (store, key_path), absent_evidence),
        a => Reading::new(
            store,
            service,
            Protection::Key {
                holder: store,
                path: key_path.to_string(),
                fallback,
            },
            (store, key_path),
            describe(key_path, a),
        ),
    }
}

/// `kms_key_id = "arn:…"` / `kms_key_id = (known after apply)`.
pub(crate) fn describe(path: &str, a: Attr<'_>) -> String {
    let name = path.rsplit('.').next().unwrap_or(path);
    match a {
        Attr::Set(Value::String(s)) => format!("{name} = {s:?}"),
        Attr::Set(v) => format!("{name} = {}", v.display()),
        Attr::Unknown => format!("{name} = (known after apply)"),
        Attr::Absent => format!("{name} is not set"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::{AttrMeta, Mode, Origin};

    fn res(values: serde_json::Value, refs: &[(&str, &str)]) -> Resource {
        let mut meta = crate::engine::model::Meta::new();
        for (path, target) in refs {
            meta.insert(
                path.to_string(),
                AttrMeta {
                    span: None,
                    refs: vec![target.to_string()],
                    conditional: None,
                },
            );
        }
        let mut values = Value::from_json(values);
        if let Value::Map(m) = &mut values {
            m.insert("computed".into(), Value::unknown("known after apply"));
            m.insert("configured".into(), Value::unknown("known after apply"));
        }
        Resource {
            address: "aws_db_instance.x".into(),
            module: String::new(),
            mode: Mode::Managed,
            rtype: "aws_db_instance".into(),
            name: "x".into(),
            index: None,
            provider: "aws".into(),
            values,
            before: None,
            action: None,
            meta,
            origin: Origin::Implied,
            directives: Vec::new(),
        }
    }

    #[test]
    fn unknowns_left_by_the_adapters_are_unknown() {
        let r = res(
            serde_json::json!({"empty": "", "on": true}),
            &[("configured", "aws_kms_key.k")],
        );
        // What the configuration does not set the plan adapter has removed already (see
        // input::plan::unset_unconfigured); an unknown that is left stays unknown.
        assert_eq!(attr(&r, "computed"), Attr::Unknown);
        assert_eq!(attr(&r, "missing"), Attr::Absent);
        assert_eq!(attr(&r, "configured"), Attr::Unknown);
        assert_eq!(attr(&r, "empty"), Attr::Absent);
        assert_eq!(flag(&r, "on", false), Some(true));
        assert_eq!(flag(&r, "missing", false), Some(false));
        assert_eq!(flag(&r, "configured", false), None);
    }

    #[test]
    fn refs_on_enclosing_or_inner_blocks_count() {
        let r = res(
            serde_json::json!({}),
            &[("rule.0.apply.0.kms_master_key_id", "aws_kms_key.k")],
        );
        assert!(configured(&r, "rule"));
        assert!(configured(&r, "rule.0.apply.0.kms_master_key_id"));
        assert!(!configured(&r, "rule.0.apply.0.sse_algorithm"));
        assert!(!configured(&r, "rul"));
    }
}
