resource "aws_s3_bucket" "b" {
  bucket = "\"><img src=x onerror=alert(1)>"
  tags = {
    "data-class" = "<b>pii</b>"
    owner = "<script>alert(\"x\")</script>"
    formula = "=HYPERLINK(\"http://evil.test\",\"click\")"
  }
}
resource "aws_lb_listener" "l" {
  protocol = "HTTPS"
  port = 443
  ssl_policy = "<img src=x>"
}
