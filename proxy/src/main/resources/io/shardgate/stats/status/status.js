// shardgate status page: polls status.json (same origin, relative, so the page also works behind a reverse proxy
// under a sub-path) every second and redraws. No framework, no build step.
// Every text from the proxy goes in through textContent, never as HTML.
"use strict";
(function () {
  var REFRESH_MS = 1000;
  var TIMEOUT_MS = 4000;
  var SVG = "http://www.w3.org/2000/svg";
  var STATES = {
    up: { icon: "\u2713", word: "up" },
    failing: { icon: "\u25B2", word: "failing" },
    ejected: { icon: "\u2715", word: "ejected" }
  };
  var lastOk = 0;
  var refreshes = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // ---- formatting ----
  function rate(v) {
    if (v === null || v === undefined) return "\u2014";
    if (v < 10) return v.toFixed(1);
    return Math.round(v).toLocaleString("en-US");
  }
  function micros(v) {
    if (v === null || v === undefined) return "\u2014";
    if (v < 1000) return Math.round(v) + " \u00B5s";
    if (v < 1e6) return (v / 1000).toFixed(v < 1e4 ? 2 : 1) + " ms";
    return (v / 1e6).toFixed(2) + " s";
  }
  function bytes(v) {
    if (v === null || v === undefined || v < 0) return "n/a";
    var mib = v / 1048576;
    if (mib >= 1024) return (mib / 1024).toFixed(1) + " GiB";
    return (mib < 10 ? mib.toFixed(1) : Math.round(mib)) + " MiB";
  }
  function duration(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + " s";
    var m = Math.floor(s / 60);
    if (m < 60) return m + " min " + (s % 60) + " s";
    var h = Math.floor(m / 60);
    if (h < 48) return h + " h " + (m % 60) + " min";
    return Math.floor(h / 24) + " d " + (h % 24) + " h";
  }
  function clock(ms) {
    var d = new Date(ms);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
  }
  function day(ms) {
    var d = new Date(ms);
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }
  function badge(state, word) {
    var s = STATES[state] || STATES.up;
    var b = el("span", "badge " + state);
    var icon = el("span", null, s.icon);
    icon.setAttribute("aria-hidden", "true");
    b.appendChild(icon);
    b.appendChild(document.createTextNode(" " + (word || s.word)));
    return b;
  }

  // ---- header ----
  function summary(report) {
    var total = 0, failing = 0, ejected = 0;
    report.pools.forEach(function (p) {
      total += p.servers.length;
      failing += p.servers_failing;
      ejected += p.servers_ejected;
    });
    var node = document.getElementById("summary");
    clear(node);
    var where = total + " servers in " + report.pools.length + (report.pools.length === 1 ? " pool" : " pools");
    if (ejected === 0 && failing === 0) {
      node.appendChild(badge("up", "all up"));
      node.appendChild(document.createTextNode(" " + where));
      return;
    }
    if (ejected > 0) node.appendChild(badge("ejected", ejected + " ejected"));
    if (failing > 0) {
      if (ejected > 0) node.appendChild(document.createTextNode(" "));
      node.appendChild(badge("failing", failing + " failing"));
    }
    node.appendChild(document.createTextNode(" of " + where));
  }

  function processCard(report) {
    var p = report.process;
    var node = document.getElementById("process");
    clear(node);
    document.getElementById("host").textContent = p.source + " \u00B7 pid " + p.pid;
    function item(label, value, small) {
      var d = el("div");
      d.appendChild(el("dt", null, label));
      var dd = el("dd", null, value);
      if (small) {
        dd.appendChild(document.createTextNode(" "));
        dd.appendChild(el("small", null, small));
      }
      d.appendChild(dd);
      node.appendChild(d);
      return dd;
    }
    item("version", p.version);
    item("uptime", duration(p.uptime_seconds * 1000), "since " + day(p.started_at) + " " + clock(p.started_at));
    item("workers", String(p.workers), p.workers_answered < p.workers
      ? p.workers_answered + " answered the last sample" : p.transport + " transport");
    var c = p.config;
    item("config", c.file, c.digest);
    item("last reload", c.last_reload ? clock(c.last_reload.at) : "never",
      c.last_reload ? (c.last_reload.ok ? "took" : "failed: " + c.last_reload.error)
        : "loaded " + clock(c.loaded_at));
    var m = p.memory;
    item("heap", bytes(m.heap_used), "of " + bytes(m.heap_max));
    item("direct memory", bytes(m.direct_used), m.direct_max ? "of " + bytes(m.direct_max) : "");
    item("resident", bytes(m.rss));
    item("connections", p.connections_open.toLocaleString("en-US"),
      p.connections_opened.toLocaleString("en-US") + " since start");
  }

  // ---- pools ----
  function figure(label, value, bad) {
    var f = el("div", "figure");
    f.appendChild(el("span", null, label));
    var b = el("b", bad ? "bad" : null, value);
    f.appendChild(b);
    return f;
  }

  function poolCard(pool, now) {
    var card = el("section", "card pool");
    card.setAttribute("data-pool", pool.name);
    if (pool.servers_ejected > 0) card.classList.add("has-ejected");
    else if (pool.servers_failing > 0) card.classList.add("has-failing");
    var head = el("div", "pool-head");
    var title = el("div", "pool-title");
    var h = el("h2", null, pool.name);
    var worst = pool.servers_ejected > 0 ? "ejected" : pool.servers_failing > 0 ? "failing" : "up";
    h.appendChild(badge(worst));
    title.appendChild(h);
    var meta = el("p");
    meta.appendChild(el("code", null, pool.listen));
    var words = " \u00B7 " + pool.protocol + " \u00B7 " + pool.distribution + " \u00B7 " + pool.hash;
    if (pool.hash_tag) words += " \u00B7 hash_tag " + pool.hash_tag;
    words += pool.auto_eject_hosts
      ? " \u00B7 auto-eject after " + pool.server_failure_limit
        + (pool.server_failure_limit === 1 ? " failure" : " failures") + ", retry "
        + duration(pool.server_retry_timeout_ms) + (pool.eject_policy !== "rehash" ? ", policy " + pool.eject_policy : "")
      : " \u00B7 no auto-eject";
    meta.appendChild(document.createTextNode(words));
    title.appendChild(meta);
    head.appendChild(title);
    var figs = el("div", "figures");
    figs.appendChild(figure("clients", pool.client_connections.toLocaleString("en-US")));
    figs.appendChild(figure("requests/s", rate(pool.requests_per_second)));
    figs.appendChild(figure("errors/s", rate(pool.errors_per_second), pool.errors_per_second > 0));
    figs.appendChild(figure("servers up", pool.servers_up + " / " + pool.servers.length,
      pool.servers_up < pool.servers.length));
    head.appendChild(figs);
    card.appendChild(head);

    var table = el("table");
    var thead = el("thead");
    var tr = el("tr");
    [["server", ""], ["req/s", "n"], ["p50", "n"], ["p99", "n"], ["in flight", "n"], ["conns", "n"],
      ["failures", "n"], ["ejection", ""], ["last 5 min", ""]].forEach(function (c) {
      var th = el("th", c[1], c[0]);
      th.setAttribute("scope", "col");
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var body = el("tbody");
    pool.servers.forEach(function (s) { body.appendChild(serverRow(pool, s, now)); });
    table.appendChild(body);
    card.appendChild(table);
    return card;
  }

  function cell(row, label, cls, content, field) {
    var td = el("td", cls);
    if (label) td.setAttribute("data-label", label);
    if (field) td.setAttribute("data-field", field);
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content;
    row.appendChild(td);
    return td;
  }

  function serverRow(pool, s, now) {
    var tr = el("tr", "srv " + s.state);
    tr.setAttribute("data-server", s.name);
    tr.setAttribute("data-state", s.state);
    var who = el("div", "server-cell");
    who.appendChild(badge(s.state));
    var names = el("div");
    names.appendChild(el("span", "server-name", s.name));
    if (s.address !== s.name) names.appendChild(el("span", "server-addr", s.address));
    who.appendChild(names);
    cell(tr, null, "wide", who, "server");
    cell(tr, "req/s", "n", rate(s.requests_per_second), "rps");
    cell(tr, "p50", "n", micros(s.p50_micros), "p50");
    cell(tr, "p99", "n", micros(s.p99_micros), "p99");
    cell(tr, "in flight", "n", s.in_flight.toLocaleString("en-US"), "in_flight");
    cell(tr, "conns", "n", String(s.connections), "connections");
    var f = cell(tr, "failures", "n" + (s.recent_failures > 0 ? " bad" : ""), s.failures.toLocaleString("en-US"),
      "failures");
    f.title = s.recent_failures + " in the last 10 s; " + s.consecutive_failures + " in a row";
    cell(tr, "ejection", "wide note" + (s.state === "up" && !s.last_ejected_at ? " empty" : ""),
      ejection(s, pool, now), "ejection");
    cell(tr, "last 5 min", "wide", sparkline(s.history), "spark");
    return tr;
  }

  function ejection(s, pool, now) {
    var n = el("span");
    function part(label, value) {
      n.appendChild(document.createTextNode(label + " "));
      n.appendChild(el("b", null, value));
      n.appendChild(document.createTextNode(" "));
    }
    if (s.state === "ejected") {
      part("since", clock(s.ejected_at) + " (" + duration(now - s.ejected_at) + ")");
      n.appendChild(el("br"));
      if (s.retry_at > now) part("retry at", clock(s.retry_at) + " (in " + duration(s.retry_at - now) + ")");
      else part("retry", "due now");
      return n;
    }
    if (s.state === "failing") {
      var why = s.recent_failures + " failed connection" + (s.recent_failures === 1 ? "" : "s") + " in 10 s";
      if (pool.auto_eject_hosts && s.consecutive_failures > 0) {
        why += ", " + s.consecutive_failures + " of " + pool.server_failure_limit + " to ejection";
      }
      n.textContent = why;
      return n;
    }
    n.textContent = s.last_ejected_at ? "last ejected " + clock(s.last_ejected_at) : "\u2014";
    if (!s.last_ejected_at) n.className = "dash";
    return n;
  }

  function sparkline(h) {
    var values = h.requests_per_second;
    if (values.length < 2) return el("span", "collecting", "collecting\u2026");
    var W = 132, H = 30, TOP = 2, BASE = 24, n = 60;
    var step = W / (n - 1);
    var x0 = W - (values.length - 1) * step;
    var max = Math.max.apply(null, values);
    var s = svg("svg", { "class": "spark", viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none",
      role: "img" });
    var title = svg("title", {});
    title.textContent = "requests/s, one point per " + h.step_seconds + " s: now " + rate(values[values.length - 1])
      + ", max " + rate(max);
    s.appendChild(title);
    s.setAttribute("aria-label", title.textContent);
    h.ejected.forEach(function (out, i) {
      if (out) s.appendChild(svg("rect", { "class": "out", x: (x0 + (i - 0.5) * step).toFixed(1), y: 0,
        width: step.toFixed(1), height: BASE }));
    });
    s.appendChild(svg("line", { "class": "base", x1: 0, y1: BASE + 0.5, x2: W, y2: BASE + 0.5 }));
    var pts = values.map(function (v, i) {
      var y = max > 0 ? BASE - (v / max) * (BASE - TOP) : BASE;
      return (x0 + i * step).toFixed(1) + "," + y.toFixed(1);
    });
    s.appendChild(svg("polygon", { "class": "area", points: x0.toFixed(1) + "," + BASE + " " + pts.join(" ") + " "
      + W.toFixed(1) + "," + BASE }));
    s.appendChild(svg("polyline", { "class": "line", points: pts.join(" ") }));
    h.failures.forEach(function (f, i) {
      if (f > 0) s.appendChild(svg("rect", { "class": "fail", x: (x0 + i * step - 1).toFixed(1), y: BASE + 2,
        width: 2.5, height: 4 }));
    });
    return s;
  }

  // ---- refresh loop ----
  function render(report) {
    summary(report);
    processCard(report);
    var pools = document.getElementById("pools");
    var frag = document.createDocumentFragment();
    report.pools.forEach(function (p) { frag.appendChild(poolCard(p, report.process.now)); });
    clear(pools);
    pools.appendChild(frag);
    refreshes++;
    document.body.setAttribute("data-refreshes", String(refreshes));
    document.body.setAttribute("data-sampled-at", String(report.process.sampled_at));
    document.title = (report.pools.some(function (p) { return p.servers_ejected > 0; }) ? "\u2715 " : "")
      + "shardgate status \u00B7 " + report.process.source;
  }

  function stale(message) {
    document.body.classList.add("stale");
    var live = document.getElementById("live");
    live.classList.add("stale");
    live.textContent = "no answer" + (lastOk ? " since " + clock(lastOk) : "");
    var banner = document.getElementById("banner");
    banner.textContent = "The proxy's admin listener does not answer (" + message + "); the figures below are "
      + "from " + (lastOk ? clock(lastOk) : "nowhere yet") + ". Retrying every second.";
    banner.hidden = false;
  }

  function fresh() {
    lastOk = Date.now();
    document.body.classList.remove("stale");
    var live = document.getElementById("live");
    live.classList.remove("stale");
    live.textContent = "live \u00B7 " + clock(lastOk);
    document.getElementById("banner").hidden = true;
  }

  function poll() {
    var ctl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, TIMEOUT_MS);
    fetch("status.json", { cache: "no-store", signal: ctl ? ctl.signal : undefined })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (report) {
        render(report);
        fresh();
      })
      .catch(function (e) { stale(e && e.name === "AbortError" ? "timed out" : String(e && e.message || e)); })
      .then(function () {
        clearTimeout(timer);
        setTimeout(poll, REFRESH_MS);
      });
  }

  poll();
})();
