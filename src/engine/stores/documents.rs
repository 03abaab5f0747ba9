//! Stores whose encryption is written in a JSON document, not in arguments:
//! - an EMR security configuration's `configuration`: `EncryptionConfiguration.
//!   EnableAtRestEncryption`, and `AtRestEncryptionConfiguration.S3EncryptionConfiguration`
//!   (`EncryptionMode` SSE-S3 / SSE-KMS / CSE-KMS, `AwsKmsKey`); nothing is encrypted at rest
//!   unless it is enabled (<https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html>);
//! - a Session Manager preferences document (`aws_ssm_document`, `document_type = "Session"`):
//!   `inputs.kmsKeyId` encrypts session data; without it sessions are not encrypted with a key
//!   of yours (<https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-enable-encryption.html>);
//! - an OpenSearch Serverless encryption policy (`type = "encryption"`): `AWSOwnedKey = true`,
//!   or `KmsARN` (<https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html>).
//!
//! A document not known before apply (it references a key, say) is read from its references:
//! one to a KMS key or alias is that key; otherwise it is read in its favour, and says so.

use super::read::{attr, live, Attr, Protection, Reading};
use crate::engine::category::Category;
use crate::engine::model::{Model, Resource, Value};

pub(crate) fn read<'a>(model: &'a Model, out: &mut Vec<Reading<'a>>) {
    for r in live(model, "aws_emr_security_configuration") {
        out.push(emr(model, r));
    }
    for d in live(model, "aws_ssm_document") {
        if d.get_str("document_type") == Some("Session") {
            out.push(ssm_session(model, d).type_category(Category::Logs));
        }
    }
    for p in live(model, "aws_opensearchserverless_security_policy") {
        if p.get_str("type") == Some("encryption") {
            out.push(aoss(model, p));
        }
    }
}

/// The document at `path`, parsed; `Err` with a reading when it is not known or not JSON.
fn document<'a>(
    model: &'a Model,
    res: &'a Resource,
    path: &'static str,
    service: &'static str,
) -> Result<serde_json::Value, Box<Reading<'a>>> {
    let refs = refs_under(res, path);
    let value = match attr(res, path) {
        // A document built with references (`jsonencode({… = aws_kms_key.x.arn})`) may
        // have no value at all in `.tf` input: it is set, just not known.
        Attr::Absent if !refs.is_empty() => Attr::Unknown,
        a => a,
    };
    let names_key = refs.iter().any(|r| {
        model.resolve(r).any(|t| {
            t.rtype == "aws_kms_alias" || super::keys::KEY_TYPES.contains(&t.rtype.as_str())
        })
    });
    let parsed: Result<serde_json::Value, Reading<'a>> = match value {
        Attr::Set(Value::String(s)) => serde_json::from_str(s).map_err(|_| {
            Reading::new(
                res,
                service,
                Protection::Inherited,
                (res, path),
                format!("{path} is not JSON planlens can read"),
            )
            .assumed(format!(
                "{path} could not be read, so it is read in its favour"
            ))
        }),
        // `.tf` input: `jsonencode({…})` with a value known only after apply stays an
        // object; plan input: the whole document is unknown. Either way a reference to a
        // KMS key or alias inside it is the key.
        Attr::Set(_) | Attr::Unknown if names_key => Err(Reading::new(
            res,
            service,
            Protection::Key {
                holder: res,
                path: path.to_string(),
                fallback: "alias/aws/kms",
            },
            (res, path),
            format!("{path} names a KMS key (known after apply)"),
        )),
        Attr::Set(v) => Ok(v.to_json()),
        Attr::Unknown => Err(Reading::new(
            res,
            service,
            Protection::Inherited,
            (res, path),
            format!("{path} = (known after apply)"),
        )
        .assumed(format!("{path} is not known before apply"))),
        Attr::Absent => Err(Reading::new(
            res,
            service,
            Protection::None,
            (res, path),
            format!("{path} is not set"),
        )),
    };
    parsed.map_err(Box::new)
}

/// The references of `path` and of everything inside it.
pub(crate) fn refs_under<'a>(res: &'a Resource, path: &str) -> Vec<&'a String> {
    res.meta
        .iter()
        .filter(|(p, _)| {
            p.as_str() == path || p.strip_prefix(path).is_some_and(|r| r.starts_with('.'))
        })
        .flat_map(|(_, m)| m.refs.iter())
        .collect()
}

fn named<'a>(res: &'a Resource, service: &'static str, path: &str, key: &str) -> Reading<'a> {
    Reading::new(
        res,
        service,
        Protection::Named {
            value: key.to_string(),
        },
        (res, path),
        format!("{path} names {key:?}"),
    )
}

fn emr<'a>(model: &'a Model, r: &'a Resource) -> Reading<'a> {
    let doc = match document(model, r, "configuration", "emr") {
        Ok(d) => d,
        Err(reading) => return *reading,
    };
    let enc = &doc["EncryptionConfiguration"];
    if enc["EnableAtRestEncryption"].as_bool() != Some(true) {
        return Reading::new(
            r,
            "emr",
            Protection::None,
            (r, "configuration"),
            "EnableAtRestEncryption is not true: nothing is encrypted at rest",
        );
    }
    let s3 = &enc["AtRestEncryptionConfiguration"]["S3EncryptionConfiguration"];
    let mode = s3["EncryptionMode"].as_str().unwrap_or("");
    match s3["AwsKmsKey"].as_str() {
        Some(key) if mode.ends_with("KMS") && !key.trim().is_empty() => {
            named(r, "emr", "configuration", key)
        }
        _ if mode.ends_with("KMS") => Reading::new(
            r,
            "emr",
            Protection::AwsManaged("alias/aws/s3"),
            (r, "configuration"),
            format!("S3 EncryptionMode {mode} without AwsKmsKey"),
        ),
        _ => Reading::new(
            r,
            "emr",
            Protection::ProviderOwned,
            (r, "configuration"),
            format!(
                "S3 EncryptionMode {}: SSE-S3",
                if mode.is_empty() { "not set" } else { mode }
            ),
        ),
    }
}

fn ssm_session<'a>(model: &'a Model, d: &'a Resource) -> Reading<'a> {
    let doc = match document(model, d, "content", "ssm") {
        Ok(v) => v,
        Err(reading) => return *reading,
    };
    match doc["inputs"]["kmsKeyId"].as_str() {
        Some(key) if !key.trim().is_empty() => named(d, "ssm", "content", key),
        _ => Reading::new(
            d,
            "ssm",
            Protection::None,
            (d, "content"),
            "inputs.kmsKeyId is not set: session data is not encrypted with a KMS key",
        ),
    }
}

fn aoss<'a>(model: &'a Model, p: &'a Resource) -> Reading<'a> {
    let doc = match document(model, p, "policy", "aoss") {
        Ok(v) => v,
        Err(reading) => return *reading,
    };
    match doc["KmsARN"].as_str() {
        Some(key) if doc["AWSOwnedKey"].as_bool() != Some(true) && !key.trim().is_empty() => {
            named(p, "aoss", "policy", key)
        }
        _ => Reading::new(
            p,
            "aoss",
            Protection::ProviderOwned,
            (p, "policy"),
            "AWSOwnedKey = true: an AWS-owned key",
        ),
    }
}
