//! The one model every input format fills and every rule reads.
//!
//! A resource knows its address (module path and instance key), its attribute values
//! (known / unknown / absent), where each attribute came from and which other resources
//! it references, its provider, and what the plan does to it.

mod value;

use std::collections::BTreeMap;

use foldhash::HashMap;

use serde::{Deserialize, Serialize};

pub use value::{map_of, Key, Lookup, Map, Unknown, Value};

/// Index of a file in [`Model::files`].
pub type FileId = usize;

/// A byte range in one input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

/// Where a resource or attribute came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// HCL or `.tf.json` source text.
    Span(Span),
    /// A JSON pointer into a plan or state file, e.g. `/resource_changes/3/change/after`.
    Pointer { file: FileId, pointer: String },
    /// Made up by the engine (an implicit default provider).
    Implied,
}

/// Per attribute path, what is known about where a value came from: sorted by path, as
/// a flat vector (a resource has a few such paths; a B-tree node was most of their size).
pub type Meta = litemap::LiteMap<String, AttrMeta>;

/// What the input says about one attribute path beyond its value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttrMeta {
    pub span: Option<Span>,
    /// Addresses of the resources (or `module.x.output`, `var.y`, … where they could not be
    /// followed) that the attribute's expression references.
    pub refs: Vec<String>,
    /// On a block written by a `dynamic` block whose `for_each` is not known: the block may
    /// be there or not, and this says what decides it. A reader judges both outcomes.
    pub conditional: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Managed,
    Data,
}

/// What a plan does to a resource. HCL and state inputs have no action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Create,
    Update,
    Delete,
    /// delete-then-create or create-then-delete
    Replace,
    NoOp,
    Read,
}

impl Action {
    /// Whether a finding on a resource with this action was introduced by the plan.
    pub fn introduces(self) -> bool {
        matches!(self, Action::Create | Action::Update | Action::Replace)
    }
}

/// `count` index or `for_each` key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceKey {
    Int(i64),
    Str(String),
}

impl std::fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstanceKey::Int(i) => write!(f, "[{i}]"),
            InstanceKey::Str(s) => write!(f, "[{}]", serde_json::Value::String(s.clone())),
        }
    }
}

/// Which scanner's comment syntax a suppression directive used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    Planlens,
    Tfsec,
    Trivy,
    Checkov,
}

/// A suppression comment found on or above a resource or one of its attributes:
/// `# planlens:ignore:ENC001 reason`, `#tfsec:ignore:aws-s3-encryption-customer-key`,
/// `#trivy:ignore:AVD-AWS-0132`, `#checkov:skip=CKV_AWS_145:reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub tool: Tool,
    /// The rule id as the tool spells it (ENC001, aws-s3-encryption-customer-key, CKV_AWS_145).
    pub id: String,
    pub reason: Option<String>,
    /// The attribute path the comment sits on or above; `None` for the whole resource.
    pub attribute: Option<String>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// Full address as Terraform prints it: `module.a["x"].aws_s3_bucket.b[0]`.
    pub address: String,
    /// Module path, `""` at the root: `module.a["x"]`.
    pub module: String,
    pub mode: Mode,
    pub rtype: String,
    pub name: String,
    pub index: Option<InstanceKey>,
    /// Key of the provider configuration it uses, in [`Model::providers`].
    pub provider: String,
    /// The values it will have (plan `after`, state values, evaluated HCL); for a resource
    /// the plan deletes, the values it had.
    pub values: Value,
    /// The values before the plan, where a plan has them; not repeated for a no-op whose
    /// before equals its values.
    pub before: Option<Value>,
    pub action: Option<Action>,
    /// Per attribute path (`rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id`).
    pub meta: Meta,
    pub origin: Origin,
    pub directives: Vec<Directive>,
}

impl Resource {
    pub fn get(&self, path: &str) -> Lookup<'_> {
        self.values.lookup(path)
    }

    pub fn get_str(&self, path: &str) -> Option<&str> {
        match self.get(path) {
            Lookup::Known(v) => v.as_str(),
            _ => None,
        }
    }

    pub fn get_bool(&self, path: &str) -> Option<bool> {
        match self.get(path) {
            Lookup::Known(v) => v.as_bool(),
            _ => None,
        }
    }

    pub fn get_f64(&self, path: &str) -> Option<f64> {
        match self.get(path) {
            Lookup::Known(v) => v.as_f64(),
            _ => None,
        }
    }

    /// The nested blocks of one type (`ordered_cache_behavior`), each as its path prefix
    /// and value: `("ordered_cache_behavior.1", {...})`.
    pub fn blocks<'a>(&'a self, path: &'a str) -> impl Iterator<Item = (String, &'a Value)> + 'a {
        let list = match self.get(path) {
            Lookup::Known(Value::List(l)) => l.as_slice(),
            _ => &[],
        };
        list.iter()
            .enumerate()
            .map(move |(i, v)| (format!("{path}.{i}"), v))
    }

    /// Addresses referenced by the expression at `path`.
    pub fn refs(&self, path: &str) -> &[String] {
        self.meta
            .get(path)
            .map(|m| m.refs.as_slice())
            .unwrap_or(&[])
    }

    /// The most precise known source of `path`: the attribute itself, else the nearest
    /// enclosing block, else the resource.
    pub fn span_of(&self, path: &str) -> Option<Span> {
        let mut p = path;
        loop {
            if let Some(span) = self.meta.get(p).and_then(|m| m.span) {
                return Some(span);
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
        // The resource's own position: its block (HCL) or its entry in a plan's text.
        match self.origin {
            Origin::Span(s) => Some(s),
            _ => self.meta.get("").and_then(|m| m.span),
        }
    }

    /// The resource's tags, including the provider's `default_tags` where the input
    /// gives `tags_all`.
    pub fn tags(&self) -> BTreeMap<&str, &str> {
        let mut out = BTreeMap::new();
        for key in ["tags_all", "tags"] {
            if let Lookup::Known(Value::Map(m)) = self.get(key) {
                for (k, v) in m {
                    if let Some(s) = v.as_str() {
                        out.insert(k.as_str(), s);
                    }
                }
            }
        }
        out
    }

    /// The address without the instance key: `module.a.aws_s3_bucket.b`.
    pub fn config_address(&self) -> String {
        let local = match self.mode {
            Mode::Managed => format!("{}.{}", self.rtype, self.name),
            Mode::Data => format!("data.{}.{}", self.rtype, self.name),
        };
        if self.module.is_empty() {
            local
        } else {
            format!("{}.{}", self.module, local)
        }
    }
}

/// An AWS (or other) provider configuration: one account/region in practice.
#[derive(Clone, Debug, PartialEq)]
pub struct Provider {
    /// `aws`, `aws.west`; in a child module that declares its own, `module.m:aws`.
    pub key: String,
    /// `aws`, `tls`, …
    pub name: String,
    pub alias: Option<String>,
    /// All values of the provider block (region, assume_role, default_tags, …).
    pub values: Value,
    pub origin: Origin,
}

impl Provider {
    pub fn region(&self) -> Option<&str> {
        match self.values.lookup("region") {
            Lookup::Known(v) => v.as_str(),
            _ => None,
        }
    }

    /// `default_tags { tags = {...} }`, which Terraform merges into every resource's `tags_all`.
    pub fn default_tags(&self) -> BTreeMap<&str, &str> {
        let mut out = BTreeMap::new();
        if let Lookup::Known(Value::Map(m)) = self.values.lookup("default_tags.0.tags") {
            for (k, v) in m {
                if let Some(s) = v.as_str() {
                    out.insert(k.as_str(), s);
                }
            }
        }
        out
    }
}

/// The format an input file was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Plan,
    State,
    Hcl,
    Tfjson,
    /// `.tfvars` / `.tfvars.json`: values for variables, no resources.
    Tfvars,
    /// `planlens.toml`
    Config,
    /// `.terraform/modules/modules.json`: where `terraform init` installed each module call.
    Modules,
}

/// A module call whose resources were not read, so they are not reviewed: named in every
/// output so that a clean result never hides configuration planlens did not see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadModule {
    /// `module.bucket`, `module.app["eu"].module.logs`.
    pub module: String,
    pub source: String,
    pub version: Option<String>,
    pub reason: String,
    pub how_to_include: String,
}

/// A plan Terraform saved although planning failed (`"errored": true`): the resources it
/// failed on are missing from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncompletePlan {
    pub file: String,
    pub reason: String,
}

/// An input error, positioned for display: `main.tf:12:5: expected '='`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    /// The offending source line, when there is one.
    pub excerpt: Option<String>,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// One input file as the model knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct InputFile {
    pub path: String,
    pub kind: Option<FileKind>,
    pub sha256: String,
    /// The decoded text (UTF-8), kept for source excerpts.
    pub text: String,
    /// Byte offset of the start of each line.
    pub line_starts: Vec<u32>,
    /// Characters before each [`CHAR_MARK`]-byte block: a column is then found by counting
    /// at most one block, not the whole line (a plan is one line of up to hundreds of MB,
    /// and every resource asks for its position).
    char_marks: Vec<u32>,
}

/// Block size of [`InputFile`]'s character index.
const CHAR_MARK: usize = 4096;

/// Characters in a byte slice of UTF-8 text, cut anywhere: counts the bytes that start a
/// character.
fn chars_in(bytes: &[u8]) -> usize {
    // Plans are almost all ASCII, which `is_ascii` checks a word at a time.
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl InputFile {
    pub fn new(path: String, kind: Option<FileKind>, sha256: String, text: String) -> InputFile {
        let mut line_starts = vec![0];
        // `match_indices` of a char finds it with memchr: a one-line 30 MB plan is skimmed.
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        let mut char_marks = Vec::with_capacity(text.len() / CHAR_MARK + 1);
        let mut chars = 0u32;
        for block in text.as_bytes().chunks(CHAR_MARK) {
            char_marks.push(chars);
            chars = chars.saturating_add(chars_in(block) as u32);
        }
        // An offset at the very end of a text whose length is a multiple of the block.
        char_marks.push(chars);
        InputFile {
            path,
            kind,
            sha256,
            text,
            line_starts,
            char_marks,
        }
    }

    /// Characters before a byte offset.
    fn chars_before(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let block = offset / CHAR_MARK;
        let mark = self.char_marks.get(block).copied().unwrap_or(0) as usize;
        mark + chars_in(&self.text.as_bytes()[block * CHAR_MARK..offset])
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: u32) -> u32 {
        self.line_starts.partition_point(|&s| s <= offset).max(1) as u32
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = self.line_of(offset) as usize;
        let start = self.line_starts[line - 1] as usize;
        let offset = (offset as usize).max(start);
        let col = self.chars_before(offset) - self.chars_before(start);
        (line as u32, col as u32 + 1)
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)? as usize)? as usize;
        let end = self
            .line_starts
            .get(line as usize)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .map(|s| s.trim_end_matches(['\n', '\r']))
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    pub files: Vec<InputFile>,
    pub resources: Vec<Resource>,
    pub providers: Vec<Provider>,
    /// The plan's `timestamp` (RFC 3339), when a plan gives one.
    pub timestamp: Option<String>,
    pub errors: Vec<InputError>,
    /// Module calls not read (remote without `.terraform/modules`, a path not given, …).
    pub unread_modules: Vec<UnreadModule>,
    pub incomplete_plans: Vec<IncompletePlan>,
    by_address: HashMap<String, Vec<usize>>,
    referrers: HashMap<String, Vec<usize>>,
}

impl Model {
    /// Builds the lookup indexes; adapters call it once after filling the model.
    pub fn index(&mut self) {
        self.by_address.clear();
        self.referrers.clear();
        for (i, r) in self.resources.iter().enumerate() {
            self.by_address
                .entry(r.address.clone())
                .or_default()
                .push(i);
            if r.index.is_some() {
                self.by_address
                    .entry(r.config_address())
                    .or_default()
                    .push(i);
            }
            let mut seen: Vec<&str> = Vec::new();
            for m in r.meta.values() {
                for target in &m.refs {
                    if !seen.contains(&target.as_str()) {
                        seen.push(target);
                        self.referrers.entry(target.clone()).or_default().push(i);
                    }
                }
            }
        }
    }

    /// The resources at an address; an address without an instance key matches every
    /// instance of a `count`/`for_each` resource.
    pub fn resolve(&self, address: &str) -> impl Iterator<Item = &Resource> {
        self.by_address
            .get(address)
            .into_iter()
            .flatten()
            .map(|&i| &self.resources[i])
    }

    pub fn get(&self, address: &str) -> Option<&Resource> {
        self.resolve(address).next()
    }

    /// Resources whose attributes reference `address` (exactly as recorded).
    pub fn referrers(&self, address: &str) -> impl Iterator<Item = &Resource> {
        self.referrers
            .get(address)
            .into_iter()
            .flatten()
            .map(|&i| &self.resources[i])
    }

    pub fn of_type<'a>(&'a self, rtype: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources
            .iter()
            .filter(move |r| r.mode == Mode::Managed && r.rtype == rtype)
    }

    pub fn provider(&self, key: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.key == key)
    }

    /// File path, 1-based line and column of a span.
    pub fn position(&self, span: Span) -> Option<(&str, u32, u32)> {
        let f = self.files.get(span.file)?;
        let (line, col) = f.line_col(span.start);
        Some((&f.path, line, col))
    }

    /// File path and 1-based line of a span: [`Model::position`] without the column, which
    /// counts characters (findings and the report's resource list need only the line).
    pub fn line(&self, span: Span) -> Option<(&str, u32)> {
        let f = self.files.get(span.file)?;
        Some((&f.path, f.line_of(span.start)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(text: &str, offset: usize) -> (u32, u32) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        (line as u32, before[start..].chars().count() as u32 + 1)
    }

    #[test]
    fn line_col_counts_characters_across_index_blocks() {
        // Multi-byte characters straddling the 4 KiB blocks, a long first line and short ones.
        let mut text = "é€😀a".repeat(3000);
        text.push('\n');
        text.push_str(&"ab\nü\n".repeat(2000));
        let f = InputFile::new("x".into(), None, String::new(), text.clone());
        let offsets = text
            .char_indices()
            .map(|(i, _)| i)
            .step_by(97)
            .chain([0, text.len()]);
        for off in offsets {
            assert_eq!(f.line_col(off as u32), naive(&text, off), "offset {off}");
        }
        let exact = InputFile::new("y".into(), None, String::new(), "a".repeat(8192));
        assert_eq!(exact.line_col(8192), (1, 8193));
        let empty = InputFile::new("z".into(), None, String::new(), String::new());
        assert_eq!(empty.line_col(0), (1, 1));
        assert_eq!(empty.line_col(100), (1, 1));
    }
}
