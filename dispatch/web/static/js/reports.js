/* 报表: the three rates per team, category or community for a period, the hot spots (高发点位),
   a community's work log (民情日志), the field's patrol reports (巡查上报统计), the desk's
   workload per person (话务员工作量) and the daily summary (日报). */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, api, percent } = D;
  if (!D.requireLogin(["supervisor", "admin"])) return;
  const f = (id) => document.getElementById(id);
  const num = (n) => el("td", { class: "num" }, String(n));
  const rateCell = (value, kind) => el("td", { class: "num rate", dataset: { rate: kind } }, percent(value));
  const RATES = ["response_rate", "resolution_rate", "satisfaction_rate"];

  // --- the three rates: which grouping, its columns and how a row is named ----------------------
  const byOrder = (first) => ({
    first,
    counts: ["received", "dispatched", "accepted", "resolved", "callbacks", "satisfied"],
    basis: "reports.basis_orders",
    key: (r) => r.code || "",
    name: (r) => (r.code === null ? T("report.no_community") : D.english ? r.name_en || r.code : r.name),
  });
  const DIMENSIONS = {
    teams: {
      first: "report.team",
      counts: ["dispatched", "accepted", "resolved", "returned", "callbacks", "satisfied"],
      basis: "reports.basis_teams",
      key: (r) => r.team_code,
      name: (r) => (D.english ? r.team_name_en || r.team_code : r.team_name),
    },
    categories: byOrder("report.category"),
    communities: byOrder("report.community"),
  };
  let dimension = "teams";

  const fetchRates = D.newestOnly((d) => D.periodForm.load(d));
  async function refreshRates() {
    const spec = DIMENSIONS[dimension];
    const report = await fetchRates(dimension);
    if (!report) return;
    const heads = [T(spec.first), ...spec.counts.map((c) => T("report." + c)), ...RATES.map((r) => T("report." + r))];
    f("rates-table").tHead.replaceChildren(el("tr", {}, heads.map((h, i) => el("th", { class: i ? "num" : "" }, h))));
    f("rates-table").tBodies[0].replaceChildren(...report.data.map((r) =>
      el("tr", { dataset: { key: spec.key(r) } },
        el("td", {}, spec.name(r)),
        spec.counts.map((c) => num(r[c])),
        RATES.map((rate) => rateCell(r[rate], rate.split("_")[0])))));
    f("rates-table").dataset.dimension = dimension;
    f("rates-basis").textContent = T(spec.basis);
  }
  const showError = (err) => D.showAlert(D.errorText(err), "error");
  document.querySelectorAll("#dimension-tabs .tab").forEach((tab) => {
    tab.addEventListener("click", () => {
      dimension = tab.dataset.dimension;
      document.querySelectorAll("#dimension-tabs .tab").forEach((t) => t.classList.toggle("active", t === tab));
      refreshRates().catch(showError);
    });
  });
  f("period-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshRates().catch(showError);
  });
  f("rates-csv").addEventListener("click", () => D.periodForm.download(dimension, "csv"));
  f("rates-xlsx").addEventListener("click", () => D.periodForm.download(dimension, "xlsx"));

  // --- 日报 -------------------------------------------------------------------------------------
  const named = (n) => (n ? (D.english ? n.name_en || n.code : n.name) : "");
  function tile(kind, n, label, extra) {
    return el("div", { class: "tile " + (extra || ""), dataset: { kind } },
      el("span", { class: "n" }, String(n)), el("span", { class: "label" }, label));
  }
  function renderTiles(s) {
    const tiles = [tile("received", s.received, T("daily.received")),
      tile("answered_at_desk", s.answered_at_desk, T("daily.answered_at_desk"))];
    for (const [kind, n] of Object.entries(s.progress)) tiles.push(tile(kind, n, T("report." + kind)));
    tiles.push(tile("late", s.late.length, T("daily.late"), s.late.length ? "late" : ""));
    for (const [kind, n] of Object.entries(s.escalation_counts)) {
      tiles.push(tile(kind, n, D.eventLabel(kind), n ? "nearly" : ""));
    }
    tiles.push(tile("satisfaction", percent(s.satisfaction.rate), T("report.satisfaction_rate")));
    f("daily-tiles").replaceChildren(...tiles);
  }

  let chart = null;
  function renderChannels(byChannel) {
    const entries = Object.entries(byChannel);
    f("channel-table").tBodies[0].replaceChildren(...entries.map(([c, n]) =>
      el("tr", { dataset: { channel: c } }, el("td", {}, T("channel." + c)), num(n))));
    if (!window.echarts) return;
    chart = chart || window.echarts.init(f("channel-chart"), null, { renderer: "canvas", locale: D.english ? "EN" : "ZH" });
    chart.setOption({
      animation: false,
      grid: { left: 36, right: 12, top: 12, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: entries.map(([c]) => T("channel." + c)), axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: T("daily.received"), type: "bar", data: entries.map(([, n]) => n), itemStyle: { color: "#1f5fa8" } }],
    });
  }
  window.addEventListener("resize", () => chart && chart.resize());

  function renderSatisfaction(s) {
    const rows = ["satisfied", "partly", "unsatisfied"].map((v) =>
      el("tr", { dataset: { verdict: v } }, el("td", {}, T("satisfaction." + v)), num(s[v])));
    rows.push(el("tr", {}, el("td", {}, T("report.callbacks")), num(s.callbacks)));
    rows.push(el("tr", {}, el("td", {}, T("report.satisfaction_rate")), rateCell(s.rate, "satisfaction")));
    f("satisfaction-table").tBodies[0].replaceChildren(...rows);
  }

  function renderLate(late) {
    f("late-table").tBodies[0].replaceChildren(...late.map((o) =>
      el("tr", { class: o.done_at ? "nearly" : "late", dataset: { number: o.number, due: o.due_kind } },
        el("td", {}, D.orderLink(o.number)),
        el("td", {}, named(o.category)),
        el("td", {}, named(o.team)),
        el("td", {}, T(o.due_kind === "accept" ? "board.due_accept" : "board.due_resolve")),
        el("td", {}, D.fmtTime(o.due_at)),
        el("td", {}, o.done_at ? D.fmtTime(o.done_at) : T("daily.not_done")),
        el("td", {}, D.statusLabel(o.status)))));
    f("late-empty").hidden = late.length > 0;
  }

  const fetchDaily = D.newestOnly((day) => api("/api/v1/reports/daily" + (day ? "?day=" + day : "")));
  async function refreshDaily() {
    const day = f("daily-day").value;
    const s = await fetchDaily(day);
    if (!s) return;
    if (!day) f("daily-day").value = s.day;
    f("daily-as-of").textContent = s.complete ? "" : T("daily.as_of_time", { t: D.fmtTime(s.as_of) });
    renderTiles(s);
    renderChannels(s.by_channel);
    f("category-table").tBodies[0].replaceChildren(...s.by_category.map((c) =>
      el("tr", { dataset: { category: c.category.code } }, el("td", {}, named(c.category)), num(c.count))));
    f("category-empty").hidden = s.by_category.length > 0;
    renderSatisfaction(s.satisfaction);
    renderLate(s.late);
    f("daily-escalations").replaceChildren(...s.escalations.map(D.escalationItem));
    f("daily-escalations-empty").hidden = s.escalations.length > 0;
    f("daily-section").dataset.day = s.day;
  }
  f("day-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshDaily().catch(showError);
  });
  function exportDaily(ext) {
    const day = f("daily-day").value;
    const params = new URLSearchParams({ lang: D.locale });
    if (day) params.set("day", day);
    D.download("/api/v1/reports/daily." + ext + "?" + params.toString(), "daily-" + day + "." + ext).catch(showError);
  }
  f("daily-csv").addEventListener("click", () => exportDaily("csv"));
  f("daily-xlsx").addEventListener("click", () => exportDaily("xlsx"));

  // --- 高发点位 ---------------------------------------------------------------------------------
  const hotspotForm = D.periodFormOf("hotspot", () => ({ min_calls: f("hotspot-min").value || "3" }));
  const fetchHotspots = D.newestOnly(() => hotspotForm.load("hotspots"));
  async function refreshHotspots() {
    const report = await fetchHotspots();
    if (!report) return;
    f("hotspot-table").tBodies[0].replaceChildren(...report.data.map((s) => window.Hotspots.row(s)));
    f("hotspot-empty").hidden = report.data.length > 0;
  }
  f("hotspot-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshHotspots().catch(showError);
  });
  f("hotspot-csv").addEventListener("click", () => hotspotForm.download("hotspots", "csv"));
  f("hotspot-xlsx").addEventListener("click", () => hotspotForm.download("hotspots", "xlsx"));

  // --- a row per person and the total: 巡查上报统计, 话务员工作量 ----------------------------------
  /** The section `prefix` shows report `name` for its period; `row(r, cls)` draws one line.
   * Returns its refresh. */
  function personReport(prefix, name, cls, row) {
    const form = D.periodFormOf(prefix);
    const fetchReport = D.newestOnly(() => form.load(name));
    async function refresh() {
      const report = await fetchReport();
      if (!report) return;
      f(prefix + "-table").tBodies[0].replaceChildren(...report.data.map((r) => row(r, cls)));
      f(prefix + "-table").tFoot.replaceChildren(...(report.data.length ? [row(report.total, "total")] : []));
      f(prefix + "-empty").hidden = report.data.length > 0;
    }
    f(prefix + "-form").addEventListener("submit", (event) => {
      event.preventDefault();
      refresh().catch(showError);
    });
    f(prefix + "-csv").addEventListener("click", () => form.download(name, "csv"));
    f(prefix + "-xlsx").addEventListener("click", () => form.download(name, "xlsx"));
    return refresh;
  }

  const refreshPatrol = personReport("patrol", "patrol", "reporter", (r, cls) =>
    el("tr", { class: cls, dataset: { reporter: r.username } },
      el("td", {}, r.username ? D.data(r.name) : T("patrol_report.total")),
      el("td", {}, named(r.team)),
      num(r.reported), num(r.on_site), num(r.sent_on), num(r.resolved), num(r.open), num(r.cancelled),
      rateCell(r.on_site_rate, "on_site")));

  const WORK = ["received", "answered_at_desk", "dispatched", "callbacks", "reopened", "cancelled", "notes"];
  const refreshOperators = personReport("operator", "operators", "operator", (r, cls) =>
    el("tr", { class: cls, dataset: { operator: r.username } },
      el("td", {}, r.username ? D.data(r.name) : T("operator_report.total")),
      el("td", {}, D.data(r.username)),
      el("td", {}, r.role ? T("user_role." + r.role) : ""),
      WORK.map((count) => el("td", { class: "num", dataset: { count } }, String(r[count])))));

  // --- 民情日志 ---------------------------------------------------------------------------------
  const worklogForm = D.periodFormOf("worklog", () => {
    const community = f("worklog-community").value;
    return community ? { community } : {};
  });
  const fetchWorklog = D.newestOnly(() => worklogForm.load("worklog"));
  const worklogPlace = (e) => D.placeText({
    community: e.community && e.community.code, compound: e.compound && e.compound.code, building: e.building, text: e.address_text,
  });
  function worklogCaller(e) {
    if (e.confidential) return T("worklog.confidential");
    return [e.caller_name ? D.data(e.caller_name) : T("worklog.anonymous"), " ", D.data(e.caller_phone || "")];
  }
  function worklogStatus(e) {
    const status = D.statusLabel(e.status);
    return e.merged_into ? D.labelWith("worklog.merged_into", { number: e.merged_into, status }) : status;
  }
  async function refreshWorklog() {
    const log = await fetchWorklog();
    if (!log) return;
    f("worklog-table").tBodies[0].replaceChildren(...log.data.map((e) =>
      el("tr", { class: "worklog-entry", dataset: { number: e.number } },
        el("td", {}, D.fmtTime(e.received_at)),
        el("td", {}, D.orderLink(e.number)),
        el("td", { class: "caller" }, worklogCaller(e)),
        el("td", {}, D.data(worklogPlace(e))),
        el("td", {}, named(e.category)),
        el("td", { class: "description" }, D.data(e.description)),
        el("td", { class: "teams" }, e.teams.map(named).join(T("list.sep"))),
        el("td", { class: "result" }, D.data(e.result || "")),
        el("td", { class: "status" }, worklogStatus(e)),
        el("td", { class: "satisfaction" }, e.satisfaction ? T("satisfaction." + e.satisfaction) : ""))));
    f("worklog-empty").hidden = log.count > 0;
    f("worklog-more").hidden = log.count <= log.data.length;
    f("worklog-more").textContent = T("worklog.more", { count: log.count, shown: log.data.length });
  }
  f("worklog-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshWorklog().catch(showError);
  });
  f("worklog-csv").addEventListener("click", () => worklogForm.download("worklog", "csv"));
  f("worklog-xlsx").addEventListener("click", () => worklogForm.download("worklog", "xlsx"));
  function fillCommunities() {
    f("worklog-community").append(...D.names.lists.communities.map((c) =>
      el("option", { value: c.code }, D.localName(c))));
  }

  // --- live: today's figures move as the desk works -------------------------------------------
  const soon = D.debounce(() => {
    refreshRates().catch(() => {});
    refreshHotspots().catch(() => {});
    refreshWorklog().catch(() => {});
    refreshPatrol().catch(() => {});
    refreshOperators().catch(() => {});
    refreshDaily().catch(() => {});
  }, 1000);

  D.loadNames().then(() => {
    refreshRates().catch(showError);
    refreshHotspots().catch(showError);
    fillCommunities();
    refreshWorklog().catch(showError);
    refreshPatrol().catch(showError);
    refreshOperators().catch(showError);
    refreshDaily().catch(showError);
    D.connectLive(soon, soon);
  });
})();
