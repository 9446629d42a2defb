/* 知识库: supervisors keep the standard answers the desk gives callers. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  if (!D.requireLogin(["supervisor", "admin"])) return;
  const f = (id) => document.getElementById(id);
  const SHOWN = 500; // a desk keeps hundreds: all of them, the search narrows

  function fillCategories(root, firstLabel) {
    root.querySelectorAll("select.category-select").forEach((select) => select.replaceChildren(
      el("option", { value: "" }, T(firstLabel)),
      ...D.names.lists.categories.map((c) => el("option", { value: c.code }, D.categoryName(c.code)))));
  }
  // As typed: 医保，报销、住院 or 医保 报销: one keyword between each separator.
  const keywordsOf = (text) => text.split(/[\s,，、;；]+/).map((k) => k.trim()).filter(Boolean);
  function entryOf(form) {
    return {
      title: form.elements.title.value.trim(),
      category: form.elements.category.value,
      keywords: keywordsOf(form.elements.keywords.value),
      answer: form.elements.answer.value.trim(),
    };
  }

  // --- the list ------------------------------------------------------------------------------
  let editing = null;
  function closeEditor() {
    if (editing) editing.remove();
    editing = null;
  }
  function row(k) {
    return el("tr", { class: "entry-row" + (k.active ? "" : " taken-off"), dataset: { entry: k.id } },
      el("td", { class: "title" }, data(k.title, "strong")),
      el("td", { class: "category" }, k.category_code ? D.categoryName(k.category_code) : ""),
      el("td", { class: "keywords" }, data(k.keywords.join("、"))),
      el("td", { class: "answer" }, data(k.answer)),
      el("td", { class: "updated" }, D.fmtTime(k.updated_at), " ", data(k.updated_by)),
      el("td", {}, el("button", { type: "button", class: "secondary small edit", onclick: () => openEditor(k) },
        T("knowledge.edit"))));
  }
  const fetchEntries = D.newestOnly(() => {
    const params = new URLSearchParams({ active: f("filter-active").value, limit: String(SHOWN) });
    const q = f("filter-q").value.trim();
    if (q) params.set("q", q);
    if (f("filter-category").value) params.set("category", f("filter-category").value);
    return api("/api/v1/knowledge?" + params.toString());
  });
  async function refresh() {
    const found = await fetchEntries();
    if (!found) return;
    closeEditor();
    f("knowledge-table").tBodies[0].replaceChildren(...found.data.map(row));
    f("entry-count").textContent = T("knowledge.count", { n: found.count });
    f("entries-empty").hidden = found.count > 0;
  }

  // --- one entry's editor, under its row -------------------------------------------------------
  function openEditor(k) {
    closeEditor();
    const tr = f("edit-form").content.firstElementChild.cloneNode(true);
    const form = tr.querySelector("form.entry-edit");
    const box = tr.querySelector(".edit-error");
    fillCategories(form, "knowledge.none");
    form.elements.title.value = k.title;
    form.elements.category.value = k.category_code || "";
    form.elements.keywords.value = k.keywords.join("、");
    form.elements.answer.value = k.answer;
    form.elements.active.checked = k.active;
    form.querySelector(".cancel").addEventListener("click", closeEditor);
    D.refusableForm(form, box, async () => {
      const changes = { ...entryOf(form), active: form.elements.active.checked };
      await api("/api/v1/knowledge/" + k.id, { method: "PATCH", json: changes });
      const done = changes.active === false && k.active ? "knowledge.retired_done" : "knowledge.saved";
      D.showAlert(D.labelWith(done, { title: changes.title }));
      await refresh();
    });
    f("knowledge-table").querySelector(`tr.entry-row[data-entry="${k.id}"]`).after(tr);
    editing = tr;
    form.elements.answer.focus();
  }

  // --- a new standard answer -------------------------------------------------------------------
  const add = f("add-form");
  D.refusableForm(add, f("add-error"), async () => {
    const body = { ...entryOf(add), category: add.elements.category.value || null };
    await api("/api/v1/knowledge", { json: body });
    D.showAlert(D.labelWith("knowledge.added", { title: body.title }));
    add.reset();
    await refresh();
  });

  const showError = (err) => D.showAlert(D.errorText(err), "error");
  D.loadNames().then(() => {
    fillCategories(add, "knowledge.none");
    fillCategories(f("filter-form"), "knowledge.all");
    D.watchFilters(f("filter-form"), f("filter-q"), () => refresh().catch(showError));
    return refresh();
  }).catch(showError);
})();
