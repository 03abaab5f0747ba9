//! Terraform JSON syntax (`.tf.json`) into the same [`Body`] HCL gives, following
//! <https://developer.hashicorp.com/terraform/language/syntax/json>: strings are templates
//! (`${…}` is evaluated like HCL), objects under a resource are nested blocks and arrays of
//! objects repeated blocks, `"//"` keys are comments (and may carry suppression directives),
//! variable defaults are literal.
//!
//! JSON has no schema to tell a nested block from an attribute holding a map; an object is
//! a map when its key is a known map-typed argument (`tags`, `variables`, …) or when its own
//! keys are not snake_case names (`Name`, `data-class`), else a block.

use hcl::edit::expr::{Array, Expression, Object, ObjectKey, ObjectValue};
use hcl::edit::template::StringTemplate;
use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use super::ast::{Attr, Block, Body, Comment};
use crate::engine::input::error_at_line;
use crate::engine::model::{FileId, InputError, InputFile};

/// Arguments that hold maps, not blocks, in the AWS provider (and commonly elsewhere).
const MAP_ARGS: &[&str] = &[
    "tags",
    "tags_all",
    "labels",
    "variables",
    "parameters",
    "metadata",
    "triggers",
    "request_parameters",
    "request_templates",
    "response_parameters",
    "response_templates",
    "response_models",
    "stage_variables",
    "context",
    "environment_variables",
    "options",
    "encryption_context",
    "default_tags_map",
];

struct Cx<'a> {
    file: &'a InputFile,
    id: FileId,
    /// Byte offset of every object key, by the path of keys leading to it.
    keys: HashMap<u64, usize>,
    errors: Vec<InputError>,
}

/// Parses a `.tf.json` file into top-level blocks.
pub(super) fn parse(file: &InputFile, id: FileId) -> Result<(Body, Vec<InputError>), InputError> {
    let doc: Json = serde_json::from_str(&file.text).map_err(|e| {
        error_at_line(
            file,
            e.line() as u32,
            e.column() as u32,
            format!("invalid JSON: {}", strip_position(&e.to_string())),
        )
    })?;
    if !doc.is_object() {
        return Err(error_at_line(
            file,
            1,
            1,
            "Terraform JSON must be an object with keys such as \"resource\" and \"variable\"",
        ));
    }
    let mut cx = Cx {
        file,
        id,
        keys: key_index(&file.text),
        errors: Vec::new(),
    };
    let mut body = Body::default();
    for (kpath, kind, v) in objects(&doc, ROOT) {
        let kpos = cx.offset(kpath, 0);
        match kind.as_str() {
            "resource" | "data" => {
                for (tpath, rtype, tv) in objects(v, kpath) {
                    let tpos = cx.offset(tpath, kpos);
                    for (npath, name, rv) in objects(tv, tpath) {
                        let npos = cx.offset(npath, tpos);
                        for (opath, obj) in as_objects(rv, npath) {
                            let labels = vec![rtype.clone(), name.clone()];
                            let b = cx.block(kind, labels, obj, (opath, npos), Mode::Resource);
                            body.blocks.push(b);
                        }
                    }
                }
            }
            "module" | "output" | "variable" | "provider" => {
                let mode = match kind.as_str() {
                    "variable" => Mode::Variable,
                    "provider" => Mode::Resource,
                    _ => Mode::Arguments,
                };
                for (npath, name, bv) in objects(v, kpath) {
                    let npos = cx.offset(npath, kpos);
                    for (opath, obj) in as_objects(bv, npath) {
                        let b = cx.block(kind, vec![name.clone()], obj, (opath, npos), mode);
                        body.blocks.push(b);
                    }
                }
            }
            "locals" => {
                for (opath, obj) in as_objects(v, kpath) {
                    let b = cx.block("locals", Vec::new(), obj, (opath, kpos), Mode::Arguments);
                    body.blocks.push(b);
                }
            }
            _ => {}
        }
    }
    Ok((body, cx.errors))
}

/// How a block's members are read.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Resource, data and provider bodies: objects may be nested blocks.
    Resource,
    /// Module calls, outputs, locals: every member is an argument.
    Arguments,
    /// `variable`: `default` is literal.
    Variable,
}

impl Cx<'_> {
    /// A block from the JSON object at key path `path`, whose key sits at byte `at`.
    fn block(
        &mut self,
        kind: &str,
        labels: Vec<String>,
        obj: &Map<String, Json>,
        (path, at): (u64, usize),
        mode: Mode,
    ) -> Block {
        let mut body = Body::default();
        let mut comments = Vec::new();
        for (k, v) in obj {
            let kpath = child(path, k);
            let pos = self.offset(kpath, at);
            if k == "//" {
                if let Json::String(s) = v {
                    comments.push(Comment {
                        line: self.file.line_col(pos as u32).0,
                        text: format!("# {s}"),
                    });
                }
                continue;
            }
            if mode == Mode::Resource {
                match k.as_str() {
                    "provisioner" | "connection" => continue,
                    "dynamic" => {
                        for (lpath, label, dv) in objects(v, kpath) {
                            let lpos = self.offset(lpath, pos);
                            for (dpath, d) in as_objects(dv, lpath) {
                                body.blocks.push(self.dynamic(label, d, (dpath, lpos)));
                            }
                        }
                        continue;
                    }
                    "lifecycle" => {
                        for (opath, o) in as_objects(v, kpath) {
                            let b = self.block(k, Vec::new(), o, (opath, pos), Mode::Arguments);
                            body.blocks.push(b);
                        }
                        continue;
                    }
                    _ => {}
                }
                if block_like(k, v) {
                    for (opath, o) in as_objects(v, kpath) {
                        let b = self.block(k, Vec::new(), o, (opath, pos), Mode::Resource);
                        body.blocks.push(b);
                    }
                    continue;
                }
            }
            let expr = if mode == Mode::Variable && k == "default" {
                literal(v)
            } else if mode == Mode::Variable && k == "type" {
                // `"type": "string"` is a type expression written as a string.
                match v.as_str().and_then(|s| s.parse::<Expression>().ok()) {
                    Some(e) => e,
                    None => literal(v),
                }
            } else if k == "provider" || k == "depends_on" {
                literal(v)
            } else {
                self.expr(v, pos)
            };
            body.attrs.push(Attr {
                name: k.clone(),
                expr,
                span: self.span(pos, k),
                comments: Vec::new(),
            });
        }
        Block {
            kind: kind.to_string(),
            labels,
            body,
            file: self.id,
            span: self.span(at, ""),
            comments,
            inner: Vec::new(),
        }
    }

    /// `"dynamic": {"x": {"for_each": …, "iterator": …, "content": {…}}}`
    fn dynamic(&mut self, label: &str, d: &Map<String, Json>, (path, at): (u64, usize)) -> Block {
        let mut body = Body::default();
        for (k, v) in d {
            let kpath = child(path, k);
            let pos = self.offset(kpath, at);
            if k == "content" {
                for (opath, o) in as_objects(v, kpath) {
                    let b = self.block("content", Vec::new(), o, (opath, pos), Mode::Resource);
                    body.blocks.push(b);
                }
            } else if k != "//" {
                let expr = if k == "iterator" {
                    literal(v)
                } else {
                    self.expr(v, pos)
                };
                body.attrs.push(Attr {
                    name: k.clone(),
                    expr,
                    span: self.span(pos, k),
                    comments: Vec::new(),
                });
            }
        }
        Block {
            kind: "dynamic".into(),
            labels: vec![label.to_string()],
            body,
            file: self.id,
            span: self.span(at, label),
            comments: Vec::new(),
            inner: Vec::new(),
        }
    }

    /// A JSON value in expression position: strings are templates. Depth is bounded by
    /// serde_json's recursion limit (128), which every input passed.
    fn expr(&mut self, v: &Json, at: usize) -> Expression {
        match v {
            Json::String(s) => match hcl::edit::parser::parse_template(s) {
                Ok(t) => Expression::StringTemplate(StringTemplate::from(t)),
                Err(e) => {
                    let (line, col) = self.file.line_col(at as u32);
                    self.errors.push(error_at_line(
                        self.file,
                        line,
                        col,
                        format!("invalid template in string: {}", e.message()),
                    ));
                    Expression::from(s.as_str())
                }
            },
            Json::Array(a) => {
                let mut arr = Array::new();
                for x in a {
                    arr.push(self.expr(x, at));
                }
                Expression::Array(arr)
            }
            Json::Object(o) => {
                let mut obj = Object::new();
                for (k, x) in o {
                    if k == "//" {
                        continue;
                    }
                    let key = ObjectKey::Expression(self.expr(&Json::String(k.clone()), at));
                    obj.insert(key, ObjectValue::new(self.expr(x, at)));
                }
                Expression::Object(obj)
            }
            other => literal(other),
        }
    }

    fn offset(&self, path: u64, fallback: usize) -> usize {
        self.keys.get(&path).copied().unwrap_or(fallback)
    }

    /// From a key's opening quote to its closing quote.
    fn span(&self, at: usize, key: &str) -> std::ops::Range<u32> {
        let end = (at + key.len() + 2).min(self.file.text.len());
        at as u32..end as u32
    }
}

/// A JSON value taken literally (variable defaults, `.tfvars.json`): strings are not
/// templates.
pub(super) fn literal(v: &Json) -> Expression {
    match v {
        Json::Null => Expression::null(),
        Json::Bool(b) => Expression::from(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Expression::from(i),
            (None, Some(f)) => Expression::from(f),
            _ => Expression::null(),
        },
        Json::String(s) => Expression::from(s.as_str()),
        Json::Array(a) => {
            let mut arr = Array::new();
            for x in a {
                arr.push(literal(x));
            }
            Expression::Array(arr)
        }
        Json::Object(o) => {
            let mut obj = Object::new();
            for (k, x) in o {
                obj.insert(
                    ObjectKey::Expression(Expression::from(k.as_str())),
                    ObjectValue::new(literal(x)),
                );
            }
            Expression::Object(obj)
        }
    }
}

/// Whether a member of a resource body is a nested block (or repeated blocks) rather than
/// an argument.
fn block_like(key: &str, v: &Json) -> bool {
    if MAP_ARGS.contains(&key) || ["count", "for_each", "provider", "depends_on"].contains(&key) {
        return false;
    }
    let objs: Vec<&Map<String, Json>> = match v {
        Json::Object(o) => vec![o],
        Json::Array(a) if !a.is_empty() && a.iter().all(Json::is_object) => {
            a.iter().filter_map(Json::as_object).collect()
        }
        _ => return false,
    };
    objs.iter().all(|o| {
        o.keys().all(|k| {
            k == "//"
                || (!k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        })
    })
}

/// `{"a": …}` or `[{"a": …}, {"b": …}]` as (key path, key, value).
fn objects(v: &Json, path: u64) -> Vec<(u64, &String, &Json)> {
    as_objects(v, path)
        .into_iter()
        .flat_map(|(p, o)| o.iter().map(move |(k, x)| (child(p, k), k, x)))
        .collect()
}

/// An object, or the objects of an array, with their paths.
fn as_objects(v: &Json, path: u64) -> Vec<(u64, &Map<String, Json>)> {
    match v {
        Json::Object(o) => vec![(path, o)],
        Json::Array(a) => a
            .iter()
            .enumerate()
            .filter_map(|(i, x)| x.as_object().map(|o| (elem(path, i), o)))
            .collect(),
        _ => Vec::new(),
    }
}

const ROOT: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The path of member `key` of the object at `parent`.
fn child(parent: u64, key: &str) -> u64 {
    fnv(fnv(parent, &[1]), key.as_bytes())
}

/// The path of element `i` of the array at `parent`.
fn elem(parent: u64, i: usize) -> u64 {
    fnv(fnv(parent, &[2]), &i.to_le_bytes())
}

/// The byte offset of every object key in (already validated) JSON text, by key path: one
/// linear pass, where searching the text per key would be quadratic.
fn key_index(text: &str) -> HashMap<u64, usize> {
    enum C {
        Obj {
            path: u64,
            key: Option<u64>,
            expect_key: bool,
        },
        Arr {
            path: u64,
            idx: usize,
        },
    }
    fn value_path(stack: &[C]) -> u64 {
        match stack.last() {
            Some(C::Obj { key: Some(k), .. }) => *k,
            Some(C::Obj { path, .. }) => *path,
            Some(C::Arr { path, idx }) => elem(*path, *idx),
            None => ROOT,
        }
    }
    let b = text.as_bytes();
    let mut out = HashMap::new();
    let mut stack: Vec<C> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                let path = value_path(&stack);
                stack.push(C::Obj {
                    path,
                    key: None,
                    expect_key: true,
                });
            }
            b'[' => {
                let path = value_path(&stack);
                stack.push(C::Arr { path, idx: 0 });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(C::Obj { expect_key, .. }) => *expect_key = true,
                Some(C::Arr { idx, .. }) => *idx += 1,
                None => {}
            },
            b'"' => {
                let start = i;
                let mut escaped = false;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                if let Some(C::Obj {
                    path,
                    key,
                    expect_key,
                }) = stack.last_mut()
                {
                    if *expect_key {
                        let raw = text.get(start..(i + 1).min(b.len())).unwrap_or("");
                        let name: String = if escaped {
                            serde_json::from_str(raw).unwrap_or_default()
                        } else {
                            raw.trim_matches('"').to_string()
                        };
                        let kp = child(*path, &name);
                        out.entry(kp).or_insert(start);
                        *key = Some(kp);
                        *expect_key = false;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> InputFile {
        InputFile::new("main.tf.json".into(), None, String::new(), text.into())
    }

    #[test]
    fn resources_blocks_and_maps() {
        let f = file(
            r#"{
  "resource": {
    "aws_s3_bucket_server_side_encryption_configuration": {
      "b": {
        "//": "planlens:ignore:S3001 reason",
        "bucket": "${aws_s3_bucket.b.id}",
        "rule": {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}},
        "tags": {"Name": "x"}
      }
    }
  }
}"#,
        );
        let (body, errors) = parse(&f, 0).unwrap();
        assert!(errors.is_empty());
        let b = &body.blocks[0];
        assert_eq!(
            b.labels,
            vec!["aws_s3_bucket_server_side_encryption_configuration", "b"]
        );
        assert_eq!(f.line_col(b.span.start).0, 4);
        assert_eq!(b.comments[0].line, 5);
        assert!(b.body.attr("tags").is_some(), "tags is a map argument");
        assert_eq!(b.body.blocks[0].kind, "rule");
        assert_eq!(
            b.body.blocks[0].body.blocks[0].kind,
            "apply_server_side_encryption_by_default"
        );
        let bucket = b.body.attr("bucket").unwrap();
        assert_eq!(f.line_col(bucket.span.start).0, 6);
    }

    #[test]
    fn syntax_error_is_positioned() {
        let f = file("{\n  \"resource\": {,\n}");
        let e = parse(&f, 0).unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
