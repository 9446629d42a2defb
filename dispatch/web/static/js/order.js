/* 民情日志: one order's facts and its whole timeline, oldest first; new events arrive live. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  const session = D.requireLogin();
  if (!session) return;
  const readsRules = ["supervisor", "admin"].includes(session.user.role); // the 派单规则 page's
  const number = document.getElementById("order-summary").dataset.number;
  const path = "/api/v1/orders/" + encodeURIComponent(number);
  // Paper leaves the desk (a file, a team without a phone): the caller's number is printed
  // masked, as the 民情日志 report prints it; the screen shows what the role may see.
  const masked = (phone) => phone.replace(/^\+86/, "").replace(/^(\d{3})\d+(\d{4})$/, "$1****$2");
  function callerOf(caller) {
    const name = caller.name ? [caller.name, " "] : [];
    if (!caller.phone) return data(caller.name || "");
    return el("span", { "data-content": "" }, ...name,
      el("span", { class: "screen-only" }, caller.phone),
      el("span", { class: "print-only" }, masked(caller.phone)));
  }

  // 打印: the page as paper for the community's files or a team without a phone (app.css
  // @media print leaves the facts, the photos and the 民情日志).
  document.getElementById("order-print").addEventListener("click", () => window.print());

  // Event data shown on the timeline, each with a label and a way to show its value (null:
  // not shown); `d` is all the event's data.
  const team = (code) => D.teamName(code);
  const FIELDS = {
    channel: (v) => T("channel." + v),
    rule_id: (v) => v,
    rule_name: (v) => (D.english ? null : v),
    priority: (v) => v,
    lead_team: team,
    assist_teams: (v) => (v.length ? v.map(team).join(T("list.sep")) : null),
    team: team,
    from_team: team,
    to_team: team,
    reason_code: (v) => T("reason." + v),
    reason: (v) => v,
    text: (v) => v,
    result: (v) => v,
    note: (v) => v,
    caption: (v) => v,
    satisfaction: (v) => T("satisfaction." + v),
    resolve_due_at: (v) => D.fmtTime(v),
    parent: (v) => v,
    child: (v) => v,
    level: (v) => v,
    number: (v) => v,
    topic: (v) => v,
    from_starts_at: (v) => D.fmtTime(v), // a meeting moved (改期): what it was, then what it is
    starts_at: (v) => D.fmtTime(v),
    from_place: (v, d) => (v === d.place ? null : v),
    place: (v) => v,
    teams: (v) => v.map(team).join(T("list.sep")),
    outcome: (v) => v,
    attended: (v) => (v.length ? v.map(team).join(T("list.sep")) : null),
    changes: (v) => changeList(v),
    from_member_name: (v) => v, // 派给队员 again: who had it before
  };
  // Event data told as a sentence of its own rather than "label value" (派给队员: 交给 王师傅办理).
  const SENTENCES = {
    member_name: (v) => D.labelWith("order.handed_to", { name: v }),
  };

  // An `updated` event's changes: each field with what it was and what it became.
  const CHANGED = {
    category_code: ["order.category", (c) => D.categoryName(c)],
    priority: ["order.priority", (p) => p],
    description: ["order.description", (t) => t],
    community_code: ["field.community", (c) => D.names.communities[c] || c],
    compound_code: ["field.compound", (c) => D.names.compounds[c] || c],
    building: ["field.building", (b) => b],
    address_text: ["order.place", (t) => t],
    caller_name: ["order.caller", (n) => n],
    resolve_due_at: ["field.resolve_due_at", (t) => D.fmtTime(t)],
  };
  function changeList(changes) {
    return Object.entries(changes).map(([key, change]) => {
      const [label, show] = CHANGED[key] || [null, (x) => x];
      const shown = (value) => (value === null || value === undefined || value === "" ? "—" : show(value));
      return (label ? T(label) : key) + " " + shown(change.from) + " → " + shown(change.to);
    }).join(T("list.sep"));
  }

  function details(eventData) {
    const parts = [];
    for (const [key, say] of Object.entries(SENTENCES)) {
      const value = eventData[key];
      if (value !== undefined && value !== null && value !== "") parts.push(el("span", { class: "kv" }, say(value)));
    }
    for (const [key, show] of Object.entries(FIELDS)) {
      const value = eventData[key];
      if (value === undefined || value === null || value === "") continue;
      const shown = show(value, eventData);
      if (shown === null || shown === undefined || shown === "") continue;
      parts.push(el("span", { class: "kv" }, el("span", { class: "k" }, T("field." + key)), " ", data(shown)));
    }
    return parts;
  }

  function fact(label, ...value) {
    return [el("dt", {}, label), el("dd", {}, ...value)];
  }
  function renderFacts(o) {
    const teams = o.assignments.map((a) =>
      el("span", { class: "tag" }, D.teamName(a.team_code), " · ", T("role." + a.role), " · ", D.statusLabel(a.status),
        a.handler ? [" · ", T("order.handler"), " ", data(a.handler.name)] : null));
    const rows = [
      fact(T("order.status"), el("span", { class: "status status-" + o.status }, D.statusLabel(o.status))),
      fact(T("order.priority"), o.priority),
      fact(T("order.category"), D.categoryName(o.category)),
      fact(T("order.place"), data(D.placeText(o.address))),
      fact(T("order.description"), data(o.description)),
      fact(T(o.caller.reporter ? "order.reporter" : "order.caller"), o.caller.hidden ? T("team.caller_hidden") : callerOf(o.caller)),
      fact(T("order.teams"), ...teams),
      fact(T("order.rule"), data(o.routing.rule_id ? D.ruleText(o.routing) : T("preview.triage")),
        readsRules && o.routing.rules_version
          ? [" ", el("a", { class: "rules-version", href: "/rules?version=" + encodeURIComponent(o.routing.rules_version) },
            ...D.labelWith("order.rules_version", { version: o.routing.rules_version }))]
          : null),
      fact(T("order.created_at"), D.fmtTime(o.created_at)),
    ];
    if (o.accept_due_at) rows.push(fact(T("order.accept_due_at"), D.fmtTime(o.accept_due_at)));
    if (o.resolve_due_at) rows.push(fact(T("order.resolve_due_at"), D.fmtTime(o.resolve_due_at)));
    if (o.result) rows.push(fact(T("order.result"), data(o.result)));
    if (o.satisfaction) rows.push(fact(T("order.satisfaction"), T("satisfaction." + o.satisfaction)));
    document.getElementById("order-facts").replaceChildren(...rows.flat());
  }

  // 语音留言: the note names its recording (older ones: the end of their Twilio URL). An <audio
  // src> cannot send the token, so ▶ fetches the MP3 with it and plays it from memory. Each
  // player is kept, so a live redraw of the timeline does not stop a message being heard.
  // A sid the timeline shows masked (a run of its digits read as a phone number) gets none.
  const RECORDING_SID = /^RE[0-9a-fA-F]{32}$/;
  const RECORDING_IN_URL = /\/Recordings\/(RE[0-9a-fA-F]{32})(?:\.\w+)?$/;
  const players = new Map();
  function voicemail(d) {
    if (d.source !== "voicemail") return null;
    const named = RECORDING_SID.test(d.recording_sid || "") ? d.recording_sid : null;
    const sid = named || (RECORDING_IN_URL.exec(d.recording_url || "") || [])[1];
    if (!sid) return null;
    if (!players.has(sid)) players.set(sid, voicemailPlayer(sid));
    return players.get(sid);
  }
  function voicemailPlayer(sid) {
    const audio = el("audio", { controls: true, preload: "none", hidden: true });
    const status = el("span", { class: "muted", role: "status" });
    const play = el("button", { type: "button", class: "secondary small", onclick: async () => {
      play.disabled = true;
      status.textContent = T("voicemail.loading");
      try {
        const answer = await api(path + "/recordings/" + encodeURIComponent(sid), { raw: true, headers: { Accept: "audio/mpeg" } });
        audio.src = URL.createObjectURL(await answer.blob());
        [audio.hidden, play.hidden, status.textContent] = [false, true, ""];
        audio.play().catch(() => {}); // the controls are there if the browser will not start it
      } catch (err) {
        play.disabled = false;
        const known = { 404: "voicemail.gone", 502: "voicemail.unreachable" }[err.status];
        status.textContent = known ? T(known) : D.errorText(err);
      }
    } }, T("voicemail.play"));
    return el("div", { class: "voicemail" }, play, " ", audio, status);
  }

  function renderTimeline(events) {
    document.getElementById("timeline").replaceChildren(...events.map((e) =>
      el("li", { class: "event kind-" + e.kind, dataset: { id: e.id } },
        el("span", { class: "when" }, D.fmtTime(e.at)),
        // 直接答复 is stored as a resolve without a team: the log says which it was.
        el("span", { class: "what" }, D.eventLabel((e.data || {}).answered_at_desk ? "answered_at_desk" : e.kind)),
        el("span", { class: "who" }, data(e.actor)),
        el("div", { class: "details" }, details(e.data || {})),
        voicemail(e.data || {}))));
  }

  async function renderPhotos(order) {
    const add = document.getElementById("photos-add");
    const open = order.allowed_actions.includes("add_photo");
    if (open && !add.firstChild) add.replaceChildren(D.photos.picker(number, { onSent: loadSoon }));
    if (!open) add.replaceChildren();
    const photos = await D.photos.show(number, document.getElementById("photos"));
    document.getElementById("photos-empty").hidden = photos.length > 0;
  }

  // ?meeting=WO-…,WO-… (from a hot spot): the call form opens with those orders in it, once.
  let alsoOrders = new URLSearchParams(location.search).get("meeting");
  let meetingCard = null;
  async function renderMeetings(order) {
    meetingCard = meetingCard || D.meetings.orderCard(number, session.user.role, loadSoon);
    await meetingCard.render(order, alsoOrders);
    alsoOrders = null;
  }

  const fetchOrder = D.newestOnly(() => Promise.all([api(path), api(path + "/timeline")]));
  async function load() {
    let order;
    let corrected = false;
    try {
      const answer = await fetchOrder();
      if (!answer) return;
      const [found, timeline] = answer;
      order = found;
      corrected = timeline.data.some((e) => e.kind === "updated");
      renderFacts(order);
      D.orderActions.render(order, session.user.role, loadSoon);
      renderTimeline(timeline.data);
      document.getElementById("order-error").hidden = true;
    } catch (err) {
      const box = document.getElementById("order-error");
      box.textContent = err.status === 404 ? T("error.not_found") : D.errorText(err);
      box.hidden = false;
      return;
    }
    // The order has shown: photos or meetings that fail to load say so in their own card.
    await Promise.all([
      part("photos", () => renderPhotos(order)),
      part("meetings", () => renderMeetings(order)),
      D.orderActions.suggest(order, session.user.role, corrected, loadSoon).catch(() => {}),
    ]);
  }
  async function part(name, render) {
    const box = document.getElementById(name + "-error");
    try {
      await render();
      box.hidden = true;
    } catch (err) {
      box.textContent = D.errorText(err);
      box.hidden = false;
      document.getElementById(name + "-card").hidden = false;
    }
  }
  const loadSoon = D.debounce(load, 200);

  D.loadNames().then(() => {
    load();
    D.connectLive((event) => { if (event.order_number === number) loadSoon(); }, loadSoon);
  });
})();
