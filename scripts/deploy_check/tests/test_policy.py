import unittest

from deploy_check import report
from deploy_check.policy import CFN_KEYS, HTTP_API_KEYS, check_policy, normalize


class PolicyTest(unittest.TestCase):
    def setUp(self):
        report.reset()

    def test_every_format_normalizes_to_one_shape(self):
        http = {"allowOrigins": ["https://a.com"], "allowMethods": ["GET"], "exposeHeaders": [], "maxAge": 600}
        url = {"AllowOrigins": ["https://a.com"], "AllowMethods": ["GET"], "AllowCredentials": False, "MaxAge": 600}
        expected = {"allow_origins": ["https://a.com"], "allow_methods": ["GET"], "max_age": 600}
        self.assertEqual(normalize(http, HTTP_API_KEYS), expected)
        self.assertEqual(normalize(url, CFN_KEYS), expected)

    def test_what_a_front_door_refuses_is_reported(self):
        check_policy("url", {"allow_origins": ["*"], "allow_credentials": True, "allow_methods": ["GET"]}, "http-api")
        check_policy("url", {"allow_origins": ["https://a.com"], "allow_methods": ["GET", "OPTIONS"]}, "function-url")
        check_policy(
            "url", {"allow_origins": ["https://a.com"], "allow_methods": ["GET"], "max_age": 86401}, "function-url"
        )
        self.assertEqual(len(report.errors()), 3)
        check_policy("ok", {"allow_origins": ["https://a.com"], "allow_methods": ["GET", "OPTIONS"]}, "http-api")
        self.assertEqual(len(report.errors()), 3)


if __name__ == "__main__":
    unittest.main()
