//! Certificates: where one comes from (issued by ACM, imported into ACM, uploaded to IAM),
//! whether anything renews it, when it expires, and whether a self-signed certificate
//! feeds it.

use super::dates::{self, Epoch};
use crate::engine::model::{Lookup, Model, Resource};
use crate::engine::Options;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertKind {
    /// Issued by ACM (`domain_name`): ACM renews it — DNS-validated and private-CA ones
    /// without anyone's help, email-validated ones only once someone approves the email.
    AcmIssued { dns: bool, private_ca: bool },
    /// Imported into ACM (`certificate_body`): ACM never renews it.
    AcmImported,
    /// `aws_iam_server_certificate`: nothing renews it.
    Iam,
}

pub fn kind(r: &Resource) -> Option<CertKind> {
    match r.rtype.as_str() {
        "aws_iam_server_certificate" => Some(CertKind::Iam),
        "aws_acm_certificate" => {
            if !matches!(r.get("certificate_body"), Lookup::Absent) {
                return Some(CertKind::AcmImported);
            }
            let private_ca = !matches!(r.get("certificate_authority_arn"), Lookup::Absent);
            let dns = match r.get("validation_method") {
                Lookup::Known(v) => v.as_str().is_some_and(|m| m.eq_ignore_ascii_case("DNS")),
                _ => false,
            };
            Some(CertKind::AcmIssued { dns, private_ca })
        }
        _ => None,
    }
}

impl CertKind {
    /// ACM renews it with no one in the loop.
    pub fn auto_renews(self) -> bool {
        matches!(
            self,
            CertKind::AcmIssued { dns: true, .. }
                | CertKind::AcmIssued {
                    private_ca: true,
                    ..
                }
        )
    }
}

/// "Now" for expiry: the plan's timestamp, else the caller's `now`.
pub fn now(model: &Model, options: &Options) -> Option<(Epoch, &'static str)> {
    if let Some(t) = model.timestamp.as_deref().and_then(dates::parse) {
        return Some((t, "the plan's timestamp"));
    }
    options
        .now
        .as_deref()
        .and_then(dates::parse)
        .map(|t| (t, "today"))
}

/// When a certificate expires, with the attribute (on it or on the self-signed/locally
/// signed certificate it was made from) that says so.
pub fn expiry<'m>(
    model: &'m Model,
    r: &'m Resource,
) -> Option<(Epoch, &'m Resource, &'static str, String)> {
    let own = match r.rtype.as_str() {
        "aws_iam_server_certificate" => "expiration",
        _ => "not_after",
    };
    if let Some(s) = r.get_str(own) {
        if let Some(t) = dates::parse(s) {
            return Some((t, r, own, s.to_string()));
        }
    }
    for source in signed_sources(model, r) {
        if let Some(s) = source.get_str("validity_end_time") {
            if let Some(t) = dates::parse(s) {
                return Some((t, source, "validity_end_time", s.to_string()));
            }
        }
    }
    None
}

const SIGNERS: [&str; 2] = ["tls_self_signed_cert", "tls_locally_signed_cert"];

/// The `tls_*_cert` resources whose PEM feeds this certificate's body.
fn signed_sources<'m>(model: &'m Model, r: &Resource) -> Vec<&'m Resource> {
    r.refs("certificate_body")
        .iter()
        .flat_map(|a| model.resolve(a))
        .filter(|s| SIGNERS.contains(&s.rtype.as_str()))
        .collect()
}

/// The `tls_self_signed_cert` resources feeding this certificate.
pub fn self_signed_sources<'m>(model: &'m Model, r: &Resource) -> Vec<&'m Resource> {
    signed_sources(model, r)
        .into_iter()
        .filter(|s| s.rtype == "tls_self_signed_cert")
        .collect()
}

const ENV_KEYS: [&str; 3] = ["environment", "env", "stage"];
const PROD_VALUES: [&str; 3] = ["prod", "production", "prd"];

/// Why a resource counts as production: a tag, or its name. `None` when nothing says so.
pub fn production_evidence(r: &Resource) -> Option<String> {
    for (k, v) in r.tags() {
        if ENV_KEYS.iter().any(|e| e.eq_ignore_ascii_case(k))
            && PROD_VALUES.iter().any(|p| p.eq_ignore_ascii_case(v.trim()))
        {
            return Some(format!("{} tagged {k}={v}", r.address));
        }
    }
    let named = r
        .name
        .split(['-', '_', '.'])
        .any(|w| PROD_VALUES.iter().any(|p| p.eq_ignore_ascii_case(w)));
    named.then(|| format!("{} is named {:?}", r.address, r.name))
}

/// Listeners (ALB/NLB and classic) whose certificate is this one.
pub fn listeners_using<'m>(model: &'m Model, r: &Resource) -> Vec<&'m Resource> {
    let cfg = r.config_address();
    let arn = r.get_str("arn");
    model
        .resources
        .iter()
        .filter(|l| {
            matches!(
                l.rtype.as_str(),
                "aws_lb_listener" | "aws_alb_listener" | "aws_lb_listener_certificate" | "aws_elb"
            )
        })
        .filter(|l| {
            l.meta
                .values()
                .any(|m| m.refs.iter().any(|x| x == &r.address || x == &cfg))
                || arn.is_some_and(|a| l.get_str("certificate_arn") == Some(a))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::{Mode, Origin, Value};

    fn res(rtype: &str, name: &str, values: serde_json::Value) -> Resource {
        Resource {
            address: format!("{rtype}.{name}"),
            module: String::new(),
            mode: Mode::Managed,
            rtype: rtype.into(),
            name: name.into(),
            index: None,
            provider: "aws".into(),
            values: Value::from_json(values),
            before: None,
            action: None,
            meta: Default::default(),
            origin: Origin::Implied,
            directives: Vec::new(),
        }
    }

    #[test]
    fn kinds() {
        let dns = res(
            "aws_acm_certificate",
            "a",
            serde_json::json!({"domain_name": "x", "validation_method": "DNS"}),
        );
        assert_eq!(
            kind(&dns),
            Some(CertKind::AcmIssued {
                dns: true,
                private_ca: false
            })
        );
        assert!(kind(&dns).unwrap().auto_renews());
        let email = res(
            "aws_acm_certificate",
            "b",
            serde_json::json!({"domain_name": "x", "validation_method": "EMAIL"}),
        );
        assert!(!kind(&email).unwrap().auto_renews());
        let imported = res(
            "aws_acm_certificate",
            "c",
            serde_json::json!({"certificate_body": "-----BEGIN"}),
        );
        assert_eq!(kind(&imported), Some(CertKind::AcmImported));
        assert!(!CertKind::Iam.auto_renews());
    }

    #[test]
    fn production_by_tag_or_name() {
        let tagged = res(
            "aws_acm_certificate",
            "web",
            serde_json::json!({"tags": {"Environment": "Production"}}),
        );
        assert!(production_evidence(&tagged)
            .unwrap()
            .contains("Environment=Production"));
        let named = res("aws_acm_certificate", "api_prod", serde_json::json!({}));
        assert!(production_evidence(&named).is_some());
        let staging = res(
            "aws_acm_certificate",
            "product_api",
            serde_json::json!({"tags": {"env": "staging"}}),
        );
        assert_eq!(production_evidence(&staging), None);
    }

    #[test]
    fn now_prefers_the_plan() {
        let mut model = Model::default();
        let options = Options {
            now: Some("2030-01-01".into()),
            ..Options::default()
        };
        assert_eq!(now(&model, &options).map(|n| n.1), Some("today"));
        model.timestamp = Some("2026-11-20T09:30:00Z".into());
        assert_eq!(
            now(&model, &options),
            Some((1_795_167_000, "the plan's timestamp"))
        );
        assert_eq!(now(&Model::default(), &Options::default()), None);
    }
}
