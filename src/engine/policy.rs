//! KMS key-policy analysis: who may do what with a key, in one verdict per key.
//!
//! A key policy is the primary access control for a KMS key: IAM policies only count when
//! the key policy delegates to the account root. So a wildcard principal or a `kms:*` grant
//! to a workload role undoes the point of a customer-managed key, whatever the data it
//! protects.
//!
//! What counts (AWS, "Key policies in AWS KMS" and "Elements of a key policy",
//! <https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html>):
//! - only `Allow` statements grant; `Deny` statements are ignored here (they narrow);
//! - `Principal: "*"`, `{"AWS": "*"}` (or a list containing `*`) and `NotPrincipal` with
//!   `Allow` mean everyone, unless a condition on the caller's identity narrows it
//!   ([`RESTRICTING_KEYS`] with a positive operator);
//! - `kms:*`, `*` and `NotAction` with `Allow` grant every KMS action, key deletion and
//!   policy changes included. The account root (`arn:aws:iam::<account>:root` or the bare
//!   account id) may hold that: it only delegates to IAM, as AWS's default key policy does.
//!   Any other principal holding it is over-broad. Administrative action sets without a
//!   wildcard (the `kms:Create*`, `kms:Put*`, `kms:ScheduleKeyDeletion` … list AWS's console
//!   gives key administrators) are not flagged: separating key administrators from key users
//!   is what AWS recommends, and telling a deliberate admin role from a workload role is not
//!   something a policy document shows.

use std::collections::HashMap;

use crate::engine::model::{Lookup, Model, Resource, Value};
use crate::engine::stores::PolicyVerdict;

/// Condition keys that pin a wildcard principal to known callers.
pub const RESTRICTING_KEYS: [&str; 10] = [
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourcevpce",
    "kms:calleraccount",
    "kms:viaservice",
];

/// Condition operators that restrict when the key matches. Negated operators
/// (`StringNotEquals`) and `…IfExists` variants let callers without the key through.
const RESTRICTING_OPERATORS: [&str; 5] = [
    "stringequals",
    "stringequalsignorecase",
    "stringlike",
    "arnequals",
    "arnlike",
];

/// One statement that makes the policy fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyIssue {
    /// `WildcardPrincipal` or `Overbroad`.
    pub verdict: PolicyVerdict,
    /// The statement's `Sid`, or `Statement[i]`.
    pub statement: String,
    /// The principals it grants to, as written (`*`, a role ARN, `Service:logs.amazonaws.com`).
    pub principals: Vec<String>,
    /// The actions it grants (`kms:*`; `NotAction [...]` for a NotAction grant).
    pub actions: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyAnalysis {
    pub verdict: PolicyVerdict,
    pub issues: Vec<PolicyIssue>,
}

impl PolicyAnalysis {
    fn of(verdict: PolicyVerdict) -> PolicyAnalysis {
        PolicyAnalysis {
            verdict,
            issues: Vec::new(),
        }
    }
}

/// The key's effective policy: a separate `aws_kms_key_policy` for the key wins over the
/// key's own `policy` attribute (the provider documents that the two conflict, and the
/// separate resource is applied last). Returns the resource and attribute holding it.
///
/// From `.tf` input a policy whose `jsonencode()` string is not known (it names
/// `aws_iam_role.app.arn`) arrives as its document with unknown leaves, each leaf with its
/// own references: the known statements are judged, and an unknown principal that refers
/// to an IAM role or user is that identity — never the account root, never `*`.
pub fn for_key<'a>(model: &'a Model, key: &'a Resource) -> (PolicyAnalysis, &'a Resource) {
    KeyPolicies::new(model).for_key(key)
}

/// The model's `aws_kms_key_policy` resources by the key each attaches to, for looking up
/// many keys' policies: finding one by a scan of the model per key made the key rules
/// quadratic (thousands of keys × every resource).
pub struct KeyPolicies<'a> {
    /// Address of a key its `key_id` references → (position among the policies, policy).
    by_reference: HashMap<&'a str, (usize, &'a Resource)>,
    /// A literal `key_id` (key id or ARN) → (position, policy).
    by_literal: HashMap<&'a str, (usize, &'a Resource)>,
}

impl<'a> KeyPolicies<'a> {
    pub fn new(model: &'a Model) -> KeyPolicies<'a> {
        let mut by_reference = HashMap::new();
        let mut by_literal = HashMap::new();
        for (n, p) in model.of_type("aws_kms_key_policy").enumerate() {
            for r in p.refs("key_id") {
                for t in model.resolve(r) {
                    by_reference.entry(t.address.as_str()).or_insert((n, p));
                }
            }
            if let Some(v) = p.get_str("key_id") {
                by_literal.entry(v).or_insert((n, p));
            }
        }
        KeyPolicies {
            by_reference,
            by_literal,
        }
    }

    /// The first `aws_kms_key_policy` (in model order) whose `key_id` refers to `key` or
    /// names its key id or ARN.
    pub fn separate_policy(&self, key: &Resource) -> Option<&'a Resource> {
        let literal = |attr: &str| key.get_str(attr).and_then(|v| self.by_literal.get(v));
        [
            self.by_reference.get(key.address.as_str()),
            literal("key_id"),
            literal("arn"),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|(n, _)| *n)
        .map(|(_, p)| *p)
    }

    /// [`for_key`] without the scan.
    pub fn for_key(&self, key: &'a Resource) -> (PolicyAnalysis, &'a Resource) {
        let holder = self.separate_policy(key).unwrap_or(key);
        let named = |leaf: &str| named_identity(holder.refs(&format!("policy.{leaf}")));
        (analyse_with(holder.get("policy"), &named), holder)
    }
}

/// Resource types whose ARN in a principal names one IAM identity.
const IDENTITY_TYPES: [&str; 3] = [
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_service_linked_role",
];

/// The reference naming an IAM role or user (`aws_iam_role.app`, `module.x.aws_iam_role.a[0]`,
/// `data.aws_iam_role.ci`), if the expression makes one.
fn named_identity(refs: &[String]) -> Option<String> {
    refs.iter()
        .find(|r| {
            let steps: Vec<&str> = r.split('.').collect();
            steps.windows(2).any(|w| {
                let t = w[0].split('[').next().unwrap_or(w[0]);
                IDENTITY_TYPES.contains(&t)
            })
        })
        .cloned()
}

/// The `aws_kms_key_policy` whose `key_id` refers to `key`.
pub fn separate_policy<'a>(model: &'a Model, key: &'a Resource) -> Option<&'a Resource> {
    KeyPolicies::new(model).separate_policy(key)
}

/// Analyses a policy attribute: a JSON string (as `jsonencode`/plan JSON give it) or an
/// already structured value.
pub fn analyse(policy: Lookup<'_>) -> PolicyAnalysis {
    analyse_with(policy, &|_| None)
}

/// [`analyse`], told which unknown principals name an IAM identity: `named` gets the leaf's
/// path in the document (`Statement.1.Principal.AWS`) and returns the identity's name.
pub fn analyse_with(policy: Lookup<'_>, named: &dyn Fn(&str) -> Option<String>) -> PolicyAnalysis {
    match policy {
        Lookup::Absent => PolicyAnalysis::of(PolicyVerdict::Default),
        Lookup::Unknown(_) => PolicyAnalysis::of(PolicyVerdict::Unknown),
        Lookup::Known(Value::String(s)) if s.trim().is_empty() => {
            PolicyAnalysis::of(PolicyVerdict::Default)
        }
        Lookup::Known(Value::String(s)) => match parse_json(s) {
            Some(doc) => analyse_document(&doc, named),
            None => PolicyAnalysis::of(PolicyVerdict::Unknown),
        },
        Lookup::Known(v @ Value::Map(_)) => analyse_document(v, named),
        Lookup::Known(_) => PolicyAnalysis::of(PolicyVerdict::Unknown),
    }
}

/// A policy document as JSON. Hand-written heredoc policies often keep a trailing comma
/// after the last statement (checkov's own CKV_AWS_33 fixture does); the statements are
/// still plain to read, so a second attempt drops commas that close nothing but `]`/`}`.
///
/// Read straight into a [`Value`] (no `serde_json::Value` in between: every key's policy
/// is read by the stores analysis and two rules); serde_json bounds nesting at 128 levels.
fn parse_json(text: &str) -> Option<Value> {
    if let Ok(doc) = serde_json::from_str(text) {
        return Some(doc);
    }
    serde_json::from_str(&without_trailing_commas(text)).ok()
}

/// `[1, 2,]` → `[1, 2]`, outside string literals only. One linear pass.
fn without_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            out.push(c);
            continue;
        }
        match c {
            '"' => in_string = true,
            ',' => {
                let closes = text[i + 1..].trim_start().starts_with([']', '}']);
                if closes {
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

fn analyse_document(doc: &Value, named: &dyn Fn(&str) -> Option<String>) -> PolicyAnalysis {
    let statements: Vec<(String, &Value)> = match doc.child("Statement") {
        Some(Value::List(l)) => l
            .iter()
            .enumerate()
            .map(|(i, st)| (format!("Statement.{i}"), st))
            .collect(),
        Some(v @ Value::Map(_)) => vec![("Statement".to_string(), v)],
        Some(Value::Unknown(_)) => return PolicyAnalysis::of(PolicyVerdict::Unknown),
        _ => Vec::new(),
    };
    let mut issues = Vec::new();
    let mut uncertain = false;
    let mut grants_beyond_root = false;
    for (i, (path, st)) in statements.iter().enumerate() {
        let verdict = statement(st, path, named);
        uncertain |= verdict.uncertain;
        grants_beyond_root |= verdict.beyond_root;
        if let Some(kind) = verdict.issue {
            let sid = st
                .child("Sid")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| format!("Statement[{i}]"));
            issues.push(PolicyIssue {
                verdict: kind,
                statement: sid,
                principals: verdict.principals,
                actions: verdict.actions,
            });
        }
    }
    let verdict = if issues
        .iter()
        .any(|i| i.verdict == PolicyVerdict::WildcardPrincipal)
    {
        PolicyVerdict::WildcardPrincipal
    } else if !issues.is_empty() {
        PolicyVerdict::Overbroad
    } else if uncertain {
        PolicyVerdict::Unknown
    } else if !grants_beyond_root {
        // Only the account root is named: that is AWS's default key policy, which leaves
        // every decision to IAM — not the explicit policy the seed asks for.
        PolicyVerdict::Default
    } else {
        PolicyVerdict::Ok
    };
    PolicyAnalysis { verdict, issues }
}

struct StatementVerdict {
    issue: Option<PolicyVerdict>,
    uncertain: bool,
    /// Grants something to a principal other than the account root.
    beyond_root: bool,
    principals: Vec<String>,
    actions: Vec<String>,
}

fn statement(st: &Value, path: &str, named: &dyn Fn(&str) -> Option<String>) -> StatementVerdict {
    let mut out = StatementVerdict {
        issue: None,
        uncertain: false,
        beyond_root: false,
        principals: Vec::new(),
        actions: Vec::new(),
    };
    match st.child("Effect") {
        Some(Value::String(e)) if e.eq_ignore_ascii_case("allow") => {}
        Some(Value::Unknown(_)) => {
            out.uncertain = true;
            return out;
        }
        _ => return out,
    }

    let mut wildcard = st.child("NotPrincipal").is_some();
    let mut non_root = wildcard;
    if wildcard {
        out.principals.push("NotPrincipal (everyone else)".into());
    }
    match st.child("Principal") {
        Some(Value::Map(m)) => {
            for (kind, v) in m {
                let leaf = format!("{path}.Principal.{kind}");
                for p in principal_strings(v, &leaf, named, &mut out.uncertain) {
                    if let Principal::Named(identity) = p {
                        // An IAM role or user not known before apply: not the root, not `*`.
                        non_root = true;
                        out.principals.push(identity);
                        continue;
                    }
                    let Principal::Known(p) = p else {
                        continue;
                    };
                    if p == "*" {
                        wildcard = true;
                        non_root = true;
                        out.principals.push("*".into());
                    } else if kind.eq_ignore_ascii_case("aws") && is_account_root(&p) {
                        out.principals.push(p);
                    } else {
                        non_root = true;
                        out.principals.push(if kind.eq_ignore_ascii_case("aws") {
                            p
                        } else {
                            format!("{kind}:{p}")
                        });
                    }
                }
            }
        }
        Some(Value::Unknown(_)) => out.uncertain = true,
        Some(v) => {
            for p in strings(v, &mut out.uncertain) {
                wildcard |= p == "*";
                non_root = true;
                out.principals.push(p);
            }
        }
        None => {}
    }
    out.beyond_root = non_root;

    let not_action = st.child("NotAction");
    let all_actions = if let Some(na) = not_action {
        let listed = strings(na, &mut out.uncertain);
        out.actions = vec![format!("NotAction {}", listed.join(", "))];
        true
    } else {
        let actions = st
            .child("Action")
            .map(|a| strings(a, &mut out.uncertain))
            .unwrap_or_default();
        let all = actions.iter().any(|a| grants_every_action(a));
        out.actions = actions;
        all
    };

    if wildcard && !restricted(st.child("Condition"), &mut out.uncertain) {
        out.issue = Some(PolicyVerdict::WildcardPrincipal);
    } else if all_actions && non_root {
        out.issue = Some(PolicyVerdict::Overbroad);
    }
    out
}

enum Principal {
    Known(String),
    /// Unknown, but its expression names this IAM role or user.
    Named(String),
}

/// The principals of one `Principal` entry (a string or a list at `leaf`): unknown ones
/// that `named` can't place set `uncertain` and are left out.
fn principal_strings(
    v: &Value,
    leaf: &str,
    named: &dyn Fn(&str) -> Option<String>,
    uncertain: &mut bool,
) -> Vec<Principal> {
    let mut out = Vec::new();
    let mut one = |x: &Value, at: String| match x {
        Value::String(s) => out.push(Principal::Known(s.to_string())),
        Value::Unknown(_) => match named(&at) {
            Some(identity) => out.push(Principal::Named(identity)),
            None => *uncertain = true,
        },
        _ => {}
    };
    match v {
        Value::List(l) => {
            for (i, x) in l.iter().enumerate() {
                one(x, format!("{leaf}.{i}"));
            }
        }
        x => one(x, leaf.to_string()),
    }
    out
}

/// A string or a list of strings; unknown parts set `uncertain`.
fn strings(v: &Value, uncertain: &mut bool) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.to_string()],
        Value::List(l) => l
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.to_string()),
                Value::Unknown(_) => {
                    *uncertain = true;
                    None
                }
                _ => None,
            })
            .collect(),
        Value::Unknown(_) => {
            *uncertain = true;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// `*`, `kms:*` and `*:*` cover every KMS action.
fn grants_every_action(action: &str) -> bool {
    let a = action.trim().to_ascii_lowercase();
    a == "*" || a == "kms:*" || a == "*:*"
}

/// `arn:aws:iam::111122223333:root` (any partition) or a bare 12-digit account id.
pub fn is_account_root(principal: &str) -> bool {
    let p = principal.trim();
    if is_account_id(p) {
        return true;
    }
    let parts: Vec<&str> = p.split(':').collect();
    matches!(parts.as_slice(), ["arn", partition, "iam", "", account, "root"]
        if partition.starts_with("aws") && is_account_id(account))
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a statement's condition pins callers to known identities.
fn restricted(condition: Option<&Value>, uncertain: &mut bool) -> bool {
    let ops = match condition {
        Some(Value::Map(m)) => m,
        Some(Value::Unknown(_)) => {
            // A condition we can't read may well restrict: not a failure.
            *uncertain = true;
            return true;
        }
        _ => return false,
    };
    ops.iter().any(|(op, keys)| {
        let op = op.to_ascii_lowercase();
        let op = op
            .strip_prefix("forallvalues:")
            .or_else(|| op.strip_prefix("foranyvalue:"))
            .unwrap_or(&op);
        if !RESTRICTING_OPERATORS.contains(&op) {
            return false;
        }
        let Value::Map(keys) = keys else {
            return false;
        };
        keys.iter().any(|(k, v)| {
            RESTRICTING_KEYS.contains(&k.to_ascii_lowercase().as_str()) && {
                let values = strings(v, uncertain);
                values.is_empty() && v.is_unknown()
                    || (!values.is_empty() && values.iter().all(|s| s != "*"))
            }
        })
    })
}

/// A policy document read statement by statement, for the access model
/// ([`crate::engine::access`]): key policies and IAM identity policies alike.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// No policy set (a key without `policy` gets AWS's default key policy).
    Absent,
    /// Not known before apply, or not a JSON document: nothing can be read from it.
    Unreadable(String),
    Statements(Vec<Statement>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    /// Not known before apply.
    Unknown,
}

/// One value of `Principal`, `Action` or `Resource`: known, or unknown with the references
/// its expression makes (`aws_iam_role.app`, `var.account_id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leaf {
    Known(String),
    Unknown(Vec<String>),
}

/// `Action`/`NotAction`, `Resource`/`NotResource`, or one principal kind's values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Field {
    /// `NotAction`, `NotResource`, `NotPrincipal`.
    pub not: bool,
    pub values: Vec<Leaf>,
}

/// One statement, as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// 0-based position in the document.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    /// `Principal`/`NotPrincipal` as (kind, values): `("AWS", …)`, `("Service", …)`, and
    /// `("*", [*])` for `Principal = "*"`. `None` when the statement names none (identity
    /// policies).
    pub principals: Option<(bool, Vec<(String, Leaf)>)>,
    pub actions: Field,
    /// `None` when the statement has neither `Resource` nor `NotResource`.
    pub resources: Option<Field>,
    /// The `Condition` block verbatim (unknown leaves rendered as `(known after apply)`).
    pub condition: Option<serde_json::Value>,
}

impl Statement {
    /// `Sid`, else `Statement[i]`, as KMS003/KMS004 name statements.
    pub fn label(&self) -> String {
        self.sid
            .clone()
            .unwrap_or_else(|| format!("Statement[{}]", self.index))
    }
}

/// Reads a policy attribute into statements. `refs` gives the references of an unknown
/// leaf from its path in the document (`Statement.1.Principal.AWS.0`); an unknown leaf
/// inside a list is looked up at its own path, then at the list's.
pub fn document(policy: Lookup<'_>, refs: &dyn Fn(&str) -> Vec<String>) -> Document {
    let parsed;
    let doc = match policy {
        Lookup::Absent => return Document::Absent,
        Lookup::Unknown(why) => return Document::Unreadable(why.to_string()),
        Lookup::Known(Value::String(s)) if s.trim().is_empty() => return Document::Absent,
        Lookup::Known(Value::String(s)) => match parse_json(s) {
            Some(d) => {
                parsed = d;
                &parsed
            }
            None => return Document::Unreadable("the policy is not valid JSON".into()),
        },
        Lookup::Known(v @ Value::Map(_)) => v,
        Lookup::Known(_) => return Document::Unreadable("the policy is not a JSON object".into()),
    };
    document_of(doc, refs)
}

/// [`document`] on an already structured document.
pub fn document_of(doc: &Value, refs: &dyn Fn(&str) -> Vec<String>) -> Document {
    let statements: Vec<(String, &Value)> = match doc.child("Statement") {
        Some(Value::List(l)) => l
            .iter()
            .enumerate()
            .map(|(i, st)| (format!("Statement.{i}"), st))
            .collect(),
        Some(v @ Value::Map(_)) => vec![("Statement".to_string(), v)],
        Some(Value::Unknown(u)) => return Document::Unreadable(u.unknown.to_string()),
        _ => Vec::new(),
    };
    let leaves = |v: &Value, path: &str| -> Vec<Leaf> {
        let one = |x: &Value, at: &str| match x {
            Value::String(s) => Some(Leaf::Known(s.to_string())),
            Value::Unknown(_) => {
                let mut r = refs(at);
                if r.is_empty() {
                    r = refs(path);
                }
                Some(Leaf::Unknown(r))
            }
            _ => None,
        };
        match v {
            Value::List(l) => l
                .iter()
                .enumerate()
                .filter_map(|(i, x)| one(x, &format!("{path}.{i}")))
                .collect(),
            x => one(x, path).into_iter().collect(),
        }
    };
    let field = |st: &Value, path: &str, yes: &str, no: &str| -> Option<Field> {
        if let Some(v) = st.child(no) {
            return Some(Field {
                not: true,
                values: leaves(v, &format!("{path}.{no}")),
            });
        }
        st.child(yes).map(|v| Field {
            not: false,
            values: leaves(v, &format!("{path}.{yes}")),
        })
    };
    let out = statements
        .into_iter()
        .enumerate()
        .map(|(index, (path, st))| {
            let effect = match st.child("Effect") {
                Some(Value::String(e)) if e.eq_ignore_ascii_case("allow") => Effect::Allow,
                Some(Value::String(e)) if e.eq_ignore_ascii_case("deny") => Effect::Deny,
                _ => Effect::Unknown,
            };
            let principals = [("Principal", false), ("NotPrincipal", true)]
                .into_iter()
                .find_map(|(name, not)| {
                    let v = st.child(name)?;
                    let at = format!("{path}.{name}");
                    let entries = match v {
                        Value::Map(m) => m
                            .iter()
                            .flat_map(|(kind, x)| {
                                leaves(x, &format!("{at}.{kind}"))
                                    .into_iter()
                                    .map(move |l| (kind.to_string(), l))
                            })
                            .collect(),
                        other => leaves(other, &at)
                            .into_iter()
                            .map(|l| ("*".to_string(), l))
                            .collect(),
                    };
                    Some((not, entries))
                });
            Statement {
                index,
                sid: st
                    .child("Sid")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
                effect,
                principals,
                actions: field(st, &path, "Action", "NotAction").unwrap_or_default(),
                resources: field(st, &path, "Resource", "NotResource"),
                condition: st
                    .child("Condition")
                    .filter(|c| !matches!(c, Value::Null))
                    .map(Value::to_json),
            }
        })
        .collect();
    Document::Statements(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn verdict(policy: serde_json::Value) -> PolicyVerdict {
        let text = policy.to_string();
        let v = Value::String(text.into());
        analyse(Lookup::Known(&v)).verdict
    }

    const ROOT: &str = "arn:aws:iam::111122223333:root";
    const ROLE: &str = "arn:aws:iam::111122223333:role/app";

    fn allow(principal: serde_json::Value, action: serde_json::Value) -> serde_json::Value {
        json!({"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"})
    }

    fn doc(statements: Vec<serde_json::Value>) -> serde_json::Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    #[test]
    fn policy_table() {
        use PolicyVerdict::*;
        let root_all = allow(json!({"AWS": ROOT}), json!("kms:*"));
        let cases: Vec<(&str, serde_json::Value, PolicyVerdict)> = vec![
            (
                "seed policy",
                doc(vec![
                    root_all.clone(),
                    allow(
                        json!({"AWS": ROLE}),
                        json!(["kms:Decrypt", "kms:GenerateDataKey"]),
                    ),
                    allow(
                        json!({"Service": "cloudtrail.amazonaws.com"}),
                        json!(["kms:GenerateDataKey*", "kms:DescribeKey"]),
                    ),
                ]),
                Ok,
            ),
            (
                "root only is AWS's default",
                doc(vec![root_all.clone()]),
                Default,
            ),
            (
                "bare account id is root",
                doc(vec![allow(json!({"AWS": "111122223333"}), json!("kms:*"))]),
                Default,
            ),
            (
                "principal *",
                doc(vec![allow(json!("*"), json!("kms:Decrypt"))]),
                WildcardPrincipal,
            ),
            (
                "AWS *",
                doc(vec![allow(json!({"AWS": "*"}), json!("kms:Decrypt"))]),
                WildcardPrincipal,
            ),
            (
                "AWS list with *",
                doc(vec![allow(
                    json!({"AWS": [ROLE, "*"]}),
                    json!("kms:Decrypt"),
                )]),
                WildcardPrincipal,
            ),
            (
                "NotPrincipal with Allow",
                doc(vec![
                    json!({"Effect": "Allow", "NotPrincipal": {"AWS": ROLE}, "Action": "kms:Decrypt", "Resource": "*"}),
                ]),
                WildcardPrincipal,
            ),
            (
                "wildcard restricted to the organisation",
                doc(vec![
                    root_all.clone(),
                    json!({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                           "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}),
                ]),
                Ok,
            ),
            (
                "wildcard restricted by kms:CallerAccount and ViaService",
                doc(vec![
                    root_all.clone(),
                    json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*",
                           "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "s3.eu-central-1.amazonaws.com"}}}),
                ]),
                Ok,
            ),
            (
                "wildcard with a negated condition is not restricted",
                doc(vec![
                    json!({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                                "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}}),
                ]),
                WildcardPrincipal,
            ),
            (
                "wildcard with a wildcard condition value is not restricted",
                doc(vec![
                    json!({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                                "Condition": {"StringLike": {"aws:PrincipalArn": "*"}}}),
                ]),
                WildcardPrincipal,
            ),
            (
                "wildcard with an unrelated condition is not restricted",
                doc(vec![
                    json!({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
                                "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
                ]),
                WildcardPrincipal,
            ),
            (
                "deny with * is ignored",
                doc(vec![
                    root_all.clone(),
                    json!({"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}),
                ]),
                Default,
            ),
            (
                "kms:* to a role",
                doc(vec![
                    root_all.clone(),
                    allow(json!({"AWS": ROLE}), json!("kms:*")),
                ]),
                Overbroad,
            ),
            (
                "* to a role",
                doc(vec![
                    root_all.clone(),
                    allow(json!({"AWS": [ROLE]}), json!(["*"])),
                ]),
                Overbroad,
            ),
            (
                "kms:* to a service",
                doc(vec![
                    root_all.clone(),
                    allow(json!({"Service": "logs.amazonaws.com"}), json!("kms:*")),
                ]),
                Overbroad,
            ),
            (
                "NotAction allow to a role",
                doc(vec![
                    root_all.clone(),
                    json!({"Effect": "Allow", "Principal": {"AWS": ROLE}, "NotAction": "kms:ScheduleKeyDeletion", "Resource": "*"}),
                ]),
                Overbroad,
            ),
            (
                "admin actions without wildcard are fine",
                doc(vec![
                    root_all.clone(),
                    allow(
                        json!({"AWS": "arn:aws:iam::111122223333:role/key-admin"}),
                        json!([
                            "kms:Create*",
                            "kms:Describe*",
                            "kms:Enable*",
                            "kms:Put*",
                            "kms:ScheduleKeyDeletion"
                        ]),
                    ),
                ]),
                Ok,
            ),
            (
                "Decrypt* wildcard is not every action",
                doc(vec![
                    root_all.clone(),
                    allow(json!({"AWS": ROLE}), json!("kms:Decrypt*")),
                ]),
                Ok,
            ),
            (
                "single statement object",
                json!({"Statement": allow(json!({"AWS": ROLE}), json!("kms:*"))}),
                Overbroad,
            ),
            (
                "wildcard beats overbroad",
                doc(vec![
                    allow(json!({"AWS": ROLE}), json!("kms:*")),
                    allow(json!("*"), json!("kms:*")),
                ]),
                WildcardPrincipal,
            ),
            ("no statements", json!({"Version": "2012-10-17"}), Default),
        ];
        for (name, policy, expected) in cases {
            assert_eq!(verdict(policy), expected, "{name}");
        }
    }

    #[test]
    fn unknowns_are_never_failures() {
        assert_eq!(
            analyse(Lookup::Unknown("known after apply")).verdict,
            PolicyVerdict::Unknown
        );
        assert_eq!(analyse(Lookup::Absent).verdict, PolicyVerdict::Default);
        // A structured policy whose role ARN is not known yet.
        let mut statement = crate::engine::model::Map::new();
        statement.insert("Effect".into(), Value::from("Allow"));
        let mut principal = crate::engine::model::Map::new();
        principal.insert("AWS".into(), Value::unknown("known after apply"));
        statement.insert("Principal".into(), Value::Map(principal));
        statement.insert("Action".into(), Value::from("kms:Decrypt"));
        let mut doc = crate::engine::model::Map::new();
        doc.insert("Statement".into(), Value::List(vec![Value::Map(statement)]));
        let v = Value::Map(doc);
        assert_eq!(analyse(Lookup::Known(&v)).verdict, PolicyVerdict::Unknown);
        let bad = Value::from("{not json");
        assert_eq!(analyse(Lookup::Known(&bad)).verdict, PolicyVerdict::Unknown);
    }

    #[test]
    fn issues_name_the_statement() {
        let policy = doc(vec![
            allow(json!({"AWS": ROOT}), json!("kms:*")),
            json!({"Sid": "AppEverything", "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "kms:*", "Resource": "*"}),
        ]);
        let v = Value::String(policy.to_string().into());
        let a = analyse(Lookup::Known(&v));
        assert_eq!(a.issues.len(), 1);
        assert_eq!(a.issues[0].statement, "AppEverything");
        assert_eq!(a.issues[0].principals, vec![ROLE.to_string()]);
        assert_eq!(a.issues[0].actions, vec!["kms:*".to_string()]);
    }

    #[test]
    fn trailing_commas_are_forgiven() {
        let text = r#"{"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"},
        ]}"#;
        let v = Value::String(text.into());
        assert_eq!(
            analyse(Lookup::Known(&v)).verdict,
            PolicyVerdict::WildcardPrincipal
        );
        // Commas inside strings stay; other malformed JSON stays unreadable.
        assert_eq!(without_trailing_commas(r#"["a,]", 1,]"#), r#"["a,]", 1]"#);
        let bad = Value::from("{\"Statement\": [}");
        assert_eq!(analyse(Lookup::Known(&bad)).verdict, PolicyVerdict::Unknown);
    }

    /// A document from `.tf` input: a statement per (principal, action), with `None` for a
    /// principal not known before apply.
    fn partial(statements: &[(Option<&str>, &str)]) -> Value {
        let list = statements
            .iter()
            .map(|(principal, action)| {
                let mut p = crate::engine::model::Map::new();
                p.insert(
                    "AWS".into(),
                    principal.map_or(Value::unknown("known after apply"), Value::from),
                );
                let mut st = crate::engine::model::Map::new();
                st.insert("Effect".into(), Value::from("Allow"));
                st.insert("Principal".into(), Value::Map(p));
                st.insert("Action".into(), Value::from(*action));
                Value::Map(st)
            })
            .collect();
        let mut doc = crate::engine::model::Map::new();
        doc.insert("Statement".into(), Value::List(list));
        Value::Map(doc)
    }

    #[test]
    fn unknown_principals_that_name_a_role_are_that_role() {
        let role = |leaf: &str| {
            (leaf == "Statement.1.Principal.AWS").then(|| "aws_iam_role.app".to_string())
        };
        // The seed's shape: root statement plus the app role with narrow actions.
        let seed = partial(&[(Some(ROOT), "kms:*"), (None, "kms:Decrypt")]);
        assert_eq!(
            analyse_with(Lookup::Known(&seed), &role).verdict,
            PolicyVerdict::Ok
        );
        // Without knowing who it is, the policy can't be judged.
        assert_eq!(
            analyse(Lookup::Known(&seed)).verdict,
            PolicyVerdict::Unknown
        );
        // kms:* to the role is over-broad, named after the reference.
        let everything = partial(&[(Some(ROOT), "kms:*"), (None, "kms:*")]);
        let a = analyse_with(Lookup::Known(&everything), &role);
        assert_eq!(a.verdict, PolicyVerdict::Overbroad);
        assert_eq!(a.issues[0].principals, vec!["aws_iam_role.app".to_string()]);
        // A known wildcard statement is judged whatever the unknown one is.
        let wild = partial(&[(Some("*"), "kms:Decrypt"), (None, "kms:Decrypt")]);
        assert_eq!(
            analyse(Lookup::Known(&wild)).verdict,
            PolicyVerdict::WildcardPrincipal
        );
    }

    #[test]
    fn identities_are_read_from_references() {
        let refs = |r: &[&str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            named_identity(&refs(&["var.account_id", "aws_iam_role.app"])),
            Some("aws_iam_role.app".into())
        );
        assert!(named_identity(&refs(&["module.iam.aws_iam_user.ci[0]"])).is_some());
        assert!(named_identity(&refs(&["data.aws_iam_role.ci"])).is_some());
        assert_eq!(
            named_identity(&refs(&["data.aws_caller_identity.me"])),
            None
        );
        assert_eq!(named_identity(&refs(&["var.aws_iam_role"])), None);
    }

    #[test]
    fn account_roots() {
        assert!(is_account_root(ROOT));
        assert!(is_account_root("arn:aws-us-gov:iam::111122223333:root"));
        assert!(is_account_root("111122223333"));
        assert!(!is_account_root(ROLE));
        assert!(!is_account_root("arn:aws:iam::*:root"));
    }
}
