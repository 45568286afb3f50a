//! A real browser decides: headless Chromium, driven through chromedriver, loads the demo page
//! (`demo/index.html`) from one loopback origin, clicks "Run all", and the test asserts what the
//! browser let the page read from the example APIs (`demo-api`, `demo-public`) served by
//! `cargo lambda watch --disable-cors` on another origin: the status and the readable headers, or
//! that the browser blocked the response (and, from the browser's console, why).
//!
//! Writes: a page on the disallowed origin sends `POST /writes` with the user's session cookie in
//! the five ways no preflight stops (a form in each of its three encodings, a `no-cors` `fetch`,
//! `navigator.sendBeacon`); none may run, which the allowed page reads from the function's count of
//! writes (`GET /writes`), and the browser's network log (chromedriver's performance log) shows
//! that each was sent with the cookie and answered `403` without a grant. The allowed page's own
//! credentialed `fetch` POST and form POST both run. A bearer-token `fetch` passes the preflight of
//! a policy with `headers = ["*"]`.
//!
//! Needs `chromium`, `chromedriver` and `cargo lambda` (`pip install cargo-lambda`). Without one
//! of them, plain `cargo test` leaves the suite out and says so (on stderr, with what to install
//! and how to run it); with `CORS_REQUIRE_TOOLS=1`, which `scripts/test.sh` and CI set, a missing
//! tool fails the test. `CHROMIUM` and `CHROMEDRIVER` override the paths.
//! `CORS_DEMO_SCREENSHOT=<file.png>` saves a screenshot of the page after the run.
//!
//! Every process it starts (the static servers run inside the test) gets its own process group,
//! killed on drop; every wait is bounded (`support/browser.rs`, shared with `browser_typed.rs`).

#[path = "support/browser.rs"]
mod browser;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use browser::{
    Browser, COMMAND_WAIT, Process, RUN_ALL_WAIT, Scratch, StaticServer, Tools, bounded, free_port,
    http_get, wait_for_chromedriver, wait_for_http,
};
use fantoccini::Locator;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_browser_decides() {
    let started = Instant::now();
    let Some(tools) = Tools::find_or_leave_out("browser", "a_real_browser_decides") else {
        return;
    };
    let scratch = Scratch::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf();

    // The page's origin (allowed) and a second origin serving the same files (not allowed).
    let page = StaticServer::start(root.join("demo")).await;
    let other = StaticServer::start(root.join("demo")).await;
    let page_origin = format!("http://127.0.0.1:{}", page.port);
    let other_origin = format!("http://127.0.0.1:{}", other.port);

    // `--env-var` splits its value on commas, so the origin list goes through a file.
    let env_file = scratch.path.join("demo.env");
    std::fs::write(
        &env_file,
        format!(
            "DEMO_ALLOWED_ORIGINS={page_origin},http://localhost:{port}\nPARTNER_ORIGINS={page_origin}\n",
            port = page.port
        ),
    )
    .unwrap();
    let api_port = free_port();
    let api_origin = format!("http://127.0.0.1:{api_port}");
    let mut cargo_lambda = Process::spawn(
        "cargo lambda watch",
        Command::new(&tools.cargo)
            .current_dir(&root)
            .args(["lambda", "watch", "--disable-cors", "--ignore-changes"])
            .args(["-A", "127.0.0.1", "-P", &api_port.to_string()])
            .arg("--env-file")
            .arg(&env_file),
        &scratch.path.join("cargo-lambda.log"),
    );
    let driver_port = free_port();
    let mut chromedriver = Process::spawn(
        "chromedriver",
        Command::new(&tools.chromedriver)
            .arg(format!("--port={driver_port}"))
            .arg(format!(
                "--log-path={}",
                scratch.path.join("chromedriver-verbose.log").display()
            )),
        &scratch.path.join("chromedriver.log"),
    );

    // Every function answers (the first call of each builds it), and nothing between the browser
    // and the handler adds CORS headers of its own: `--disable-cors` is in effect.
    for (function, route) in [
        ("demo-api", "/hello"),
        ("demo-public", "/hello"),
        ("axum-api", "/hello"),
        ("orders", "/partner/orders"),
        ("accounts", "/partner/accounts"),
        ("streaming", "/answer"),
    ] {
        let path = format!("/lambda-url/{function}{route}");
        let origin = [("origin", page_origin.as_str())];
        let response = wait_for_http(api_port, &path, &origin, &mut cargo_lambda).await;
        assert_eq!(response.status, 200, "{function}: {response:?}");
    }
    let foreign = http_get(
        api_port,
        "/lambda-url/demo-api/hello",
        &[("origin", &other_origin)],
        COMMAND_WAIT,
    )
    .await
    .expect("demo-api answers");
    assert_eq!(foreign.status, 200, "{foreign:?}");
    assert_eq!(
        foreign.header("access-control-allow-origin"),
        None,
        "a disallowed origin must get no ACAO from the server itself; is cargo lambda adding CORS? {foreign:?}"
    );
    let built = started.elapsed();

    wait_for_chromedriver(driver_port, &mut chromedriver).await;
    let browser = Browser::connect(driver_port, &tools, &scratch, true).await;
    let client = &browser.client;
    let url = format!("{page_origin}/index.html?api={api_origin}&other={other_origin}");
    bounded("loading the demo page", client.goto(&url)).await;
    let run_all = bounded("finding Run all", client.find(Locator::Id("run-all"))).await;
    bounded("clicking Run all", run_all.click()).await;
    bounded(
        "the page finishing Run all",
        client
            .wait()
            .at_most(RUN_ALL_WAIT)
            .for_element(Locator::Css("body[data-state='done']")),
    )
    .await;
    let results = bounded(
        "reading the results",
        client.execute("return window.corsDemo.results", vec![]),
    )
    .await;
    let summary = bounded(
        "reading the summary",
        client.execute(
            "return document.getElementById('summary').textContent",
            vec![],
        ),
    )
    .await;
    let log = bounded(
        "reading the browser log",
        client.issue_cmd(ChromedriverLog("browser")),
    )
    .await;
    let network = bounded(
        "reading the network log",
        client.issue_cmd(ChromedriverLog("performance")),
    )
    .await;
    let network = network_log(&network);
    if let Some(path) = std::env::var_os("CORS_DEMO_SCREENSHOT") {
        let png = bounded("taking a screenshot", client.screenshot()).await;
        std::fs::write(&path, png).unwrap();
    }
    let messages: Vec<String> = log
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["message"].as_str().map(str::to_owned))
        .collect();

    let verdicts = Verdicts {
        results: &results,
        messages: &messages,
        network: &network,
        api: format!("{api_origin}/lambda-url/demo-api"),
        axum: format!("{api_origin}/lambda-url/axum-api"),
        public: format!("{api_origin}/lambda-url/demo-public"),
        functions: format!("{api_origin}/lambda-url"),
        page_origin: &page_origin,
        other_origin: &other_origin,
    };
    verdicts.assert_all();
    assert_eq!(
        summary,
        json!(format!("{n} of {n} cases as expected", n = cases().len())),
        "the page's own expectations disagree with the browser"
    );

    bounded("closing the session", browser.client.clone().close()).await;
    eprintln!(
        "browser test: {} cases in {:.1?} ({:.1?} waiting for cargo lambda and the builds)",
        cases().len(),
        started.elapsed(),
        built
    );
}

/// The cases the demo page runs against `demo-api` and again, prefixed `axum-`, against `axum-api`.
const API_CASES: &[&str] = &[
    "simple-get",
    "post-json",
    "put-custom-header",
    "early-return",
    "question-mark",
    "explicit-err",
    "panic",
    "credentials",
    "no-credentials",
    "exposed-header",
    "disallowed-origin",
    "disallowed-method",
    "disallowed-header",
    "stranger-writes",
    "allowed-writes",
];

/// The page's other cases; `Verdicts::assert_all` checks that the page runs exactly these and
/// [`API_CASES`] twice.
const OTHER_CASES: &[&str] = &[
    "star-credentials",
    "star",
    "star-other-origin",
    "shared-orders",
    "shared-accounts",
    "shared-orders-list",
    "shared-accounts-list",
    "streamed",
    "loopback-port",
    "bearer-star",
];

/// Every case of the demo page.
fn cases() -> Vec<String> {
    let api = API_CASES.iter().map(|case| case.to_string());
    let axum = API_CASES.iter().map(|case| format!("axum-{case}"));
    let other = OTHER_CASES.iter().map(|case| case.to_string());
    api.chain(axum).chain(other).collect()
}

const INTERNAL_SERVER_ERROR: &str = r#"{"message":"Internal Server Error"}"#;
const FAILED_TO_FETCH: &str = "TypeError: Failed to fetch";

struct Verdicts<'a> {
    results: &'a Value,
    messages: &'a [String],
    /// Every request the browser sent, from its network log.
    network: &'a [Sent],
    api: String,
    /// `axum-api`: the same policy through `CorsLayer`.
    axum: String,
    public: String,
    /// Where every function is served: `<api origin>/lambda-url`.
    functions: String,
    page_origin: &'a str,
    other_origin: &'a str,
}

impl Verdicts<'_> {
    fn assert_all(&self) {
        let ran: Vec<&str> = self
            .results
            .as_object()
            .expect("window.corsDemo.results is an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = cases();
        expected.sort_unstable();
        let mut ran_sorted: Vec<String> = ran.iter().map(|case| case.to_string()).collect();
        ran_sorted.sort_unstable();
        assert_eq!(
            ran_sorted, expected,
            "the page ran other cases than the test asserts"
        );

        let public = &self.public;
        // The demo's cases, against the attribute and against the axum layer with the same
        // policy: the same verdicts.
        self.assert_api("", &self.api, "demo-api");
        self.assert_api("axum-", &self.axum, "axum-api");
        for case in API_CASES {
            let attribute = self.result(case);
            let layer = self.result(&format!("axum-{case}"));
            assert_eq!(
                (&attribute["verdict"], &attribute["status"]),
                (&layer["verdict"], &layer["status"]),
                "{case}: the attribute and the layer with one policy disagree"
            );
        }
        self.blocked(
            "star-credentials",
            &format!("{public}/hello"),
            self.page_origin,
            &["'*'", "credentials mode", "'include'"],
        );
        // `*` without credentials: readable, from any origin.
        for case in ["star", "star-other-origin"] {
            self.allowed(case, 200, r#"{"path":"/hello","public":true}"#);
            assert_eq!(
                self.result(case)["headers"]["x-request-id"],
                "public-1",
                "{case}"
            );
        }
        assert_eq!(self.result("star-other-origin")["from"], self.other_origin);

        // Two functions naming the same policies answer the same: `PARTNER_CORS` grants this page
        // (credentials, one `Vary`), `API_CORS` does not list it.
        self.allowed("shared-orders", 200, r#"{"orders":[7,8]}"#);
        self.allowed("shared-accounts", 200, r#"{"accounts":["alice"]}"#);
        // What the page can read of each: the same headers (the CORS headers themselves are not
        // readable by the page; tests/runtime_api.rs compares them byte for byte).
        let readable = |case: &str| -> Vec<String> {
            let headers = self.result(case)["headers"].as_object().cloned();
            let mut names: Vec<String> = headers
                .unwrap_or_default()
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            names.sort();
            names
        };
        assert_eq!(
            readable("shared-orders"),
            readable("shared-accounts"),
            "the two functions sharing a policy let the page read the same headers"
        );
        // A streamed answer: its chunks reached the page one by one, and a page on another
        // loopback port is granted by `http://127.0.0.1:*`.
        let text = "Streamed answers keep their CORS headers in the head.";
        let streamed = self.result("streamed");
        assert_eq!(
            streamed["verdict"],
            "allowed",
            "{streamed}\n{}",
            self.console()
        );
        let chunks = streamed["chunks"].as_array().cloned().unwrap_or_default();
        let joined: String = chunks.iter().filter_map(|c| c["text"].as_str()).collect();
        assert_eq!(joined, text, "{streamed}");
        let arrivals: Vec<i64> = chunks.iter().filter_map(|c| c["at"].as_i64()).collect();
        assert!(
            chunks.len() >= 4 && arrivals.last().copied().unwrap_or(0) - arrivals[0] >= 500,
            "the chunks arrived together, not streamed: {arrivals:?}"
        );
        let other = self.result("loopback-port");
        assert_eq!(other["verdict"], "allowed", "{other}\n{}", self.console());
        assert_eq!(other["from"], self.other_origin);
        assert_eq!(other["body"], text);
        let functions = &self.functions;
        self.blocked(
            "shared-orders-list",
            &format!("{functions}/orders/orders/7"),
            self.page_origin,
            &["No 'Access-Control-Allow-Origin' header"],
        );
        self.blocked(
            "shared-accounts-list",
            &format!("{functions}/accounts/accounts/me"),
            self.page_origin,
            &["No 'Access-Control-Allow-Origin' header"],
        );
        // `headers = ["*"]` without credentials: a bearer token passes the preflight, which a bare
        // `Access-Control-Allow-Headers: *` fails (`*` never covers `Authorization`).
        self.allowed("bearer-star", 200, r#"{"bearer":"t"}"#);
        let bearer = format!("{}/bearer", self.api);
        let preflights: Vec<&Sent> = self
            .network
            .iter()
            .filter(|sent| sent.method == "OPTIONS" && sent.url == bearer)
            .collect();
        assert!(
            preflights.iter().any(|sent| sent.status == Some(204)
                && sent
                    .response_header("access-control-allow-headers")
                    .is_some_and(|v| v.eq_ignore_ascii_case("*,authorization"))),
            "no preflight of {bearer} answered with *,Authorization: {preflights:#?}"
        );
    }

    /// The demo's API cases, with `prefix`, against `api` (the function `function`).
    fn assert_api(&self, prefix: &str, api: &str, function: &str) {
        // Readable: the tail expression, a preflighted POST, a PUT with a custom header.
        self.allowed(
            &format!("{prefix}simple-get"),
            200,
            &format!("hello from {function}"),
        );
        self.allowed(
            &format!("{prefix}post-json"),
            200,
            r#"{"echo":{"hello":"world"}}"#,
        );
        self.allowed(
            &format!("{prefix}put-custom-header"),
            200,
            r#"{"id":7,"token":"s3cret"}"#,
        );
        // Every failure path still carries the CORS headers, so the page reads the error.
        self.allowed(&format!("{prefix}early-return"), 404, "no item 0");
        for case in ["question-mark", "explicit-err", "panic"] {
            let case = &format!("{prefix}{case}");
            self.allowed(case, 500, INTERNAL_SERVER_ERROR);
            assert_eq!(
                self.result(case)["headers"]["content-type"],
                "application/json",
                "{case}"
            );
        }
        // The session cookie set by a credentialed response travels on the next credentialed call.
        self.allowed(&format!("{prefix}credentials"), 200, r#"{"user":"alice"}"#);
        self.allowed(&format!("{prefix}no-credentials"), 200, r#"{"user":null}"#);
        // Exposed: readable; not exposed: `headers.get()` is null.
        self.allowed(
            &format!("{prefix}exposed-header"),
            200,
            "two headers: one exposed, one not",
        );
        let exposed = self.result(&format!("{prefix}exposed-header"));
        let request_id = exposed["got"]["x-request-id"].as_str().unwrap_or_default();
        assert!(!request_id.is_empty(), "x-request-id unreadable: {exposed}");
        assert_eq!(exposed["got"]["x-internal-trace"], Value::Null, "{exposed}");
        assert_eq!(
            exposed["headers"].get("x-internal-trace"),
            None,
            "{exposed}"
        );
        // Blocked, each for its own reason.
        self.blocked(
            &format!("{prefix}disallowed-origin"),
            &format!("{api}/hello"),
            self.other_origin,
            &["No 'Access-Control-Allow-Origin' header"],
        );
        assert_eq!(
            self.result(&format!("{prefix}disallowed-origin"))["from"],
            self.other_origin,
            "the fetch must come from the other origin"
        );
        self.blocked(
            &format!("{prefix}disallowed-method"),
            &format!("{api}/items/7"),
            self.page_origin,
            // The preflight's answer lists the policy's methods: the console names the missing one.
            &["Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response"],
        );
        self.blocked(
            &format!("{prefix}disallowed-header"),
            &format!("{api}/hello"),
            self.page_origin,
            &["Request header field x-forbidden is not allowed by Access-Control-Allow-Headers in preflight response"],
        );
        self.assert_writes(prefix, api);
    }

    /// The writes to `api`'s `/writes`: the stranger's five never ran, the page's two did.
    fn assert_writes(&self, prefix: &str, api: &str) {
        let case = format!("{prefix}stranger-writes");
        let stranger = self.result(&case);
        assert_eq!(
            stranger["verdict"],
            "not run",
            "{case}: {stranger}\n{}",
            self.console()
        );
        assert_eq!(
            stranger["ran"], 0,
            "{case}: a stranger's write ran: {stranger}"
        );
        assert_eq!(stranger["from"], self.other_origin, "{case}: {stranger}");
        let sent = stranger["sent"].as_array().cloned().unwrap_or_default();
        let writes: Vec<&str> = sent.iter().filter_map(|s| s["write"].as_str()).collect();
        assert_eq!(
            writes,
            [
                "form application/x-www-form-urlencoded",
                "form multipart/form-data",
                "form text/plain",
                "fetch no-cors",
                "sendBeacon",
            ],
            "{case}: {stranger}"
        );
        assert!(
            sent.iter().all(|s| s["outcome"]
                .as_str()
                .is_some_and(|o| o.starts_with("answered"))),
            "{case}: a write was not answered: {stranger}"
        );

        let case = format!("{prefix}allowed-writes");
        let allowed = self.result(&case);
        assert_eq!(
            allowed["verdict"],
            "allowed",
            "{case}: {allowed}\n{}",
            self.console()
        );
        assert_eq!(allowed["status"], 200, "{case}: {allowed}");
        assert_eq!(
            allowed["ran"], 2,
            "{case}: the page's two writes: {allowed}"
        );
        assert_eq!(allowed["form"], "answered", "{case}: {allowed}");
        let body: Value = serde_json::from_str(allowed["body"].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{case}: the body is not JSON ({e}): {allowed}"));
        let before = allowed["writes"]["before"].as_u64().expect("a count");
        assert_eq!(
            body,
            json!({ "writes": before + 1, "user": "alice" }),
            "{case}: the credentialed write ran with the session cookie"
        );

        // What the browser sent and what it got, from its network log.
        let url = format!("{api}/writes");
        let posts = |origin: &str| -> Vec<&Sent> {
            self.network
                .iter()
                .filter(|s| {
                    s.method == "POST" && s.url == url && s.header("origin") == Some(origin)
                })
                .collect()
        };
        let strangers = posts(self.other_origin);
        let mut kinds: Vec<(&str, &str)> = strangers
            .iter()
            .map(|s| {
                let content_type = s.header("content-type").unwrap_or_default();
                (
                    s.kind.as_str(),
                    content_type.split(';').next().unwrap_or_default(),
                )
            })
            .collect();
        kinds.sort_unstable();
        assert_eq!(
            kinds,
            [
                ("Document", "application/x-www-form-urlencoded"),
                ("Document", "multipart/form-data"),
                ("Document", "text/plain"),
                ("Fetch", "text/plain"),
                ("Ping", "text/plain"),
            ],
            "{url}: the stranger's writes as sent: {strangers:#?}"
        );
        for sent in &strangers {
            // The user's cookie went along: had the handler run, it would have run as the user.
            assert!(
                sent.header("cookie")
                    .is_some_and(|c| c.contains("demo_session=alice")),
                "{url}: sent without the session cookie: {sent:#?}"
            );
            // A site ignores the port: the two loopback origins are the same site.
            assert_eq!(
                sent.header("sec-fetch-site"),
                Some("same-site"),
                "{sent:#?}"
            );
            assert_eq!(sent.status, Some(403), "{url}: {sent:#?}");
            assert_eq!(
                sent.response_header("access-control-allow-origin"),
                None,
                "{url}: a refused write is granted nothing: {sent:#?}"
            );
        }
        eprintln!(
            "{prefix}stranger-writes: {} writes sent from {} with the session cookie, each answered 403; writes that ran: {}",
            strangers.len(),
            self.other_origin,
            stranger["ran"]
        );
        let own = posts(self.page_origin);
        let mut kinds: Vec<&str> = own.iter().map(|s| s.kind.as_str()).collect();
        kinds.sort_unstable();
        assert_eq!(
            kinds,
            ["Document", "Fetch"],
            "{url}: the page's writes: {own:#?}"
        );
        for sent in &own {
            assert_eq!(sent.status, Some(200), "{url}: {sent:#?}");
            assert!(
                sent.header("cookie")
                    .is_some_and(|c| c.contains("demo_session=alice")),
                "{url}: {sent:#?}"
            );
        }
    }

    fn result(&self, case: &str) -> &Value {
        &self.results[case]
    }

    fn allowed(&self, case: &str, status: u16, body: &str) {
        let result = self.result(case);
        assert_eq!(
            result["verdict"],
            "allowed",
            "{case}: the browser blocked what it should let the page read: {result}\n{}",
            self.console()
        );
        assert_eq!(result["status"], status, "{case}: {result}");
        assert_eq!(result["body"], body, "{case}: {result}");
    }

    /// The page got `TypeError: Failed to fetch`, and the browser's console names the URL, the
    /// requesting origin, and the reason.
    fn blocked(&self, case: &str, url: &str, origin: &str, reasons: &[&str]) {
        let result = self.result(case);
        assert_eq!(
            result["verdict"], "blocked",
            "{case}: the browser let the page read what it should block: {result}"
        );
        assert_eq!(result["error"], FAILED_TO_FETCH, "{case}: {result}");
        let quoted_origin = format!("from origin '{origin}'");
        let message = self
            .messages
            .iter()
            .find(|m| {
                m.contains("blocked by CORS policy")
                    && m.contains(&format!("'{url}'"))
                    && m.contains(&quoted_origin)
                    && reasons.iter().all(|r| m.contains(r))
            })
            .unwrap_or_else(|| {
                panic!(
                    "{case}: no console message says why {url} was blocked for {origin} ({reasons:?})\n{}",
                    self.console()
                )
            });
        eprintln!("{case}: {message}");
    }

    fn console(&self) -> String {
        format!("browser console:\n  {}", self.messages.join("\n  "))
    }
}

/// `POST /session/{id}/se/log {"type": ...}`: one of chromedriver's logs since the last read:
/// `browser`, the console of the page (and its frames), where Chromium says why it blocked a
/// response; `performance`, the DevTools events, of which the network's are recorded.
#[derive(Debug)]
struct ChromedriverLog(&'static str);

impl WebDriverCompatibleCommand for ChromedriverLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "type": self.0 }).to_string();
        (http::Method::POST, Some(body))
    }
}

/// One request the browser sent, read from its network log.
#[derive(Debug, Default)]
struct Sent {
    method: String,
    url: String,
    /// What sent it, as DevTools names it: `Document` (a navigation: a form), `Fetch`, `Ping` (a
    /// beacon), `Preflight`...
    kind: String,
    /// The request's headers as sent, names lower-case (with the cookies).
    headers: BTreeMap<String, String>,
    status: Option<u64>,
    /// The response's headers as received, names lower-case.
    response_headers: BTreeMap<String, String>,
}

impl Sent {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers.get(name).map(String::as_str)
    }
}

/// The requests of chromedriver's performance log, in the order they were sent, from the
/// `Network` events: `requestWillBeSent` (method, URL, kind), `requestWillBeSentExtraInfo` (the
/// headers on the wire, cookies included), `responseReceived` and `responseReceivedExtraInfo`
/// (status and headers), joined by request id (a request's events may arrive in any order).
fn network_log(log: &Value) -> Vec<Sent> {
    let mut order: Vec<String> = Vec::new();
    let mut sent: BTreeMap<String, Sent> = BTreeMap::new();
    let lower = |headers: &Value| -> BTreeMap<String, String> {
        headers
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(name, value)| {
                Some((name.to_ascii_lowercase(), value.as_str()?.to_owned()))
            })
            .collect()
    };
    for entry in log.as_array().into_iter().flatten() {
        let Some(event) = entry["message"]
            .as_str()
            .and_then(|m| serde_json::from_str::<Value>(m).ok())
        else {
            continue;
        };
        let event = &event["message"];
        let params = &event["params"];
        let Some(id) = params["requestId"].as_str() else {
            continue;
        };
        let id = id.to_owned();
        let request = sent.entry(id.clone()).or_default();
        match event["method"].as_str() {
            Some("Network.requestWillBeSent") => {
                order.push(id);
                request.method = params["request"]["method"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                request.url = params["request"]["url"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                request.kind = params["type"].as_str().unwrap_or_default().to_owned();
                for (name, value) in lower(&params["request"]["headers"]) {
                    request.headers.entry(name).or_insert(value);
                }
            }
            Some("Network.requestWillBeSentExtraInfo") => {
                request.headers.extend(lower(&params["headers"]));
            }
            Some("Network.responseReceived") => {
                request.status = params["response"]["status"].as_u64();
                for (name, value) in lower(&params["response"]["headers"]) {
                    request.response_headers.entry(name).or_insert(value);
                }
            }
            Some("Network.responseReceivedExtraInfo") => {
                request.status = request.status.or(params["statusCode"].as_u64());
                request.response_headers.extend(lower(&params["headers"]));
            }
            _ => {}
        }
    }
    order.iter().filter_map(|id| sent.remove(id)).collect()
}
