/* 督办看板: counts, late and nearly-late orders, the three rates, intake per hour, escalations. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  D.requireLogin(["supervisor", "admin"]);
  const f = (id) => document.getElementById(id);
  const STATUSES = ["triage", "dispatched", "accepted", "in_progress", "resolved", "closed", "cancelled"];
  const RATE_KINDS = ["dispatched", "accepted", "resolved", "returned", "callback_recorded", "reassigned", "team_added"];

  const percent = (value) => (value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%");
  const link = (number) => el("a", { href: "/orders/" + encodeURIComponent(number), class: "mono" }, number);

  // --- counts by status ----------------------------------------------------------------------
  function renderCounts(counts, lateCount, nearlyCount) {
    const tiles = STATUSES.map((s) =>
      el("div", { class: "tile status-" + s, dataset: { status: s } },
        el("span", { class: "n" }, String(counts[s] || 0)), el("span", { class: "label" }, D.statusLabel(s))));
    tiles.push(
      el("div", { class: "tile late", dataset: { status: "late" } },
        el("span", { class: "n" }, String(lateCount)), el("span", { class: "label" }, T("board.late"))),
      el("div", { class: "tile nearly", dataset: { status: "nearly" } },
        el("span", { class: "n" }, String(nearlyCount)), el("span", { class: "label" }, T("board.nearly_late"))));
    f("counts").replaceChildren(...tiles);
  }

  // --- late (red) and nearly late (amber) ----------------------------------------------------
  function renderDue(late, nearly) {
    const rows = late.concat(nearly).map((o) =>
      el("tr", { class: o.late ? "late" : "nearly", dataset: { number: o.number } },
        el("td", {}, link(o.number), " ", el("span", { class: "prio prio-" + o.priority }, o.priority)),
        el("td", {}, D.categoryName(o.category)),
        el("td", {}, o.teams.map(D.teamName).join(T("list.sep"))),
        el("td", {}, D.statusLabel(o.status)),
        el("td", {}, T(o.due_kind === "accept" ? "board.due_accept" : "board.due_resolve"), " ",
          D.fmtTime(o.due_at), " ", el("span", { class: "countdown", dataset: { due: o.due_at } }))));
    f("due-table").tBodies[0].replaceChildren(...rows);
    f("due-empty").hidden = rows.length > 0;
    tick();
  }
  function tick() {
    document.querySelectorAll(".countdown[data-due]").forEach((node) => {
      node.textContent = D.countdown(node.dataset.due).text;
    });
  }
  setInterval(tick, 1000);

  // --- intake per hour (ECharts, shipped with the app) ---------------------------------------
  let chart = null;
  function renderIntake(hours) {
    if (!window.echarts) return;
    chart = chart || window.echarts.init(f("intake-chart"), null, { renderer: "canvas", locale: D.english ? "EN" : "ZH" });
    chart.setOption({
      animation: false,
      grid: { left: 36, right: 12, top: 16, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: hours.map((h) => D.fmtHour(h.hour)), axisLabel: { interval: 2 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: T("board.intake_series"), type: "bar", data: hours.map((h) => h.count), itemStyle: { color: "#1f5fa8" } }],
    });
  }
  window.addEventListener("resize", () => chart && chart.resize());

  // --- escalation feed -----------------------------------------------------------------------
  function escalationItem(e) {
    const d = e.data || {};
    const detail = e.kind === "urged" ? d.reason : d.step_kind ? T("board.level", { n: d.level || "" }) : "";
    return el("li", { class: "feed-item kind-" + e.kind },
      el("span", { class: "muted" }, D.fmtTime(e.at)), " ",
      el("span", { class: "tag" }, D.eventLabel(e.kind)), " ", link(e.order_number), " ",
      (e.team_codes || []).map(D.teamName).join(T("list.sep")), " ", data(detail));
  }
  function renderEscalations(rows) {
    f("escalations").replaceChildren(...rows.map(escalationItem));
    f("escalations-empty").hidden = rows.length > 0;
  }

  async function refreshBoard() {
    const b = await api("/api/v1/reports/board");
    renderCounts(b.counts, b.late.length, b.nearly_late.length);
    renderDue(b.late, b.nearly_late);
    renderIntake(b.intake_by_hour);
    renderEscalations(b.escalations);
  }

  // --- the three rates per team, and the exports ---------------------------------------------
  function period() {
    const params = new URLSearchParams();
    if (f("period-from").value) params.set("from", f("period-from").value);
    if (f("period-to").value) params.set("to", f("period-to").value);
    return params;
  }
  async function refreshRates() {
    const report = await api("/api/v1/reports/teams?" + period().toString());
    if (!f("period-from").value) f("period-from").value = report.first;
    if (!f("period-to").value) f("period-to").value = report.last;
    const rows = report.data.map((r) =>
      el("tr", { dataset: { team: r.team_code } },
        el("td", {}, D.english ? r.team_name_en || r.team_code : r.team_name),
        el("td", { class: "num" }, String(r.dispatched)),
        el("td", { class: "num" }, String(r.accepted)),
        el("td", { class: "num" }, String(r.resolved)),
        el("td", { class: "num rate", dataset: { rate: "response" } }, percent(r.response_rate)),
        el("td", { class: "num rate", dataset: { rate: "resolution" } }, percent(r.resolution_rate)),
        el("td", { class: "num rate", dataset: { rate: "satisfaction" } }, percent(r.satisfaction_rate))));
    f("rates-table").tBodies[0].replaceChildren(...rows);
  }
  f("period-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshRates().catch((err) => D.showAlert(D.errorText(err), "error"));
  });
  async function download(ext) {
    const params = period();
    params.set("lang", D.locale);
    try {
      const response = await api("/api/v1/reports/teams." + ext + "?" + params.toString(), { raw: true });
      const blob = await response.blob();
      const a = el("a", { href: URL.createObjectURL(blob), download: "teams." + ext });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (err) {
      D.showAlert(D.errorText(err), "error");
    }
  }
  f("export-csv").addEventListener("click", () => download("csv"));
  f("export-xlsx").addEventListener("click", () => download("xlsx"));

  // --- live ----------------------------------------------------------------------------------
  const boardSoon = D.debounce(() => refreshBoard().catch(() => {}), 200);
  const ratesSoon = D.debounce(() => refreshRates().catch(() => {}), 400);
  function onEvent(event) {
    boardSoon();
    if (RATE_KINDS.includes(event.kind)) ratesSoon();
    if ((event.kind === "escalated" || event.kind === "urged") && D.isFresh(event)) {
      D.showAlert(T("board.escalation_alert", { number: event.order_number, kind: D.eventLabel(event.kind) }), "warn");
    }
  }

  D.loadNames().then(() => {
    refreshBoard();
    refreshRates();
    D.connectLive(onEvent, () => { boardSoon(); ratesSoon(); });
  });
})();
