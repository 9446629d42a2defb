/* 交接班 on the console: the newest handover not yet taken over, with its 接班 button; the
   交班 form with what the server will attach; the last handovers, each opened on a click.
   Read when the page opens and when the window comes back to the front: the incoming
   operator opens the console at the start of the shift, no push is needed. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, api } = D;
  const session = D.current();
  // console.js sends anyone else to their own page.
  if (!session || !["operator", "supervisor", "admin"].includes(session.user.role)) return;
  const f = (id) => document.getElementById(id);
  const HISTORY = 10;
  // The queues of a snapshot, in the order the desk works them.
  const QUEUES = ["triage", "awaiting_callback", "late", "open_p1"];

  /** Each queue's count and links to its orders; "and n more" past the numbers kept. */
  function snapshotList(snapshot) {
    // Then the queues the hotline adds (the 12345 and police messages not delivered).
    const more = snapshot.more || {};
    const queues = QUEUES.map((q) => [q, snapshot[q]]).concat(Object.entries(more));
    return el("ul", { class: "plain handover-snapshot" }, queues.map(([queue, work]) => {
      const more = work.count - work.orders.length;
      return el("li", { dataset: { queue } },
        T("handover." + queue), " ", el("span", { class: "badge" }, String(work.count)), " ",
        work.orders.map((n) => [D.orderLink(n), " "]).flat(),
        more > 0 ? T("handover.more", { n: more }) : "");
    }));
  }

  const note = (h) => el("p", { class: "handover-note", "data-content": "" }, h.note);
  const by = (h) => D.labelWith("handover.by", { name: h.handed_by.display_name, time: D.fmtTime(h.handed_at) });
  const takenBy = (h) => D.labelWith("handover.received", { name: h.received_by.display_name, time: D.fmtTime(h.received_at) });

  // --- the card: the newest handover waiting for the next shift, else the newest of all -----
  function drawCurrent(h) {
    const box = f("handover-current");
    f("handover-none").hidden = Boolean(h);
    if (!h) { box.replaceChildren(); return; }
    const own = h.handed_by.username === session.user.username;
    const end = h.received_at
      ? el("p", { class: "ok", id: "handover-received" }, takenBy(h))
      : own ? el("p", { class: "muted" }, T("handover.own"))
        : el("button", { type: "button", class: "primary", id: "handover-receive", onclick: () => receive(h) }, T("handover.receive"));
    box.dataset.id = h.id;
    box.dataset.state = h.received_at ? "received" : "waiting";
    box.replaceChildren(
      el("p", {}, by(h), " ", h.received_at ? "" : el("span", { class: "tag" }, T("handover.waiting"))),
      note(h), snapshotList(h.snapshot), end);
  }

  async function receive(h) {
    const button = f("handover-receive");
    button.disabled = true;
    try {
      drawCurrent(await api("/api/v1/handovers/" + h.id + "/receive", { method: "POST" }));
      D.showAlert(T("handover.received_alert"), "info");
    } catch (err) {
      const error = (err.body && err.body.error) || {};
      // Taken over by someone else meanwhile: say by whom, and show it.
      D.showAlert(error.received_by ? T("handover.taken_already") : D.errorText(err), "error");
    }
    refresh();
  }

  // --- the history: the last handovers, each opened on a click -----------------------------
  function pastItem(h) {
    return el("li", { dataset: { id: h.id } }, el("details", {},
      el("summary", {}, by(h), " · ",
        h.received_at ? takenBy(h) : el("span", { class: "tag" }, T("handover.waiting"))),
      el("div", { class: "handover-past" }, note(h), snapshotList(h.snapshot))));
  }
  function drawHistory(handovers) {
    // An item the supervisor opened stays open: unchanged handovers keep their node.
    D.redraw(f("handover-history"), handovers, pastItem, {
      id: (h) => h.id, version: (h) => h.received_at || "",
    });
    f("handover-history-empty").hidden = handovers.length > 0;
  }

  // --- 交班: the note, and what the server will attach to it --------------------------------
  async function drawAttached() {
    const snapshot = await api("/api/v1/handovers/snapshot");
    f("handover-attached").replaceChildren(el("p", { class: "muted" }, T("handover.attached")), snapshotList(snapshot));
  }
  const form = f("handover-form");
  D.sendingForm(form, async (values) => {
    drawCurrent(await api("/api/v1/handovers", { json: { note: values.note } }));
  }, () => {
    form.reset();
    form.querySelector("button[type=submit]").disabled = false;
    D.showAlert(T("handover.done"), "info");
    refresh();
  });

  const fetchHandovers = D.newestOnly(() => api("/api/v1/handovers?limit=" + HISTORY));
  async function refresh() {
    try {
      const page = await fetchHandovers();
      if (!page) return;
      drawCurrent(page.data.find((h) => !h.received_at) || page.data[0]);
      drawHistory(page.data);
      await drawAttached();
    } catch (err) {
      D.showAlert(D.errorText(err), "error");
    }
  }
  refresh();
  window.addEventListener("focus", refresh);
})();
