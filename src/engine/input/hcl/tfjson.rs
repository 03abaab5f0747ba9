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
    text: &'a str,
    file: &'a InputFile,
    id: FileId,
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
    let Json::Object(root) = doc else {
        return Err(error_at_line(
            file,
            1,
            1,
            "Terraform JSON must be an object with keys such as \"resource\" and \"variable\"",
        ));
    };
    let mut cx = Cx {
        text: &file.text,
        file,
        id,
        errors: Vec::new(),
    };
    let mut body = Body::default();
    for (kind, v) in &root {
        let kpos = locate(cx.text, 0, kind);
        match kind.as_str() {
            "resource" | "data" => {
                for (rtype, tv) in objects(v) {
                    let tpos = locate(cx.text, kpos, rtype);
                    for (name, rv) in objects(tv) {
                        let npos = locate(cx.text, tpos, name);
                        for obj in as_objects(rv) {
                            body.blocks.push(cx.block(
                                kind,
                                vec![rtype.clone(), name.clone()],
                                obj,
                                npos,
                                Mode::Resource,
                            ));
                        }
                    }
                }
            }
            "module" | "output" | "variable" | "provider" => {
                for (name, bv) in objects(v) {
                    let npos = locate(cx.text, kpos, name);
                    let mode = match kind.as_str() {
                        "variable" => Mode::Variable,
                        "provider" => Mode::Resource,
                        _ => Mode::Arguments,
                    };
                    for obj in as_objects(bv) {
                        body.blocks
                            .push(cx.block(kind, vec![name.clone()], obj, npos, mode));
                    }
                }
            }
            "locals" => {
                for obj in as_objects(v) {
                    body.blocks
                        .push(cx.block("locals", Vec::new(), obj, kpos, Mode::Arguments));
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
    fn block(
        &mut self,
        kind: &str,
        labels: Vec<String>,
        obj: &Map<String, Json>,
        at: usize,
        mode: Mode,
    ) -> Block {
        let mut body = Body::default();
        let mut comments = Vec::new();
        for (k, v) in obj {
            let pos = locate(self.text, at, k);
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
                        for (label, dv) in objects(v) {
                            for d in as_objects(dv) {
                                body.blocks.push(self.dynamic(label, d, pos));
                            }
                        }
                        continue;
                    }
                    "lifecycle" => {
                        for o in as_objects(v) {
                            body.blocks.push(self.block(
                                "lifecycle",
                                Vec::new(),
                                o,
                                pos,
                                Mode::Arguments,
                            ));
                        }
                        continue;
                    }
                    _ => {}
                }
                if let Some(objs) = block_like(k, v) {
                    for o in objs {
                        body.blocks
                            .push(self.block(k, Vec::new(), o, pos, Mode::Resource));
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
            span: self.span(at, labels_or_kind(kind)),
            comments,
        }
    }

    /// `"dynamic": {"x": {"for_each": …, "iterator": …, "content": {…}}}`
    fn dynamic(&mut self, label: &str, d: &Map<String, Json>, at: usize) -> Block {
        let mut body = Body::default();
        for (k, v) in d {
            let pos = locate(self.text, at, k);
            if k == "content" {
                for o in as_objects(v) {
                    body.blocks
                        .push(self.block("content", Vec::new(), o, pos, Mode::Resource));
                }
            } else if k == "iterator" {
                body.attrs.push(Attr {
                    name: k.clone(),
                    expr: literal(v),
                    span: self.span(pos, k),
                    comments: Vec::new(),
                });
            } else if k != "//" {
                body.attrs.push(Attr {
                    name: k.clone(),
                    expr: self.expr(v, pos),
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
        }
    }

    /// A JSON value in expression position: strings are templates.
    /// Depth is bounded by serde_json's recursion limit (128), which every input passed.
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

    fn span(&self, at: usize, key: &str) -> std::ops::Range<u32> {
        let end = (at + key.len() + 2).min(self.text.len());
        at as u32..end as u32
    }
}

fn labels_or_kind(kind: &str) -> &str {
    kind
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

/// The objects a nested-block member stands for, or `None` when it is an argument.
fn block_like<'a>(key: &str, v: &'a Json) -> Option<Vec<&'a Map<String, Json>>> {
    if MAP_ARGS.contains(&key) || ["count", "for_each", "provider", "depends_on"].contains(&key) {
        return None;
    }
    let objs: Vec<&Map<String, Json>> = match v {
        Json::Object(o) => vec![o],
        Json::Array(a) if !a.is_empty() && a.iter().all(Json::is_object) => {
            a.iter().filter_map(Json::as_object).collect()
        }
        _ => return None,
    };
    let names_ok = objs.iter().all(|o| {
        o.keys().all(|k| {
            k == "//"
                || (!k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        })
    });
    names_ok.then_some(objs)
}

/// `{"a": …}` or `[{"a": …}, {"b": …}]` as (key, value) pairs.
fn objects(v: &Json) -> Vec<(&String, &Json)> {
    as_objects(v).into_iter().flat_map(|o| o.iter()).collect()
}

fn as_objects(v: &Json) -> Vec<&Map<String, Json>> {
    match v {
        Json::Object(o) => vec![o],
        Json::Array(a) => a.iter().filter_map(Json::as_object).collect(),
        _ => Vec::new(),
    }
}

/// The byte offset of `"key"` at or after `from` (the start of the text if not found), so
/// spans land on the right line without a position-tracking JSON parser.
fn locate(text: &str, from: usize, key: &str) -> usize {
    let needle = serde_json::to_string(key).unwrap_or_default();
    text.get(from..)
        .and_then(|t| t.find(&needle))
        .map(|p| p + from)
        .unwrap_or(from)
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
