module "me" {
  source = "./"
}

resource "aws_s3_bucket" "a" {
  bucket = "a"
}
