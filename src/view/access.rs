//! Who can decrypt, for the page: the principals of the access model grouped by kind (a
//! kind with many principals starts collapsed), what selecting a principal highlights in the
//! key hierarchy (the keys it can use and every store beneath them — what a leaked
//! credential exposes), and the principals of a key with the statement letting each in.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::access::{AccessEntry, Capability, PrincipalKind, Via};
use crate::engine::category::Category;
use crate::engine::sort::btree_set;
use crate::engine::Report;

use super::hierarchy::{group_id, unencrypted_id};

/// A kind with more principals than this starts collapsed.
pub const COLLAPSE_PRINCIPALS_OVER: usize = 6;

/// One principal, as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalItem {
    pub principal: String,
    pub kind: PrincipalKind,
    /// `use, administer` over all its keys.
    pub can: Vec<Capability>,
    /// Keys it holds `kms:Decrypt` on.
    pub decrypts: Vec<String>,
    /// Keys it can do anything with.
    pub keys: Vec<String>,
    pub external: bool,
}

/// Principals of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindGroup {
    pub kind: PrincipalKind,
    pub items: Vec<PrincipalItem>,
    /// Starts collapsed (more than [`COLLAPSE_PRINCIPALS_OVER`]).
    pub collapsed: bool,
}

pub fn kind_label(kind: PrincipalKind) -> &'static str {
    match kind {
        PrincipalKind::Role => "Roles",
        PrincipalKind::User => "Users",
        PrincipalKind::Group => "Groups",
        PrincipalKind::Service => "AWS services",
        PrincipalKind::Account => "Accounts",
        PrincipalKind::Anyone => "Anyone",
        PrincipalKind::Unknown => "Known after apply",
    }
}

/// The principals of the report by kind, each list sorted; `expanded` holds the kinds the
/// user opened or closed against their default.
pub fn principal_groups(report: &Report, toggled: &BTreeSet<PrincipalKind>) -> Vec<KindGroup> {
    let mut by: BTreeMap<PrincipalKind, BTreeMap<&str, PrincipalItem>> = BTreeMap::new();
    for e in &report.access {
        let item = by
            .entry(e.kind)
            .or_default()
            .entry(e.principal.as_str())
            .or_insert_with(|| PrincipalItem {
                principal: e.principal.clone(),
                kind: e.kind,
                can: Vec::new(),
                decrypts: Vec::new(),
                keys: Vec::new(),
                external: false,
            });
        for c in &e.can {
            if !item.can.contains(c) {
                item.can.push(*c);
            }
        }
        crate::engine::sort::ord(&mut item.can);
        if e.decrypt && !item.decrypts.contains(&e.key) {
            item.decrypts.push(e.key.clone());
        }
        if !item.keys.contains(&e.key) {
            item.keys.push(e.key.clone());
        }
        item.external |= e.external;
    }
    by.into_iter()
        .map(|(kind, items)| {
            let items: Vec<PrincipalItem> = items.into_values().collect();
            let collapsed = (items.len() > COLLAPSE_PRINCIPALS_OVER) != toggled.contains(&kind);
            KindGroup {
                kind,
                items,
                collapsed,
            }
        })
        .collect()
}

/// The keys a principal can decrypt with. (B-trees here are built by inserting: `collect`
/// compiles a sort into the wasm per iterator type, issue 15.)
fn decrypt_keys<'a>(report: &'a Report, principal: &str) -> BTreeSet<&'a str> {
    btree_set(
        report
            .access
            .iter()
            .filter(|e| e.principal == principal && e.decrypt)
            .map(|e| e.key.as_str()),
    )
}

/// The hierarchy's node ids a principal reaches: the keys it can decrypt with, their
/// service groups, and every store beneath them.
pub fn reach(report: &Report, principal: &str) -> BTreeSet<String> {
    let keys = decrypt_keys(report, principal);
    let mut out = btree_set(keys.iter().map(|k| k.to_string()));
    for s in &report.stores {
        let key = s.key.clone().unwrap_or_else(|| unencrypted_id(&s.provider));
        if keys.contains(key.as_str()) {
            out.insert(group_id(&key, &s.service));
            out.insert(match &s.part {
                Some(p) => format!("{}#{p}", s.address),
                None => s.address.clone(),
            });
        }
    }
    out
}

/// The stores a principal can decrypt (labels as the blast list shows them), with their
/// category.
pub fn exposed_stores(report: &Report, principal: &str) -> Vec<(String, Option<Category>, String)> {
    let keys = decrypt_keys(report, principal);
    report
        .stores
        .iter()
        .filter(|s| s.key.as_deref().is_some_and(|k| keys.contains(k)))
        .map(|s| (s.label(), s.category, s.key.clone().unwrap_or_default()))
        .collect()
}

/// A key's principals, as the key panel lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPrincipal {
    pub principal: String,
    pub kind: PrincipalKind,
    pub can: String,
    /// One line per source: `key policy "AllowAppUsage"`, `identity policy … via …`.
    pub via: Vec<String>,
    /// Every source has a condition (shown verbatim in the JSON export).
    pub conditional: bool,
}

pub fn via_text(v: &Via) -> String {
    use crate::engine::access::Source;
    let what = match v.source {
        Source::KeyPolicy => "key policy",
        Source::DefaultKeyPolicy => "default key policy",
        Source::IdentityPolicy => "identity policy",
        Source::ManagedPolicy => "AWS managed policy",
        Source::Grant => "grant",
    };
    let mut s = String::from(what);
    if let Some(st) = &v.statement {
        s.push_str(&format!(" {st:?}"));
    }
    if let Some(a) = &v.address {
        s.push_str(&format!(" in {a}"));
    }
    if let Some(t) = &v.through {
        s.push_str(&format!(" ({t})"));
    }
    if v.condition.is_some() {
        s.push_str(" · conditional");
    }
    s
}

pub fn key_principals(report: &Report, key: &str) -> Vec<KeyPrincipal> {
    report
        .access
        .iter()
        .filter(|e| e.key == key)
        .map(|e: &AccessEntry| KeyPrincipal {
            principal: e.principal.clone(),
            kind: e.kind,
            can: e
                .can
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            via: e.via.iter().map(via_text).collect(),
            conditional: !e.conditions.is_empty(),
        })
        .collect()
}

/// Who can decrypt a category: its decryptors' names, conditional ones marked.
pub fn decryptors(report: &Report, category: Category) -> Vec<String> {
    report
        .decryptors
        .get(&category)
        .into_iter()
        .flatten()
        .map(|d| {
            if d.conditional {
                format!("{} (conditional)", d.principal)
            } else {
                d.principal.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{check, Options, SourceFile};

    fn seed() -> Report {
        check(
            &[SourceFile::new("seed.plan.json", crate::example::PLAN)],
            &Options::default(),
        )
    }

    #[test]
    fn principals_by_kind_and_what_each_reaches() {
        let r = seed();
        let groups = principal_groups(&r, &BTreeSet::new());
        let kinds: Vec<PrincipalKind> = groups.iter().map(|g| g.kind).collect();
        assert_eq!(
            kinds,
            vec![
                PrincipalKind::Role,
                PrincipalKind::Service,
                PrincipalKind::Account
            ]
        );
        assert!(groups.iter().all(|g| !g.collapsed));
        let app = &groups[0].items[0];
        assert_eq!(app.principal, "arn:aws:iam::111122223333:role/app");
        assert_eq!(app.decrypts, vec!["aws_kms_key.pii", "aws_kms_key.general"]);
        // The app role reaches both keys, their groups and every store beneath.
        let hot = reach(&r, &app.principal);
        assert!(hot.contains("aws_kms_key.pii"));
        assert!(hot.contains("aws_s3_bucket.customer_data"));
        assert!(hot.contains(&group_id("aws_kms_key.pii", "s3")));
        // CloudTrail can't decrypt: it reaches nothing.
        assert!(reach(&r, "cloudtrail.amazonaws.com").is_empty());
        let exposed = exposed_stores(&r, &app.principal);
        assert!(exposed
            .iter()
            .any(|(s, c, _)| s == "aws_s3_bucket.customer_data" && *c == Some(Category::Pii)));
    }

    #[test]
    fn a_key_lists_its_principals_with_the_statement_letting_each_in() {
        let r = seed();
        let p = key_principals(&r, "aws_kms_key.pii");
        let lines: Vec<String> = p
            .iter()
            .map(|k| format!("{} {} {}", k.principal, k.can, k.via.join("; ")))
            .collect();
        assert_eq!(
            lines,
            vec![
                "arn:aws:iam::111122223333:role/app use key policy \"AllowAppUsage\" in aws_kms_key.pii",
                "arn:aws:iam::111122223333:root administer key policy \"EnableIAMUserPermissions\" in aws_kms_key.pii",
                "cloudtrail.amazonaws.com use key policy \"AllowCloudTrailUsage\" in aws_kms_key.pii",
            ]
        );
        assert_eq!(
            decryptors(&r, Category::Pii),
            vec!["arn:aws:iam::111122223333:role/app"]
        );
    }

    #[test]
    fn many_principals_of_a_kind_start_collapsed() {
        let mut r = seed();
        let template = r.access[0].clone();
        for i in 0..(COLLAPSE_PRINCIPALS_OVER + 2) {
            let mut e = template.clone();
            e.principal = format!("arn:aws:iam::111122223333:role/r{i}");
            r.access.push(e);
        }
        let roles = |t: &BTreeSet<PrincipalKind>| {
            principal_groups(&r, t)
                .into_iter()
                .find(|g| g.kind == PrincipalKind::Role)
                .unwrap()
        };
        assert!(roles(&BTreeSet::new()).collapsed);
        assert!(!roles(&[PrincipalKind::Role].into_iter().collect()).collapsed);
    }
}
