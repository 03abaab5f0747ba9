locals {
  a = local.b
  b = local.c
  c = local.a
}

resource "aws_s3_bucket" "x" {
  bucket = local.a
}
