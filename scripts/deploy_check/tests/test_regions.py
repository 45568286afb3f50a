import unittest

from deploy_check import report
from deploy_check.regions import generated_regions, list_item_region
from deploy_check.shared import BEGIN, END

TEMPLATE = f"""a:
  b: !If
    - Cond
    {BEGIN}
    - x: 1
      y: [2]
    {END}
    - !Ref AWS::NoValue
"""


class RegionsTest(unittest.TestCase):
    def setUp(self):
        report.reset()

    def test_a_delimited_region_is_found_and_read(self):
        [(indent, lines)] = generated_regions("t", TEMPLATE)
        self.assertEqual(indent, 4)
        self.assertEqual(lines, ["- x: 1", "  y: [2]"])
        self.assertEqual(list_item_region("t", lines), {"x": 1, "y": [2]})
        self.assertEqual(report.errors(), [])

    def test_a_missing_end_is_reported(self):
        self.assertEqual(generated_regions("t", TEMPLATE.replace(END, "# end")), [])
        self.assertIn("expected 1", report.errors()[0])

    def test_a_line_outside_the_indentation_or_a_comment_is_reported(self):
        generated_regions("t", TEMPLATE.replace("      y: [2]", "  y: [2]"))
        generated_regions("t", TEMPLATE.replace("      y: [2]", "      # y"))
        self.assertEqual(len(report.errors()), 2)
        self.assertTrue(all("is not indented under its BEGIN marker, or is a comment" in e for e in report.errors()))

    def test_a_region_of_two_items_is_reported(self):
        self.assertIsNone(list_item_region("t", ["- x: 1", "- y: 2"]))
        self.assertTrue(report.errors())


if __name__ == "__main__":
    unittest.main()
