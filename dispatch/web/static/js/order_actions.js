/* 办理 on the order page: what the desk may do to this order now (回访, 归档, 派单, 直接答复, 催办, 延期,
   改派, 吹哨报到, 重办, 备注, 修改, 取消), each a small form. The order's allowed actions and the
   user's role decide which are offered; the server checks both again. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, api } = D;
  const DESK = ["operator", "supervisor", "admin"];
  const SUPERVISORS = ["supervisor", "admin"];
  const byId = (id) => document.getElementById(id);

  const reasonBody = (v) => ({ reason: v.reason });
  const teamBody = (v) => ({ team: v.team, note: v.note || "" });
  const leadTeam = (o) => (o.assignments.find((a) => a.role === "lead" && D.ACTIVE_PARTS.includes(a.status)) || {}).team_code;
  // In the order the desk reaches for them; `teams` lists the teams a team form offers.
  const ACTIONS = [
    { name: "callback", roles: DESK, form: "callback-form", path: "callback", cls: "primary",
      body: (v) => ({ satisfaction: v.satisfaction, note: v.note || "" }) },
    { name: "close", roles: DESK, form: "confirm-form", path: "close", body: () => ({}) },
    { name: "dispatch", roles: DESK, form: "team-form", path: "dispatch", cls: "primary",
      body: (v) => ({ lead_team: v.team, note: v.note || "" }), teams: () => [] },
    { name: "answer", roles: DESK, form: "answer-form", path: "answer", body: (v) => ({ answer: v.answer }) },
    { name: "urge", roles: SUPERVISORS, form: "reason-form", path: "urge", body: reasonBody },
    { name: "extend", roles: SUPERVISORS, form: "extend-form", path: "extend",
      body: (v) => ({ resolve_due_at: D.fromLocalInput(v.due), reason: v.reason }) },
    { name: "reassign", roles: SUPERVISORS, form: "team-form", path: "reassign", body: teamBody,
      teams: (o) => [leadTeam(o)] },
    { name: "add_team", roles: SUPERVISORS, form: "team-form", path: "teams", body: teamBody,
      teams: D.activeTeams },
    { name: "reopen", roles: DESK, form: "reason-form", path: "reopen", body: reasonBody },
    { name: "note", roles: DESK, form: "note-form", path: "notes", body: (v) => ({ text: v.text }) },
    { name: "correct", roles: DESK, form: "correct-form", path: "", method: "PATCH", body: correction },
    { name: "cancel", roles: DESK, form: "reason-form", path: "cancel", body: reasonBody, cls: "danger" },
  ];

  // 修改工单: the whole of what the form shows; the server keeps only what differs.
  function correction(v) {
    const [kind, code] = (v.place || ":").split(":");
    const address = { building: v.building || null, text: order.address.text || null };
    if (kind === "x") address.compound = code;
    if (kind === "c") address.community = code;
    return { category: v.category, priority: v.priority, description: v.description, address };
  }
  function fillCorrection(form) {
    const option = (value, label, selected) => el("option", { value, selected: selected || null }, label);
    const { address } = order;
    form.elements.category.replaceChildren(...D.names.lists.categories.map((c) =>
      option(c.code, D.categoryName(c.code), c.code === order.category)));
    form.elements.priority.value = order.priority;
    form.elements.place.replaceChildren(option("", T("actions.no_place"), !address.community && !address.compound),
      ...D.names.lists.communities.map((c) => [
        option("c:" + c.code, D.names.communities[c.code], !address.compound && address.community === c.code),
        ...c.compounds.map((x) => option("x:" + x.code, "\u3000" + D.names.compounds[x.code], address.compound === x.code)),
      ]).flat());
    form.elements.building.value = address.building || "";
    form.elements.description.value = order.description;
  }

  let order = null;
  let drawnFor = null; // the actions the buttons show: a push that changes none keeps an open form

  /** A day after `iso` (or after now), for a datetime-local input. */
  function dayAfter(iso) {
    return D.localInput(new Date((iso ? Date.parse(iso) : Date.now()) + 86400000));
  }

  function openForm(action, onDone) {
    const slot = byId("action-slot");
    if (slot.dataset.open === action.name) { slot.replaceChildren(); slot.dataset.open = ""; return; }
    const form = byId(action.form).content.firstElementChild.cloneNode(true);
    form.dataset.action = action.name;
    const select = form.querySelector("select[name=team]");
    if (select) {
      const taken = action.teams(order);
      const offered = D.names.lists.teams.filter((t) => !taken.includes(t.code));
      select.replaceChildren(el("option", { value: "" }, T("triage.choose_team")),
        ...offered.map((t) => el("option", { value: t.code }, D.teamName(t.code))));
    }
    const due = form.querySelector("input[name=due]");
    if (due) due.value = dayAfter(order.resolve_due_at);
    if (action.name === "correct") fillCorrection(form);
    if (action.name === "answer") { // 知识库: the standard answers that fit the question
      const answer = form.elements.answer;
      D.suggestAnswers(form.querySelector(".answer-suggestions"), order.description, order.category,
        (text) => { answer.value = text; answer.focus(); });
    }
    const path = "/api/v1/orders/" + encodeURIComponent(order.number) + (action.path ? "/" + action.path : "");
    D.sendingForm(form, (values) => api(path, { method: action.method || "POST", json: action.body(values) }), () => {
      slot.replaceChildren();
      slot.dataset.open = "";
      D.showAlert(T("actions.done", { action: T("actions." + action.name) }));
      onDone();
    });
    slot.replaceChildren(form);
    slot.dataset.open = action.name;
    const first = form.querySelector("input[type=radio], select, textarea, button");
    if (first) first.focus();
  }

  /** Draw the buttons for this order and this role; `onDone` after an action went through. */
  function render(current, role, onDone) {
    order = current;
    const offered = ACTIONS.filter((a) => a.roles.includes(role) && current.allowed_actions.includes(a.name));
    byId("actions-card").hidden = offered.length === 0;
    const names = offered.map((a) => a.name).join(",");
    if (names === drawnFor) return;
    drawnFor = names;
    byId("action-slot").replaceChildren();
    byId("action-slot").dataset.open = "";
    byId("order-actions").replaceChildren(...offered.map((a) => {
      const button = el("button", { type: "button", class: (a.cls || "secondary") + " action", dataset: { action: a.name } },
        T("actions." + a.name));
      button.addEventListener("click", () => openForm(a, onDone));
      return button;
    }));
  }

  // After 修改工单: where the rules would send the order now, if not where it is; a
  // supervisor moves it with one click (改派). Asked once per set of facts.
  let suggestedFor = null;
  async function suggest(current, role, corrected, onDone) {
    const hint = byId("route-hint");
    const lead = leadTeam(current);
    const a = current.address;
    if (!corrected || !SUPERVISORS.includes(role) || !current.allowed_actions.includes("reassign") || !lead) {
      hint.hidden = true;
      return;
    }
    const key = [current.category, a.community, a.compound, a.building, current.description, lead].join("|");
    if (key === suggestedFor) return;
    suggestedFor = key;
    const preview = await api("/api/v1/routing/preview", { json: {
      channel: current.channel, category: current.category, description: current.description,
      address: { community: a.community, compound: a.compound, building: a.building, text: a.text },
    } });
    if (!preview.lead_team || preview.lead_team === lead) { hint.hidden = true; return; }
    const team = D.teamName(preview.lead_team);
    const move = el("button", { type: "button", class: "secondary small reroute" }, T("actions.reroute", { team }));
    move.addEventListener("click", async () => {
      move.disabled = true;
      try {
        await api("/api/v1/orders/" + encodeURIComponent(current.number) + "/reassign", {
          json: { team: preview.lead_team, note: T("actions.reroute_note") },
        });
        hint.hidden = true;
        D.showAlert(T("actions.done", { action: T("actions.reassign") }));
        onDone();
      } catch (err) {
        move.disabled = false;
        D.showAlert(D.errorText(err), "error");
      }
    });
    hint.replaceChildren(...D.labelWith("actions.rules_suggest", { team, rule: preview.rule_name || preview.rule_id }), " ", move);
    hint.hidden = false;
  }

  D.orderActions = { render, suggest };
})();
