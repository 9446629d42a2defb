/* 帮扶对象: the desk keeps the register of residents the community looks after. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  if (!D.requireLogin(["operator", "supervisor", "admin"])) return;
  const f = (id) => document.getElementById(id);
  const KINDS = ["elderly_alone", "disabled", "ill"];
  const SHOWN = 200; // one page of the register; the search narrows it

  function options(select, firstLabel, items) {
    const first = firstLabel ? [el("option", { value: "" }, T(firstLabel))] : [];
    select.replaceChildren(...first, ...items.map(([value, label]) => el("option", { value }, label)));
  }
  function fillChoices(root, firstLabel) {
    root.querySelectorAll("select.kind-select").forEach((s) =>
      options(s, s.required ? null : firstLabel, KINDS.map((k) => [k, T("resident." + k)])));
    root.querySelectorAll("select.community-select").forEach((s) =>
      options(s, firstLabel, D.names.lists.communities.map((c) => [c.code, D.names.communities[c.code]])));
    root.querySelectorAll("select.team-select").forEach((s) =>
      options(s, firstLabel, D.names.lists.teams.map((t) => [t.code, D.teamName(t.code)])));
  }
  const communityName = (code) => (code ? D.names.communities[code] || code : "");

  // --- the list ------------------------------------------------------------------------------
  let editing = null;
  function closeEditor() {
    if (editing) editing.remove();
    editing = null;
  }
  function row(r) {
    return el("tr", { class: "resident-row" + (r.active ? "" : " taken-off"), dataset: { phone: r.phone } },
      el("td", { class: "name" }, data(r.name)),
      el("td", { class: "mono" }, data(r.phone)),
      el("td", { class: "kind" }, T("resident." + r.kind)),
      el("td", { class: "community" }, communityName(r.community_code)),
      el("td", { class: "care-team" }, r.care_team_code ? D.teamName(r.care_team_code) : ""),
      el("td", { class: "address" }, data(r.address)),
      el("td", { class: "care-note" }, data(r.care_note)),
      el("td", {}, el("button", { type: "button", class: "secondary small edit", onclick: () => openEditor(r) },
        T("residents.edit"))));
  }
  const fetchResidents = D.newestOnly(() => {
    const params = new URLSearchParams({ active: f("filter-active").value, limit: String(SHOWN) });
    const q = f("filter-q").value.trim();
    if (q) params.set("q", q);
    for (const [key, id] of [["community", "filter-community"], ["kind", "filter-kind"], ["care_team", "filter-team"]]) {
      if (f(id).value) params.set(key, f(id).value);
    }
    return api("/api/v1/residents?" + params.toString());
  });
  async function refresh() {
    const page = await fetchResidents();
    if (!page) return;
    closeEditor();
    f("residents-table").tBodies[0].replaceChildren(...page.data.map(row));
    f("resident-count").textContent = T("residents.count", { n: page.count });
    f("residents-empty").hidden = page.count > 0;
    f("residents-more").hidden = page.count <= page.data.length;
    f("residents-more").textContent = T("residents.more", { n: page.data.length, total: page.count });
  }

  // --- one resident's editor, under their row --------------------------------------------------
  function openEditor(r) {
    closeEditor();
    const tr = f("edit-form").content.firstElementChild.cloneNode(true);
    const form = tr.querySelector("form.resident-edit");
    const box = tr.querySelector(".edit-error");
    fillChoices(form, "residents.none");
    const was = {
      name: r.name, kind: r.kind, community: r.community_code || "", care_team: r.care_team_code || "",
      address: r.address, care_note: r.care_note, active: r.active,
    };
    for (const [key, value] of Object.entries(was)) {
      if (key === "active") form.elements.active.checked = value;
      else form.elements[key].value = value;
    }
    form.querySelector(".cancel").addEventListener("click", closeEditor);
    D.refusableForm(form, box, async () => {
      const now = Object.fromEntries(Object.keys(was).map((key) =>
        [key, key === "active" ? form.elements.active.checked : form.elements[key].value.trim()]));
      const changes = Object.fromEntries(Object.entries(now).filter(([k, v]) => v !== was[k]));
      if (!Object.keys(changes).length) { closeEditor(); return; }
      await api("/api/v1/residents/" + encodeURIComponent(r.phone), { method: "PATCH", json: changes });
      D.showAlert(D.labelWith(changes.active === false ? "residents.taken_off_done" : "residents.saved", { name: r.name }));
      await refresh();
    });
    f("residents-table").querySelector(`tr.resident-row[data-phone="${CSS.escape(r.phone)}"]`).after(tr);
    editing = tr;
    form.elements.care_note.focus();
  }

  // --- someone new on the register -------------------------------------------------------------
  const add = f("add-form");
  D.refusableForm(add, f("add-error"), async () => {
    const body = Object.fromEntries(["phone", "name", "kind", "community", "care_team", "address", "care_note"]
      .map((key) => [key, add.elements[key].value.trim()]));
    body.community = body.community || null;
    body.care_team = body.care_team || null;
    await api("/api/v1/residents", { json: body });
    D.showAlert(D.labelWith("residents.added", { name: body.name }));
    add.reset();
    await refresh();
  });

  const showError = (err) => D.showAlert(D.errorText(err), "error");
  D.loadNames().then(() => {
    fillChoices(add, "residents.none");
    fillChoices(f("filter-form"), "residents.all");
    D.watchFilters(f("filter-form"), f("filter-q"), () => refresh().catch(showError));
    return refresh();
  }).catch(showError);
})();
