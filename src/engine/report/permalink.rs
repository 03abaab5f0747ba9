//! The permalink codec: a report (and optionally its input) in a URL fragment, which the
//! browser never sends to a server.
//!
//! Format: `v1.` + base64url (no padding) of the zlib-wrapped DEFLATE of the [`Payload`]'s
//! JSON. zlib is raw DEFLATE plus a 2-byte header and an Adler-32 of the JSON (6 bytes in
//! all): without that checksum a flipped bit can decode into a quietly different report.
//!
//! Decoding trusts nothing: the fragment's length is checked before any work, the version
//! before decoding, the decompressed size is capped while inflating (a few hundred bytes
//! of DEFLATE can expand to gigabytes), and every failure is a [`PermalinkError`] that
//! says what was wrong, never a panic.

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};

use super::{Report, VERSION};
use crate::engine::config::Config;
use crate::engine::model::{FileKind, Model};
use crate::engine::{Options, SourceFile};

/// The format this build writes and reads.
pub const FORMAT: &str = "v1";
/// Longest fragment decoded. Chromium caps URLs at 2 MB; nothing longer came from a link.
pub const MAX_FRAGMENT_CHARS: usize = 2 * 1024 * 1024;
/// Largest JSON a fragment may inflate to. A 2 MB fragment of well-compressed JSON stays
/// under it; a decompression bomb is cut here.
pub const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;
/// Longest link [`Payload::attach_input`] makes when it adds the input: chat tools and
/// issue trackers cut or refuse URLs past roughly 32 KB (Chromium itself allows 2 MB), and
/// a link that survives being pasted is worth more than one that also re-runs.
pub const MAX_SHARE_CHARS: usize = 32_000;
/// Input larger than this is not even tried: it would not compress under the limit above.
const MAX_INPUT_TEXT: usize = 4 * 1024 * 1024;
/// DEFLATE level: 9 is miniz's best that stays fast on a few MB.
const LEVEL: u8 = 9;

/// What a permalink carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// The planlens version that made the link.
    pub planlens: String,
    /// The input files, by hash: shown when the link opens, so a reader can check the
    /// report is about the plan they have.
    pub files: Vec<InputRef>,
    pub report: Report,
    /// The settings the report was made with: overrides, suppressions, tag keys and value
    /// mapping, minimums, heuristics.
    pub config: Config,
    /// "Now" for certificate expiry, when the input has no plan timestamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    /// The input itself, when it fits: the receiver can then re-run the review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Vec<InputText>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRef {
    pub path: String,
    pub kind: Option<FileKind>,
    /// SHA-256 of the file's bytes as given.
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputText {
    pub path: String,
    /// The decoded text (UTF-16 input arrives as UTF-8, so its hash may differ).
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PermalinkError {
    #[error(
        "the link has no planlens report in it (expected a fragment starting with #{FORMAT}.)"
    )]
    Empty,
    #[error("this is not a planlens link: its fragment should start with \"{FORMAT}.\"")]
    NotAPermalink,
    #[error("the link is {chars} characters long; planlens reads links up to {max} characters")]
    TooLong { chars: usize, max: usize },
    #[error(
        "the link uses permalink format {found}, which this planlens ({VERSION}) cannot read: it reads format {FORMAT}"
    )]
    UnsupportedVersion { found: String },
    #[error("the link is damaged: {detail}")]
    BadEncoding { detail: String },
    #[error("the link is damaged or cut short: its compressed data is invalid ({detail})")]
    Corrupt { detail: String },
    #[error("the link expands past {max} bytes; planlens stops there (a damaged link, or a decompression bomb)")]
    TooLarge { max: usize },
    #[error("the link's content is not JSON ({detail})")]
    NotJson { detail: String },
    #[error("the link's content is not a planlens report ({detail})")]
    WrongShape { detail: String },
    #[error("with the input, the link would be {chars} characters; links with input are kept under {max}, so the input was left out")]
    InputTooLarge { chars: usize, max: usize },
}

impl Payload {
    /// The payload for a report made with `options`, without the input.
    pub fn new(report: &Report, options: &Options) -> Payload {
        Payload {
            planlens: VERSION.to_string(),
            files: report
                .input
                .files
                .iter()
                .map(|f| InputRef {
                    path: f.path.clone(),
                    kind: f.kind,
                    sha256: f.sha256.clone(),
                })
                .collect(),
            report: report.clone(),
            config: options.config.clone(),
            now: options.now.clone(),
            input: None,
        }
    }

    /// Adds the model's input text when the link stays under [`MAX_SHARE_CHARS`]; returns
    /// the link's length. On error the payload is left without input.
    pub fn attach_input(&mut self, model: &Model) -> Result<usize, PermalinkError> {
        let size: usize = model.files.iter().map(|f| f.text.len()).sum();
        if size > MAX_INPUT_TEXT {
            // Compressing megabytes only to learn they do not fit would stall the page.
            return Err(PermalinkError::InputTooLarge {
                chars: size,
                max: MAX_SHARE_CHARS,
            });
        }
        self.input = Some(
            model
                .files
                .iter()
                .map(|f| InputText {
                    path: f.path.clone(),
                    text: f.text.clone(),
                })
                .collect(),
        );
        let chars = encode(self).len();
        if chars > MAX_SHARE_CHARS {
            self.input = None;
            return Err(PermalinkError::InputTooLarge {
                chars,
                max: MAX_SHARE_CHARS,
            });
        }
        Ok(chars)
    }

    /// The input as files to review again, when the link carries it.
    pub fn sources(&self) -> Option<Vec<SourceFile>> {
        self.input.as_ref().map(|files| {
            files
                .iter()
                .map(|f| SourceFile::new(f.path.clone(), f.text.clone().into_bytes()))
                .collect()
        })
    }

    /// Whether the carried input is the input the report names: every text hashes to its
    /// file's recorded SHA-256. `None` without input. A mismatch means the link was edited
    /// (or the file was UTF-16 or had a BOM, which the text no longer has). This detects
    /// tampering with one half of a link, not a forger who rewrites both.
    pub fn input_matches_hashes(&self) -> Option<bool> {
        let input = self.input.as_ref()?;
        Some(
            input.len() == self.files.len()
                && input.iter().zip(&self.files).all(|(text, file)| {
                    text.path == file.path && hex_sha256(text.text.as_bytes()) == file.sha256
                }),
        )
    }

    /// The options to review the input again with.
    pub fn options(&self) -> Options {
        Options {
            config: self.config.clone(),
            now: self.now.clone(),
        }
    }
}

/// The fragment (without `#`) for a payload.
pub fn encode(payload: &Payload) -> String {
    // Serialising these types cannot fail (every map key is a string); an empty document
    // would decode as a clear "not a planlens report" rather than panic.
    let json = serde_json::to_vec(payload).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&json, LEVEL);
    format!("{FORMAT}.{}", engine().encode(packed))
}

/// `base` (any fragment it has dropped) + `#` + the payload's fragment.
pub fn link(base: &str, payload: &Payload) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{}", encode(payload))
}

/// Reads a payload from a fragment, `#fragment`, or a whole URL.
pub fn decode(link: &str) -> Result<Payload, PermalinkError> {
    if link.len() > MAX_FRAGMENT_CHARS {
        return Err(PermalinkError::TooLong {
            chars: link.len(),
            max: MAX_FRAGMENT_CHARS,
        });
    }
    let fragment = match link.split_once('#') {
        Some((_, f)) => f,
        None => link,
    }
    .trim();
    if fragment.is_empty() {
        return Err(PermalinkError::Empty);
    }
    let (tag, body) = fragment
        .split_once('.')
        .ok_or(PermalinkError::NotAPermalink)?;
    let is_version = tag.len() >= 2
        && tag.len() <= 10
        && tag.starts_with('v')
        && tag[1..].bytes().all(|b| b.is_ascii_digit());
    if !is_version {
        return Err(PermalinkError::NotAPermalink);
    }
    if tag != FORMAT {
        return Err(PermalinkError::UnsupportedVersion {
            found: tag.to_string(),
        });
    }
    // Links wrapped by mail clients pick up line breaks.
    let body: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let packed = engine()
        .decode(body.as_bytes())
        .map_err(|e| PermalinkError::BadEncoding {
            detail: e.to_string(),
        })?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_JSON_BYTES)
        .map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => PermalinkError::TooLarge {
                max: MAX_JSON_BYTES,
            },
            TINFLStatus::Adler32Mismatch => PermalinkError::Corrupt {
                detail: "checksum mismatch".into(),
            },
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                PermalinkError::Corrupt {
                    detail: "it ends too early".into(),
                }
            }
            _ => PermalinkError::Corrupt {
                detail: "not a DEFLATE stream".into(),
            },
        })?;
    // Read as text, like every other JSON the page reads: one serde_json reader type means the
    // report's deserializer is compiled into the wasm once, not twice (issue 15).
    let json = String::from_utf8(json).map_err(|e| PermalinkError::NotJson {
        detail: e.to_string(),
    })?;
    serde_json::from_str(&json).map_err(|e| {
        let detail = e.to_string();
        match e.classify() {
            serde_json::error::Category::Data => PermalinkError::WrongShape { detail },
            _ => PermalinkError::NotJson { detail },
        }
    })
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// base64url; decoding accepts padding too, since some tools add it back.
fn engine() -> GeneralPurpose {
    GeneralPurpose::new(
        &URL_SAFE,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_tags_are_told_apart_from_garbage() {
        assert_eq!(
            decode("v2.AAAA"),
            Err(PermalinkError::UnsupportedVersion { found: "v2".into() })
        );
        assert_eq!(decode("hello"), Err(PermalinkError::NotAPermalink));
        assert_eq!(decode("vx.AAAA"), Err(PermalinkError::NotAPermalink));
        assert_eq!(decode("https://x.example/#"), Err(PermalinkError::Empty));
        assert!(matches!(
            decode("v1.!!!"),
            Err(PermalinkError::BadEncoding { .. })
        ));
    }

    #[test]
    fn link_replaces_any_fragment_of_the_base() {
        let p = Payload::new(
            &crate::engine::check(&[], &Options::default()),
            &Options::default(),
        );
        let l = link("https://planlens.example/app/#old", &p);
        assert!(l.starts_with("https://planlens.example/app/#v1."), "{l}");
        assert_eq!(decode(&l), Ok(p));
    }
}

#[cfg(test)]
mod access_tests {
    use super::*;

    /// The access model travels in the link, and a link made before it existed (no
    /// `access` keys) still opens, with an empty model.
    #[test]
    fn the_access_model_round_trips_and_old_links_open() {
        let files = [SourceFile::new("seed.plan.json", crate::example::PLAN)];
        let options = Options::default();
        let p = Payload::new(&crate::engine::check(&files, &options), &options);
        assert!(!p.report.access.is_empty());
        let back = decode(&encode(&p)).expect("decodes");
        assert_eq!(back.report.access, p.report.access);
        assert_eq!(back.report.decryptors, p.report.decryptors);
        let mut json = serde_json::to_value(&p).expect("serialises");
        for k in ["access", "decryptors", "access_gaps"] {
            json["report"].as_object_mut().map(|o| o.remove(k));
        }
        let old: Payload = serde_json::from_value(json).expect("an old payload reads");
        assert!(old.report.access.is_empty());
    }
}
