//! Files into modules: every `.tf` / `.tf.json` file of one directory belongs to one
//! module; a directory that another module calls with a local `source` is a child module,
//! the others are roots. Variable files (`terraform.tfvars`, `*.auto.tfvars`, …) belong to
//! the root module of their directory.

use std::collections::{BTreeMap, HashMap, HashSet};

use hcl::edit::expr::Expression;
use hcl::edit::template::Element;

use super::ast::{Attr, Block, Body};
use super::eval::EvalError;
use crate::engine::model::Mode;

pub(super) struct ResourceDecl {
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub block: Block,
}

/// Where a module call's source points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A loaded module directory (index into [`Configs::modules`]).
    Local(usize),
    /// A directory whose files were not given: a local path, or (`installed`) where
    /// `.terraform/modules/modules.json` says `terraform init` put the module.
    Missing { dir: String, installed: bool },
    /// Registry, git, http, S3, …, with no `.terraform/modules` entry: nothing to read.
    NotLocal,
}

pub(super) struct CallDecl {
    pub name: String,
    pub source: String,
    /// The call's `version` constraint, or the version `terraform init` installed.
    pub version: Option<String>,
    pub target: Target,
    pub block: Block,
}

/// What `terraform init` recorded in `.terraform/modules/modules.json`: for each module call
/// (by the directory of the calling module and the call's name), the directory it installed
/// the module in. Registry, git, http and S3 sources are read from there, as Terraform does.
#[derive(Default)]
pub(super) struct Manifest {
    calls: HashMap<(String, String), Installed>,
}

struct Installed {
    dir: String,
    version: Option<String>,
}

#[derive(serde::Deserialize)]
struct ManifestFile {
    #[serde(rename = "Modules", default)]
    modules: Vec<ManifestEntry>,
}

#[derive(serde::Deserialize)]
struct ManifestEntry {
    #[serde(rename = "Key", default)]
    key: String,
    #[serde(rename = "Version", default)]
    version: Option<String>,
    #[serde(rename = "Dir", default)]
    dir: String,
}

impl Manifest {
    /// Adds one manifest; `path` is where it was found (`envs/prod/.terraform/modules/modules.json`),
    /// whose `Dir` entries are relative to the directory `terraform init` ran in (`envs/prod`).
    pub fn add(&mut self, path: &str, text: &str) -> Result<(), String> {
        let file: ManifestFile =
            serde_json::from_str(text).map_err(|e| format!("invalid module manifest: {e}"))?;
        let here = dir_of(path);
        let root = here
            .strip_suffix(".terraform/modules")
            .map(normalise)
            .unwrap_or(here);
        let dirs: HashMap<&str, String> = file
            .modules
            .iter()
            .map(|m| (m.key.as_str(), join_dir(&root, &m.dir)))
            .collect();
        for m in &file.modules {
            if m.key.is_empty() {
                continue;
            }
            let (parent, name) = m.key.rsplit_once('.').unwrap_or(("", &m.key));
            let parent_dir = match dirs.get(parent) {
                Some(d) => d.clone(),
                None if parent.is_empty() => root.clone(),
                None => continue,
            };
            self.calls.insert(
                (parent_dir, name.to_string()),
                Installed {
                    dir: join_dir(&root, &m.dir),
                    version: m.version.clone().filter(|v| !v.is_empty()),
                },
            );
        }
        Ok(())
    }
}

/// A directory inside `.terraform/`: a copy `terraform init` made. It is read only where a
/// module call leads to it, never reviewed on its own (its examples and tests are not the
/// user's configuration).
pub(super) fn is_installed_copy(dir: &str) -> bool {
    dir.split('/').any(|s| s == ".terraform")
}

#[derive(Default)]
pub(super) struct ModuleConfig {
    pub dir: String,
    pub variables: BTreeMap<String, Block>,
    pub locals: HashMap<String, Attr>,
    pub outputs: HashMap<String, Block>,
    pub resources: Vec<ResourceDecl>,
    resource_index: HashMap<(Mode, String, String), usize>,
    pub calls: Vec<CallDecl>,
    call_index: HashMap<String, usize>,
    pub providers: Vec<Block>,
}

impl ModuleConfig {
    pub fn resource(&self, mode: Mode, rtype: &str, name: &str) -> Option<usize> {
        self.resource_index
            .get(&(mode, rtype.to_string(), name.to_string()))
            .copied()
    }

    pub fn call(&self, name: &str) -> Option<usize> {
        self.call_index.get(name).copied()
    }
}

/// A value from a variables file.
pub(super) enum VarValue {
    Expr(Expression),
    Json(serde_json::Value),
}

pub(super) struct VarsFile {
    pub path: String,
    pub values: Vec<(String, VarValue)>,
}

#[derive(Default)]
pub(super) struct Configs {
    pub modules: Vec<ModuleConfig>,
    pub roots: Vec<usize>,
    /// Variables files per directory, lowest precedence first.
    pub tfvars: HashMap<String, Vec<VarsFile>>,
}

/// One parsed configuration file.
pub(super) struct ParsedFile {
    pub path: String,
    pub body: Body,
}

impl Configs {
    pub fn build(
        files: Vec<ParsedFile>,
        vars: Vec<VarsFile>,
        manifest: &Manifest,
        errors: &mut Vec<EvalError>,
    ) -> Configs {
        let mut by_dir: BTreeMap<String, Vec<ParsedFile>> = BTreeMap::new();
        for f in files {
            by_dir.entry(dir_of(&f.path)).or_default().push(f);
        }
        let mut cfg = Configs::default();
        let mut dir_index = HashMap::new();
        for (dir, mut files) in by_dir {
            // Terraform reads a directory's files in lexical order.
            crate::engine::sort::by(&mut files, |a, b| a.path.cmp(&b.path));
            dir_index.insert(dir.clone(), cfg.modules.len());
            cfg.modules.push(module_from(dir, files, errors));
        }
        for m in &mut cfg.modules {
            for c in &mut m.calls {
                let installed = manifest.calls.get(&(m.dir.clone(), c.name.clone()));
                let dir = match installed {
                    Some(i) => {
                        if i.version.is_some() {
                            c.version = i.version.clone();
                        }
                        Some(i.dir.clone())
                    }
                    None => is_local(&c.source).then(|| join_dir(&m.dir, &c.source)),
                };
                c.target = match dir {
                    None => Target::NotLocal,
                    Some(d) => match dir_index.get(&d) {
                        Some(&i) => Target::Local(i),
                        None => Target::Missing {
                            dir: d,
                            installed: installed.is_some(),
                        },
                    },
                };
            }
        }
        cfg.roots = roots(&cfg.modules);
        let mut tfvars: HashMap<String, Vec<VarsFile>> = HashMap::new();
        for v in vars {
            tfvars.entry(dir_of(&v.path)).or_default().push(v);
        }
        for files in tfvars.values_mut() {
            crate::engine::sort::by_key(files, |f| precedence(&f.path));
        }
        cfg.tfvars = tfvars;
        cfg
    }
}

/// Terraform's order, lowest first: `terraform.tfvars(.json)`, then `*.auto.tfvars(.json)`
/// in lexical order; other variables files come last, as if given with `-var-file`.
fn precedence(path: &str) -> (u8, String) {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let rank = if name == "terraform.tfvars" || name == "terraform.tfvars.json" {
        0
    } else if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") {
        1
    } else {
        2
    };
    (rank, name)
}

fn module_from(dir: String, files: Vec<ParsedFile>, errors: &mut Vec<EvalError>) -> ModuleConfig {
    let mut m = ModuleConfig {
        dir,
        ..ModuleConfig::default()
    };
    for f in files {
        for b in f.body.blocks {
            let duplicate = |errors: &mut Vec<EvalError>, b: &Block, what: String| {
                errors.push(EvalError {
                    file: b.file,
                    offset: b.span.start as usize,
                    message: format!("{what} is declared twice; the first declaration is used"),
                })
            };
            match b.kind.as_str() {
                "resource" | "data" if b.labels.len() == 2 => {
                    let mode = if b.kind == "data" {
                        Mode::Data
                    } else {
                        Mode::Managed
                    };
                    let key = (mode, b.labels[0].clone(), b.labels[1].clone());
                    if m.resource_index.contains_key(&key) {
                        let prefix = if mode == Mode::Data { "data." } else { "" };
                        duplicate(errors, &b, format!("{prefix}{}.{}", key.1, key.2));
                        continue;
                    }
                    if mode == Mode::Managed && f.path.ends_with(".tf") {
                        blocks_written_as_arguments(&key.1, b.file, &b.body, "", 0, errors);
                    }
                    m.resource_index.insert(key, m.resources.len());
                    m.resources.push(ResourceDecl {
                        mode,
                        rtype: b.labels[0].clone(),
                        name: b.labels[1].clone(),
                        block: b,
                    });
                }
                "module" if b.labels.len() == 1 => {
                    let name = b.labels[0].clone();
                    if m.call_index.contains_key(&name) {
                        duplicate(errors, &b, format!("module.{name}"));
                        continue;
                    }
                    let literal =
                        |attr: &str| b.body.attr(attr).and_then(|a| literal_string(&a.expr));
                    let source = literal("source").unwrap_or_default();
                    let version = literal("version");
                    m.call_index.insert(name.clone(), m.calls.len());
                    m.calls.push(CallDecl {
                        name,
                        source,
                        version,
                        target: Target::NotLocal,
                        block: b,
                    });
                }
                "variable" if b.labels.len() == 1 => {
                    let name = b.labels[0].clone();
                    if m.variables.contains_key(&name) {
                        duplicate(errors, &b, format!("var.{name}"));
                        continue;
                    }
                    m.variables.insert(name, b);
                }
                "output" if b.labels.len() == 1 => {
                    m.outputs.entry(b.labels[0].clone()).or_insert(b);
                }
                "locals" => {
                    for a in b.body.attrs {
                        m.locals.entry(a.name.clone()).or_insert(a);
                    }
                }
                "provider" if b.labels.len() == 1 => m.providers.push(b),
                _ => {}
            }
        }
    }
    m
}

/// Reports a nested block written as an argument (`node_to_node_encryption = { … }`): the
/// provider's schema makes it a block, Terraform rejects the file ("Unsupported argument"),
/// and read as written the setting would silently count as absent.
fn blocks_written_as_arguments(
    rtype: &str,
    file: crate::engine::model::FileId,
    body: &Body,
    path: &str,
    depth: usize,
    errors: &mut Vec<EvalError>,
) {
    if depth > 4 || !crate::engine::input::schema::knows(rtype) {
        return;
    }
    let at = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    for a in &body.attrs {
        let full = at(&a.name);
        if crate::engine::input::schema::is_block(rtype, &full) {
            errors.push(EvalError {
                file,
                offset: a.span.start as usize,
                message: format!(
                    "{} is a block of {rtype}, not an argument: write `{} {{ … }}` without `=` (Terraform rejects this: Unsupported argument); the setting is not read",
                    a.name, a.name
                ),
            });
        }
    }
    for b in &body.blocks {
        let (name, inner) = match (b.kind.as_str(), b.labels.first()) {
            ("dynamic", Some(label)) => match b.body.blocks("content").next() {
                Some(content) => (label.as_str(), &content.body),
                None => continue,
            },
            (kind, _) => (kind, &b.body),
        };
        blocks_written_as_arguments(rtype, file, inner, &at(name), depth + 1, errors);
    }
}

/// Directories no other module calls are roots; a set of modules that only call each other
/// (a cycle, which Terraform rejects) still gets its first member as a root so its
/// resources are not silently dropped.
fn roots(modules: &[ModuleConfig]) -> Vec<usize> {
    let mut called = vec![false; modules.len()];
    for (i, m) in modules.iter().enumerate() {
        for c in &m.calls {
            if let Target::Local(t) = c.target {
                if t != i {
                    called[t] = true;
                }
            }
        }
    }
    let candidate = |i: &usize| !is_installed_copy(&modules[*i].dir);
    let mut roots: Vec<usize> = (0..modules.len())
        .filter(|&i| !called[i])
        .filter(candidate)
        .collect();
    let mut reached: HashSet<usize> = HashSet::new();
    let mut stack: Vec<usize> = roots.clone();
    loop {
        while let Some(i) = stack.pop() {
            if !reached.insert(i) {
                continue;
            }
            for c in &modules[i].calls {
                if let Target::Local(t) = c.target {
                    stack.push(t);
                }
            }
        }
        match (0..modules.len())
            .filter(candidate)
            .find(|i| !reached.contains(i))
        {
            Some(i) => {
                roots.push(i);
                stack.push(i);
            }
            None => break,
        }
    }
    roots
}

/// A string that is only literal text: `"x"`, or a template without interpolations
/// (Terraform JSON strings arrive as templates).
pub(super) fn literal_string(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                match el {
                    Element::Literal(l) => out.push_str(l.value()),
                    _ => return None,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// The directory of a file path, normalised: `./a/b/main.tf` → `a/b`.
pub(super) fn dir_of(path: &str) -> String {
    let p = path.replace('\\', "/");
    match p.rsplit_once('/') {
        Some((d, _)) => normalise(d),
        None => String::new(),
    }
}

/// `dir` joined with a relative module source: `envs/prod` + `../../modules/kms` →
/// `modules/kms`. Going above the top keeps the `..` so it matches no loaded directory.
pub(super) fn join_dir(dir: &str, source: &str) -> String {
    let joined = if dir.is_empty() {
        source.to_string()
    } else {
        format!("{dir}/{source}")
    };
    normalise(&joined)
}

fn normalise(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_and_sources() {
        assert_eq!(dir_of("main.tf"), "");
        assert_eq!(dir_of("./infra/main.tf"), "infra");
        assert_eq!(dir_of("infra\\modules\\kms\\main.tf"), "infra/modules/kms");
        assert_eq!(join_dir("", "./modules/kms"), "modules/kms");
        assert_eq!(join_dir("envs/prod", "../../modules/kms"), "modules/kms");
        assert_eq!(join_dir("", "../x"), "../x");
        assert_eq!(join_dir("a", "./"), "a");
        assert!(is_local("./m") && is_local("../m"));
        assert!(!is_local("terraform-aws-modules/s3-bucket/aws"));
        assert!(!is_local("git::https://example.com/x.git"));
    }

    #[test]
    fn manifest_maps_calls_to_installed_directories() {
        let mut m = Manifest::default();
        m.add(
            "envs/prod/.terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
                {"Key":"bucket","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Version":"4.1.0","Dir":".terraform/modules/bucket"},
                {"Key":"bucket.logs","Source":"git::https://example.com/logs.git","Dir":".terraform/modules/bucket.logs"},
                {"Key":"net","Source":"../../modules/net","Dir":"../../modules/net"}]}"#,
        )
        .unwrap();
        let get = |parent: &str, name: &str| {
            m.calls
                .get(&(parent.to_string(), name.to_string()))
                .map(|i| (i.dir.as_str(), i.version.as_deref()))
        };
        assert_eq!(
            get("envs/prod", "bucket"),
            Some(("envs/prod/.terraform/modules/bucket", Some("4.1.0")))
        );
        assert_eq!(
            get("envs/prod/.terraform/modules/bucket", "logs"),
            Some(("envs/prod/.terraform/modules/bucket.logs", None))
        );
        assert_eq!(get("envs/prod", "net"), Some(("modules/net", None)));
        assert!(m.add("x/.terraform/modules/modules.json", "{").is_err());
        assert!(is_installed_copy("a/.terraform/modules/b") && !is_installed_copy("a/terraform"));
    }

    #[test]
    fn variables_files_in_terraform_order() {
        let mut names = vec![
            "b.auto.tfvars",
            "prod.tfvars",
            "terraform.tfvars",
            "a.auto.tfvars.json",
        ];
        names.sort_by_key(|n| precedence(n));
        assert_eq!(
            names,
            vec![
                "terraform.tfvars",
                "a.auto.tfvars.json",
                "b.auto.tfvars",
                "prod.tfvars"
            ]
        );
    }
}
