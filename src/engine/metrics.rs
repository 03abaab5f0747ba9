//! The seed's five metrics, each a share with its target of 100%.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::category::{Category, Level};
use super::rules::{Context, Finding};
use super::stores::{self, KeyKind};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metric {
    pub numerator: usize,
    pub denominator: usize,
    /// The resources counted in the denominator.
    pub addresses: Vec<String>,
    /// Those of them that fall short.
    #[serde(default)]
    pub failing: Vec<String>,
}

impl Metric {
    /// The share in percent; a metric with nothing to count is met.
    pub fn percent(&self) -> f64 {
        if self.denominator == 0 {
            100.0
        } else {
            100.0 * self.numerator as f64 / self.denominator as f64
        }
    }

    fn from_items(items: impl IntoIterator<Item = (String, bool)>) -> Metric {
        let mut m = Metric::default();
        for (address, ok) in items {
            m.denominator += 1;
            if ok {
                m.numerator += 1;
            } else {
                m.failing.push(address.clone());
            }
            m.addresses.push(address);
        }
        m
    }
}

/// Metric keys, in the seed's order, with their titles.
pub const METRICS: [(&str, &str); 5] = [
    (
        "pii_financial_cmk",
        "PII and financial data stores with a CMK",
    ),
    ("kms_rotation", "CMKs with rotation enabled"),
    ("tls12_endpoints", "External endpoints on TLS 1.2+"),
    (
        "acm_expiry",
        "ACM certificates expiring in more than 30 days",
    ),
    (
        "ebs_default_encryption",
        "AWS providers with EBS encryption by default",
    ),
];

pub fn compute(cx: &Context, findings: &[Finding]) -> BTreeMap<String, Metric> {
    let _ = findings;
    let a = cx.analysis;
    let mut out = BTreeMap::new();
    // Endpoints and certificates: what counts and why is documented in tls::inventory.
    out.insert(
        "tls12_endpoints".to_string(),
        Metric::from_items(crate::engine::tls::inventory::external_endpoints(cx.model)),
    );
    out.insert(
        "acm_expiry".to_string(),
        Metric::from_items(crate::engine::tls::inventory::certificates(
            cx.model, cx.options,
        )),
    );
    // PII and financial stores: a CMK (or better) counts; an unverified customer key too.
    out.insert(
        "pii_financial_cmk".to_string(),
        Metric::from_items(
            a.stores
                .iter()
                .filter(|s| matches!(s.category, Some(Category::Pii | Category::Financial)))
                .map(|s| (s.label(), s.level >= Level::Cmk)),
        ),
    );
    // CMKs KMS can rotate (symmetric, KMS-generated material, no custom key store); a
    // rotation setting not known before apply is not counted against them.
    out.insert(
        "kms_rotation".to_string(),
        Metric::from_items(
            a.keys
                .iter()
                .filter(|k| k.kind == KeyKind::Cmk)
                .filter_map(|k| {
                    let res = cx.model.get(k.address.as_deref()?)?;
                    stores::rotation_applicable(res)
                        .then(|| (res.address.clone(), k.rotation != Some(false)))
                }),
        ),
    );
    out.insert(
        "ebs_default_encryption".to_string(),
        Metric::from_items(
            a.providers
                .iter()
                .map(|p| (p.key.clone(), p.ebs_default_encryption)),
        ),
    );
    out
}
