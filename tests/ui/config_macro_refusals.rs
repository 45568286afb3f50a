//! Every refusal of the attribute's own keys, through `cors_config!`: the same messages on the
//! same literals. (The whole-policy problem, a missing `origin`, points at the invocation.)
#![allow(dead_code)]
use cors_runtime::{CorsConfig, cors_config};

// all_errors_at_once
static ALL_ERRORS_AT_ONCE: CorsConfig = cors_config!(
    origin = ["myapp.com", "https://ok.com/", "*"],
    methods = ["get"],
    max_age = "1",
    colour = 1
);

// duplicate_header
static DUPLICATE_HEADER: CorsConfig =
    cors_config!(origin = "https://myapp.com", headers = ["X-Id", "x-id"]);

// duplicate_key
static DUPLICATE_KEY: CorsConfig =
    cors_config!(origin = "https://myapp.com", origin = "https://other.com");

// empty_expose_headers
static EMPTY_EXPOSE_HEADERS: CorsConfig =
    cors_config!(origin = "https://myapp.com", expose_headers = []);

// empty_methods
static EMPTY_METHODS: CorsConfig = cors_config!(origin = "https://myapp.com", methods = []);

// forbidden_method
static FORBIDDEN_METHOD: CorsConfig =
    cors_config!(origin = "https://myapp.com", methods = ["TRACE"]);

// invalid_expose_header
static INVALID_EXPOSE_HEADER: CorsConfig =
    cors_config!(origin = "https://myapp.com", expose_headers = ["x-id:"]);

// invalid_header
static INVALID_HEADER: CorsConfig =
    cors_config!(origin = "https://myapp.com", headers = ["x-api key"]);

// invalid_method
static INVALID_METHOD: CorsConfig =
    cors_config!(origin = "https://myapp.com", methods = ["GET", "PO ST"]);

// lowercase_method
static LOWERCASE_METHOD: CorsConfig = cors_config!(origin = "https://myapp.com", methods = ["get"]);

// max_age_out_of_range
static MAX_AGE_OUT_OF_RANGE: CorsConfig =
    cors_config!(origin = "https://myapp.com", max_age = 99999999999);

// missing_origin
static MISSING_ORIGIN: CorsConfig = cors_config!(credentials = true);

// missing_origin_empty
static MISSING_ORIGIN_EMPTY: CorsConfig = cors_config!();

// not_key_value
static NOT_KEY_VALUE: CorsConfig = cors_config!(origin);

// origin_and_origin_env
static ORIGIN_AND_ORIGIN_ENV: CorsConfig =
    cors_config!(origin = "https://myapp.com", origin_env = "ALLOWED_ORIGINS");

// origin_app_scheme_port_or_wildcard
static ORIGIN_APP_SCHEME_PORT_OR_WILDCARD: CorsConfig = cors_config!(
    origin = [
        "capacitor://localhost:8080",
        "capacitor://*.localhost",
        "CAPACITOR://localhost",
        "ionic://LocalHost"
    ]
);

// origin_bad_scheme
static ORIGIN_BAD_SCHEME: CorsConfig = cors_config!(origin = "ftp://myapp.com");

// origin_control_character
static ORIGIN_CONTROL_CHARACTER: CorsConfig = cors_config!(origin = "https://myapp.com\n");

// origin_default_port
static ORIGIN_DEFAULT_PORT: CorsConfig = cors_config!(origin = "https://myapp.com:443");

// origin_duplicate
static ORIGIN_DUPLICATE: CorsConfig =
    cors_config!(origin = ["https://myapp.com", "https://myapp.com"]);

// origin_empty_list
static ORIGIN_EMPTY_LIST: CorsConfig = cors_config!(origin = []);

// origin_empty_string
static ORIGIN_EMPTY_STRING: CorsConfig = cors_config!(origin = "");

// origin_env_invalid_name
static ORIGIN_ENV_INVALID_NAME: CorsConfig = cors_config!(origin_env = "ALLOWED ORIGINS");

// origin_extension_ids
static ORIGIN_EXTENSION_IDS: CorsConfig = cors_config!(
    origin = [
        "chrome-extension://abcdef",
        "moz-extension://C0B8A9F2-5D1E-4C3B-9A7F-1E2D3C4B5A69",
        "safari-web-extension://140bb581-a2c0-422a-9dd3-6982a5abee5e"
    ]
);

// origin_fn_not_a_path
static ORIGIN_FN_NOT_A_PATH: CorsConfig = cors_config!(origin_fn = "crate::allowed");

// origin_fn_with_star
static ORIGIN_FN_WITH_STAR: CorsConfig = cors_config!(origin = "*", origin_fn = crate::allowed);

// origin_fragment
static ORIGIN_FRAGMENT: CorsConfig = cors_config!(origin = "https://myapp.com#top");

// origin_invalid_port
static ORIGIN_INVALID_PORT: CorsConfig = cors_config!(origin = "https://myapp.com:99999");

// origin_missing_scheme
static ORIGIN_MISSING_SCHEME: CorsConfig = cors_config!(origin = "myapp.com");

// origin_non_ascii_host
static ORIGIN_NON_ASCII_HOST: CorsConfig = cors_config!(origin = "https://bücher.example");

// origin_not_page_schemes
static ORIGIN_NOT_PAGE_SCHEMES: CorsConfig =
    cors_config!(origin = ["ftp://files.myapp.com", "ws://myapp.com", "wss://myapp.com"]);

// origin_null
static ORIGIN_NULL: CorsConfig = cors_config!(origin = "null");

// origin_opaque_schemes
static ORIGIN_OPAQUE_SCHEMES: CorsConfig = cors_config!(
    origin = [
        "file:///home/me/index.html",
        "data:text/html,hi",
        "blob:https://myapp.com/1",
        "javascript:void(0)",
        "about:blank"
    ]
);

// origin_partial_wildcard
static ORIGIN_PARTIAL_WILDCARD: CorsConfig = cors_config!(origin = "https://x.*.myapp.com");

// origin_path
static ORIGIN_PATH: CorsConfig = cors_config!(origin = "https://myapp.com/api");

// origin_port_wildcard_leading_zero
static ORIGIN_PORT_WILDCARD_LEADING_ZERO: CorsConfig = cors_config!(origin = "http://localhost:0*");

// origin_port_wildcard_shared_host
static ORIGIN_PORT_WILDCARD_SHARED_HOST: CorsConfig =
    cors_config!(origin = "http://dev.myapp.com:*");

// origin_query
static ORIGIN_QUERY: CorsConfig = cors_config!(origin = "https://myapp.com?x=1");

// origin_star_in_list
static ORIGIN_STAR_IN_LIST: CorsConfig = cors_config!(origin = ["https://myapp.com", "*"]);

// origin_trailing_dot
static ORIGIN_TRAILING_DOT: CorsConfig = cors_config!(origin = "https://myapp.com.");

// origin_trailing_slash
static ORIGIN_TRAILING_SLASH: CorsConfig = cors_config!(origin = "https://myapp.com/");

// origin_uppercase_host
static ORIGIN_UPPERCASE_HOST: CorsConfig = cors_config!(origin = "https://MyApp.com");

// origin_uppercase_scheme
static ORIGIN_UPPERCASE_SCHEME: CorsConfig = cors_config!(origin = "HTTPS://myapp.com");

// origin_userinfo
static ORIGIN_USERINFO: CorsConfig = cors_config!(origin = "https://admin@myapp.com");

// origin_whitespace
static ORIGIN_WHITESPACE: CorsConfig = cors_config!(origin = " https://myapp.com");

// origin_wildcard_platform_label
static ORIGIN_WILDCARD_PLATFORM_LABEL: CorsConfig = cors_config!(
    origin = [
        "https://myapp.com",
        "https://myapp-git-*-team.vercel.app",
        "https://*--mysite.netlify.app"
    ]
);

// origin_wildcard_public_suffix
static ORIGIN_WILDCARD_PUBLIC_SUFFIX: CorsConfig = cors_config!(origin = "https://*.vercel.app");

// origin_wildcard_tld
static ORIGIN_WILDCARD_TLD: CorsConfig = cors_config!(origin = "https://*.com");

// origin_wildcard_twice
static ORIGIN_WILDCARD_TWICE: CorsConfig = cors_config!(origin = "https://pr-*.*.myapp.com");

// origin_wildcard_upper_case
static ORIGIN_WILDCARD_UPPER_CASE: CorsConfig =
    cors_config!(origin = "https://PR-*.preview.myapp.com");

// star_headers_with_credentials
static STAR_HEADERS_WITH_CREDENTIALS: CorsConfig = cors_config!(
    origin = "https://myapp.com",
    headers = ["*"],
    credentials = true
);

// star_in_methods_list
static STAR_IN_METHODS_LIST: CorsConfig =
    cors_config!(origin = "https://myapp.com", methods = ["GET", "*"]);

// star_methods_with_credentials
static STAR_METHODS_WITH_CREDENTIALS: CorsConfig = cors_config!(
    origin = "https://myapp.com",
    methods = ["*"],
    credentials = true
);

// star_origin_with_credentials
static STAR_ORIGIN_WITH_CREDENTIALS: CorsConfig = cors_config!(origin = "*", credentials = true);

// unknown_key
static UNKNOWN_KEY: CorsConfig =
    cors_config!(origin = "https://myapp.com", allow_credentials = true);

// unknown_key_no_hint
static UNKNOWN_KEY_NO_HINT: CorsConfig = cors_config!(origin = "https://myapp.com", color = "blue");

// wrong_type_credentials
static WRONG_TYPE_CREDENTIALS: CorsConfig =
    cors_config!(origin = "https://myapp.com", credentials = "yes");

// wrong_type_list_item
static WRONG_TYPE_LIST_ITEM: CorsConfig = cors_config!(origin = ["https://myapp.com", 42]);

// wrong_type_max_age
static WRONG_TYPE_MAX_AGE: CorsConfig = cors_config!(origin = "https://myapp.com", max_age = "600");

// wrong_type_origin
static WRONG_TYPE_ORIGIN: CorsConfig = cors_config!(origin = 5);

// front_door_with_origin_env
static FRONT_DOOR_WITH_ORIGIN_ENV: CorsConfig =
    cors_config!(origin_env = "ALLOWED_ORIGINS", front_door = true);

// front_door_with_origin_fn
static FRONT_DOOR_WITH_ORIGIN_FN: CorsConfig = cors_config!(
    origin = "https://myapp.com",
    origin_fn = crate::allowed,
    front_door = true
);

// front_door_with_preflight
static FRONT_DOOR_WITH_PREFLIGHT: CorsConfig =
    cors_config!(origin = "https://myapp.com", front_door = true, preflight = true);

// wrong_type_front_door
static WRONG_TYPE_FRONT_DOOR: CorsConfig =
    cors_config!(origin = "https://myapp.com", front_door = "http-api");

fn allowed(origin: &str) -> bool {
    origin.ends_with(".tenant.example")
}

// csrf_with_star
static CSRF_WITH_STAR: CorsConfig = cors_config!(origin = "*", csrf = "block");
static CSRF_REPORT_WITH_STAR: CorsConfig = cors_config!(origin = "*", csrf = "report");

fn main() {}
