/* 人员管理: the admin adds users, changes their role or team, locks them out, resets passwords. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  if (!D.requireLogin(["admin"])) return;
  const f = (id) => document.getElementById(id);
  const ROLES = ["operator", "team_leader", "team_member", "supervisor", "admin"];
  const TEAM_ROLES = ["team_leader", "team_member"];

  function fillRoles(select, allLabel) {
    const first = allLabel ? [el("option", { value: "" }, T(allLabel))] : [];
    select.replaceChildren(...first, ...ROLES.map((r) => el("option", { value: r }, T("user_role." + r))));
  }
  function fillTeams(select, firstLabel) {
    select.replaceChildren(el("option", { value: "" }, T(firstLabel)),
      ...D.names.lists.teams.map((t) => el("option", { value: t.code }, D.teamName(t.code))));
  }
  // Only team leaders and members belong to a team: for a desk role the choice is greyed out.
  function teamFollowsRole(form) {
    const teamRole = TEAM_ROLES.includes(form.role.value);
    form.team_code.disabled = !teamRole;
    if (!teamRole) form.team_code.value = "";
    form.team_code.required = teamRole;
  }

  // A refused change names the field the server refused: that input is marked.
  function showRefusal(form, box, err) {
    D.markField(form, D.refusedField(err));
    box.textContent = err && err.status === 409 ? T("users.last_admin") : D.errorText(err);
    box.hidden = false;
  }

  // --- the list ------------------------------------------------------------------------------
  let editing = null;
  function closeEditor() {
    if (editing) editing.remove();
    editing = null;
  }
  function row(u) {
    const state = u.active ? "active" : "inactive";
    return el("tr", { class: "user-row " + state, dataset: { username: u.username } },
      el("td", { class: "mono" }, data(u.username)),
      el("td", {}, data(u.display_name)),
      el("td", { class: "role" }, T("user_role." + u.role)),
      el("td", { class: "team" }, u.team_code ? D.teamName(u.team_code) : ""),
      el("td", { class: "mono" }, data(u.phone || "")),
      el("td", {}, el("span", { class: "status status-" + state }, T("users." + state))),
      el("td", {}, el("button", { type: "button", class: "secondary small edit", onclick: () => openEditor(u) },
        T("users.edit"))));
  }
  const fetchUsers = D.newestOnly(() => {
    const params = new URLSearchParams();
    if (f("filter-team").value) params.set("team", f("filter-team").value);
    if (f("filter-role").value) params.set("role", f("filter-role").value);
    return api("/api/v1/users?" + params.toString());
  });
  async function refresh() {
    const found = await fetchUsers();
    if (!found) return;
    closeEditor();
    f("users-table").tBodies[0].replaceChildren(...found.map(row));
    await refreshLog();
  }

  // --- 操作记录: the newest changes, this page's own included --------------------------------
  const detail = (d) => Object.entries(d || {})
    .map(([k, v]) => k + "=" + (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)))
    .join(", ");
  const fetchLog = D.newestOnly(() => api("/api/v1/admin-log?limit=50"));
  async function refreshLog() {
    const log = await fetchLog();
    if (!log) return;
    f("log-table").tBodies[0].replaceChildren(...log.data.map((e) =>
      el("tr", { class: "log-row", dataset: { action: e.action, target: e.target } },
        el("td", { class: "when" }, D.fmtTime(e.at)),
        el("td", { class: "mono" }, data(e.actor)),
        el("td", {}, T("admin_action." + e.action)),
        el("td", { class: "mono" }, data(e.target)),
        el("td", { class: "detail" }, data(detail(e.data))))));
    f("log-empty").hidden = log.data.length > 0;
  }

  // --- one user's editor, under their row ------------------------------------------------------
  function openEditor(u) {
    closeEditor();
    const tr = f("edit-form").content.firstElementChild.cloneNode(true);
    const form = tr.querySelector("form.user-edit");
    const reset = tr.querySelector("form.user-password");
    const box = tr.querySelector(".edit-error");
    fillRoles(form.role);
    fillTeams(form.team_code, "users.no_team");
    form.display_name.value = u.display_name;
    form.role.value = u.role;
    form.team_code.value = u.team_code || "";
    form.phone.value = u.phone || "";
    form.active.checked = u.active;
    teamFollowsRole(form);
    form.role.addEventListener("change", () => teamFollowsRole(form));
    form.querySelector(".cancel").addEventListener("click", closeEditor);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const now = {
        display_name: form.display_name.value.trim(), role: form.role.value,
        team_code: form.team_code.value, phone: form.phone.value.trim(), active: form.active.checked,
      };
      const was = { ...u, team_code: u.team_code || "", phone: u.phone || "" };
      const changes = Object.fromEntries(Object.entries(now).filter(([k, v]) => v !== was[k]));
      if (!Object.keys(changes).length) { closeEditor(); return; }
      try {
        await api("/api/v1/users/" + encodeURIComponent(u.username), { method: "PATCH", json: changes });
        D.showAlert(D.labelWith("users.saved", { name: u.display_name }));
        await refresh();
      } catch (err) {
        showRefusal(form, box, err);
      }
    });
    reset.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("/api/v1/users/" + encodeURIComponent(u.username) + "/password", {
          method: "PUT", json: { new_password: reset.new_password.value },
        });
        reset.reset();
        box.hidden = true;
        D.showAlert(D.labelWith("users.password_reset", { name: u.display_name }));
        await refreshLog();
      } catch (err) {
        showRefusal(reset, box, err);
      }
    });
    reset.querySelector(".sign-out").addEventListener("click", async () => {
      try {
        await api("/api/v1/users/" + encodeURIComponent(u.username) + "/sign-out", { method: "POST" });
        D.showAlert(D.labelWith("users.signed_out", { name: u.display_name }));
        await refreshLog();
      } catch (err) {
        showRefusal(reset, box, err);
      }
    });
    const at = f("users-table").querySelector(`tr.user-row[data-username="${CSS.escape(u.username)}"]`);
    at.after(tr);
    editing = tr;
    form.display_name.focus();
  }

  // --- a new user ------------------------------------------------------------------------------
  const add = f("add-form");
  add.role.addEventListener("change", () => teamFollowsRole(add));
  add.addEventListener("submit", async (event) => {
    event.preventDefault();
    f("add-error").hidden = true;
    const body = {
      username: add.username.value.trim(), display_name: add.display_name.value.trim(),
      role: add.role.value, team_code: add.team_code.value || null,
      phone: add.phone.value.trim() || null, password: add.password.value,
    };
    try {
      await api("/api/v1/users", { json: body });
      D.showAlert(D.labelWith("users.added", { name: body.display_name }));
      add.reset();
      teamFollowsRole(add);
      await refresh();
    } catch (err) {
      showRefusal(add, f("add-error"), err);
    }
  });

  const showError = (err) => D.showAlert(D.errorText(err), "error");
  D.loadNames().then(() => {
    fillRoles(add.role);
    fillTeams(add.team_code, "users.no_team");
    teamFollowsRole(add);
    fillRoles(f("filter-role"), "users.all");
    fillTeams(f("filter-team"), "users.all");
    f("filter-team").addEventListener("change", () => refresh().catch(showError));
    f("filter-role").addEventListener("change", () => refresh().catch(showError));
    return refresh();
  }).catch(showError);
})();
