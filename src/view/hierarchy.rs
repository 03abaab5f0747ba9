//! The key hierarchy, laid out by code: provider (account/region) → keys → the stores they
//! protect, grouped by service. A layered tidy tree: every subtree owns a horizontal band,
//! a parent sits centred on its children, and siblings never overlap. The same layout feeds
//! the page's SVG and the downloadable one.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::category::{Category, Level};
use crate::engine::stores::{DataStore, Key, KeyKind, PolicyVerdict};
use crate::engine::Report;

use super::{clip, key_label, source_label};

/// Groups with more stores than this start collapsed, so 200 stores stay readable.
pub const COLLAPSE_OVER: usize = 8;

const MARGIN: i32 = 16;
const COLUMN_GAP: i32 = 40;
const GAP: i32 = 10;
const PROVIDER_GAP: i32 = 28;
/// Column widths: provider, key, group, store.
const WIDTHS: [i32; 4] = [170, 250, 176, 270];
/// Average glyph widths in tenths of a pixel (13px bold titles, 12px lines; the sans
/// fonts' averages plus a margin) for cutting text to its box; the full text stays in the
/// node's accessible name and tooltip.
const TITLE_CHAR_DPX: i32 = 78;
const LINE_CHAR_DPX: i32 = 66;

/// How many characters fit a box of width `w` (10px padding each side).
fn fit(w: i32, char_dpx: i32) -> usize {
    ((w - 20) * 10 / char_dpx).max(4) as usize
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Provider,
    Cmk,
    /// Imported key material (BYOK).
    External,
    /// A CMK defined outside the input.
    Unverified,
    AwsManaged,
    ProviderOwned,
    /// Stores with no encryption at all.
    Unencrypted,
    /// A category key the seed's hierarchy calls for that the provider lacks.
    Missing,
    Group,
    Store,
    /// Who can use a key (the access model): a principal, or a collapsed kind of them.
    Principal,
}

impl NodeKind {
    pub fn class(self) -> &'static str {
        match self {
            NodeKind::Provider => "provider",
            NodeKind::Cmk => "cmk",
            NodeKind::External => "cmk external",
            NodeKind::Unverified => "cmk unverified",
            NodeKind::AwsManaged => "aws-managed",
            NodeKind::ProviderOwned => "provider-owned",
            NodeKind::Unencrypted => "unencrypted",
            NodeKind::Missing => "missing",
            NodeKind::Group => "group",
            NodeKind::Store => "store",
            NodeKind::Principal => "principal",
        }
    }

    fn column(self) -> usize {
        match self {
            NodeKind::Provider | NodeKind::Principal => 0,
            NodeKind::Group => 2,
            NodeKind::Store => 3,
            _ => 1,
        }
    }

    fn height(self, lines: usize) -> i32 {
        match self {
            NodeKind::Group => 40,
            NodeKind::Store | NodeKind::Principal => 44,
            _ => 22 + 16 * lines as i32,
        }
    }

    /// A customer-managed key, the only kind whose sharing across categories matters
    /// (AWS-managed and provider-owned keys are per service by design).
    pub fn is_cmk(self) -> bool {
        matches!(
            self,
            NodeKind::Cmk | NodeKind::External | NodeKind::Unverified
        )
    }

    /// Whether selecting it shows a blast radius.
    pub fn is_key(self) -> bool {
        matches!(
            self,
            NodeKind::Cmk
                | NodeKind::External
                | NodeKind::Unverified
                | NodeKind::AwsManaged
                | NodeKind::ProviderOwned
                | NodeKind::Unencrypted
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Unique within a layout: `provider:aws`, the key id, `group:<key>|<service>`, the
    /// store address (with its part), `missing:<provider>|<category>`.
    pub id: String,
    pub kind: NodeKind,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    /// Cut to fit the box.
    pub title: String,
    pub lines: Vec<String>,
    /// The uncut title and lines, one per line: the tooltip (and, flattened, the
    /// accessible name).
    pub full: String,
    /// The key this node belongs to (itself for keys): what selecting a key highlights.
    pub key: Option<String>,
    pub parent: Option<usize>,
    /// A key protecting stores of more than one category.
    pub shared: bool,
    /// Something to fix shows on the node: rotation off, a wildcard policy, no encryption,
    /// a store below its minimum.
    pub warn: bool,
    /// For groups: collapsed, and how many stores it holds.
    pub collapsed: bool,
    pub count: usize,
}

impl Node {
    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }
    pub fn right(&self) -> i32 {
        self.x + self.w
    }
    pub fn centre_y(&self) -> i32 {
        self.y + self.h / 2
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// SVG path data: a horizontal S-curve from the parent's right edge to the child's left.
    pub path: String,
    pub key: Option<String>,
    pub dashed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub width: i32,
    pub height: i32,
}

/// The groups whose collapse state the user flipped (by group node id).
pub type Toggled = BTreeSet<String>;

pub fn group_id(key: &str, service: &str) -> String {
    format!("group:{key}|{service}")
}

pub fn is_collapsed(id: &str, count: usize, toggled: &Toggled) -> bool {
    (count > COLLAPSE_OVER) != toggled.contains(id)
}

/// Keys after their stores are attached: what the tree is built from.
struct KeyEntry<'a> {
    id: String,
    key: Option<&'a Key>,
    kind: NodeKind,
    stores: Vec<&'a DataStore>,
}

fn kind_of(key: &Key) -> NodeKind {
    match key.kind {
        KeyKind::Cmk => NodeKind::Cmk,
        KeyKind::External => NodeKind::External,
        KeyKind::Unverified => NodeKind::Unverified,
        KeyKind::AwsManaged => NodeKind::AwsManaged,
        KeyKind::ProviderOwned => NodeKind::ProviderOwned,
    }
}

/// Keys first, then AWS-managed, provider-owned, unencrypted; by label within each.
fn kind_rank(kind: NodeKind) -> u8 {
    match kind {
        NodeKind::Cmk | NodeKind::External | NodeKind::Unverified => 0,
        NodeKind::AwsManaged => 1,
        NodeKind::ProviderOwned => 2,
        NodeKind::Unencrypted => 3,
        _ => 4,
    }
}

/// The id of the pseudo-key holding a provider's unencrypted stores.
pub fn unencrypted_id(provider: &str) -> String {
    format!("unencrypted:{provider}")
}

/// The categories (classified ones) among a key's stores.
fn categories(stores: &[&DataStore]) -> BTreeSet<Category> {
    crate::engine::sort::btree_set(stores.iter().filter_map(|s| s.category))
}

/// Per provider, its key entries in drawing order.
fn entries(report: &Report) -> BTreeMap<String, Vec<KeyEntry<'_>>> {
    let mut by_provider: BTreeMap<String, Vec<KeyEntry>> = BTreeMap::new();
    for p in &report.providers {
        by_provider.entry(p.key.clone()).or_default();
    }
    let mut index: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for k in &report.keys {
        let list = by_provider.entry(k.provider.clone()).or_default();
        index.insert(k.id.clone(), (k.provider.clone(), list.len()));
        list.push(KeyEntry {
            id: k.id.clone(),
            key: Some(k),
            kind: kind_of(k),
            stores: Vec::new(),
        });
    }
    for s in &report.stores {
        let id = match &s.key {
            Some(id) => id.clone(),
            None => unencrypted_id(&s.provider),
        };
        if let Some((p, i)) = index.get(&id) {
            if let Some(e) = by_provider.get_mut(p).and_then(|l| l.get_mut(*i)) {
                e.stores.push(s);
                continue;
            }
        }
        // A key the analysis did not list (or none at all): its own node.
        let kind = if s.key.is_some() {
            NodeKind::Unverified
        } else {
            NodeKind::Unencrypted
        };
        let list = by_provider.entry(s.provider.clone()).or_default();
        index.insert(id.clone(), (s.provider.clone(), list.len()));
        list.push(KeyEntry {
            id,
            key: None,
            kind,
            stores: vec![s],
        });
    }
    for list in by_provider.values_mut() {
        crate::engine::sort::by(list, |a, b| {
            kind_rank(a.kind)
                .cmp(&kind_rank(b.kind))
                .then_with(|| entry_label(a).cmp(&entry_label(b)))
                .then_with(|| a.id.cmp(&b.id))
        });
        for e in list.iter_mut() {
            crate::engine::sort::by(&mut e.stores, |a, b| {
                a.address.cmp(&b.address).then(a.part.cmp(&b.part))
            });
        }
    }
    by_provider
}

fn entry_label(e: &KeyEntry) -> String {
    match e.key {
        Some(k) => key_label(k),
        None if e.kind == NodeKind::Unencrypted => "not encrypted".into(),
        None => e.id.clone(),
    }
}

fn policy_text(p: Option<PolicyVerdict>) -> (&'static str, bool) {
    match p {
        Some(PolicyVerdict::Ok) => ("policy: explicit, scoped", false),
        Some(PolicyVerdict::Default) => ("policy: AWS default (root kms:*)", false),
        Some(PolicyVerdict::WildcardPrincipal) => ("policy: wildcard principal", true),
        Some(PolicyVerdict::Overbroad) => ("policy: over-broad grant", true),
        Some(PolicyVerdict::Unknown) | None => ("policy: not known", false),
    }
}

/// Title and lines of a key node, and whether it shows something to fix.
fn key_text(e: &KeyEntry, shared: &BTreeSet<Category>) -> (String, Vec<String>, bool) {
    let cats = |fallback: Option<Category>| -> String {
        if shared.is_empty() {
            fallback
                .map(|c| c.as_str().to_string())
                .unwrap_or_else(|| "no category".into())
        } else {
            shared
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        }
    };
    let n = e.stores.len();
    let protects = format!("protects {n} store{}", if n == 1 { "" } else { "s" });
    match (e.kind, e.key) {
        (NodeKind::Unencrypted, _) => (
            "Not encrypted".into(),
            vec![
                format!("{n} store{} without a key", if n == 1 { "" } else { "s" }),
                "data at rest in the clear".into(),
            ],
            true,
        ),
        (NodeKind::AwsManaged, k) => (
            "AWS-managed key".into(),
            vec![
                k.and_then(|k| k.alias.clone())
                    .unwrap_or_else(|| e.id.trim_start_matches("aws-managed:").into()),
                "rotated by AWS; policy not yours".into(),
                protects,
            ],
            false,
        ),
        (NodeKind::ProviderOwned, _) => (
            "Provider-owned key".into(),
            vec![
                format!(
                    "{} default encryption",
                    e.id.trim_start_matches("provider-owned:")
                ),
                "not in your account, no key policy".into(),
                protects,
            ],
            false,
        ),
        (kind, Some(k)) => {
            let what = match kind {
                NodeKind::External => "CMK, imported material (BYOK)",
                NodeKind::Unverified => "CMK, unverified (outside this input)",
                _ if k.hsm => "CMK in a custom key store (HSM)",
                _ => "CMK",
            };
            let rotation = match k.rotation {
                Some(true) => "rotation on",
                Some(false) => "rotation OFF",
                None => "rotation unknown",
            };
            let window = match k.deletion_window {
                Some(d) => format!("deletion {d} d"),
                None => "deletion 30 d (default)".into(),
            };
            let (policy, bad_policy) = policy_text(k.policy);
            let warn = k.rotation == Some(false)
                || k.deletion_window.is_some_and(|d| d < 14)
                || bad_policy;
            let category = format!("{what} · {}", cats(k.category));
            (
                key_label(k),
                vec![
                    category,
                    format!("{rotation} · {window}"),
                    policy.into(),
                    protects,
                ],
                warn,
            )
        }
        (_, None) => (
            e.id.clone(),
            vec![
                format!("CMK, unverified · {}", cats(None)),
                "defined outside this input".into(),
                protects,
            ],
            false,
        ),
    }
}

/// Lays out the hierarchy. `toggled` flips groups' default collapse state.
pub fn layout(report: &Report, toggled: &Toggled) -> Layout {
    let mut xs = [MARGIN; 4];
    for c in 1..4 {
        xs[c] = xs[c - 1] + WIDTHS[c - 1] + COLUMN_GAP;
    }
    let mut out = Layout::default();
    let mut cursor = MARGIN;
    let providers: BTreeMap<&str, &crate::engine::stores::ProviderNode> = report
        .providers
        .iter()
        .map(|p| (p.key.as_str(), p))
        .collect();
    let mut missing: BTreeMap<&str, Vec<&crate::engine::stores::MissingKey>> = BTreeMap::new();
    for m in &report.missing_keys {
        missing.entry(m.provider.as_str()).or_default().push(m);
    }
    let mut all = entries(report);
    for m in missing.keys() {
        all.entry(m.to_string()).or_default();
    }

    let push = |out: &mut Layout, mut node: Node| -> usize {
        let col = node.kind.column();
        // Names are drawn with control and bidi characters made visible (see `shown`).
        node.title = super::shown(&node.title).into_owned();
        for line in &mut node.lines {
            *line = super::shown(line).into_owned();
        }
        node.x = xs[col];
        node.w = WIDTHS[col];
        node.full = std::iter::once(node.title.as_str())
            .chain(node.lines.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n");
        // A key drawn under its alias still names its resource in the tooltip.
        let id = super::shown(&node.id);
        if matches!(node.kind, NodeKind::Cmk | NodeKind::External) && node.title != id {
            node.full = format!("{}\n{id}", node.full);
        }
        node.title = if node.kind == NodeKind::Store {
            super::clip_middle(&node.title, fit(node.w, TITLE_CHAR_DPX))
        } else {
            clip(&node.title, fit(node.w, TITLE_CHAR_DPX))
        };
        for line in &mut node.lines {
            *line = clip(line, fit(node.w, LINE_CHAR_DPX));
        }
        out.nodes.push(node);
        out.nodes.len() - 1
    };

    for (pi, (pkey, keys)) in all.iter().enumerate() {
        if pi > 0 {
            cursor += PROVIDER_GAP - GAP;
        }
        let p_top = cursor;
        let mut key_nodes = Vec::new();
        for e in keys {
            let k_top = cursor;
            let k_start = out.nodes.len();
            let shared_set = categories(&e.stores);
            let shared = shared_set.len() > 1 && e.kind.is_cmk();
            let no_categories = BTreeSet::new();
            let (title, lines, warn) =
                key_text(e, if shared { &shared_set } else { &no_categories });
            let mut groups: BTreeMap<&str, Vec<&DataStore>> = BTreeMap::new();
            for s in &e.stores {
                groups.entry(s.service.as_str()).or_default().push(s);
            }
            let mut group_nodes = Vec::new();
            for (service, stores) in &groups {
                let gid = group_id(&e.id, service);
                let collapsed = is_collapsed(&gid, stores.len(), toggled);
                let g_top = cursor;
                let g_start = out.nodes.len();
                let mut store_nodes = Vec::new();
                if !collapsed {
                    for s in stores {
                        let below = s.level < s.category.unwrap_or(Category::Operational).minimum();
                        let node = Node {
                            id: match &s.part {
                                Some(p) => format!("{}#{p}", s.address),
                                None => s.address.clone(),
                            },
                            kind: NodeKind::Store,
                            x: 0,
                            y: cursor,
                            w: 0,
                            h: NodeKind::Store.height(1),
                            title: super::matrix::store_name(s),
                            lines: vec![store_line(s)],
                            key: Some(e.id.clone()),
                            full: String::new(),
                            parent: None,
                            shared: false,
                            warn: below,
                            collapsed: false,
                            count: 0,
                        };
                        cursor += node.h + GAP;
                        store_nodes.push(push(&mut out, node));
                    }
                }
                let n = stores.len();
                let group = Node {
                    id: gid,
                    kind: NodeKind::Group,
                    x: 0,
                    y: g_top,
                    w: 0,
                    h: NodeKind::Group.height(1),
                    title: format!("{service} · {n} store{}", if n == 1 { "" } else { "s" }),
                    lines: vec![group_line(stores, collapsed)],
                    key: Some(e.id.clone()),
                    full: String::new(),
                    parent: None,
                    shared: false,
                    warn: stores
                        .iter()
                        .any(|s| s.level < s.category.unwrap_or(Category::Operational).minimum()),
                    collapsed,
                    count: n,
                };
                let gi = place_parent(
                    &mut out,
                    &mut cursor,
                    group,
                    g_top,
                    g_start,
                    &store_nodes,
                    &push,
                );
                group_nodes.push(gi);
            }
            let node = Node {
                id: e.id.clone(),
                kind: e.kind,
                x: 0,
                y: k_top,
                w: 0,
                h: e.kind.height(lines.len() + 1),
                title,
                lines,
                key: Some(e.id.clone()),
                full: String::new(),
                parent: None,
                shared,
                warn,
                collapsed: false,
                count: e.stores.len(),
            };
            let ki = place_parent(
                &mut out,
                &mut cursor,
                node,
                k_top,
                k_start,
                &group_nodes,
                &push,
            );
            key_nodes.push(ki);
        }
        for m in missing.get(pkey.as_str()).into_iter().flatten() {
            let node = Node {
                id: format!("missing:{}|{}", m.provider, m.category),
                kind: NodeKind::Missing,
                x: 0,
                y: cursor,
                w: 0,
                h: NodeKind::Missing.height(2),
                title: format!("missing {}", m.alias.trim_start_matches("alias/")),
                lines: vec![
                    {
                        let n = report
                            .stores
                            .iter()
                            .filter(|s| s.provider == m.provider && s.category == Some(m.category))
                            .count();
                        format!(
                            "needed by {n} {} store{}",
                            m.category,
                            if n == 1 { "" } else { "s" }
                        )
                    },
                    "the seed: one CMK per category".into(),
                ],
                key: None,
                full: String::new(),
                parent: None,
                shared: false,
                warn: true,
                collapsed: false,
                count: 0,
            };
            cursor += node.h + GAP;
            key_nodes.push(push(&mut out, node));
        }
        let p = providers.get(pkey.as_str());
        let node = Node {
            id: format!("provider:{pkey}"),
            kind: NodeKind::Provider,
            x: 0,
            y: p_top,
            w: 0,
            h: NodeKind::Provider.height(2),
            title: pkey.clone(),
            lines: vec![
                format!(
                    "region {}",
                    p.and_then(|p| p.region.clone())
                        .unwrap_or_else(|| "unknown".into())
                ),
                match p.map(|p| p.ebs_default_encryption) {
                    Some(true) => "EBS by default: on".into(),
                    Some(false) => "EBS by default: OFF".into(),
                    None => "EBS by default: ?".into(),
                },
            ],
            key: None,
            full: String::new(),
            parent: None,
            shared: false,
            warn: p.is_some_and(|p| !p.ebs_default_encryption),
            collapsed: false,
            count: 0,
        };
        // A provider sits at the top of its band, not in its middle: with a hundred keys
        // the middle is thousands of pixels down, out of sight when the drawing opens.
        let mut node = node;
        node.y = p_top;
        cursor = cursor.max(p_top + node.h + GAP);
        let pi = push(&mut out, node);
        for &k in &key_nodes {
            out.nodes[k].parent = Some(pi);
        }
    }
    let principal_edges = add_principals(report, &mut out, toggled);
    for i in 0..out.nodes.len() {
        if let Some(parent) = out.nodes[i].parent {
            let (p, c) = (&out.nodes[parent], &out.nodes[i]);
            let (x1, y1, x2, y2) = (p.right(), p.centre_y(), c.x, c.centre_y());
            let mx = (x1 + x2) / 2;
            out.edges.push(Edge {
                from: parent,
                to: i,
                path: format!("M{x1} {y1} C{mx} {y1} {mx} {y2} {x2} {y2}"),
                key: c.key.clone(),
                dashed: c.kind == NodeKind::Missing,
            });
        }
    }
    for (from, to, key) in principal_edges {
        let (p, c) = (&out.nodes[from], &out.nodes[to]);
        let (x1, y1, x2, y2) = (p.right(), p.centre_y(), c.x, c.centre_y());
        let mx = (x1 + x2) / 2;
        out.edges.push(Edge {
            from,
            to,
            path: format!("M{x1} {y1} C{mx} {y1} {mx} {y2} {x2} {y2}"),
            key: Some(key),
            dashed: false,
        });
    }
    out.width = out.nodes.iter().map(Node::right).max().unwrap_or(0) + MARGIN;
    out.height = out.nodes.iter().map(Node::bottom).max().unwrap_or(0) + MARGIN;
    out
}

/// Width of the principals column, left of the providers.
const PRINCIPAL_WIDTH: i32 = 220;

/// The node id of a principal, and of a collapsed kind of principals.
pub fn principal_node_id(principal: &str) -> String {
    format!("principal:{principal}")
}

pub fn principal_kind_node_id(kind: crate::engine::access::PrincipalKind) -> String {
    format!("principals:{}", kind.as_str())
}

/// The principals column (principal → key → service → store): every principal of the access
/// model, by kind, with an edge to each key it can use, administer or grant; a kind with
/// more than [`super::access::COLLAPSE_PRINCIPALS_OVER`] principals is one node until
/// expanded (its id in `toggled`). Shifts the tree right to make room; returns the edges
/// (principal node, key node, key id) to draw.
fn add_principals(
    report: &Report,
    out: &mut Layout,
    toggled: &Toggled,
) -> Vec<(usize, usize, String)> {
    use crate::engine::access::PrincipalKind;
    if report.access.is_empty() {
        return Vec::new();
    }
    let shift = PRINCIPAL_WIDTH + COLUMN_GAP;
    for n in &mut out.nodes {
        n.x += shift;
    }
    let key_node: BTreeMap<&str, usize> = out
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind.is_key())
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let key_node: BTreeMap<String, usize> = key_node
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    // kind → principal → (keys, capabilities)
    type Holds<'r> = (
        BTreeSet<&'r str>,
        BTreeSet<crate::engine::access::Capability>,
    );
    let mut by: BTreeMap<PrincipalKind, BTreeMap<&str, Holds>> = BTreeMap::new();
    for e in &report.access {
        let slot = by
            .entry(e.kind)
            .or_default()
            .entry(&e.principal)
            .or_default();
        slot.0.insert(&e.key);
        slot.1.extend(e.can.iter().copied());
    }
    let mut cursor = MARGIN;
    let mut edges = Vec::new();
    let fit_title = fit(PRINCIPAL_WIDTH, TITLE_CHAR_DPX);
    let fit_line = fit(PRINCIPAL_WIDTH, LINE_CHAR_DPX);
    let mut push = |out: &mut Layout,
                    id: String,
                    title: String,
                    line: String,
                    keys: BTreeSet<&str>,
                    count: usize,
                    collapsed: bool,
                    cursor: &mut i32| {
        let title = super::shown(&title).into_owned();
        let line = super::shown(&line).into_owned();
        let node = Node {
            id,
            kind: NodeKind::Principal,
            x: MARGIN,
            y: *cursor,
            w: PRINCIPAL_WIDTH,
            h: NodeKind::Principal.height(1),
            full: format!("{title}\n{line}"),
            title: super::clip_middle(&title, fit_title),
            lines: vec![clip(&line, fit_line)],
            key: None,
            parent: None,
            shared: false,
            warn: false,
            collapsed,
            count,
        };
        *cursor += node.h + GAP;
        out.nodes.push(node);
        let i = out.nodes.len() - 1;
        for k in keys {
            if let Some(&to) = key_node.get(k) {
                edges.push((i, to, k.to_string()));
            }
        }
    };
    for (kind, principals) in by {
        let kid = principal_kind_node_id(kind);
        let n = principals.len();
        if is_collapsed_principals(&kid, n, toggled) {
            let keys: BTreeSet<&str> = principals
                .values()
                .flat_map(|(k, _)| k.iter().copied())
                .collect();
            let nk = keys.len();
            push(
                out,
                kid,
                format!("{} · {n}", super::access::kind_label(kind)),
                format!("collapsed · {nk} key{}", if nk == 1 { "" } else { "s" }),
                keys,
                n,
                true,
                &mut cursor,
            );
            continue;
        }
        for (p, (keys, can)) in principals {
            push(
                out,
                principal_node_id(p),
                p.to_string(),
                format!(
                    "{} · {}",
                    kind.as_str(),
                    can.into_iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                keys,
                0,
                false,
                &mut cursor,
            );
        }
    }
    edges
}

/// Whether a kind of principals is drawn as one node.
pub fn is_collapsed_principals(id: &str, count: usize, toggled: &Toggled) -> bool {
    (count > super::access::COLLAPSE_PRINCIPALS_OVER) != toggled.contains(id)
}

/// A group's second line: its categories, and how many stores it hides when collapsed.
fn group_line(stores: &[&DataStore], collapsed: bool) -> String {
    let cats: Vec<&str> = categories(stores).iter().map(|c| c.as_str()).collect();
    let cats = if cats.is_empty() {
        "unclassified".to_string()
    } else {
        cats.join(" + ")
    };
    if collapsed {
        format!("{cats} · collapsed")
    } else {
        cats
    }
}

fn store_line(s: &DataStore) -> String {
    let category = s.category.map(|c| c.as_str()).unwrap_or("unclassified");
    let level = match s.level {
        Level::None => "not encrypted",
        Level::ProviderOwned => "provider-owned",
        Level::AwsManaged => "AWS-managed",
        Level::Cmk => "CMK",
        Level::CmkRecommended => "CMK (recommended)",
    };
    format!("{category} ({}) · {level}", source_label(s.category_source))
}

/// Places a parent centred on its already-placed children (pushed from `start`), moving
/// the children down when the parent is taller than their band; returns its index.
fn place_parent(
    out: &mut Layout,
    cursor: &mut i32,
    mut node: Node,
    top: i32,
    start: usize,
    children: &[usize],
    push: &dyn Fn(&mut Layout, Node) -> usize,
) -> usize {
    match (children.first(), children.last()) {
        (Some(&first), Some(&last)) => {
            let mid = (out.nodes[first].centre_y() + out.nodes[last].centre_y()) / 2;
            let y = mid - node.h / 2;
            if y < top {
                let shift = top - y;
                for n in &mut out.nodes[start..] {
                    n.y += shift;
                }
                *cursor += shift;
                node.y = top;
            } else {
                node.y = y;
            }
            *cursor = (*cursor).max(node.y + node.h + GAP);
        }
        _ => {
            node.y = top;
            *cursor = top + node.h + GAP;
        }
    }
    let i = push(out, node);
    for &c in children {
        out.nodes[c].parent = Some(i);
    }
    i
}

/// What deleting a key would make undecryptable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlastRadius {
    pub id: String,
    pub label: String,
    /// (store, service, category, level)
    pub stores: Vec<(String, String, Option<Category>, Level)>,
    pub categories: Vec<Category>,
    pub shared: bool,
    /// Whether the key can be deleted by you at all (CMKs); AWS-managed and provider-owned
    /// keys can't, and unencrypted stores have nothing to erase.
    pub deletable: bool,
}

pub fn blast_radius(report: &Report, id: &str) -> Option<BlastRadius> {
    let key = report.keys.iter().find(|k| k.id == id);
    let stores: Vec<&DataStore> = report
        .stores
        .iter()
        .filter(|s| match &s.key {
            Some(k) => k == id,
            None => id == unencrypted_id(&s.provider),
        })
        .collect();
    if key.is_none() && stores.is_empty() {
        return None;
    }
    // A key may list stores the analysis did not read as data stores (a block device part
    // with another address): they are beneath it all the same.
    let mut list: BTreeMap<String, (String, Option<Category>, Level)> = stores
        .iter()
        .map(|s| {
            (
                super::matrix::store_name(s),
                (s.service.clone(), s.category, s.level),
            )
        })
        .collect();
    if let Some(k) = key {
        for a in &k.stores {
            if !stores.iter().any(|s| &s.address == a) {
                list.entry(a.clone())
                    .or_insert(("—".into(), None, Level::Cmk));
            }
        }
    }
    let categories = categories(&stores);
    let kind = key.map(|k| k.kind);
    Some(BlastRadius {
        id: id.to_string(),
        label: match key {
            Some(k) => key_label(k),
            None if id.starts_with("unencrypted:") => "not encrypted".into(),
            None => id.to_string(),
        },
        shared: categories.len() > 1,
        categories: categories.into_iter().collect(),
        stores: list
            .into_iter()
            .map(|(a, (svc, c, l))| (a, svc, c, l))
            .collect(),
        deletable: matches!(
            kind,
            Some(KeyKind::Cmk | KeyKind::External | KeyKind::Unverified)
        ) || (key.is_none() && !id.starts_with("unencrypted:")),
    })
}

/// Counts for the line above the drawing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HierarchySummary {
    pub cmks: usize,
    pub aws_managed: usize,
    pub provider_owned: usize,
    pub unencrypted_stores: usize,
    pub shared: Vec<String>,
    pub missing: Vec<String>,
}

pub fn summary(report: &Report) -> HierarchySummary {
    let mut s = HierarchySummary::default();
    for k in &report.keys {
        match k.kind {
            KeyKind::AwsManaged => s.aws_managed += 1,
            KeyKind::ProviderOwned => s.provider_owned += 1,
            _ => s.cmks += 1,
        }
    }
    s.unencrypted_stores = report.stores.iter().filter(|x| x.key.is_none()).count();
    for list in entries(report).values() {
        for e in list {
            if e.kind.is_cmk() && categories(&e.stores).len() > 1 {
                s.shared.push(entry_label(e));
            }
        }
    }
    let providers: BTreeSet<&str> = report
        .missing_keys
        .iter()
        .map(|m| m.provider.as_str())
        .collect();
    s.missing = report
        .missing_keys
        .iter()
        .map(|m| {
            let alias = m.alias.trim_start_matches("alias/");
            // With several accounts/regions, say which one lacks the key.
            if providers.len() > 1 {
                format!("{alias} ({})", m.provider)
            } else {
                alias.to_string()
            }
        })
        .collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stores::{MissingKey, ProviderNode};
    use crate::view::fixture;

    fn node<'a>(l: &'a Layout, id: &str) -> &'a Node {
        l.nodes
            .iter()
            .find(|n| n.id == id)
            .unwrap_or_else(|| panic!("no node {id}"))
    }

    fn assert_no_overlaps(l: &Layout) {
        for (i, a) in l.nodes.iter().enumerate() {
            for b in &l.nodes[i + 1..] {
                let apart =
                    a.right() <= b.x || b.right() <= a.x || a.bottom() <= b.y || b.bottom() <= a.y;
                assert!(apart, "{} overlaps {}", a.id, b.id);
            }
            assert!(a.x >= 0 && a.y >= 0 && a.right() <= l.width && a.bottom() <= l.height);
        }
    }

    #[test]
    fn principals_form_a_column_left_of_the_tree_with_an_edge_to_each_key() {
        let report = crate::engine::check(
            &[crate::engine::SourceFile::new(
                "seed.plan.json",
                crate::example::PLAN,
            )],
            &crate::engine::Options::default(),
        );
        let l = layout(&report, &Toggled::new());
        assert_no_overlaps(&l);
        let app = node(&l, "principal:arn:aws:iam::111122223333:role/app");
        assert_eq!(app.kind, NodeKind::Principal);
        assert_eq!(app.lines, vec!["role · use, administer, grant".to_string()]);
        let provider = node(&l, "provider:aws");
        assert!(
            app.right() < provider.x,
            "principals sit left of the providers"
        );
        let ai = l.nodes.iter().position(|n| n.id == app.id).unwrap();
        let mut keys: Vec<&str> = l
            .edges
            .iter()
            .filter(|e| e.from == ai)
            .map(|e| l.nodes[e.to].id.as_str())
            .collect();
        keys.sort();
        assert_eq!(keys, vec!["aws_kms_key.general", "aws_kms_key.pii"]);
        // Many principals of a kind: one node until expanded.
        let mut big = report.clone();
        for i in 0..(crate::view::access::COLLAPSE_PRINCIPALS_OVER + 1) {
            let mut e = big.access[0].clone();
            e.principal = format!("arn:aws:iam::111122223333:role/r{i}");
            big.access.push(e);
        }
        let l = layout(&big, &Toggled::new());
        assert_no_overlaps(&l);
        let roles = node(&l, "principals:role");
        assert!(roles.collapsed);
        assert!(!l.nodes.iter().any(|n| n
            .id
            .starts_with("principal:arn:aws:iam::111122223333:role/r")));
        let open: Toggled = [principal_kind_node_id(
            crate::engine::access::PrincipalKind::Role,
        )]
        .into_iter()
        .collect();
        let l = layout(&big, &open);
        assert_no_overlaps(&l);
        assert!(l
            .nodes
            .iter()
            .any(|n| n.id == "principal:arn:aws:iam::111122223333:role/r0"));
        // Without an access model the drawing is as before.
        let plain = layout(&fixture::report(), &Toggled::new());
        assert!(!plain.nodes.iter().any(|n| n.kind == NodeKind::Principal));
    }

    #[test]
    fn the_tree_is_provider_then_keys_then_groups_then_stores() {
        let l = layout(&fixture::report(), &Toggled::new());
        assert_no_overlaps(&l);
        let provider = node(&l, "provider:aws");
        assert_eq!(provider.kind, NodeKind::Provider);
        assert!(provider.lines.iter().any(|s| s == "EBS by default: OFF"));
        assert!(provider.warn);

        let key = node(&l, "aws_kms_key.pii");
        assert_eq!(key.kind, NodeKind::Cmk);
        assert_eq!(key.title, "alias/cmk-pii");
        assert_eq!(l.nodes[key.parent.unwrap()].id, "provider:aws");
        let group = node(&l, "group:aws_kms_key.pii|s3");
        assert_eq!(l.nodes[group.parent.unwrap()].id, "aws_kms_key.pii");
        let store = node(&l, "aws_s3_bucket.customers");
        assert_eq!(l.nodes[store.parent.unwrap()].id, group.id);
        assert_eq!(store.lines[0], "pii (tag) · CMK");
        assert!(provider.x < key.x && key.x < group.x && group.x < store.x);
        // Every node but the provider has a parent, and there is one edge per parent link.
        assert_eq!(l.edges.len(), l.nodes.len() - 1);
    }

    #[test]
    fn pseudo_keys_unencrypted_and_missing_keys_are_their_own_nodes() {
        let l = layout(&fixture::report(), &Toggled::new());
        assert_eq!(
            node(&l, "aws-managed:alias/aws/logs").kind,
            NodeKind::AwsManaged
        );
        assert_eq!(node(&l, "provider-owned:s3").kind, NodeKind::ProviderOwned);
        let none = node(&l, "unencrypted:aws");
        assert_eq!(none.kind, NodeKind::Unencrypted);
        assert!(none.warn);
        let missing = node(&l, "missing:aws|logs");
        assert_eq!(missing.kind, NodeKind::Missing);
        assert_eq!(missing.title, "missing cmk-logs");
        assert!(l
            .edges
            .iter()
            .any(|e| e.dashed && l.nodes[e.to].id == missing.id));
        // Keys in order: CMKs, AWS-managed, provider-owned, unencrypted, missing.
        let order: Vec<NodeKind> = l
            .nodes
            .iter()
            .filter(|n| n.kind.column() == 1)
            .map(|n| (n.y, n.kind))
            .collect::<BTreeMap<_, _>>()
            .into_values()
            .collect();
        assert_eq!(
            order,
            [
                NodeKind::Cmk,
                NodeKind::AwsManaged,
                NodeKind::ProviderOwned,
                NodeKind::Unencrypted,
                NodeKind::Missing,
                NodeKind::Missing
            ]
        );
    }

    #[test]
    fn keys_shared_across_categories_stand_out() {
        let l = layout(&fixture::report(), &Toggled::new());
        let key = node(&l, "aws_kms_key.pii");
        assert!(key.shared);
        assert!(key.lines[0].contains("pii + financial"), "{:?}", key.lines);
        assert!(!node(&l, "provider-owned:s3").shared);
        assert_eq!(summary(&fixture::report()).shared, ["alias/cmk-pii"]);
    }

    #[test]
    fn parents_are_centred_on_their_children() {
        let l = layout(&fixture::report(), &Toggled::new());
        for n in &l.nodes {
            let kids: Vec<&Node> = l
                .nodes
                .iter()
                .filter(|c| c.parent.is_some_and(|p| l.nodes[p].id == n.id))
                .collect();
            if kids.len() < 2 || n.kind == NodeKind::Provider {
                continue;
            }
            let mid = (kids[0].centre_y() + kids[kids.len() - 1].centre_y()) / 2;
            assert!((n.centre_y() - mid).abs() <= 1, "{} is off-centre", n.id);
        }
    }

    fn big_report(n: usize) -> Report {
        let mut r = fixture::report();
        let mut addrs = Vec::new();
        for i in 0..n {
            let a = format!("aws_s3_bucket.b{i:03}");
            r.stores.push(fixture::store(
                &a,
                "s3",
                Some(Category::Operational),
                Level::Cmk,
                Some("aws_kms_key.general"),
            ));
            addrs.push(a);
        }
        let refs: Vec<&str> = addrs.iter().map(String::as_str).collect();
        r.keys.push(fixture::cmk(
            "aws_kms_key.general",
            Some("alias/cmk-general"),
            Some(Category::Operational),
            &refs,
        ));
        r
    }

    #[test]
    fn big_groups_start_collapsed_and_expand_when_toggled() {
        let r = big_report(200);
        let l = layout(&r, &Toggled::new());
        assert_no_overlaps(&l);
        let gid = group_id("aws_kms_key.general", "s3");
        let g = node(&l, &gid);
        assert!(g.collapsed);
        assert_eq!(g.count, 200);
        assert_eq!(g.title, "s3 · 200 stores");
        assert!(!l.nodes.iter().any(|n| n.id == "aws_s3_bucket.b000"));
        assert!(
            l.height < 1200,
            "200 stores collapsed stay compact: {}",
            l.height
        );
        // The provider is at the top of the drawing, whatever its band's height.
        assert_eq!(node(&l, "provider:aws").y, MARGIN);

        let toggled: Toggled = [gid.clone()].into_iter().collect();
        let open = layout(&r, &toggled);
        assert_no_overlaps(&open);
        assert!(!node(&open, &gid).collapsed);
        assert!(open.nodes.iter().any(|n| n.id == "aws_s3_bucket.b199"));

        // Small groups start expanded; toggling collapses them.
        let small = group_id("aws_kms_key.pii", "s3");
        assert!(!node(&l, &small).collapsed);
        let toggled: Toggled = [small.clone()].into_iter().collect();
        assert!(node(&layout(&r, &toggled), &small).collapsed);
    }

    #[test]
    fn layout_is_deterministic_whatever_the_input_order() {
        let r = big_report(20);
        let a = layout(&r, &Toggled::new());
        let mut shuffled = r.clone();
        shuffled.stores.reverse();
        shuffled.keys.reverse();
        let b = layout(&shuffled, &Toggled::new());
        assert_eq!(a, b);
    }

    #[test]
    fn several_providers_and_keys_outside_the_input() {
        let mut r = fixture::report();
        r.providers.push(ProviderNode {
            key: "aws.us".into(),
            region: Some("us-east-1".into()),
            ebs_default_encryption: true,
        });
        let mut s = fixture::store(
            "aws_efs_file_system.shared",
            "efs",
            Some(Category::Health),
            Level::Cmk,
            Some("arn:aws:kms:us-east-1:1:key/abc"),
        );
        s.provider = "aws.us".into();
        r.stores.push(s);
        r.missing_keys.push(MissingKey {
            provider: "aws.us".into(),
            category: Category::Health,
            alias: "alias/cmk-health".into(),
        });
        let l = layout(&r, &Toggled::new());
        assert_no_overlaps(&l);
        assert_eq!(
            summary(&r).missing,
            [
                "cmk-financial (aws)",
                "cmk-logs (aws)",
                "cmk-health (aws.us)"
            ]
        );
        let orphan = node(&l, "arn:aws:kms:us-east-1:1:key/abc");
        assert_eq!(orphan.kind, NodeKind::Unverified);
        assert_eq!(l.nodes[orphan.parent.unwrap()].id, "provider:aws.us");
        assert!(node(&l, "provider:aws").bottom() < node(&l, "provider:aws.us").y);
    }

    #[test]
    fn a_key_drawn_under_its_alias_names_its_resource_in_the_tooltip() {
        let l = layout(&fixture::report(), &Toggled::new());
        let pii = node(&l, "aws_kms_key.pii");
        assert_eq!(pii.title, "alias/cmk-pii");
        assert!(pii.full.starts_with("alias/cmk-pii\n"), "{}", pii.full);
        assert!(pii.full.ends_with("\naws_kms_key.pii"), "{}", pii.full);
        let logs = node(&l, "aws-managed:alias/aws/logs");
        assert!(!logs.full.contains("aws-managed:"), "{}", logs.full);
    }

    #[test]
    fn bidi_overrides_in_names_are_drawn_visibly() {
        let mut r = fixture::report();
        r.stores[0].address = "aws_s3_bucket.invoice\u{202e}gpj.exe".into();
        let l = layout(&r, &Toggled::new());
        let n = l
            .nodes
            .iter()
            .find(|n| n.id == "aws_s3_bucket.invoice\u{202e}gpj.exe")
            .unwrap();
        assert!(n.title.ends_with("\\u{202e}gpj.exe"), "{}", n.title);
        assert!(l.nodes.iter().all(|n| !n.full.contains('\u{202e}')));
    }

    #[test]
    fn long_text_is_cut_to_its_box_and_kept_whole_in_the_label() {
        let mut r = fixture::report();
        let long = format!(
            "module.very_long_module_name[\"{}\"].aws_s3_bucket.b",
            "x".repeat(60)
        );
        r.stores[0].address = long.clone();
        let l = layout(&r, &Toggled::new());
        let n = l.nodes.iter().find(|n| n.full.starts_with(&long)).unwrap();
        assert!(
            n.title.contains('…') && n.title.ends_with("aws_s3_bucket.b"),
            "{}",
            n.title
        );
        assert!(
            n.title.chars().count() as i32 * TITLE_CHAR_DPX <= (n.w - 20) * 10 + TITLE_CHAR_DPX
        );
        for node in &l.nodes {
            for line in &node.lines {
                assert!(
                    line.chars().count() as i32 * LINE_CHAR_DPX
                        <= (node.w - 20) * 10 + LINE_CHAR_DPX,
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn only_customer_managed_keys_count_as_shared() {
        let mut r = fixture::report();
        // The provider-owned S3 key now covers a public and a PII bucket.
        r.stores.push(fixture::store(
            "aws_s3_bucket.exports",
            "s3",
            Some(Category::Pii),
            Level::ProviderOwned,
            Some("provider-owned:s3"),
        ));
        let l = layout(&r, &Toggled::new());
        assert!(!node(&l, "provider-owned:s3").shared);
        assert_eq!(summary(&r).shared, ["alias/cmk-pii"]);
        assert_eq!(
            node(&l, "group:provider-owned:s3|s3").lines[0],
            "pii + public"
        );
        let m = node(&l, "missing:aws|financial");
        assert_eq!(m.lines[0], "needed by 1 financial store");
    }

    #[test]
    fn an_empty_report_lays_out_nothing() {
        let l = layout(&fixture::empty(), &Toggled::new());
        assert!(l.nodes.is_empty() && l.edges.is_empty());
    }

    #[test]
    fn blast_radius_lists_what_deleting_the_key_erases() {
        let r = fixture::report();
        let b = blast_radius(&r, "aws_kms_key.pii").unwrap();
        assert!(b.deletable && b.shared);
        assert_eq!(b.label, "alias/cmk-pii");
        let stores: Vec<_> = b.stores.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(
            stores,
            [
                "aws_db_instance.users",
                "aws_dynamodb_table.payments",
                "aws_s3_bucket.customers"
            ]
        );
        assert_eq!(b.categories, [Category::Pii, Category::Financial]);

        let aws = blast_radius(&r, "aws-managed:alias/aws/logs").unwrap();
        assert!(!aws.deletable);
        let none = blast_radius(&r, "unencrypted:aws").unwrap();
        assert_eq!(none.stores.len(), 1);
        assert!(!none.deletable);
        assert!(blast_radius(&r, "nope").is_none());
    }

    #[test]
    fn key_nodes_say_rotation_window_and_policy() {
        let mut r = fixture::report();
        r.keys[0].rotation = Some(false);
        r.keys[0].deletion_window = Some(7);
        r.keys[0].policy = Some(PolicyVerdict::WildcardPrincipal);
        let l = layout(&r, &Toggled::new());
        let k = node(&l, "aws_kms_key.pii");
        assert!(k.warn);
        assert!(k.lines.contains(&"rotation OFF · deletion 7 d".to_string()));
        assert!(k.lines.contains(&"policy: wildcard principal".to_string()));
        assert!(k.lines.contains(&"protects 3 stores".to_string()));
    }
}
