//! HCL (`.tf`, `.tfvars`) and Terraform JSON syntax (`.tf.json`) into the model.

use crate::engine::model::Model;

/// Loads every HCL / Terraform JSON file of the model's file list as modules.
pub fn load(model: &mut Model) {
    let _ = model;
}
