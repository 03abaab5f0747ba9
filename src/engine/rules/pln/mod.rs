//! The PLN rules (what a plan changes), in id order.

mod plan_destroys_kms_key;
mod plan_weakens_encryption;

use super::Rule;

pub static RULES: &[&Rule] = &[&plan_destroys_kms_key::RULE, &plan_weakens_encryption::RULE];
