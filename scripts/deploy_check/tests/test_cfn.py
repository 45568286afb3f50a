import unittest

from deploy_check.cfn import NO_VALUE, by_type, evaluate_if, load_yaml


class CfnTest(unittest.TestCase):
    def test_short_tags_read_as_their_long_form(self):
        value = load_yaml("a: !Ref X\nb: !GetAtt Fn.Arn\nc: !If [Cond, 1, !Ref AWS::NoValue]\nd: !Sub 'x${Y}'\n")
        self.assertEqual(value["a"], {"Ref": "X"})
        self.assertEqual(value["b"], {"Fn::GetAtt": ["Fn", "Arn"]})
        self.assertEqual(value["c"], {"Fn::If": ["Cond", 1, {"Ref": "AWS::NoValue"}]})
        self.assertEqual(value["d"], {"Fn::Sub": "x${Y}"})

    def test_conditions_are_resolved_either_way(self):
        value = {"k": {"Fn::If": ["C", {"x": 1}, {"Ref": "AWS::NoValue"}]}, "l": [{"Fn::If": ["C", 2, 3]}]}
        self.assertEqual(evaluate_if(value, {"C": True}), {"k": {"x": 1}, "l": [2]})
        self.assertEqual(evaluate_if(value, {"C": False}), {"l": [3]})
        self.assertIs(evaluate_if({"Ref": "AWS::NoValue"}, {}), NO_VALUE)

    def test_resources_by_type(self):
        resources = {"A": {"Type": "T"}, "B": {"Type": "U"}}
        self.assertEqual(by_type(resources, "T"), {"A": {"Type": "T"}})


if __name__ == "__main__":
    unittest.main()
