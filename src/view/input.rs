//! Which files of a dropped or picked folder the page reads.

/// Whether a file found in a folder is one the engine reads: Terraform sources, variable
/// files, plan/state JSON, `planlens.toml`; never anything under a hidden directory
/// (`.terraform/` holds provider binaries, `.git/` history) or `node_modules/`.
pub fn wanted(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let Some((name, dirs)) = parts.split_last() else {
        return false;
    };
    if dirs.iter().any(|d| skipped_dir(d)) {
        return false;
    }
    let name = name.to_ascii_lowercase();
    name.ends_with(".tf")
        || name.ends_with(".tf.json")
        || name.ends_with(".tfvars")
        || name.ends_with(".tfvars.json")
        || name.ends_with(".json")
        || name == "planlens.toml"
}

/// Folders never walked into.
pub fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_files_are_read_and_tool_folders_skipped() {
        assert!(wanted("infra/main.tf"));
        assert!(wanted("infra/modules/kms/main.tf"));
        assert!(wanted("infra/prod.tfvars"));
        assert!(wanted("infra/x.auto.tfvars.json"));
        assert!(wanted("plan.json"));
        assert!(wanted("infra/planlens.toml"));
        assert!(!wanted(
            "infra/.terraform/providers/registry/aws/terraform-provider-aws"
        ));
        assert!(!wanted("infra/.terraform/modules/modules.json"));
        assert!(!wanted("infra/.git/config"));
        assert!(!wanted("infra/README.md"));
        assert!(!wanted("infra/node_modules/x/package.json"));
        assert!(!wanted(""));
    }
}
