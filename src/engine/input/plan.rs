//! Plan JSON (`terraform show -json tfplan`, Terraform 0.12–1.x and OpenTofu) and state
//! JSON (`terraform show -json` on a state) into the model.
//!
//! Values come from `resource_changes` (`after` with `after_unknown` marking what is known
//! only after apply; `before` for deletions), else `planned_values` / `values`. The
//! `configuration` section supplies what values cannot: the references behind unknown
//! values, followed through module calls and outputs, and the provider configurations.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value as Json};

use super::{error_at_line, MAX_DEPTH};
use crate::engine::model::{
    Action, AttrMeta, FileId, InstanceKey, Mode, Model, Origin, Provider, Resource, Span, Value,
};

const AFTER_APPLY: &str = "known after apply";

pub fn load(model: &mut Model, id: FileId) {
    let file = &model.files[id];
    let mut doc: Json = match serde_json::from_str(&file.text) {
        Ok(v) => v,
        Err(e) => {
            let err = error_at_line(
                file,
                e.line() as u32,
                e.column() as u32,
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            );
            model.errors.push(err);
            return;
        }
    };
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let offsets = address_offsets(&file.text);
    let changes = root.remove("resource_changes");
    let config = Config::new(root.get("configuration"));
    if let Some(ts) = root.get("timestamp").and_then(Json::as_str) {
        model.timestamp = Some(ts.to_string());
    }

    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut resources = Vec::new();

    if let Some(Json::Array(changes)) = changes {
        for (i, rc) in changes.into_iter().enumerate() {
            let Json::Object(mut rc) = rc else { continue };
            let mut change = match rc.remove("change") {
                Some(Json::Object(c)) => c,
                _ => Map::new(),
            };
            let action = action(change.get("actions"));
            let before = change.remove("before").filter(|b| !b.is_null());
            let after = change.remove("after").filter(|a| !a.is_null());
            let unknown = change.remove("after_unknown");
            // The pointer names the object the values came from, so a finding's pointer
            // is this plus the attribute path.
            let (values, side) = match (action, after) {
                (Some(Action::Delete), _) | (_, None) => {
                    (before.clone().map(Value::from_json), "before")
                }
                (_, Some(after)) => (
                    Some(with_unknowns(Value::from_json(after), unknown.as_ref(), 0)),
                    "after",
                ),
            };
            let values = values.unwrap_or_else(Value::map);
            let pointer = format!("/resource_changes/{i}/change/{side}");
            let Some(mut res) = resource_from(&rc, values, id, pointer) else {
                continue;
            };
            res.before = before.map(Value::from_json);
            res.action = action;
            seen.insert(res.address.clone(), ());
            resources.push(res);
        }
    }

    // Resources the plan doesn't change (older plans omit no-ops), data sources read
    // during planning, and state files.
    let mut modules: Vec<(String, &Json)> = Vec::new();
    if let Some(rm) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        modules.push(("/planned_values/root_module".into(), rm));
    }
    if let Some(rm) = root
        .get("prior_state")
        .and_then(|p| p.get("values"))
        .and_then(|v| v.get("root_module"))
    {
        modules.push(("/prior_state/values/root_module".into(), rm));
    }
    if let Some(rm) = root.get("values").and_then(|v| v.get("root_module")) {
        modules.push(("/values/root_module".into(), rm));
    }
    let is_plan = root.contains_key("planned_values") || root.contains_key("resource_changes");
    for (pointer, module) in modules {
        walk_module(module, &pointer, 0, &mut |r, ptr| {
            let Some(address) = r.get("address").and_then(Json::as_str) else {
                return;
            };
            if seen.contains_key(address) {
                return;
            }
            let values = r
                .get("values")
                .cloned()
                .map(Value::from_json)
                .unwrap_or_else(Value::map);
            if let Some(mut res) = resource_from(r, values, id, format!("{ptr}/values")) {
                res.action = is_plan
                    .then_some(Action::NoOp)
                    .filter(|_| res.mode == Mode::Managed);
                seen.insert(res.address.clone(), ());
                resources.push(res);
            }
        });
    }

    for res in &mut resources {
        let cfg_module = strip_keys(&res.module);
        if let Some(rc) = config.resource(&cfg_module, &res.config_local()) {
            res.provider = config.provider_key(&rc.provider_key);
            res.meta = config.meta_for(rc, &res.module);
        } else {
            res.provider = default_provider(&res.rtype);
        }
        if let Some(&off) = offsets.get(res.address.as_str()) {
            let span = Span {
                file: id,
                start: off,
                end: off,
            };
            res.meta.entry(String::new()).or_default().span = Some(span);
        }
    }

    model.providers.extend(config.providers(id));
    ensure_implied_providers(model, &resources);
    model.resources.extend(resources);
}

impl Resource {
    /// `type.name` or `data.type.name`, without module path or instance key.
    fn config_local(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.rtype, self.name),
            Mode::Data => format!("data.{}.{}", self.rtype, self.name),
        }
    }
}

fn resource_from(
    r: &Map<String, Json>,
    values: Value,
    file: FileId,
    pointer: String,
) -> Option<Resource> {
    let address = r.get("address")?.as_str()?.to_string();
    let rtype = r.get("type")?.as_str()?.to_string();
    let name = r.get("name")?.as_str()?.to_string();
    let mode = match r.get("mode").and_then(Json::as_str) {
        Some("data") => Mode::Data,
        _ => Mode::Managed,
    };
    let index = match r.get("index") {
        Some(Json::Number(n)) => n.as_i64().map(InstanceKey::Int),
        Some(Json::String(s)) => Some(InstanceKey::Str(s.clone())),
        _ => None,
    };
    let module = match r.get("module_address").and_then(Json::as_str) {
        Some(m) => m.to_string(),
        None => module_of(&address),
    };
    Some(Resource {
        address,
        module,
        mode,
        rtype,
        name,
        index,
        provider: String::new(),
        values,
        before: None,
        action: None,
        meta: BTreeMap::new(),
        origin: Origin::Pointer { file, pointer },
        directives: Vec::new(),
    })
}

fn walk_module<'a>(
    module: &'a Json,
    pointer: &str,
    depth: usize,
    f: &mut dyn FnMut(&'a Map<String, Json>, String),
) {
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(Json::Array(rs)) = module.get("resources") {
        for (i, r) in rs.iter().enumerate() {
            if let Json::Object(r) = r {
                f(r, format!("{pointer}/resources/{i}"));
            }
        }
    }
    if let Some(Json::Array(children)) = module.get("child_modules") {
        for (i, c) in children.iter().enumerate() {
            walk_module(c, &format!("{pointer}/child_modules/{i}"), depth + 1, f);
        }
    }
}

fn action(actions: Option<&Json>) -> Option<Action> {
    let list: Vec<&str> = actions?
        .as_array()?
        .iter()
        .filter_map(Json::as_str)
        .collect();
    Some(match list.as_slice() {
        ["create"] => Action::Create,
        ["update"] => Action::Update,
        ["delete"] => Action::Delete,
        ["delete", "create"] | ["create", "delete"] => Action::Replace,
        ["read"] => Action::Read,
        ["no-op"] | [] => Action::NoOp,
        _ => return None,
    })
}

/// Marks what `after_unknown` says is known only after apply.
fn with_unknowns(value: Value, unknown: Option<&Json>, depth: usize) -> Value {
    let Some(unknown) = unknown else { return value };
    if depth > MAX_DEPTH {
        return value;
    }
    match (value, unknown) {
        (_, Json::Bool(true)) => Value::unknown(AFTER_APPLY),
        (Value::Map(mut m), Json::Object(u)) => {
            for (k, uv) in u {
                if uv == &Json::Bool(false) {
                    continue;
                }
                let cur = m.remove(k).unwrap_or(Value::Null);
                m.insert(k.clone(), with_unknowns(cur, Some(uv), depth + 1));
            }
            Value::Map(m)
        }
        (Value::Null, Json::Object(u)) => {
            with_unknowns(Value::map(), Some(&Json::Object(u.clone())), depth)
        }
        (Value::List(mut l), Json::Array(u)) => {
            for (i, uv) in u.iter().enumerate() {
                if uv == &Json::Bool(false) {
                    continue;
                }
                while l.len() <= i {
                    l.push(Value::Null);
                }
                let cur = std::mem::replace(&mut l[i], Value::Null);
                l[i] = with_unknowns(cur, Some(uv), depth + 1);
            }
            Value::List(l)
        }
        (v, _) => v,
    }
}

/// `module.a["x"].module.b[0]` → `module.a.module.b`: the configuration's module path.
fn strip_keys(module: &str) -> String {
    let mut out = String::with_capacity(module.len());
    let mut depth = 0usize;
    let mut in_str = false;
    let mut prev = '\0';
    for c in module.chars() {
        match c {
            '"' if depth > 0 && prev != '\\' => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        prev = c;
    }
    out
}

/// The module part of a resource address: everything before the last `type.name`.
fn module_of(address: &str) -> String {
    let mut module_end = 0;
    let mut rest = address;
    let mut consumed = 0;
    while let Some(after) = rest.strip_prefix("module.") {
        // module.NAME or module.NAME[KEY], then a dot
        let name_end = after.find(['.', '[']).unwrap_or(after.len());
        let mut end = name_end;
        if after[name_end..].starts_with('[') {
            end = after[name_end..]
                .find("].")
                .map(|i| name_end + i + 1)
                .unwrap_or(after.len());
        }
        module_end = consumed + "module.".len() + end;
        consumed = module_end + 1;
        if consumed > address.len() {
            break;
        }
        rest = &address[consumed..];
    }
    address[..module_end.min(address.len())].to_string()
}

fn default_provider(rtype: &str) -> String {
    rtype.split('_').next().unwrap_or(rtype).to_string()
}

/// Byte offset of each `"address": "…"` in the text (first occurrence wins), so findings on
/// a plan can name a line as well as a JSON pointer.
fn address_offsets(text: &str) -> HashMap<&str, u32> {
    let mut out = HashMap::new();
    let needle = "\"address\"";
    let mut from = 0;
    while let Some(pos) = text[from..].find(needle) {
        let at = from + pos;
        from = at + needle.len();
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            continue;
        };
        if let Some(end) = rest.find('"') {
            let value = &rest[..end];
            // Addresses with escaped quotes (for_each keys) are found by their unescaped
            // form in the model; skip them rather than mis-slice.
            if !value.ends_with('\\') {
                out.entry(value).or_insert(at as u32);
            }
        }
    }
    out
}

/// Reads the `configuration` section: resources' expressions and provider keys per module
/// path, module calls, and provider configurations.
struct Config<'a> {
    /// module path (config form, `module.a.module.b`) → module object
    modules: HashMap<String, &'a Map<String, Json>>,
    providers: Option<&'a Map<String, Json>>,
}

struct ConfigResource<'a> {
    provider_key: String,
    expressions: Option<&'a Json>,
    module: String,
}

impl<'a> Config<'a> {
    fn new(configuration: Option<&'a Json>) -> Config<'a> {
        let mut modules = HashMap::new();
        let providers = configuration
            .and_then(|c| c.get("provider_config"))
            .and_then(Json::as_object);
        if let Some(root) = configuration
            .and_then(|c| c.get("root_module"))
            .and_then(Json::as_object)
        {
            let mut stack = vec![(String::new(), root, 0usize)];
            while let Some((path, m, depth)) = stack.pop() {
                if depth > MAX_DEPTH {
                    continue;
                }
                if let Some(Json::Object(calls)) = m.get("module_calls") {
                    for (name, call) in calls {
                        if let Some(child) = call.get("module").and_then(Json::as_object) {
                            let child_path = join(&path, &format!("module.{name}"));
                            stack.push((child_path, child, depth + 1));
                        }
                    }
                }
                modules.insert(path, m);
            }
        }
        Config { modules, providers }
    }

    fn resource(&self, module: &str, local: &str) -> Option<ConfigResource<'a>> {
        let m = self.modules.get(module)?;
        let rs = m.get("resources")?.as_array()?;
        let r = rs.iter().find(|r| {
            r.get("address").and_then(Json::as_str).is_some_and(|a| {
                a == local || a.ends_with(&format!(".{local}")) && a.starts_with("module.")
            })
        })?;
        Some(ConfigResource {
            provider_key: r
                .get("provider_config_key")
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string(),
            expressions: r.get("expressions"),
            module: module.to_string(),
        })
    }

    /// Provider config keys look like `aws`, `aws.west`, or (in child modules, older
    /// Terraform) `child:aws`. Anything we can't place goes to the provider's default.
    fn provider_key(&self, key: &str) -> String {
        if let Some(p) = self.providers {
            if p.contains_key(key) {
                if let Some(cfg) = p.get(key) {
                    // A module's own provider block: keep it apart; an inherited one maps to root.
                    if cfg
                        .get("module_address")
                        .and_then(Json::as_str)
                        .is_none_or(str::is_empty)
                    {
                        return key.to_string();
                    }
                }
                return key.to_string();
            }
        }
        let local = key.rsplit(':').next().unwrap_or(key);
        local.to_string()
    }

    fn providers(&self, file: FileId) -> Vec<Provider> {
        let Some(p) = self.providers else {
            return Vec::new();
        };
        p.iter()
            .map(|(key, cfg)| {
                let name = cfg
                    .get("name")
                    .and_then(Json::as_str)
                    .unwrap_or(key)
                    .to_string();
                let alias = cfg.get("alias").and_then(Json::as_str).map(str::to_string);
                let values = cfg
                    .get("expressions")
                    .map(|e| expr_value(e, 0))
                    .unwrap_or_else(Value::map);
                Provider {
                    key: key.clone(),
                    name,
                    alias,
                    values,
                    origin: Origin::Pointer {
                        file,
                        pointer: format!(
                            "/configuration/provider_config/{}",
                            key.replace('~', "~0").replace('/', "~1")
                        ),
                    },
                }
            })
            .collect()
    }

    /// Per attribute path, the resolved references of its expression.
    fn meta_for(
        &self,
        rc: ConfigResource<'a>,
        instance_module: &str,
    ) -> BTreeMap<String, AttrMeta> {
        let mut out = BTreeMap::new();
        if let Some(exprs) = rc.expressions {
            let mut leaves = Vec::new();
            collect_exprs(exprs, String::new(), 0, &mut leaves);
            for (path, refs) in leaves {
                let mut resolved = Vec::new();
                for r in refs {
                    self.resolve_ref(r, &rc.module, instance_module, 0, &mut resolved);
                }
                resolved.dedup();
                if !resolved.is_empty() {
                    out.insert(
                        path,
                        AttrMeta {
                            span: None,
                            refs: resolved,
                        },
                    );
                }
            }
        }
        out
    }

    /// Resolves one reference as written in module `cfg_module` (instance address
    /// `instance_module`) to resource addresses, following module outputs and input
    /// variables. Unfollowable references are kept as written, with the module prefix.
    fn resolve_ref(
        &self,
        reference: &str,
        cfg_module: &str,
        instance_module: &str,
        hops: usize,
        out: &mut Vec<String>,
    ) {
        if hops > 32 {
            return;
        }
        let parts = split_ref(reference);
        match parts.first().map(String::as_str) {
            Some("each" | "count" | "path" | "self" | "terraform") => {}
            Some("var") if parts.len() >= 2 => {
                // Input variable of a child module: follow the module call's argument in the parent.
                if let Some((parent_cfg, call)) = cfg_module
                    .rsplit_once(".module.")
                    .map(|(p, c)| (p.to_string(), c))
                    .or_else(|| {
                        cfg_module
                            .strip_prefix("module.")
                            .map(|c| (String::new(), c))
                    })
                {
                    let parent_instance = parent_of(instance_module);
                    let call_refs: Vec<String> = self
                        .modules
                        .get(&parent_cfg)
                        .and_then(|m| m.get("module_calls"))
                        .and_then(|c| c.get(call))
                        .and_then(|c| c.get("expressions"))
                        .and_then(|e| e.get(&parts[1]))
                        .map(|e| {
                            let mut leaves = Vec::new();
                            collect_exprs(e, String::new(), 0, &mut leaves);
                            leaves
                                .into_iter()
                                .flat_map(|(_, r)| r.into_iter().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    for r in call_refs {
                        self.resolve_ref(&r, &parent_cfg, &parent_instance, hops + 1, out);
                    }
                } else {
                    push_unique(out, format!("var.{}", parts[1]));
                }
            }
            Some("local") if parts.len() >= 2 => {
                push_unique(out, join(instance_module, &format!("local.{}", parts[1])))
            }
            Some("module") if parts.len() >= 3 => {
                let (name, key) = split_key(&parts[1]);
                let child_cfg = join(cfg_module, &format!("module.{name}"));
                let child_instance = join(instance_module, &format!("module.{name}{key}"));
                let output_refs: Vec<String> = self
                    .modules
                    .get(&child_cfg)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(&parts[2]))
                    .and_then(|o| o.get("expression"))
                    .map(|e| {
                        let mut leaves = Vec::new();
                        collect_exprs(e, String::new(), 0, &mut leaves);
                        leaves
                            .into_iter()
                            .flat_map(|(_, r)| r.into_iter().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                if output_refs.is_empty() {
                    push_unique(out, format!("{child_instance}.{}", parts[2]));
                }
                for r in output_refs {
                    self.resolve_ref(&r, &child_cfg, &child_instance, hops + 1, out);
                }
            }
            Some("module") => {}
            Some("data") if parts.len() >= 3 => push_unique(
                out,
                join(instance_module, &format!("data.{}.{}", parts[1], parts[2])),
            ),
            Some(_) if parts.len() >= 2 => push_unique(
                out,
                join(instance_module, &format!("{}.{}", parts[0], parts[1])),
            ),
            _ => {}
        }
    }
}

fn push_unique(out: &mut Vec<String>, s: String) {
    if !out.contains(&s) {
        out.push(s);
    }
}

/// Splits `aws_kms_key.k["a"].arn` into `["aws_kms_key", "k[\"a\"]", "arn"]` (brackets stay
/// with the step they follow).
fn split_ref(r: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    for c in r.chars() {
        match c {
            '"' => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth = depth.saturating_sub(1),
            '.' if depth == 0 && !in_str => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
}

/// `name["k"]` → (`name`, `["k"]`)
fn split_key(step: &str) -> (&str, &str) {
    match step.find('[') {
        Some(i) => (&step[..i], &step[i..]),
        None => (step, ""),
    }
}

fn parent_of(instance_module: &str) -> String {
    let parts = split_ref(instance_module);
    if parts.len() <= 2 {
        return String::new();
    }
    parts[..parts.len() - 2].join(".")
}

fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix}.{rest}")
    }
}

/// Flattens configuration expressions into (attribute path, references). Nested blocks
/// are arrays of objects (or a single object in some versions).
fn collect_exprs<'a>(
    expr: &'a Json,
    path: String,
    depth: usize,
    out: &mut Vec<(String, Vec<&'a str>)>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match expr {
        Json::Object(o) if o.contains_key("references") || o.contains_key("constant_value") => {
            let refs: Vec<&str> = o
                .get("references")
                .and_then(Json::as_array)
                .map(|a| a.iter().filter_map(Json::as_str).collect())
                .unwrap_or_default();
            out.push((path, refs));
        }
        Json::Object(o) => {
            for (k, v) in o {
                collect_exprs(v, join_path(&path, k), depth + 1, out);
            }
        }
        Json::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                collect_exprs(v, join_path(&path, &i.to_string()), depth + 1, out);
            }
        }
        _ => {}
    }
}

fn join_path(prefix: &str, step: &str) -> String {
    if prefix.is_empty() {
        step.to_string()
    } else {
        format!("{prefix}.{step}")
    }
}

/// A configuration expression tree as a value: constants known, references unknown.
fn expr_value(expr: &Json, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return Value::unknown("nested too deeply");
    }
    match expr {
        Json::Object(o) if o.contains_key("constant_value") => o
            .get("constant_value")
            .cloned()
            .map(Value::from_json)
            .unwrap_or(Value::Null),
        Json::Object(o) if o.contains_key("references") => {
            let refs: Vec<&str> = o
                .get("references")
                .and_then(Json::as_array)
                .map(|a| a.iter().filter_map(Json::as_str).collect())
                .unwrap_or_default();
            Value::unknown(format!("depends on {}", refs.join(", ")))
        }
        Json::Object(o) => Value::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), expr_value(v, depth + 1)))
                .collect(),
        ),
        Json::Array(a) => Value::List(a.iter().map(|v| expr_value(v, depth + 1)).collect()),
        _ => Value::Null,
    }
}

/// Every resource needs a provider node: where the configuration names none (state
/// files, plans without `configuration`), the default configuration is implied.
pub(crate) fn ensure_implied_providers(model: &mut Model, resources: &[Resource]) {
    for r in resources {
        if r.provider.is_empty() || model.providers.iter().any(|p| p.key == r.provider) {
            continue;
        }
        let name = r
            .provider
            .split(['.', ':'])
            .next()
            .unwrap_or(&r.provider)
            .to_string();
        model.providers.push(Provider {
            key: r.provider.clone(),
            name,
            alias: None,
            values: Value::map(),
            origin: Origin::Implied,
        });
    }
}

/// serde_json appends " at line X column Y"; we show those separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_and_keys() {
        assert_eq!(module_of("aws_s3_bucket.b"), "");
        assert_eq!(module_of("module.a.aws_s3_bucket.b"), "module.a");
        assert_eq!(
            module_of("module.a[\"x.y\"].module.b[0].aws_s3_bucket.b[\"k\"]"),
            "module.a[\"x.y\"].module.b[0]"
        );
        assert_eq!(
            strip_keys("module.a[\"x.y\"].module.b[0]"),
            "module.a.module.b"
        );
        assert_eq!(parent_of("module.a[\"x\"].module.b[0]"), "module.a[\"x\"]");
        assert_eq!(
            split_ref("aws_kms_key.k[\"a.b\"].arn"),
            vec!["aws_kms_key", "k[\"a.b\"]", "arn"]
        );
    }

    #[test]
    fn after_unknown_marks_values() {
        let after = Value::from_json(serde_json::json!({"a": 1, "b": null, "rule": [{"k": null}]}));
        let unknown = serde_json::json!({"b": true, "rule": [{"k": true}], "c": true});
        let v = with_unknowns(after, Some(&unknown), 0);
        assert!(v
            .lookup("b")
            .eq(&crate::engine::model::Lookup::Unknown(AFTER_APPLY)));
        assert!(v
            .lookup("rule.0.k")
            .eq(&crate::engine::model::Lookup::Unknown(AFTER_APPLY)));
        assert!(v
            .lookup("c")
            .eq(&crate::engine::model::Lookup::Unknown(AFTER_APPLY)));
        assert_eq!(
            v.lookup("a"),
            crate::engine::model::Lookup::Known(&Value::Number(1.0))
        );
    }
}
