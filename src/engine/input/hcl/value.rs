//! Values during evaluation. Each value carries the addresses it was derived from (`refs`),
//! so `kms_key_id = local.keys["pii"]` references only the pii key even when `local.keys`
//! names several. Unknown values say why; errors (a missing map key, a bad conversion) are a
//! separate kind so `try` and `can` can tell "failed" from "not known yet".

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::engine::model::{map_of, Value};

/// Deepest value built during evaluation. Deeper values become unknown, which bounds every
/// recursive walk over values (conversion, comparison, drop).
pub(super) const MAX_VALUE_DEPTH: u16 = 96;
/// Most nodes in one value, counting shared parts once per use: values are shared, not
/// copied (`l2 = [l1, l1]`), so a few doublings would otherwise make every walk over a value
/// astronomically long.
pub(super) const MAX_VALUE_NODES: u64 = 1_000_000;

pub(super) type Refs = Vec<Rc<str>>;

#[derive(Clone, Debug)]
pub(super) struct Val {
    pub kind: Kind,
    /// Addresses this value comes from, beyond those of its elements.
    pub refs: Refs,
    depth: u16,
    /// Nodes in the value, shared parts counted per use.
    nodes: u64,
    /// String bytes in the value, shared parts counted per use (saturating).
    bytes: u64,
}

#[derive(Clone, Debug)]
pub(super) enum Kind {
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    List(Rc<Vec<Val>>),
    Map(Rc<BTreeMap<String, Val>>),
    /// A resource or data source object: attributes not set in configuration are unknown
    /// for the given reason ("known after apply").
    Open(Rc<BTreeMap<String, Val>>, Rc<str>),
    Unknown(Rc<str>),
    /// Evaluation failed (Terraform would report an error); `try` skips these.
    Error(Rc<str>),
}

impl Val {
    fn leaf(kind: Kind) -> Val {
        let bytes = match &kind {
            Kind::Str(s) | Kind::Unknown(s) | Kind::Error(s) => s.len() as u64,
            _ => 0,
        };
        Val {
            kind,
            refs: Vec::new(),
            depth: 0,
            nodes: 1,
            bytes,
        }
    }

    pub fn null() -> Val {
        Val::leaf(Kind::Null)
    }

    pub fn bool(b: bool) -> Val {
        Val::leaf(Kind::Bool(b))
    }

    pub fn num(n: f64) -> Val {
        Val::leaf(Kind::Num(n))
    }

    pub fn str(s: impl Into<Rc<str>>) -> Val {
        Val::leaf(Kind::Str(s.into()))
    }

    pub fn unknown(reason: impl Into<Rc<str>>) -> Val {
        Val::leaf(Kind::Unknown(reason.into()))
    }

    pub fn error(reason: impl Into<Rc<str>>) -> Val {
        Val::leaf(Kind::Error(reason.into()))
    }

    pub fn list(items: Vec<Val>) -> Val {
        let (depth, nodes, bytes) = measure(items.iter(), 0);
        if depth > MAX_VALUE_DEPTH {
            return too_deep();
        }
        if nodes > MAX_VALUE_NODES {
            return too_big();
        }
        Val {
            kind: Kind::List(Rc::new(items)),
            refs: Vec::new(),
            depth,
            nodes,
            bytes,
        }
    }

    pub fn map(items: BTreeMap<String, Val>) -> Val {
        let keys: u64 = items.keys().map(|k| k.len() as u64).sum();
        let (depth, nodes, bytes) = measure(items.values(), keys);
        if depth > MAX_VALUE_DEPTH {
            return too_deep();
        }
        if nodes > MAX_VALUE_NODES {
            return too_big();
        }
        Val {
            kind: Kind::Map(Rc::new(items)),
            refs: Vec::new(),
            depth,
            nodes,
            bytes,
        }
    }

    pub fn open(items: BTreeMap<String, Val>, reason: impl Into<Rc<str>>) -> Val {
        let mut v = Val::map(items);
        if let Kind::Map(m) = v.kind {
            v.kind = Kind::Open(m, reason.into());
        }
        v
    }

    pub fn with_refs(mut self, refs: &[Rc<str>]) -> Val {
        add_refs(&mut self.refs, refs);
        self
    }

    pub fn with_ref(mut self, r: &str) -> Val {
        if !self.refs.iter().any(|x| &**x == r) {
            self.refs.push(r.into());
        }
        self
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    pub fn is_known(&self) -> bool {
        !matches!(self.kind, Kind::Unknown(_) | Kind::Error(_))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The first unknown or error inside the value (errors first), if any.
    pub fn first_unknown(&self) -> Option<Val> {
        let mut unknown = None;
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            match &v.kind {
                Kind::Error(_) => return Some(v.clone()),
                Kind::Unknown(_) if unknown.is_none() => unknown = Some(v.clone()),
                // Reversed so the first unknown in reading order is the one reported.
                Kind::List(l) => stack.extend(l.iter().rev()),
                Kind::Map(m) | Kind::Open(m, _) => stack.extend(m.values().rev()),
                _ => {}
            }
        }
        unknown
    }

    pub fn contains_error(&self) -> bool {
        matches!(
            self.first_unknown(),
            Some(Val {
                kind: Kind::Error(_),
                ..
            })
        )
    }

    /// Every address in the value and its elements, in first-seen order.
    pub fn deep_refs(&self, out: &mut Refs) {
        let mut stack = vec![self];
        while let Some(v) = stack.pop() {
            add_refs(out, &v.refs);
            match &v.kind {
                Kind::List(l) => stack.extend(l.iter().rev()),
                Kind::Map(m) | Kind::Open(m, _) => stack.extend(m.values().rev()),
                _ => {}
            }
        }
    }

    /// The same value without any refs, for attributes read through a resource object (the
    /// reference is to the resource, not to what its attributes reference).
    pub fn without_refs(&self) -> Val {
        let kind = match &self.kind {
            Kind::List(l) => Kind::List(Rc::new(l.iter().map(Val::without_refs).collect())),
            Kind::Map(m) | Kind::Open(m, _) => {
                let m: BTreeMap<String, Val> = crate::engine::sort::btree_map(
                    m.iter().map(|(k, v)| (k.clone(), v.without_refs())),
                );
                // Nested blocks of a resource have computed attributes too.
                Kind::Open(Rc::new(m), "known after apply".into())
            }
            k => k.clone(),
        };
        Val {
            kind,
            refs: Vec::new(),
            depth: self.depth,
            nodes: self.nodes,
            bytes: self.bytes,
        }
    }

    /// Nodes in the value (shared parts per use): what a walk over it costs.
    pub fn nodes(&self) -> u64 {
        self.nodes
    }

    /// Approximate size in bytes of the value copied out, for the evaluation budget.
    pub fn weight(&self) -> u64 {
        self.bytes.saturating_add(self.nodes.saturating_mul(16))
    }

    /// Into the model's value. Depth is bounded by [`MAX_VALUE_DEPTH`].
    pub fn to_value(&self) -> Value {
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Num(n) => Value::Number(*n),
            Kind::Str(s) => Value::String((**s).into()),
            Kind::List(l) => Value::List(l.iter().map(Val::to_value).collect()),
            Kind::Map(m) => Value::Map(map_of(
                m.iter()
                    .map(|(k, v)| (k.as_str().into(), v.to_value()))
                    .collect(),
            )),
            // A whole resource object used as a value: only part of it is known.
            Kind::Open(_, reason) => Value::unknown(reason.to_string()),
            Kind::Unknown(r) | Kind::Error(r) => Value::unknown(r.to_string()),
        }
    }

    /// From plain JSON (`jsondecode`, `.tfvars.json`, JSON variable defaults).
    pub fn from_json(j: &serde_json::Value, depth: u16) -> Val {
        if depth > MAX_VALUE_DEPTH {
            return too_deep();
        }
        match j {
            serde_json::Value::Null => Val::null(),
            serde_json::Value::Bool(b) => Val::bool(*b),
            serde_json::Value::Number(n) => Val::num(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Val::str(s.as_str()),
            serde_json::Value::Array(a) => {
                Val::list(a.iter().map(|v| Val::from_json(v, depth + 1)).collect())
            }
            serde_json::Value::Object(o) => Val::map(crate::engine::sort::btree_map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Val::from_json(v, depth + 1))),
            )),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "bool",
            Kind::Num(_) => "number",
            Kind::Str(_) => "string",
            Kind::List(_) => "list",
            Kind::Map(_) | Kind::Open(..) => "object",
            Kind::Unknown(_) | Kind::Error(_) => "unknown",
        }
    }
}

fn too_deep() -> Val {
    Val::unknown(format!("value nested deeper than {MAX_VALUE_DEPTH} levels"))
}

fn too_big() -> Val {
    Val::unknown(format!("value of more than {MAX_VALUE_NODES} elements"))
}

/// Depth, node count and string bytes of a container with these children.
fn measure<'a>(children: impl Iterator<Item = &'a Val>, key_bytes: u64) -> (u16, u64, u64) {
    let (mut depth, mut nodes, mut bytes) = (0u16, 1u64, key_bytes);
    for c in children {
        depth = depth.max(c.depth);
        nodes = nodes.saturating_add(c.nodes);
        bytes = bytes.saturating_add(c.bytes);
    }
    (depth.saturating_add(1), nodes, bytes)
}

pub(super) fn add_refs(out: &mut Refs, more: &[Rc<str>]) {
    for r in more {
        if !out.iter().any(|x| x == r) {
            out.push(r.clone());
        }
    }
}

/// Terraform's number formatting: integers without a fraction, others shortest round-trip.
pub(super) fn fmt_num(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Terraform's automatic conversion to string (templates, string functions).
pub(super) fn to_string(v: &Val) -> Result<Rc<str>, Val> {
    match &v.kind {
        Kind::Str(s) => Ok(s.clone()),
        Kind::Num(n) => Ok(fmt_num(*n).into()),
        Kind::Bool(b) => Ok(if *b { "true" } else { "false" }.into()),
        Kind::Unknown(_) | Kind::Error(_) => Err(v.clone()),
        Kind::Null => Err(Val::error("a null value cannot be used as a string")),
        _ => Err(Val::error(format!(
            "a {} cannot be used as a string",
            v.type_name()
        ))),
    }
}

pub(super) fn to_number(v: &Val) -> Result<f64, Val> {
    match &v.kind {
        Kind::Num(n) => Ok(*n),
        Kind::Str(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| Val::error(format!("\"{s}\" is not a number"))),
        Kind::Unknown(_) | Kind::Error(_) => Err(v.clone()),
        _ => Err(Val::error(format!("a {} is not a number", v.type_name()))),
    }
}

pub(super) fn to_bool(v: &Val) -> Result<bool, Val> {
    match &v.kind {
        Kind::Bool(b) => Ok(*b),
        Kind::Str(s) if &**s == "true" => Ok(true),
        Kind::Str(s) if &**s == "false" => Ok(false),
        Kind::Unknown(_) | Kind::Error(_) => Err(v.clone()),
        _ => Err(Val::error(format!("a {} is not a bool", v.type_name()))),
    }
}

/// Equality as Terraform's `==`: same type and value; `None` when unknown decides it.
pub(super) fn equals(a: &Val, b: &Val) -> Option<bool> {
    match (&a.kind, &b.kind) {
        (Kind::Unknown(_) | Kind::Error(_), _) | (_, Kind::Unknown(_) | Kind::Error(_)) => None,
        (Kind::Null, Kind::Null) => Some(true),
        (Kind::Bool(x), Kind::Bool(y)) => Some(x == y),
        (Kind::Num(x), Kind::Num(y)) => Some(x == y),
        (Kind::Str(x), Kind::Str(y)) => Some(x == y),
        (Kind::List(x), Kind::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y.iter()) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (Kind::Map(x) | Kind::Open(x, _), Kind::Map(y) | Kind::Open(y, _)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.values().zip(y.values()) {
                match equals(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        _ => Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_like_terraform() {
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(-2.0), "-2");
        assert_eq!(fmt_num(1.5), "1.5");
    }

    #[test]
    fn depth_is_bounded() {
        let mut v = Val::num(1.0);
        for _ in 0..200 {
            v = Val::list(vec![v]);
        }
        assert!(v.depth <= MAX_VALUE_DEPTH);
        assert!(v.first_unknown().is_some());
    }

    #[test]
    fn refs_collect_deeply_once() {
        let a = Val::str("x").with_ref("aws_kms_key.a");
        let b = Val::str("y").with_ref("aws_kms_key.b");
        let l = Val::list(vec![a, b.clone(), b]).with_ref("aws_kms_key.a");
        let mut out = Vec::new();
        l.deep_refs(&mut out);
        let out: Vec<&str> = out.iter().map(|r| &**r).collect();
        assert_eq!(out, vec!["aws_kms_key.a", "aws_kms_key.b"]);
    }
}
