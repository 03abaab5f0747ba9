//! Where permissions come from: policy documents on resources (`policy` attributes, inline
//! policies), `data "aws_iam_policy_document"` (with `source_policy_documents` and
//! `override_policy_documents`), AWS managed policies by ARN, and which identities each
//! identity policy is attached to.

use std::collections::BTreeMap;

use super::managed::managed_policy;
use super::principals::{root_templates, Identities, Principal, PrincipalKind};
use crate::engine::model::{Lookup, Mode, Model, Resource, Value};
use crate::engine::policy::{self, Document, Effect, Field, Leaf, Statement};

/// How deep `source_policy_documents` chains are followed.
const MAX_DOC_DEPTH: usize = 6;

/// A policy document read from the configuration.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The resource the report names as the source (`aws_iam_policy.readers`,
    /// `aws_iam_role_policy.x`, `aws_iam_role.app` for `inline_policy`, or the managed
    /// policy's ARN).
    pub address: String,
    pub statements: Vec<Statement>,
    /// Inline (Security Hub KMS.2) rather than a customer managed policy (KMS.1).
    pub inline: bool,
    /// An AWS managed policy from the table.
    pub managed: bool,
}

/// An identity policy attached to an identity.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub identity: Principal,
    pub policy: usize,
    /// The attachment resource, when it is not the policy itself.
    pub through: Option<String>,
}

#[derive(Default)]
pub struct IdentityPolicies {
    pub policies: Vec<Policy>,
    pub attachments: Vec<Attachment>,
    /// Group address (or name) → member users.
    pub members: BTreeMap<String, Vec<Principal>>,
    /// Policies that could not be read: (address, why).
    pub unread: Vec<(String, String)>,
}

/// A document's statements and the references in its account-root templates.
pub type Read = (Vec<Statement>, Vec<String>);

/// Reads a policy attribute of `holder`, following an unknown value to the
/// `aws_iam_policy_document` data source it references.
pub fn read_policy(
    model: &Model,
    holder: &Resource,
    attr: &str,
    depth: usize,
) -> Result<Option<Read>, String> {
    let refs = |leaf: &str| holder.refs(&format!("{attr}.{leaf}")).to_vec();
    match policy::document(holder.get(attr), &refs) {
        Document::Absent => Ok(None),
        Document::Statements(s) => Ok(Some((s, root_templates(model, holder, attr)))),
        Document::Unreadable(why) => {
            for r in holder.refs(attr) {
                if let Some(d) = model
                    .resolve(r)
                    .find(|d| d.mode == Mode::Data && d.rtype == "aws_iam_policy_document")
                {
                    return policy_document(model, d, depth).map(Some);
                }
            }
            Err(format!("{attr} is not readable before apply ({why})"))
        }
    }
}

/// A `data "aws_iam_policy_document"`: its `json` when a plan read it, else its blocks, with
/// `source_policy_documents` first, its own statements replacing those with the same `sid`,
/// and `override_policy_documents` replacing or adding last (the provider's documented
/// merge order).
pub fn policy_document(
    model: &Model,
    d: &Resource,
    depth: usize,
) -> Result<(Vec<Statement>, Vec<String>), String> {
    if depth > MAX_DOC_DEPTH {
        return Err(format!(
            "{}: policy documents nested deeper than {MAX_DOC_DEPTH}",
            d.address
        ));
    }
    if let Some(json) = d.get_str("json").filter(|j| !j.trim().is_empty()) {
        let v = Value::String(json.to_string().into());
        if let Document::Statements(s) = policy::document(Lookup::Known(&v), &|_| Vec::new()) {
            return Ok((s, Vec::new()));
        }
    }
    let mut roots = root_templates(model, d, "");
    let mut merged: Vec<Statement> = Vec::new();
    let merge = |merged: &mut Vec<Statement>, incoming: Vec<Statement>| {
        for st in incoming {
            match st.sid.as_ref().and_then(|sid| {
                merged
                    .iter()
                    .position(|m| m.sid.as_deref() == Some(sid.as_str()))
            }) {
                Some(i) => merged[i] = st,
                None => merged.push(st),
            }
        }
    };
    let docs = |attr: &str, merged: &mut Vec<Statement>, roots: &mut Vec<String>| {
        let items: Vec<(usize, Option<&Value>)> = match d.get(attr) {
            Lookup::Known(Value::List(l)) => {
                l.iter().enumerate().map(|(i, v)| (i, Some(v))).collect()
            }
            Lookup::Unknown(_) => vec![(0, None)],
            _ => Vec::new(),
        };
        let mut out: Vec<Vec<Statement>> = Vec::new();
        let mut err = None;
        for (i, v) in items {
            match v {
                Some(Value::String(s)) => {
                    let v = Value::String(s.clone());
                    if let Document::Statements(st) =
                        policy::document(Lookup::Known(&v), &|_| Vec::new())
                    {
                        out.push(st);
                    }
                }
                _ => {
                    let mut refs = d.refs(&format!("{attr}.{i}")).to_vec();
                    refs.extend(d.refs(attr).iter().cloned());
                    let target = refs.iter().find_map(|r| {
                        model
                            .resolve(r)
                            .find(|t| t.mode == Mode::Data && t.rtype == "aws_iam_policy_document")
                    });
                    match target {
                        Some(t) if t.address != d.address => {
                            match policy_document(model, t, depth + 1) {
                                Ok((st, r)) => {
                                    roots.extend(r);
                                    out.push(st);
                                }
                                Err(e) => err = Some(e),
                            }
                        }
                        _ => {
                            err = Some(format!("{}.{attr} is not readable before apply", d.address))
                        }
                    }
                }
            }
        }
        for st in out {
            merge(merged, st);
        }
        err
    };
    let mut errors = Vec::new();
    errors.extend(docs("source_policy_documents", &mut merged, &mut roots));
    merge(&mut merged, own_statements(d));
    errors.extend(docs("override_policy_documents", &mut merged, &mut roots));
    if let Some(e) = errors.into_iter().next() {
        if merged.is_empty() {
            return Err(e);
        }
    }
    for (i, st) in merged.iter_mut().enumerate() {
        st.index = i;
    }
    Ok((merged, roots))
}

/// The `statement` blocks of a policy document data source, as statements.
fn own_statements(d: &Resource) -> Vec<Statement> {
    let mut out = Vec::new();
    for (path, st) in d.blocks("statement") {
        let list = |name: &str| -> Option<Field> {
            let v = st.child(name)?;
            let values = match v {
                Value::List(l) => l
                    .iter()
                    .enumerate()
                    .filter_map(|(i, x)| {
                        leaf(
                            d,
                            x,
                            &format!("{path}.{name}.{i}"),
                            &format!("{path}.{name}"),
                        )
                    })
                    .collect(),
                Value::Unknown(_) => {
                    vec![Leaf::Unknown(d.refs(&format!("{path}.{name}")).to_vec())]
                }
                other => leaf(
                    d,
                    other,
                    &format!("{path}.{name}"),
                    &format!("{path}.{name}"),
                )
                .into_iter()
                .collect(),
            };
            Some(Field { not: false, values })
        };
        let field = |yes: &str, no: &str| -> Option<Field> {
            list(no)
                .filter(|f| !f.values.is_empty())
                .map(|f| Field { not: true, ..f })
                .or_else(|| list(yes).filter(|f| !f.values.is_empty()))
        };
        let principals = ["principals", "not_principals"]
            .into_iter()
            .enumerate()
            .find_map(|(n, name)| {
                let blocks = st.child(name)?.as_list()?;
                if blocks.is_empty() {
                    return None;
                }
                let mut entries = Vec::new();
                for (j, b) in blocks.iter().enumerate() {
                    let kind = b
                        .child("type")
                        .and_then(Value::as_str)
                        .unwrap_or("AWS")
                        .to_string();
                    let at = format!("{path}.{name}.{j}.identifiers");
                    match b.child("identifiers") {
                        Some(Value::List(ids)) => {
                            for (k, x) in ids.iter().enumerate() {
                                if let Some(l) = leaf(d, x, &format!("{at}.{k}"), &at) {
                                    entries.push((kind.clone(), l));
                                }
                            }
                        }
                        Some(Value::Unknown(_)) => {
                            entries.push((kind.clone(), Leaf::Unknown(d.refs(&at).to_vec())))
                        }
                        _ => {}
                    }
                }
                Some((n == 1, entries))
            });
        let condition = st
            .child("condition")
            .and_then(Value::as_list)
            .filter(|l| !l.is_empty())
            .map(|blocks| {
                let mut m = serde_json::Map::new();
                for b in blocks {
                    let test = b.child("test").map(Value::display).unwrap_or_default();
                    let var = b.child("variable").map(Value::display).unwrap_or_default();
                    // One value is written as a string, as the provider's `json` does.
                    let values = match b.child("values").map(Value::to_json) {
                        Some(serde_json::Value::Array(mut a)) if a.len() == 1 => a.remove(0),
                        Some(v) => v,
                        None => serde_json::Value::Null,
                    };
                    let entry = m
                        .entry(test)
                        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
                    if let serde_json::Value::Object(o) = entry {
                        o.insert(var, values);
                    }
                }
                serde_json::Value::Object(m)
            });
        let effect = match st.child("effect").and_then(Value::as_str) {
            None => Effect::Allow,
            Some(e) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
            Some(e) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
            Some(_) => Effect::Unknown,
        };
        out.push(Statement {
            index: out.len(),
            sid: st
                .child("sid")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            effect,
            principals,
            actions: field("actions", "not_actions").unwrap_or_default(),
            resources: field("resources", "not_resources"),
            condition,
        });
    }
    out
}

fn leaf(d: &Resource, x: &Value, at: &str, list_at: &str) -> Option<Leaf> {
    match x {
        Value::String(s) => Some(Leaf::Known(s.to_string())),
        Value::Unknown(_) => {
            let mut r = d.refs(at).to_vec();
            if r.is_empty() {
                r = d.refs(list_at).to_vec();
            }
            Some(Leaf::Unknown(r))
        }
        _ => None,
    }
}

/// Every identity policy of the configuration and what it is attached to.
pub fn identity_policies(model: &Model, ids: &Identities) -> IdentityPolicies {
    let mut out = IdentityPolicies::default();
    let mut by_policy: BTreeMap<String, usize> = BTreeMap::new();
    let add = |out: &mut IdentityPolicies,
               holder: &Resource,
               attr: &str,
               inline: bool|
     -> Option<usize> {
        match read_policy(model, holder, attr, 0) {
            Ok(Some((statements, _))) => {
                out.policies.push(Policy {
                    address: holder.address.clone(),
                    statements,
                    inline,
                    managed: false,
                });
                Some(out.policies.len() - 1)
            }
            Ok(None) => None,
            Err(why) => {
                out.unread.push((holder.address.clone(), why));
                None
            }
        }
    };
    // Customer managed policies.
    for p in model.of_type("aws_iam_policy") {
        if let Some(i) = add(&mut out, p, "policy", false) {
            by_policy.insert(p.address.clone(), i);
            by_policy.entry(p.config_address()).or_insert(i);
        }
    }
    // Inline policies.
    for (rtype, attr, kind) in [
        ("aws_iam_role_policy", "role", PrincipalKind::Role),
        ("aws_iam_user_policy", "user", PrincipalKind::User),
        ("aws_iam_group_policy", "group", PrincipalKind::Group),
    ] {
        for r in model.of_type(rtype) {
            if let Some(i) = add(&mut out, r, "policy", true) {
                for identity in ids.named(r, attr, kind) {
                    out.attachments.push(Attachment {
                        identity,
                        policy: i,
                        through: None,
                    });
                }
            }
        }
    }
    for role in model.of_type("aws_iam_role") {
        let me = || ids.named_self(role);
        for (path, _) in role.blocks("inline_policy") {
            if let Some(i) = add(&mut out, role, &format!("{path}.policy"), true) {
                out.attachments.push(Attachment {
                    identity: me(),
                    policy: i,
                    through: None,
                });
            }
        }
        let arns = attached_arns(role, "managed_policy_arns");
        for (arn_refs, arn) in arns {
            attach(
                model,
                &mut out,
                &by_policy,
                &[me()],
                &arn_refs,
                arn.as_deref(),
                Some(format!("{}.managed_policy_arns", role.address)),
            );
        }
    }
    // Attachments.
    for (rtype, attr, kind) in [
        (
            "aws_iam_role_policy_attachment",
            "role",
            PrincipalKind::Role,
        ),
        (
            "aws_iam_user_policy_attachment",
            "user",
            PrincipalKind::User,
        ),
        (
            "aws_iam_group_policy_attachment",
            "group",
            PrincipalKind::Group,
        ),
    ] {
        for a in model.of_type(rtype) {
            let who = ids.named(a, attr, kind);
            let refs = a.refs("policy_arn").to_vec();
            attach(
                model,
                &mut out,
                &by_policy,
                &who,
                &refs,
                a.get_str("policy_arn"),
                Some(a.address.clone()),
            );
        }
    }
    for a in model.of_type("aws_iam_policy_attachment") {
        let mut who = ids.named(a, "roles", PrincipalKind::Role);
        who.extend(ids.named(a, "users", PrincipalKind::User));
        who.extend(ids.named(a, "groups", PrincipalKind::Group));
        let refs = a.refs("policy_arn").to_vec();
        attach(
            model,
            &mut out,
            &by_policy,
            &who,
            &refs,
            a.get_str("policy_arn"),
            Some(a.address.clone()),
        );
    }
    // Group membership.
    for m in model.of_type("aws_iam_group_membership") {
        for g in ids.named(m, "group", PrincipalKind::Group) {
            let users = ids.named(m, "users", PrincipalKind::User);
            out.members.entry(g.id).or_default().extend(users);
        }
    }
    for m in model.of_type("aws_iam_user_group_membership") {
        let users = ids.named(m, "user", PrincipalKind::User);
        for g in ids.named(m, "groups", PrincipalKind::Group) {
            out.members
                .entry(g.id)
                .or_default()
                .extend(users.iter().cloned());
        }
    }
    for users in out.members.values_mut() {
        crate::engine::sort::by(users, |a, b| a.id.cmp(&b.id));
        users.dedup_by(|a, b| a.id == b.id);
    }
    out
}

/// `managed_policy_arns`-style lists: each element's references and literal value.
fn attached_arns(r: &Resource, attr: &str) -> Vec<(Vec<String>, Option<String>)> {
    match r.get(attr) {
        Lookup::Known(Value::List(l)) => l
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut refs = r.refs(&format!("{attr}.{i}")).to_vec();
                if refs.is_empty() && v.is_unknown() {
                    refs = r.refs(attr).to_vec();
                }
                (refs, v.as_str().map(str::to_string))
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn attach(
    model: &Model,
    out: &mut IdentityPolicies,
    by_policy: &BTreeMap<String, usize>,
    who: &[Principal],
    refs: &[String],
    literal: Option<&str>,
    through: Option<String>,
) {
    if who.is_empty() {
        return;
    }
    let mut policy = refs.iter().find_map(|r| {
        by_policy.get(r).copied().or_else(|| {
            model
                .resolve(r)
                .find_map(|t| by_policy.get(&t.address).copied())
        })
    });
    if policy.is_none() {
        if let Some(arn) = literal {
            match managed_policy(arn) {
                Some(Some((name, doc))) => {
                    let v = Value::String(doc.to_string().into());
                    if let Document::Statements(statements) =
                        policy::document(Lookup::Known(&v), &|_| Vec::new())
                    {
                        let existing = out
                            .policies
                            .iter()
                            .position(|p| p.managed && p.address == arn);
                        policy = Some(existing.unwrap_or_else(|| {
                            out.policies.push(Policy {
                                address: arn.to_string(),
                                statements,
                                inline: false,
                                managed: true,
                            });
                            out.policies.len() - 1
                        }));
                        let _ = name;
                    }
                }
                Some(None) => {
                    out.unread.push((
                        through.clone().unwrap_or_default(),
                        format!("{arn} is an AWS managed policy planlens does not carry (its table holds the ones that grant KMS on every key)"),
                    ));
                }
                None => {
                    // A customer managed policy by ARN: the model's policy of that name.
                    let name = arn.rsplit('/').next().unwrap_or(arn);
                    policy = model
                        .of_type("aws_iam_policy")
                        .find(|p| p.get_str("arn") == Some(arn) || p.get_str("name") == Some(name))
                        .and_then(|p| by_policy.get(&p.address).copied());
                    if policy.is_none() {
                        out.unread.push((
                            through.clone().unwrap_or_default(),
                            format!("{arn} is not a policy this configuration defines"),
                        ));
                    }
                }
            }
        } else if !refs.is_empty() {
            out.unread.push((
                through.clone().unwrap_or_default(),
                format!(
                    "policy_arn comes from {}, which is not read",
                    refs.join(", ")
                ),
            ));
        }
    }
    if let Some(i) = policy {
        for identity in who {
            out.attachments.push(Attachment {
                identity: identity.clone(),
                policy: i,
                through: through.clone(),
            });
        }
    }
}

impl Identities<'_> {
    /// The principal for an identity resource itself.
    pub fn named_self(&self, r: &Resource) -> Principal {
        let kind = super::principals::identity_kind(&r.rtype).unwrap_or(PrincipalKind::Unknown);
        let mut p = self.unknown(std::slice::from_ref(&r.address), &[]);
        p.kind = kind;
        p
    }
}
