#!/usr/bin/env python3
"""Generates realistic Terraform inputs of about N resources for planlens' benchmarks.

    python3 bench/gen.py N OUT_DIR            # writes OUT_DIR/plan-N.json and OUT_DIR/hcl-N/
    python3 bench/gen.py 10000 bench/out

Both describe the same infrastructure: a root module (provider with default_tags, EBS
default encryption, one KMS key + alias per data category, one archive bucket per tenant
whose SSE configuration references a module output) and groups of `module "tenants_gNN"`
calls with `for_each` over tenant names. Each tenant instance holds 15 resources (and two
more in the root: its archive bucket and that bucket's SSE configuration):

    KMS key (policy, rotation on/off) + alias, three S3 buckets each with a separate
    aws_s3_bucket_server_side_encryption_configuration (CMK + bucket key / AES256 /
    a root key passed in through a module variable, without bucket key), RDS instance
    (kms_key_id from the module variable), DynamoDB table (module key), an ALB with an
    HTTPS listener (ssl_policy cycling through ELBSecurityPolicy-2016-08, TLS13, TLS-1-2,
    missing) and an HTTP listener (redirect or forward), a CloudFront distribution and an
    ACM certificate (DNS or EMAIL validation).

The plan follows Terraform's JSON output format (`terraform show -json tfplan`, format
1.2): compact on one line as Terraform prints it, `resource_changes` with
before/after/after_unknown/before_sensitive/after_sensitive, `planned_values` and
`prior_state` with `child_modules`, `configuration` with `provider_config`,
`module_calls` (for_each_expression, expressions with `references`, outputs, variables)
and `timestamp`. Tenants differ in what the plan does: most are created (computed values
unknown, resolved only through `configuration` references), some are unchanged (no-op),
some updated (an ssl_policy weakened, tags changed), some lose a bucket (delete), and
every 50th has its KMS key replaced.

The output is deterministic for a given N (no randomness, fixed timestamp).
Format reference: https://developer.hashicorp.com/terraform/internals/json-format
"""

import json
import os
import sys

ACCOUNT = "111122223333"
REGION = "eu-central-1"
TIMESTAMP = "2026-11-01T10:00:00Z"
PER_TENANT = 15
GROUP_SIZE = 40  # tenants per module call
CATEGORIES = ["pii", "financial", "logs", "operational"]
SSL_POLICIES = [
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    None,  # missing: AWS applies ELBSecurityPolicy-2016-08
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
]
PROVIDER = "registry.terraform.io/hashicorp/aws"


def key_policy(i):
    stmts = [
        {
            "Sid": "EnableRoot",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "App",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"] if i % 7 else "kms:*",
            "Resource": "*",
        },
    ]
    if i % 23 == 0:
        stmts.append(
            {"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}
        )
    return json.dumps({"Version": "2012-10-17", "Statement": stmts}, separators=(",", ":"))


def uid(*parts):
    h = 1469598103934665603
    for p in parts:
        for c in str(p).encode():
            h = ((h ^ c) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    s = f"{h:016x}{(h * 31) & 0xFFFFFFFFFFFFFFFF:016x}"
    return f"{s[0:8]}-{s[8:12]}-{s[12:16]}-{s[16:20]}-{s[20:32]}"


class Res:
    """One resource instance: its values, which attributes are computed, and its config."""

    def __init__(self, rtype, name, values, computed, refs, module_local):
        self.rtype = rtype
        self.name = name
        self.values = values  # full values once applied
        self.computed = computed  # attribute names only known after apply
        self.refs = refs  # attribute path -> list of config references (as written)
        self.module_local = module_local  # True inside the tenant module
        self.index = None


# ---------------------------------------------------------------------------------------
# The tenant module: one function gives each resource's values, for plan and HCL alike.


def tenant_resources(t, i, shared_key, root_module_key_arn):
    """The 17 resources of tenant `t` (number i). shared_key is the root key's arn."""
    cat = CATEGORIES[i % len(CATEGORIES)]
    key_id = uid("key", t)
    key_arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}"
    cert_arn = f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/{uid('cert', t)}"
    lb_arn = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/{t}/{uid('lb', t)[:16]}"
    tags = {"data-class": cat, "tenant": t, "owner": f"team-{i % 13}"}
    ssl = SSL_POLICIES[i % len(SSL_POLICIES)]
    out = []

    def add(rtype, name, values, computed=(), refs=None):
        out.append(Res(rtype, name, values, list(computed), refs or {}, True))

    add(
        "aws_kms_key",
        "this",
        {
            "description": f"CMK for tenant {t}",
            "deletion_window_in_days": 30 if i % 5 else 7,
            "enable_key_rotation": i % 6 != 0,
            "key_usage": "ENCRYPT_DECRYPT",
            "customer_master_key_spec": "SYMMETRIC_DEFAULT",
            "is_enabled": True,
            "multi_region": False,
            "policy": key_policy(i),
            "tags": tags,
            "tags_all": dict(tags, **{"managed-by": "terraform"}),
            "arn": key_arn,
            "key_id": key_id,
            "id": key_id,
        },
        ["arn", "key_id", "id"],
    )
    add(
        "aws_kms_alias",
        "this",
        {
            "name": f"alias/{t}-{cat}",
            "target_key_id": key_id,
            "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/{t}-{cat}",
            "id": f"alias/{t}-{cat}",
            "target_key_arn": key_arn,
        },
        ["arn", "id", "target_key_arn", "target_key_id"],
        {"target_key_id": ["aws_kms_key.this.key_id", "aws_kms_key.this"]},
    )
    for bname, bcat, sse in [
        ("data", "pii", "cmk"),
        ("logs", "logs", "aes"),
        ("assets", "public", "shared"),
    ]:
        btags = {"data-class": bcat, "tenant": t}
        bucket = f"{t}-{bname}-{uid('b', t, bname)[:8]}"
        add(
            "aws_s3_bucket",
            bname,
            {
                "bucket": bucket,
                "force_destroy": False,
                "object_lock_enabled": False,
                "tags": btags,
                "tags_all": dict(btags, **{"managed-by": "terraform"}),
                "arn": f"arn:aws:s3:::{bucket}",
                "id": bucket,
                "bucket_domain_name": f"{bucket}.s3.amazonaws.com",
                "hosted_zone_id": "Z21DNDUVLTQW6Q",
                "region": REGION,
            },
            ["arn", "id", "bucket_domain_name", "hosted_zone_id", "region"],
        )
        if sse == "cmk":
            default = {"sse_algorithm": "aws:kms", "kms_master_key_id": key_arn}
            bucket_key = i % 3 != 0
            krefs = ["aws_kms_key.this.arn", "aws_kms_key.this"]
            computed = ["id", "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"]
        elif sse == "aes":
            default = {"sse_algorithm": "AES256", "kms_master_key_id": ""}
            bucket_key = False
            krefs = None
            computed = ["id"]
        else:
            default = {"sse_algorithm": "aws:kms", "kms_master_key_id": shared_key}
            bucket_key = False
            krefs = ["var.shared_key_arn"]
            computed = ["id"]
        refs = {"bucket": [f"aws_s3_bucket.{bname}.id", f"aws_s3_bucket.{bname}"]}
        if krefs:
            refs["rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"] = krefs
        add(
            "aws_s3_bucket_server_side_encryption_configuration",
            bname,
            {
                "bucket": bucket,
                "expected_bucket_owner": None,
                "rule": [
                    {
                        "apply_server_side_encryption_by_default": [default],
                        "bucket_key_enabled": bucket_key,
                    }
                ],
                "id": bucket,
            },
            computed + ["bucket"],
            refs,
        )
    add(
        "aws_db_instance",
        "customers",
        {
            "identifier": f"{t}-customers",
            "engine": "postgres",
            "engine_version": "16.3",
            "instance_class": "db.t4g.medium",
            "allocated_storage": 50,
            "storage_encrypted": i % 11 != 0,
            "kms_key_id": shared_key,
            "publicly_accessible": i % 17 == 0,
            "deletion_protection": i % 4 != 0,
            "backup_retention_period": 7 if i % 3 else 1,
            "iam_database_authentication_enabled": i % 2 == 0,
            "username": "app",
            "tags": {"tenant": t},
            "tags_all": {"tenant": t, "managed-by": "terraform"},
            "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:{t}-customers",
            "id": f"db-{uid('db', t)[:20]}",
            "endpoint": f"{t}-customers.abc.{REGION}.rds.amazonaws.com:5432",
            "address": f"{t}-customers.abc.{REGION}.rds.amazonaws.com",
        },
        ["arn", "id", "endpoint", "address"],
        {"kms_key_id": ["var.shared_key_arn"]},
    )
    add(
        "aws_dynamodb_table",
        "transactions",
        {
            "name": f"{t}-transactions",
            "billing_mode": "PAY_PER_REQUEST",
            "hash_key": "id",
            "attribute": [{"name": "id", "type": "S"}],
            "point_in_time_recovery": [{"enabled": True}],
            "server_side_encryption": [{"enabled": True, "kms_key_arn": key_arn}],
            "tags": {"data-class": "financial", "tenant": t},
            "tags_all": {"data-class": "financial", "tenant": t, "managed-by": "terraform"},
            "arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{t}-transactions",
            "id": f"{t}-transactions",
            "stream_arn": "",
        },
        ["arn", "id", "stream_arn", "server_side_encryption.0.kms_key_arn"],
        {"server_side_encryption.0.kms_key_arn": ["aws_kms_key.this.arn", "aws_kms_key.this"]},
    )
    add(
        "aws_lb",
        "this",
        {
            "name": f"{t}-alb"[:32],
            "internal": i % 9 == 0,
            "load_balancer_type": "application",
            "subnets": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
            "arn": lb_arn,
            "id": lb_arn,
            "dns_name": f"{t}-alb.{REGION}.elb.amazonaws.com",
            "tags": {"tenant": t},
            "tags_all": {"tenant": t, "managed-by": "terraform"},
        },
        ["arn", "id", "dns_name"],
    )
    https = {
        "load_balancer_arn": lb_arn,
        "port": 443,
        "protocol": "HTTPS",
        "certificate_arn": cert_arn,
        "default_action": [
            {"type": "fixed-response", "fixed_response": [{"content_type": "text/plain", "status_code": "404"}]}
        ],
        "arn": lb_arn.replace("loadbalancer", "listener") + "/https",
        "id": lb_arn.replace("loadbalancer", "listener") + "/https",
    }
    if ssl is not None:
        https["ssl_policy"] = ssl
    add(
        "aws_lb_listener",
        "https",
        https,
        ["arn", "id", "load_balancer_arn", "certificate_arn"] + (["ssl_policy"] if ssl is None else []),
        {
            "load_balancer_arn": ["aws_lb.this.arn", "aws_lb.this"],
            "certificate_arn": ["aws_acm_certificate.this.arn", "aws_acm_certificate.this"],
        },
    )
    redirect = i % 4 != 1
    http_action = (
        {"type": "redirect", "redirect": [{"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}]}
        if redirect
        else {"type": "forward", "target_group_arn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{t}/x"}
    )
    add(
        "aws_lb_listener",
        "http",
        {
            "load_balancer_arn": lb_arn,
            "port": 80,
            "protocol": "HTTP",
            "default_action": [http_action],
            "arn": lb_arn.replace("loadbalancer", "listener") + "/http",
            "id": lb_arn.replace("loadbalancer", "listener") + "/http",
        },
        ["arn", "id", "load_balancer_arn"],
        {"load_balancer_arn": ["aws_lb.this.arn", "aws_lb.this"]},
    )
    add(
        "aws_cloudfront_distribution",
        "cdn",
        {
            "enabled": True,
            "aliases": [f"{t}.example.com"],
            "origin": [
                {
                    "domain_name": f"{t}-alb.{REGION}.elb.amazonaws.com",
                    "origin_id": "alb",
                    "custom_origin_config": [
                        {
                            "http_port": 80,
                            "https_port": 443,
                            "origin_protocol_policy": "https-only" if i % 8 else "http-only",
                            "origin_ssl_protocols": ["TLSv1.2"],
                        }
                    ],
                }
            ],
            "default_cache_behavior": [
                {
                    "target_origin_id": "alb",
                    "viewer_protocol_policy": "redirect-to-https" if i % 10 else "allow-all",
                    "allowed_methods": ["GET", "HEAD"],
                    "cached_methods": ["GET", "HEAD"],
                }
            ],
            "viewer_certificate": [
                {
                    "acm_certificate_arn": cert_arn,
                    "ssl_support_method": "sni-only",
                    "minimum_protocol_version": "TLSv1.2_2021" if i % 3 else "TLSv1.1_2016",
                    "cloudfront_default_certificate": False,
                }
            ],
            "restrictions": [{"geo_restriction": [{"restriction_type": "none"}]}],
            "arn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/E{uid('cf', t)[:12].upper()}",
            "id": f"E{uid('cf', t)[:12].upper()}",
            "domain_name": f"d{uid('cf', t)[:12]}.cloudfront.net",
            "tags": {"tenant": t},
            "tags_all": {"tenant": t, "managed-by": "terraform"},
        },
        ["arn", "id", "domain_name", "origin.0.domain_name", "viewer_certificate.0.acm_certificate_arn"],
        {
            "origin.0.domain_name": ["aws_lb.this.dns_name", "aws_lb.this"],
            "viewer_certificate.0.acm_certificate_arn": ["aws_acm_certificate.this.arn", "aws_acm_certificate.this"],
        },
    )
    add(
        "aws_acm_certificate",
        "this",
        {
            "domain_name": f"{t}.example.com",
            "validation_method": "DNS" if i % 12 else "EMAIL",
            "key_algorithm": "RSA_2048",
            "arn": cert_arn,
            "id": cert_arn,
            "status": "ISSUED",
            "not_after": "2027-06-01T00:00:00Z",
            "tags": {"tenant": t},
            "tags_all": {"tenant": t, "managed-by": "terraform"},
            "lifecycle_cbd": i % 5 != 2,  # HCL only; dropped from plan values
        },
        ["arn", "id", "status", "not_after"],
    )
    return out


def root_resources(tenants_by_group):
    """Root module: category keys + aliases, EBS default encryption, archive buckets."""
    out = []
    for cat in CATEGORIES:
        key_id = uid("root", cat)
        arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}"
        tags = {"data-class": cat}
        out.append(
            Res(
                "aws_kms_key",
                cat,
                {
                    "description": f"cmk-{cat}",
                    "deletion_window_in_days": 30,
                    "enable_key_rotation": True,
                    "key_usage": "ENCRYPT_DECRYPT",
                    "customer_master_key_spec": "SYMMETRIC_DEFAULT",
                    "is_enabled": True,
                    "multi_region": False,
                    "policy": key_policy(1),
                    "tags": tags,
                    "tags_all": dict(tags, **{"managed-by": "terraform"}),
                    "arn": arn,
                    "key_id": key_id,
                    "id": key_id,
                },
                [],
                {},
                False,
            )
        )
        out.append(
            Res(
                "aws_kms_alias",
                cat,
                {
                    "name": f"alias/cmk-{cat}",
                    "target_key_id": key_id,
                    "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/cmk-{cat}",
                    "id": f"alias/cmk-{cat}",
                    "target_key_arn": arn,
                },
                [],
                {"target_key_id": [f"aws_kms_key.{cat}.key_id", f"aws_kms_key.{cat}"]},
                False,
            )
        )
    out.append(Res("aws_ebs_encryption_by_default", "this", {"enabled": True, "id": "terraform"}, [], {}, False))
    for g, tenants in tenants_by_group:
        # One audit bucket per group, encrypted with its first tenant's key through the
        # module's output: `module.tenants_gNN["tXXXXX"].key_arn`.
        first = tenants[0]
        bucket = f"audit-{g}-{uid('audit', g)[:8]}"
        out.append(
            Res(
                "aws_s3_bucket",
                f"audit_{g}",
                {
                    "bucket": bucket,
                    "force_destroy": False,
                    "object_lock_enabled": False,
                    "tags": {"data-class": "logs"},
                    "tags_all": {"data-class": "logs", "managed-by": "terraform"},
                    "arn": f"arn:aws:s3:::{bucket}",
                    "id": bucket,
                    "bucket_domain_name": f"{bucket}.s3.amazonaws.com",
                    "region": REGION,
                },
                ["arn", "id", "bucket_domain_name", "region"],
                {},
                False,
            )
        )
        out.append(
            Res(
                "aws_s3_bucket_server_side_encryption_configuration",
                f"audit_{g}",
                {
                    "bucket": bucket,
                    "expected_bucket_owner": None,
                    "rule": [
                        {
                            "apply_server_side_encryption_by_default": [
                                {"sse_algorithm": "aws:kms", "kms_master_key_id": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{uid('key', first)}"}
                            ],
                            "bucket_key_enabled": True,
                        }
                    ],
                    "id": bucket,
                },
                ["id", "bucket", "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"],
                {
                    "bucket": [f"aws_s3_bucket.audit_{g}.id", f"aws_s3_bucket.audit_{g}"],
                    "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id": [
                        f'module.tenants_{g}["{first}"].key_arn',
                        f'module.tenants_{g}["{first}"]',
                    ],
                },
                False,
            )
        )
        for t in tenants:
            bucket = f"{t}-archive-{uid('archive', t)[:8]}"
            b = Res(
                "aws_s3_bucket",
                f"archive_{g}",
                {
                    "bucket": bucket,
                    "force_destroy": False,
                    "object_lock_enabled": False,
                    "tags": {"data-class": "pii", "tenant": t},
                    "tags_all": {"data-class": "pii", "tenant": t, "managed-by": "terraform"},
                    "arn": f"arn:aws:s3:::{bucket}",
                    "id": bucket,
                    "bucket_domain_name": f"{bucket}.s3.amazonaws.com",
                    "region": REGION,
                },
                ["arn", "id", "bucket_domain_name", "region"],
                {},
                False,
            )
            b.index = t
            out.append(b)
            s = Res(
                "aws_s3_bucket_server_side_encryption_configuration",
                f"archive_{g}",
                {
                    "bucket": bucket,
                    "expected_bucket_owner": None,
                    "rule": [
                        {
                            "apply_server_side_encryption_by_default": [
                                {"sse_algorithm": "aws:kms", "kms_master_key_id": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{uid('key', t)}"}
                            ],
                            "bucket_key_enabled": True,
                        }
                    ],
                    "id": bucket,
                },
                ["id", "bucket", "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"],
                # A dynamic index splits the traversal: Terraform records the resource (or
                # module call) and `each.key`, not the instance.
                {
                    "bucket": [f"aws_s3_bucket.archive_{g}", "each.key"],
                    "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id": [
                        f"module.tenants_{g}",
                        "each.key",
                    ],
                },
                False,
            )
            s.index = t
            out.append(s)
    return out


# ---------------------------------------------------------------------------------------
# Plan JSON


def set_path(d, path, v):
    """Sets a dotted path (`rule.0.x`) in nested dict/list values, creating as needed."""
    parts = path.split(".")
    cur = d
    for j, p in enumerate(parts):
        last = j == len(parts) - 1
        nxt = None if last else parts[j + 1]
        if isinstance(cur, list):
            p = int(p)
            while len(cur) <= p:
                cur.append({})
            if last:
                cur[p] = v
            else:
                if not isinstance(cur[p], (dict, list)):
                    cur[p] = [] if nxt.isdigit() else {}
                cur = cur[p]
        else:
            if last:
                cur[p] = v
            else:
                if not isinstance(cur.get(p), (dict, list)):
                    cur[p] = [] if nxt.isdigit() else {}
                cur = cur[p]


# What real Terraform writes for each type beyond the configured values (bench/shapes.py, from
# a real plan of this generator's own HCL): every attribute with the provider's default, and the
# computed ones.
SHAPES = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "real-shapes.json")))


def plan_values(r):
    """The resource's values as a plan holds them: every attribute of the type's schema, the
    unset ones at the provider's default (null, [], false, …), as `terraform show -json`
    writes them."""
    v = json.loads(json.dumps(r.values))
    v.pop("lifecycle_cbd", None)
    shape = SHAPES.get(r.rtype, {})
    for k, default in shape.get("defaults", {}).items():
        v.setdefault(k, json.loads(json.dumps(default)))
    for k in shape.get("computed", []):
        v.setdefault(k, None)
    return v


def del_path(d, path):
    """Removes a dotted path's leaf, if there."""
    *parents, leaf = path.split(".")
    cur = d
    for p in parents:
        try:
            cur = cur[int(p)] if isinstance(cur, list) else cur[p]
        except (KeyError, IndexError, ValueError, TypeError):
            return
    if isinstance(cur, dict):
        cur.pop(leaf, None)


def sensitive_shape(values):
    """Terraform's *_sensitive: false leaves omitted, structure for nested values."""
    out = {}
    for k, v in values.items():
        if isinstance(v, dict):
            out[k] = {}
        elif isinstance(v, list):
            out[k] = [{} if isinstance(x, dict) else False for x in v]
    return out


def unknown_after(r):
    after = plan_values(r)
    unknown = {}
    computed = list(r.computed) + [
        k for k in SHAPES.get(r.rtype, {}).get("computed", []) if r.values.get(k) is None
    ]
    for path in computed:
        del_path(after, path)  # Terraform leaves unknown values out of `after`
        set_path(unknown, path, True)
    # after_unknown mirrors the nested structure where nothing is unknown too.
    for k, v in after.items():
        if isinstance(v, list) and k not in unknown:
            unknown[k] = [{} if isinstance(x, dict) else False for x in v]
        elif isinstance(v, dict) and k not in unknown:
            unknown[k] = {}
    return after, unknown


def address(module, r):
    a = f"{r.rtype}.{r.name}"
    if r.index is not None:
        a += f'["{r.index}"]' if isinstance(r.index, str) else f"[{r.index}]"
    return f"{module}.{a}" if module else a


def config_expr(value, refs_here):
    if refs_here is not None:
        return {"references": refs_here}
    return {"constant_value": value}


def config_expressions(r):
    """configuration.expressions for one resource: constants, nested blocks as lists, refs."""
    vals = {k: v for k, v in r.values.items() if k != "lifecycle_cbd" and v is not None}
    computed = ["arn", "id", "key_id", "dns_name", "status", "not_after", "endpoint", "address",
                "bucket_domain_name", "hosted_zone_id", "region", "stream_arn", "tags_all", "target_key_arn"]
    if r.rtype == "aws_cloudfront_distribution":
        computed.append("domain_name")
    for c in computed:
        if c not in r.refs:
            vals.pop(c, None)

    def walk(v, path):
        if path in r.refs:
            return {"references": r.refs[path]}
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            return [
                {k: walk(x2, f"{path}.{n}.{k}") for k, x2 in x.items()} for n, x in enumerate(v)
            ]
        return {"constant_value": v}

    exprs = {}
    for k, v in vals.items():
        exprs[k] = walk(v, k)
    for path in r.refs:
        if path.split(".")[0] not in exprs:
            exprs[path.split(".")[0]] = {"references": r.refs[path]}
    return exprs


def config_resource(r, module_prefix=""):
    c = {
        "address": f"{r.rtype}.{r.name}",
        "mode": "managed",
        "type": r.rtype,
        "name": r.name,
        "provider_config_key": "aws",
        "expressions": config_expressions(r),
        "schema_version": 0,
    }
    if r.index is not None:
        g = r.name.split("_")[-1]
        c["for_each_expression"] = {"references": [f"local.tenants_{g}"]}
    return c


def plan(n):
    groups = build_groups(n)
    shared = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{uid('root', 'operational')}"
    root = root_resources(groups)
    rc, planned_root, prior_root = [], [], []
    planned_children, prior_children = [], []

    def entry(module, r, action):
        a = address(module, r)
        vals = plan_values(r)
        pv = {
            "address": a,
            "mode": "managed",
            "type": r.rtype,
            "name": r.name,
            "provider_name": PROVIDER,
            "schema_version": 0,
            "values": vals,
            "sensitive_values": sensitive_shape(vals),
        }
        if r.index is not None:
            pv["index"] = r.index
        change = {"address": a}
        if module:
            change["module_address"] = module
        change.update(
            {"mode": "managed", "type": r.rtype, "name": r.name, "provider_name": PROVIDER}
        )
        if r.index is not None:
            change["index"] = r.index
        planned, prior = None, None
        if action == "create":
            after, unknown = unknown_after(r)
            ch = {"actions": ["create"], "before": None, "after": after, "after_unknown": unknown,
                  "before_sensitive": False, "after_sensitive": sensitive_shape(after)}
            known = {k: v for k, v in after.items() if not (k in unknown and unknown[k] is True)}
            planned = dict(pv, values=known)
        elif action == "no-op":
            ch = {"actions": ["no-op"], "before": vals, "after": vals, "after_unknown": {},
                  "before_sensitive": sensitive_shape(vals), "after_sensitive": sensitive_shape(vals)}
            planned, prior = pv, pv
        elif action == "update":
            before = json.loads(json.dumps(vals))
            if r.rtype == "aws_lb_listener" and "ssl_policy" in vals:
                before["ssl_policy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06"
                vals["ssl_policy"] = "ELBSecurityPolicy-2016-08"
            else:
                before["tags"] = dict(before.get("tags") or {}, **{"cost-center": "old"})
            ch = {"actions": ["update"], "before": before, "after": vals, "after_unknown": {},
                  "before_sensitive": sensitive_shape(before), "after_sensitive": sensitive_shape(vals)}
            planned, prior = dict(pv, values=vals), dict(pv, values=before)
        elif action == "delete":
            ch = {"actions": ["delete"], "before": vals, "after": None, "after_unknown": {},
                  "before_sensitive": sensitive_shape(vals), "after_sensitive": False}
            prior = pv
        else:  # replace
            after, unknown = unknown_after(r)
            ch = {"actions": ["delete", "create"], "before": vals, "after": after, "after_unknown": unknown,
                  "before_sensitive": sensitive_shape(vals), "after_sensitive": sensitive_shape(after)}
            known = {k: v for k, v in after.items() if not (k in unknown and unknown[k] is True)}
            planned, prior = dict(pv, values=known), pv
            change["action_reason"] = "replace_because_cannot_update"
        change["change"] = ch
        rc.append(change)
        return planned, prior

    for r in root:
        created = r.index is not None or r.name.startswith("audit_")
        p, q = entry("", r, "create" if created else "no-op")
        if p:
            planned_root.append(p)
        if q:
            prior_root.append(q)

    i = 0
    for g, tenants in groups:
        for t in tenants:
            mod = f'module.tenants_{g}["{t}"]'
            kind = i % 10
            pm, qm = [], []
            for r in tenant_resources(t, i, shared, None):
                if kind < 6:
                    action = "create"
                elif kind < 8:
                    action = "no-op"
                elif kind == 8:
                    action = "update" if r.rtype in ("aws_lb_listener", "aws_kms_key", "aws_s3_bucket") else "no-op"
                else:
                    action = "delete" if r.name == "assets" else "no-op"
                if r.rtype == "aws_kms_key" and i % 50 == 9:
                    action = "replace"
                p, q = entry(mod, r, action)
                if p:
                    pm.append(p)
                if q:
                    qm.append(q)
            if pm:
                planned_children.append({"resources": pm, "address": mod})
            if qm:
                prior_children.append({"resources": qm, "address": mod})
            i += 1

    tenant_proto = tenant_resources("t", 1, shared, None)
    module_config = {
        "resources": [config_resource(r) for r in tenant_proto],
        "outputs": {
            "key_arn": {"expression": {"references": ["aws_kms_key.this.arn", "aws_kms_key.this"]}},
            "bucket_id": {"expression": {"references": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]}},
        },
        "variables": {"name": {}, "shared_key_arn": {}, "index": {}},
    }
    module_calls = {
        f"tenants_{g}": {
            "source": "./modules/tenant",
            "for_each_expression": {"references": [f"local.tenants_{g}"]},
            "expressions": {
                "name": {"references": ["each.key"]},
                "shared_key_arn": {"references": ["aws_kms_key.operational.arn", "aws_kms_key.operational"]},
                "index": {"references": ["each.value"]},
            },
            "module": module_config,
        }
        for g, _ in groups
    }
    seen_cfg = set()
    root_cfg = []
    for r in root:
        if (r.rtype, r.name) in seen_cfg:
            continue
        seen_cfg.add((r.rtype, r.name))
        root_cfg.append(config_resource(r))

    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "variables": {"region": {"value": REGION}},
        "planned_values": {"root_module": {"resources": planned_root, "child_modules": planned_children}},
        "resource_changes": rc,
        "prior_state": {
            "format_version": "1.0",
            "terraform_version": "1.9.5",
            "values": {"root_module": {"resources": prior_root, "child_modules": prior_children}},
        },
        "configuration": {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": PROVIDER,
                    "expressions": {
                        "region": {"references": ["var.region"]},
                        "default_tags": [{"tags": {"constant_value": {"managed-by": "terraform"}}}],
                    },
                }
            },
            "root_module": {
                "resources": root_cfg,
                "module_calls": module_calls,
                "variables": {"region": {"default": REGION}},
            },
        },
        "relevant_attributes": [],
        "timestamp": TIMESTAMP,
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def build_groups(n):
    tenants = max(1, (n - 9) // (PER_TENANT + 2))
    names = [f"t{j:05d}" for j in range(tenants)]
    return [
        (f"g{k // GROUP_SIZE:03d}", names[k : k + GROUP_SIZE]) for k in range(0, len(names), GROUP_SIZE)
    ]


# ---------------------------------------------------------------------------------------
# HCL


def hcl_value(v, indent):
    pad = "  " * indent
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v).replace("${", "$${")
    if isinstance(v, list):
        return "[" + ", ".join(hcl_value(x, indent) for x in v) + "]"
    if isinstance(v, dict):
        inner = "".join(f"{pad}  {json.dumps(k)} = {hcl_value(x, indent + 1)}\n" for k, x in v.items())
        return "{\n" + inner + pad + "}"
    return "null"


HCL_SKIP = {"arn", "id", "key_id", "dns_name", "domain_name_cf", "status", "not_after", "endpoint",
            "address", "bucket_domain_name", "hosted_zone_id", "region", "stream_arn", "tags_all",
            "target_key_arn"}


def hcl_resource(r, overrides, extra=""):
    """A resource block; `overrides` maps attribute paths to HCL expressions."""
    lines = [f'resource "{r.rtype}" "{r.name}" {{']
    lines += [f"  {l}" for l in extra.splitlines() if l]

    def body(vals, path, indent):
        pad = "  " * indent
        out = []
        for k, v in vals.items():
            p = f"{path}.{k}" if path else k
            if (path == "" and k in HCL_SKIP) or v is None:
                continue
            if r.rtype == "aws_cloudfront_distribution" and p == "domain_name":
                continue
            if k == "lifecycle_cbd":
                if v:
                    out.append(f"{pad}lifecycle {{\n{pad}  create_before_destroy = true\n{pad}}}")
                continue
            if p in overrides:
                out.append(f"{pad}{k} = {overrides[p]}")
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v) and k not in ("attribute_",):
                for n, x in enumerate(v):
                    inner = body(x, f"{p}.{n}", indent + 1)
                    out.append(f"{pad}{k} {{\n" + "\n".join(inner) + f"\n{pad}}}")
            else:
                out.append(f"{pad}{k} = {hcl_value(v, indent)}")
        return out

    lines += body(r.values, "", 1)
    lines.append("}")
    return "\n".join(lines) + "\n"


def hcl_tree(n, out_dir):
    groups = build_groups(n)
    os.makedirs(os.path.join(out_dir, "modules", "tenant"), exist_ok=True)
    shared = "var.shared_key_arn"
    # The module: values vary per tenant through var.index, as in real configurations.
    proto = tenant_resources("TENANT", 1, shared, None)
    mod = []
    for r in proto:
        ov = {}
        for path, refs in r.refs.items():
            ref = refs[0]
            ov[path] = ref
        text_over = {
            ("aws_kms_key", "this"): {
                "description": '"CMK for tenant ${var.name}"',
                "deletion_window_in_days": "var.index % 5 == 0 ? 7 : 30",
                "enable_key_rotation": "var.index % 6 != 0",
                "tags": '{ "data-class" = local.category, tenant = var.name, owner = "team-${var.index % 13}" }',
                "policy": "jsonencode(local.policy)",
            },
            ("aws_kms_alias", "this"): {"name": '"alias/${var.name}-${local.category}"'},
            ("aws_s3_bucket", "data"): {"bucket": '"${var.name}-data"', "tags": '{ "data-class" = "pii", tenant = var.name }'},
            ("aws_s3_bucket", "logs"): {"bucket": '"${var.name}-logs"', "tags": '{ "data-class" = "logs", tenant = var.name }'},
            ("aws_s3_bucket", "assets"): {"bucket": '"${var.name}-assets"', "tags": '{ "data-class" = "public", tenant = var.name }'},
            ("aws_s3_bucket_server_side_encryption_configuration", "data"): {
                "rule.0.bucket_key_enabled": "var.index % 3 != 0",
            },
            ("aws_db_instance", "customers"): {
                "identifier": '"${var.name}-customers"',
                "storage_encrypted": "var.index % 11 != 0",
                "publicly_accessible": "var.index % 17 == 0",
                "deletion_protection": "var.index % 4 != 0",
                "backup_retention_period": "var.index % 3 == 0 ? 1 : 7",
                "iam_database_authentication_enabled": "var.index % 2 == 0",
                "tags": "{ tenant = var.name }",
            },
            ("aws_dynamodb_table", "transactions"): {
                "name": '"${var.name}-transactions"',
                "tags": '{ "data-class" = "financial", tenant = var.name }',
            },
            ("aws_lb", "this"): {"name": '"${var.name}-alb"', "internal": "var.index % 9 == 0", "tags": "{ tenant = var.name }"},
            ("aws_lb_listener", "https"): {"ssl_policy": "local.ssl_policy"},
            ("aws_cloudfront_distribution", "cdn"): {
                "aliases": '["${var.name}.example.com"]',
                "viewer_certificate.0.minimum_protocol_version": 'var.index % 3 == 0 ? "TLSv1.1_2016" : "TLSv1.2_2021"',
                "default_cache_behavior.0.viewer_protocol_policy": 'var.index % 10 == 0 ? "allow-all" : "redirect-to-https"',
                "origin.0.custom_origin_config.0.origin_protocol_policy": 'var.index % 8 == 0 ? "http-only" : "https-only"',
                "tags": "{ tenant = var.name }",
            },
            ("aws_acm_certificate", "this"): {
                "domain_name": '"${var.name}.example.com"',
                "validation_method": 'var.index % 12 == 0 ? "EMAIL" : "DNS"',
                "tags": "{ tenant = var.name }",
            },
        }.get((r.rtype, r.name), {})
        ov.update(text_over)
        if r.rtype == "aws_lb_listener" and r.name == "https":
            r.values["ssl_policy"] = "x"
        mod.append(hcl_resource(r, ov))
    policies = ", ".join(json.dumps(p) for p in SSL_POLICIES if p)
    locals_tf = f"""locals {{
  categories = {json.dumps(CATEGORIES)}
  category   = local.categories[var.index % 4]
  ssl_policies = [{policies}]
  # every fourth listener leaves ssl_policy unset: AWS then applies ELBSecurityPolicy-2016-08
  ssl_policy = var.index % 5 == 3 ? null : local.ssl_policies[var.index % 5 > 3 ? 3 : var.index % 5]
  policy = {{
    Version = "2012-10-17"
    Statement = [
      {{ Sid = "EnableRoot", Effect = "Allow", Principal = {{ AWS = "arn:aws:iam::{ACCOUNT}:root" }}, Action = "kms:*", Resource = "*" }},
      {{ Sid = "App", Effect = "Allow", Principal = {{ AWS = "arn:aws:iam::{ACCOUNT}:role/app" }}, Action = var.index % 7 == 0 ? ["kms:*"] : ["kms:Decrypt", "kms:GenerateDataKey"], Resource = "*" }},
    ]
  }}
}}
"""
    with open(os.path.join(out_dir, "modules", "tenant", "main.tf"), "w") as f:
        f.write(locals_tf + "\n" + "\n".join(mod))
    with open(os.path.join(out_dir, "modules", "tenant", "variables.tf"), "w") as f:
        f.write('variable "name" {\n  type = string\n}\n\nvariable "index" {\n  type = number\n}\n\n'
                'variable "shared_key_arn" {\n  type = string\n}\n')
    with open(os.path.join(out_dir, "modules", "tenant", "outputs.tf"), "w") as f:
        f.write('output "key_arn" {\n  value = aws_kms_key.this.arn\n}\n\n'
                'output "bucket_id" {\n  value = aws_s3_bucket.data.id\n}\n')
    root = [
        'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n',
        f'variable "region" {{\n  default = "{REGION}"\n}}\n',
        'provider "aws" {\n  region = var.region\n  default_tags {\n    tags = {\n      managed-by = "terraform"\n    }\n  }\n}\n',
        'resource "aws_ebs_encryption_by_default" "this" {\n  enabled = true\n}\n',
    ]
    for cat in CATEGORIES:
        root.append(
            f'resource "aws_kms_key" "{cat}" {{\n  description             = "cmk-{cat}"\n'
            f"  deletion_window_in_days = 30\n  enable_key_rotation     = true\n"
            f'  tags = {{\n    "data-class" = "{cat}"\n  }}\n}}\n\n'
            f'resource "aws_kms_alias" "{cat}" {{\n  name          = "alias/cmk-{cat}"\n'
            f"  target_key_id = aws_kms_key.{cat}.key_id\n}}\n"
        )
    with open(os.path.join(out_dir, "main.tf"), "w") as f:
        f.write("\n".join(root))
    # One file per module group, as a large repository splits its tenants.
    for g, tenants in groups:
        idx = {t: int(t[1:]) for t in tenants}
        tmap = "{\n" + "".join(f'    {t} = {idx[t]}\n' for t in tenants) + "  }"
        text = f"""locals {{
  tenants_{g} = {tmap}
}}

module "tenants_{g}" {{
  source   = "./modules/tenant"
  for_each = local.tenants_{g}

  name           = each.key
  index          = each.value
  shared_key_arn = aws_kms_key.operational.arn
}}

resource "aws_s3_bucket" "archive_{g}" {{
  for_each = local.tenants_{g}
  bucket   = "${{each.key}}-archive"
  tags = {{
    "data-class" = "pii"
    tenant       = each.key
  }}
}}

resource "aws_s3_bucket" "audit_{g}" {{
  bucket = "audit-{g}"
  tags = {{
    "data-class" = "logs"
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "audit_{g}" {{
  bucket = aws_s3_bucket.audit_{g}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.tenants_{g}["{tenants[0]}"].key_arn
    }}
    bucket_key_enabled = true
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "archive_{g}" {{
  for_each = local.tenants_{g}
  bucket   = aws_s3_bucket.archive_{g}[each.key].id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.tenants_{g}[each.key].key_arn
    }}
    bucket_key_enabled = true
  }}
}}
"""
        with open(os.path.join(out_dir, f"tenants_{g}.tf"), "w") as f:
            f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    p = plan(n)
    path = os.path.join(out, f"plan-{n}.json")
    with open(path, "w") as f:
        json.dump(p, f, separators=(",", ":"))
        f.write("\n")
    hcl_dir = os.path.join(out, f"hcl-{n}")
    hcl_tree(n, hcl_dir)
    count = len(p["resource_changes"])
    print(f"{path}: {count} resources, {os.path.getsize(path)} bytes; {hcl_dir}/")


if __name__ == "__main__":
    main()
