/* 值班表: each team's 24-hour duty rota and who leads now; the admin adds and removes shifts. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  const session = D.requireLogin(["supervisor", "admin"]);
  if (!session) return;
  const canEdit = session.user.role === "admin";
  const box = document.getElementById("rota-teams");
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
    return el("article", { class: "rota-team", dataset: { team: team.code } },
      el("h3", {}, D.teamName(team.code), " ",
        el("span", { class: "muted on-duty" }, T("rota.on_duty"), " ", data(team.on_duty || T("rota.nobody")))),
      team.rota.length
        ? el("table", { class: "table" }, el("tbody", {}, team.rota.map((s) => shiftRow(team, s))))
        : el("p", { class: "muted" }, T("rota.empty")),
      canEdit ? shiftForm(team) : null);
  }

  async function removeShift(team, shift) {
    await api("/api/v1/teams/" + encodeURIComponent(team.code) + "/rota/" + shift.id, { method: "DELETE" });
    await refresh();
  }

  const fetchTeams = D.newestOnly(() => api("/api/v1/teams"));
  async function refresh() {
    const teams = await fetchTeams();
    if (!teams) return;
    box.replaceChildren(...teams.map(teamCard));
  }
  const showError = (err) => D.showAlert(D.errorText(err), "error");

  async function start() {
    await D.loadNames();
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
