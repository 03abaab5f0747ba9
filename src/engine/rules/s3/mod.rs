//! The S3 rules, in id order.

mod s3_bucket_key_disabled;

use super::Rule;

pub static RULES: &[&Rule] = &[&s3_bucket_key_disabled::RULE];
