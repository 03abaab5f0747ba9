//! Who a principal is: an ARN, an account, a service, `*`, or an identity the configuration
//! defines — named by its address when the model has it, as AWS would resolve it after apply.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::engine::model::{Mode, Model, Resource};
use crate::engine::policy::{is_account_root, Leaf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrincipalKind {
    Role,
    User,
    Group,
    Service,
    Account,
    Anyone,
    Unknown,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Role => "role",
            PrincipalKind::User => "user",
            PrincipalKind::Group => "group",
            PrincipalKind::Service => "service",
            PrincipalKind::Account => "account",
            PrincipalKind::Anyone => "anyone",
            PrincipalKind::Unknown => "unknown",
        }
    }
}

/// A principal as the access model names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The identity's address (`aws_iam_role.app`) when the configuration defines it, else
    /// the ARN, service name, `*`, or the reference that is not known (`var.reader_arn`).
    pub id: String,
    pub kind: PrincipalKind,
    /// The ARN as written, when it was written as one.
    pub arn: Option<String>,
    /// The 12-digit account, when the principal names one literally.
    pub account: Option<String>,
    /// An account root whose account is the configuration's own (a template on
    /// `data.aws_caller_identity` or a variable): never external.
    pub own_account: bool,
}

impl Principal {
    fn new(id: impl Into<String>, kind: PrincipalKind) -> Principal {
        Principal {
            id: id.into(),
            kind,
            arn: None,
            account: None,
            own_account: false,
        }
    }

    pub fn is_account_root(&self) -> bool {
        self.kind == PrincipalKind::Account
    }
}

/// Resource types that are IAM identities, with their kind.
pub const IDENTITY_TYPES: [(&str, PrincipalKind); 4] = [
    ("aws_iam_role", PrincipalKind::Role),
    ("aws_iam_user", PrincipalKind::User),
    ("aws_iam_group", PrincipalKind::Group),
    ("aws_iam_service_linked_role", PrincipalKind::Role),
];

pub fn identity_kind(rtype: &str) -> Option<PrincipalKind> {
    IDENTITY_TYPES
        .iter()
        .find(|(t, _)| *t == rtype)
        .map(|(_, k)| *k)
}

/// The model's IAM identities by name and ARN, and the accounts the configuration manages.
pub struct Identities<'a> {
    model: &'a Model,
    by_name: HashMap<(PrincipalKind, String), String>,
    by_arn: HashMap<String, String>,
    /// 12-digit accounts the configuration manages (see [`Identities::new`]).
    pub managed_accounts: BTreeSet<String>,
    /// `local.NAME` → the `arn:…:iam::${…}:root` template the local is defined as.
    root_locals: HashMap<String, String>,
}

impl<'a> Identities<'a> {
    /// Indexes the identities. The managed accounts are the accounts of the configuration's
    /// own resources (any `arn` the input knows), its providers' `allowed_account_ids` and
    /// `assume_role` role ARNs, and `data.aws_caller_identity` where a plan read it.
    pub fn new(model: &'a Model) -> Identities<'a> {
        let mut by_name = HashMap::new();
        let mut by_arn = HashMap::new();
        let mut managed = BTreeSet::new();
        for r in &model.resources {
            if let Some(arn) = r.get_str("arn") {
                if let Some(acct) = arn_account(arn) {
                    if r.mode == Mode::Managed {
                        managed.insert(acct.to_string());
                    }
                }
            }
            if r.mode == Mode::Data && r.rtype == "aws_caller_identity" {
                if let Some(a) = r.get_str("account_id").filter(|a| is_account_id(a)) {
                    managed.insert(a.to_string());
                }
            }
            let Some(kind) = identity_kind(&r.rtype) else {
                continue;
            };
            if r.mode != Mode::Managed {
                continue;
            }
            let name = r.get_str("name").map(str::to_string);
            if let Some(n) = name {
                by_name
                    .entry((kind, n))
                    .or_insert_with(|| r.address.clone());
            }
            if let Some(arn) = r.get_str("arn") {
                by_arn
                    .entry(arn.to_string())
                    .or_insert_with(|| r.address.clone());
            }
        }
        for p in model.providers.iter().filter(|p| p.name == "aws") {
            if let crate::engine::model::Lookup::Known(v) = p.values.lookup("allowed_account_ids") {
                for a in v.as_list().unwrap_or_default() {
                    if let Some(a) = a.as_str().filter(|a| is_account_id(a)) {
                        managed.insert(a.to_string());
                    }
                }
            }
            if let crate::engine::model::Lookup::Known(v) =
                p.values.lookup("assume_role.0.role_arn")
            {
                if let Some(acct) = v.as_str().and_then(arn_account) {
                    managed.insert(acct.to_string());
                }
            }
        }
        Identities {
            model,
            by_name,
            by_arn,
            managed_accounts: managed,
            root_locals: root_locals(model),
        }
    }

    /// The identity a literal name refers to (`role = "app"`), by kind.
    pub fn by_name(&self, kind: PrincipalKind, name: &str) -> Option<&str> {
        self.by_name
            .get(&(kind, name.to_string()))
            .map(String::as_str)
    }

    /// A principal from a known string of the given `Principal` kind (`AWS`, `Service`, …).
    pub fn known(&self, kind: &str, value: &str) -> Principal {
        let v = value.trim();
        if v == "*" {
            return Principal::new("*", PrincipalKind::Anyone);
        }
        if kind.eq_ignore_ascii_case("service") {
            return Principal::new(v, PrincipalKind::Service);
        }
        if !kind.eq_ignore_ascii_case("aws") && kind != "*" {
            // Federated, CanonicalUser: shown as written.
            return Principal::new(format!("{kind}:{v}"), PrincipalKind::Unknown);
        }
        self.aws(v)
    }

    /// A principal from an ARN or account id.
    pub fn aws(&self, v: &str) -> Principal {
        if is_account_root(v) {
            let acct = if is_account_id(v) {
                v.to_string()
            } else {
                arn_account(v).unwrap_or_default().to_string()
            };
            let partition = v
                .split(':')
                .nth(1)
                .filter(|p| !p.is_empty() && v.starts_with("arn:"));
            let mut p = Principal::new(
                format!("arn:{}:iam::{acct}:root", partition.unwrap_or("aws")),
                PrincipalKind::Account,
            );
            p.account = Some(acct);
            p.arn = Some(v.to_string());
            return p;
        }
        let parts: Vec<&str> = v.splitn(6, ':').collect();
        let (kind, name) = match parts.as_slice() {
            ["arn", _, "iam", "", _, res] => {
                let (typ, rest) = res.split_once('/').unwrap_or((res, ""));
                let name = rest.rsplit('/').next().unwrap_or(rest);
                match typ {
                    "role" => (PrincipalKind::Role, name),
                    "user" => (PrincipalKind::User, name),
                    "group" => (PrincipalKind::Group, name),
                    _ => (PrincipalKind::Unknown, ""),
                }
            }
            ["arn", _, "sts", "", _, res] if res.starts_with("assumed-role/") => (
                PrincipalKind::Role,
                res.split('/').nth(1).unwrap_or_default(),
            ),
            _ => (PrincipalKind::Unknown, ""),
        };
        let address = self.by_arn.get(v).cloned().or_else(|| {
            (!name.is_empty())
                .then(|| self.by_name(kind, name))
                .flatten()
                .map(str::to_string)
        });
        let mut p = Principal::new(address.unwrap_or_else(|| v.to_string()), kind);
        p.arn = Some(v.to_string());
        p.account = arn_account(v).map(str::to_string);
        p
    }

    /// A principal not known before apply, from the references its expression makes.
    /// `root_of` lists the references that sit in an `arn:…:iam::${…}:root` template in
    /// the source.
    pub fn unknown(&self, refs: &[String], root_of: &[String]) -> Principal {
        for r in refs {
            if let Some(t) = self.model.resolve(r).next() {
                if let Some(kind) = identity_kind(&t.rtype) {
                    return Principal::new(r.clone(), kind);
                }
            }
            if let Some(kind) = typed_reference(r) {
                return Principal::new(r.clone(), kind);
            }
        }
        if let Some(t) = refs.iter().find_map(|r| self.root_locals.get(r)) {
            let mut p = Principal::new(t.clone(), PrincipalKind::Account);
            p.own_account = true;
            return p;
        }
        if let Some(r) = refs.iter().find(|r| root_of.contains(r)) {
            // The template's own text: `data.aws_caller_identity.current.account_id`.
            let inner = root_of
                .iter()
                .filter(|t| t.starts_with(r.as_str()))
                .max_by_key(|t| t.len())
                .unwrap_or(r);
            let mut p = Principal::new(
                format!("arn:aws:iam::${{{inner}}}:root"),
                PrincipalKind::Account,
            );
            p.own_account = true;
            return p;
        }
        match refs.first() {
            Some(r) => Principal::new(r.clone(), PrincipalKind::Unknown),
            None => Principal::new("(known after apply)", PrincipalKind::Unknown),
        }
    }

    /// A principal from a policy leaf.
    pub fn leaf(&self, kind: &str, leaf: &Leaf, root_of: &[String]) -> Principal {
        match leaf {
            Leaf::Known(v) => self.known(kind, v),
            Leaf::Unknown(refs) => {
                let mut p = self.unknown(refs, root_of);
                if kind.eq_ignore_ascii_case("service") && p.kind == PrincipalKind::Unknown {
                    p.kind = PrincipalKind::Service;
                }
                p
            }
        }
    }

    /// The identity an attachment's attribute names: by reference, else by literal name.
    pub fn named(&self, holder: &Resource, attr: &str, kind: PrincipalKind) -> Vec<Principal> {
        let mut out = Vec::new();
        for r in holder.refs(attr) {
            if let Some(t) = self.model.resolve(r).next() {
                if let Some(k) = identity_kind(&t.rtype) {
                    out.push(Principal::new(t.config_address_or(r), k));
                    continue;
                }
            }
            if typed_reference(r).is_some() || r.starts_with("var.") || r.contains("module.") {
                out.push(Principal::new(r.clone(), kind));
            }
        }
        if !out.is_empty() {
            return out;
        }
        let values: Vec<String> = match holder.get(attr) {
            crate::engine::model::Lookup::Known(v) => match v.as_list() {
                Some(l) => l
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                None => v.as_str().map(str::to_string).into_iter().collect(),
            },
            _ => Vec::new(),
        };
        for v in values {
            if v.starts_with("arn:") {
                out.push(self.aws(&v));
                continue;
            }
            let id = self
                .by_name(kind, &v)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{}/{v}", kind.as_str()));
            out.push(Principal::new(id, kind));
        }
        out
    }
}

trait AddressOr {
    fn config_address_or(&self, r: &str) -> String;
}

impl AddressOr for Resource {
    /// The reference as written when it names all instances, else this instance.
    fn config_address_or(&self, r: &str) -> String {
        if r == self.config_address() || r == self.address {
            r.to_string()
        } else {
            self.address.clone()
        }
    }
}

/// A reference to an identity the model does not hold (`data.aws_iam_role.ci`,
/// `module.iam.aws_iam_role.x`), by its type.
fn typed_reference(r: &str) -> Option<PrincipalKind> {
    r.split('.').find_map(|step| {
        let t = step.split('[').next().unwrap_or(step);
        identity_kind(t)
    })
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account of an ARN (`arn:aws:iam::111122223333:role/x` → `111122223333`).
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    (parts.next()? == "arn").then_some(())?;
    let acct = parts.nth(3)?;
    is_account_id(acct).then_some(acct)
}

/// The references that sit inside an `arn:<partition>:iam::${…}:root` template in the
/// resource's source text around `path` (the whole attribute or block): an account root
/// whose account is only known after apply (`data.aws_caller_identity.current.account_id`,
/// `var.account_id`). The model keeps such a string as unknown with its references; the
/// template's shape says which account root it is.
pub fn root_templates(model: &Model, holder: &Resource, path: &str) -> Vec<String> {
    let Some(span) = holder.span_of(path) else {
        return Vec::new();
    };
    let Some(text) = model
        .files
        .get(span.file)
        .and_then(|f| f.text.get(span.start as usize..span.end as usize))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(":iam::${") {
        let after = &rest[i + ":iam::${".len()..];
        let Some(close) = after.find('}') else {
            break;
        };
        let inner = after[..close].trim();
        if after[close + 1..].starts_with(":root") && rest[..i].ends_with_arn_prefix() {
            // `data.aws_caller_identity.current.account_id` → the resource reference.
            out.push(inner.to_string());
            let parts: Vec<&str> = inner.split('.').collect();
            for n in 2..parts.len() {
                out.push(parts[..n].join("."));
            }
        }
        rest = &after[close..];
    }
    out
}

/// Locals defined as an account-root template (`root = "arn:aws:iam::${var.account_id}:root"`
/// in a `locals` block of an HCL file): a key policy naming `local.root` names that root.
fn root_locals(model: &Model) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for f in model
        .files
        .iter()
        .filter(|f| f.kind == Some(crate::engine::model::FileKind::Hcl))
    {
        for line in f.text.lines() {
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let name = name.trim();
            let value = value.trim().trim_matches('"');
            let ident = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if ident
                && value.starts_with("arn:")
                && value.ends_with(":root")
                && value.contains(":iam::${")
                && !value.contains('"')
            {
                out.insert(format!("local.{name}"), value.to_string());
            }
        }
    }
    out
}

trait ArnPrefix {
    fn ends_with_arn_prefix(&self) -> bool;
}

impl ArnPrefix for str {
    /// Ends with `arn:<partition>` (`arn:aws`, `arn:aws-us-gov`, `arn:${partition}`).
    fn ends_with_arn_prefix(&self) -> bool {
        let tail = &self[self.len().saturating_sub(60)..];
        tail.rfind("arn:").is_some_and(|i| {
            let p = &tail[i + 4..];
            !p.is_empty() && !p.contains(['"', ' ', '\n'])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_name_their_kind_and_account() {
        let model = Model::default();
        let ids = Identities::new(&model);
        let p = ids.aws("arn:aws:iam::111122223333:role/team/app");
        assert_eq!(
            (p.kind, p.account.as_deref()),
            (PrincipalKind::Role, Some("111122223333"))
        );
        assert_eq!(p.id, "arn:aws:iam::111122223333:role/team/app");
        let root = ids.aws("111122223333");
        assert_eq!(root.id, "arn:aws:iam::111122223333:root");
        assert_eq!(root.kind, PrincipalKind::Account);
        let s = ids.aws("arn:aws:sts::444455556666:assumed-role/ops/jane");
        assert_eq!(s.kind, PrincipalKind::Role);
        assert_eq!(
            ids.known("Service", "logs.amazonaws.com").kind,
            PrincipalKind::Service
        );
        assert_eq!(ids.known("AWS", "*").kind, PrincipalKind::Anyone);
        assert_eq!(
            ids.known("Federated", "cognito-identity.amazonaws.com")
                .kind,
            PrincipalKind::Unknown
        );
    }

    #[test]
    fn unknown_principals_are_named_by_reference() {
        let model = Model::default();
        let ids = Identities::new(&model);
        let p = ids.unknown(&["module.iam.aws_iam_role.reader".into()], &[]);
        assert_eq!(
            (p.id.as_str(), p.kind),
            ("module.iam.aws_iam_role.reader", PrincipalKind::Role)
        );
        let v = ids.unknown(&["var.reader_arn".into()], &[]);
        assert_eq!(
            (v.id.as_str(), v.kind),
            ("var.reader_arn", PrincipalKind::Unknown)
        );
        let root = ids.unknown(&["var.account_id".into()], &["var.account_id".into()]);
        assert_eq!(root.kind, PrincipalKind::Account);
        assert!(root.own_account);
        assert_eq!(ids.unknown(&[], &[]).id, "(known after apply)");
    }

    #[test]
    fn arn_accounts() {
        assert_eq!(
            arn_account("arn:aws:kms:eu-west-1:111122223333:key/x"),
            Some("111122223333")
        );
        assert_eq!(
            arn_account("arn:aws:iam::aws:policy/AdministratorAccess"),
            None
        );
        assert_eq!(arn_account("nope"), None);
    }
}
