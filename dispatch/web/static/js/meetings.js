/* 协商会议 on the pages: an order's meetings, and a supervisor calling one, moving it (改期),
   recording its outcome or calling it off (order page); the meetings a team is invited to
   (team phone). */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  const SUPERVISORS = ["supervisor", "admin"];
  const byId = (id) => document.getElementById(id);
  const teamList = (codes) => codes.map(D.teamName).join(T("list.sep"));
  const STATUS_LABELS = { planned: "meeting.status_planned", held: "meeting.status_held", cancelled: "meeting.status_cancelled" };

  /** 09:30 tomorrow on the desk's clock. */
  function tomorrowMorning() {
    return D.localInput(new Date(Date.now() + 86400000)).slice(0, 11) + "09:30";
  }

  function teamChoices(codes, checked) {
    return el("fieldset", { class: "choices teams" }, codes.map((code) =>
      el("label", {}, el("input", { type: "checkbox", name: "team", value: code, checked: checked.includes(code) || null }),
        " ", D.teamName(code))));
  }
  const checkedTeams = (form) => [...form.querySelectorAll("input[name=team]:checked")].map((i) => i.value);

  /** One meeting as a list item; `actions` adds the supervisor's buttons to a planned one.
      A team sees the numbers of the orders it is about, not links: they may be others'. */
  function item(m, actions, linked) {
    const orderRef = (n) => (linked ? D.orderLink(n) : data(n, "span"));
    const li = el("li", { class: "meeting status-" + m.status, dataset: { id: m.id, status: m.status } },
      el("div", { class: "line head" }, el("strong", {}, data(m.topic)), " ",
        el("span", { class: "tag" }, T(STATUS_LABELS[m.status]))),
      el("div", { class: "line" }, D.fmtTime(m.starts_at), " · ", data(m.place)),
      el("div", { class: "line muted" }, T("field.teams"), " ", teamList(m.teams)),
      el("div", { class: "line muted" }, T("meeting.orders"), " ", m.orders.map((n, i) => [i ? " " : "", orderRef(n)]).flat()));
    if (m.status === "held") {
      li.append(el("div", { class: "line" }, T("field.outcome"), " ", data(m.outcome)),
        el("div", { class: "line muted" }, T("field.attended"), " ", teamList(m.attended)));
    }
    if (m.status === "cancelled") li.append(el("div", { class: "line muted" }, T("field.reason"), " ", data(m.cancel_reason)));
    if (actions && m.status === "planned") li.append(actions(m));
    return li;
  }

  // --- the order page ------------------------------------------------------------------------
  function orderCard(number, role, onChange) {
    const card = byId("meetings-card");
    const list = byId("meetings");
    const slot = byId("meeting-slot");
    const boss = SUPERVISORS.includes(role);
    let order = null;
    const path = "/api/v1/orders/" + encodeURIComponent(number) + "/meetings";
    const close = () => { slot.replaceChildren(); slot.dataset.open = ""; };
    const after = (label) => () => { close(); D.showAlert(T(label)); onChange(); };

    function open(name, form) {
      if (slot.dataset.open === name) { close(); return; }
      slot.replaceChildren(form);
      slot.dataset.open = name;
      const first = form.querySelector("input[type=text], textarea");
      if (first) first.focus();
    }

    function callForm(also) {
      const invited = D.activeTeams(order);
      const form = el("form", { class: "subform meeting-call" },
        el("label", {}, T("field.topic"), " ", el("input", { type: "text", name: "topic", required: true, maxlength: "200",
          value: T("meeting.default_topic", { place: D.placeText(order.address), category: D.categoryName(order.category) }) })),
        el("label", {}, T("field.starts_at"), " ", el("input", { type: "datetime-local", name: "starts_at", required: true, value: tomorrowMorning() })),
        el("label", {}, T("field.place"), " ", el("input", { type: "text", name: "place", required: true, maxlength: "200", value: T("meeting.default_place") })),
        el("div", {}, T("field.teams")),
        teamChoices(D.names.lists.teams.map((t) => t.code), invited),
        el("label", {}, T("meeting.also_orders"), " ", el("input", { type: "text", name: "also_orders", value: also || "", placeholder: "WO-…" })),
        el("button", { type: "submit", class: "primary" }, T("meeting.call")));
      return D.sendingForm(form, (values) => {
        return api(path, { json: {
          topic: values.topic,
          starts_at: D.fromLocalInput(values.starts_at),
          place: values.place,
          teams: checkedTeams(form),
          also_orders: values.also_orders.split(/[\s,，、]+/).filter(Boolean),
        } });
      }, after("meeting.called"));
    }

    function outcomeForm(m) {
      const form = el("form", { class: "subform meeting-outcome" },
        el("textarea", { name: "outcome", rows: "3", maxlength: "4000", required: true, placeholder: T("meeting.outcome_hint") }),
        el("div", {}, T("field.attended")),
        teamChoices(m.teams, m.teams),
        el("button", { type: "submit", class: "primary" }, T("meeting.record")));
      return D.sendingForm(form, () => api("/api/v1/meetings/" + m.id + "/outcome", {
        json: { outcome: form.elements.outcome.value, attended: checkedTeams(form) },
      }), after("meeting.recorded"));
    }

    function cancelForm(m) {
      const form = el("form", { class: "subform meeting-cancel" },
        el("textarea", { name: "reason", rows: "2", maxlength: "1000", required: true, placeholder: T("actions.reason") }),
        el("button", { type: "submit", class: "danger" }, T("actions.confirm")));
      return D.sendingForm(form, () => api("/api/v1/meetings/" + m.id + "/cancel", {
        json: { reason: form.elements.reason.value },
      }), after("meeting.cancelled"));
    }

    function moveForm(m) {
      const form = el("form", { class: "subform meeting-move" },
        el("label", {}, T("field.starts_at"), " ", el("input", { type: "datetime-local", name: "starts_at", required: true, value: D.localInput(new Date(m.starts_at)) })),
        el("label", {}, T("field.place"), " ", el("input", { type: "text", name: "place", required: true, maxlength: "200", value: m.place })),
        el("textarea", { name: "reason", rows: "2", maxlength: "1000", required: true, placeholder: T("meeting.move_reason") }),
        el("button", { type: "submit", class: "primary" }, T("meeting.move")));
      return D.sendingForm(form, (values) => api("/api/v1/meetings/" + m.id + "/reschedule", {
        json: { starts_at: D.fromLocalInput(values.starts_at), place: values.place, reason: values.reason },
      }), after("meeting.moved"));
    }

    const buttons = (m) => el("div", { class: "actions" },
      el("button", { type: "button", class: "secondary small record", onclick: () => open("outcome-" + m.id, outcomeForm(m)) }, T("meeting.record")),
      el("button", { type: "button", class: "secondary small move", onclick: () => open("move-" + m.id, moveForm(m)) }, T("meeting.move")),
      el("button", { type: "button", class: "secondary small cancel", onclick: () => open("cancel-" + m.id, cancelForm(m)) }, T("meeting.cancel")));

    const callButton = byId("meeting-call");
    callButton.addEventListener("click", () => open("call", callForm()));

    return {
      /** Show this order's meetings; `also` (numbers) opens the call form with them. */
      async render(current, also) {
        order = current;
        const meetings = await api(path);
        const callable = boss && current.status !== "cancelled" && !current.parent_number;
        callButton.hidden = !callable;
        card.hidden = !meetings.length && !callable;
        D.redraw(list, meetings, (m) => item(m, boss ? buttons : null, true), {
          // A move keeps the status: the time and place tell a moved meeting from the old one.
          id: (m) => String(m.id), version: (m) => [m.status, m.starts_at, m.place].join("|"),
        });
        byId("meetings-empty").hidden = meetings.length > 0;
        if (also && callable && !slot.dataset.open) open("call", callForm(also));
      },
    };
  }

  // --- the team's phone, the board ----------------------------------------------------------
  /** The planned meetings the user should know of, soonest first; `linked`: orders as links. */
  async function planned(container, linked, limit) {
    const found = await api("/api/v1/meetings?status=planned&limit=" + (limit || 50));
    container.replaceChildren(...found.map((m) => item(m, null, linked)));
    return found;
  }

  /** The events that change a meeting, for the pages that show them live. */
  const KINDS = ["meeting_called", "meeting_moved", "meeting_held", "meeting_cancelled"];

  D.meetings = { orderCard, planned, KINDS };
})();
