//! The EBS rules, in id order.

mod ebs_default_encryption_disabled;

use super::Rule;

pub static RULES: &[&Rule] = &[&ebs_default_encryption_disabled::RULE];
