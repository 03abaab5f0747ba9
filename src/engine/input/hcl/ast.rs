//! The configuration as the evaluator reads it: a tree of blocks and attributes that is the
//! same whether it came from HCL (`.tf`) or Terraform JSON syntax (`.tf.json`). Expressions
//! stay hcl-edit expressions; JSON strings are parsed into templates so one evaluator serves
//! both syntaxes.

use std::ops::Range;

use hcl::edit::expr::Expression;

use crate::engine::model::FileId;

/// A comment next to a block or attribute, kept for suppression directives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Comment {
    /// 1-based line of the comment.
    pub line: u32,
    pub text: String,
}

#[derive(Debug, Default)]
pub(super) struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

#[derive(Debug)]
pub(super) struct Attr {
    pub name: String,
    pub expr: Expression,
    pub span: Range<u32>,
    /// Comments on the lines directly above and on the attribute's own line.
    pub comments: Vec<Comment>,
}

#[derive(Debug)]
pub(super) struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub file: FileId,
    pub span: Range<u32>,
    /// Comments on the lines directly above and on the block's first line.
    pub comments: Vec<Comment>,
    /// Comment lines inside a top-level HCL block after its first line, for a tool that
    /// reads a comment anywhere in a resource as applying to all of it (checkov).
    pub inner: Vec<Comment>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn blocks<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }
}

impl Block {
    pub fn label(&self, i: usize) -> &str {
        self.labels.get(i).map(String::as_str).unwrap_or("")
    }
}
