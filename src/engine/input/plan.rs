//! Plan JSON (`terraform show -json tfplan`, Terraform 0.12–1.x and OpenTofu) and state
//! JSON (`terraform show -json` on a state) into the model.
//!
//! Values come from `resource_changes` (`after` with `after_unknown` marking what is known
//! only after apply; `before` for deletions), else `planned_values` / `values`. The
//! `configuration` section supplies what values cannot: the references behind unknown
//! values, followed through module calls and outputs, and the provider configurations.

use std::borrow::Cow;
use std::fmt::Write as _;

use std::marker::PhantomData;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value as Json};

use super::{error_at_line, MAX_DEPTH};
use crate::engine::model::{
    map_of, Action, AttrMeta, FileId, IncompletePlan, InstanceKey, Meta, Mode, Model, Origin,
    Provider, Resource, Span, Value,
};

const AFTER_APPLY: &str = "known after apply";

pub fn load(model: &mut Model, id: FileId) {
    let file = &model.files[id];
    // Values kept as slices and parsed later start the JSON parser's depth limit again: the
    // document's depth is checked here once, so that a value nested too deeply is an error
    // rather than a resource's values quietly skipped.
    if let Some(offset) = too_deep(&file.text) {
        let err = super::error_at(
            file,
            offset,
            format!("invalid JSON: nesting deeper than {MAX_JSON_DEPTH} levels"),
        );
        model.errors.push(err);
        return;
    }
    // The JSON is parsed in one pass (the depth check above and `address_offsets` below are
    // byte scans beside it): `resource_changes` is parsed straight into the model's values
    // (a no-op's `before`, its values again, is skipped unread); the resources of
    // `planned_values` / `prior_state` / `values` keep their values as slices of the text,
    // parsed below only for what `resource_changes` did not already give. No
    // serde_json::Value tree of the whole plan is built (it costs several times the file).
    let doc: Doc = match serde_json::from_str(&file.text) {
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
    let offsets = address_offsets(&file.text);
    let config = Config::new(doc.configuration.as_ref());
    if let Some(Json::String(ts)) = doc.timestamp {
        model.timestamp = Some(ts);
    }
    if doc.errored == Some(Json::Bool(true)) {
        model.incomplete_plans.push(IncompletePlan {
            file: file.path.clone(),
            reason: "Terraform saved this plan although planning failed (\"errored\": true)".into(),
        });
    }

    let mut seen: HashSet<String> = HashSet::new();
    let mut resources = Vec::new();
    // Per resource, whether its values hold an unknown (only `after_unknown` makes one), so
    // the unset pass below need not walk every resource's values to find out.
    let mut has_unknown = Vec::new();

    let is_plan = doc.planned_values.is_some() || doc.resource_changes.is_some();
    let changes = doc.resource_changes.map(|l| l.0).unwrap_or_default();
    for (i, rc) in changes.into_iter().enumerate() {
        let Some(rc) = rc.0 else {
            continue;
        };
        let head = Head {
            address: rc.address,
            rtype: rc.rtype,
            name: rc.name,
            mode: rc.mode,
            index: rc.index,
            module_address: rc.module_address,
        };
        let change = rc.change.0.unwrap_or_default();
        let action = action(change.actions.as_ref());
        let before = change.before.filter(|b| *b != Value::Null);
        let after = change.after.filter(|a| *a != Value::Null);
        // The pointer names the object the values came from, so a finding's pointer
        // is this plus the attribute path.
        let mut marked = false;
        let (values, side) = match (action, after) {
            (Some(Action::Delete), _) | (_, None) => (before.clone(), "before"),
            (_, Some(mut after)) => {
                if let Some(unknown) = &change.after_unknown {
                    marked = mark_unknowns(&mut after, unknown, 0);
                }
                (Some(after), "after")
            }
        };
        let values = values.unwrap_or_else(Value::map);
        let pointer = format!("/resource_changes/{i}/change/{side}");
        let Some(mut res) = resource_from(head, values, id, pointer) else {
            continue;
        };
        // A no-op's before is its values again: not kept twice (a large plan is mostly
        // no-ops, and its values are most of the model's memory).
        res.before = before.filter(|b| action != Some(Action::NoOp) || *b != res.values);
        res.action = action;
        seen.insert(res.address.clone());
        resources.push(res);
        has_unknown.push(marked);
    }

    // Resources the plan doesn't change (older plans omit no-ops), data sources read
    // during planning, and state files.
    let sections = [
        (
            "/planned_values/root_module",
            doc.planned_values.and_then(|p| p.0),
        ),
        (
            "/prior_state/values/root_module",
            doc.prior_state.and_then(|p| p.0).and_then(|p| p.values.0),
        ),
        ("/values/root_module", doc.values.and_then(|v| v.0)),
    ];
    let modules = sections
        .into_iter()
        .filter_map(|(pointer, section)| Some((pointer, section?.root_module.0?)));
    for (pointer, module) in modules {
        walk_module(module, pointer, 0, &mut |r, ptr| {
            let Some(Json::String(address)) = &r.address else {
                return;
            };
            if seen.contains(address.as_str()) {
                return;
            }
            let head = Head {
                address: r.address,
                rtype: r.rtype,
                name: r.name,
                mode: r.mode,
                index: r.index,
                module_address: None,
            };
            let values = r
                .values
                .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok())
                .filter(|v| *v != Value::Null)
                .unwrap_or_else(Value::map);
            if let Some(mut res) = resource_from(head, values, id, format!("{ptr}/values")) {
                res.action = is_plan
                    .then_some(Action::NoOp)
                    .filter(|_| res.mode == Mode::Managed);
                seen.insert(res.address.clone());
                resources.push(res);
                has_unknown.push(false);
            }
        });
    }

    for (res, &marked) in resources.iter_mut().zip(&has_unknown) {
        let cfg_module = strip_keys(&res.module);
        let leaves = match config.resource(&cfg_module, &res.config_local()) {
            Some(rc) => {
                res.provider = config.provider_key(rc.provider_key);
                res.meta = config.meta_for(rc, &cfg_module, &res.module);
                rc.leaves.as_slice()
            }
            None => {
                res.provider = default_provider(&res.rtype);
                &[]
            }
        };
        if res.mode == Mode::Managed {
            let creates = matches!(res.action, Some(Action::Create | Action::Replace));
            unset_unconfigured(&mut res.values, marked, leaves, &res.rtype, creates);
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

    // Terraform lists a default provider configuration even where only aliases are
    // declared: one no resource uses and that names no region is not an account/region of
    // the configuration to judge (credentials alone, as tooling adds, do not make it one).
    let used: HashSet<&str> = resources.iter().map(|r| r.provider.as_str()).collect();
    let providers = config.providers(id).into_iter().filter(|p| {
        used.contains(p.key.as_str())
            || p.alias.is_some()
            || p.values.as_map().is_some_and(|m| m.contains_key("region"))
    });
    model.providers.extend(providers.collect::<Vec<_>>());
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

fn resource_from(head: Head, values: Value, file: FileId, pointer: String) -> Option<Resource> {
    let string = |v: Option<Json>| match v {
        Some(Json::String(s)) => Some(s),
        _ => None,
    };
    let address = string(head.address)?;
    let rtype = string(head.rtype)?;
    let name = string(head.name)?;
    let mode = match head.mode {
        Some(Json::String(m)) if m == "data" => Mode::Data,
        _ => Mode::Managed,
    };
    let index = match head.index {
        Some(Json::Number(n)) => n.as_i64().map(InstanceKey::Int),
        Some(Json::String(s)) => Some(InstanceKey::Str(s)),
        _ => None,
    };
    let module = match head.module_address {
        Some(Json::String(m)) => m,
        _ => module_of(&address),
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
        meta: Meta::new(),
        origin: Origin::Pointer { file, pointer },
        directives: Vec::new(),
    })
}

/// Calls `f` on every resource of a module and, depth first, of its child modules.
fn walk_module<'a>(
    module: ModuleValues<'a>,
    pointer: &str,
    depth: usize,
    f: &mut dyn FnMut(Entry<'a>, &str),
) {
    if depth > MAX_DEPTH {
        return;
    }
    for (i, r) in module.resources.0.into_iter().enumerate() {
        if let Some(r) = r.0 {
            f(r, &format!("{pointer}/resources/{i}"));
        }
    }
    for (i, c) in module.child_modules.0.into_iter().enumerate() {
        if let Some(c) = c.0 {
            walk_module(c, &format!("{pointer}/child_modules/{i}"), depth + 1, f);
        }
    }
}

/// serde_json's recursion limit is 128 containers, counted from where a parse starts.
const MAX_JSON_DEPTH: usize = 127;

/// Offset of the first bracket that opens a container deeper than [`MAX_JSON_DEPTH`], in
/// one pass over the bytes (strings skipped).
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i + 1),
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the quote that closes the string whose text starts at `i` (the bytes'
/// length if none does): the first quote not escaped by a backslash, found with memchr.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(p) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
    {
        i += p;
        if bytes[i] == b'"' {
            return i;
        }
        i += 2;
    }
    bytes.len()
}

/// An object read as `T`, or `None` where the JSON has another shape: plan JSON from other
/// tools is often partial, and what can be read is still worth reading. (Only the shape is
/// forgiven: a part of the wrong shape is skipped, not the file.)
struct Obj<T>(Option<T>);

/// A list whose elements are each read as an [`Obj`]; empty where the JSON is no list.
struct List<T>(Vec<Obj<T>>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

/// Consumes whatever a [`Obj`] or [`List`] does not expect, so the parse goes on after it.
macro_rules! skip_other_shapes {
    ($out:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($out)
        }
    };
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Obj<T>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj(None))
            }
            skip_other_shapes!(Obj(None));
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List<T>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(List(Vec::new()))
            }
            skip_other_shapes!(List(Vec::new()));
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// The plan's top level: the sections planlens reads, everything else skipped unparsed.
#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(default)]
    resource_changes: Option<List<ResourceChange>>,
    #[serde(borrow, default)]
    planned_values: Option<Obj<Section<'a>>>,
    #[serde(borrow, default)]
    prior_state: Option<Obj<State<'a>>>,
    #[serde(borrow, default)]
    values: Option<Obj<Section<'a>>>,
    #[serde(default)]
    configuration: Option<Json>,
    #[serde(default)]
    timestamp: Option<Json>,
    /// Terraform 1.x saves a plan that failed (`terraform plan -out` after an error) with
    /// `"errored": true`: the resources it failed on are missing.
    #[serde(default)]
    errored: Option<Json>,
}

/// `planned_values`, a state's `values`: the modules.
#[derive(Deserialize)]
struct Section<'a> {
    #[serde(borrow, default)]
    root_module: Obj<ModuleValues<'a>>,
}

/// `prior_state`: a state inside the plan.
#[derive(Deserialize)]
struct State<'a> {
    #[serde(borrow, default)]
    values: Obj<Section<'a>>,
}

#[derive(Deserialize)]
struct ModuleValues<'a> {
    #[serde(borrow, default)]
    resources: List<Entry<'a>>,
    #[serde(borrow, default)]
    child_modules: List<ModuleValues<'a>>,
}

/// What identifies a resource, as any JSON: a field of the wrong type leaves the resource
/// out rather than failing the whole file.
#[derive(Default)]
struct Head {
    address: Option<Json>,
    rtype: Option<Json>,
    name: Option<Json>,
    mode: Option<Json>,
    index: Option<Json>,
    module_address: Option<Json>,
}

/// A resource of `planned_values` / `prior_state` / `values`; its values stay raw until
/// we know `resource_changes` did not already give them. (The identifying fields are
/// spelled out rather than `#[serde(flatten)]`ed: flatten buffers every field first.)
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(default)]
    address: Option<Json>,
    #[serde(default, rename = "type")]
    rtype: Option<Json>,
    #[serde(default)]
    name: Option<Json>,
    #[serde(default)]
    mode: Option<Json>,
    #[serde(default)]
    index: Option<Json>,
    #[serde(borrow, default)]
    values: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ResourceChange {
    #[serde(default)]
    address: Option<Json>,
    #[serde(default, rename = "type")]
    rtype: Option<Json>,
    #[serde(default)]
    name: Option<Json>,
    #[serde(default)]
    mode: Option<Json>,
    #[serde(default)]
    index: Option<Json>,
    #[serde(default)]
    module_address: Option<Json>,
    #[serde(default)]
    change: Obj<Change>,
}

#[derive(Default)]
struct Change {
    actions: Option<Json>,
    before: Option<Value>,
    after: Option<Value>,
    after_unknown: Option<Json>,
}

/// Read by hand for one saving: a no-op's `before` is its `after` again, and Terraform writes
/// `actions` first, so the `before` of a no-op is skipped unparsed (a large plan is mostly
/// no-ops, and their values are most of its bytes).
impl<'de> Deserialize<'de> for Change {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(field_identifier, rename_all = "snake_case")]
        enum Field {
            Actions,
            Before,
            After,
            AfterUnknown,
            #[serde(other)]
            Other,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Change;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a change")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Change, A::Error> {
                let mut c = Change::default();
                while let Some(field) = map.next_key()? {
                    match field {
                        Field::Actions => c.actions = map.next_value()?,
                        Field::Before if action(c.actions.as_ref()) == Some(Action::NoOp) => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        Field::Before => c.before = map.next_value()?,
                        Field::After => c.after = map.next_value()?,
                        Field::AfterUnknown => c.after_unknown = map.next_value()?,
                        Field::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_map(V)
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

/// Marks what `after_unknown` says is known only after apply, in place: only the parts
/// `after_unknown` marks are touched (a known attribute is neither moved nor copied).
/// Whether it marked anything.
fn mark_unknowns(value: &mut Value, unknown: &Json, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let mut marked = false;
    match unknown {
        Json::Bool(true) => {
            *value = Value::unknown(AFTER_APPLY);
            return true;
        }
        Json::Object(u) => {
            if *value == Value::Null {
                *value = Value::map();
            }
            let Value::Map(m) = value else { return false };
            // Both sides are sorted by key: one walk down the two, no search per key. Keys
            // only `after_unknown` has (a plan leaves unknown attributes out of `after`) are
            // added together at the end.
            let mut marks = u
                .iter()
                .filter(|(_, uv)| **uv != Json::Bool(false))
                .peekable();
            let mut missing = Vec::new();
            for (k, cur) in m.iter_mut() {
                while let Some((uk, uv)) = marks.next_if(|(uk, _)| uk.as_str() <= k.as_str()) {
                    if uk == k {
                        marked |= mark_unknowns(cur, uv, depth + 1);
                    } else {
                        missing.push((uk, uv));
                    }
                }
            }
            missing.extend(marks);
            if !missing.is_empty() {
                let mut all = std::mem::take(m).into_tuple_vec();
                all.extend(missing.into_iter().map(|(k, uv)| {
                    let mut cur = Value::Null;
                    marked |= mark_unknowns(&mut cur, uv, depth + 1);
                    (k.as_str().into(), cur)
                }));
                *m = map_of(all);
            }
        }
        Json::Array(u) => {
            let Value::List(l) = value else { return false };
            for (i, uv) in u.iter().enumerate() {
                if uv == &Json::Bool(false) {
                    continue;
                }
                if l.len() <= i {
                    l.resize(i + 1, Value::Null);
                }
                marked |= mark_unknowns(&mut l[i], uv, depth + 1);
            }
        }
        _ => {}
    }
    marked
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
/// a plan can name a line as well as a JSON pointer. Addresses with escapes (`for_each`
/// keys: `module.m[\"a\"].x.y`) are unescaped so they match the model's addresses.
fn address_offsets(text: &str) -> HashMap<Cow<'_, str>, u32> {
    let mut out = HashMap::new();
    let needle = "\"address\"";
    let bytes = text.as_bytes();
    let finder = memchr::memmem::Finder::new(needle);
    let mut from = 0;
    while let Some(pos) = finder.find(&bytes[from..]) {
        let at = from + pos;
        from = at + needle.len();
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start();
        if !rest.starts_with('"') {
            continue;
        }
        // The value's closing quote is the first one not escaped by a backslash.
        let start = text.len() - rest.len();
        let i = string_end(bytes, start + 1);
        if i >= bytes.len() {
            break;
        }
        let escaped = bytes[start + 1..i].contains(&b'\\');
        let Some(quoted) = text.get(start..=i) else {
            continue;
        };
        let value = if escaped {
            match serde_json::from_str::<String>(quoted) {
                Ok(v) => Cow::Owned(v),
                Err(_) => continue,
            }
        } else {
            Cow::Borrowed(&quoted[1..quoted.len() - 1])
        };
        out.entry(value).or_insert(at as u32);
        from = (i + 1).max(from);
    }
    out
}

/// Reads the `configuration` section: resources' expressions and provider keys per module
/// path, module calls, and provider configurations.
struct Config<'a> {
    /// module path (config form, `module.a.module.b`) → module object
    modules: HashMap<String, &'a Map<String, Json>>,
    /// module path → resource address as written there (and its `type.name` tail) → its
    /// entry: one hash look-up per resource instead of a scan of the module's resources
    /// (which made a flat module of n resources cost n² comparisons).
    resources: HashMap<String, HashMap<&'a str, ConfigResource<'a>>>,
    providers: Option<&'a Map<String, Json>>,
}

struct ConfigResource<'a> {
    provider_key: &'a str,
    /// (attribute path, references) of every expression leaf, flattened once and shared
    /// by all instances of the resource (a `for_each` module repeats it thousands of times).
    leaves: Vec<(String, Vec<&'a str>)>,
}

impl<'a> Config<'a> {
    fn new(configuration: Option<&'a Json>) -> Config<'a> {
        let mut modules = HashMap::new();
        let mut resources: HashMap<String, HashMap<&'a str, ConfigResource<'a>>> = HashMap::new();
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
                let index = resources.entry(path.clone()).or_default();
                for r in m
                    .get("resources")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                {
                    let Some(address) = r.get("address").and_then(Json::as_str) else {
                        continue;
                    };
                    // Older Terraform writes child-module resources with their module path.
                    let tail = address
                        .starts_with("module.")
                        .then(|| module_of(address).len())
                        .filter(|&n| n > 0 && n < address.len())
                        .and_then(|n| address.get(n + 1..));
                    for key in std::iter::once(address).chain(tail) {
                        if index.contains_key(key) {
                            continue;
                        }
                        let mut leaves = Vec::new();
                        if let Some(e) = r.get("expressions") {
                            collect_exprs(e, String::new(), 0, &mut leaves);
                        }
                        let provider_key = r
                            .get("provider_config_key")
                            .and_then(Json::as_str)
                            .unwrap_or("");
                        index.insert(
                            key,
                            ConfigResource {
                                provider_key,
                                leaves,
                            },
                        );
                    }
                }
                modules.insert(path, m);
            }
        }
        Config {
            modules,
            resources,
            providers,
        }
    }

    fn resource(&self, module: &str, local: &str) -> Option<&ConfigResource<'a>> {
        self.resources.get(module)?.get(local)
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
    fn meta_for(&self, rc: &ConfigResource<'a>, cfg_module: &str, instance_module: &str) -> Meta {
        let mut out = Meta::new();
        for (path, refs) in &rc.leaves {
            let mut resolved = Vec::new();
            for r in refs {
                self.resolve_ref(r, cfg_module, instance_module, 0, &mut resolved);
            }
            resolved.dedup();
            if !resolved.is_empty() {
                out.insert(
                    path.clone(),
                    AttrMeta {
                        span: None,
                        refs: resolved,
                        conditional: None,
                    },
                );
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

/// Provider defaults AWS no longer follows, per resource type: a value equal to one with no
/// configuration expression behind it is the provider's stale default, not the user's
/// setting, on a resource the plan creates.
/// - `aws_redshift_cluster.encrypted`: provider 5.x defaults it to `false`, but Amazon
///   Redshift encrypts every new provisioned cluster since 10 January 2025 and rejects
///   `Encrypted=false` at creation ("Amazon Redshift … encrypts new provisioned clusters by
///   default", Amazon Redshift Management Guide, Database encryption,
///   <https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html>);
///   provider 6 changed the default to `true`.
const STALE_DEFAULTS: &[(&str, &str)] = &[("aws_redshift_cluster", "encrypted")];

/// Reads what the configuration does not set as not set, exactly as the HCL adapter does,
/// in this one place: a real plan shows an Optional+Computed attribute the configuration
/// leaves out (`ssl_policy`, a key's `policy`, a `node_to_node_encryption` block) as "known
/// after apply", which would otherwise read as an unknown value the rules stay silent on.
/// Only paths with no expression are touched, and never `tags_all` / `id`. A block the
/// configuration does not describe but whose planned value is there is a `dynamic` block
/// (the plan's `configuration` omits those): its values are kept, unknowns and all. A block
/// wholly unknown with no expression is either not written or a `dynamic` block over a
/// `for_each` not known yet, which may write none: either way not being there is one
/// outcome, the weaker one, and it is read that way (as `.tf` input reads a conditional
/// block). A plan without a `configuration` section is read the same way.
fn unset_unconfigured(
    values: &mut Value,
    has_unknown: bool,
    leaves: &[(String, Vec<&str>)],
    rtype: &str,
    creates: bool,
) {
    // Only unknowns and stale defaults of created resources are removed: values with
    // neither (every no-op, most of a large plan) have nothing to walk.
    let stale: Vec<&'static str> = STALE_DEFAULTS
        .iter()
        .filter(|(t, _)| creates && *t == rtype)
        .map(|(_, attr)| *attr)
        .collect();
    if stale.is_empty() && !has_unknown {
        return;
    }
    let expressions: HashSet<&str> = leaves.iter().map(|(p, _)| p.as_str()).collect();
    let mut configured: HashSet<&str> = HashSet::new();
    for (path, _) in leaves {
        let mut end = path.len();
        loop {
            configured.insert(&path[..end]);
            match path[..end].rfind('.') {
                Some(i) => end = i,
                None => break,
            }
        }
    }
    let paths = Paths {
        configured: &configured,
        expressions: &expressions,
        stale,
    };
    unset_in(values, &mut String::new(), &mut String::new(), &paths, 0);
}

/// The attribute paths a resource's configuration gives: every prefix of an expression's
/// path, and the expressions' own paths (whose values are the expression's, all of them);
/// and the attributes whose provider default is stale, when the resource is created.
struct Paths<'a> {
    configured: &'a HashSet<&'a str>,
    expressions: &'a HashSet<&'a str>,
    stale: Vec<&'static str>,
}

/// Removes the unknowns (and stale defaults) under `value` that no expression gives.
/// `path` is the value's attribute path with list indices, `block_path` without: both are
/// buffers, extended for each key and cut back after it.
fn unset_in(
    value: &mut Value,
    path: &mut String,
    block_path: &mut String,
    paths: &Paths,
    depth: usize,
) {
    let Value::Map(map) = value else {
        return;
    };
    if depth > 8 {
        return;
    }
    // Which entries go, by position: removed in one pass at the end.
    let len = map.len();
    let mut gone: Vec<bool> = Vec::new();
    for (i, (key, v)) in map.iter_mut().enumerate() {
        // A known scalar is removed only as a stale default.
        let scalar = !matches!(v, Value::Map(_) | Value::List(_) | Value::Unknown(_));
        if scalar && paths.stale.is_empty() {
            continue;
        }
        let (path_len, block_len) = (path.len(), block_path.len());
        push_step(path, key);
        push_step(block_path, key);
        if paths.expressions.contains(path.as_str()) {
            // the expression's value, all of it
        } else if paths.configured.contains(path.as_str()) {
            match v {
                Value::List(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        let item_len = path.len();
                        let _ = write!(path, ".{i}");
                        if paths.configured.contains(path.as_str())
                            && !paths.expressions.contains(path.as_str())
                        {
                            unset_in(item, path, block_path, paths, depth + 1);
                        }
                        path.truncate(item_len);
                    }
                }
                Value::Map(_) => unset_in(v, path, block_path, paths, depth + 1),
                _ => {}
            }
        } else if key != "tags_all" && key != "id" {
            let stale = !v.is_unknown() && paths.stale.contains(&block_path.as_str());
            if v.is_unknown() || stale {
                gone.resize(len, false);
                gone[i] = true;
            }
        }
        path.truncate(path_len);
        block_path.truncate(block_len);
    }
    if !gone.is_empty() {
        let mut i = 0;
        map.retain(|_, _| {
            i += 1;
            !gone[i - 1]
        });
    }
}

fn push_step(path: &mut String, step: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(step);
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
        Json::Object(o) => Value::Map(map_of(
            o.iter()
                .map(|(k, v)| (k.as_str().into(), expr_value(v, depth + 1)))
                .collect(),
        )),
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
    fn address_offsets_unescape_for_each_keys() {
        let text = r#"{"a":[{"address":"module.m[\"k\"].aws_s3_bucket.b","x":1},{"address" : "aws_kms_key.k"},{"address":"aws_kms_key.k"}]}"#;
        let offsets = address_offsets(text);
        assert_eq!(
            offsets.get("module.m[\"k\"].aws_s3_bucket.b").copied(),
            Some(7)
        );
        // first occurrence wins
        let second = text.find(r#""address" : "#).unwrap() as u32;
        assert_eq!(offsets.get("aws_kms_key.k").copied(), Some(second));
        assert_eq!(offsets.len(), 2);
    }

    #[test]
    fn configuration_resources_are_found_by_local_and_module_address() {
        let cfg = serde_json::json!({"root_module": {
            "resources": [{"address": "aws_kms_key.k", "provider_config_key": "aws.west",
                           "expressions": {"tags": {"constant_value": {}}}}],
            "module_calls": {"m": {"module": {"resources": [
                {"address": "module.m.aws_s3_bucket.b", "provider_config_key": "m:aws",
                 "expressions": {"bucket": {"references": ["var.name"]}}},
                {"address": "module.m.data.aws_iam_policy_document.d"}
            ]}}}
        }});
        let config = Config::new(Some(&cfg));
        assert_eq!(
            config.resource("", "aws_kms_key.k").unwrap().provider_key,
            "aws.west"
        );
        let b = config.resource("module.m", "aws_s3_bucket.b").unwrap();
        assert_eq!(b.provider_key, "m:aws");
        assert_eq!(b.leaves, vec![("bucket".to_string(), vec!["var.name"])]);
        assert!(config
            .resource("module.m", "module.m.aws_s3_bucket.b")
            .is_some());
        assert!(config
            .resource("module.m", "data.aws_iam_policy_document.d")
            .is_some());
        // a managed resource is not matched by a data source's tail
        assert!(config
            .resource("module.m", "aws_iam_policy_document.d")
            .is_none());
        assert!(config.resource("", "aws_s3_bucket.b").is_none());
    }

    #[test]
    fn sections_of_the_wrong_shape_are_skipped_not_fatal() {
        let text = r#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[
            {"address":"aws_s3_bucket.a","type":"aws_s3_bucket","name":"a","values":{"bucket":"x"}},
            {"address":7,"type":"aws_s3_bucket","name":"b"},
            "not an object",
            {"address":"aws_s3_bucket.c","type":"aws_s3_bucket","name":"c","values":null}],
            "child_modules":"nope"}},
          "resource_changes":{"not":"a list"},"configuration":[1,2],"timestamp":5}"#;
        let mut model = Model::default();
        model.files.push(crate::engine::model::InputFile::new(
            "plan.json".into(),
            Some(crate::engine::model::FileKind::Plan),
            String::new(),
            text.into(),
        ));
        load(&mut model, 0);
        assert!(model.errors.is_empty(), "{:?}", model.errors);
        let addrs: Vec<&str> = model.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addrs, ["aws_s3_bucket.a", "aws_s3_bucket.c"]);
        assert_eq!(model.resources[0].get_str("bucket"), Some("x"));
        assert_eq!(model.timestamp, None);
    }

    #[test]
    fn depth_is_checked_on_the_whole_document() {
        let ok = format!(
            "{}{}",
            "[".repeat(MAX_JSON_DEPTH),
            "]".repeat(MAX_JSON_DEPTH)
        );
        assert_eq!(too_deep(&ok), None);
        // the parser itself accepts what the check lets through
        assert!(serde_json::from_str::<Value>(&ok).is_ok());
        let deep = format!("{{\"a\":\"[[[\\\"\",\"b\":{ok}}}");
        assert_eq!(too_deep(&deep), Some(deep.rfind('[').unwrap()));
    }

    #[test]
    fn after_unknown_marks_values() {
        let after = Value::from_json(serde_json::json!({"a": 1, "b": null, "rule": [{"k": null}]}));
        let unknown = serde_json::json!({"b": true, "rule": [{"k": true}], "c": true});
        let mut v = after;
        assert!(mark_unknowns(&mut v, &unknown, 0), "it says it marked");
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

    #[test]
    fn after_unknown_says_whether_it_marked() {
        let after = || Value::from_json(serde_json::json!({"a": 1, "rule": [{"k": 2}]}));
        // Structure and `false` only: nothing unknown, so the unset pass skips the resource.
        let nothing = serde_json::json!({"a": false, "rule": [{"k": false}], "tags": {}});
        let mut v = after();
        assert!(!mark_unknowns(&mut v, &nothing, 0));
        assert_eq!(
            v.lookup("tags"),
            crate::engine::model::Lookup::Known(&Value::map())
        );
        // An unknown under a key `after` leaves out, and one in a list.
        for marks in [
            serde_json::json!({"x": {"y": true}}),
            serde_json::json!({"rule": [false, true]}),
        ] {
            let mut v = after();
            assert!(mark_unknowns(&mut v, &marks, 0), "{marks}");
        }
    }
}
