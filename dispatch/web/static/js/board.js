/* 督办看板: counts, late and nearly-late orders, the three rates, intake per hour, hot spots,
   planned consultation meetings, escalations, and the 12345 feedback outbox. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  if (!D.requireLogin(["supervisor", "admin"])) return;
  const f = (id) => document.getElementById(id);
  const STATUSES = ["triage", "dispatched", "accepted", "in_progress", "resolved", "closed", "cancelled"];
  const HOTSPOT_KINDS = ["received", "updated", "merged_into", "resolved", "closed", "cancelled", "reopened"];
  const RATE_KINDS = ["dispatched", "accepted", "resolved", "returned", "callback_recorded", "reassigned", "team_added"];

  const { percent } = D;
  const link = D.orderLink;

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
    const rows = late.concat(nearly);
    D.redraw(f("due-table").tBodies[0], rows, (o) =>
      el("tr", { class: o.late ? "late" : "nearly", dataset: { number: o.number } },
        el("td", {}, link(o.number), " ", el("span", { class: "prio prio-" + o.priority }, o.priority)),
        el("td", {}, D.categoryName(o.category)),
        el("td", {}, o.teams.map(D.teamName).join(T("list.sep"))),
        el("td", {}, D.statusLabel(o.status)),
        el("td", {}, T(o.due_kind === "accept" ? "board.due_accept" : "board.due_resolve"), " ",
          D.fmtTime(o.due_at), " ", el("span", { class: "countdown", dataset: { due: o.due_at } }))));
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
  function renderEscalations(rows) {
    D.redraw(f("escalations"), rows, D.escalationItem);
    f("escalations-empty").hidden = rows.length > 0;
  }

  const fetchBoard = D.newestOnly(() => api("/api/v1/reports/board"));
  async function refreshBoard() {
    const b = await fetchBoard();
    if (!b) return;
    renderCounts(b.counts, b.late.length, b.nearly_late.length);
    renderDue(b.late, b.nearly_late);
    renderIntake(b.intake_by_hour);
    renderEscalations(b.escalations);
  }

  // --- 高发点位: the last 30 days' top few, with the orders still open there ---------------------
  const BOARD_HOTSPOTS = 5;
  const fetchHotspots = D.newestOnly(() => api("/api/v1/reports/hotspots"));
  async function refreshHotspots() {
    const report = await fetchHotspots();
    if (!report) return;
    const top = report.data.slice(0, BOARD_HOTSPOTS);
    f("hotspot-table").tBodies[0].replaceChildren(...top.map((s) => window.Hotspots.row(s, true)));
    f("hotspot-empty").hidden = top.length > 0;
  }

  // --- 协商会议 planned: the supervisors' own appointments -------------------------------------
  const BOARD_MEETINGS = 5;
  const MEETING_KINDS = D.meetings.KINDS;
  async function refreshMeetings() {
    const found = await D.meetings.planned(f("board-meetings"), true, BOARD_MEETINGS);
    f("meetings-card").hidden = found.length === 0;
  }

  // --- the three rates per team, and the exports ---------------------------------------------
  const fetchRates = D.newestOnly(() => D.periodForm.load("teams"));
  async function refreshRates() {
    const report = await fetchRates();
    if (!report) return;
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
  f("export-csv").addEventListener("click", () => D.periodForm.download("teams", "csv"));
  f("export-xlsx").addEventListener("click", () => D.periodForm.download("teams", "xlsx"));

  // --- the 12345 feedback outbox: the hotline's API; without the hotline (404) no panel -------
  const OUTBOX = "/api/v1/outbox?destination=12345";
  const OUTBOX_LABELS = { pending: "board.outbox_pending", delivered: "board.outbox_delivered", failed: "board.outbox_failed" };
  const OUTBOX_STATES = Object.keys(OUTBOX_LABELS);
  let outboxAbsent = false;
  const outboxKind = (kind) => D.eventLabel(kind === "callback" ? "callback_recorded" : kind);
  function failureItem(m) {
    const retry = el("button", { type: "button", class: "secondary small retry", dataset: { id: m.id } },
      T("board.outbox_retry"));
    retry.addEventListener("click", () => {
      retry.disabled = true;
      api("/api/v1/outbox/" + m.id + "/retry", { method: "POST" })
        .then(refreshOutbox)
        .catch((err) => { retry.disabled = false; D.showAlert(D.errorText(err), "error"); });
    });
    return el("li", { class: "feed-item outbox-failure", dataset: { id: m.id } },
      el("span", { class: "muted" }, D.fmtTime(m.created_at)), " ",
      el("span", { class: "tag" }, outboxKind(m.kind)), " ",
      m.order_number ? link(m.order_number) : "", " ",
      el("span", { class: "muted" }, T("board.outbox_attempts", { n: m.attempts })), " ",
      data(m.last_error || ""), " ", retry);
  }
  const fetchOutbox = D.newestOnly(() => Promise.all(OUTBOX_STATES.map((s) =>
    api(OUTBOX + "&status=" + s + "&limit=" + (s === "failed" ? 5 : 1)))));
  async function refreshOutbox() {
    if (outboxAbsent) return;
    let answers;
    try {
      answers = await fetchOutbox();
    } catch (err) {
      if (err.status === 404) { outboxAbsent = true; f("outbox-card").hidden = true; return; }
      throw err;
    }
    if (!answers) return;
    f("outbox-counts").replaceChildren(...OUTBOX_STATES.map((s, i) =>
      el("div", { class: "tile outbox-" + s + (s === "failed" && answers[i].count ? " late" : ""), dataset: { state: s } },
        el("span", { class: "n" }, String(answers[i].count)), el("span", { class: "label" }, T(OUTBOX_LABELS[s])))));
    const failures = answers[2].data;
    D.redraw(f("outbox-failures"), failures, failureItem);
    f("outbox-failures-empty").hidden = failures.length > 0;
    f("outbox-card").hidden = false;
  }
  // Deliveries write no events: look again every half minute as well.
  setInterval(() => refreshOutbox().catch(() => {}), 30000);

  // --- what runs behind the API: a stopped scheduler is silent, so the board says it ------------
  async function refreshDeskStatus() {
    const status = await api("/api/v1/status");
    const problems = status.checks.filter((c) => !c.ok);
    f("desk-status").replaceChildren(...problems.map((c) => el("li", { dataset: { check: c.name } },
      D.has("desk_status." + c.name) ? T("desk_status." + c.name, { n: c.count }) : data(c.detail))));
    f("desk-status").hidden = problems.length === 0;
  }
  setInterval(() => refreshDeskStatus().catch(() => {}), 60000);

  // --- live ----------------------------------------------------------------------------------
  const boardSoon = D.debounce(() => refreshBoard().catch(() => {}), 200);
  const ratesSoon = D.debounce(() => refreshRates().catch(() => {}), 400);
  const outboxSoon = D.debounce(() => refreshOutbox().catch(() => {}), 1000);
  const hotspotsSoon = D.debounce(() => refreshHotspots().catch(() => {}), 2000);
  function onEvent(event) {
    boardSoon();
    outboxSoon();
    if (HOTSPOT_KINDS.includes(event.kind)) hotspotsSoon();
    if (MEETING_KINDS.includes(event.kind)) refreshMeetings().catch(() => {});
    if (RATE_KINDS.includes(event.kind)) ratesSoon();
    if ((event.kind === "escalated" || event.kind === "urged") && D.isFresh(event)) {
      D.showAlert(T("board.escalation_alert", { number: event.order_number, kind: D.eventLabel(event.kind) }), "warn");
    }
  }

  D.loadNames().then(() => {
    refreshBoard();
    refreshRates();
    refreshHotspots().catch((err) => D.showAlert(D.errorText(err), "error"));
    refreshMeetings().catch((err) => D.showAlert(D.errorText(err), "error"));
    refreshOutbox().catch((err) => D.showAlert(D.errorText(err), "error"));
    refreshDeskStatus().catch(() => {});
    D.connectLive(onEvent, () => { boardSoon(); ratesSoon(); outboxSoon(); hotspotsSoon(); });
  });
})();
