//! A real browser decides, for a typed `lambda_runtime` function: headless Chromium calls the
//! `typed-events` example (`#[cors_handler]` on `LambdaEvent<LambdaFunctionUrlRequest>`) and the
//! `demo-api` example (`lambda_http`), both under `cargo lambda watch --disable-cors` with the
//! same policy (`cors_examples::cors::DEMO_CORS`), from a page on an allowed origin and from one
//! on another origin, and the test asserts that the browser lets the page read the same thing from
//! both: status, body, readable headers, or the same block.
//!
//! Needs `chromium`, `chromedriver` and `cargo lambda`, as `tests/browser.rs` does (without one of
//! them, plain `cargo test` leaves the suite out and says so; `CORS_REQUIRE_TOOLS=1` makes it a
//! failure).

#[path = "support/browser.rs"]
mod browser;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use browser::{
    Browser, BrowserLog, Process, RUN_ALL_WAIT, Scratch, StaticServer, Tools, bounded, free_port,
    wait_for_chromedriver, wait_for_http,
};
use fantoccini::Locator;
use serde_json::{Value, json};

/// The page: runs every case against `?api=` (a function's base URL) and publishes the results in
/// `window.results`, then marks `body[data-state='done']`.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>typed events</title>
<body data-state="running">
<script>
const api = new URLSearchParams(location.search).get("api");
const cases = {
  "simple-get": ["/hello", {}],
  "post-json": ["/echo", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: 1 }) }],
  "put-custom-header": ["/items/7", { method: "PUT", headers: { "x-demo-token": "t-1" } }],
  "early-return": ["/items/0", {}],
  "question-mark": ["/items/abc", {}],
  "explicit-err": ["/fail", {}],
  "panic": ["/panic", {}],
  "exposed-header": ["/headers", {}],
  "no-route": ["/nowhere", {}],
  "disallowed-method": ["/items/1", { method: "DELETE" }],
  "disallowed-header": ["/hello", { headers: { "x-unlisted": "1" } }],
};
async function run(name, [path, init]) {
  try {
    const response = await fetch(api + path, { credentials: "include", ...init });
    return {
      status: response.status,
      body: await response.text(),
      requestId: response.headers.get("x-request-id") !== null,
      internalTrace: response.headers.get("x-internal-trace"),
    };
  } catch (error) {
    return { error: String(error) };
  }
}
(async () => {
  const results = {};
  for (const [name, request] of Object.entries(cases)) results[name] = await run(name, request);
  window.results = results;
  document.body.dataset.state = "done";
})();
</script>
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_real_browser_reads_the_same_answers_from_a_typed_function() {
    let started = Instant::now();
    let Some(tools) = Tools::find_or_leave_out(
        "browser_typed",
        "a_real_browser_reads_the_same_answers_from_a_typed_function",
    ) else {
        return;
    };
    let scratch = Scratch::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf();
    let site = scratch.path.join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("typed.html"), PAGE).unwrap();
    let page = StaticServer::start(site.clone()).await;
    let other = StaticServer::start(site).await;
    let page_origin = format!("http://127.0.0.1:{}", page.port);
    let other_origin = format!("http://127.0.0.1:{}", other.port);

    let env_file = scratch.path.join("demo.env");
    std::fs::write(&env_file, format!("DEMO_ALLOWED_ORIGINS={page_origin}\n")).unwrap();
    let api_port = free_port();
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
        Command::new(&tools.chromedriver).arg(format!("--port={driver_port}")),
        &scratch.path.join("chromedriver.log"),
    );
    for function in ["typed-events", "demo-api"] {
        let path = format!("/lambda-url/{function}/hello");
        let origin = [("origin", page_origin.as_str())];
        let response = wait_for_http(api_port, &path, &origin, &mut cargo_lambda).await;
        assert_eq!(response.status, 200, "{function}: {response:?}");
        assert_eq!(
            response.header("access-control-allow-origin"),
            Some(page_origin.as_str()),
            "{function}: {response:?}"
        );
    }
    let built = started.elapsed();

    wait_for_chromedriver(driver_port, &mut chromedriver).await;
    let browser = Browser::connect(driver_port, &tools, &scratch, false).await;
    let client = &browser.client;
    let mut results = Vec::new();
    for (origin, function) in [
        (&page_origin, "typed-events"),
        (&page_origin, "demo-api"),
        (&other_origin, "typed-events"),
        (&other_origin, "demo-api"),
    ] {
        let api = format!("http://127.0.0.1:{api_port}/lambda-url/{function}");
        let url = format!("{origin}/typed.html?api={api}");
        bounded("loading the page", client.goto(&url)).await;
        bounded(
            "the page running its cases",
            client
                .wait()
                .at_most(RUN_ALL_WAIT)
                .for_element(Locator::Css("body[data-state='done']")),
        )
        .await;
        let ran = bounded(
            "reading the results",
            client.execute("return window.results", vec![]),
        )
        .await;
        results.push(((origin.clone(), function), ran));
    }
    let log = bounded("reading the browser log", client.issue_cmd(BrowserLog)).await;
    let console: Vec<&str> = log
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["message"].as_str())
        .collect();
    let console = console.join("\n  ");

    let [(_, typed), (_, demo), (_, typed_other), (_, demo_other)] = &results[..] else {
        unreachable!("four runs")
    };
    // The same answers, `typed-events` read as `demo-api`.
    let same = |value: &Value| -> Value {
        serde_json::from_str(&value.to_string().replace("typed-events", "demo-api")).unwrap()
    };
    assert_eq!(same(typed), *demo, "allowed origin; console:\n  {console}");
    assert_eq!(
        same(typed_other),
        *demo_other,
        "other origin; console:\n  {console}"
    );

    // And those answers are the policy's, case by case.
    let blocked = json!({ "error": "TypeError: Failed to fetch" });
    let internal = r#"{"message":"Internal Server Error"}"#;
    let read = |status: u16, body: &str| json!({ "status": status, "body": body, "requestId": false, "internalTrace": null });
    let expected = json!({
        "simple-get": read(200, "hello from typed-events"),
        "post-json": {
            "status": 200, "body": r#"{"echo":{"n":1}}"#, "requestId": false, "internalTrace": null
        },
        "put-custom-header": {
            "status": 200, "body": r#"{"id":7,"token":"t-1"}"#, "requestId": false,
            "internalTrace": null
        },
        "early-return": read(404, "no item 0"),
        "question-mark": read(500, internal),
        "explicit-err": read(500, internal),
        "panic": read(500, internal),
        "exposed-header": {
            "status": 200, "body": "two headers: one exposed, one not", "requestId": true,
            "internalTrace": null
        },
        "no-route": read(404, "no route GET /nowhere"),
        "disallowed-method": blocked,
        "disallowed-header": blocked,
    });
    assert_eq!(*typed, expected, "console:\n  {console}");
    for (case, result) in typed_other.as_object().expect("results") {
        assert_eq!(*result, blocked, "{case} from {other_origin}");
    }

    bounded("closing the session", browser.client.clone().close()).await;
    drop(cargo_lambda);
    eprintln!(
        "browser_typed: {} cases x 4 runs in {:.1?} ({built:.1?} waiting for cargo lambda and the builds)",
        typed.as_object().map_or(0, |cases| cases.len()),
        started.elapsed(),
    );
}
