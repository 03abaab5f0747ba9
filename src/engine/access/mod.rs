//! Who can use, administer or grant each customer-managed key, and through what: the key
//! policy, IAM identity policies (when the key policy lets IAM decide), grants and group
//! membership — read from the configuration before anything is applied.
//!
//! How AWS decides (the rules this module follows):
//! - A key policy is required on every key and is the primary control; IAM policies count
//!   only when the key policy allows the account (its root principal or bare account id):
//!   "Key policies in AWS KMS" and "Allows access to the AWS account and enables IAM
//!   policies" (<https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>).
//!   A key without a policy gets the default key policy: the account root, `kms:*`.
//! - An explicit `Deny` in any policy overrides every allow; without an allow the request
//!   is denied (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>,
//!   <https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html>).
//! - `NotAction`, `NotResource` and `NotPrincipal` match everything they do not list
//!   (IAM JSON policy elements reference); action names match case-insensitively with `*`
//!   and `?` wildcards.
//! - In a key policy `Resource: "*"` means the key itself; in an identity policy a
//!   statement applies to a key when its `Resource` is `*`, matches the key's ARN, or
//!   refers to the key.
//! - Grants allow the operations they list to their grantee, within their constraints
//!   (<https://docs.aws.amazon.com/kms/latest/developerguide/grants.html>).
//! - A group's policies apply to its member users; a group is not a principal itself but
//!   is listed so its policies show.
//!
//! Conditions are kept verbatim on each source and never decided: a conditional allow is
//! an allow with its condition shown; a conditional deny limits (shown in `limited_by`)
//! and removes nothing. What is not modelled: SCPs and RCPs, permission boundaries,
//! session policies, role trust (who can assume a role), resource-based policies other
//! than key policies, `kms:ViaService`-style service paths beyond showing the condition.

pub mod actions;
mod managed;
pub mod principals;
mod sources;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use actions::{Actions, Capability};
pub use principals::{Principal, PrincipalKind};

use crate::engine::category::Category;
use crate::engine::model::{Lookup, Model, Resource, Value};
use crate::engine::policy::{self, Effect, Leaf, Statement};
use crate::engine::stores::{Analysis, Key, KeyKind};
use principals::{root_templates, Identities};
use sources::{identity_policies, IdentityPolicies};

/// Where a permission comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A statement of the key's policy.
    KeyPolicy,
    /// No policy set: AWS's default key policy (the account root, `kms:*`).
    DefaultKeyPolicy,
    /// An IAM policy attached to the principal (or its group), counted because the key
    /// policy delegates to the account.
    IdentityPolicy,
    /// An AWS managed policy from planlens's table, attached by ARN.
    ManagedPolicy,
    /// An `aws_kms_grant`.
    Grant,
}

/// One source of a principal's access to a key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Via {
    pub source: Source,
    /// The resource holding the statement or grant (`aws_kms_key.pii`,
    /// `aws_kms_key_policy.x`, `aws_iam_policy.readers`, `aws_kms_grant.etl`), or the
    /// managed policy's ARN.
    pub address: Option<String>,
    /// The statement's `Sid`, or `Statement[i]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    pub can: Vec<Capability>,
    /// The KMS actions it allows on the key, wildcards expanded.
    pub actions: Vec<String>,
    /// The statement's `Condition` (or the grant's `constraints`), verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<serde_json::Value>,
    /// How it reaches the principal: the attachment, `member of aws_iam_group.x`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    /// For identity policies: the key-policy statement that lets IAM decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated_by: Option<String>,
}

/// One (key, principal) pair: what the principal can do with the key and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// The key's id in the report's `keys` (its address).
    pub key: String,
    pub principal: String,
    pub kind: PrincipalKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    pub can: Vec<Capability>,
    /// Holds `kms:Decrypt` on the key (a reader of what it protects). The account root's
    /// delegation is not counted: the identities it delegates to are listed themselves.
    pub decrypt: bool,
    /// A principal in an account the configuration does not manage.
    #[serde(default)]
    pub external: bool,
    pub via: Vec<Via>,
    /// Every condition of the sources, verbatim; empty when some source is unconditional.
    pub conditions: Vec<serde_json::Value>,
    /// Conditional `Deny` statements that apply to the principal (their conditions decide).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limited_by: Vec<Via>,
}

impl AccessEntry {
    pub fn can(&self, c: Capability) -> bool {
        self.can.contains(&c)
    }
}

/// A principal that can decrypt a category's data, with the keys that let it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decryptor {
    pub principal: String,
    pub kind: PrincipalKind,
    pub keys: Vec<String>,
    /// Every source is conditional.
    pub conditional: bool,
}

/// Something the access model could not read, so its answer may be incomplete there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccessGap {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub address: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessModel {
    pub entries: Vec<AccessEntry>,
    pub decryptors: BTreeMap<Category, Vec<Decryptor>>,
    pub gaps: Vec<AccessGap>,
    /// Identity policies that allow a decryption action on every key (`Resource: "*"`):
    /// (policy address, statement, inline).
    pub all_keys_decrypt: Vec<AllKeysDecrypt>,
}

/// An identity-policy statement allowing `kms:Decrypt`/`kms:ReEncryptFrom` on all keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllKeysDecrypt {
    pub address: String,
    pub statement: String,
    pub actions: Vec<String>,
    pub inline: bool,
}

/// A principal's allows and denies on one key while they are gathered.
struct Pending {
    principal: Principal,
    allows: Vec<(Actions, Via)>,
}

/// A deny: who it applies to, what, and whether a condition decides it.
struct Deny {
    who: Who,
    actions: Actions,
    via: Via,
    conditional: bool,
}

enum Who {
    All,
    Only(Vec<String>),
    AllBut(Vec<String>),
}

impl Who {
    fn covers(&self, id: &str) -> bool {
        match self {
            Who::All => true,
            Who::Only(l) => l.iter().any(|x| x == id),
            Who::AllBut(l) => !l.iter().any(|x| x == id),
        }
    }
}

/// Builds the access model for every customer-managed key the configuration defines.
pub fn analyse(model: &Model, analysis: &Analysis) -> AccessModel {
    let ids = Identities::new(model);
    let identity = identity_policies(model, &ids);
    let policies = policy::KeyPolicies::new(model);
    let mut out = AccessModel::default();
    for (address, why) in &identity.unread {
        out.gaps.push(AccessGap {
            key: None,
            address: address.clone(),
            reason: why.clone(),
        });
    }
    out.all_keys_decrypt = all_keys_decrypt(&identity);
    let grants: Vec<&Resource> = model.of_type("aws_kms_grant").collect();
    for key in analysis
        .keys
        .iter()
        .filter(|k| matches!(k.kind, KeyKind::Cmk | KeyKind::External))
    {
        let Some(res) = key.address.as_deref().and_then(|a| model.get(a)) else {
            continue;
        };
        let holder = policies.separate_policy(res).unwrap_or(res);
        let entries = key_access(
            model,
            &ids,
            &identity,
            &grants,
            key,
            res,
            holder,
            &mut out.gaps,
        );
        out.entries.extend(entries);
    }
    out.decryptors = decryptors(analysis, &out.entries);
    // One gap per place, however many keys met it.
    let mut seen = BTreeSet::new();
    out.gaps.retain(|g| seen.insert(g.clone()));
    out
}

#[allow(clippy::too_many_arguments)]
fn key_access(
    model: &Model,
    ids: &Identities,
    identity: &IdentityPolicies,
    grants: &[&Resource],
    key: &Key,
    res: &Resource,
    holder: &Resource,
    gaps: &mut Vec<AccessGap>,
) -> Vec<AccessEntry> {
    let mut pending: BTreeMap<String, Pending> = BTreeMap::new();
    let mut denies: Vec<Deny> = Vec::new();
    // The accounts the key policy delegates to, with the delegating statement's actions.
    let mut delegations: Vec<(Principal, Actions, Via)> = Vec::new();
    let add = |pending: &mut BTreeMap<String, Pending>, p: Principal, a: Actions, via: Via| {
        pending
            .entry(p.id.clone())
            .or_insert_with(|| Pending {
                principal: p,
                allows: Vec::new(),
            })
            .allows
            .push((a, via));
    };

    // 1. The key policy.
    let statements = match policy::document(holder.get("policy"), &|leaf| {
        holder.refs(&format!("policy.{leaf}")).to_vec()
    }) {
        policy::Document::Absent => {
            let mut root = Principal {
                id: "arn:aws:iam::${account}:root".into(),
                kind: PrincipalKind::Account,
                arn: None,
                account: None,
                own_account: true,
            };
            if let Some(acct) = res.get_str("arn").and_then(principals::arn_account) {
                root = ids.aws(acct);
            }
            let via = Via {
                source: Source::DefaultKeyPolicy,
                address: Some(holder.address.clone()),
                statement: Some("Enable IAM User Permissions".into()),
                can: Vec::new(),
                actions: Vec::new(),
                condition: None,
                through: None,
                delegated_by: None,
            };
            delegations.push((root.clone(), Actions::all(), via.clone()));
            add(&mut pending, root, Actions::all(), via);
            Vec::new()
        }
        policy::Document::Unreadable(why) => {
            gaps.push(AccessGap {
                key: Some(key.id.clone()),
                address: holder.address.clone(),
                reason: format!(
                    "the key policy is not readable before apply ({why}){}",
                    named_in(holder, "policy")
                ),
            });
            Vec::new()
        }
        policy::Document::Statements(s) => s,
    };
    let roots = root_templates(model, holder, "policy");
    for st in &statements {
        let actions = statement_actions(st);
        if actions.is_empty() && st.effect != Effect::Unknown {
            continue;
        }
        if st.effect == Effect::Unknown {
            gaps.push(AccessGap {
                key: Some(key.id.clone()),
                address: holder.address.clone(),
                reason: format!("{}: Effect is not known before apply", st.label()),
            });
            continue;
        }
        if matches!(&st.resources, Some(r) if r.not && r.values.iter().any(|v| matches!(v, Leaf::Known(s) if s == "*")))
        {
            continue;
        }
        let via = Via {
            source: Source::KeyPolicy,
            address: Some(holder.address.clone()),
            statement: Some(st.label()),
            can: actions.capabilities(),
            actions: actions.names(),
            condition: st.condition.clone(),
            through: None,
            delegated_by: None,
        };
        let Some((not, entries)) = &st.principals else {
            continue;
        };
        let named: Vec<Principal> = entries
            .iter()
            .map(|(kind, leaf)| ids.leaf(kind, leaf, &roots))
            .collect();
        match st.effect {
            Effect::Deny => {
                let who = if *not {
                    Who::AllBut(named.iter().map(|p| p.id.clone()).collect())
                } else if named.iter().any(|p| p.kind == PrincipalKind::Anyone) {
                    Who::All
                } else {
                    Who::Only(named.iter().map(|p| p.id.clone()).collect())
                };
                denies.push(Deny {
                    who,
                    actions,
                    via,
                    conditional: st.condition.is_some(),
                });
            }
            Effect::Allow if *not => {
                // NotPrincipal with Allow: everyone but those listed.
                let mut p = ids.known("*", "*");
                p.id = format!(
                    "* (NotPrincipal: everyone but {})",
                    named
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                add(&mut pending, p, actions, via);
            }
            Effect::Allow => {
                for p in named {
                    if p.is_account_root() {
                        delegations.push((p.clone(), actions, via.clone()));
                    }
                    add(&mut pending, p, actions, via.clone());
                }
            }
            Effect::Unknown => {}
        }
    }

    // 2. Identity policies, where the key policy delegates to the account.
    let key_arn = res.get_str("arn");
    let own: Vec<&(Principal, Actions, Via)> = delegations
        .iter()
        .filter(|(p, a, _)| own_root(ids, p, *a))
        .collect();
    if !own.is_empty() {
        let delegated = own.iter().fold(Actions::NONE, |a, (_, x, _)| a.union(*x));
        let by = own
            .iter()
            .filter_map(|(_, _, v)| v.statement.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let delegation_condition = own
            .iter()
            .all(|(_, _, v)| v.condition.is_some())
            .then(|| own.first().and_then(|(_, _, v)| v.condition.clone()))
            .flatten();
        // Each identity with each of its policies, groups' policies reaching their members.
        let mut held: Vec<(Principal, usize, Option<String>)> = Vec::new();
        for a in &identity.attachments {
            held.push((a.identity.clone(), a.policy, a.through.clone()));
            if a.identity.kind == PrincipalKind::Group {
                for u in identity.members.get(&a.identity.id).into_iter().flatten() {
                    held.push((
                        u.clone(),
                        a.policy,
                        Some(format!("member of {}", a.identity.id)),
                    ));
                }
            }
        }
        for (who, pi, through) in held {
            let Some(pol) = identity.policies.get(pi) else {
                continue;
            };
            for st in &pol.statements {
                if st.principals.is_some() {
                    continue;
                }
                let actions = statement_actions(st).intersect(delegated);
                if actions.is_empty() {
                    continue;
                }
                match applies_to_key(model, st, res, key_arn) {
                    Applies::Yes => {}
                    Applies::No => continue,
                    Applies::Unknown => {
                        gaps.push(AccessGap {
                            key: Some(key.id.clone()),
                            address: pol.address.clone(),
                            reason: format!(
                                "{}: Resource is not known before apply; it may include {}",
                                st.label(),
                                key.id
                            ),
                        });
                        continue;
                    }
                }
                let via = Via {
                    source: if pol.managed {
                        Source::ManagedPolicy
                    } else {
                        Source::IdentityPolicy
                    },
                    address: Some(pol.address.clone()),
                    statement: Some(st.label()),
                    can: actions.capabilities(),
                    actions: actions.names(),
                    condition: merge_conditions(st.condition.clone(), delegation_condition.clone()),
                    through: through.clone(),
                    delegated_by: Some(by.clone()),
                };
                match st.effect {
                    Effect::Allow => add(&mut pending, who.clone(), actions, via),
                    Effect::Deny => denies.push(Deny {
                        who: Who::Only(vec![who.id.clone()]),
                        actions,
                        conditional: st.condition.is_some(),
                        via,
                    }),
                    Effect::Unknown => {}
                }
            }
        }
    }

    // 3. Grants.
    for g in grants {
        if !grant_is_for(model, g, res) {
            continue;
        }
        let ops: Vec<String> = match g.get("operations") {
            Lookup::Known(Value::List(l)) => l
                .iter()
                .filter_map(Value::as_str)
                .map(|o| format!("kms:{o}"))
                .collect(),
            _ => Vec::new(),
        };
        let actions = Actions::of(&ops, false);
        if actions.is_empty() {
            continue;
        }
        let grantee = match g.get("grantee_principal") {
            Lookup::Known(Value::String(s)) => ids.aws(s),
            _ => ids.unknown(
                g.refs("grantee_principal"),
                &root_templates(model, g, "grantee_principal"),
            ),
        };
        let constraints = match g.get("constraints") {
            Lookup::Known(v @ Value::List(l)) if !l.is_empty() => Some(v.to_json()),
            _ => None,
        };
        add(
            &mut pending,
            grantee,
            actions,
            Via {
                source: Source::Grant,
                address: Some(g.address.clone()),
                statement: None,
                can: actions.capabilities(),
                actions: actions.names(),
                condition: constraints,
                through: None,
                delegated_by: None,
            },
        );
    }

    // Settle: unconditional denies remove actions; conditional ones are shown.
    let mut entries = Vec::new();
    for (_, p) in pending {
        let removed = denies
            .iter()
            .filter(|d| !d.conditional && d.who.covers(&p.principal.id))
            .fold(Actions::NONE, |a, d| a.union(d.actions));
        let mut via = Vec::new();
        let mut total = Actions::NONE;
        for (a, mut v) in p.allows {
            let left = a.minus(removed);
            if left.capabilities().is_empty() {
                continue;
            }
            v.can = left.capabilities();
            v.actions = left.names();
            total = total.union(left);
            via.push(v);
        }
        if via.is_empty() {
            continue;
        }
        let limited_by: Vec<Via> = denies
            .iter()
            .filter(|d| d.conditional && d.who.covers(&p.principal.id))
            .filter(|d| !d.actions.intersect(total).is_empty())
            .map(|d| d.via.clone())
            .collect();
        let own_root = own_root(ids, &p.principal, total);
        let mut can = total.capabilities();
        // The account's own root is the delegation to IAM: it administers the key (AWS
        // keeps the root able to manage it); use goes to the identities IAM allows.
        if own_root && can.contains(&Capability::Administer) {
            can = vec![Capability::Administer];
        }
        let external = !is_own(ids, &p.principal);
        let conditions = if via.iter().any(|v| v.condition.is_none()) {
            Vec::new()
        } else {
            via.iter().filter_map(|v| v.condition.clone()).collect()
        };
        entries.push(AccessEntry {
            key: key.id.clone(),
            principal: p.principal.id.clone(),
            kind: p.principal.kind,
            arn: p.principal.arn.clone().filter(|a| *a != p.principal.id),
            decrypt: total.decrypts() && !own_root,
            external,
            can,
            via,
            conditions,
            limited_by,
        });
    }
    entries
}

/// ` (it names aws_iam_role.app, var.x)` for an unreadable attribute.
fn named_in(holder: &Resource, attr: &str) -> String {
    let refs = holder.refs(attr);
    if refs.is_empty() {
        String::new()
    } else {
        format!("; it refers to {}", refs.join(", "))
    }
}

/// Whether an account root is the key's own account — the key policy's delegation to IAM:
/// a root template on the caller's account or a variable, a managed account, or (when no
/// managed account is known) a root that may administer the key, which only the owning
/// account should. A root given only use is another account reading the key.
fn own_root(ids: &Identities, p: &Principal, actions: Actions) -> bool {
    if !p.is_account_root() {
        return false;
    }
    if p.own_account {
        return true;
    }
    match &p.account {
        Some(a) if !ids.managed_accounts.is_empty() => ids.managed_accounts.contains(a),
        _ => actions.capabilities().contains(&Capability::Administer),
    }
}

/// Whether a principal belongs to an account the configuration manages. Without a literal
/// account (an address, a service, a template on the caller's account) it is not external;
/// `*` is anyone, which KMS003 judges.
fn is_own(ids: &Identities, p: &Principal) -> bool {
    match (&p.account, p.kind) {
        (_, PrincipalKind::Anyone) => false,
        (Some(a), _) => ids.managed_accounts.is_empty() || ids.managed_accounts.contains(a),
        (None, _) => true,
    }
}

fn statement_actions(st: &Statement) -> Actions {
    let names: Vec<String> = st
        .actions
        .values
        .iter()
        .filter_map(|l| match l {
            Leaf::Known(s) => Some(s.clone()),
            Leaf::Unknown(_) => None,
        })
        .collect();
    Actions::of(&names, st.actions.not)
}

enum Applies {
    Yes,
    No,
    Unknown,
}

/// Whether an identity-policy statement's `Resource`/`NotResource` covers the key.
fn applies_to_key(model: &Model, st: &Statement, key: &Resource, arn: Option<&str>) -> Applies {
    let Some(field) = &st.resources else {
        // An identity policy statement without Resource is invalid: IAM rejects it.
        return Applies::No;
    };
    let mut unknown = false;
    let hit = field.values.iter().any(|v| match v {
        Leaf::Known(s) => resource_matches(s, arn),
        Leaf::Unknown(refs) => {
            let mine = refs
                .iter()
                .any(|r| *r == key.address || *r == key.config_address());
            // Another key of the configuration: not this one. A variable, a module output
            // or nothing at all: it may be this key.
            let other_key = refs.iter().any(|r| {
                model
                    .resolve(r)
                    .any(|t| crate::engine::stores::KEY_TYPES.contains(&t.rtype.as_str()))
            });
            if !mine && !other_key {
                unknown = true;
            }
            mine
        }
    });
    match (field.not, hit, unknown) {
        (false, true, _) => Applies::Yes,
        (false, false, true) => Applies::Unknown,
        (false, false, false) => Applies::No,
        (true, true, _) => Applies::No,
        (true, false, true) => Applies::Unknown,
        (true, false, false) => Applies::Yes,
    }
}

/// A Resource pattern against the key's ARN; without the ARN (created by this plan), any
/// pattern for KMS keys (`arn:aws:kms:*:*:key/*`) is taken to cover it.
fn resource_matches(pattern: &str, arn: Option<&str>) -> bool {
    let p = pattern.trim().to_ascii_lowercase();
    if p == "*" {
        return true;
    }
    match arn {
        Some(a) => actions::glob(&p, &a.to_ascii_lowercase()),
        None => {
            let parts: Vec<&str> = p.splitn(6, ':').collect();
            matches!(parts.as_slice(), ["arn", _, svc, _, _, res]
                if actions::glob(svc, "kms") && res.starts_with("key/") && res.contains('*'))
        }
    }
}

fn merge_conditions(
    a: Option<serde_json::Value>,
    b: Option<serde_json::Value>,
) -> Option<serde_json::Value> {
    match (a, b) {
        (Some(a), Some(b)) => {
            Some(serde_json::json!({ "statement": a, "key_policy_delegation": b }))
        }
        (a, b) => a.or(b),
    }
}

/// Whether a grant's `key_id` is this key (by reference, key id or ARN).
fn grant_is_for(model: &Model, g: &Resource, key: &Resource) -> bool {
    if g.refs("key_id")
        .iter()
        .any(|r| model.resolve(r).any(|t| t.address == key.address))
    {
        return true;
    }
    match g.get_str("key_id") {
        Some(v) => ["key_id", "arn", "id"]
            .iter()
            .any(|a| key.get_str(a) == Some(v)),
        None => false,
    }
}

fn all_keys_decrypt(identity: &IdentityPolicies) -> Vec<AllKeysDecrypt> {
    let mut out = Vec::new();
    let decryption = Actions::matching("kms:Decrypt").union(Actions::matching("kms:ReEncryptFrom"));
    for p in identity.policies.iter().filter(|p| !p.managed) {
        for st in &p.statements {
            if st.effect != Effect::Allow || st.principals.is_some() {
                continue;
            }
            let a = statement_actions(st).intersect(decryption);
            if a.is_empty() {
                continue;
            }
            let all = matches!(&st.resources, Some(f) if !f.not && f.values.iter().any(|v| matches!(v, Leaf::Known(s) if s.trim() == "*")));
            if all {
                out.push(AllKeysDecrypt {
                    address: p.address.clone(),
                    statement: st.label(),
                    actions: a.names(),
                    inline: p.inline,
                });
            }
        }
    }
    out
}

/// Per category, the principals holding `kms:Decrypt` on a key that protects its stores.
fn decryptors(analysis: &Analysis, entries: &[AccessEntry]) -> BTreeMap<Category, Vec<Decryptor>> {
    let mut by_key: BTreeMap<&str, BTreeSet<Category>> = BTreeMap::new();
    for s in &analysis.stores {
        if let (Some(k), Some(c)) = (&s.key, s.category) {
            by_key.entry(k.as_str()).or_default().insert(c);
        }
    }
    let mut out: BTreeMap<Category, BTreeMap<String, Decryptor>> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.decrypt) {
        let conditional = !e.conditions.is_empty();
        for c in by_key.get(e.key.as_str()).into_iter().flatten() {
            let d = out
                .entry(*c)
                .or_default()
                .entry(e.principal.clone())
                .or_insert_with(|| Decryptor {
                    principal: e.principal.clone(),
                    kind: e.kind,
                    keys: Vec::new(),
                    conditional: true,
                });
            if !d.keys.contains(&e.key) {
                d.keys.push(e.key.clone());
            }
            d.conditional &= conditional;
        }
    }
    out.into_iter()
        .map(|(c, m)| (c, m.into_values().collect()))
        .collect()
}

#[cfg(test)]
mod tests;
