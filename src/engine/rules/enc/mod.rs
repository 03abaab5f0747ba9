//! The ENC rules, in id order.

use super::Rule;

pub static RULES: &[&Rule] = &[];
