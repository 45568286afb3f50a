// What a browser lets a page read from a #[cors_handler] API.
//
// Every case is one cross-origin fetch (two for the login). The page records the browser's
// verdict: "allowed" with the status, the headers the page can read and the body, or "blocked"
// with the error fetch() threw. tests/browser.rs clicks "Run all" on this page in headless
// Chromium and asserts window.corsDemo.results, so the demo and the test stay in sync.
//
// Writes: a page on the other origin (a stranger to the policy) sends five writes to
// `POST /writes` with the user's session cookie: a form POST in each of the three encodings, a
// `no-cors` fetch and a beacon. None may run (the function counts the writes that ran; this page
// reads the count before and after); this page's own credentialed fetch POST and form POST both run.
//
// Query parameters (all optional):
//   api=http://127.0.0.1:9000    where `cargo lambda watch` listens (default: this host, port 9000)
//   other=http://127.0.0.1:8081  an origin serving this directory that the API does not allow
"use strict";

(function () {
  const params = new URLSearchParams(location.search);
  const here = `${location.protocol}//${location.hostname}`;
  const api = (params.get("api") || `${here}:9000`).replace(/\/+$/, "");
  const other = (params.get("other") || `${here}:8081`).replace(/\/+$/, "");
  const API = `${api}/lambda-url/demo-api`;
  const PUBLIC = `${api}/lambda-url/demo-public`;
  const AXUM = `${api}/lambda-url/axum-api`;
  const ORDERS = `${api}/lambda-url/orders`;
  const STREAMING = `${api}/lambda-url/streaming`;
  const ACCOUNTS = `${api}/lambda-url/accounts`;

  // One fetch; never throws. `read` names headers to look up with response.headers.get().
  async function attempt(url, init, read) {
    try {
      const response = await fetch(url, { cache: "no-store", ...init });
      const headers = {};
      for (const [name, value] of response.headers) headers[name] = value;
      const got = {};
      for (const name of read || []) got[name] = response.headers.get(name);
      const body = await response.text();
      return { verdict: "allowed", status: response.status, headers, got, body, error: null };
    } catch (error) {
      return {
        verdict: "blocked",
        status: null,
        headers: {},
        got: {},
        body: null,
        error: `${error.name}: ${error.message}`,
      };
    }
  }

  // A streamed answer, read chunk by chunk with `response.body.getReader()`: each chunk's text
  // and when it arrived (ms after the response's head).
  async function streamed(url, init) {
    try {
      const response = await fetch(url, { cache: "no-store", ...init });
      const headers = {};
      for (const [name, value] of response.headers) headers[name] = value;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const head = performance.now();
      const chunks = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push({ text: decoder.decode(value), at: Math.round(performance.now() - head) });
      }
      const body = chunks.map((c) => c.text).join("");
      const arrivals = chunks.map((c) => `+${c.at} ms`).join(" ");
      return {
        verdict: "allowed",
        status: response.status,
        headers,
        got: {},
        body: `${body} (${chunks.length} chunks: ${arrivals})`,
        chunks,
        error: null,
      };
    } catch (error) {
      return { verdict: "blocked", status: null, headers: {}, got: {}, body: null, error: `${error.name}: ${error.message}` };
    }
  }

  // A form POST to `url` in `enctype`, into a hidden frame; resolves "answered" once the frame
  // has loaded the answer (which the page cannot read: it comes from another origin).
  function submitForm(url, enctype) {
    return new Promise((resolve) => {
      const name = `form-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const frame = document.createElement("iframe");
      frame.name = name;
      frame.hidden = true;
      document.body.appendChild(frame);
      const form = document.createElement("form");
      form.method = "POST";
      form.action = url;
      form.enctype = enctype;
      form.target = name;
      form.hidden = true;
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = "amount";
      field.value = "100";
      form.appendChild(field);
      document.body.appendChild(form);
      const finish = (outcome) => {
        clearTimeout(timer);
        form.remove();
        frame.remove();
        resolve(outcome);
      };
      const timer = setTimeout(() => finish("no answer"), 10000);
      // Added after the frame's own about:blank load: this is the answer's.
      frame.addEventListener("load", () => finish("answered"), { once: true });
      form.submit();
    });
  }

  // Waits until the browser has the answer to this document's beacon to `url` (its resource
  // timing entry has a response end); "answered", or "no answer" after 10 s.
  async function beaconAnswered(url) {
    const deadline = performance.now() + 10000;
    const absolute = new URL(url, location.href).href;
    while (performance.now() < deadline) {
      const done = performance
        .getEntriesByType("resource")
        .some((e) => e.initiatorType === "beacon" && e.name === absolute && e.responseEnd > 0);
      if (done) return "answered";
      await new Promise((r) => setTimeout(r, 50));
    }
    return "no answer";
  }

  // What a stranger's page can send to `url` without asking: the five writes, each with the
  // user's cookies, one after the other, each awaited until the browser has its answer.
  async function strangerWrites(url) {
    const sent = [];
    for (const enctype of ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]) {
      sent.push({ write: `form ${enctype}`, outcome: await submitForm(url, enctype) });
    }
    try {
      const response = await fetch(url, {
        method: "POST",
        mode: "no-cors",
        credentials: "include",
        body: "amount=100",
      });
      sent.push({ write: "fetch no-cors", outcome: `answered (${response.type})` });
    } catch (error) {
      sent.push({ write: "fetch no-cors", outcome: `${error.name}: ${error.message}` });
    }
    const queued = navigator.sendBeacon(url, "amount=100");
    sent.push({ write: "sendBeacon", outcome: queued ? await beaconAnswered(url) : "not queued" });
    return sent;
  }

  // The count of writes that ran in the function, read by this page; throws if unreadable.
  async function writesSoFar(base) {
    const read = await attempt(`${base}/writes`, { credentials: "include" });
    if (read.verdict !== "allowed" || read.status !== 200) {
      throw new Error(`GET /writes: ${read.error || read.status}`);
    }
    return JSON.parse(read.body).writes;
  }

  // The session cookie, set for the API by a credentialed login, so that every write carries it.
  async function logIn(base) {
    const login = await attempt(`${base}/login`, { method: "POST", credentials: "include" });
    if (login.verdict !== "allowed" || login.status !== 200) {
      throw new Error(`POST /login: ${login.error || login.status}`);
    }
  }

  // Runs `run`; a thrown error becomes the case's result instead of stopping the page.
  async function guarded(run) {
    try {
      return await run();
    } catch (error) {
      return { verdict: "no answer", status: null, headers: {}, got: {}, body: null, error: `${error}` };
    }
  }

  // The same fetch, sent by probe.html loaded from the disallowed origin in a hidden frame; with
  // `mode` "writes", the probe sends the five writes to `url` instead.
  function fromOtherOrigin(url, credentials, mode) {
    return new Promise((resolve) => {
      const id = `probe-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const frame = document.createElement("iframe");
      frame.hidden = true;
      const done = (result) => {
        clearTimeout(timer);
        window.removeEventListener("message", onMessage);
        frame.remove();
        resolve(result);
      };
      const onMessage = (event) => {
        if (event.origin === other && event.data && event.data.probe === id) {
          done({ ...event.data.result, from: other });
        }
      };
      const timer = setTimeout(
        () =>
          done({
            verdict: "no answer",
            status: null,
            headers: {},
            got: {},
            body: null,
            error: `the probe on ${other} did not answer (is it served?)`,
          }),
        20000,
      );
      window.addEventListener("message", onMessage);
      const query = new URLSearchParams({
        id,
        url,
        credentials: credentials || "same-origin",
        mode: mode || "fetch",
      });
      frame.src = `${other}/probe.html?${query}`;
      document.body.appendChild(frame);
    });
  }

  // The demo's cases, run against `base`: `demo-api` (`#[cors_handler(config = DEMO_CORS)]`) and
  // `axum-api` (an axum Router under `CorsLayer::new(&DEMO_CORS)`), which must answer alike.
  function apiCases(prefix, base, label) {
    return [
      {
        id: `${prefix}simple-get`,
        title: `${label}Simple GET`,
        request: "GET /hello",
        want: { verdict: "allowed", status: 200 },
        run: () => attempt(`${base}/hello`),
      },
      {
        id: `${prefix}post-json`,
        title: `${label}POST JSON (preflight)`,
        request: "POST /echo, content-type: application/json",
        want: { verdict: "allowed", status: 200 },
        run: () =>
          attempt(`${base}/echo`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ hello: "world" }),
          }),
      },
      {
        id: `${prefix}put-custom-header`,
        title: `${label}PUT with a custom header`,
        request: "PUT /items/7, x-demo-token: s3cret",
        want: { verdict: "allowed", status: 200 },
        run: () =>
          attempt(`${base}/items/7`, { method: "PUT", headers: { "x-demo-token": "s3cret" } }),
      },
      {
        id: `${prefix}early-return`,
        title: `${label}Early return (404)`,
        request: "GET /items/0",
        want: { verdict: "allowed", status: 404 },
        run: () => attempt(`${base}/items/0`),
      },
      {
        id: `${prefix}question-mark`,
        title: `${label}? on an error (500)`,
        request: "GET /items/abc",
        want: { verdict: "allowed", status: 500 },
        run: () => attempt(`${base}/items/abc`),
      },
      {
        id: `${prefix}explicit-err`,
        title: `${label}return Err (500)`,
        request: "GET /fail",
        want: { verdict: "allowed", status: 500 },
        run: () => attempt(`${base}/fail`),
      },
      {
        id: `${prefix}panic`,
        title: `${label}Panic (500)`,
        request: "GET /panic",
        want: { verdict: "allowed", status: 500 },
        run: () => attempt(`${base}/panic`),
      },
      {
        id: `${prefix}credentials`,
        title: `${label}Credentials, origin list`,
        request: "POST /login, then GET /me, credentials: include",
        want: { verdict: "allowed", status: 200 },
        run: async () => {
          const login = await attempt(`${base}/login`, { method: "POST", credentials: "include" });
          if (login.verdict !== "allowed") return { ...login, error: `login: ${login.error}` };
          return attempt(`${base}/me`, { credentials: "include" });
        },
      },
      {
        id: `${prefix}no-credentials`,
        title: `${label}Credentials omitted`,
        request: "GET /me (the cookie stays home)",
        want: { verdict: "allowed", status: 200 },
        run: () => attempt(`${base}/me`),
      },
      {
        id: `${prefix}exposed-header`,
        title: `${label}Exposed vs unexposed header`,
        request: "GET /headers: x-request-id, x-internal-trace",
        want: { verdict: "allowed", status: 200 },
        run: () => attempt(`${base}/headers`, {}, ["x-request-id", "x-internal-trace"]),
      },
      {
        id: `${prefix}disallowed-origin`,
        title: `${label}Disallowed origin`,
        request: "GET /hello from the other origin",
        want: { verdict: "blocked" },
        run: () => fromOtherOrigin(`${base}/hello`),
      },
      {
        id: `${prefix}disallowed-method`,
        title: `${label}Disallowed method`,
        request: "DELETE /items/7",
        want: { verdict: "blocked" },
        run: () => attempt(`${base}/items/7`, { method: "DELETE" }),
      },
      {
        id: `${prefix}disallowed-header`,
        title: `${label}Disallowed header`,
        request: "GET /hello, x-forbidden: 1",
        want: { verdict: "blocked" },
        run: () => attempt(`${base}/hello`, { headers: { "x-forbidden": "1" } }),
      },
      {
        id: `${prefix}stranger-writes`,
        title: `${label}A stranger's form POST: 403, the write never ran`,
        request: "POST /writes from the other origin, with the cookie: 3 forms, no-cors fetch, beacon",
        want: { verdict: "not run", ran: 0 },
        run: () =>
          guarded(async () => {
            await logIn(base);
            const before = await writesSoFar(base);
            const stranger = await fromOtherOrigin(`${base}/writes`, "include", "writes");
            const after = await writesSoFar(base);
            if (!stranger.sent) return { ...stranger, ran: after - before };
            const all = stranger.sent.length === 5 && stranger.sent.every((s) => s.outcome.startsWith("answered"));
            const ran = after - before;
            return {
              verdict: !all ? "not sent" : ran === 0 ? "not run" : "ran",
              status: null,
              headers: {},
              got: {},
              body: all
                ? `5 sent, 5 answered${ran === 0 ? " (403, seen only in the developer tools)" : ""}. Writes that ran: ${before} \u2192 ${after}`
                : stranger.sent.map((s) => `${s.write}: ${s.outcome}`).join("; "),
              error: null,
              ran,
              writes: { before, after },
              sent: stranger.sent,
              from: stranger.from,
            };
          }),
      },
      {
        id: `${prefix}allowed-writes`,
        title: `${label}This page's POSTs run`,
        request: "POST /writes from this page: a credentialed fetch, then a form POST",
        want: { verdict: "allowed", status: 200, ran: 2 },
        run: () =>
          guarded(async () => {
            await logIn(base);
            const before = await writesSoFar(base);
            const posted = await attempt(`${base}/writes`, { method: "POST", credentials: "include" });
            const form = await submitForm(`${base}/writes`, "application/x-www-form-urlencoded");
            const after = await writesSoFar(base);
            const detail = `then a form POST: ${form}. Writes that ran: ${before} \u2192 ${after}`;
            return { ...posted, ran: after - before, writes: { before, after }, form, detail };
          }),
      },
    ];
  }

  const CASES = [
    ...apiCases("", API, ""),
    ...apiCases("axum-", AXUM, "axum: "),
    {
      id: "star-credentials",
      title: "origin = \"*\" with credentials",
      request: "GET public /hello, credentials: include",
      want: { verdict: "blocked" },
      run: () => attempt(`${PUBLIC}/hello`, { credentials: "include" }),
    },
    {
      id: "star",
      title: "origin = \"*\" without credentials",
      request: "GET public /hello",
      want: { verdict: "allowed", status: 200 },
      run: () => attempt(`${PUBLIC}/hello`, {}, ["x-request-id"]),
    },
    {
      id: "shared-orders",
      title: "Shared policy: orders",
      request: "GET orders /partner/orders, credentials: include (PARTNER_CORS)",
      want: { verdict: "allowed", status: 200 },
      run: () => attempt(`${ORDERS}/partner/orders`, { credentials: "include" }),
    },
    {
      id: "shared-accounts",
      title: "Shared policy: accounts",
      request: "GET accounts /partner/accounts, credentials: include (PARTNER_CORS)",
      want: { verdict: "allowed", status: 200 },
      run: () => attempt(`${ACCOUNTS}/partner/accounts`, { credentials: "include" }),
    },
    {
      id: "shared-orders-list",
      title: "Shared list: orders",
      request: "GET orders /orders/7 (API_CORS does not list this page)",
      want: { verdict: "blocked" },
      run: () => attempt(`${ORDERS}/orders/7`),
    },
    {
      id: "shared-accounts-list",
      title: "Shared list: accounts",
      request: "GET accounts /accounts/me (API_CORS does not list this page)",
      want: { verdict: "blocked" },
      run: () => attempt(`${ACCOUNTS}/accounts/me`),
    },
    {
      id: "streamed",
      title: "Streamed answer",
      request: "GET streaming /answer, read with getReader()",
      want: { verdict: "allowed", status: 200 },
      run: () => streamed(`${STREAMING}/answer`, { credentials: "include" }),
    },
    {
      id: "loopback-port",
      title: "http://127.0.0.1:* from another port",
      request: "GET streaming /answer from the other origin (another loopback port)",
      want: { verdict: "allowed", status: 200 },
      run: () => fromOtherOrigin(`${STREAMING}/answer`),
    },
    {
      id: "bearer-star",
      title: "headers = [\"*\"] and a bearer token",
      request: "GET /bearer, Authorization: Bearer t (a preflight; the policy: headers = [\"*\"], no credentials)",
      want: { verdict: "allowed", status: 200 },
      run: () => attempt(`${API}/bearer`, { headers: { authorization: "Bearer t" } }),
    },
    {
      id: "star-other-origin",
      title: "origin = \"*\" from the other origin",
      request: "GET public /hello from the other origin",
      want: { verdict: "allowed", status: 200 },
      run: () => fromOtherOrigin(`${PUBLIC}/hello`),
    },
  ];

  const results = {};

  function matches(want, result) {
    return (
      result.verdict === want.verdict &&
      (want.status === undefined || result.status === want.status) &&
      (want.ran === undefined || result.ran === want.ran)
    );
  }

  function cell(row, text, className) {
    const td = row.insertCell();
    if (className) td.className = className;
    if (text instanceof Node) td.appendChild(text);
    else td.textContent = text;
    return td;
  }

  function headerList(result) {
    const list = document.createElement("ul");
    const names = new Set([...Object.keys(result.headers || {}), ...Object.keys(result.got || {})]);
    for (const name of names) {
      const item = document.createElement("li");
      const value = name in (result.headers || {}) ? result.headers[name] : null;
      if (value === null) {
        item.className = "hidden-header";
        item.textContent = `${name}: null (not exposed)`;
      } else {
        item.textContent = `${name}: ${value}`;
      }
      list.appendChild(item);
    }
    return list;
  }

  function render(testCase, result) {
    const row = document.getElementById(`case-${testCase.id}`);
    for (let i = row.cells.length - 1; i >= 4; i--) row.deleteCell(i);
    if (!result) {
      for (let i = 0; i < 4; i++) cell(row, "");
      row.className = "";
      return;
    }
    const ok = matches(testCase.want, result);
    row.className = ok ? "match" : "mismatch";
    row.cells[0].textContent = ok ? "\u2713" : "\u2717";
    cell(row, result.verdict, `verdict ${result.verdict.replace(" ", "-")}`);
    cell(row, result.status === null ? "\u2014" : String(result.status));
    cell(row, result.verdict === "allowed" ? headerList(result) : "\u2014");
    const failed = result.error !== null && result.error !== undefined;
    let body = failed ? result.error : result.body;
    if (body === "") body = "(empty)";
    if (!failed && result.detail) body = `${body}; ${result.detail}`;
    cell(row, body, failed ? "error" : "body");
  }

  async function runCase(testCase) {
    const row = document.getElementById(`case-${testCase.id}`);
    row.className = "running";
    const result = await testCase.run();
    results[testCase.id] = result;
    render(testCase, result);
    return result;
  }

  async function runAll() {
    document.body.dataset.state = "running";
    document.getElementById("run-all").disabled = true;
    document.getElementById("summary").textContent = "running\u2026";
    for (const testCase of CASES) {
      delete results[testCase.id];
      render(testCase, null);
    }
    for (const testCase of CASES) await runCase(testCase);
    const good = CASES.filter((c) => matches(c.want, results[c.id])).length;
    document.getElementById("summary").textContent =
      `${good} of ${CASES.length} cases as expected`;
    document.getElementById("run-all").disabled = false;
    document.body.dataset.state = "done";
    return results;
  }

  function setUp() {
    document.getElementById("page-origin").textContent = location.origin;
    document.getElementById("api-origin").textContent = new URL(api).origin;
    document.getElementById("other-origin").textContent = other;
    const tbody = document.querySelector("#results tbody");
    for (const testCase of CASES) {
      const row = tbody.insertRow();
      row.id = `case-${testCase.id}`;
      cell(row, "");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = testCase.title;
      button.addEventListener("click", () => runCase(testCase));
      cell(row, button);
      cell(row, testCase.request, "request");
      const want = testCase.want;
      const ran = want.ran ? ` \u00b7 ${want.ran} ran` : "";
      cell(row, (want.status ? `${want.verdict} \u00b7 ${want.status}` : want.verdict) + ran);
      render(testCase, null);
    }
    document.getElementById("run-all").addEventListener("click", runAll);
    window.corsDemo = { cases: CASES.map(({ run, ...c }) => c), results, runAll, api, other };
    if (params.get("autorun") === "1") runAll();
  }

  async function probe() {
    const url = params.get("url");
    const credentials = params.get("credentials") || "same-origin";
    const result =
      params.get("mode") === "writes" ? { sent: await strangerWrites(url) } : await attempt(url, { credentials });
    parent.postMessage({ probe: params.get("id"), result }, "*");
  }

  if (document.body.dataset.role === "probe") probe();
  else setUp();
})();
