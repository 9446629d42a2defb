/* 值班表: each team's 24-hour duty rota and who leads now; the admin adds and removes shifts,
 * and takes a team out of service (停用) or puts it back (启用). */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  const session = D.requireLogin(["supervisor", "admin"]);
  if (!session) return;
  const canEdit = session.user.role === "admin";
  const box = document.getElementById("rota-teams");
  const inactiveBox = document.getElementById("rota-inactive");
  let members = {}; // team code -> [{username, display_name}], for the admin's shift form

  function shiftRow(team, shift) {
    const remove = canEdit && el("button", {
      type: "button", class: "danger small remove",
      onclick: () => removeShift(team, shift).catch(showError),
    }, T("rota.remove"));
    return el("tr", { class: "shift", dataset: { id: String(shift.id), username: shift.username } },
      el("td", { class: "when" }, shift.starts + " – " + shift.ends + (shift.ends <= shift.starts ? " " + T("rota.next_day") : "")),
      el("td", {}, data(shift.display_name)),
      el("td", {}, remove || ""));
  }

  function shiftForm(team) {
    const form = document.getElementById("shift-form").content.firstElementChild.cloneNode(true);
    form.username.replaceChildren(...(members[team.code] || []).map((m) =>
      el("option", { value: m.username }, data(m.display_name))));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("/api/v1/teams/" + encodeURIComponent(team.code) + "/rota", {
          json: { username: form.username.value, starts: form.starts.value, ends: form.ends.value },
        });
        await refresh();
      } catch (err) {
        const field = D.refusedField(err);
        D.markField(form, field);
        D.showAlert(field === "starts" ? T("rota.overlap") : D.errorText(err), "error");
      }
    });
    return form;
  }

  function teamCard(team) {
    const refusal = el("p", { class: "error refusal", hidden: true });
    return el("article", { class: "rota-team", dataset: { team: team.code } },
      el("h3", {}, D.localName(team), " ",
        el("span", { class: "muted on-duty" }, T("rota.on_duty"), " ", data(team.on_duty || T("rota.nobody"))),
        canEdit ? serviceButton(team, refusal) : null),
      refusal,
      team.rota.length
        ? el("table", { class: "table" }, el("tbody", {}, team.rota.map((s) => shiftRow(team, s))))
        : el("p", { class: "muted" }, T("rota.empty")),
      canEdit ? shiftForm(team) : null);
  }

  // Out of service: no rota to keep, only the way back (the admin's).
  function inactiveCard(team) {
    const refusal = el("p", { class: "error refusal", hidden: true });
    return el("article", { class: "rota-team out-of-service", dataset: { team: team.code } },
      el("h3", {}, D.localName(team), canEdit ? serviceButton(team, refusal) : null),
      refusal);
  }

  function serviceButton(team, refusal) {
    const restore = !team.active;
    return el("button", {
      type: "button", class: restore ? "primary small restore" : "secondary small take-out",
      onclick: () => setInService(team, restore, refusal),
    }, T(restore ? "rota.restore" : "rota.take_out"));
  }

  async function setInService(team, active, refusal) {
    refusal.hidden = true;
    try {
      await api("/api/v1/teams/" + encodeURIComponent(team.code), { method: "PATCH", json: { active } });
      D.showAlert(D.labelWith(active ? "rota.restored" : "rota.taken_out", { name: D.localName(team) }));
      await refresh();
    } catch (err) {
      refusal.replaceChildren(...whyRefused(err));
      refusal.hidden = false;
    }
  }

  // The server's message is in English: the page says it again from the refusal's details.
  function whyRefused(err) {
    const e = err && err.body && err.body.error;
    if (!e || e.code !== "team_in_use") return [D.errorText(err)];
    const why = [];
    if (e.open_orders) {
      const more = e.open_orders > e.orders.length ? [" …"] : [];
      why.push(el("span", { class: "orders" }, T("rota.still_has_orders", { n: e.open_orders }), " ",
        e.orders.flatMap((number, i) => [i ? T("list.sep") : "", D.orderLink(number)]), ...more));
    }
    if (e.rules.length) {
      why.push(el("span", { class: "rules" }, T("rota.still_in_rules"), " ", data(e.rules.join(T("list.sep")))));
    }
    if (e.residents) why.push(el("span", { class: "residents" }, T("rota.still_cares", { n: e.residents })));
    if (e.escalation && e.escalation.length) {
      why.push(el("span", { class: "escalation" }, T("rota.still_in_escalation"), " ", data(e.escalation.join(T("list.sep")))));
    }
    return why.flatMap((line, i) => (i ? [el("br"), line] : [line]));
  }

  async function removeShift(team, shift) {
    await api("/api/v1/teams/" + encodeURIComponent(team.code) + "/rota/" + shift.id, { method: "DELETE" });
    await refresh();
  }

  // The supervisor sees which teams are out of service too; only an admin puts them back.
  const fetchTeams = D.newestOnly(() => api("/api/v1/teams?include_inactive=true"));
  async function refresh() {
    const teams = await fetchTeams();
    if (!teams) return;
    const inactive = teams.filter((t) => !t.active);
    box.replaceChildren(...teams.filter((t) => t.active).map(teamCard));
    inactiveBox.replaceChildren(...inactive.map(inactiveCard));
    document.getElementById("out-of-service").hidden = !inactive.length;
  }
  const showError = (err) => D.showAlert(D.errorText(err), "error");

  async function start() {
    // Team names come with the list itself: the reference list holds only teams in service.
    if (canEdit) {
      const everyone = await api("/api/v1/users");
      members = {};
      everyone.filter((u) => u.active && u.team_code).forEach((u) => {
        (members[u.team_code] = members[u.team_code] || []).push(u);
      });
    }
    await refresh();
  }
  start().catch(showError);
})();
