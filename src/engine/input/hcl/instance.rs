//! Module instances and what a reference means inside one: `var.x`, `local.x`,
//! `module.m.out`, `data.t.n`, `t.n`, `path.module`, `each`/`count`. Named values are
//! evaluated lazily, once, with cycle detection; references resolve to addresses the way
//! the plan adapter resolves a plan's `configuration` references (module-prefixed,
//! followed through module outputs and input variables).
//!
//! A name that is not declared is unknown, not an error: users paste a few files of a
//! larger configuration, and what the missing files declare is simply not known.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use hcl::edit::expr::{Expression, TraversalOperator};
use hcl::edit::Decorated;

use super::ast::Body;
use super::config::Target;
use super::eval::{unknown_like, EvalError, Evaluator, Scope};
use super::resource::{Expansion, ResourceEval};
use super::value::{to_bool, to_number, to_string, Kind, Val};
use crate::engine::model::{InstanceKey, Mode};

/// Most `count` / `for_each` instances of one resource or module call.
pub(super) const MAX_INSTANCES: usize = 10_000;
/// Deepest module nesting.
pub(super) const MAX_MODULE_DEPTH: usize = 32;

pub(super) type Binds = Vec<(Rc<str>, Val)>;

pub(super) struct Parent {
    pub inst: usize,
    pub call: usize,
    /// `each` / `count` of this module instance, for evaluating the call's arguments.
    pub binds: Binds,
}

pub(super) enum Slot<T> {
    Busy,
    Done(T),
    /// Cut short by the depth bound when evaluated at the given depth: reused when asked
    /// for at that depth or deeper (it would be cut short again, and re-evaluating shared
    /// values would be exponential), evaluated afresh from a shallower start, which gets
    /// further.
    Shallow(T, usize),
}

/// What a module call expands to.
pub(super) enum Children {
    /// Instances with their keys (`None` without count/for_each).
    Instances(Expansion, Vec<(Option<InstanceKey>, usize)>),
    /// Nothing to read: not local, files missing, a cycle, too deep.
    Absent(Rc<str>),
}

pub(super) struct Instance {
    pub module: usize,
    /// Module address, `""` at the root: `module.a["x"].module.b`.
    pub path: String,
    pub parent: Option<Parent>,
    pub depth: usize,
    /// Prefix for provider keys of a root other than the only one (`envs/prod:`).
    pub provider_prefix: String,
    named: HashMap<String, Slot<Val>>,
    pub(super) resources: HashMap<usize, Slot<Rc<ResourceEval>>>,
    children: HashMap<usize, Slot<Rc<Children>>>,
}

impl Instance {
    pub fn new(module: usize, path: String, parent: Option<Parent>, depth: usize) -> Instance {
        Instance {
            module,
            path,
            parent,
            depth,
            provider_prefix: String::new(),
            named: HashMap::new(),
            resources: HashMap::new(),
            children: HashMap::new(),
        }
    }
}

/// `prefix.rest`, or `rest` at the root.
pub(super) fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix}.{rest}")
    }
}

/// The text of a reference expression: `aws.west`, `aws_kms_key.k` (JSON syntax gives the
/// same as a string).
pub(super) fn ref_text(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.value().to_string()),
        Expression::Traversal(t) => {
            let mut out = ref_text(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(a) => {
                        out.push('.');
                        out.push_str(a.value().as_str());
                    }
                    _ => return None,
                }
            }
            Some(out)
        }
        other => super::config::literal_string(other).map(|s| {
            s.trim()
                .trim_start_matches("${")
                .trim_end_matches('}')
                .to_string()
        }),
    }
}

type Ops<'c> = &'c [Decorated<TraversalOperator>];

fn attr_name<'c>(ops: Ops<'c>, i: usize) -> Option<&'c str> {
    match ops.get(i).map(|o| o.value()) {
        Some(TraversalOperator::GetAttr(a)) => Some(a.value().as_str()),
        _ => None,
    }
}

impl<'c> Evaluator<'c> {
    pub fn add_instance(&mut self, inst: Instance) -> usize {
        self.insts.push(inst);
        let id = self.insts.len() - 1;
        self.register_providers(id);
        id
    }

    /// Evaluates a named value once per instance; a value that (indirectly) needs itself is
    /// unknown and names the cycle.
    pub fn named(&mut self, inst: usize, key: &str, f: impl FnOnce(&mut Self) -> Val) -> Val {
        let label = join(&self.insts[inst].path, key);
        match self.insts[inst].named.get(key) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::Shallow(v, d)) if self.depth >= *d => {
                self.truncated = true;
                return v.clone();
            }
            Some(Slot::Busy) => return self.cycle(&label),
            _ => {}
        }
        let depth = self.depth;
        self.insts[inst].named.insert(key.to_string(), Slot::Busy);
        self.stack.push(label);
        let outer = std::mem::take(&mut self.truncated);
        let v = self.nested(f);
        self.stack.pop();
        let slot = if self.truncated {
            Slot::Shallow(v.clone(), depth)
        } else {
            Slot::Done(v.clone())
        };
        self.insts[inst].named.insert(key.to_string(), slot);
        self.truncated |= outer;
        v
    }

    /// An unknown naming the cycle that leads back to `label`.
    pub fn cycle(&self, label: &str) -> Val {
        let start = self.stack.iter().position(|s| s == label).unwrap_or(0);
        let mut chain: Vec<&str> = self.stack[start..].iter().map(String::as_str).collect();
        chain.push(label);
        Val::unknown(format!("cycle: {}", chain.join(" → ")))
    }

    /// Resolves the root of a traversal (`var`, `local`, `module`, a resource type, a bound
    /// name) with as many of the following operators as it needs; returns the value and how
    /// many operators it consumed.
    pub fn resolve_root(&mut self, name: &str, ops: Ops<'c>, sc: &Scope) -> (Val, usize) {
        if let Some(v) = sc.lookup(name) {
            return (v.clone(), 0);
        }
        let inst = sc.inst;
        match name {
            "var" => match attr_name(ops, 0) {
                Some(n) => (self.var(inst, n), 1),
                None => (Val::error("var must be followed by a variable name"), 0),
            },
            "local" => match attr_name(ops, 0) {
                Some(n) => (self.local(inst, n), 1),
                None => (Val::error("local must be followed by a name"), 0),
            },
            "module" => self.module_ref(inst, ops, sc),
            "data" => match (attr_name(ops, 0), attr_name(ops, 1)) {
                (Some(t), Some(n)) => {
                    let (v, used) = self.resource_ref(inst, Mode::Data, t, n, &ops[2..], sc);
                    (v, used + 2)
                }
                _ => (Val::error("data must be followed by a type and a name"), 0),
            },
            "path" => {
                let dir = &self.cfg.modules[self.insts[inst].module].dir;
                let v = match attr_name(ops, 0) {
                    Some("module") => Val::str(if dir.is_empty() { "." } else { dir }),
                    Some("root") => {
                        let root = self.root_of(inst);
                        let d = &self.cfg.modules[self.insts[root].module].dir;
                        Val::str(if d.is_empty() { "." } else { d })
                    }
                    _ => Val::unknown("path.cwd is known only where Terraform runs"),
                };
                (v, 1)
            }
            "terraform" => (
                Val::unknown("terraform.workspace is chosen when Terraform runs"),
                1,
            ),
            "self" => (
                Val::unknown("self is known only in provisioners"),
                ops.len(),
            ),
            "count" | "each" => (
                Val::error(format!(
                    "{name} is available only in a resource or module with {}",
                    if name == "count" { "count" } else { "for_each" }
                )),
                0,
            ),
            rtype => match attr_name(ops, 0) {
                Some(n) => {
                    let (v, used) = self.resource_ref(inst, Mode::Managed, rtype, n, &ops[1..], sc);
                    (v, used + 1)
                }
                None => (Val::error(format!("unknown name \"{rtype}\"")), 0),
            },
        }
    }

    fn root_of(&self, mut inst: usize) -> usize {
        while let Some(p) = &self.insts[inst].parent {
            inst = p.inst;
        }
        inst
    }

    /// `var.name`: the module call's argument (evaluated in the parent, so its references
    /// are the parent's), else variables files at the root, else the default.
    pub fn var(&mut self, inst: usize, name: &str) -> Val {
        let v = self.named(inst, &format!("var.{name}"), |ev| ev.var_value(inst, name));
        if self.insts[inst].parent.is_none() {
            // As in plan JSON, a root variable is a reference of its own.
            v.with_ref(&format!("var.{name}"))
        } else {
            v
        }
    }

    fn var_value(&mut self, inst: usize, name: &str) -> Val {
        let cfg = self.cfg;
        let module = &cfg.modules[self.insts[inst].module];
        let Some(decl) = module.variables.get(name) else {
            return Val::unknown(format!("var.{name} is not declared in the files given"));
        };
        let mut value: Option<Val> = None;
        if let Some(p) = &self.insts[inst].parent {
            let (pinst, call, binds) = (p.inst, p.call, p.binds.clone());
            let parent_module = &cfg.modules[self.insts[pinst].module];
            if let Some(arg) = parent_module.calls[call].block.body.attr(name) {
                let sc = Scope { inst: pinst, binds };
                value = Some(self.eval(&arg.expr, &sc));
            }
        } else if let Some(files) = cfg.tfvars.get(&module.dir) {
            for f in files {
                for (n, v) in &f.values {
                    if n == name {
                        value = Some(match v {
                            super::config::VarValue::Expr(e) => self.eval(e, &Scope::new(inst)),
                            super::config::VarValue::Json(j) => Val::from_json(j, 0),
                        });
                    }
                }
            }
        }
        let value = match value {
            Some(v) => v,
            None => match decl.body.attr("default") {
                Some(d) => self.eval(&d.expr, &Scope::new(inst)),
                None => return Val::unknown(format!("var.{name} has no value")),
            },
        };
        convert_to_type(value, decl.body.attr("type").map(|a| &a.expr))
    }

    pub fn local(&mut self, inst: usize, name: &str) -> Val {
        let cfg = self.cfg;
        let module = &cfg.modules[self.insts[inst].module];
        let Some(attr) = module.locals.get(name) else {
            return Val::unknown(format!("local.{name} is not declared in the files given"));
        };
        self.named(inst, &format!("local.{name}"), |ev| {
            ev.eval(&attr.expr, &Scope::new(inst))
        })
    }

    pub fn output(&mut self, inst: usize, name: &str) -> Val {
        let cfg = self.cfg;
        let module = &cfg.modules[self.insts[inst].module];
        let Some(block) = module.outputs.get(name) else {
            return Val::unknown(format!(
                "{} has no output \"{name}\" in the files given",
                if self.insts[inst].path.is_empty() {
                    "the module"
                } else {
                    &self.insts[inst].path
                }
            ));
        };
        self.named(inst, &format!("output.{name}"), |ev| {
            match block.body.attr("value") {
                Some(a) => ev.eval(&a.expr, &Scope::new(inst)),
                None => Val::null(),
            }
        })
    }

    /// Every output of a module instance, as `module.m` evaluates without an output name.
    fn module_object(&mut self, inst: usize) -> Val {
        let cfg = self.cfg;
        let module = &cfg.modules[self.insts[inst].module];
        let mut names: Vec<&String> = module.outputs.keys().collect();
        crate::engine::sort::ord(&mut names);
        let mut map = BTreeMap::new();
        for n in names {
            let v = self.output(inst, n);
            map.insert(n.clone(), v);
        }
        Val::map(map)
    }

    fn module_ref(&mut self, inst: usize, ops: Ops<'c>, sc: &Scope) -> (Val, usize) {
        let Some(name) = attr_name(ops, 0) else {
            return (Val::error("module must be followed by a name"), 0);
        };
        let cfg = self.cfg;
        let module = &cfg.modules[self.insts[inst].module];
        let Some(call) = module.call(name) else {
            return (
                Val::unknown(format!("module.{name} is not declared in the files given")),
                1,
            );
        };
        let call_addr = join(&self.insts[inst].path, &format!("module.{name}"));
        let children = self.children(inst, call);
        match &*children {
            Children::Absent(reason) => {
                // As the plan adapter does, an output we cannot follow is its own reference.
                let mut used = 1;
                let mut addr = call_addr.clone();
                if let Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)) =
                    ops.get(used).map(|o| o.value())
                {
                    if let Some(k) = self.literal_key(ops, used, sc) {
                        addr.push_str(&k.to_string());
                    }
                    used += 1;
                }
                if let Some(out) = attr_name(ops, used) {
                    addr = format!("{addr}.{out}");
                    used += 1;
                }
                (Val::unknown(reason.clone()).with_ref(&addr), used)
            }
            Children::Instances(Expansion::Single, list) => {
                let child = list.first().map(|(_, c)| *c);
                match (child, attr_name(ops, 1)) {
                    (Some(c), Some(out)) => (self.output(c, out), 2),
                    (Some(c), None) => (self.module_object(c), 1),
                    (None, _) => (Val::error("module has no instance"), 1),
                }
            }
            Children::Instances(Expansion::Unknown(reason), _) => {
                let mut used = 1;
                if let Some(TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)) =
                    ops.get(used).map(|o| o.value())
                {
                    used += 1;
                }
                if attr_name(ops, used).is_some() {
                    used += 1;
                }
                (Val::unknown(reason.clone()).with_ref(&call_addr), used)
            }
            Children::Instances(exp, list) => {
                let keyed = matches!(exp, Expansion::ForEach);
                match self.index_key(ops, 1, sc) {
                    Some(Ok(key)) => match list.iter().find(|(k, _)| k.as_ref() == Some(&key)) {
                        Some((_, c)) => match attr_name(ops, 2) {
                            Some(out) => (self.output(*c, out), 3),
                            None => (self.module_object(*c), 2),
                        },
                        None => (Val::error(format!("{call_addr} has no instance {key}")), 2),
                    },
                    Some(Err(u)) => (u.with_ref(&call_addr), 2),
                    None => {
                        let list = list.clone();
                        let mut items = Vec::new();
                        let mut map = BTreeMap::new();
                        for (k, c) in list {
                            let obj = self.module_object(c);
                            match k {
                                Some(InstanceKey::Str(s)) if keyed => {
                                    map.insert(s, obj);
                                }
                                _ => items.push(obj),
                            }
                        }
                        (
                            if keyed {
                                Val::map(map)
                            } else {
                                Val::list(items)
                            },
                            1,
                        )
                    }
                }
            }
        }
    }

    /// The instance key written at `ops[i]` (`[0]`, `["a"]`, `[each.key]`), if that operator
    /// is an index. `Err` holds the unknown when the key is not known.
    fn index_key(
        &mut self,
        ops: Ops<'c>,
        i: usize,
        sc: &Scope,
    ) -> Option<Result<InstanceKey, Val>> {
        let v = match ops.get(i).map(|o| o.value())? {
            TraversalOperator::Index(e) => self.eval(e, sc),
            TraversalOperator::LegacyIndex(n) => Val::num(*n.value() as f64),
            _ => return None,
        };
        Some(match &v.kind {
            Kind::Num(n) if n.fract() == 0.0 => Ok(InstanceKey::Int(*n as i64)),
            Kind::Str(s) => Ok(InstanceKey::Str(s.to_string())),
            Kind::Unknown(_) | Kind::Error(_) => Err(unknown_like(&v).with_refs(&v.refs)),
            _ => Err(Val::error(format!(
                "a {} is not an instance key",
                v.type_name()
            ))),
        })
    }

    fn literal_key(&mut self, ops: Ops<'c>, i: usize, sc: &Scope) -> Option<InstanceKey> {
        self.index_key(ops, i, sc).and_then(Result::ok)
    }

    /// `type.name` (or `data.type.name`) and what follows: the resource object, one
    /// instance of it, or all its instances.
    fn resource_ref(
        &mut self,
        inst: usize,
        mode: Mode,
        rtype: &str,
        name: &str,
        ops: Ops<'c>,
        sc: &Scope,
    ) -> (Val, usize) {
        let local = match mode {
            Mode::Managed => format!("{rtype}.{name}"),
            Mode::Data => format!("data.{rtype}.{name}"),
        };
        let addr = join(&self.insts[inst].path, &local);
        let cfg = self.cfg;
        let module = &cfg.modules[self.insts[inst].module];
        let Some(ridx) = module.resource(mode, rtype, name) else {
            return (
                Val::unknown(format!("{local} is not declared in the files given")).with_ref(&addr),
                0,
            );
        };
        let re = match self.resource(inst, ridx) {
            Ok(re) => re,
            Err(u) => return (u.with_ref(&addr), 0),
        };
        match &re.expansion {
            Expansion::Single => match re.instances.first() {
                Some(i) => (i.object.clone().with_ref(&addr), 0),
                None => (Val::error(format!("{addr} has no instance")), 0),
            },
            Expansion::Unknown(reason) => {
                let used = usize::from(self.index_key(ops, 0, sc).is_some());
                (Val::unknown(reason.clone()).with_ref(&addr), used)
            }
            exp => match self.index_key(ops, 0, sc) {
                Some(Ok(key)) => {
                    let found = re.instances.iter().find(|i| i.key.as_ref() == Some(&key));
                    match found {
                        Some(i) => (i.object.clone().with_ref(&format!("{addr}{key}")), 1),
                        None => (
                            Val::error(format!("{addr} has no instance {key}")).with_ref(&addr),
                            1,
                        ),
                    }
                }
                Some(Err(u)) => (u.with_ref(&addr), 1),
                None => {
                    // Without an index: all instances, each referencing the resource as a whole.
                    let keyed = matches!(exp, Expansion::ForEach);
                    let mut items = Vec::new();
                    let mut map = BTreeMap::new();
                    for i in &re.instances {
                        let obj = i.object.clone().with_ref(&addr);
                        match &i.key {
                            Some(InstanceKey::Str(s)) if keyed => {
                                map.insert(s.clone(), obj);
                            }
                            _ => items.push(obj),
                        }
                    }
                    (
                        if keyed {
                            Val::map(map)
                        } else {
                            Val::list(items)
                        },
                        0,
                    )
                }
            },
        }
    }

    /// The instances a module call expands to, created on first use.
    pub fn children(&mut self, inst: usize, call: usize) -> Rc<Children> {
        match self.insts[inst].children.get(&call) {
            Some(Slot::Done(c) | Slot::Shallow(c, _)) => return c.clone(),
            Some(Slot::Busy) => {
                let label = join(&self.insts[inst].path, "module");
                return Rc::new(Children::Absent(match self.cycle(&label).kind {
                    Kind::Unknown(r) => r,
                    _ => "cycle".into(),
                }));
            }
            None => {}
        }
        self.insts[inst].children.insert(call, Slot::Busy);
        let c = Rc::new(self.make_children(inst, call));
        self.insts[inst]
            .children
            .insert(call, Slot::Done(c.clone()));
        c
    }

    fn make_children(&mut self, inst: usize, call: usize) -> Children {
        let cfg = self.cfg;
        let module = &cfg.modules[self.insts[inst].module];
        let decl = &module.calls[call];
        let call_addr = join(&self.insts[inst].path, &format!("module.{}", decl.name));
        let target = match &decl.target {
            Target::NotLocal => {
                return Children::Absent(
                    format!("module source {} is not local", decl.source).into(),
                )
            }
            Target::Missing { dir, .. } => {
                return Children::Absent(
                    format!(
                        "module source {} was not loaded: no files under {}",
                        decl.source,
                        if dir.is_empty() { "." } else { dir }
                    )
                    .into(),
                )
            }
            Target::Local(t) => *t,
        };
        // A module that (indirectly) calls itself would expand forever.
        let mut chain = vec![cfg.modules[target].dir.clone()];
        let mut cur = Some(inst);
        let mut cyclic = false;
        while let Some(i) = cur {
            let m = self.insts[i].module;
            chain.push(cfg.modules[m].dir.clone());
            if m == target {
                cyclic = true;
                break;
            }
            cur = self.insts[i].parent.as_ref().map(|p| p.inst);
        }
        if cyclic {
            chain.reverse();
            let shown: Vec<String> = chain
                .iter()
                .map(|d| {
                    if d.is_empty() {
                        ".".to_string()
                    } else {
                        d.clone()
                    }
                })
                .collect();
            let message = format!(
                "{call_addr} calls a module that contains it (cycle: {}); it is not expanded",
                shown.join(" → ")
            );
            self.errors.push(EvalError {
                file: decl.block.file,
                offset: decl.block.span.start as usize,
                message: message.clone(),
            });
            return Children::Absent(message.into());
        }
        let depth = self.insts[inst].depth + 1;
        if depth > MAX_MODULE_DEPTH {
            let message = format!(
                "{call_addr} is nested more than {MAX_MODULE_DEPTH} modules deep; it is not expanded"
            );
            self.errors.push(EvalError {
                file: decl.block.file,
                offset: decl.block.span.start as usize,
                message: message.clone(),
            });
            return Children::Absent(message.into());
        }
        let (expansion, list) = self.expand(inst, &decl.block.body, &call_addr, decl.block.file);
        let mut out = Vec::new();
        for (key, binds) in list {
            let path = match &key {
                Some(k) => format!("{call_addr}{k}"),
                None => call_addr.clone(),
            };
            let mut child = Instance::new(target, path, Some(Parent { inst, call, binds }), depth);
            child.provider_prefix = self.insts[inst].provider_prefix.clone();
            let id = self.add_instance(child);
            out.push((key, id));
        }
        Children::Instances(expansion, out)
    }

    /// The instances `count` or `for_each` ask for, with the `count` / `each` binding of
    /// each. An unknown count or for_each gives one instance without a key.
    pub fn expand(
        &mut self,
        inst: usize,
        body: &'c Body,
        addr: &str,
        file: crate::engine::model::FileId,
    ) -> (Expansion, Vec<(Option<InstanceKey>, Binds)>) {
        let sc = Scope::new(inst);
        if let Some(a) = body.attr("count") {
            let v = self.eval(&a.expr, &sc);
            let n = match to_number(&v) {
                Ok(n) if n >= 0.0 && n.fract() == 0.0 => n,
                Ok(n) => {
                    return self.unknown_expansion(
                        "count",
                        format!("count of {addr} is {n}, not a whole number"),
                    )
                }
                Err(u) => {
                    return self.unknown_expansion(
                        "count",
                        format!("count of {addr} is not known: {}", reason(&u)),
                    )
                }
            };
            if n > MAX_INSTANCES as f64 {
                let message = format!(
                    "count of {addr} is {}; planlens expands at most {MAX_INSTANCES} instances",
                    super::value::fmt_num(n)
                );
                self.errors.push(EvalError {
                    file,
                    offset: a.span.start as usize,
                    message: message.clone(),
                });
                return self.unknown_expansion("count", message);
            }
            let list = (0..n as i64)
                .map(|i| {
                    let mut m = BTreeMap::new();
                    m.insert("index".to_string(), Val::num(i as f64));
                    (
                        Some(InstanceKey::Int(i)),
                        vec![(Rc::from("count"), Val::map(m))],
                    )
                })
                .collect();
            return (Expansion::Count, list);
        }
        if let Some(a) = body.attr("for_each") {
            let v = self.eval(&a.expr, &sc);
            let pairs: Vec<(String, Val)> = match &v.kind {
                Kind::Map(m) | Kind::Open(m, _) => {
                    m.iter().map(|(k, x)| (k.clone(), x.clone())).collect()
                }
                Kind::List(l) => {
                    let mut pairs = Vec::new();
                    for x in l.iter() {
                        match to_string(x) {
                            Ok(s) => pairs.push((s.to_string(), x.clone())),
                            Err(u) => {
                                return self.unknown_expansion(
                                    "each",
                                    format!("for_each of {addr} is not known: {}", reason(&u)),
                                )
                            }
                        }
                    }
                    crate::engine::sort::by(&mut pairs, |a, b| a.0.cmp(&b.0));
                    pairs.dedup_by(|a, b| a.0 == b.0);
                    pairs
                }
                Kind::Unknown(_) | Kind::Error(_) => {
                    return self.unknown_expansion(
                        "each",
                        format!("for_each of {addr} is not known: {}", reason(&v)),
                    )
                }
                _ => {
                    return self.unknown_expansion(
                        "each",
                        format!(
                            "for_each of {addr} is a {}, not a map or set",
                            v.type_name()
                        ),
                    )
                }
            };
            if pairs.len() > MAX_INSTANCES {
                let message = format!(
                    "for_each of {addr} has {} elements; planlens expands at most {MAX_INSTANCES} instances",
                    pairs.len()
                );
                self.errors.push(EvalError {
                    file,
                    offset: a.span.start as usize,
                    message: message.clone(),
                });
                return self.unknown_expansion("each", message);
            }
            let list = pairs
                .into_iter()
                .map(|(k, x)| {
                    let mut m = BTreeMap::new();
                    m.insert("key".to_string(), Val::str(k.as_str()));
                    m.insert("value".to_string(), x);
                    (
                        Some(InstanceKey::Str(k)),
                        vec![(Rc::from("each"), Val::map(m))],
                    )
                })
                .collect();
            return (Expansion::ForEach, list);
        }
        (Expansion::Single, vec![(None, Vec::new())])
    }

    fn unknown_expansion(
        &mut self,
        binding: &str,
        message: String,
    ) -> (Expansion, Vec<(Option<InstanceKey>, Binds)>) {
        let u = Val::unknown(message.as_str());
        let mut m = BTreeMap::new();
        if binding == "count" {
            m.insert("index".to_string(), u.clone());
        } else {
            m.insert("key".to_string(), u.clone());
            m.insert("value".to_string(), u);
        }
        (
            Expansion::Unknown(message.into()),
            vec![(None, vec![(Rc::from(binding), Val::map(m))])],
        )
    }
}

/// The reason of an unknown or error value.
pub(super) fn reason(v: &Val) -> String {
    match &v.kind {
        Kind::Unknown(r) | Kind::Error(r) => r.to_string(),
        _ => "not known".into(),
    }
}

/// Applies a variable's primitive `type` constraint the way Terraform converts input
/// (`"5"` for a number, `"true"` for a bool). Complex types are left as given.
fn convert_to_type(v: Val, ty: Option<&Expression>) -> Val {
    let Some(Expression::Variable(t)) = ty else {
        return v;
    };
    if v.is_null() || !v.is_known() {
        return v;
    }
    let refs = v.refs.clone();
    let out = match t.value().as_str() {
        "number" => to_number(&v).map(Val::num),
        "bool" => to_bool(&v).map(Val::bool),
        "string" => to_string(&v).map(Val::str),
        _ => Ok(v),
    };
    match out {
        Ok(x) => x.with_refs(&refs),
        Err(u) => u.with_refs(&refs),
    }
}
