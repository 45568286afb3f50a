import tempfile
import unittest
from pathlib import Path

from deploy_check import report
from deploy_check.terraform import Terraform, strings

MAIN_TF = """variable "name" {
  type = string
}

resource "aws_lambda_function" "api" {
  function_name = var.name
}
"""


class TerraformTest(unittest.TestCase):
    def setUp(self):
        report.reset()
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        (self.dir / "main.tf").write_text(MAIN_TF)

    def tearDown(self):
        self.tmp.cleanup()

    def parsed(self, output_value):
        """What HashiCorp's parser makes of MAIN_TF plus an output."""
        return {
            "main.tf": {
                "variable": {"name": [{"type": "${string}"}]},
                "resource": {"aws_lambda_function": {"api": [{"function_name": "${var.name}"}]}},
                "output": {"out": [{"value": output_value}]},
            }
        }

    def test_references_that_resolve_pass(self):
        Terraform("t", self.parsed("${aws_lambda_function.api.arn}"), self.dir).check_references()
        self.assertEqual(report.errors(), [])

    def test_an_undeclared_resource_variable_or_local_is_reported(self):
        tf = Terraform("t", self.parsed("${aws_lambda_function.other.arn} ${var.missing} ${local.nothing}"), self.dir)
        tf.check_references()
        self.assertEqual(
            report.errors(),
            [
                "t: reference to undeclared resource aws_lambda_function.other",
                "t: reference to undeclared variable missing",
                "t: reference to undeclared local value nothing",
            ],
        )

    def test_a_syntax_error_is_raised(self):
        (self.dir / "broken.tf").write_text('resource "x" {\n')
        with self.assertRaises(Exception):  # noqa: B017 (python-hcl2's parse errors have no common type)
            Terraform("t", {}, self.dir)

    def test_strings_walks_every_value(self):
        self.assertEqual(sorted(strings({"a": ["x", {"b": "y"}], "c": 1})), ["x", "y"])


if __name__ == "__main__":
    unittest.main()
