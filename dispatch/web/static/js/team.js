/* The team leader's phone page: pushed assignments with a sound, accept, return, notes, photos,
 * resolve; the leader hands an order to a member (派给队员), whose page shows it first. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  const session = D.requireLogin(["team_leader", "team_member"]);
  if (!session) return;
  const { user } = session;
  const leader = user.role === "team_leader";
  const ACTIVE = D.ACTIVE_PARTS;
  const ASSIGNING = ["dispatched", "reassigned", "team_added"];
  const CHASING = ["urged", "escalated"];

  const list = document.getElementById("team-orders");
  const empty = document.getElementById("team-empty");
  let view = "open";
  const fresh = new Set(); // orders pushed to us since the last refresh
  const chased = new Set();

  const myPart = (order) =>
    order.assignments.find((a) => a.team_code === user.team_code && ACTIVE.includes(a.status));
  // 交给我办理: the team's part was handed to this user by the leader.
  const handedToMe = (order) => {
    const part = myPart(order);
    return Boolean(part && part.handler && part.handler.username === user.username);
  };

  function act(number, action, body) {
    return api("/api/v1/orders/" + encodeURIComponent(number) + "/" + action, { json: body || {} });
  }

  function actionButton(label, cls, onClick) {
    const button = el("button", { type: "button", class: cls }, label);
    button.addEventListener("click", onClick);
    return button;
  }
  // One inline form at a time under the card's buttons, from a <template> of the page.
  // The card is looked up when the button is pressed: a push may have rebuilt it meanwhile.
  function openForm(number, templateId, submit, prepare) {
    const card = list.querySelector('[data-number="' + CSS.escape(number) + '"]');
    const slot = card && card.querySelector(".form-slot");
    if (!slot) return;
    if (slot.dataset.open === templateId) { slot.replaceChildren(); slot.dataset.open = ""; return; }
    const form = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    D.sendingForm(form, submit, () => {
      // Close this form, unless the leader has already opened another one in its place.
      if (slot.contains(form)) { slot.replaceChildren(); slot.dataset.open = ""; }
      refresh();
    });
    if (prepare) prepare(form);
    slot.replaceChildren(form);
    slot.dataset.open = templateId;
    const first = form.querySelector("select, textarea");
    if (first) first.focus();
  }

  function card(order) {
    const part = myPart(order);
    const state = part ? part.status : order.status;
    const due = state === "dispatched" ? order.accept_due_at : order.resolve_due_at;
    const node = el("li", { class: "order-card", dataset: { number: order.number, state } });
    if (fresh.has(order.number) && state === "dispatched") node.classList.add("new");
    if (chased.has(order.number)) node.classList.add("chased");
    const mine = handedToMe(order);
    if (mine) node.classList.add("mine");

    node.append(
      el("div", { class: "line head" },
        el("a", { href: "/orders/" + encodeURIComponent(order.number), class: "mono" }, order.number),
        mine ? el("span", { class: "tag handed-to-me" }, T("team.handed_to_me")) : null,
        el("span", { class: "prio prio-" + order.priority }, order.priority),
        el("span", { class: "status status-" + state }, D.statusLabel(state))),
      el("div", { class: "line" }, el("strong", {}, D.categoryName(order.category)), " ",
        data(D.placeText(order.address))),
      data(order.description, "p"),
    );
    const caller = order.caller;
    const reports = view === "reports" || view === "team-reports";
    if (view === "reports") { /* the caller is the reporter: no need to say who */ }
    else if (caller.hidden) node.append(el("p", { class: "muted" }, T("team.caller_hidden")));
    else if (caller.name || caller.phone) {
      const who = caller.reporter ? "order.reporter" : "order.caller";
      node.append(el("p", { class: "muted" }, T(who), " ", data(caller.name), " ", data(caller.phone)));
    }
    if (due && part && ACTIVE.includes(state)) { // a reporter's view of another team's order has none
      node.append(el("p", { class: "due", dataset: { due, kind: state === "dispatched" ? "accept" : "resolve" } }));
    }
    if (reports) {
      const teams = order.assignments.filter((a) => ACTIVE.includes(a.status) || a.status === "resolved");
      // Called off or merged, it is at no team and no longer at the desk either.
      const atDesk = ["received", "triage"].includes(order.status);
      if (teams.length) {
        node.append(el("p", { class: "sent-to" },
          T("patrol.sent_to") + " " + teams.map((a) => D.teamName(a.team_code)).join(T("list.sep"))));
      } else if (atDesk) node.append(el("p", { class: "sent-to" }, T("patrol.at_desk")));
    }
    if (part && part.handler) {
      node.append(el("p", { class: "handler" }, T("order.handler"), " ", data(part.handler.name)));
    }
    if (order.result) node.append(el("p", {}, T("order.result"), " ", data(order.result)));
    if (order.tags.includes("photo_required") && part && part.role === "lead" && ACTIVE.includes(state)) {
      node.append(el("p", { class: "photo-required" }, T("team.photo_required")));
    }

    const buttons = el("div", { class: "actions" });
    if (part && part.status === "dispatched" && leader) {
      buttons.append(
        actionButton(T("team.accept"), "primary big accept", async () => {
          try { await act(order.number, "accept"); fresh.delete(order.number); refresh(); }
          catch (err) { D.showAlert(D.errorText(err), "error"); }
        }),
        actionButton(T("team.return"), "danger", () => openForm(order.number, "return-form",
          (v) => act(order.number, "return", { reason_code: v.reason_code, reason: v.reason || "" }))),
      );
    }
    if (part && part.status === "accepted") {
      buttons.append(actionButton(T("team.start"), "secondary", async () => {
        try { await act(order.number, "start"); refresh(); }
        catch (err) { D.showAlert(D.errorText(err), "error"); }
      }));
    }
    if (part && leader && ["accepted", "in_progress"].includes(part.status)) {
      buttons.append(actionButton(T("team.hand_over"), "secondary hand-over", () => openForm(order.number, "hand-over-form",
        (v) => act(order.number, "hand-over", { member: v.member, note: v.note || "" }),
        (form) => fillMembers(form, part.handler))));
    }
    if (part && part.status !== "dispatched") {
      buttons.append(
        actionButton(T("team.note"), "secondary", () => openForm(order.number, "note-form",
          (v) => act(order.number, "notes", { text: v.text }))),
        actionButton(T("team.resolve"), "primary", () => openForm(order.number, "resolve-form",
          (v) => act(order.number, "resolve", { result: v.result }))),
        D.photos.picker(order.number, { camera: true }),
      );
    }
    node.append(buttons, el("div", { class: "form-slot" }));
    return node;
  }

  // A refresh must not wipe what the leader is typing: an unchanged card is kept as it is,
  // a changed one keeps its open form.
  const drawCards = (orders) => D.redraw(list, orders, card, {
    id: (order) => order.number,
    version: (order) => [order.updated_at, fresh.has(order.number), chased.has(order.number)].join("|"),
    keep: (old, node) => {
      const openSlot = old.querySelector(".form-slot[data-open]:not([data-open=''])");
      if (openSlot) node.querySelector(".form-slot").replaceWith(openSlot);
    },
  });

  // The team's active people, for the 派给队员 select: asked when the form opens, so someone
  // an admin has just added or locked out is seen at once.
  function fillMembers(form, current) {
    const select = form.elements.member;
    api("/api/v1/teams/" + encodeURIComponent(user.team_code) + "/members").then((members) => {
      const others = members.filter((m) => m.active && !(current && current.username === m.username));
      select.append(...others.map((m) => el("option", { value: m.username, "data-content": "" }, m.name)));
    }).catch((err) => D.showAlert(D.errorText(err), "error"));
  }

  function urgency(order) {
    const part = myPart(order);
    // A member's own jobs first (交给我办理), then what waits for acceptance, then by deadline.
    const own = !leader && handedToMe(order) ? 0 : 1;
    const pending = part && part.status === "dispatched" ? 0 : 1;
    const due = pending === 0 ? order.accept_due_at : order.resolve_due_at;
    return [own, pending, due ? new Date(due).getTime() : Infinity];
  }

  const fetchOrders = D.newestOnly((path) => api(path));
  // 我的上报 (patrol.js sends them): what this user reported, wherever it went; a leader's
  // 本队上报: the same for everyone in the team.
  function ordersPath() {
    if (view === "reports") return "/api/v1/patrol-reports?limit=100";
    if (view === "team-reports") return "/api/v1/patrol-reports?of=team&limit=100";
    const statuses = view === "open" ? ACTIVE : ["resolved", "closed"];
    return "/api/v1/orders?limit=100&" + statuses.map((s) => "status=" + s).join("&");
  }
  async function refresh() {
    const page = await fetchOrders(ordersPath());
    if (!page) return;
    let orders = page.data;
    if (view === "open") {
      orders = orders.filter(myPart);
      orders.sort((a, b) => {
        const [x, y] = [urgency(a), urgency(b)];
        return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
      });
      document.getElementById("open-count").textContent = String(orders.length);
      announce(orders);
      announceHanded(orders);
    }
    drawCards(orders);
    const none = { reports: "patrol.none", "team-reports": "patrol.none_team" };
    empty.textContent = T(none[view] || "team.empty");
    empty.hidden = orders.length > 0;
    tick();
  }
  const refreshSoon = D.debounce(() => refresh().catch(() => {}), 150);

  // A pushed assignment we have not accepted yet: a sound and a banner, once per order.
  const announced = new Set();
  function announce(orders) {
    const arrived = orders.filter((o) => {
      const part = myPart(o);
      return fresh.has(o.number) && part.status === "dispatched" && !announced.has(o.number);
    });
    if (!arrived.length) return;
    arrived.forEach((o) => announced.add(o.number));
    const first = arrived[0];
    alertAbout(first, arrived.length === 1
      ? T("team.new_assignment", { number: first.number, category: D.categoryName(first.category) })
      : T("team.new_assignments", { n: arrived.length }));
  }
  /** A banner that takes the user to `order`'s card, and the sound. */
  function alertAbout(order, text) {
    D.showAlert(text, "assign", () => {
      const target = list.querySelector('[data-number="' + CSS.escape(order.number) + '"]');
      if (target) target.scrollIntoView({ behavior: "smooth", block: "center" });
    });
    D.chime();
  }

  // An order the leader has just handed to this user: a sound and a banner, once per hand-over.
  const handedNow = new Set(); // numbers of orders pushed to us as handed over to this user
  function announceHanded(orders) {
    // Kept until an answer shows the order as ours: one asked before the push still shows it
    // as it was.
    const arrived = orders.filter((o) => handedNow.has(o.number) && handedToMe(o));
    arrived.forEach((o) => handedNow.delete(o.number));
    if (!arrived.length) return;
    const first = arrived[0];
    alertAbout(first, T("team.handed_alert", { number: first.number, category: D.categoryName(first.category) }));
  }

  // 协商会议 the team is invited to: at the top, with a sound when one is called or moved.
  const MEETING_KINDS = D.meetings.KINDS;
  const MEETING_ALERTS = { meeting_called: "meeting.alert", meeting_moved: "meeting.moved_alert" };
  async function refreshInvitations() {
    const planned = await D.meetings.planned(document.getElementById("invitations"), false);
    document.getElementById("invitations-card").hidden = planned.length === 0;
  }
  const invitationsSoon = D.debounce(() => refreshInvitations().catch(() => {}), 300);

  // What another team did with this user's own patrol report (巡查上报) that ends it.
  const REPORT_ENDINGS = {
    resolved: "patrol.resolved_alert", cancelled: "patrol.cancelled_alert", merged_into: "patrol.merged_alert",
  };
  function onEvent(event) {
    const ours = (event.team_codes || []).includes(user.team_code);
    if (ours && MEETING_KINDS.includes(event.kind)) {
      invitationsSoon();
      if (MEETING_ALERTS[event.kind] && D.isFresh(event)) {
        D.showAlert(T(MEETING_ALERTS[event.kind], { topic: (event.data || {}).topic || "" }), "assign");
        D.chime();
      }
      return; // the meeting's orders may not be ours: the list of orders is unchanged
    }
    if (ours && ASSIGNING.includes(event.kind)) fresh.add(event.order_number);
    const handed = event.kind === "handed_over" && (event.data || {}).member === user.username;
    if (ours && handed && D.isFresh(event)) handedNow.add(event.order_number);
    const mine = event.reporter_id === user.id; // not a teammate's report, which a leader also gets
    if (!ours && mine && REPORT_ENDINGS[event.kind] && D.isFresh(event) && (event.data || {}).role !== "assist") {
      D.showAlert(T(REPORT_ENDINGS[event.kind], { number: event.order_number }), "assign", () => {
        document.getElementById("tab-reports").click();
      });
      D.chime();
    }
    if (ours && CHASING.includes(event.kind)) {
      chased.add(event.order_number);
      D.showAlert(T("team.chased", { number: event.order_number }), "warn");
    }
    refreshSoon();
  }

  // The deadlines count down every second, without asking the server.
  function tick() {
    list.querySelectorAll(".due[data-due]").forEach((node) => {
      const c = D.countdown(node.dataset.due);
      node.textContent = T(node.dataset.kind === "accept" ? "team.accept_due" : "team.resolve_due") + " " + c.text;
      node.dataset.state = c.state;
    });
  }
  setInterval(tick, 1000);

  document.querySelectorAll(".tab").forEach((tab) => tab.addEventListener("click", () => {
    view = tab.dataset.view;
    document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t === tab));
    refreshSoon();
  }));

  document.getElementById("tab-team-reports").hidden = !leader;

  D.loadNames().then(() => {
    document.getElementById("team-name").textContent = D.teamName(user.team_code);
    refresh();
    refreshInvitations().catch(() => {});
    D.connectLive(onEvent, () => { refreshSoon(); invitationsSoon(); });
  });
})();
