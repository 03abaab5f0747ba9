//! Expression evaluation: literals, templates, operators, conditionals, `for` expressions,
//! splats and traversals, function calls. Evaluation never fails: what cannot be known is
//! an unknown value that says why, and every value carries the addresses it derives from.
//!
//! All work is bounded: a step budget for the whole load, a depth bound on nested
//! evaluation (expressions and the references they follow), and a size bound on strings.

use std::collections::BTreeMap;
use std::rc::Rc;

use hcl::edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl::edit::template::{Directive, Element, Template};
use hcl::edit::Decorated;

use super::config::Configs;
use super::functions;
use super::instance::Instance;
use super::value::{add_refs, equals, to_bool, to_number, to_string, Kind, Refs, Val};
use crate::engine::model::FileId;

/// Evaluation steps for one load (all modules). A step is one expression node, one element
/// of a collection a function walks, or 64 bytes of a string built.
pub(super) const BUDGET_STEPS: u64 = 5_000_000;
/// Deepest nesting of evaluation: expression nodes plus the references followed through
/// locals, variables, module outputs and resources.
pub(super) const MAX_EVAL_DEPTH: usize = 160;
/// Largest string built by a template or function.
pub(super) const MAX_STRING: usize = 10 * 1024 * 1024;

pub(super) const BUDGET_EXCEEDED: &str = "evaluation budget exceeded";

/// Work left for this load.
#[derive(Debug)]
pub(super) struct Budget {
    left: u64,
}

impl Budget {
    pub fn new(steps: u64) -> Budget {
        Budget { left: steps }
    }

    /// Takes `n` steps; false once the budget is spent.
    pub fn take(&mut self, n: u64) -> bool {
        if self.left >= n {
            self.left -= n;
            true
        } else {
            self.left = 0;
            false
        }
    }

    /// Charges for walking values (collecting references, comparing, encoding): a value
    /// may be large and walked many times.
    pub fn walk(&mut self, vals: &[&Val]) -> bool {
        let nodes = vals.iter().fold(0u64, |n, v| n.saturating_add(v.nodes()));
        self.take(1 + nodes / 8)
    }

    /// Charges for building a string of `len` bytes; an error value when it is too long or
    /// the budget is spent.
    pub fn string(&mut self, len: usize) -> Result<(), Val> {
        if len > MAX_STRING {
            return Err(Val::unknown(format!(
                "string of {len} bytes exceeds the {} MB limit",
                MAX_STRING / (1024 * 1024)
            )));
        }
        if self.take(1 + len as u64 / 64) {
            Ok(())
        } else {
            Err(Val::unknown(BUDGET_EXCEEDED))
        }
    }
}

/// Names bound while evaluating: `each`, `count`, `for` variables, dynamic block iterators.
#[derive(Clone, Debug)]
pub(super) struct Scope {
    pub inst: usize,
    pub binds: Vec<(Rc<str>, Val)>,
}

impl Scope {
    pub fn new(inst: usize) -> Scope {
        Scope {
            inst,
            binds: Vec::new(),
        }
    }

    pub fn bind(&self, name: &str, v: Val) -> Scope {
        let mut s = self.clone();
        s.binds.push((name.into(), v));
        s
    }

    pub fn lookup(&self, name: &str) -> Option<&Val> {
        self.binds
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v)
    }
}

/// An error found while evaluating that the user should see (an oversized `count`, a
/// module that calls itself): file and byte offset.
#[derive(Debug, Clone)]
pub(super) struct EvalError {
    pub file: FileId,
    pub offset: usize,
    pub message: String,
}

pub(super) struct Evaluator<'c> {
    pub cfg: &'c Configs,
    pub insts: Vec<Instance>,
    pub budget: Budget,
    pub depth: usize,
    /// Named values being evaluated, to name cycles.
    pub stack: Vec<String>,
    /// Set when the depth bound cut an evaluation short: such a result depends on where
    /// the evaluation started, so it is not cached (see [`Evaluator::named`]).
    pub truncated: bool,

    pub errors: Vec<EvalError>,
    /// Provider configuration blocks of every instance, under their model keys.
    pub providers: Vec<super::resource::ProviderDecl<'c>>,
    /// `jsonencode()` documents of the resource instance being evaluated whose encoding is
    /// not known (an ARN known only after apply inside a policy) but whose structure is, by
    /// attribute path; see [`super::resource`]'s `partial_json`.
    pub partial_json: Vec<(String, Val)>,
}

impl<'c> Evaluator<'c> {
    pub fn new(cfg: &'c Configs) -> Evaluator<'c> {
        Evaluator {
            cfg,
            insts: Vec::new(),
            budget: Budget::new(BUDGET_STEPS),
            depth: 0,
            stack: Vec::new(),
            truncated: false,
            errors: Vec::new(),
            providers: Vec::new(),
            partial_json: Vec::new(),
        }
    }

    /// Runs `f` one level deeper, or returns an unknown when too deep / out of budget.
    pub fn nested(&mut self, f: impl FnOnce(&mut Self) -> Val) -> Val {
        if !self.budget.take(1) {
            return Val::unknown(BUDGET_EXCEEDED);
        }
        if self.depth >= MAX_EVAL_DEPTH {
            self.truncated = true;
            return Val::unknown(format!(
                "evaluation nested deeper than {MAX_EVAL_DEPTH} levels"
            ));
        }
        self.depth += 1;
        let v = f(self);
        self.depth -= 1;
        v
    }

    pub fn eval(&mut self, e: &'c Expression, sc: &Scope) -> Val {
        self.nested(|ev| ev.eval_inner(e, sc))
    }

    fn eval_inner(&mut self, e: &'c Expression, sc: &Scope) -> Val {
        match e {
            Expression::Null(_) => Val::null(),
            Expression::Bool(b) => Val::bool(*b.value()),
            Expression::Number(n) => Val::num(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => Val::str(s.value().as_str()),
            Expression::Array(a) => {
                let items: Vec<Val> = a.iter().map(|x| self.eval(x, sc)).collect();
                Val::list(items)
            }
            Expression::Object(o) => {
                let mut map = BTreeMap::new();
                let mut key_refs = Vec::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => Rc::from(id.value().as_str()),
                        ObjectKey::Expression(ke) => {
                            let kv = self.eval(ke, sc);
                            // `(var.name) = x` and `"literal" = x` are both expressions here;
                            // a bare traversal key in parentheses is evaluated, as HCL does.
                            match to_string(&kv) {
                                Ok(s) => {
                                    add_refs(&mut key_refs, &kv.refs);
                                    s
                                }
                                Err(u) => return u.with_refs(&kv.refs),
                            }
                        }
                    };
                    let val = self.eval(v.expr(), sc);
                    map.insert(key.to_string(), val);
                }
                let mut out = Val::map(map);
                out.refs = key_refs;
                out
            }
            Expression::StringTemplate(t) => self.eval_template(t, sc, None),
            Expression::HeredocTemplate(h) => self.eval_template(&h.template, sc, h.indent()),
            Expression::Parenthesis(p) => self.eval(p.inner(), sc),
            Expression::Variable(v) => {
                let (val, _) = self.resolve_root(v.value().as_str(), &[], sc);
                val
            }
            Expression::Traversal(t) => self.eval_traversal(t, sc),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, sc);
                match to_bool(&cond) {
                    Ok(true) => self.eval(&c.true_expr, sc),
                    Ok(false) => self.eval(&c.false_expr, sc),
                    Err(u) if matches!(u.kind, Kind::Error(_)) => u.with_refs(&cond.refs),
                    Err(u) => {
                        // Either branch may be the value: it depends on what both reference.
                        let t = self.eval(&c.true_expr, sc);
                        let f = self.eval(&c.false_expr, sc);
                        if !self.budget.walk(&[&cond, &t, &f]) {
                            return Val::unknown(BUDGET_EXCEEDED);
                        }
                        let mut refs = Vec::new();
                        cond.deep_refs(&mut refs);
                        t.deep_refs(&mut refs);
                        f.deep_refs(&mut refs);
                        unknown_like(&u).with_refs(&refs)
                    }
                }
            }
            Expression::FuncCall(f) => self.eval_call(f, sc),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, sc);
                if !self.budget.walk(&[&v]) {
                    return Val::unknown(BUDGET_EXCEEDED);
                }
                let refs = deep(&[&v]);
                let out = match u.operator.value() {
                    UnaryOperator::Neg => to_number(&v).map(|n| Val::num(-n)),
                    UnaryOperator::Not => to_bool(&v).map(|b| Val::bool(!b)),
                };
                out.unwrap_or_else(|u| unknown_like(&u)).with_refs(&refs)
            }
            Expression::BinaryOp(b) => {
                let l = self.eval(&b.lhs_expr, sc);
                let r = self.eval(&b.rhs_expr, sc);
                if !self.budget.walk(&[&l, &r]) {
                    return Val::unknown(BUDGET_EXCEEDED);
                }
                binary(*b.operator.value(), &l, &r)
            }
            Expression::ForExpr(f) => self.eval_for(f, sc),
        }
    }

    /// A template's value. A template that is only one interpolation (`"${x}"`) yields the
    /// value itself, unconverted, as HCL specifies.
    ///
    /// `dedent` is the indent hcl-edit stripped from a `<<-` heredoc's top-level lines; it
    /// does not reach into `%{…}` directive bodies, so those lines are dedented here.
    pub fn eval_template(&mut self, t: &'c Template, sc: &Scope, dedent: Option<usize>) -> Val {
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.eval(&i.expr, sc);
        }
        let mut out = String::new();
        let mut refs = Vec::new();
        let mut unknown: Option<Val> = None;
        let mut cx = Render {
            out: &mut out,
            refs: &mut refs,
            unknown: &mut unknown,
            dedent,
        };
        self.render(t, sc, false, false, false, &mut cx);
        match unknown {
            Some(u) => u.with_refs(&refs),
            None => Val::str(out).with_refs(&refs),
        }
    }

    /// Renders template elements into `out`, applying `~` strip markers to the adjacent
    /// literals. After the first unknown, only references are still collected.
    fn render(
        &mut self,
        t: &'c Template,
        sc: &Scope,
        nested: bool,
        strip_first: bool,
        strip_last: bool,
        cx: &mut Render<'_>,
    ) {
        let elems: Vec<&Element> = t.iter().collect();
        for (i, el) in elems.iter().enumerate() {
            if !self.budget.take(1) {
                cx.unknown
                    .get_or_insert_with(|| Val::unknown(super::eval::BUDGET_EXCEEDED));
                return;
            }
            match el {
                Element::Literal(lit) => {
                    let dedented;
                    let mut s: &str = lit.value();
                    if let (true, Some(n)) = (nested, cx.dedent) {
                        dedented = dedent_lines(s, n);
                        s = &dedented;
                    }
                    let strip_before = if i == 0 {
                        strip_first
                    } else {
                        strips_end(elems[i - 1])
                    };
                    let strip_after = match elems.get(i + 1) {
                        None => strip_last,
                        Some(next) => strips_start(next),
                    };
                    if strip_before {
                        s = s.trim_start();
                    }
                    if strip_after {
                        s = s.trim_end();
                    }
                    self.push_str(cx.out, s, cx.unknown);
                }
                Element::Interpolation(ip) => {
                    let v = self.eval(&ip.expr, sc);
                    if !self.budget.walk(&[&v]) {
                        cx.unknown
                            .get_or_insert_with(|| Val::unknown(BUDGET_EXCEEDED));
                        return;
                    }
                    v.deep_refs(cx.refs);
                    match to_string(&v) {
                        Ok(s) => self.push_str(cx.out, &s, cx.unknown),
                        Err(u) => {
                            if cx.unknown.is_none() || matches!(u.kind, Kind::Error(_)) {
                                *cx.unknown = Some(unknown_like(&u));
                            }
                        }
                    }
                }
                Element::Directive(d) => match &**d {
                    Directive::If(d) => {
                        let cond = self.eval(&d.if_expr.cond_expr, sc);
                        cond.deep_refs(cx.refs);
                        let else_strip_start = d
                            .else_expr
                            .as_ref()
                            .map(|e| e.strip.strip_start())
                            .unwrap_or(d.endif_expr.strip.strip_start());
                        match to_bool(&cond) {
                            Ok(true) => self.render(
                                &d.if_expr.template,
                                sc,
                                true,
                                d.if_expr.strip.strip_end(),
                                else_strip_start,
                                cx,
                            ),
                            Ok(false) => {
                                if let Some(e) = &d.else_expr {
                                    self.render(
                                        &e.template,
                                        sc,
                                        true,
                                        e.strip.strip_end(),
                                        d.endif_expr.strip.strip_start(),
                                        cx,
                                    );
                                }
                            }
                            Err(u) => {
                                if cx.unknown.is_none() {
                                    *cx.unknown = Some(unknown_like(&u));
                                }
                            }
                        }
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let coll = self.eval(&f.collection_expr, sc);
                        add_refs(cx.refs, &coll.refs);
                        let items = match iterate(&coll) {
                            Ok(items) => items,
                            Err(u) => {
                                if cx.unknown.is_none() {
                                    *cx.unknown = Some(u);
                                }
                                continue;
                            }
                        };
                        for (k, v) in items {
                            if !self.budget.take(1) {
                                cx.unknown
                                    .get_or_insert_with(|| Val::unknown(BUDGET_EXCEEDED));
                                return;
                            }
                            let mut inner = sc.bind(f.value_var.value().as_str(), v);
                            if let Some(kv) = &f.key_var {
                                inner = inner.bind(kv.value().as_str(), k);
                            }
                            self.render(
                                &f.template,
                                &inner,
                                true,
                                f.strip.strip_end(),
                                d.endfor_expr.strip.strip_start(),
                                cx,
                            );
                        }
                    }
                },
            }
        }
    }

    fn push_str(&mut self, out: &mut String, s: &str, unknown: &mut Option<Val>) {
        if unknown.is_some() {
            return;
        }
        match self.budget.string(out.len() + s.len()) {
            Ok(()) => out.push_str(s),
            Err(u) => *unknown = Some(u),
        }
    }

    fn eval_traversal(&mut self, t: &'c Traversal, sc: &Scope) -> Val {
        let ops: &'c [Decorated<TraversalOperator>] = &t.operators;
        let (base, used) = match &t.expr {
            Expression::Variable(v) => self.resolve_root(v.value().as_str(), ops, sc),
            other => (self.eval(other, sc), 0),
        };
        self.apply_ops(base, &ops[used.min(ops.len())..], sc)
    }

    /// Applies attribute access, indexing and splats to a value.
    pub fn apply_ops(
        &mut self,
        mut v: Val,
        ops: &'c [Decorated<TraversalOperator>],
        sc: &Scope,
    ) -> Val {
        for (i, op) in ops.iter().enumerate() {
            match op.value() {
                TraversalOperator::GetAttr(name) => v = get_attr(&v, name.value().as_str()),
                TraversalOperator::LegacyIndex(n) => v = index(&v, &Val::num(*n.value() as f64)),
                TraversalOperator::Index(e) => {
                    let k = self.eval(e, sc);
                    // An unknown key collects the references of every element.
                    if !k.is_known() && !self.budget.walk(&[&v]) {
                        return Val::unknown(BUDGET_EXCEEDED);
                    }
                    v = index(&v, &k);
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    return self.splat(v, rest, sc);
                }
            }
        }
        v
    }

    /// `x[*].rest`: the rest applied to each element; a non-list is a one-element list and
    /// null an empty one.
    fn splat(&mut self, v: Val, rest: &'c [Decorated<TraversalOperator>], sc: &Scope) -> Val {
        let items: Vec<Val> = match &v.kind {
            Kind::List(l) => l.iter().cloned().collect(),
            Kind::Null => Vec::new(),
            Kind::Unknown(_) | Kind::Error(_) => return v,
            _ => vec![v.clone()],
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if !self.budget.take(1) {
                return Val::unknown(BUDGET_EXCEEDED);
            }
            out.push(self.apply_ops(item, rest, sc));
        }
        Val::list(out).with_refs(&v.refs)
    }

    fn eval_for(&mut self, f: &'c ForExpr, sc: &Scope) -> Val {
        let coll = self.eval(&f.intro.collection_expr, sc);
        let items = match iterate(&coll) {
            Ok(items) => items,
            Err(u) => return u.with_refs(&coll.refs),
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Val> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Val>> = BTreeMap::new();
        for (k, v) in items {
            if !self.budget.take(1) {
                return Val::unknown(BUDGET_EXCEEDED);
            }
            let mut inner = sc.bind(f.intro.value_var.value().as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                inner = inner.bind(kv.value().as_str(), k);
            }
            if let Some(cond) = &f.cond {
                let c = self.eval(&cond.expr, &inner);
                match to_bool(&c) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(u) => return unknown_like(&u).with_refs(&deep(&[&coll, &c])),
                }
            }
            let value = self.eval(&f.value_expr, &inner);
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let kv = self.eval(ke, &inner);
                    let key = match to_string(&kv) {
                        Ok(s) => s.to_string(),
                        Err(u) => return unknown_like(&u).with_refs(&deep(&[&coll, &kv])),
                    };
                    if f.grouping {
                        groups.entry(key).or_default().push(value);
                    } else {
                        match map.entry(key) {
                            std::collections::btree_map::Entry::Occupied(e) => {
                                return Val::error(format!(
                                    "duplicate key \"{}\" in a for expression without grouping (...)",
                                    e.key()
                                ))
                            }
                            std::collections::btree_map::Entry::Vacant(e) => {
                                e.insert(value);
                            }
                        }
                    }
                }
            }
        }
        let out = if f.key_expr.is_none() {
            Val::list(list)
        } else if f.grouping {
            Val::map(groups.into_iter().map(|(k, v)| (k, Val::list(v))).collect())
        } else {
            Val::map(map)
        };
        out.with_refs(&coll.refs)
    }

    fn eval_call(&mut self, f: &'c FuncCall, sc: &Scope) -> Val {
        let name = f.name.name.value().as_str();
        if f.name.is_namespaced() {
            let ns: Vec<&str> = f
                .name
                .namespace
                .iter()
                .map(|n| n.value().as_str())
                .collect();
            return Val::unknown(format!(
                "function {}::{name} is not evaluated",
                ns.join("::")
            ));
        }
        let mut args: Vec<Val> = f.args.iter().map(|a| self.eval(a, sc)).collect();
        if f.args.expand_final() {
            if let Some(last) = args.pop() {
                match &last.kind {
                    Kind::List(l) => args.extend(l.iter().cloned()),
                    _ => return unknown_like(&last).with_refs(&deep(&[&last])),
                }
            }
        }
        functions::call(name, args, &mut self.budget)
    }

    pub fn inst(&self, id: usize) -> &Instance {
        &self.insts[id]
    }
}

/// Where a template renders to.
struct Render<'a> {
    out: &'a mut String,
    refs: &'a mut Refs,
    /// The first unknown met; after it only references are collected.
    unknown: &'a mut Option<Val>,
    dedent: Option<usize>,
}

/// Removes up to `n` leading spaces or tabs from every line after the first.
fn dedent_lines(s: &str, n: usize) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let ws = line
                .bytes()
                .take(n)
                .take_while(|b| *b == b' ' || *b == b'\t')
                .count();
            out.push_str(&line[ws..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Which strip markers an element carries at its start and end.
fn strips_start(el: &Element) -> bool {
    match el {
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
        Element::Literal(_) => false,
    }
}

fn strips_end(el: &Element) -> bool {
    match el {
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match &**d {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
        Element::Literal(_) => false,
    }
}

/// The (key, value) pairs a `for` iterates: list index or map key.
pub(super) fn iterate(coll: &Val) -> Result<Vec<(Val, Val)>, Val> {
    match &coll.kind {
        Kind::List(l) => Ok(l
            .iter()
            .enumerate()
            .map(|(i, v)| (Val::num(i as f64), v.clone()))
            .collect()),
        Kind::Map(m) | Kind::Open(m, _) => Ok(m
            .iter()
            .map(|(k, v)| (Val::str(k.as_str()), v.clone()))
            .collect()),
        Kind::Unknown(_) | Kind::Error(_) => Err(coll.clone()),
        Kind::Null => Err(Val::error("cannot iterate over a null value")),
        _ => Err(Val::error(format!(
            "cannot iterate over a {}",
            coll.type_name()
        ))),
    }
}

/// An unknown or error of the same kind and reason, without refs.
pub(super) fn unknown_like(v: &Val) -> Val {
    match &v.kind {
        Kind::Error(r) => Val::error(r.clone()),
        Kind::Unknown(r) => Val::unknown(r.clone()),
        _ => Val::error("unexpected value"),
    }
}

/// The union of the deep refs of several values.
pub(super) fn deep(vals: &[&Val]) -> Refs {
    let mut out = Vec::new();
    for v in vals {
        v.deep_refs(&mut out);
    }
    out
}

pub(super) fn get_attr(v: &Val, name: &str) -> Val {
    let out = match &v.kind {
        Kind::Map(m) => match m.get(name) {
            Some(x) => x.clone(),
            None => Val::error(format!("attribute \"{name}\" does not exist")),
        },
        Kind::Open(m, reason) => match m.get(name) {
            Some(x) => x.clone(),
            None => Val::unknown(reason.clone()),
        },
        Kind::Unknown(_) | Kind::Error(_) => unknown_like(v),
        Kind::Null => Val::error(format!("attribute \"{name}\" of a null value")),
        _ => Val::error(format!("a {} has no attribute \"{name}\"", v.type_name())),
    };
    out.with_refs(&v.refs)
}

pub(super) fn index(v: &Val, k: &Val) -> Val {
    let out = match (&v.kind, &k.kind) {
        (Kind::Unknown(_) | Kind::Error(_), _) => unknown_like(v),
        (_, Kind::Unknown(_) | Kind::Error(_)) => unknown_like(k).with_refs(&deep(&[v])),
        (Kind::List(l), _) => match to_number(k) {
            Ok(n) if n >= 0.0 && n.fract() == 0.0 && (n as usize) < l.len() => {
                l[n as usize].clone()
            }
            Ok(n) => Val::error(format!(
                "index {} is out of range for a list of {}",
                super::value::fmt_num(n),
                l.len()
            )),
            Err(u) => u,
        },
        (Kind::Map(m), _) | (Kind::Open(m, _), _) => match to_string(k) {
            Ok(s) => match (m.get(&*s), &v.kind) {
                (Some(x), _) => x.clone(),
                (None, Kind::Open(_, reason)) => Val::unknown(reason.clone()),
                (None, _) => Val::error(format!("key \"{s}\" does not exist")),
            },
            Err(u) => u,
        },
        (Kind::Null, _) => Val::error("cannot index a null value"),
        _ => Val::error(format!("cannot index a {}", v.type_name())),
    };
    out.with_refs(&v.refs).with_refs(&k.refs)
}

fn binary(op: BinaryOperator, l: &Val, r: &Val) -> Val {
    use BinaryOperator as B;
    let refs = deep(&[l, r]);
    let out: Result<Val, Val> = match op {
        B::Eq | B::NotEq => match equals(l, r) {
            Some(eq) => Ok(Val::bool(if op == B::Eq { eq } else { !eq })),
            None => Err(l
                .first_unknown()
                .or_else(|| r.first_unknown())
                .unwrap_or_else(|| Val::unknown("not known"))),
        },
        B::And | B::Or => {
            let (a, b) = (to_bool(l), to_bool(r));
            let decisive = op == B::Or;
            match (a, b) {
                (Ok(x), Ok(y)) => Ok(Val::bool(if decisive { x || y } else { x && y })),
                // `false && unknown` is false whatever the unknown turns out to be.
                (Ok(x), Err(u)) | (Err(u), Ok(x)) => {
                    if x == decisive && !matches!(u.kind, Kind::Error(_)) {
                        Ok(Val::bool(decisive))
                    } else {
                        Err(u)
                    }
                }
                (Err(u), Err(_)) => Err(u),
            }
        }
        _ => match (to_number(l), to_number(r)) {
            (Ok(x), Ok(y)) => match op {
                B::Less => Ok(Val::bool(x < y)),
                B::LessEq => Ok(Val::bool(x <= y)),
                B::Greater => Ok(Val::bool(x > y)),
                B::GreaterEq => Ok(Val::bool(x >= y)),
                B::Plus => Ok(Val::num(x + y)),
                B::Minus => Ok(Val::num(x - y)),
                B::Mul => Ok(Val::num(x * y)),
                B::Div if y == 0.0 => Err(Val::error("division by zero")),
                B::Div => Ok(Val::num(x / y)),
                B::Mod if y == 0.0 => Err(Val::error("modulo by zero")),
                B::Mod => Ok(Val::num(x % y)),
                _ => Err(Val::error("unsupported operator")),
            },
            (Err(u), Ok(_)) | (Ok(_), Err(u)) => Err(u),
            (Err(a), Err(b)) => Err(pick_unknown(&a, &b)),
        },
    };
    out.unwrap_or_else(|u| unknown_like(&u)).with_refs(&refs)
}

/// Of two values at least one of which is unknown, the one to report: errors first.
fn pick_unknown(a: &Val, b: &Val) -> Val {
    match (&a.kind, &b.kind) {
        (Kind::Error(_), _) => a.clone(),
        (_, Kind::Error(_)) => b.clone(),
        (Kind::Unknown(_), _) => a.clone(),
        _ => b.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::Value;

    /// Evaluates `src` with `u` bound to an unknown that references `aws_kms_key.u`, and `k`
    /// to a known string referencing `aws_kms_key.k`.
    fn eval(src: &str) -> (Value, Vec<String>) {
        let expr: Expression = src.parse().expect("test expressions parse");
        let cfg = Configs::default();
        let mut ev = Evaluator::new(&cfg);
        let sc = Scope::new(0)
            .bind(
                "u",
                Val::unknown("known after apply").with_ref("aws_kms_key.u"),
            )
            .bind("k", Val::str("arn:k").with_ref("aws_kms_key.k"));
        let v = ev.eval(&expr, &sc);
        let mut refs = Vec::new();
        v.deep_refs(&mut refs);
        (v.to_value(), refs.iter().map(|r| r.to_string()).collect())
    }

    fn unknown(why: &'static str) -> Value {
        Value::unknown(why)
    }

    #[test]
    fn a_known_condition_takes_one_branch_and_its_references() {
        assert_eq!(
            eval("true ? k : u"),
            (Value::from("arn:k"), vec!["aws_kms_key.k".into()])
        );
        assert_eq!(eval("false ? k : null"), (Value::Null, vec![]));
    }

    #[test]
    fn an_unknown_condition_references_both_branches() {
        let (v, refs) = eval("u == \"x\" ? k : \"literal\"");
        assert_eq!(v, unknown("known after apply"));
        assert_eq!(refs, vec!["aws_kms_key.u", "aws_kms_key.k"]);
    }

    #[test]
    fn logic_decided_despite_an_unknown() {
        assert_eq!(eval("false && u").0, Value::Bool(false));
        assert_eq!(eval("true || u").0, Value::Bool(true));
        assert_eq!(eval("true && u").0, unknown("known after apply"));
    }

    #[test]
    fn errors_and_unknowns_differ_for_try_and_can() {
        assert_eq!(
            eval("try({a = 1}.b, \"fallback\")").0,
            Value::from("fallback")
        );
        // An unknown may still succeed: try keeps it.
        assert_eq!(eval("try(u, \"fallback\")").0, unknown("known after apply"));
        assert_eq!(eval("can([1][5])").0, Value::Bool(false));
        assert_eq!(eval("can(u)").0, unknown("known after apply"));
        assert_eq!(
            eval("[1][5]").0,
            unknown("index 5 is out of range for a list of 1")
        );
    }

    #[test]
    fn templates_strip_and_keep_types() {
        assert_eq!(eval("\"a ${~ \" b \" ~} c\"").0, Value::from("a b c"));
        assert_eq!(eval("\"${1 + 1}\"").0, Value::Number(2.0));
        assert_eq!(
            eval("\"x-${u}\""),
            (unknown("known after apply"), vec!["aws_kms_key.u".into()])
        );
    }

    #[test]
    fn for_expressions_and_splats() {
        assert_eq!(
            eval("{for s in [\"a\", \"a\"] : s => s}").0,
            unknown("duplicate key \"a\" in a for expression without grouping (...)")
        );
        assert_eq!(eval("null[*].a").0, Value::List(vec![]));
        assert_eq!(
            eval("{a = 1}[*].a").0,
            Value::List(vec![Value::Number(1.0)])
        );
        assert_eq!(
            eval("[for x in [k] : x]").1,
            vec!["aws_kms_key.k".to_string()],
            "elements keep their references"
        );
    }

    #[test]
    fn picking_from_a_map_keeps_only_that_reference() {
        let (v, refs) = eval("{a = k, b = u}[\"a\"]");
        assert_eq!(v, Value::from("arn:k"));
        assert_eq!(refs, vec!["aws_kms_key.k"]);
        let (_, refs) = eval("lookup({a = k, b = u}, \"b\")");
        assert_eq!(refs, vec!["aws_kms_key.u"]);
        let (_, refs) = eval("jsonencode({a = k, b = 1})");
        assert_eq!(refs, vec!["aws_kms_key.k"]);
    }
}
