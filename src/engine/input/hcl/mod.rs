//! HCL (`.tf`, `.tfvars`) and Terraform JSON syntax (`.tf.json`) into the model.
//!
//! Files are grouped into modules by directory ([`config`]); each root module is
//! instantiated, and its resources, data sources and (local) child modules are evaluated
//! lazily ([`eval`], [`instance`], [`resource`], [`functions`]). What configuration alone
//! decides is known; everything else is unknown with the reason, and each attribute records
//! the resources its value comes from, resolved the way the plan adapter resolves a plan's
//! `configuration` references.
//!
//! Deliberate choices, documented for rule authors:
//! - an unknown `count` / `for_each` gives one instance without an index;
//! - `lifecycle` stays in a resource's values (`lifecycle.0.create_before_destroy`);
//!   `count`, `for_each`, `provider`, `depends_on`, provisioners and connections do not;
//! - `tags_all` is added to managed resources that have `tags` or whose provider has
//!   `default_tags`;
//! - an indexed reference (`aws_kms_key.k["a"].arn`, also `[each.key]` once evaluated)
//!   records the instance address; an unindexed one the resource's address.

mod ast;
mod config;
mod directives;
mod eval;
mod functions;
mod instance;
mod parse;
mod resource;
mod tfjson;
mod value;

use config::{Configs, ParsedFile, VarValue, VarsFile};
use eval::{Evaluator, BUDGET_EXCEEDED};
use instance::{join, Children, Instance};

use super::error_at;
use crate::engine::model::{
    Directive, FileKind, Mode, Model, Origin, Provider, Resource, Span, Value,
};

/// Loads every HCL / Terraform JSON file of the model's file list as modules.
pub fn load(model: &mut Model) {
    let mut parsed = Vec::new();
    let mut vars = Vec::new();
    for (id, f) in model.files.iter().enumerate() {
        match f.kind {
            Some(FileKind::Hcl) => match parse::parse(f, id) {
                Ok(body) => parsed.push(ParsedFile {
                    path: f.path.clone(),
                    body,
                }),
                Err(e) => model.errors.push(e),
            },
            Some(FileKind::Tfjson) => match tfjson::parse(f, id) {
                Ok((body, errors)) => {
                    model.errors.extend(errors);
                    parsed.push(ParsedFile {
                        path: f.path.clone(),
                        body,
                    });
                }
                Err(e) => model.errors.push(e),
            },
            Some(FileKind::Tfvars) => match vars_file(f, id) {
                Ok(v) => vars.push(v),
                Err(e) => model.errors.push(e),
            },
            _ => {}
        }
    }
    if parsed.is_empty() {
        return;
    }
    let mut eval_errors = Vec::new();
    let cfg = Configs::build(parsed, vars, &mut eval_errors);
    let mut ev = Evaluator::new(&cfg);
    ev.errors = eval_errors;
    let mut roots = Vec::new();
    let several = cfg.roots.len() > 1;
    for &r in &cfg.roots {
        let mut inst = Instance::new(r, String::new(), None, 0);
        let dir = &cfg.modules[r].dir;
        if several && !dir.is_empty() {
            // Two root modules may both configure `aws`: keep their providers apart.
            inst.provider_prefix = format!("{dir}:");
        }
        roots.push(ev.add_instance(inst));
    }
    let mut resources = Vec::new();
    for inst in roots {
        emit(&mut ev, inst, &[], &mut resources);
    }
    let mut providers = Vec::new();
    let decls: Vec<(String, String, Option<String>, Span)> = ev
        .providers
        .iter()
        .map(|p| {
            (
                p.key.clone(),
                p.name.clone(),
                p.alias.clone(),
                Span {
                    file: p.block.file,
                    start: p.block.span.start,
                    end: p.block.span.end,
                },
            )
        })
        .collect();
    for (key, name, alias, span) in decls {
        if model.providers.iter().any(|p| p.key == key)
            || providers.iter().any(|p: &Provider| p.key == key)
        {
            continue;
        }
        let values = ev
            .provider_values(&key)
            .map(|v| v.to_value())
            .unwrap_or_else(Value::map);
        providers.push(Provider {
            key,
            name,
            alias,
            values,
            origin: Origin::Span(span),
        });
    }
    for e in std::mem::take(&mut ev.errors) {
        if let Some(f) = model.files.get(e.file) {
            model.errors.push(error_at(f, e.offset, e.message));
        }
    }
    model.providers.extend(providers);
    super::plan::ensure_implied_providers(model, &resources);
    model.resources.extend(resources);
}

/// The resources of one module instance and, depth first, of its child modules.
/// `inherited` are the directives on the module calls above (tfsec and trivy apply an
/// ignore comment on a module block to everything in the module; so do we).
fn emit(ev: &mut Evaluator<'_>, inst: usize, inherited: &[Directive], out: &mut Vec<Resource>) {
    let cfg = ev.cfg;
    let module = &cfg.modules[ev.inst(inst).module];
    let path = ev.inst(inst).path.clone();
    for (ridx, decl) in module.resources.iter().enumerate() {
        ev.truncated = false;
        let Ok(re) = ev.resource(inst, ridx) else {
            continue;
        };
        let mut directives = inherited.to_vec();
        directives.extend(directives::of_resource(&decl.block));
        let local = match decl.mode {
            Mode::Managed => format!("{}.{}", decl.rtype, decl.name),
            Mode::Data => format!("data.{}.{}", decl.rtype, decl.name),
        };
        for ie in &re.instances {
            let mut address = join(&path, &local);
            if let Some(k) = &ie.key {
                address.push_str(&k.to_string());
            }
            // Copying values out is work too: a value shared by thousands of instances
            // must not be copied without bound.
            let mut values = if ev.budget.take(1 + ie.values.weight() / 64) {
                ie.values.to_value()
            } else {
                Value::unknown(BUDGET_EXCEEDED)
            };
            for (path, doc) in &ie.partial {
                if ev.budget.take(1 + doc.weight() / 64) {
                    replace_unknown(&mut values, path, doc.to_value());
                }
            }
            out.push(Resource {
                address,
                module: path.clone(),
                mode: decl.mode,
                rtype: decl.rtype.clone(),
                name: decl.name.clone(),
                index: ie.key.clone(),
                provider: ie.provider.clone(),
                values,
                before: None,
                action: None,
                meta: ie.meta.clone(),
                origin: Origin::Span(Span {
                    file: decl.block.file,
                    start: decl.block.span.start,
                    end: decl.block.span.end,
                }),
                directives: directives.clone(),
            });
        }
    }
    for call in 0..module.calls.len() {
        let children = ev.children(inst, call);
        if let Children::Instances(_, list) = &*children {
            let mut below = inherited.to_vec();
            below.extend(directives::of_module_call(&module.calls[call].block));
            for &(_, child) in list {
                emit(ev, child, &below, out);
            }
        }
    }
}

/// A variables file: HCL attributes, or a JSON object whose values are literal.
fn vars_file(
    f: &crate::engine::model::InputFile,
    id: usize,
) -> Result<VarsFile, crate::engine::model::InputError> {
    let values = if f.path.to_ascii_lowercase().ends_with(".json") {
        let doc: serde_json::Value = serde_json::from_str(&f.text).map_err(|e| {
            super::error_at_line(
                f,
                e.line() as u32,
                e.column() as u32,
                format!("invalid JSON: {e}"),
            )
        })?;
        match doc {
            serde_json::Value::Object(o) => {
                o.into_iter().map(|(k, v)| (k, VarValue::Json(v))).collect()
            }
            _ => Vec::new(),
        }
    } else {
        parse::parse(f, id)?
            .attrs
            .into_iter()
            .map(|a| (a.name, VarValue::Expr(a.expr)))
            .collect()
    };
    Ok(VarsFile {
        path: f.path.clone(),
        values,
    })
}

/// Puts `with` at the dotted `path` of `values` where an unknown sits now: the structure of a
/// `jsonencode()` document in place of its unknown encoding. Anything else is left alone.
fn replace_unknown(values: &mut Value, path: &str, with: Value) {
    let mut cur = values;
    for step in path.split('.') {
        cur = match cur {
            Value::Map(m) => match m.get_mut(step) {
                Some(v) => v,
                None => return,
            },
            Value::List(l) => match step.parse::<usize>().ok().and_then(|i| l.get_mut(i)) {
                Some(v) => v,
                None => return,
            },
            _ => return,
        };
    }
    if cur.is_unknown() {
        *cur = with;
    }
}
