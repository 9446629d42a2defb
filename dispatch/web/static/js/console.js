/* 话务台: the new-order form with a live routing preview, the triage queue, the orders waiting
   for a callback (待回访), search, screen pops. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api, orderLink } = D;
  if (!D.requireLogin(["operator", "supervisor", "admin"])) return;

  const form = document.getElementById("order-form");
  const preview = document.getElementById("preview");
  const created = document.getElementById("created");
  const formError = document.getElementById("order-error");
  const f = (id) => document.getElementById(id);

  // --- the form ------------------------------------------------------------------------------
  function option(value, label) { return el("option", { value }, label); }
  let fillCompounds = () => {}; // the compounds of the community chosen, once names are in

  function orderBody() {
    const caller = {};
    if (f("f-caller-name").value.trim()) caller.name = f("f-caller-name").value.trim();
    if (f("f-caller-phone").value.trim()) caller.phone = f("f-caller-phone").value.trim();
    const address = {};
    if (f("f-community").value) address.community = f("f-community").value;
    if (f("f-compound").value) address.compound = f("f-compound").value;
    if (f("f-building").value.trim()) address.building = f("f-building").value.trim();
    const body = {
      channel: "phone", caller, address,
      category: f("f-category").value,
      description: f("f-description").value.trim(),
    };
    if (f("f-priority").value) body.priority = f("f-priority").value;
    // 直接答复: answered in the call; the server resolves and closes it without routing.
    if (f("f-answered").checked) body.answered_at_desk = f("f-answer").value.trim();
    return body;
  }
  const showAnswer = () => { f("f-answer-label").hidden = !f("f-answered").checked; };
  f("f-answered").addEventListener("change", () => { showAnswer(); if (!f("f-answer-label").hidden) f("f-answer").focus(); });

  // --- live routing preview: "将派往 金地物业 · 规则 消防通道堵塞派物业" ---------------------------
  let previewSeq = 0;
  function showPreview(state, text) {
    preview.dataset.state = state;
    preview.textContent = text;
  }
  async function runPreview() {
    const body = orderBody();
    const seq = ++previewSeq;
    if (!body.category || !body.description) {
      showPreview("empty", T("preview.empty"));
      return;
    }
    if ("answered_at_desk" in body) { // 直接答复: no rule will be asked, no team sent
      showPreview("ok", T("preview.answered"));
      return;
    }
    showPreview("busy", T("preview.busy"));
    try {
      const r = await api("/api/v1/routing/preview", { json: body });
      if (seq !== previewSeq) return; // a newer keystroke already asked again
      if (r.to_triage || !r.lead_team) {
        showPreview("triage", T("preview.triage"));
        return;
      }
      let text = T("preview.to", { team: D.teamName(r.lead_team), rule: D.ruleText(r) });
      if (r.assist_teams.length) {
        text += " · " + T("preview.assist", { teams: r.assist_teams.map(D.teamName).join(T("list.sep")) });
      }
      if (r.priority) text += " · " + r.priority;
      if (r.police_matter) text += " · " + T("preview.police");
      showPreview("ok", text);
    } catch (err) {
      if (seq === previewSeq) showPreview("error", D.errorText(err));
    }
  }
  const previewSoon = D.debounce(runPreview, 300);
  form.addEventListener("input", previewSoon);
  form.addEventListener("change", previewSoon);

  // --- 知识库: while 直接答复 is ticked, the standard answers that fit what was typed -------------
  const suggestionsBox = f("answer-suggestions");
  function hideSuggestions() {
    suggestionsBox.hidden = true;
    f("answer-suggestion-list").replaceChildren();
  }
  async function suggestAnswers() {
    if (!f("f-answered").checked) { hideSuggestions(); return; }
    await D.suggestAnswers(suggestionsBox, f("f-description").value.trim(), f("f-category").value,
      (answer) => { f("f-answer").value = answer; f("f-answer").focus(); });
    if (!f("f-answered").checked) hideSuggestions(); // unticked while the search ran
  }
  const suggestSoon = D.debounce(suggestAnswers, 300);
  for (const id of ["f-description", "f-category", "f-answered"]) {
    f(id).addEventListener(id === "f-description" ? "input" : "change", suggestSoon);
  }

  // --- the caller is on the register of assisted residents: say how to speak to them --------
  const assistedBox = f("caller-assisted");
  // false: not on the register; null (newestOnly): a newer number was typed meanwhile.
  const findResident = D.newestOnly((phone) => (phone.length >= 7
    ? api("/api/v1/residents/" + encodeURIComponent(phone)).catch(() => false)
    : Promise.resolve(false)));
  async function lookUpCaller() {
    const resident = await findResident(f("f-caller-phone").value.replace(/[^0-9+]/g, ""));
    if (resident === null) return;
    assistedBox.hidden = !(resident && resident.active);
    if (assistedBox.hidden) { assistedBox.replaceChildren(); return; }
    assistedBox.replaceChildren(T("screen_pop.assisted"), " · ", T("resident." + resident.kind), " ",
      data(resident.name), ...(resident.care_note ? [" · ", data(resident.care_note)] : []),
      ...(resident.address ? [" · ", data(resident.address)] : []));
    if (!f("f-caller-name").value.trim()) f("f-caller-name").value = resident.name;
    if (!f("f-community").value && !f("f-compound").value && resident.community_code) {
      f("f-community").value = resident.community_code;
      fillCompounds();
    }
  }

  // --- 来电历史: what this number called about before, newest first; open orders stand out ----
  const CALLER_HISTORY = 5;
  const OPEN = ["received", "triage", "dispatched", "accepted", "in_progress"];
  const pastOrder = (o) => el("li", { class: OPEN.includes(o.status) ? "open" : "", dataset: { number: o.number } },
    orderLink(o.number), " ", D.categoryName(o.category), " ", D.statusLabel(o.status), " ", D.fmtTime(o.created_at));
  const historyBox = f("caller-history");
  // false: no history to show; null (newestOnly): a newer number was typed meanwhile.
  const findHistory = D.newestOnly((phone) => (phone.length >= 7
    ? api("/api/v1/orders?" + new URLSearchParams({ caller_phone: phone, limit: CALLER_HISTORY })).catch(() => false)
    : Promise.resolve(false)));
  async function lookUpHistory() {
    const page = await findHistory(f("f-caller-phone").value.replace(/[^0-9+]/g, ""));
    if (page === null) return;
    historyBox.hidden = !(page && page.count);
    if (historyBox.hidden) { historyBox.replaceChildren(); return; }
    const open = page.data.filter((o) => OPEN.includes(o.status)).length;
    historyBox.replaceChildren(
      el("p", {}, T("console.caller_history", { n: page.count }), open ? " · " + T("console.caller_open", { n: open }) : ""),
      el("ul", { class: "plain" }, page.data.map(pastOrder)));
  }
  f("f-caller-phone").addEventListener("input", D.debounce(() => { lookUpCaller(); lookUpHistory(); }, 300));

  // --- submit, once: the idempotency key stays the same until the order exists --------------
  let idempotencyKey = D.newKey();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    formError.hidden = true;
    const body = orderBody();
    if (body.answered_at_desk === "") {
      formError.textContent = T("console.need_answer");
      formError.hidden = false;
      f("f-answer").focus();
      return;
    }
    const button = f("submit-order");
    button.disabled = true;
    try {
      const order = await api("/api/v1/orders", {
        json: body, headers: { "Idempotency-Key": idempotencyKey },
      });
      idempotencyKey = D.newKey();
      showCreated(order);
      form.reset();
      fillCompounds();
      showPreview("empty", T("preview.empty"));
      refreshTriage();
      f("f-caller-phone").focus();  // the next call starts with its number
    } catch (err) {
      formError.textContent = D.errorText(err);
      formError.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
  form.addEventListener("reset", () => {
    idempotencyKey = D.newKey();
    assistedBox.hidden = true;
    historyBox.hidden = true;
    hideSuggestions();
    setTimeout(() => { showPreview("empty", T("preview.empty")); showAnswer(); });
  });

  function showCreated(order) {
    const lead = order.assignments.find((a) => a.role === "lead");
    const where = order.tags.includes("answered_at_desk") ? T("created.answered")
      : lead ? T("created.to", { team: D.teamName(lead.team_code) }) : T("created.triage");
    const children = [
      el("p", { class: "created-line" }, T("created.title"), " ", orderLink(order.number), " · ",
        D.statusLabel(order.status), " · ", where),
    ];
    if (order.merge_suggestions.length) {
      children.push(el("h3", {}, T("merge.title")));
      const list = el("ul", { class: "suggestions" });
      order.merge_suggestions.forEach((s) => {
        const merge = el("button", { type: "button", class: "secondary small" }, T("merge.action"));
        merge.addEventListener("click", async () => {
          try {
            await api("/api/v1/orders/" + encodeURIComponent(order.number) + "/merge", { json: { parent: s.number } });
            merge.replaceWith(el("span", { class: "ok" }, T("merge.done")));
          } catch (err) { merge.replaceWith(el("span", { class: "error" }, D.errorText(err))); }
        });
        list.append(el("li", {}, orderLink(s.number), " ", D.statusLabel(s.status), " ",
          s.same_building ? el("span", { class: "tag" }, T("merge.same_building")) : "",
          " ", data(s.description, "q"), " ", merge));
      });
      children.push(list);
    }
    created.replaceChildren(...children);
    created.hidden = false;
  }

  // --- triage queue with a dispatch action ---------------------------------------------------
  function teamSelect() {
    const select = el("select", { class: "team-select" }, option("", T("triage.choose_team")));
    D.names.lists.teams.forEach((t) => select.append(option(t.code, D.names.teams[t.code])));
    return select;
  }
  function orderItem(order, withDispatch) {
    const item = el("li", { class: "order-item", dataset: { number: order.number } },
      el("div", { class: "line" }, orderLink(order.number),
        el("span", { class: "prio prio-" + order.priority }, order.priority),
        el("span", { class: "status status-" + order.status }, D.statusLabel(order.status)),
        el("span", {}, D.categoryName(order.category)),
        el("span", { class: "muted" }, D.fmtTime(order.created_at))),
      el("div", { class: "line" }, data(D.placeText(order.address), "span"), " ",
        data(order.description, "span")));
    if (withDispatch) {
      const select = teamSelect();
      const button = el("button", { type: "button", class: "primary small" }, T("triage.dispatch"));
      button.addEventListener("click", async () => {
        if (!select.value) { select.focus(); return; }
        button.disabled = true;
        try {
          await api("/api/v1/orders/" + encodeURIComponent(order.number) + "/dispatch", {
            json: { lead_team: select.value },
          });
          refreshTriage();
        } catch (err) {
          button.disabled = false;
          D.showAlert(D.errorText(err), "error");
        }
      });
      item.append(el("div", { class: "line dispatch" }, select, button));
    }
    return item;
  }
  const fetchTriage = D.newestOnly(() => api("/api/v1/orders?status=triage&limit=50"));
  async function refreshTriage() {
    const page = await fetchTriage();
    if (!page) return;
    // A push may refresh the queue while the operator is choosing a team: an unchanged order
    // keeps its item as it is; a changed one keeps the team chosen.
    D.redraw(f("triage"), page.data, (o) => orderItem(o, true), {
      id: (o) => o.number,
      version: (o) => o.updated_at,
      keep: (old, li) => {
        const chosen = old.querySelector("select.team-select").value;
        if (chosen) li.querySelector("select.team-select").value = chosen;
      },
    });
    f("triage-count").textContent = String(page.count);
    f("triage-empty").hidden = page.count > 0;
  }
  const triageSoon = D.debounce(() => refreshTriage().catch(() => {}), 250);

  // --- 待回访: resolved orders wait for the desk to call the resident back ---------------------
  const VERDICTS = ["satisfied", "partly", "unsatisfied"];
  function callbackItem(order) {
    const item = orderItem(order, false);
    if (order.result) item.append(el("div", { class: "line" }, T("order.result"), " ", data(order.result, "span")));
    const note = el("input", { type: "text", class: "callback-note", maxlength: "1000", placeholder: T("actions.callback_note") });
    const buttons = VERDICTS.map((verdict) => {
      const button = el("button", { type: "button", class: "small " + (verdict === "unsatisfied" ? "danger" : "secondary"), dataset: { verdict } },
        T("satisfaction." + verdict));
      button.addEventListener("click", async () => {
        if (verdict === "unsatisfied" && !note.value.trim()) { note.focus(); return; } // why: the team reworks it
        buttons.forEach((b) => { b.disabled = true; });
        try {
          await api("/api/v1/orders/" + encodeURIComponent(order.number) + "/callback", {
            json: { satisfaction: verdict, note: note.value.trim() },
          });
          refreshCallbacks();
        } catch (err) {
          buttons.forEach((b) => { b.disabled = false; });
          D.showAlert(D.errorText(err), "error");
        }
      });
      return button;
    });
    item.append(el("div", { class: "line callback" }, note, ...buttons));
    return item;
  }
  // Whoever has waited longest for the call comes first.
  const fetchCallbacks = D.newestOnly(() => api("/api/v1/orders?status=resolved&sort=resolved_at&limit=50"));
  async function refreshCallbacks() {
    const page = await fetchCallbacks();
    if (!page) return;
    D.redraw(f("callbacks"), page.data, callbackItem, {
      id: (o) => o.number,
      version: (o) => o.updated_at,
      keep: (old, li) => { li.querySelector(".callback-note").value = old.querySelector(".callback-note").value; },
    });
    f("callback-count").textContent = String(page.count);
    f("callbacks-empty").hidden = page.count > 0;
  }
  const callbacksSoon = D.debounce(() => refreshCallbacks().catch(() => {}), 250);

  // --- search --------------------------------------------------------------------------------
  const search = D.newestOnly((q) => api("/api/v1/orders?limit=20&q=" + encodeURIComponent(q)));
  f("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = f("search-q").value.trim();
    const results = f("search-results");
    if (!q) { results.replaceChildren(); return; }
    try {
      const page = await search(q);
      if (!page) return;
      results.replaceChildren(...(page.data.length
        ? page.data.map((o) => orderItem(o, false))
        : [el("li", { class: "muted" }, T("console.search_none"))]));
    } catch (err) {
      results.replaceChildren(el("li", { class: "error" }, D.errorText(err)));
    }
  });

  // --- keys: the operator's hands stay on the keyboard through a call ----------------------
  // Ctrl+Enter (⌘+Enter) sends the order from any field of it; Alt+N goes to the caller's
  // number for the next call; "/" outside a field goes to the search.
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea, select");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form.contains(event.target)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.altKey && !event.ctrlKey && (event.code === "KeyN")) {
      event.preventDefault();
      f("f-caller-phone").focus();
    } else if (event.key === "/" && !typing && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      f("search-q").focus();
    }
  });

  // --- screen pop: an incoming call's number, past orders and the assisted-resident flag -----
  function showScreenPop(event) {
    const d = event.data || {};
    const body = [
      el("p", { class: "pop-line" }, T("screen_pop.caller"), " ", data(d.number, "strong"), " · ",
        T("screen_pop.order"), " ", orderLink(event.order_number)),
    ];
    if (d.assisted_resident) {
      const a = d.assisted || {};
      body.push(el("p", { class: "assisted" }, T("screen_pop.assisted"), " ",
        a.kind ? T("resident." + a.kind) : "", " ", data(a.name), " ", data(a.care_note)));
    }
    const earlier = d.earlier_orders || [];
    body.push(el("h3", {}, T("screen_pop.earlier", { n: earlier.length })));
    body.push(el("ul", {}, earlier.map(pastOrder)));
    f("screen-pop-body").replaceChildren(...body);
    f("screen-pop").hidden = false;
    D.showAlert(T("screen_pop.alert", { number: d.number || "" }), "info");
  }

  const CALLBACK_KINDS = ["resolved", "callback_recorded", "closed", "reopened", "cancelled"];
  const TRIAGE_KINDS = ["triaged", "returned", "dispatched", "merged_into", "cancelled", "received"];
  function onEvent(event) {
    // A replay after a reconnect may bring old calls: only a call of the last minutes pops.
    if (event.kind === "screen_pop" && D.isFresh(event)) showScreenPop(event);
    if (event.status === "triage" || TRIAGE_KINDS.includes(event.kind)) triageSoon();
    if (CALLBACK_KINDS.includes(event.kind)) callbacksSoon();
  }

  D.loadNames().then(() => {
    D.names.lists.categories.forEach((c) => f("f-category").append(option(c.code, D.names.categories[c.code])));
    fillCompounds = D.placeSelects(f("f-community"), f("f-compound"));
    refreshTriage();
    refreshCallbacks().catch((err) => D.showAlert(D.errorText(err), "error"));
    D.connectLive(onEvent, () => { triageSoon(); callbacksSoon(); });
  });
})();
