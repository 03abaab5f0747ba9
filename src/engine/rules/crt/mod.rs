//! The CRT rules (certificates), in id order.

mod acm_email_validation;
mod acm_without_create_before_destroy;
mod certificate_expiring;
mod manual_certificate;
mod self_signed_certificate;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &acm_email_validation::RULE,
    &acm_without_create_before_destroy::RULE,
    &self_signed_certificate::RULE,
    &manual_certificate::RULE,
    &certificate_expiring::RULE,
];
