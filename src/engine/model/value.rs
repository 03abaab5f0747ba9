//! Attribute values as Terraform sees them: known, unknown (with why), or absent.

use std::borrow::Cow;

/// A map value: a flat vector sorted by key. Most of a plan's maps are small objects (a
/// block's few attributes, a resource's tags), for which a B-tree's node is several times
/// the entries themselves; Terraform writes keys sorted, so reading one appends.
pub type Map = litemap::LiteMap<Key, Value>;

/// Maps up to this size are searched by a scan, larger ones by binary search.
const SCAN_UP_TO: usize = 16;

/// A map key or a string value. Attribute names (`kms_key_id`) and most values (`aws:kms`,
/// regions, ids) are short: up to 24 bytes live inline, so reading a plan allocates nothing
/// for most of its strings.
pub type Key = compact_str::CompactString;

/// A map from pairs in any order: kept as it is when already sorted (a plan's objects almost
/// always are), otherwise sorted once, a later duplicate key winning as in serde_json. Every
/// map is built here rather than with `collect`, so the sort is compiled into the wasm once
/// instead of once per iterator type (issue 15).
pub fn map_of(pairs: Vec<(Key, Value)>) -> Map {
    if pairs.windows(2).all(|w| w[0].0 < w[1].0) {
        return Map::from_sorted_store_unchecked(pairs);
    }
    pairs.into_iter().collect()
}

/// A value in a resource's attributes.
///
/// Nested blocks are lists of maps, exactly as Terraform's plan JSON represents them, so
/// rules read HCL, plan JSON and state the same way.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(Key),
    List(Vec<Value>),
    Map(Map),
    /// Not knowable before apply (or without the inputs that decide it); the text says why.
    Unknown(Unknown),
}

/// Why a value cannot be known: "known after apply", "var.kms_key has no value", …
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// Borrowed for the common reasons ("known after apply" is most of a large plan's
    /// unknowns), owned for the ones that name a variable or reference.
    pub unknown: Cow<'static, str>,
}

/// The result of reading one attribute path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lookup<'a> {
    Known(&'a Value),
    Unknown(&'a str),
    /// Not set, or set to `null` (Terraform treats both as unset).
    Absent,
}

impl Value {
    pub fn unknown(reason: impl Into<Cow<'static, str>>) -> Value {
        Value::Unknown(Unknown {
            unknown: reason.into(),
        })
    }

    pub fn map() -> Value {
        Value::Map(Map::new())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Terraform converts between strings, numbers and bools freely; so do we.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// One step down: a map key, or a list index written as a number.
    pub fn child(&self, step: &str) -> Option<&Value> {
        match self {
            // A small map is scanned comparing lengths first: most keys differ in length, so
            // few comparisons reach the bytes, where a binary search compares bytes at every
            // step (issue 15: these lookups were a tenth of a check).
            Value::Map(m) if m.len() <= SCAN_UP_TO => m
                .iter()
                .find(|(k, _)| k.len() == step.len() && k.as_str() == step)
                .map(|(_, v)| v),
            Value::Map(m) => m.get(step),
            Value::List(l) => step.parse::<usize>().ok().and_then(|i| l.get(i)),
            _ => None,
        }
    }

    /// The value at a dotted path (`rule.0.apply`), for changing it in place.
    pub fn at_mut(&mut self, path: &str) -> Option<&mut Value> {
        let mut cur = self;
        for step in path.split('.') {
            cur = match cur {
                Value::Map(m) => m.get_mut(step)?,
                Value::List(l) => l.get_mut(step.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Reads a dotted path such as `rule.0.apply_server_side_encryption_by_default.0.sse_algorithm`.
    /// Anything under an unknown value is unknown for the same reason.
    pub fn lookup(&self, path: &str) -> Lookup<'_> {
        let mut cur = self;
        if !path.is_empty() {
            for step in path.split('.') {
                if let Value::Unknown(u) = cur {
                    return Lookup::Unknown(&u.unknown);
                }
                match cur.child(step) {
                    Some(next) => cur = next,
                    None => return Lookup::Absent,
                }
            }
        }
        match cur {
            Value::Null => Lookup::Absent,
            Value::Unknown(u) => Lookup::Unknown(&u.unknown),
            v => Lookup::Known(v),
        }
    }

    /// The value as plain JSON (unknowns become `"(known after apply)"`-style strings), for
    /// evidence in reports.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::List(l) => serde_json::Value::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m) => {
                // Inserted rather than collected: `collect` compiles a sort (issue 15).
                let mut o = serde_json::Map::new();
                o.extend(m.iter().map(|(k, v)| (k.to_string(), v.to_json())));
                serde_json::Value::Object(o)
            }
            Value::Unknown(u) => serde_json::Value::String(format!("({})", u.unknown)),
        }
    }

    /// Converts plain JSON (a plan's `after`, a state's `values`). Consumes the input so
    /// strings move instead of being copied. Depth is bounded by the JSON parser's own
    /// recursion limit (128), which every caller goes through first.
    pub fn from_json(json: serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.into()),
            serde_json::Value::Array(a) => {
                Value::List(a.into_iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(o) => Value::Map(map_of(
                o.into_iter()
                    .map(|(k, v)| (k.into(), Value::from_json(v)))
                    .collect(),
            )),
        }
    }

    /// A short human rendering for messages: strings unquoted, others as JSON.
    pub fn display(&self) -> String {
        match self {
            Value::String(s) => s.to_string(),
            Value::Unknown(u) => format!("({})", u.unknown),
            other => other.to_json().to_string(),
        }
    }
}

/// Reads any JSON straight into a [`Value`], without a `serde_json::Value` in between: a
/// plan's values are the bulk of its size, and building them twice doubled its peak memory.
/// Nesting is bounded by the JSON parser's recursion limit (128), as for [`Value::from_json`].
impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.into()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s.into()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        // No size hint: it comes from the input.
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::List(out))
    }

    /// A `null` member is left out: Terraform treats null as unset, [`Value::lookup`] reads
    /// both as absent, and real plans write every unset attribute of a type's schema as
    /// null (42 of an RDS instance's, most of them null), which was a third of a plan's model.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        // Collected, then sorted once if out of order (a later duplicate key wins, as in
        // serde_json): inserting one by one would be quadratic on a large unsorted object.
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<Key, Value>()? {
            if v != Value::Null {
                out.push((k, v));
            }
        }
        Ok(Value::Map(map_of(out)))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        Value::from_json(serde_json::json!({
            "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}],
            "tags": {"data-class": "pii"},
            "gone": null
        }))
    }

    #[test]
    fn lookup_walks_blocks_and_maps() {
        let v = sample();
        assert_eq!(
            v.lookup("rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"),
            Lookup::Known(&Value::from("aws:kms"))
        );
        assert_eq!(
            v.lookup("tags.data-class"),
            Lookup::Known(&Value::from("pii"))
        );
        assert_eq!(v.lookup("rule.1"), Lookup::Absent);
        assert_eq!(v.lookup("gone"), Lookup::Absent);
    }

    #[test]
    fn objects_read_out_of_order_are_sorted_and_the_last_duplicate_wins() {
        let v: Value = serde_json::from_str(r#"{"b": 1, "a": {"z": 1, "y": 2}, "b": 3}"#).unwrap();
        let keys: Vec<&str> = v.as_map().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(v.lookup("b"), Lookup::Known(&Value::Number(3.0)));
        assert_eq!(v.lookup("a.y"), Lookup::Known(&Value::Number(2.0)));
        // the serde_json path (from_json) agrees
        let j = Value::from_json(serde_json::json!({"b": 3, "a": {"z": 1, "y": 2}}));
        assert_eq!(j, v);
    }

    #[test]
    fn anything_below_an_unknown_is_unknown() {
        let mut v = sample();
        if let Value::Map(m) = &mut v {
            m.insert("rule".into(), Value::unknown("known after apply"));
        }
        assert_eq!(v.lookup("rule.0.x"), Lookup::Unknown("known after apply"));
    }

    #[test]
    fn deserializes_like_from_json() {
        let text =
            r#"{"a": [1, -2, 3.5, "x", null, true], "b": {"c": {}}, "a2": 18446744073709551615}"#;
        let direct: Value = serde_json::from_str(text).unwrap();
        let via = Value::from_json(serde_json::from_str(text).unwrap());
        assert_eq!(direct, via);
    }

    #[test]
    fn strings_convert_like_terraform() {
        assert_eq!(Value::from("true").as_bool(), Some(true));
        assert_eq!(Value::from("7").as_f64(), Some(7.0));
    }
}
