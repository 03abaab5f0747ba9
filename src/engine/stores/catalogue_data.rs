//! The catalogue's entries, one per census type, sorted by type. Each says where the key
//! argument sits, the switch and its default, what protects the data without a key (from the
//! service's own encryption page, linked), the category the type implies, and the peers' ids.
//! Adding a type is one entry here plus its fixture in tests/fixtures/stores/ (gen.py).

use super::catalogue::{Entry, NoKey, Reader, Switch};
use crate::engine::category::Category;

const fn e(
    rtype: &'static str,
    service: &'static str,
    service_name: &'static str,
    doc: &'static str,
) -> Entry {
    Entry {
        rtype,
        service,
        service_name,
        keys: &[],
        switch: None,
        no_key: NoKey::ProviderOwned,
        managed: None,
        sentinels: &[],
        present: None,
        category: None,
        doc,
        peers: &[],
        reader: Reader::Catalogue,
        note: "",
        absent: "",
    }
}

impl Entry {
    const fn keys(self, keys: &'static [&'static str]) -> Entry {
        Entry { keys, ..self }
    }
    const fn switch(
        self,
        path: &'static str,
        on: &'static [&'static str],
        default_on: bool,
        off: NoKey,
    ) -> Entry {
        Entry {
            switch: Some(Switch {
                path,
                on,
                default_on,
                off,
            }),
            ..self
        }
    }
    const fn no_key(self, no_key: NoKey) -> Entry {
        Entry { no_key, ..self }
    }
    const fn managed(self, alias: &'static str) -> Entry {
        Entry {
            managed: Some(alias),
            ..self
        }
    }
    const fn sentinels(self, sentinels: &'static [&'static str]) -> Entry {
        Entry { sentinels, ..self }
    }
    const fn present(self, block: &'static str) -> Entry {
        Entry {
            present: Some(block),
            ..self
        }
    }
    const fn category(self, category: Category) -> Entry {
        Entry {
            category: Some(category),
            ..self
        }
    }
    const fn peers(self, peers: &'static [&'static str]) -> Entry {
        Entry { peers, ..self }
    }
    const fn reader(self, reader: Reader) -> Entry {
        Entry { reader, ..self }
    }
    const fn note(self, note: &'static str) -> Entry {
        Entry { note, ..self }
    }
    const fn absent(self, absent: &'static str) -> Entry {
        Entry { absent, ..self }
    }
}

pub static CATALOGUE: [Entry; 203] = [
    e("aws_ami", "ec2", "EC2 (AMI)", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AMIEncryption.html")
        .switch("ebs_block_device.0.encrypted", &["true"], true, NoKey::Unencrypted)
        .no_key(NoKey::Inherited)
        .managed("alias/aws/ebs")
        .peers(&["CKV_AWS_204", "KICS ami_not_encrypted"])
        .note("no key argument: the snapshots decide"),
    e("aws_ami_copy", "ec2", "EC2 (AMI)", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AMIEncryption.html")
        .keys(&["kms_key_id"])
        .switch("encrypted", &["true"], false, NoKey::Inherited)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .peers(&["CKV_AWS_235", "CKV_AWS_236"])
        .note("false = copy keeps source state; true without key = account default EBS key (aws/ebs unless changed)"),
    e("aws_api_gateway_method_settings", "apigateway", "API Gateway", "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html")
        .switch("settings.0.cache_data_encrypted", &["true"], false, NoKey::Unencrypted)
        .present("settings")
        .peers(&["CKV_AWS_308", "AWS-0002", "KICS api_gateway_method_settings_cache_not_encrypted"])
        .note("Method cache"),
    e("aws_appconfig_configuration_profile", "appconfig", "AppConfig", "https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-security.html")
        .keys(&["kms_key_identifier"])
        .note("Hosted configuration store"),
    e("aws_appconfig_deployment", "appconfig", "AppConfig", "https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-security.html")
        .keys(&["kms_key_identifier"])
        .note("Deployment of hosted config"),
    e("aws_appfabric_app_bundle", "appfabric", "AppFabric", "https://docs.aws.amazon.com/appfabric/latest/adminguide/data-protection.html")
        .keys(&["customer_managed_key_arn"]),
    e("aws_appflow_connector_profile", "appflow", "AppFlow", "https://docs.aws.amazon.com/appflow/latest/userguide/data-protection.html")
        .keys(&["kms_arn"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/appflow")
        .peers(&["CKV_AWS_264"])
        .note("aws/appflow"),
    e("aws_appflow_flow", "appflow", "AppFlow", "https://docs.aws.amazon.com/appflow/latest/userguide/data-protection.html")
        .keys(&["kms_arn"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/appflow")
        .peers(&["CKV_AWS_263"])
        .note("aws/appflow"),
    e("aws_appintegrations_data_integration", "appintegrations", "AppIntegrations", "https://docs.aws.amazon.com/connect/latest/adminguide/encryption-at-rest.html")
        .keys(&["kms_key"])
        .no_key(NoKey::Required),
    e("aws_apprunner_service", "apprunner", "App Runner", "https://docs.aws.amazon.com/apprunner/latest/dg/security-data-protection-encryption.html")
        .keys(&["encryption_configuration.0.kms_key"]),
    e("aws_appsync_api_cache", "appsync", "AppSync", "https://docs.aws.amazon.com/appsync/latest/devguide/enabling-caching.html")
        .switch("at_rest_encryption_enabled", &["true"], false, NoKey::Unencrypted)
        .peers(&["CKV_AWS_214"]),
    e("aws_athena_database", "athena", "Athena", "https://docs.aws.amazon.com/athena/latest/ug/encryption.html")
        .keys(&["encryption_configuration.0.kms_key"])
        .switch("encryption_configuration.0.encryption_option", &["SSE_KMS", "CSE_KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::Required)
        .peers(&["CKV_AWS_77", "AWS-0006", "KICS athena_database_not_encrypted"])
        .note("query results in S3: the bucket default (SSE-S3) without SSE_KMS/CSE_KMS"),
    e("aws_athena_workgroup", "athena", "Athena", "https://docs.aws.amazon.com/athena/latest/ug/encryption.html")
        .keys(&["configuration.0.result_configuration.0.encryption_configuration.0.kms_key_arn"])
        .switch("configuration.0.result_configuration.0.encryption_configuration.0.encryption_option", &["SSE_KMS", "CSE_KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::Required)
        .peers(&["CKV_AWS_159", "AWS-0006", "KICS athena_workgroup_not_encrypted"])
        .note("query results in S3: the bucket default (SSE-S3) without SSE_KMS/CSE_KMS"),
    e("aws_auditmanager_account_registration", "auditmanager", "Audit Manager", "https://docs.aws.amazon.com/audit-manager/latest/userguide/data-protection.html")
        .keys(&["kms_key"]),
    e("aws_backup_vault", "backup", "AWS Backup", "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html")
        .keys(&["kms_key_arn"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/backup")
        .category(Category::Backup)
        .peers(&["CKV_AWS_166", "KICS backup_vault_without_kms_key"])
        .note("aws/backup")
        .absent("kms_key_arn is not set: the AWS-managed key aws/backup"),
    e("aws_bedrock_custom_model", "bedrock", "Bedrock", "https://docs.aws.amazon.com/bedrock/latest/userguide/data-encryption.html")
        .keys(&["custom_model_kms_key_id"]),
    e("aws_bedrock_guardrail", "bedrock", "Bedrock", "https://docs.aws.amazon.com/bedrock/latest/userguide/data-encryption.html")
        .keys(&["kms_key_arn"]),
    e("aws_bedrockagent_agent", "bedrock", "Bedrock Agents", "https://docs.aws.amazon.com/bedrock/latest/userguide/data-encryption.html")
        .keys(&["customer_encryption_key_arn"])
        .peers(&["CKV_AWS_373"]),
    e("aws_bedrockagent_data_source", "bedrock", "Bedrock Agents", "https://docs.aws.amazon.com/bedrock/latest/userguide/data-encryption.html")
        .keys(&["server_side_encryption_configuration.0.kms_key_arn"])
        .note("Transient ingestion data"),
    e("aws_bedrockagent_prompt", "bedrock", "Bedrock Agents", "https://docs.aws.amazon.com/bedrock/latest/userguide/data-encryption.html")
        .keys(&["customer_encryption_key_arn"]),
    e("aws_chimesdkmediapipelines_media_insights_pipeline_configuration", "chime", "Chime SDK Media Pipelines", "https://docs.aws.amazon.com/chime-sdk/latest/dg/data-protection.html")
        .keys(&["elements.0.amazon_transcribe_call_analytics_processor_configuration.0.post_call_analytics_settings.0.output_encryption_kms_key_id"])
        .note("Post-call analytics output"),
    e("aws_chimesdkvoice_voice_profile_domain", "chime", "Chime SDK Voice", "https://docs.aws.amazon.com/chime-sdk/latest/dg/data-protection.html")
        .keys(&["server_side_encryption_configuration.0.kms_key_arn"])
        .no_key(NoKey::Required),
    e("aws_cloudtrail", "cloudtrail", "CloudTrail", "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html")
        .keys(&["kms_key_id"])
        .category(Category::Logs)
        .peers(&["CKV_AWS_35", "AWS-0015", "KICS cloudtrail_log_files_not_encrypted_with_kms"])
        .note("Log files in S3")
        .absent("kms_key_id is not set: log files get SSE-S3 in their bucket"),
    e("aws_cloudtrail_event_data_store", "cloudtrail", "CloudTrail Lake", "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-event-data-store-cmk.html")
        .keys(&["kms_key_id"])
        .category(Category::Logs)
        .peers(&["CKV_AWS_294"]),
    e("aws_cloudwatch_event_bus", "events", "EventBridge", "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-at-rest.html")
        .keys(&["kms_key_identifier"]),
    e("aws_cloudwatch_event_connection", "events", "EventBridge", "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-at-rest.html")
        .keys(&["kms_key_identifier"])
        .category(Category::Secrets)
        .note("Auth parameters (stored in Secrets Manager)"),
    e("aws_cloudwatch_log_anomaly_detector", "logs", "CloudWatch Logs", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/LogsAnomalyDetection.html")
        .keys(&["kms_key_id"])
        .category(Category::Logs),
    e("aws_cloudwatch_log_group", "logs", "CloudWatch Logs", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html")
        .keys(&["kms_key_id"])
        .managed("alias/aws/logs")
        .category(Category::Logs)
        .peers(&["CKV_AWS_158", "AWS-0017", "KICS cloudwatch_log_group_not_encrypted"])
        .note("Logs always encrypted by the service")
        .absent("kms_key_id is not set: CloudWatch Logs encrypts with a key the service owns"),
    e("aws_codeartifact_domain", "codeartifact", "CodeArtifact", "https://docs.aws.amazon.com/codeartifact/latest/ug/domain-create.html")
        .keys(&["encryption_key"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/codeartifact")
        .peers(&["CKV_AWS_221"])
        .note("aws/codeartifact"),
    e("aws_codebuild_project", "codebuild", "CodeBuild", "https://docs.aws.amazon.com/codebuild/latest/userguide/security-encryption.html")
        .keys(&["encryption_key"])
        .switch("artifacts.0.encryption_disabled", &["false"], true, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3")
        .peers(&["CKV_AWS_78", "CKV_AWS_147", "CKV_AWS_311", "AWS-0018", "KICS codebuild_project_encrypted_with_aws_managed_key"])
        .note("`encryption_key` computed [P]; aws/s3"),
    e("aws_codebuild_report_group", "codebuild", "CodeBuild", "https://docs.aws.amazon.com/codebuild/latest/userguide/security-encryption.html")
        .keys(&["export_config.0.s3_destination.0.encryption_key"])
        .switch("export_config.0.s3_destination.0.encryption_disabled", &["false"], true, NoKey::Unencrypted)
        .no_key(NoKey::Required)
        .present("export_config.0.s3_destination")
        .note("`encryption_key` Required when S3 export [S]"),
    e("aws_codecommit_repository", "codecommit", "CodeCommit", "https://docs.aws.amazon.com/codecommit/latest/userguide/encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/codecommit")
        .note("aws/codecommit"),
    e("aws_codegurureviewer_repository_association", "codegurureviewer", "CodeGuru Reviewer", "https://docs.aws.amazon.com/codeguru/latest/reviewer-ug/encrypt-code-reviews.html")
        .keys(&["kms_key_details.0.kms_key_id"])
        .switch("kms_key_details.0.encryption_option", &["CUSTOMER_MANAGED_CMK"], false, NoKey::ProviderOwned)
        .peers(&["CKV_AWS_381"]),
    e("aws_codepipeline", "codepipeline", "CodePipeline", "https://docs.aws.amazon.com/codepipeline/latest/userguide/S3-artifact-encryption.html")
        .keys(&["artifact_store.0.encryption_key.0.id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3")
        .peers(&["CKV_AWS_219"])
        .note("aws/s3 for artifact store"),
    e("aws_cognito_user_pool", "cognito", "Cognito", "https://docs.aws.amazon.com/cognito/latest/developerguide/data-protection.html")
        .keys(&["lambda_config.0.kms_key_id"])
        .no_key(NoKey::Required)
        .reader(Reader::NotJudged("the KMS key encrypts only what custom sender Lambda triggers receive; the user pool itself is encrypted by Cognito with no key choice"))
        .note("Key only used for custom sender triggers"),
    e("aws_comprehend_document_classifier", "comprehend", "Comprehend", "https://docs.aws.amazon.com/comprehend/latest/dg/kms-in-comprehend.html")
        .keys(&["model_kms_key_id", "volume_kms_key_id", "output_data_config.0.kms_key_id"])
        .note("Model / volume / output"),
    e("aws_comprehend_entity_recognizer", "comprehend", "Comprehend", "https://docs.aws.amazon.com/comprehend/latest/dg/kms-in-comprehend.html")
        .keys(&["model_kms_key_id", "volume_kms_key_id"])
        .peers(&["CKV_AWS_267", "CKV_AWS_268"])
        .note("Model / volume"),
    e("aws_config_delivery_channel", "config", "AWS Config", "https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key.html")
        .keys(&["s3_kms_key_arn"])
        .category(Category::Logs)
        .note("Snapshots/history in S3"),
    e("aws_connect_instance_storage_config", "connect", "Connect", "https://docs.aws.amazon.com/connect/latest/adminguide/encryption-at-rest.html")
        .keys(&["storage_config.0.s3_config.0.encryption_config.0.key_id", "storage_config.0.kinesis_video_stream_config.0.encryption_config.0.key_id"])
        .peers(&["CKV_AWS_269", "CKV_AWS_270"])
        .note("S3 storage without encryption_config: the bucket default (SSE-S3)"),
    e("aws_customerprofiles_domain", "customerprofiles", "Customer Profiles", "https://docs.aws.amazon.com/connect/latest/adminguide/customer-profiles-encryption.html")
        .keys(&["default_encryption_key"]),
    e("aws_dataexchange_event_action", "dataexchange", "Data Exchange", "https://docs.aws.amazon.com/data-exchange/latest/userguide/encryption-at-rest.html")
        .keys(&["action.0.export_revision_to_s3.0.encryption.0.kms_key_arn"])
        .switch("action.0.export_revision_to_s3.0.encryption.0.type", &["aws:kms"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3"),
    e("aws_datazone_domain", "datazone", "DataZone", "https://docs.aws.amazon.com/datazone/latest/userguide/encryption-rest-datazone.html")
        .keys(&["kms_key_identifier"]),
    e("aws_dax_cluster", "dax", "DynamoDB Accelerator (DAX)", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html")
        .switch("server_side_encryption.0.enabled", &["true"], false, NoKey::Unencrypted)
        .peers(&["CKV_AWS_47", "AWS-0023", "KICS dax_cluster_not_encrypted"])
        .note("No CMK option (AWS-owned key when enabled)"),
    e("aws_db_instance", "rds", "RDS", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"])
        .switch("storage_encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/rds")
        .peers(&["CKV_AWS_16", "CKV_AWS_354", "AWS-0078", "AWS-0080", "KICS db_instance_storage_not_encrypted"])
        .reader(Reader::Code)
        .note("a read replica or a restore from a snapshot is encrypted as its source"),
    e("aws_db_instance_automated_backups_replication", "rds", "RDS", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/rds")
        .category(Category::Backup)
        .peers(&["CKV_AWS_245"])
        .note("Needed for encrypted sources; aws/rds in destination"),
    e("aws_db_snapshot_copy", "rds", "RDS", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::Inherited)
        .category(Category::Backup)
        .peers(&["CKV_AWS_266"])
        .note("Copy keeps source state unless `kms_key_id` set"),
    e("aws_devopsguru_service_integration", "devopsguru", "DevOps Guru", "https://docs.aws.amazon.com/devops-guru/latest/userguide/data-protection.html")
        .keys(&["kms_server_side_encryption.0.kms_key_id"])
        .switch("kms_server_side_encryption.0.type", &["CUSTOMER_MANAGED_KEY"], false, NoKey::ProviderOwned),
    e("aws_dlm_lifecycle_policy", "dlm", "Data Lifecycle Manager", "https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-lifecycle.html")
        .keys(&["policy_details.0.schedule.0.cross_region_copy_rule.0.cmk_arn", "policy_details.0.action.0.cross_region_copy.0.encryption_configuration.0.cmk_arn"])
        .switch("policy_details.0.schedule.0.cross_region_copy_rule.0.encrypted", &["true"], false, NoKey::Inherited)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("policy_details.0.schedule.0.cross_region_copy_rule")
        .category(Category::Backup)
        .peers(&["CKV_AWS_253", "CKV_AWS_254", "CKV_AWS_255", "CKV_AWS_256"])
        .note("Cross-Region copies; true without `cmk_arn` = default EBS key in target"),
    e("aws_dms_endpoint", "dms", "DMS", "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Security.html#CHAP_Security.EncryptionKey")
        .keys(&["kms_key_arn", "redshift_settings.0.server_side_encryption_kms_key_id", "s3_settings.0.server_side_encryption_kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/dms")
        .peers(&["CKV_AWS_296"])
        .note("`kms_key_arn` (connection params) computed; aws/dms"),
    e("aws_dms_replication_config", "dms", "DMS Serverless", "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Security.html#CHAP_Security.EncryptionKey")
        .keys(&["compute_config.0.kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/dms")
        .note("aws/dms"),
    e("aws_dms_replication_instance", "dms", "DMS", "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Security.html#CHAP_Security.EncryptionKey")
        .keys(&["kms_key_arn"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/dms")
        .peers(&["CKV_AWS_212"])
        .note("aws/dms"),
    e("aws_dms_s3_endpoint", "dms", "DMS", "https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Security.html#CHAP_Security.EncryptionKey")
        .keys(&["server_side_encryption_kms_key_id"])
        .switch("encryption_mode", &["SSE_KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3")
        .peers(&["CKV_AWS_298"])
        .note("`kms_key_arn` computed [P]"),
    e("aws_docdb_cluster", "docdb", "DocumentDB", "https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html")
        .keys(&["kms_key_id"])
        .switch("storage_encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/rds")
        .peers(&["CKV_AWS_74", "CKV_AWS_182", "AWS-0021", "AWS-0022", "KICS docdb_cluster_encrypted_with_aws_managed_key", "KICS docdb_cluster_not_encrypted", "KICS docdb_cluster_without_kms"])
        .note("true without key = aws/rds"),
    e("aws_docdb_cluster_instance", "docdb", "DocumentDB", "https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html")
        .keys(&["performance_insights_kms_key_id"])
        .switch("enable_performance_insights", &["true"], false, NoKey::NoStore)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/rds")
        .note("the Performance Insights data; storage is the cluster's"),
    e("aws_docdb_global_cluster", "docdb", "DocumentDB", "https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html")
        .switch("storage_encrypted", &["true"], true, NoKey::Unencrypted)
        .no_key(NoKey::Inherited)
        .peers(&["CKV_AWS_292"]),
    e("aws_docdbelastic_cluster", "docdb", "DocumentDB Elastic", "https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html")
        .keys(&["kms_key_id"]),
    e("aws_drs_replication_configuration_template", "drs", "Elastic Disaster Recovery", "https://docs.aws.amazon.com/drs/latest/userguide/replication-settings-template.html")
        .keys(&["ebs_encryption_key_arn"])
        .switch("ebs_encryption", &["CUSTOM"], false, NoKey::AwsManaged)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .category(Category::Backup)
        .note("DEFAULT = account default EBS key"),
    e("aws_dsql_cluster", "dsql", "Aurora DSQL", "https://docs.aws.amazon.com/aurora-dsql/latest/userguide/data-encryption.html")
        .keys(&["kms_encryption_key"])
        .sentinels(&["AWS_OWNED_KMS_KEY"]),
    e("aws_dynamodb_table", "dynamodb", "DynamoDB", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html")
        .keys(&["server_side_encryption.0.kms_key_arn"])
        .peers(&["CKV_AWS_119", "AWS-0025", "KICS dynamodb_table_not_encrypted"])
        .reader(Reader::Code)
        .note("server_side_encryption enabled without kms_key_arn = aws/dynamodb"),
    e("aws_dynamodb_table_export", "dynamodb", "DynamoDB", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Requesting.html")
        .keys(&["s3_sse_kms_key_id"])
        .switch("s3_sse_algorithm", &["KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3")
        .category(Category::Backup),
    e("aws_dynamodb_table_replica", "dynamodb", "DynamoDB", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html")
        .keys(&["kms_key_arn"])
        .no_key(NoKey::Inherited)
        .peers(&["CKV_AWS_271"])
        .note("Follows table; KMS replica without key = aws/dynamodb"),
    e("aws_ebs_default_kms_key", "ebs", "EC2 (EBS) account setting", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .keys(&["key_arn"])
        .no_key(NoKey::Required)
        .reader(Reader::Setting("the account/region default key EBS volumes use; read as the key of every volume that names none"))
        .note("Account/Region default key for EBS encryption"),
    e("aws_ebs_encryption_by_default", "ebs", "EC2 (EBS) account setting", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .no_key(NoKey::Unencrypted)
        .peers(&["CKV_AWS_106", "KICS ebs_default_encryption_disabled"])
        .reader(Reader::Setting("the account/region switch; read for every EBS volume and block device, and by EBS001"))
        .note("Without this resource the account default is off"),
    e("aws_ebs_snapshot_copy", "ebs", "EC2 (EBS)", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .keys(&["kms_key_id"])
        .switch("encrypted", &["true"], true, NoKey::Inherited)
        .no_key(NoKey::Inherited)
        .category(Category::Backup)
        .peers(&["CKV_AWS_183"]),
    e("aws_ebs_snapshot_import", "ebs", "EC2 (EBS)", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .keys(&["kms_key_id"])
        .switch("encrypted", &["true"], true, NoKey::Inherited)
        .no_key(NoKey::Inherited)
        .category(Category::Backup)
        .note("Account default EBS encryption applies"),
    e("aws_ebs_volume", "ebs", "EC2 (EBS)", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .keys(&["kms_key_id"])
        .switch("encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .peers(&["CKV_AWS_3", "CKV_AWS_189", "CKV2_AWS_2", "AWS-0026", "AWS-0027", "KICS ebs_volume_encryption_disabled"])
        .reader(Reader::Code)
        .note("aws_ebs_encryption_by_default (and aws_ebs_default_kms_key) in the account/region encrypts every new volume"),
    e("aws_ecr_repository", "ecr", "ECR", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html")
        .keys(&["encryption_configuration.0.kms_key"])
        .switch("encryption_configuration.0.encryption_type", &["KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ecr")
        .peers(&["CKV_AWS_136", "AWS-0033", "KICS ecr_repository_not_encrypted"])
        .reader(Reader::Code)
        .note("KMS without key = aws/ecr"),
    e("aws_ecr_repository_creation_template", "ecr", "ECR", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html")
        .keys(&["encryption_configuration.0.kms_key"])
        .switch("encryption_configuration.0.encryption_type", &["KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ecr"),
    e("aws_ecs_cluster", "ecs", "ECS", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-storage-encryption.html")
        .keys(&["configuration.0.managed_storage_configuration.0.fargate_ephemeral_storage_kms_key_id", "configuration.0.managed_storage_configuration.0.kms_key_id"])
        .peers(&["CKV_AWS_224"])
        .note("Fargate ephemeral storage"),
    e("aws_ecs_service", "ecs", "ECS", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ebs-kms-encryption.html")
        .keys(&["volume_configuration.0.managed_ebs_volume.0.kms_key_id"])
        .switch("volume_configuration.0.managed_ebs_volume.0.encrypted", &["true"], true, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("volume_configuration")
        .note("aws/ebs; `service_connect…tls.kms_key` also accepted"),
    e("aws_efs_file_system", "efs", "EFS", "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html")
        .keys(&["kms_key_id"])
        .switch("encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/elasticfilesystem")
        .peers(&["CKV_AWS_42", "CKV_AWS_184", "AWS-0037", "KICS efs_not_encrypted", "KICS efs_without_kms"])
        .note("true without key = aws/elasticfilesystem"),
    e("aws_efs_replication_configuration", "efs", "EFS", "https://docs.aws.amazon.com/efs/latest/ug/efs-replication.html")
        .keys(&["destination.0.kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/elasticfilesystem")
        .note("aws/elasticfilesystem"),
    e("aws_eks_cluster", "eks", "EKS", "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html")
        .keys(&["encryption_config.0.provider.0.key_arn"])
        .category(Category::Secrets)
        .peers(&["CKV_AWS_58", "AWS-0039", "KICS eks_cluster_encryption_disabled"])
        .note("Kubernetes secrets: no envelope encryption with a key of yours"),
    e("aws_elasticache_replication_group", "elasticache", "ElastiCache", "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html")
        .keys(&["kms_key_id"])
        .switch("at_rest_encryption_enabled", &["true"], false, NoKey::Unencrypted)
        .peers(&["CKV_AWS_29", "CKV_AWS_191", "AWS-0045", "KICS elasticache_replication_group_not_encrypted_at_rest"])
        .reader(Reader::Code)
        .note("at_rest_encryption_enabled defaults to true for Valkey; without kms_key_id the service's own key"),
    e("aws_elasticache_serverless_cache", "elasticache", "ElastiCache Serverless", "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html")
        .keys(&["kms_key_id"])
        .note("Always encrypted"),
    e("aws_elasticsearch_domain", "opensearch", "OpenSearch (legacy Elasticsearch)", "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html")
        .keys(&["encrypt_at_rest.0.kms_key_id"])
        .switch("encrypt_at_rest.0.enabled", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/es")
        .peers(&["CKV_AWS_5", "CKV_AWS_247", "AWS-0048", "KICS elasticsearch_encryption_with_kms_is_disabled", "KICS elasticsearch_not_encrypted_at_rest"])
        .note("enabled without key = aws/es"),
    e("aws_elastictranscoder_pipeline", "elastictranscoder", "Elastic Transcoder", "https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/encryption.html")
        .keys(&["aws_kms_key_arn"])
        .note("Service being discontinued"),
    e("aws_emr_cluster", "emr", "EMR", "https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html")
        .keys(&["log_encryption_kms_key_id"])
        .category(Category::Logs)
        .peers(&["CKV2_AWS_55"])
        .note("the cluster's log files in S3; its data is the security configuration's (aws_emr_security_configuration)"),
    e("aws_emr_security_configuration", "emr", "EMR", "https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html")
        .no_key(NoKey::Unencrypted)
        .peers(&["CKV_AWS_171", "CKV_AWS_349", "CKV_AWS_350", "AWS-0137", "AWS-0139"])
        .reader(Reader::Code)
        .note("JSON configuration: EnableAtRestEncryption and the S3 encryption mode and AwsKmsKey"),
    e("aws_emr_studio", "emr", "EMR Studio", "https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html")
        .keys(&["encryption_key_arn"])
        .note("Workspace/notebook files in S3"),
    e("aws_emrcontainers_job_template", "emr", "EMR on EKS", "https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-data-encryption-options.html")
        .keys(&["kms_key_arn"]),
    e("aws_finspace_kx_environment", "finspace", "FinSpace", "https://docs.aws.amazon.com/finspace/latest/userguide/data-protection.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::Required),
    e("aws_fsx_file_cache", "fsx", "FSx File Cache", "https://docs.aws.amazon.com/fsx/latest/FileCacheGuide/encryption-at-rest.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/fsx")
        .note("aws/fsx"),
    e("aws_fsx_lustre_file_system", "fsx", "FSx for Lustre", "https://docs.aws.amazon.com/fsx/latest/LustreGuide/encryption-at-rest.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/fsx")
        .peers(&["CKV_AWS_190"])
        .note("Always encrypted; aws/fsx for persistent"),
    e("aws_fsx_ontap_file_system", "fsx", "FSx for NetApp ONTAP", "https://docs.aws.amazon.com/fsx/latest/ONTAPGuide/encryption-at-rest.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/fsx")
        .peers(&["CKV_AWS_178"])
        .note("aws/fsx"),
    e("aws_fsx_openzfs_file_system", "fsx", "FSx for OpenZFS", "https://docs.aws.amazon.com/fsx/latest/OpenZFSGuide/encryption-at-rest.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/fsx")
        .peers(&["CKV_AWS_203"])
        .note("aws/fsx"),
    e("aws_fsx_windows_file_system", "fsx", "FSx for Windows", "https://docs.aws.amazon.com/fsx/latest/WindowsGuide/encryption-at-rest.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/fsx")
        .peers(&["CKV_AWS_179"])
        .note("aws/fsx"),
    e("aws_glue_data_catalog_encryption_settings", "glue", "Glue Data Catalog", "https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html")
        .keys(&["data_catalog_encryption_settings.0.encryption_at_rest.0.sse_aws_kms_key_id"])
        .switch("data_catalog_encryption_settings.0.encryption_at_rest.0.catalog_encryption_mode", &["SSE-KMS", "SSE-KMS-WITH-SERVICE-ROLE"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/glue")
        .peers(&["CKV_AWS_94", "KICS glue_data_catalog_encryption_disabled"])
        .note("Catalog metadata not encrypted unless set"),
    e("aws_glue_security_configuration", "glue", "Glue", "https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html")
        .keys(&["encryption_configuration.0.s3_encryption.0.kms_key_arn"])
        .switch("encryption_configuration.0.s3_encryption.0.s3_encryption_mode", &["SSE-KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::Required)
        .peers(&["CKV_AWS_99", "KICS glue_security_configuration_encryption_disabled"])
        .note("S3 output; DISABLED or SSE-S3 leaves the bucket default (SSE-S3)"),
    e("aws_guardduty_publishing_destination", "guardduty", "GuardDuty", "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_exportfindings.html")
        .keys(&["kms_key_arn"])
        .no_key(NoKey::Required)
        .category(Category::Logs),
    e("aws_imagebuilder_component", "imagebuilder", "EC2 Image Builder", "https://docs.aws.amazon.com/imagebuilder/latest/userguide/data-protection.html")
        .keys(&["kms_key_id"])
        .peers(&["CKV_AWS_180"]),
    e("aws_imagebuilder_container_recipe", "imagebuilder", "EC2 Image Builder", "https://docs.aws.amazon.com/imagebuilder/latest/userguide/data-protection.html")
        .keys(&["kms_key_id", "instance_configuration.0.block_device_mapping.0.ebs.0.kms_key_id"])
        .note("Recipe key + build-instance EBS"),
    e("aws_imagebuilder_distribution_configuration", "imagebuilder", "EC2 Image Builder", "https://docs.aws.amazon.com/imagebuilder/latest/userguide/data-protection.html")
        .keys(&["distribution.0.ami_distribution_configuration.0.kms_key_id"])
        .no_key(NoKey::Inherited)
        .peers(&["CKV_AWS_199"])
        .note("Distributed AMI copies"),
    e("aws_imagebuilder_image_recipe", "imagebuilder", "EC2 Image Builder", "https://docs.aws.amazon.com/imagebuilder/latest/userguide/data-protection.html")
        .keys(&["block_device_mapping.0.ebs.0.kms_key_id"])
        .switch("block_device_mapping.0.ebs.0.encrypted", &["true"], true, NoKey::Unencrypted)
        .no_key(NoKey::Inherited)
        .present("block_device_mapping")
        .peers(&["CKV_AWS_200"]),
    e("aws_imagebuilder_workflow", "imagebuilder", "EC2 Image Builder", "https://docs.aws.amazon.com/imagebuilder/latest/userguide/data-protection.html")
        .keys(&["kms_key_id"]),
    e("aws_instance", "ebs", "EC2", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .keys(&["root_block_device.0.kms_key_id", "ebs_block_device.0.kms_key_id"])
        .switch("root_block_device.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .peers(&["CKV_AWS_8", "AWS-0131", "KICS block_device_is_not_encrypted"])
        .reader(Reader::Code)
        .note("one store per block device; the account default EBS encryption applies"),
    e("aws_kendra_index", "kendra", "Kendra", "https://docs.aws.amazon.com/kendra/latest/dg/encryption-at-rest.html")
        .keys(&["server_side_encryption_configuration.0.kms_key_id"])
        .peers(&["CKV_AWS_262"]),
    e("aws_keyspaces_table", "keyspaces", "Keyspaces", "https://docs.aws.amazon.com/keyspaces/latest/devguide/EncryptionAtRest.html")
        .keys(&["encryption_specification.0.kms_key_identifier"])
        .switch("encryption_specification.0.type", &["CUSTOMER_MANAGED_KMS_KEY"], false, NoKey::ProviderOwned)
        .peers(&["CKV_AWS_265"]),
    e("aws_kinesis_firehose_delivery_stream", "firehose", "Data Firehose", "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html")
        .keys(&["server_side_encryption.0.key_arn"])
        .switch("server_side_encryption.0.enabled", &["true"], false, NoKey::Unencrypted)
        .peers(&["CKV_AWS_240", "CKV_AWS_241", "KICS kinesis_sse_not_configured"])
        .note("the stream's buffer; each destination has its own key"),
    e("aws_kinesis_stream", "kinesis", "Kinesis Data Streams", "https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html")
        .keys(&["kms_key_id"])
        .switch("encryption_type", &["KMS"], false, NoKey::Unencrypted)
        .no_key(NoKey::Unencrypted)
        .peers(&["CKV_AWS_43", "CKV_AWS_185", "AWS-0064", "KICS kinesis_not_encrypted_with_kms"])
        .reader(Reader::Code)
        .note("encryption_type = KMS without kms_key_id names no key: StartStreamEncryption requires one, and the stream stays unencrypted"),
    e("aws_kinesis_video_stream", "kinesisvideo", "Kinesis Video Streams", "https://docs.aws.amazon.com/kinesisvideostreams/latest/dg/how-kms.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/kinesisvideo")
        .peers(&["CKV_AWS_177"])
        .note("aws/kinesisvideo"),
    e("aws_lambda_event_source_mapping", "lambda", "Lambda", "https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-encryption")
        .keys(&["kms_key_arn"])
        .note("Filter criteria"),
    e("aws_lambda_function", "lambda", "Lambda", "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html")
        .keys(&["kms_key_arn"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/lambda")
        .peers(&["CKV_AWS_173"])
        .note("environment variables"),
    e("aws_launch_configuration", "ebs", "EC2 Auto Scaling", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .switch("root_block_device.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .peers(&["CKV_AWS_8", "AWS-0008", "KICS launch_configuration_is_not_encrypted", "KICS block_device_is_not_encrypted"])
        .reader(Reader::Code)
        .note("one store per block device; no key argument"),
    e("aws_launch_template", "ebs", "EC2", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .keys(&["block_device_mappings.0.ebs.0.kms_key_id"])
        .switch("block_device_mappings.0.ebs.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .reader(Reader::Code)
        .note("one store per block device mapping with an ebs block"),
    e("aws_lex_bot_alias", "lex", "Lex (v1)", "https://docs.aws.amazon.com/lex/latest/dg/conversation-logs-encrypting.html")
        .keys(&["conversation_logs.0.log_settings.0.kms_key_arn"])
        .note("Audio conversation logs in S3"),
    e("aws_location_geofence_collection", "location", "Location Service", "https://docs.aws.amazon.com/location/latest/developerguide/encryption-at-rest.html")
        .keys(&["kms_key_id"]),
    e("aws_location_tracker", "location", "Location Service", "https://docs.aws.amazon.com/location/latest/developerguide/encryption-at-rest.html")
        .keys(&["kms_key_id"]),
    e("aws_m2_application", "m2", "Mainframe Modernization", "https://docs.aws.amazon.com/m2/latest/userguide/data-protection.html")
        .keys(&["kms_key_id"]),
    e("aws_m2_environment", "m2", "Mainframe Modernization", "https://docs.aws.amazon.com/m2/latest/userguide/data-protection.html")
        .keys(&["kms_key_id"]),
    e("aws_macie2_classification_export_configuration", "macie2", "Macie", "https://docs.aws.amazon.com/macie/latest/user/discovery-results-repository-s3.html")
        .keys(&["s3_destination.0.kms_key_arn"])
        .no_key(NoKey::Required)
        .category(Category::Logs),
    e("aws_memorydb_cluster", "memorydb", "MemoryDB", "https://docs.aws.amazon.com/memorydb/latest/devguide/at-rest-encryption.html")
        .keys(&["kms_key_arn"])
        .peers(&["CKV_AWS_201"]),
    e("aws_memorydb_snapshot", "memorydb", "MemoryDB", "https://docs.aws.amazon.com/memorydb/latest/devguide/at-rest-encryption.html")
        .keys(&["kms_key_arn"])
        .no_key(NoKey::Inherited)
        .category(Category::Backup)
        .peers(&["CKV_AWS_278"]),
    e("aws_mq_broker", "mq", "Amazon MQ", "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/data-protection.html")
        .keys(&["encryption_options.0.kms_key_id"])
        .switch("encryption_options.0.use_aws_owned_key", &["false"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/mq")
        .peers(&["CKV_AWS_209", "KICS amazon_mq_broker_encryption_disabled"]),
    e("aws_msk_cluster", "msk", "MSK", "https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html")
        .keys(&["encryption_info.0.encryption_at_rest_kms_key_arn"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/kafka")
        .peers(&["CKV_AWS_81", "AWS-0179", "KICS msk_cluster_encryption_disabled"])
        .note("aws/kafka"),
    e("aws_mwaa_environment", "mwaa", "MWAA", "https://docs.aws.amazon.com/mwaa/latest/userguide/encryption-at-rest.html")
        .keys(&["kms_key"]),
    e("aws_neptune_cluster", "neptune", "Neptune", "https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html")
        .keys(&["kms_key_arn"])
        .switch("storage_encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/rds")
        .peers(&["CKV_AWS_44", "CKV_AWS_347", "AWS-0076", "AWS-0128", "KICS neptune_database_cluster_encryption_disabled"])
        .note("true without key = aws/rds"),
    e("aws_neptune_global_cluster", "neptune", "Neptune", "https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html")
        .switch("storage_encrypted", &["true"], true, NoKey::Unencrypted)
        .no_key(NoKey::Inherited),
    e("aws_neptunegraph_graph", "neptune-graph", "Neptune Analytics", "https://docs.aws.amazon.com/neptune-analytics/latest/userguide/security-data-protection.html")
        .keys(&["kms_key_identifier"]),
    e("aws_networkfirewall_firewall", "networkfirewall", "Network Firewall", "https://docs.aws.amazon.com/network-firewall/latest/developerguide/kms-encryption-at-rest.html")
        .keys(&["encryption_configuration.0.key_id"])
        .switch("encryption_configuration.0.type", &["CUSTOMER_KMS"], false, NoKey::ProviderOwned)
        .peers(&["CKV_AWS_345"]),
    e("aws_networkfirewall_firewall_policy", "networkfirewall", "Network Firewall", "https://docs.aws.amazon.com/network-firewall/latest/developerguide/kms-encryption-at-rest.html")
        .keys(&["encryption_configuration.0.key_id"])
        .switch("encryption_configuration.0.type", &["CUSTOMER_KMS"], false, NoKey::ProviderOwned)
        .peers(&["CKV_AWS_346"]),
    e("aws_networkfirewall_rule_group", "networkfirewall", "Network Firewall", "https://docs.aws.amazon.com/network-firewall/latest/developerguide/kms-encryption-at-rest.html")
        .keys(&["encryption_configuration.0.key_id"])
        .switch("encryption_configuration.0.type", &["CUSTOMER_KMS"], false, NoKey::ProviderOwned)
        .peers(&["CKV_AWS_345"]),
    e("aws_networkfirewall_tls_inspection_configuration", "networkfirewall", "Network Firewall", "https://docs.aws.amazon.com/network-firewall/latest/developerguide/kms-encryption-at-rest.html")
        .keys(&["encryption_configuration.0.key_id"])
        .switch("encryption_configuration.0.type", &["CUSTOMER_KMS"], false, NoKey::ProviderOwned),
    e("aws_opensearch_domain", "opensearch", "OpenSearch Service", "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html")
        .keys(&["encrypt_at_rest.0.kms_key_id"])
        .switch("encrypt_at_rest.0.enabled", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/es")
        .peers(&["CKV_AWS_5", "CKV_AWS_247", "AWS-0048"])
        .note("enabled without key = aws/es"),
    e("aws_opensearchserverless_security_policy", "aoss", "OpenSearch Serverless", "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html")
        .reader(Reader::Code)
        .note("encryption policies (type = encryption): JSON AWSOwnedKey / KmsARN"),
    e("aws_opsworks_custom_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_ecs_cluster_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_ganglia_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_haproxy_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_java_app_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_memcached_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_mysql_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_nodejs_app_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_php_app_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_rails_app_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_opsworks_static_web_layer", "opsworks", "OpsWorks Stacks (EOL 2024-05-26)", "https://docs.aws.amazon.com/opsworks/latest/userguide/workinglayers-basics-edit.html")
        .switch("ebs_volume.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("ebs_volume")
        .note("No key argument"),
    e("aws_osis_pipeline", "osis", "OpenSearch Ingestion", "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/osis-features-overview.html")
        .keys(&["encryption_at_rest_options.0.kms_key_arn"])
        .note("Block absent = AWS-owned key"),
    e("aws_pipes_pipe", "pipes", "EventBridge Pipes", "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-pipes-cmkey.html")
        .keys(&["kms_key_identifier"]),
    e("aws_prometheus_workspace", "prometheus", "Managed Prometheus", "https://docs.aws.amazon.com/prometheus/latest/userguide/encryption-at-rest-Amazon-Service-Prometheus.html")
        .keys(&["kms_key_arn"]),
    e("aws_qbusiness_application", "qbusiness", "Q Business", "https://docs.aws.amazon.com/amazonq/latest/qbusiness-ug/data-encryption.html")
        .keys(&["encryption_configuration.0.kms_key_id"])
        .note("Block absent = AWS-owned key"),
    e("aws_qldb_ledger", "qldb", "QLDB", "https://docs.aws.amazon.com/qldb/latest/developerguide/encryption-at-rest.html")
        .keys(&["kms_key"])
        .sentinels(&["AWS_OWNED_KMS_KEY"])
        .note("AWS_OWNED_KMS_KEY"),
    e("aws_rds_cluster", "rds", "RDS (Aurora)", "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"])
        .switch("storage_encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/rds")
        .peers(&["CKV_AWS_96", "CKV_AWS_327", "AWS-0079", "KICS aurora_with_disabled_at_rest_encryption", "KICS rds_storage_not_encrypted"])
        .reader(Reader::Code)
        .note("Aurora clusters that set neither storage_encrypted nor kms_key_id get an AWS-owned key (new clusters since 18 February 2026); engine_mode = serverless (Aurora Serverless v1) is always encrypted, aws/rds without a key; Multi-AZ DB clusters (mysql, postgres) are off by default"),
    e("aws_rds_cluster_activity_stream", "rds", "RDS (Aurora)", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::Required)
        .peers(&["CKV_AWS_246"]),
    e("aws_rds_cluster_instance", "rds", "RDS (Aurora)", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["performance_insights_kms_key_id"])
        .switch("performance_insights_enabled", &["true"], false, NoKey::NoStore)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/rds")
        .peers(&["CKV_AWS_354", "AWS-0078"])
        .note("the Performance Insights data; storage is the cluster's"),
    e("aws_rds_cluster_snapshot_copy", "rds", "RDS (Aurora)", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::Inherited)
        .category(Category::Backup),
    e("aws_rds_custom_db_engine_version", "rds", "RDS Custom", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::Required)
        .note("Needed for RDS Custom for Oracle CEVs"),
    e("aws_rds_export_task", "rds", "RDS", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::Required)
        .note("Snapshot export to S3"),
    e("aws_rds_global_cluster", "rds", "RDS (Aurora)", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .switch("storage_encrypted", &["true"], true, NoKey::Unencrypted)
        .no_key(NoKey::Inherited)
        .peers(&["CKV_AWS_140"]),
    e("aws_rds_integration", "rds", "RDS zero-ETL", "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html")
        .keys(&["kms_key_id"]),
    e("aws_redshift_cluster", "redshift", "Redshift", "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html")
        .keys(&["kms_key_id", "master_password_secret_kms_key_id"])
        .switch("encrypted", &["true"], true, NoKey::Unencrypted)
        .peers(&["CKV_AWS_64", "CKV_AWS_142", "AWS-0084", "KICS redshift_not_encrypted"])
        .reader(Reader::Code)
        .note("AWS encrypts every new provisioned cluster by default since 10 January 2025 (AWS-owned key); encrypted = true without kms_key_id = aws/redshift"),
    e("aws_redshift_integration", "redshift", "Redshift zero-ETL", "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html")
        .keys(&["kms_key_id"]),
    e("aws_redshift_snapshot_copy_grant", "redshift", "Redshift", "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/redshift")
        .category(Category::Backup)
        .peers(&["CKV_AWS_281"])
        .note("Cross-Region snapshot copies"),
    e("aws_redshiftserverless_namespace", "redshift", "Redshift Serverless", "https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-workgroups-and-namespaces.html")
        .keys(&["admin_password_secret_kms_key_id", "kms_key_id"])
        .peers(&["CKV_AWS_282"]),
    e("aws_rekognition_stream_processor", "rekognition", "Rekognition", "https://docs.aws.amazon.com/rekognition/latest/dg/encryption.html")
        .keys(&["kms_key_id"]),
    e("aws_s3_bucket", "s3", "S3", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html")
        .keys(&["server_side_encryption_configuration.0.rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"])
        .peers(&["CKV_AWS_19", "CKV_AWS_145", "AWS-0132"])
        .reader(Reader::Code)
        .note("SSE-S3 for every new object since January 2023; the separate aws_s3_bucket_server_side_encryption_configuration is read with it"),
    e("aws_s3_bucket_inventory", "s3", "S3", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html")
        .keys(&["destination.0.bucket.0.encryption.0.sse_kms.0.key_id"]),
    e("aws_s3_bucket_object", "s3", "S3 (deprecated type)", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html")
        .keys(&["kms_key_id"])
        .switch("server_side_encryption", &["aws:kms", "aws:kms:dsse"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3")
        .peers(&["CKV_AWS_186", "KICS s3_bucket_object_not_encrypted"])
        .note("without server_side_encryption and kms_key_id, the default encryption of its bucket: that bucket's reading when it is in the input, else SSE-S3"),
    e("aws_s3_bucket_replication_configuration", "s3", "S3", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html")
        .keys(&["rule.0.destination.0.encryption_configuration.0.replica_kms_key_id"])
        .no_key(NoKey::Inherited)
        .note("Replicas of SSE-KMS objects need `replica_kms_key_id`"),
    e("aws_s3_bucket_server_side_encryption_configuration", "s3", "S3", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html")
        .keys(&["rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"])
        .peers(&["CKV_AWS_19", "CKV_AWS_145", "AWS-0132"])
        .reader(Reader::Setting("the default encryption of the bucket it names; read as part of that aws_s3_bucket")),
    e("aws_s3_object", "s3", "S3", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html")
        .keys(&["kms_key_id"])
        .switch("server_side_encryption", &["aws:kms", "aws:kms:dsse"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3")
        .note("without server_side_encryption and kms_key_id, the default encryption of its bucket: that bucket's reading when it is in the input, else SSE-S3"),
    e("aws_s3_object_copy", "s3", "S3", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html")
        .keys(&["kms_key_id"])
        .switch("server_side_encryption", &["aws:kms", "aws:kms:dsse"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3")
        .peers(&["CKV_AWS_181"])
        .note("without server_side_encryption and kms_key_id, the default encryption of its bucket: that bucket's reading when it is in the input, else SSE-S3"),
    e("aws_s3control_storage_lens_configuration", "s3", "S3 Storage Lens", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html")
        .keys(&["storage_lens_configuration.0.data_export.0.s3_bucket_destination.0.encryption.0.sse_kms.0.key_id"])
        .note("Metrics export"),
    e("aws_s3tables_table", "s3tables", "S3 Tables", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-encryption.html")
        .keys(&["encryption_configuration.kms_key_arn"])
        .switch("encryption_configuration.sse_algorithm", &["aws:kms"], true, NoKey::ProviderOwned)
        .no_key(NoKey::Inherited)
        .note("Defaults to table bucket setting"),
    e("aws_s3tables_table_bucket", "s3tables", "S3 Tables", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-encryption.html")
        .keys(&["encryption_configuration.kms_key_arn"])
        .switch("encryption_configuration.sse_algorithm", &["aws:kms"], false, NoKey::ProviderOwned),
    e("aws_sagemaker_data_quality_job_definition", "sagemaker", "SageMaker", "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html")
        .keys(&["data_quality_job_output_config.0.kms_key_id", "job_resources.0.cluster_config.0.volume_kms_key_id"])
        .peers(&["CKV_AWS_367", "CKV_AWS_368"])
        .note("Output / volume keys"),
    e("aws_sagemaker_device_fleet", "sagemaker", "SageMaker Edge", "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html")
        .keys(&["output_config.0.kms_key_id"])
        .note("Output in S3"),
    e("aws_sagemaker_domain", "sagemaker", "SageMaker", "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-studio.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/elasticfilesystem")
        .peers(&["CKV_AWS_187"])
        .note("the domain's EFS volume"),
    e("aws_sagemaker_endpoint_configuration", "sagemaker", "SageMaker", "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html")
        .keys(&["kms_key_arn"])
        .peers(&["CKV_AWS_98", "KICS sagemaker_endpoint_configuration_encryption_disabled"])
        .note("ML storage volume, async output, data capture"),
    e("aws_sagemaker_feature_group", "sagemaker", "SageMaker Feature Store", "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html")
        .keys(&["online_store_config.0.security_config.0.kms_key_id", "offline_store_config.0.s3_storage_config.0.kms_key_id"])
        .note("Online store; offline store in S3"),
    e("aws_sagemaker_flow_definition", "sagemaker", "SageMaker (A2I)", "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html")
        .keys(&["output_config.0.kms_key_id"])
        .peers(&["CKV_AWS_372"])
        .note("Output in S3"),
    e("aws_sagemaker_notebook_instance", "sagemaker", "SageMaker", "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html")
        .keys(&["kms_key_id"])
        .peers(&["CKV_AWS_22", "CKV_AWS_187", "KICS sagemaker_notebook_instance_without_kms"])
        .note("ML storage volume"),
    e("aws_sagemaker_user_profile", "sagemaker", "SageMaker", "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html")
        .keys(&["user_settings.0.sharing_settings.0.s3_kms_key_id", "user_settings.0.canvas_app_settings.0.workspace_settings.0.s3_kms_key_id"])
        .note("S3 sharing / Canvas workspace"),
    e("aws_scheduler_schedule", "scheduler", "EventBridge Scheduler", "https://docs.aws.amazon.com/scheduler/latest/UserGuide/encryption-rest.html")
        .keys(&["kms_key_arn"])
        .peers(&["CKV_AWS_297"]),
    e("aws_secretsmanager_secret", "secretsmanager", "Secrets Manager", "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/secretsmanager")
        .category(Category::Secrets)
        .peers(&["CKV_AWS_149", "AWS-0098", "KICS secretsmanager_secret_encrypted_with_aws_managed_key", "KICS secretsmanager_secret_without_kms"])
        .note("aws/secretsmanager")
        .absent("kms_key_id is not set: the AWS-managed key aws/secretsmanager"),
    e("aws_securitylake_data_lake", "securitylake", "Security Lake", "https://docs.aws.amazon.com/security-lake/latest/userguide/data-protection.html")
        .keys(&["configuration.0.encryption_configuration.0.kms_key_id"])
        .sentinels(&["S3_MANAGED_KEY"])
        .category(Category::Logs)
        .note("S3_MANAGED_KEY"),
    e("aws_ses_receipt_rule", "ses", "SES", "https://docs.aws.amazon.com/ses/latest/dg/receiving-email-action-s3.html")
        .keys(&["s3_action.0.kms_key_arn"])
        .present("s3_action")
        .note("Bucket default applies"),
    e("aws_sfn_activity", "sfn", "Step Functions", "https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html")
        .keys(&["encryption_configuration.0.kms_key_id"])
        .switch("encryption_configuration.0.type", &["CUSTOMER_MANAGED_KMS_KEY"], false, NoKey::ProviderOwned),
    e("aws_sfn_state_machine", "sfn", "Step Functions", "https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html")
        .keys(&["encryption_configuration.0.kms_key_id"])
        .switch("encryption_configuration.0.type", &["CUSTOMER_MANAGED_KMS_KEY"], false, NoKey::ProviderOwned),
    e("aws_sns_topic", "sns", "SNS", "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html")
        .keys(&["kms_master_key_id"])
        .no_key(NoKey::Unencrypted)
        .managed("alias/aws/sns")
        .peers(&["CKV_AWS_26", "AWS-0095", "AWS-0136", "KICS sns_topic_encrypted_with_aws_managed_key", "KICS sns_topic_not_encrypted"])
        .note("alias/aws/sns = AWS-managed")
        .absent("kms_master_key_id is not set: SNS does not encrypt the topic"),
    e("aws_spot_fleet_request", "ebs", "EC2 Spot", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .keys(&["launch_specification.0.root_block_device.0.kms_key_id"])
        .switch("launch_specification.0.root_block_device.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .present("launch_specification")
        .note("the first launch specification's root volume"),
    e("aws_spot_instance_request", "ebs", "EC2 Spot", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html")
        .keys(&["root_block_device.0.kms_key_id", "ebs_block_device.0.kms_key_id"])
        .switch("root_block_device.0.encrypted", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ebs")
        .reader(Reader::Code)
        .note("one store per block device, as aws_instance"),
    e("aws_sqs_queue", "sqs", "SQS", "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html")
        .keys(&["kms_master_key_id"])
        .switch("sqs_managed_sse_enabled", &["true"], true, NoKey::Unencrypted)
        .peers(&["CKV_AWS_27", "CKV2_AWS_73", "AWS-0096", "AWS-0135", "KICS sqs_with_sse_disabled"])
        .reader(Reader::Code)
        .note("SSE-SQS by default"),
    e("aws_ssm_document", "ssm", "Systems Manager", "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-enable-encryption.html")
        .no_key(NoKey::Unencrypted)
        .category(Category::Logs)
        .peers(&["CKV_AWS_113"])
        .reader(Reader::Code)
        .note("Session Manager preferences (document_type Session): JSON inputs.kmsKeyId; other documents hold no session data"),
    e("aws_ssm_parameter", "ssm", "Systems Manager Parameter Store", "https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html")
        .keys(&["key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/ssm")
        .category(Category::Secrets)
        .peers(&["CKV_AWS_337", "CKV2_AWS_34"])
        .reader(Reader::Code)
        .note("SecureString parameters only; String and StringList are plain text by choice"),
    e("aws_ssm_resource_data_sync", "ssm", "Systems Manager", "https://docs.aws.amazon.com/systems-manager/latest/userguide/data-protection.html")
        .keys(&["s3_destination.0.kms_key_arn"])
        .note("Inventory sync to S3"),
    e("aws_ssmincidents_replication_set", "ssm-incidents", "Incident Manager", "https://docs.aws.amazon.com/incident-manager/latest/userguide/data-protection.html")
        .keys(&["region.0.kms_key_arn"])
        .sentinels(&["DefaultKey"]),
    e("aws_storagegateway_cached_iscsi_volume", "storagegateway", "Storage Gateway", "https://docs.aws.amazon.com/storagegateway/latest/userguide/encryption.html")
        .keys(&["kms_key"])
        .switch("kms_encrypted", &["true"], false, NoKey::ProviderOwned)
        .no_key(NoKey::Required),
    e("aws_storagegateway_nfs_file_share", "storagegateway", "Storage Gateway", "https://docs.aws.amazon.com/storagegateway/latest/userguide/encryption.html")
        .keys(&["kms_key_arn"])
        .switch("kms_encrypted", &["true"], false, NoKey::ProviderOwned)
        .no_key(NoKey::Required),
    e("aws_storagegateway_smb_file_share", "storagegateway", "Storage Gateway", "https://docs.aws.amazon.com/storagegateway/latest/userguide/encryption.html")
        .keys(&["kms_key_arn"])
        .switch("kms_encrypted", &["true"], false, NoKey::ProviderOwned)
        .no_key(NoKey::Required),
    e("aws_storagegateway_stored_iscsi_volume", "storagegateway", "Storage Gateway", "https://docs.aws.amazon.com/storagegateway/latest/userguide/encryption.html")
        .keys(&["kms_key"])
        .switch("kms_encrypted", &["true"], false, NoKey::ProviderOwned)
        .no_key(NoKey::Required),
    e("aws_synthetics_canary", "synthetics", "CloudWatch Synthetics", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_artifact_encryption.html")
        .keys(&["artifact_config.0.s3_encryption.0.kms_key_arn"])
        .switch("artifact_config.0.s3_encryption.0.encryption_mode", &["SSE_KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/s3"),
    e("aws_timestreamquery_scheduled_query", "timestream", "Timestream", "https://docs.aws.amazon.com/timestream/latest/developerguide/EncryptionAtRest.html")
        .keys(&["kms_key_id"]),
    e("aws_timestreamwrite_database", "timestream", "Timestream", "https://docs.aws.amazon.com/timestream/latest/developerguide/EncryptionAtRest.html")
        .keys(&["kms_key_id"])
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/timestream")
        .peers(&["CKV_AWS_160"])
        .note("aws/timestream"),
    e("aws_timestreamwrite_table", "timestream", "Timestream", "https://docs.aws.amazon.com/timestream/latest/developerguide/EncryptionAtRest.html")
        .keys(&["magnetic_store_write_properties.0.magnetic_store_rejected_data_location.0.s3_configuration.0.kms_key_id"])
        .reader(Reader::NotJudged("the table's data is under its database's key (judged on aws_timestreamwrite_database); its key argument covers only rejected records written to S3"))
        .note("Rejected-records S3 location"),
    e("aws_verifiedaccess_endpoint", "verifiedaccess", "Verified Access", "https://docs.aws.amazon.com/verified-access/latest/ug/data-protection.html")
        .keys(&["sse_specification.0.kms_key_arn"])
        .switch("sse_specification.0.customer_managed_key_enabled", &["true"], false, NoKey::ProviderOwned),
    e("aws_verifiedaccess_group", "verifiedaccess", "Verified Access", "https://docs.aws.amazon.com/verified-access/latest/ug/data-protection.html")
        .keys(&["sse_configuration.0.kms_key_arn"])
        .switch("sse_configuration.0.customer_managed_key_enabled", &["true"], false, NoKey::ProviderOwned),
    e("aws_verifiedaccess_trust_provider", "verifiedaccess", "Verified Access", "https://docs.aws.amazon.com/verified-access/latest/ug/data-protection.html")
        .keys(&["sse_specification.0.kms_key_arn"])
        .switch("sse_specification.0.customer_managed_key_enabled", &["true"], false, NoKey::ProviderOwned),
    e("aws_workspaces_workspace", "workspaces", "WorkSpaces", "https://docs.aws.amazon.com/workspaces/latest/adminguide/encrypt-workspaces.html")
        .keys(&["volume_encryption_key"])
        .switch("user_volume_encryption_enabled", &["true"], false, NoKey::Unencrypted)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/workspaces")
        .peers(&["CKV_AWS_155", "CKV_AWS_156", "AWS-0109", "KICS workspaces_workspace_volume_not_encrypted"])
        .reader(Reader::Code)
        .note("one store per volume: root_volume_encryption_enabled and user_volume_encryption_enabled, one key"),
    e("aws_workspacesweb_browser_settings", "workspaces-web", "WorkSpaces Secure Browser", "https://docs.aws.amazon.com/workspaces-web/latest/adminguide/data-protection.html")
        .keys(&["customer_managed_key"]),
    e("aws_workspacesweb_data_protection_settings", "workspaces-web", "WorkSpaces Secure Browser", "https://docs.aws.amazon.com/workspaces-web/latest/adminguide/data-protection.html")
        .keys(&["customer_managed_key"]),
    e("aws_workspacesweb_ip_access_settings", "workspaces-web", "WorkSpaces Secure Browser", "https://docs.aws.amazon.com/workspaces-web/latest/adminguide/data-protection.html")
        .keys(&["customer_managed_key"]),
    e("aws_workspacesweb_user_settings", "workspaces-web", "WorkSpaces Secure Browser", "https://docs.aws.amazon.com/workspaces-web/latest/adminguide/data-protection.html")
        .keys(&["customer_managed_key"]),
    e("aws_xray_encryption_config", "xray", "X-Ray (account setting)", "https://docs.aws.amazon.com/xray/latest/devguide/xray-console-encryption.html")
        .keys(&["key_id"])
        .switch("type", &["KMS"], false, NoKey::ProviderOwned)
        .no_key(NoKey::AwsManaged)
        .managed("alias/aws/xray")
        .note("NONE = X-Ray default encryption"),
];

/// Where the census (`aws-store-census.md`, 2026-12-04) is wrong or incomplete, what the
/// catalogue says instead, and the source.
pub static CENSUS_CORRECTIONS: [(&str, &str, &str); 8] = [
    (
        "aws_redshift_cluster",
        "Census: unencrypted without `encrypted` (provider 5.100 sends false). AWS encrypts every new provisioned cluster by default; nothing set reads as an AWS-owned key, `encrypted = true` without a key as aws/redshift.",
        "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
    ),
    (
        "aws_rds_cluster",
        "Census: unencrypted unless `storage_encrypted`. Aurora encrypts clusters created since 18 February 2026 with an AWS-owned key by default, and Aurora Serverless v1 (`engine_mode = \"serverless\"`) is always encrypted, even with `storage_encrypted = false` (aws/rds without a key).",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless.html",
    ),
    (
        "aws_kinesis_stream",
        "Census: `encryption_type = \"KMS\"` without a key = alias/aws/kinesis. There is no implicit key: StartStreamEncryption requires a KeyId, and the stream stays unencrypted.",
        "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_StartStreamEncryption.html",
    ),
    (
        "aws_ssm_parameter",
        "Census: unencrypted. Only String/StringList parameters are plain text (by choice); a SecureString without `key_id` uses aws/ssm, and only SecureString parameters are judged.",
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html",
    ),
    (
        "aws_ssmincidents_replication_set",
        "Census: no default noted. The provider sends `region.kms_key_arn = \"DefaultKey\"` (the real plan in tests/fixtures/stores/), which names no key: an AWS-owned key.",
        "tests/fixtures/stores/batch-07.plan.json",
    ),
    (
        "aws_s3tables_table",
        "Census: key path `encryption_configuration.kms_key_arn` as a block. It is an object-typed attribute (`encryption_configuration = { … }`), in aws_s3tables_table_bucket too.",
        "terraform providers schema -json, AWS provider 5.100",
    ),
    (
        "aws_cognito_user_pool",
        "Census: a data store keyed by `lambda_config.kms_key_id`. That key only encrypts what custom sender triggers receive; the pool's data has no key choice. Not judged.",
        "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html",
    ),
    (
        "aws_rds_cluster_instance",
        "Census: AWS-managed key by default. The instance's only key is Performance Insights'; without `performance_insights_enabled` there is no such data, so no store (the storage is the cluster's). Same for aws_docdb_cluster_instance.",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.html",
    ),
];
