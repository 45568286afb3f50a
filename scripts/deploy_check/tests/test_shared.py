import json
import unittest

from deploy_check import shared


class SharedTest(unittest.TestCase):
    """tests/fixtures/deploy.json, which tests/deploy_drift.rs reads too, names what exists."""

    def test_the_named_files_exist(self):
        for relative in [*shared.SHARED["sources"].values(), *shared.SHARED["generated"].values()]:
            self.assertTrue((shared.ROOT / relative).is_file(), relative)
        for binary in [shared.FUNCTION_BINARY, shared.FRONT_DOOR_BINARY]:
            self.assertTrue((shared.ROOT / "examples" / "src" / "bin" / f"{binary}.rs").is_file(), binary)

    def test_the_cdk_app_reads_what_the_code_renders(self):
        generated = json.loads(shared.CDK_JSON.read_text())
        self.assertEqual(set(generated), {"comment", "restApi", "httpApi", "functionUrl"})
        self.assertIn(shared.SHARED["updateCommand"], generated["comment"])
        types = [r["type"] for r in generated["restApi"]["gatewayResponses"]]
        self.assertEqual(types, shared.GATEWAY_RESPONSE_TYPES)
        for response in generated["restApi"]["gatewayResponses"]:
            self.assertEqual(response["templates"], shared.GATEWAY_RESPONSE_TEMPLATES)
        mock = generated["restApi"]["preflightMock"]["integration"]
        self.assertEqual(mock["requestTemplates"], shared.MOCK_REQUEST_TEMPLATES)


if __name__ == "__main__":
    unittest.main()
