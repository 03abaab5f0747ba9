//! Which files of a dropped or picked folder the page reads.

/// Whether a file found in a folder is one the engine reads: Terraform sources, variable
/// files, plan/state JSON, `planlens.toml`; and under `.terraform/modules/` only what
/// `terraform init` installed as modules (their Terraform files and `modules.json`), so
/// registry and git modules are reviewed as Terraform reads them. Nothing under another
/// hidden directory (`.git/`, `.terraform/providers/` with the provider binaries) or
/// `node_modules/`.
pub fn wanted(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let Some((name, dirs)) = parts.split_last() else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let terraform = name.ends_with(".tf")
        || name.ends_with(".tf.json")
        || name.ends_with(".tfvars")
        || name.ends_with(".tfvars.json");
    if let Some(i) = dirs.iter().position(|d| *d == ".terraform") {
        let (before, after) = (&dirs[..i], &dirs[i + 1..]);
        return after.first() == Some(&"modules")
            && !before.iter().chain(&after[1..]).any(|d| skipped_dir(d))
            && (terraform || (after.len() == 1 && name == "modules.json"));
    }
    if dirs.iter().any(|d| skipped_dir(d)) {
        return false;
    }
    terraform || name.ends_with(".json") || name == "planlens.toml"
}

/// Folders never walked into: hidden ones (but `.terraform`, for its `modules/`) and
/// `node_modules`.
pub fn skipped_dir(name: &str) -> bool {
    (name.starts_with('.') && name != ".terraform") || name == "node_modules"
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
        assert!(!wanted("infra/.git/config"));
        assert!(!wanted("infra/README.md"));
        assert!(!wanted("infra/node_modules/x/package.json"));
        assert!(!wanted(""));
    }

    #[test]
    fn modules_terraform_init_installed_are_read() {
        assert!(wanted("infra/.terraform/modules/modules.json"));
        assert!(wanted(".terraform/modules/bucket/main.tf"));
        assert!(wanted(
            "infra/.terraform/modules/bucket/modules/notification/main.tf"
        ));
        assert!(wanted(
            "infra/.terraform/modules/bucket.logs/variables.tf.json"
        ));
        assert!(!wanted("infra/.terraform/modules/bucket/package.json"));
        assert!(!wanted("infra/.terraform/modules/bucket/.git/config.tf"));
        assert!(!wanted("infra/.terraform/terraform.tfstate"));
        assert!(!wanted("infra/.terraform/environment"));
        assert!(!wanted(".git/.terraform/modules/x/main.tf"));
        assert!(!skipped_dir(".terraform") && skipped_dir(".git"));
    }
}
