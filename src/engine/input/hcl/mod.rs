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

use config::{CallDecl, Configs, Manifest, ParsedFile, Target, VarValue, VarsFile};
use eval::{Evaluator, BUDGET_EXCEEDED};
use instance::{join, Children, Instance};

use super::error_at;
use crate::engine::model::{
    Directive, FileKind, Mode, Model, Origin, Provider, Resource, Span, UnreadModule, Value,
};

/// Loads every HCL / Terraform JSON file of the model's file list as modules.
pub fn load(model: &mut Model) {
    let Some(cfg) = configs(model) else {
        return;
    };
    instantiate(model, &cfg);
}

/// The directories the configuration's module calls lead to whose files were not given:
/// local paths (`../../`) and directories `.terraform/modules/modules.json` names. The CLI
/// reads them from disk, as Terraform does, and loads again.
pub fn wanted_dirs(model: &mut Model) -> Vec<String> {
    let Some(cfg) = configs(model) else {
        return Vec::new();
    };
    let mut out: Vec<String> = cfg
        .modules
        .iter()
        .flat_map(|m| &m.calls)
        .filter_map(|c| match &c.target {
            Target::Missing { dir, .. } => Some(dir.clone()),
            _ => None,
        })
        .collect();
    crate::engine::sort::ord(&mut out);
    out.dedup();
    out
}

/// Parses the model's configuration files into modules (errors go to the model).
fn configs(model: &mut Model) -> Option<Configs> {
    let mut parsed = Vec::new();
    let mut vars = Vec::new();
    let mut manifest = Manifest::default();
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
            Some(FileKind::Modules) => {
                if let Err(message) = manifest.add(&f.path, &f.text) {
                    model.errors.push(error_at(f, 0, message));
                }
            }
            _ => {}
        }
    }
    if parsed.is_empty() {
        return None;
    }
    let mut eval_errors = Vec::new();
    let cfg = Configs::build(parsed, vars, &manifest, &mut eval_errors);
    for e in eval_errors {
        if let Some(f) = model.files.get(e.file) {
            model.errors.push(error_at(f, e.offset, e.message));
        }
    }
    Some(cfg)
}

fn instantiate(model: &mut Model, cfg: &Configs) {
    let mut ev = Evaluator::new(cfg);
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
        emit(
            &mut ev,
            inst,
            &[],
            &mut resources,
            &mut model.unread_modules,
        );
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
fn emit(
    ev: &mut Evaluator<'_>,
    inst: usize,
    inherited: &[Directive],
    out: &mut Vec<Resource>,
    unread: &mut Vec<UnreadModule>,
) {
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
                meta: ie
                    .meta
                    .iter()
                    .map(|(k, m)| (k.clone(), m.clone()))
                    .collect(),
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
        let decl = &module.calls[call];
        match &*children {
            Children::Instances(_, list) => {
                let mut below = inherited.to_vec();
                below.extend(directives::of_module_call(&decl.block));
                for &(_, child) in list {
                    emit(ev, child, &below, out, unread);
                }
            }
            Children::Absent(reason) => {
                unread.push(unread_module(&path, decl, reason));
            }
        }
    }
}

/// Why a module call was not read, and what the user can do about it.
fn unread_module(path: &str, decl: &CallDecl, reason: &str) -> UnreadModule {
    let (reason, how_to_include) = match &decl.target {
        Target::NotLocal => (
            format!("a remote source ({}) that no .terraform/modules/modules.json says terraform init installed", source_kind(&decl.source)),
            "run `terraform init` and review the folder with its .terraform/modules (the CLI reads it from the folder given; on the page drop or choose the whole folder), or review `terraform show -json` of a plan, which holds every module's resources".to_string(),
        ),
        Target::Missing { dir, installed: true } => (
            format!("terraform init installed it in {dir}, but no Terraform files from there were given"),
            "include the .terraform/modules folder: the CLI reads it from the folder given; on the page drop or choose the whole folder (hidden folders included)".to_string(),
        ),
        Target::Missing { dir, installed: false } => (
            format!("its files ({}) were not among the files given", if dir.is_empty() { "." } else { dir }),
            "review a folder that contains it: the CLI reads local module paths from disk; on the page drop or choose the folder that holds both the caller and the module".to_string(),
        ),
        Target::Local(_) => (
            reason.to_string(),
            "fix the module structure Terraform would reject too (a module that calls itself, or nesting deeper than planlens follows)".to_string(),
        ),
    };
    UnreadModule {
        module: join(path, &format!("module.{}", decl.name)),
        source: decl.source.clone(),
        version: decl.version.clone(),
        reason,
        how_to_include,
    }
}

/// What kind of remote source a module `source` is, as `terraform init` tells them apart.
fn source_kind(source: &str) -> &'static str {
    let s = source.to_ascii_lowercase();
    if s.starts_with("git::")
        || s.starts_with("git@")
        || s.starts_with("github.com/")
        || s.starts_with("bitbucket.org/")
        || s.ends_with(".git")
    {
        "git"
    } else if s.starts_with("s3::") || s.contains(".s3.amazonaws.com") || s.contains(".s3-") {
        "S3"
    } else if s.starts_with("gcs::") {
        "GCS"
    } else if s.starts_with("hg::") {
        "Mercurial"
    } else if s.starts_with("http://") || s.starts_with("https://") {
        "HTTP"
    } else if s.split('/').filter(|p| !p.is_empty()).count() >= 3 {
        "Terraform registry"
    } else {
        "not a local path"
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
    let Some(cur) = values.at_mut(path) else {
        return;
    };
    if cur.is_unknown() {
        *cur = with;
    }
}
