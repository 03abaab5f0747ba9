//! Terraform's built-in functions that can be evaluated from configuration alone. Functions
//! that read files, the clock or randomness, and the few not implemented, give an unknown
//! that says so; nothing here fails.
//!
//! References: "scalar" functions (format, jsonencode, …) carry every reference of their
//! arguments; functions that pick from collections (lookup, element, merge, …) keep each
//! element's own references, so picking one key of a map references only that key's source.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use sha2::Digest as _;

use super::eval::{deep, unknown_like, Budget, BUDGET_EXCEEDED};
use super::value::{equals, fmt_num, to_bool, to_number, to_string, Kind, Refs, Val};

/// Largest list `range` builds.
pub(super) const MAX_RANGE: usize = 100_000;

type R = Result<Val, Val>;

pub(super) fn call(name: &str, args: Vec<Val>, budget: &mut Budget) -> Val {
    let all: Vec<&Val> = args.iter().collect();
    if !budget.walk(&all) {
        return Val::unknown(BUDGET_EXCEEDED);
    }
    let mut top: Refs = Vec::new();
    for a in &args {
        super::value::add_refs(&mut top, &a.refs);
    }
    let structural = match name {
        "merge" => Some(merge(&args, budget)),
        "concat" => Some(concat(&args, budget)),
        "tomap" | "tolist" => Some(one_arg(&args).and_then(|a| convert(name, a))),
        "toset" => Some(one_arg(&args).and_then(|a| toset(a, budget))),
        "length" => Some(one_arg(&args).and_then(length)),
        "keys" => Some(one_arg(&args).and_then(keys)),
        "values" => Some(one_arg(&args).and_then(values)),
        "lookup" => Some(lookup(&args)),
        "element" => Some(element(&args)),
        "slice" => Some(slice(&args)),
        "reverse" => Some(one_arg(&args).and_then(|a| list_of(a).map(reversed))),
        "one" => Some(one_arg(&args).and_then(one)),
        "flatten" => Some(one_arg(&args).and_then(|a| flatten(a, budget))),
        "coalesce" => Some(coalesce(&args)),
        "coalescelist" => Some(coalescelist(&args)),
        "zipmap" => Some(zipmap(&args)),
        "try" => Some(try_(&args)),
        // Sensitivity only changes how Terraform displays a value.
        "sensitive" | "nonsensitive" => Some(one_arg(&args).cloned()),
        "can" => Some(Ok(can(&args))),
        _ => None,
    };
    if let Some(r) = structural {
        return match r {
            Ok(v) => v.with_refs(&top),
            Err(u) => unknown_like(&u).with_refs(&deep(&all)),
        };
    }
    let refs = deep(&all);
    let out = match name {
        "file" | "templatefile" | "filebase64" | "fileexists" | "fileset" | "filemd5"
        | "filesha1" | "filesha256" | "filesha512" | "filebase64sha256" | "filebase64sha512" => {
            Err(Val::unknown(format!("{name}() reads a file")))
        }
        "timestamp" | "plantimestamp" | "uuid" | "uuidv5" | "bcrypt" | "timeadd" => Err(
            Val::unknown(format!("{name}() is known only when Terraform runs")),
        ),
        _ if STRICT.contains(&name) => match args.iter().find_map(Val::first_unknown) {
            Some(u) => Err(u),
            None => strict(name, &args, budget),
        },
        _ => Err(Val::unknown(format!("function {name} is not evaluated"))),
    };
    match out {
        Ok(v) => v.with_refs(&refs),
        Err(u) => unknown_like(&u).with_refs(&refs),
    }
}

/// Functions that need every argument fully known.
const STRICT: &[&str] = &[
    "jsonencode",
    "jsondecode",
    "format",
    "formatlist",
    "lower",
    "upper",
    "title",
    "tostring",
    "tonumber",
    "tobool",
    "join",
    "split",
    "replace",
    "trimspace",
    "trim",
    "trimprefix",
    "trimsuffix",
    "chomp",
    "strrev",
    "min",
    "max",
    "abs",
    "ceil",
    "floor",
    "signum",
    "pow",
    "substr",
    "startswith",
    "endswith",
    "strcontains",
    "alltrue",
    "anytrue",
    "range",
    "sort",
    "sum",
    "base64encode",
    "base64decode",
    "contains",
    "distinct",
    "compact",
    "index",
    "sha256",
    "sha512",
    "base64sha256",
    "base64sha512",
];

fn strict(name: &str, a: &[Val], budget: &mut Budget) -> R {
    match name {
        "jsonencode" => {
            let mut out = String::new();
            json_encode(one_arg(a)?, &mut out, budget)?;
            Ok(Val::str(out))
        }
        "jsondecode" => {
            let s = string_arg(a, 0)?;
            budget.string(s.len())?;
            serde_json::from_str::<serde_json::Value>(&s)
                .map(|j| Val::from_json(&j, 0))
                .map_err(|e| Val::error(format!("jsondecode: {e}")))
        }
        "format" => {
            let f = string_arg(a, 0)?;
            format(&f, &a[1..], budget).map(Val::str)
        }
        "formatlist" => formatlist(a, budget),
        "lower" => map_str(a, |s| s.to_lowercase()),
        "upper" => map_str(a, |s| s.to_uppercase()),
        "title" => map_str(a, title),
        "trimspace" => map_str(a, |s| s.trim().to_string()),
        "chomp" => map_str(a, |s| s.trim_end_matches(['\n', '\r']).to_string()),
        "strrev" => map_str(a, |s| s.chars().rev().collect()),
        "tostring" => match &one_arg(a)?.kind {
            Kind::Null => Ok(Val::null()),
            _ => to_string(&a[0]).map(Val::str),
        },
        "tonumber" => match &one_arg(a)?.kind {
            Kind::Null => Ok(Val::null()),
            _ => to_number(&a[0]).map(Val::num),
        },
        "tobool" => match &one_arg(a)?.kind {
            Kind::Null => Ok(Val::null()),
            _ => to_bool(&a[0]).map(Val::bool),
        },
        "join" => {
            let sep = string_arg(a, 0)?;
            let mut parts = Vec::new();
            for l in &a[1..] {
                for v in list_of(l)? {
                    parts.push(to_string(&v)?);
                }
            }
            let len = parts
                .iter()
                .fold(0usize, |n, p| n.saturating_add(p.len() + sep.len()));
            budget.string(len)?;
            Ok(Val::str(
                parts.iter().map(|p| &**p).collect::<Vec<_>>().join(&sep),
            ))
        }
        "split" => {
            let sep = string_arg(a, 0)?;
            let s = string_arg(a, 1)?;
            if !budget.take(s.len() as u64 / 64 + 1) {
                return Err(Val::unknown(BUDGET_EXCEEDED));
            }
            if sep.is_empty() {
                return Ok(Val::list(
                    s.chars().map(|c| Val::str(c.to_string())).collect(),
                ));
            }
            Ok(Val::list(s.split(&*sep).map(Val::str).collect()))
        }
        "replace" => {
            let s = string_arg(a, 0)?;
            let from = string_arg(a, 1)?;
            let to = string_arg(a, 2)?;
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return Err(Val::unknown(
                    "replace with a regular expression is not evaluated",
                ));
            }
            if from.is_empty() {
                return Ok(Val::str(s));
            }
            let count = s.matches(&*from).count();
            budget.string(s.len().saturating_add(count.saturating_mul(to.len())))?;
            Ok(Val::str(s.replace(&*from, &to)))
        }
        "trim" => {
            let s = string_arg(a, 0)?;
            let chars = string_arg(a, 1)?;
            Ok(Val::str(s.trim_matches(|c| chars.contains(c))))
        }
        "trimprefix" => {
            let s = string_arg(a, 0)?;
            let p = string_arg(a, 1)?;
            Ok(Val::str(s.strip_prefix(&*p).unwrap_or(&s)))
        }
        "trimsuffix" => {
            let s = string_arg(a, 0)?;
            let p = string_arg(a, 1)?;
            Ok(Val::str(s.strip_suffix(&*p).unwrap_or(&s)))
        }
        "startswith" => Ok(Val::bool(
            string_arg(a, 0)?.starts_with(&*string_arg(a, 1)?),
        )),
        "endswith" => Ok(Val::bool(string_arg(a, 0)?.ends_with(&*string_arg(a, 1)?))),
        "strcontains" => Ok(Val::bool(string_arg(a, 0)?.contains(&*string_arg(a, 1)?))),
        "min" | "max" => {
            let mut nums = Vec::new();
            for v in a {
                nums.push(to_number(v)?);
            }
            let pick = if name == "min" { f64::min } else { f64::max };
            nums.into_iter()
                .reduce(pick)
                .map(Val::num)
                .ok_or_else(|| Val::error(format!("{name} needs at least one number")))
        }
        "abs" => Ok(Val::num(num_arg(a, 0)?.abs())),
        "ceil" => Ok(Val::num(num_arg(a, 0)?.ceil())),
        "floor" => Ok(Val::num(num_arg(a, 0)?.floor())),
        "signum" => Ok(Val::num(num_arg(a, 0)?.signum())),
        "pow" => Ok(Val::num(num_arg(a, 0)?.powf(num_arg(a, 1)?))),
        "substr" => {
            let s = string_arg(a, 0)?;
            let offset = num_arg(a, 1)? as i64;
            let length = num_arg(a, 2)? as i64;
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len() as i64;
            let start = if offset < 0 {
                (n + offset).max(0)
            } else {
                offset.min(n)
            };
            let end = if length < 0 {
                n
            } else {
                start.saturating_add(length).min(n)
            };
            Ok(Val::str(
                chars[start as usize..end.max(start) as usize]
                    .iter()
                    .collect::<String>(),
            ))
        }
        "range" => range(a, budget),
        "alltrue" | "anytrue" => {
            let mut bools = Vec::new();
            for v in list_of(one_arg(a)?)? {
                bools.push(to_bool(&v)?);
            }
            Ok(Val::bool(if name == "alltrue" {
                bools.iter().all(|b| *b)
            } else {
                bools.iter().any(|b| *b)
            }))
        }
        "sort" => {
            let mut items = Vec::new();
            for v in list_of(one_arg(a)?)? {
                items.push(to_string(&v)?);
            }
            crate::engine::sort::ord(&mut items);
            Ok(Val::list(items.into_iter().map(Val::str).collect()))
        }
        "sum" => {
            let mut total = 0.0;
            for v in list_of(one_arg(a)?)? {
                total += to_number(&v)?;
            }
            Ok(Val::num(total))
        }
        "base64encode" => {
            let s = string_arg(a, 0)?;
            budget.string(s.len() * 4 / 3 + 4)?;
            Ok(Val::str(
                base64::engine::general_purpose::STANDARD.encode(s.as_bytes()),
            ))
        }
        "base64decode" => {
            let s = string_arg(a, 0)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map_err(|e| Val::error(format!("base64decode: {e}")))?;
            String::from_utf8(bytes)
                .map(Val::str)
                .map_err(|_| Val::error("base64decode: the result is not UTF-8"))
        }
        "sha256" => Ok(Val::str(hex(&sha2::Sha256::digest(
            string_arg(a, 0)?.as_bytes(),
        )))),
        "sha512" => Ok(Val::str(hex(&sha2::Sha512::digest(
            string_arg(a, 0)?.as_bytes(),
        )))),
        "base64sha256" => Ok(Val::str(
            base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(string_arg(a, 0)?.as_bytes())),
        )),
        "base64sha512" => Ok(Val::str(
            base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha512::digest(string_arg(a, 0)?.as_bytes())),
        )),
        "contains" => {
            let l = list_of(&arg(a, 0)?)?;
            let x = arg(a, 1)?;
            Ok(Val::bool(l.iter().any(|v| equals(v, &x) == Some(true))))
        }
        "index" => {
            let l = list_of(&arg(a, 0)?)?;
            let x = arg(a, 1)?;
            l.iter()
                .position(|v| equals(v, &x) == Some(true))
                .map(|i| Val::num(i as f64))
                .ok_or_else(|| Val::error("index: the value is not in the list"))
        }
        "distinct" => {
            let l = list_of(one_arg(a)?)?;
            if !budget.take((l.len() as u64).saturating_mul(a[0].nodes()) / 16 + 1) {
                return Err(Val::unknown(BUDGET_EXCEEDED));
            }
            let mut out: Vec<Val> = Vec::new();
            for v in l {
                if !out.iter().any(|o| equals(o, &v) == Some(true)) {
                    out.push(v);
                }
            }
            Ok(Val::list(out))
        }
        "compact" => {
            let mut out = Vec::new();
            for v in list_of(one_arg(a)?)? {
                match &v.kind {
                    Kind::Null => {}
                    Kind::Str(s) if s.is_empty() => {}
                    _ => out.push(Val::str(to_string(&v)?)),
                }
            }
            Ok(Val::list(out))
        }
        _ => Err(Val::unknown(format!("function {name} is not evaluated"))),
    }
}

fn arg(a: &[Val], i: usize) -> R {
    a.get(i)
        .cloned()
        .ok_or_else(|| Val::error(format!("missing argument {}", i + 1)))
}

fn one_arg(a: &[Val]) -> Result<&Val, Val> {
    a.first().ok_or_else(|| Val::error("missing argument"))
}

fn string_arg(a: &[Val], i: usize) -> Result<std::rc::Rc<str>, Val> {
    to_string(&arg(a, i)?)
}

fn num_arg(a: &[Val], i: usize) -> Result<f64, Val> {
    to_number(&arg(a, i)?)
}

fn map_str(a: &[Val], f: impl Fn(&str) -> String) -> R {
    Ok(Val::str(f(&string_arg(a, 0)?)))
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The elements of a list (a null is an error, an unknown passes through as `Err`).
fn list_of(v: &Val) -> Result<Vec<Val>, Val> {
    match &v.kind {
        Kind::List(l) => Ok(l.iter().cloned().collect()),
        Kind::Unknown(_) | Kind::Error(_) => Err(v.clone()),
        _ => Err(Val::error(format!(
            "expected a list, got a {}",
            v.type_name()
        ))),
    }
}

fn map_of(v: &Val) -> Result<BTreeMap<String, Val>, Val> {
    match &v.kind {
        Kind::Map(m) => Ok((**m).clone()),
        Kind::Open(_, reason) => Err(Val::unknown(reason.clone())),
        Kind::Unknown(_) | Kind::Error(_) => Err(v.clone()),
        _ => Err(Val::error(format!(
            "expected a map, got a {}",
            v.type_name()
        ))),
    }
}

fn reversed(mut l: Vec<Val>) -> Val {
    l.reverse();
    Val::list(l)
}

fn merge(args: &[Val], budget: &mut Budget) -> R {
    let mut out = BTreeMap::new();
    for a in args {
        if a.is_null() {
            continue;
        }
        let m = map_of(a)?;
        if !budget.take(m.len() as u64) {
            return Err(Val::unknown(BUDGET_EXCEEDED));
        }
        for (k, v) in m {
            out.insert(k, v.with_refs(&a.refs));
        }
    }
    Ok(Val::map(out))
}

fn concat(args: &[Val], budget: &mut Budget) -> R {
    let mut out = Vec::new();
    for a in args {
        let l = list_of(a)?;
        if !budget.take(l.len() as u64) {
            return Err(Val::unknown(BUDGET_EXCEEDED));
        }
        out.extend(l.into_iter().map(|v| v.with_refs(&a.refs)));
    }
    Ok(Val::list(out))
}

fn convert(name: &str, a: &Val) -> R {
    match (name, &a.kind) {
        (_, Kind::Null) => Ok(Val::null()),
        ("tomap", Kind::Map(_)) | ("tolist", Kind::List(_)) => Ok(a.clone()),
        ("tomap", Kind::Open(_, r)) => Err(Val::unknown(r.clone())),
        (_, Kind::Unknown(_) | Kind::Error(_)) => Err(a.clone()),
        _ => Err(Val::error(format!(
            "{name}: cannot convert a {}",
            a.type_name()
        ))),
    }
}

/// Sets as sorted lists without duplicates; strings sort lexically as Terraform's do.
fn toset(a: &Val, budget: &mut Budget) -> R {
    if a.is_null() {
        return Ok(Val::null());
    }
    let l = list_of(a)?;
    if let Some(u) = l.iter().find_map(Val::first_unknown) {
        return Err(u);
    }
    if !budget.take((l.len() as u64).saturating_mul(a.nodes()) / 16 + 1) {
        return Err(Val::unknown(BUDGET_EXCEEDED));
    }
    let mut out: Vec<Val> = Vec::new();
    for v in l {
        if !out.iter().any(|o| equals(o, &v) == Some(true)) {
            out.push(v);
        }
    }
    if out.iter().all(|v| v.as_str().is_some()) {
        crate::engine::sort::by(&mut out, |x, y| x.as_str().cmp(&y.as_str()));
    }
    Ok(Val::list(out))
}

fn length(a: &Val) -> R {
    match &a.kind {
        Kind::List(l) => Ok(Val::num(l.len() as f64)),
        Kind::Map(m) => Ok(Val::num(m.len() as f64)),
        Kind::Str(s) => Ok(Val::num(s.chars().count() as f64)),
        Kind::Open(_, r) => Err(Val::unknown(r.clone())),
        Kind::Unknown(_) | Kind::Error(_) => Err(a.clone()),
        _ => Err(Val::error(format!("length of a {}", a.type_name()))),
    }
}

fn keys(a: &Val) -> R {
    let m = map_of(a)?;
    Ok(Val::list(m.into_keys().map(Val::str).collect()))
}

fn values(a: &Val) -> R {
    let m = map_of(a)?;
    Ok(Val::list(m.into_values().collect()))
}

fn lookup(a: &[Val]) -> R {
    let key = arg(a, 1)?;
    let k = to_string(&key)?;
    let container = arg(a, 0)?;
    match &container.kind {
        Kind::Open(m, reason) => {
            return Ok(m
                .get(&*k)
                .cloned()
                .unwrap_or_else(|| Val::unknown(reason.clone())))
        }
        Kind::Unknown(_) | Kind::Error(_) => return Err(container),
        _ => {}
    }
    let m = map_of(&container)?;
    match m.get(&*k) {
        Some(v) => Ok(v.clone()),
        None => match a.get(2) {
            Some(d) => Ok(d.clone()),
            None => Err(Val::error(format!("lookup: key \"{k}\" does not exist"))),
        },
    }
}

fn element(a: &[Val]) -> R {
    let l = list_of(&arg(a, 0)?)?;
    let i = to_number(&arg(a, 1)?)?;
    if l.is_empty() {
        return Err(Val::error("element: the list is empty"));
    }
    if i < 0.0 {
        return Err(Val::error("element: negative index"));
    }
    Ok(l[(i as usize) % l.len()].clone())
}

fn slice(a: &[Val]) -> R {
    let l = list_of(&arg(a, 0)?)?;
    let start = to_number(&arg(a, 1)?)?;
    let end = to_number(&arg(a, 2)?)?;
    if start < 0.0 || end < start || end as usize > l.len() {
        return Err(Val::error("slice: indexes out of range"));
    }
    Ok(Val::list(l[start as usize..end as usize].to_vec()))
}

fn one(a: &Val) -> R {
    if a.is_null() {
        return Ok(Val::null());
    }
    let l = list_of(a)?;
    match l.len() {
        0 => Ok(Val::null()),
        1 => Ok(l[0].clone()),
        n => Err(Val::error(format!("one: the list has {n} elements"))),
    }
}

fn flatten(a: &Val, budget: &mut Budget) -> R {
    let mut out = Vec::new();
    // (list, position) pairs: iterative, so depth is only bounded by the value's own.
    let mut stack = vec![(list_of(a)?, 0usize)];
    while let Some((l, i)) = stack.pop() {
        if i >= l.len() {
            continue;
        }
        if !budget.take(1) {
            return Err(Val::unknown(BUDGET_EXCEEDED));
        }
        let v = l[i].clone();
        stack.push((l, i + 1));
        match &v.kind {
            Kind::List(inner) => stack.push((inner.iter().cloned().collect(), 0)),
            Kind::Unknown(_) | Kind::Error(_) => return Err(v),
            _ => out.push(v),
        }
    }
    Ok(Val::list(out))
}

fn coalesce(a: &[Val]) -> R {
    for v in a {
        match &v.kind {
            Kind::Null => {}
            Kind::Str(s) if s.is_empty() => {}
            // An unknown might turn out null or empty: the result depends on it.
            Kind::Unknown(_) | Kind::Error(_) => return Err(v.clone()),
            _ => return Ok(v.clone()),
        }
    }
    Err(Val::error("coalesce: no non-null, non-empty argument"))
}

fn coalescelist(a: &[Val]) -> R {
    for v in a {
        let l = list_of(v)?;
        if !l.is_empty() {
            return Ok(v.clone());
        }
    }
    Ok(Val::list(Vec::new()))
}

fn zipmap(a: &[Val]) -> R {
    let ks = list_of(&arg(a, 0)?)?;
    let vs = list_of(&arg(a, 1)?)?;
    if ks.len() != vs.len() {
        return Err(Val::error("zipmap: the lists have different lengths"));
    }
    let mut out = BTreeMap::new();
    for (k, v) in ks.iter().zip(vs) {
        out.insert(to_string(k)?.to_string(), v.with_refs(&k.refs));
    }
    Ok(Val::map(out))
}

/// The first argument that evaluates without an error. An argument that is merely unknown
/// is returned as it is: it may still succeed.
fn try_(a: &[Val]) -> R {
    for v in a {
        if !v.contains_error() {
            return Ok(v.clone());
        }
    }
    Err(Val::error("try: no argument evaluated without an error"))
}

fn can(a: &[Val]) -> Val {
    match a.first().and_then(Val::first_unknown) {
        Some(Val {
            kind: Kind::Error(_),
            ..
        }) => Val::bool(false),
        Some(u) => unknown_like(&u),
        None => Val::bool(true),
    }
}

fn range(a: &[Val], budget: &mut Budget) -> R {
    let nums: Vec<f64> = a.iter().map(to_number).collect::<Result<_, _>>()?;
    let (start, end, step) = match nums.as_slice() {
        [e] => (0.0, *e, 1.0),
        [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
        [s, e, st] => (*s, *e, *st),
        _ => return Err(Val::error("range takes one to three numbers")),
    };
    if step == 0.0 || (end - start) / step < 0.0 {
        return if step == 0.0 {
            Err(Val::error("range: step must not be zero"))
        } else {
            Ok(Val::list(Vec::new()))
        };
    }
    let count = ((end - start) / step).ceil();
    if !count.is_finite() || count > MAX_RANGE as f64 {
        return Err(Val::unknown(format!(
            "range of {} elements exceeds the {MAX_RANGE}-element limit",
            fmt_num(count)
        )));
    }
    if !budget.take(count as u64) {
        return Err(Val::unknown(BUDGET_EXCEEDED));
    }
    Ok(Val::list(
        (0..count as usize)
            .map(|i| Val::num(start + step * i as f64))
            .collect(),
    ))
}

/// Terraform's `format`: Go-style verbs `%s %v %d %f %e %g %t %q %x %X %%` with flags,
/// width and precision.
fn format(f: &str, args: &[Val], budget: &mut Budget) -> Result<String, Val> {
    let mut out = String::new();
    let mut it = f.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if it.peek() == Some(&'%') {
            it.next();
            out.push('%');
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = it.peek() {
            if "-+# 0".contains(f) {
                flags.push(f);
                it.next();
            } else {
                break;
            }
        }
        let mut width = String::new();
        while let Some(&d) = it.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            it.next();
        }
        let mut precision: Option<usize> = None;
        if it.peek() == Some(&'.') {
            it.next();
            let mut p = String::new();
            while let Some(&d) = it.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                it.next();
            }
            let p: usize = p.parse().unwrap_or(usize::MAX);
            if p > 64 {
                return Err(Val::error("format: precision above 64 is not supported"));
            }
            precision = Some(p);
        }
        let verb = it
            .next()
            .ok_or_else(|| Val::error("format: the string ends inside a verb"))?;
        let v = args
            .get(next)
            .ok_or_else(|| Val::error("format: not enough arguments"))?;
        next += 1;
        let body = match verb {
            's' => to_string(v)?.to_string(),
            'v' => match &v.kind {
                Kind::List(_) | Kind::Map(_) => {
                    let mut s = String::new();
                    json_encode(v, &mut s, budget)?;
                    s
                }
                _ => to_string(v)?.to_string(),
            },
            'd' => {
                let n = to_number(v)?;
                if n.fract() != 0.0 {
                    return Err(Val::error("format: %d needs a whole number"));
                }
                let s = fmt_num(n);
                if flags.contains('+') && n >= 0.0 {
                    format!("+{s}")
                } else {
                    s
                }
            }
            'f' | 'e' | 'g' => {
                let n = to_number(v)?;
                match (verb, precision) {
                    ('f', p) => format!("{n:.*}", p.unwrap_or(6)),
                    ('e', p) => format!("{n:.*e}", p.unwrap_or(6)),
                    (_, _) => fmt_num(n),
                }
            }
            't' => to_bool(v)?.to_string(),
            'q' => {
                let mut s = String::new();
                json_str(&to_string(v)?, &mut s);
                s
            }
            'x' | 'X' => {
                let n = to_number(v)?;
                let s = match &v.kind {
                    Kind::Str(s) => s.bytes().map(|b| format!("{b:02x}")).collect(),
                    _ => format!("{:x}", n as i64),
                };
                if verb == 'X' {
                    s.to_uppercase()
                } else {
                    s
                }
            }
            other => return Err(Val::error(format!("format: unsupported verb %{other}"))),
        };
        let body = match (verb, precision) {
            ('s' | 'v' | 'q', Some(p)) => body.chars().take(p).collect(),
            _ => body,
        };
        // An absurd width fails the string-size check below rather than allocating.
        let w: usize = if width.is_empty() {
            0
        } else {
            width.parse().unwrap_or(usize::MAX)
        };
        let pad = w.saturating_sub(body.chars().count());
        budget.string(out.len().saturating_add(body.len()).saturating_add(pad))?;
        if flags.contains('-') {
            out.push_str(&body);
            out.extend(std::iter::repeat_n(' ', pad));
        } else if flags.contains('0') && "dfeg".contains(verb) {
            let (sign, digits) = match body.strip_prefix(['-', '+']) {
                Some(d) => (&body[..1], d),
                None => ("", body.as_str()),
            };
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', pad));
            out.push_str(digits);
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&body);
        }
    }
    Ok(out)
}

fn formatlist(a: &[Val], budget: &mut Budget) -> R {
    let f = string_arg(a, 0)?;
    let rest = &a[1..];
    let mut n: Option<usize> = None;
    for v in rest {
        if let Kind::List(l) = &v.kind {
            match n {
                Some(m) if m != l.len() => {
                    return Err(Val::error("formatlist: the lists have different lengths"))
                }
                _ => n = Some(l.len()),
            }
        }
    }
    let n = n.unwrap_or(1);
    let mut out = Vec::new();
    for i in 0..n {
        let row: Vec<Val> = rest
            .iter()
            .map(|v| match &v.kind {
                Kind::List(l) => l[i].clone(),
                _ => v.clone(),
            })
            .collect();
        out.push(Val::str(format(&f, &row, budget)?));
    }
    Ok(Val::list(out))
}

/// `jsonencode`: compact, keys sorted, and `<`, `>`, `&` escaped as Go's encoder (and so
/// Terraform) does.
pub(super) fn json_encode(v: &Val, out: &mut String, budget: &mut Budget) -> Result<(), Val> {
    if !budget.take(1) {
        return Err(Val::unknown(BUDGET_EXCEEDED));
    }
    match &v.kind {
        Kind::Null => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Num(n) => {
            if !n.is_finite() {
                return Err(Val::error("jsonencode: the number is not finite"));
            }
            out.push_str(&fmt_num(*n));
        }
        Kind::Str(s) => {
            budget.string(out.len() + s.len())?;
            json_str(s, out);
        }
        Kind::List(l) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_encode(x, out, budget)?;
            }
            out.push(']');
        }
        Kind::Map(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_str(k, out);
                out.push(':');
                json_encode(x, out, budget)?;
            }
            out.push('}');
        }
        Kind::Open(_, r) => return Err(Val::unknown(r.clone())),
        Kind::Unknown(_) | Kind::Error(_) => return Err(v.clone()),
    }
    Ok(())
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
