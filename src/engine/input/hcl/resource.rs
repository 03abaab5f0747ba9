//! Resource and provider blocks into values shaped like plan JSON: attributes are their
//! values, nested blocks (static or `dynamic`) are lists of maps, `lifecycle` is kept, and
//! managed resources get `tags_all` (provider `default_tags` merged with `tags`, as
//! Terraform computes it). Each attribute and block path gets its span and the addresses
//! its value derives from.

use std::collections::BTreeMap;
use std::rc::Rc;

use hcl::edit::expr::{Expression, ObjectKey};

use super::ast::{Block, Body};
use super::eval::{iterate, Evaluator, Scope, BUDGET_EXCEEDED, MAX_EVAL_DEPTH};
use super::instance::{join, ref_text, Slot};
use super::value::{Kind, Val};
use crate::engine::model::{AttrMeta, FileId, InstanceKey, Mode, Span};

/// Meta-arguments: they shape the resource but are not among its values (plan JSON has
/// none of them). `lifecycle` stays: rules read `lifecycle.0.create_before_destroy`.
const META_ARGS: [&str; 4] = ["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: [&str; 2] = ["provisioner", "connection"];

pub(super) const AFTER_APPLY: &str = "known after apply";

/// How a resource or module call expands.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Expansion {
    Single,
    Count,
    ForEach,
    /// count / for_each not known: one instance without a key.
    Unknown(Rc<str>),
}

pub(super) struct InstanceEval {
    pub key: Option<InstanceKey>,
    pub values: Val,
    pub meta: BTreeMap<String, AttrMeta>,
    /// `jsonencode()` documents whose encoded string is not known, with the structure that
    /// is (see [`partial_json`]), by attribute path. The model gets the structure in place
    /// of the unknown string; other expressions still see the unknown.
    pub partial: Vec<(String, Val)>,
    /// The instance as other expressions see it: configured values (without their own
    /// references), everything else unknown.
    pub object: Val,
    pub provider: String,
}

pub(super) struct ResourceEval {
    pub expansion: Expansion,
    pub instances: Vec<InstanceEval>,
}

/// A provider configuration block and where it lives.
pub(super) struct ProviderDecl<'c> {
    pub key: String,
    pub name: String,
    pub alias: Option<String>,
    pub inst: usize,
    pub block: &'c Block,
}

/// `aws` or `aws.west` for a provider block.
pub(super) fn provider_local_key(b: &Block) -> String {
    let alias = b
        .body
        .attr("alias")
        .and_then(|a| super::config::literal_string(&a.expr));
    match alias {
        Some(a) => format!("{}.{a}", b.label(0)),
        None => b.label(0).to_string(),
    }
}

impl<'c> Evaluator<'c> {
    /// Records the provider blocks of a new instance under their model keys.
    pub fn register_providers(&mut self, inst: usize) {
        let cfg = self.cfg;
        let module = &cfg.modules[self.insts[inst].module];
        for b in &module.providers {
            let local = provider_local_key(b);
            let key = self.full_provider_key(inst, &local);
            let alias = b
                .body
                .attr("alias")
                .and_then(|a| super::config::literal_string(&a.expr));
            self.providers.push(ProviderDecl {
                key,
                name: b.label(0).to_string(),
                alias,
                inst,
                block: b,
            });
        }
    }

    fn full_provider_key(&self, inst: usize, local: &str) -> String {
        let i = &self.insts[inst];
        if i.parent.is_none() {
            format!("{}{local}", i.provider_prefix)
        } else {
            format!("{}:{local}", i.path)
        }
    }

    /// The model key of the provider configuration a resource in `inst` uses under the
    /// local name `local` (`aws`, `aws.west`): its own module's block, else what the module
    /// call passes in `providers = { … }`, else the parent's default (Terraform's implicit
    /// inheritance).
    pub fn provider_key(&mut self, inst: usize, local: &str) -> String {
        let cfg = self.cfg;
        let mut inst = inst;
        let mut local = local.to_string();
        loop {
            let module = &cfg.modules[self.insts[inst].module];
            if module
                .providers
                .iter()
                .any(|b| provider_local_key(b) == local)
            {
                return self.full_provider_key(inst, &local);
            }
            let Some(p) = &self.insts[inst].parent else {
                return self.full_provider_key(inst, &local);
            };
            let parent_module = &cfg.modules[self.insts[p.inst].module];
            let call = &parent_module.calls[p.call];
            if let Some(Expression::Object(o)) = call.block.body.attr("providers").map(|a| &a.expr)
            {
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => Some(id.value().to_string()),
                        ObjectKey::Expression(e) => ref_text(e),
                    };
                    if key.as_deref() == Some(local.as_str()) {
                        if let Some(target) = ref_text(v.expr()) {
                            local = target;
                        }
                        break;
                    }
                }
            }
            inst = p.inst;
        }
    }

    /// A provider configuration's values, evaluated once.
    pub fn provider_values(&mut self, key: &str) -> Option<Val> {
        let (inst, block) = self
            .providers
            .iter()
            .find(|p| p.key == key)
            .map(|p| (p.inst, p.block))?;
        Some(self.named(inst, &format!("provider.{key}"), |ev| {
            let mut meta = BTreeMap::new();
            // A provider's documents belong to no resource instance.
            let outer = std::mem::take(&mut ev.partial_json);
            let v = ev.eval_body(
                &block.body,
                &Scope::new(inst),
                "",
                false,
                &mut meta,
                block.file,
            );
            ev.partial_json = outer;
            v
        }))
    }

    /// A resource's instances, evaluated once per module instance. `Err` is the unknown
    /// for a resource whose evaluation needs itself.
    pub fn resource(&mut self, inst: usize, ridx: usize) -> Result<Rc<ResourceEval>, Val> {
        let cfg = self.cfg;
        let decl = &cfg.modules[self.insts[inst].module].resources[ridx];
        let local = match decl.mode {
            Mode::Managed => format!("{}.{}", decl.rtype, decl.name),
            Mode::Data => format!("data.{}.{}", decl.rtype, decl.name),
        };
        let addr = join(&self.insts[inst].path, &local);
        match self.insts[inst].resources.get(&ridx) {
            Some(Slot::Done(r)) => return Ok(r.clone()),
            Some(Slot::Shallow(r, d)) if self.depth >= *d => {
                self.truncated = true;
                return Ok(r.clone());
            }
            Some(Slot::Busy) => return Err(self.cycle(&addr)),
            _ => {}
        }
        if self.depth >= MAX_EVAL_DEPTH {
            self.truncated = true;
            return Err(Val::unknown(format!(
                "evaluation nested deeper than {MAX_EVAL_DEPTH} levels"
            )));
        }
        self.insts[inst].resources.insert(ridx, Slot::Busy);
        self.stack.push(addr.clone());
        let outer = std::mem::take(&mut self.truncated);
        self.depth += 1;
        let r = Rc::new(self.eval_resource(inst, ridx, &addr));
        self.depth -= 1;
        self.stack.pop();
        let slot = if self.truncated {
            // Emitted from the top later, where it may get further.
            Slot::Shallow(r.clone(), self.depth)
        } else {
            Slot::Done(r.clone())
        };
        self.insts[inst].resources.insert(ridx, slot);
        self.truncated |= outer;
        Ok(r)
    }

    fn eval_resource(&mut self, inst: usize, ridx: usize, addr: &str) -> ResourceEval {
        let cfg = self.cfg;
        let decl = &cfg.modules[self.insts[inst].module].resources[ridx];
        let body = &decl.block.body;
        let file = decl.block.file;
        let (expansion, list) = self.expand(inst, body, addr, file);
        let local_provider = body
            .attr("provider")
            .and_then(|a| ref_text(&a.expr))
            .unwrap_or_else(|| default_provider(&decl.rtype));
        let provider = self.provider_key(inst, &local_provider);
        let open_reason: Rc<str> = match decl.mode {
            Mode::Managed => AFTER_APPLY.into(),
            Mode::Data => format!("{addr} is read at apply").into(),
        };
        let mut instances = Vec::new();
        for (key, binds) in list {
            let sc = Scope { inst, binds };
            let mut meta = BTreeMap::new();
            // Other instances evaluated on the way (references) collect their own.
            let outer = std::mem::take(&mut self.partial_json);
            let mut values = self.eval_body(body, &sc, "", true, &mut meta, file);
            let partial = std::mem::replace(&mut self.partial_json, outer);
            if decl.mode == Mode::Managed {
                values = self.with_tags_all(values, &provider);
            }
            if !self.budget.walk(&[&values]) {
                values = Val::unknown(BUDGET_EXCEEDED);
            }
            let object = match values.without_refs().kind {
                Kind::Open(m, _) | Kind::Map(m) => Val::open((*m).clone(), open_reason.clone()),
                // Not evaluated (budget, depth): the reason says why.
                _ => super::eval::unknown_like(&values),
            };
            instances.push(InstanceEval {
                key,
                values,
                meta,
                partial,
                object,
                provider: provider.clone(),
            });
        }
        ResourceEval {
            expansion,
            instances,
        }
    }

    /// `tags_all`: the provider's `default_tags` with the resource's `tags` over them.
    fn with_tags_all(&mut self, values: Val, provider: &str) -> Val {
        let Kind::Map(m) = &values.kind else {
            return values;
        };
        let defaults = self
            .provider_values(provider)
            .map(|p| default_tags(&p))
            .unwrap_or(Val::null());
        let tags = m.get("tags").cloned().unwrap_or(Val::null());
        let has_defaults = match &defaults.kind {
            Kind::Map(d) => !d.is_empty(),
            Kind::Null => false,
            _ => true,
        };
        if !has_defaults && tags.is_null() {
            return values;
        }
        let merged = match (&defaults.kind, &tags.kind) {
            (Kind::Unknown(_) | Kind::Error(_), _) => defaults.clone(),
            (_, Kind::Unknown(_) | Kind::Error(_)) => tags.clone(),
            (d, t) => {
                let mut out = BTreeMap::new();
                for src in [d, t] {
                    if let Kind::Map(x) | Kind::Open(x, _) = src {
                        for (k, v) in x.iter() {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                }
                Val::map(out)
                    .with_refs(&defaults.refs)
                    .with_refs(&tags.refs)
            }
        };
        let mut m = (**m).clone();
        m.insert("tags_all".into(), merged);
        let refs = values.refs.clone();
        Val::map(m).with_refs(&refs)
    }

    /// A block body as a map: attributes are values, nested blocks lists of maps. `top`
    /// drops the meta-arguments of a resource body.
    pub fn eval_body(
        &mut self,
        body: &'c Body,
        sc: &Scope,
        prefix: &str,
        top: bool,
        meta: &mut BTreeMap<String, AttrMeta>,
        file: FileId,
    ) -> Val {
        self.nested(|ev| ev.eval_body_inner(body, sc, prefix, top, meta, file))
    }

    fn eval_body_inner(
        &mut self,
        body: &'c Body,
        sc: &Scope,
        prefix: &str,
        top: bool,
        meta: &mut BTreeMap<String, AttrMeta>,
        file: FileId,
    ) -> Val {
        let mut map = BTreeMap::new();
        let lifecycle = prefix.starts_with("lifecycle.");
        for a in &body.attrs {
            if top && META_ARGS.contains(&a.name.as_str()) {
                continue;
            }
            let path = join(prefix, &a.name);
            let v = if lifecycle && (a.name == "ignore_changes" || a.name == "replace_triggered_by")
            {
                // These list references to attributes, not values.
                reference_list(&a.expr)
            } else if let Some(arg) = jsonencode_arg(&a.expr) {
                self.jsonencode_attr(arg, sc, &path, span(file, &a.span), meta)
            } else {
                self.eval(&a.expr, sc)
            };
            let mut refs = Vec::new();
            if self.budget.walk(&[&v]) {
                v.deep_refs(&mut refs);
            }
            meta.insert(
                path,
                AttrMeta {
                    span: Some(span(file, &a.span)),
                    refs: refs.iter().map(|r| r.to_string()).collect(),
                    conditional: None,
                },
            );
            map.insert(a.name.clone(), v);
        }
        let mut blocks: Vec<(String, Result<Vec<Val>, Val>)> = Vec::new();
        for b in &body.blocks {
            if top && META_BLOCKS.contains(&b.kind.as_str()) {
                continue;
            }
            if b.kind == "dynamic" {
                self.dynamic(b, sc, prefix, &mut blocks, meta, file);
                continue;
            }
            let slot = kind_slot(&mut blocks, &b.kind);
            let Ok(list) = &mut blocks[slot].1 else {
                continue;
            };
            let kind_path = join(prefix, &b.kind);
            let path = format!("{kind_path}.{}", list.len());
            let s = span(file, &b.span);
            meta.entry(kind_path).or_default().span.get_or_insert(s);
            meta.entry(path.clone()).or_default().span = Some(s);
            let v = self.eval_body(&b.body, sc, &path, false, meta, file);
            if let Ok(list) = &mut blocks[slot].1 {
                list.push(v);
            }
        }
        for (kind, list) in blocks {
            let v = match list {
                Ok(items) => Val::list(items),
                Err(u) => u,
            };
            map.insert(kind, v);
        }
        Val::map(map)
    }

    /// `attr = jsonencode(doc)`: the encoded string, as Terraform has it. When the string is
    /// not known because a leaf of the document is not (`Principal = { AWS =
    /// aws_iam_role.app.arn }` in a key policy), the document's structure is kept for the
    /// model (see [`partial_json`]) and each unknown leaf gets its own references in `meta`,
    /// so a policy reader can see the known statements and who the unknown ones name.
    fn jsonencode_attr(
        &mut self,
        arg: &'c Expression,
        sc: &Scope,
        path: &str,
        at: Span,
        meta: &mut BTreeMap<String, AttrMeta>,
    ) -> Val {
        let doc = self.eval(arg, sc);
        let encoded = super::functions::call("jsonencode", vec![doc.clone()], &mut self.budget);
        if matches!(encoded.kind, Kind::Unknown(_))
            && matches!(doc.kind, Kind::Map(_) | Kind::List(_))
        {
            partial_json(&doc, path, at, meta);
            self.partial_json.push((path.to_string(), doc));
        }
        encoded
    }

    /// `dynamic "x" { for_each = …, iterator = …, content { … } }`: one block per element;
    /// an unknown for_each gives one conditional block (see below).
    fn dynamic(
        &mut self,
        b: &'c Block,
        sc: &Scope,
        prefix: &str,
        blocks: &mut Vec<(String, Result<Vec<Val>, Val>)>,
        meta: &mut BTreeMap<String, AttrMeta>,
        file: FileId,
    ) {
        let kind = b.label(0).to_string();
        let Some(content) = b.body.blocks("content").next() else {
            return;
        };
        let iter_name = b
            .body
            .attr("iterator")
            .and_then(|a| ref_text(&a.expr))
            .unwrap_or_else(|| kind.clone());
        let coll = match b.body.attr("for_each") {
            Some(a) => self.eval(&a.expr, sc),
            None => return,
        };
        let slot = kind_slot(blocks, &kind);
        let kind_path = join(prefix, &kind);
        let s = span(file, &b.span);
        meta.entry(kind_path.clone())
            .or_default()
            .span
            .get_or_insert(s);
        let items = match iterate(&coll) {
            Ok(items) => items,
            Err(u) => {
                // Not known how many blocks there will be: none, or some with this content.
                // The content is read once with the element unknown, so what it writes for
                // every element stays known and nothing it does not write is invented; the
                // block is marked conditional and readers judge it present and absent.
                let why = match &u.kind {
                    Kind::Unknown(r) | Kind::Error(r) => r.to_string(),
                    _ => "not known".into(),
                };
                let mut refs = Vec::new();
                coll.deep_refs(&mut refs);
                let depends = if refs.is_empty() {
                    why.clone()
                } else {
                    refs.iter()
                        .map(|r| r.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let element =
                    Val::unknown(format!("dynamic \"{kind}\" for_each is not known: {why}"))
                        .with_refs(&refs);
                let Ok(list) = &blocks[slot].1 else { return };
                let path = format!("{kind_path}.{}", list.len());
                let m = meta.entry(path.clone()).or_default();
                m.span = Some(s);
                m.conditional = Some(format!(
                    "dynamic \"{kind}\" (its for_each depends on {depends})"
                ));
                let mut it = BTreeMap::new();
                it.insert("key".to_string(), element.clone());
                it.insert("value".to_string(), element);
                let inner = sc.bind(&iter_name, Val::map(it));
                let val = self.eval_body(&content.body, &inner, &path, false, meta, file);
                if let Ok(list) = &mut blocks[slot].1 {
                    list.push(val);
                }
                return;
            }
        };
        for (k, v) in items {
            if !self.budget.take(1) {
                blocks[slot].1 = Err(Val::unknown(BUDGET_EXCEEDED));
                return;
            }
            let Ok(list) = &blocks[slot].1 else { return };
            let path = format!("{kind_path}.{}", list.len());
            meta.entry(path.clone()).or_default().span = Some(s);
            let mut it = BTreeMap::new();
            it.insert("key".to_string(), k);
            it.insert("value".to_string(), v);
            let inner = sc.bind(&iter_name, Val::map(it));
            let val = self.eval_body(&content.body, &inner, &path, false, meta, file);
            if let Ok(list) = &mut blocks[slot].1 {
                list.push(val);
            }
        }
    }
}

fn kind_slot(blocks: &mut Vec<(String, Result<Vec<Val>, Val>)>, kind: &str) -> usize {
    match blocks.iter().position(|(k, _)| k == kind) {
        Some(i) => i,
        None => {
            blocks.push((kind.to_string(), Ok(Vec::new())));
            blocks.len() - 1
        }
    }
}

fn span(file: FileId, r: &std::ops::Range<u32>) -> Span {
    Span {
        file,
        start: r.start,
        end: r.end,
    }
}

/// `[tags, versioning]` in `ignore_changes` as the strings `"tags"`, `"versioning"`.
fn reference_list(e: &Expression) -> Val {
    match e {
        Expression::Array(a) => Val::list(
            a.iter()
                .map(|x| match ref_text(x) {
                    Some(t) => Val::str(t),
                    None => Val::unknown("not a plain reference"),
                })
                .collect(),
        ),
        other => match ref_text(other) {
            Some(t) => Val::str(t),
            None => Val::unknown("not a plain reference"),
        },
    }
}

/// `default_tags { tags = {…} }` of a provider's values.
fn default_tags(p: &Val) -> Val {
    let Kind::Map(m) = &p.kind else {
        return Val::null();
    };
    let Some(dt) = m.get("default_tags") else {
        return Val::null();
    };
    match &dt.kind {
        Kind::List(l) => match l.first().map(|b| &b.kind) {
            Some(Kind::Map(b)) => b.get("tags").cloned().unwrap_or(Val::null()),
            _ => Val::null(),
        },
        Kind::Unknown(_) | Kind::Error(_) => dt.clone(),
        _ => Val::null(),
    }
}

/// A resource type's default provider: the part before the first underscore.
pub(super) fn default_provider(rtype: &str) -> String {
    rtype.split('_').next().unwrap_or(rtype).to_string()
}

/// The argument of `jsonencode(x)` written as the whole expression, if it is one.
fn jsonencode_arg(e: &Expression) -> Option<&Expression> {
    let Expression::FuncCall(f) = e else {
        return None;
    };
    if f.name.is_namespaced()
        || f.name.name.value().as_str() != "jsonencode"
        || f.args.len() != 1
        || f.args.expand_final()
    {
        return None;
    }
    f.args.iter().next()
}

/// Most unknown leaves of one document given their own references, and most nodes visited
/// finding them: key policies have tens of leaves, and a hostile document must not turn
/// into an unbounded number of meta entries.
const PARTIAL_LEAVES: usize = 256;
const PARTIAL_NODES: usize = 10_000;

/// Records the references of each unknown leaf of a `jsonencode()` document under the
/// leaf's path (`policy.Statement.1.Principal.AWS`), located at the attribute. Walks with an
/// explicit stack; the value's depth is already bounded by `MAX_VALUE_DEPTH`.
fn partial_json(doc: &Val, path: &str, at: Span, meta: &mut BTreeMap<String, AttrMeta>) {
    let mut stack = vec![(path.to_string(), doc)];
    let (mut visited, mut leaves) = (0usize, 0usize);
    while let Some((p, v)) = stack.pop() {
        visited += 1;
        if visited > PARTIAL_NODES || leaves >= PARTIAL_LEAVES {
            return;
        }
        match &v.kind {
            Kind::Map(m) => stack.extend(m.iter().map(|(k, x)| (format!("{p}.{k}"), x))),
            Kind::List(l) => {
                stack.extend(l.iter().enumerate().map(|(i, x)| (format!("{p}.{i}"), x)))
            }
            Kind::Unknown(_) => {
                let mut refs = Vec::new();
                v.deep_refs(&mut refs);
                if !refs.is_empty() {
                    leaves += 1;
                    meta.insert(
                        p,
                        AttrMeta {
                            span: Some(at),
                            refs: refs.iter().map(|r| r.to_string()).collect(),
                            conditional: None,
                        },
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::input::load;
    use crate::engine::model::{Lookup, Model, Value};
    use crate::engine::SourceFile;

    fn model(src: &str) -> Model {
        load(&[SourceFile::new("main.tf", src)])
    }

    const POLICY: &str = r#"
resource "aws_iam_role" "app" { name = "app" }
resource "aws_kms_key" "k" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*" },
      { Effect = "Allow", Principal = { AWS = [aws_iam_role.app.arn] }, Action = "kms:Decrypt" },
    ]
  })
}
resource "aws_ssm_parameter" "copy" {
  name  = "policy"
  type  = "String"
  value = aws_kms_key.k.policy
}
"#;

    #[test]
    fn a_partly_unknown_document_keeps_its_structure_in_the_model() {
        let m = model(POLICY);
        let k = m.get("aws_kms_key.k").expect("the key");
        assert_eq!(
            k.get_str("policy.Statement.0.Principal.AWS"),
            Some("arn:aws:iam::111122223333:root")
        );
        assert!(matches!(
            k.get("policy.Statement.1.Principal.AWS.0"),
            Lookup::Unknown(_)
        ));
        // The unknown leaf carries its own reference; the attribute keeps all of them.
        assert_eq!(
            k.refs("policy.Statement.1.Principal.AWS.0"),
            &["aws_iam_role.app".to_string()]
        );
        assert_eq!(k.refs("policy"), &["aws_iam_role.app".to_string()]);
        assert!(k.span_of("policy.Statement.1.Principal.AWS.0").is_some());
        // Other expressions still see what Terraform sees: an unknown string.
        let copy = m.get("aws_ssm_parameter.copy").expect("the parameter");
        assert!(matches!(copy.get("value"), Lookup::Unknown(_)));
    }

    #[test]
    fn known_documents_and_unknown_arguments_are_unchanged() {
        let m = model(
            r#"
resource "aws_kms_key" "known" {
  policy = jsonencode({ Statement = [] })
}
resource "aws_kms_key" "opaque" {
  policy = jsonencode(var.policy)
}
"#,
        );
        let known = m.get("aws_kms_key.known").expect("known");
        assert_eq!(known.get_str("policy"), Some(r#"{"Statement":[]}"#));
        let opaque = m.get("aws_kms_key.opaque").expect("opaque");
        assert!(matches!(opaque.get("policy"), Lookup::Unknown(_)));
        assert!(!matches!(
            opaque.values.child("policy"),
            Some(Value::Map(_))
        ));
    }
}
