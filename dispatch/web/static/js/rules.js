/* 派单规则: the rules in force, in the order they are tried, and the texts the file has had; the
 * admin edits, reloads or restores the file. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  const session = D.requireLogin(["supervisor", "admin"]);
  if (!session) return;
  const f = (id) => document.getElementById(id);

  // A condition or action as "label: values"; codes are named in the page's language.
  const kindName = (k) => (D.has("team_kind." + k) ? T("team_kind." + k) : k);
  const teamRef = (t) => (typeof t === "string" ? D.teamName(t) : T("rules.team_of_kind", { kind: kindName(t.kind) }));
  const NAMERS = {
    category: D.categoryName,
    compound: (c) => D.names.compounds[c] || c,
    community: (c) => D.names.communities[c] || c,
    assign: teamRef,
    assist: teamRef,
    time_of_day: (w) => w.from + "–" + w.to,
  };
  function part(key, value) {
    const name = NAMERS[key] || ((v) => (typeof v === "object" ? JSON.stringify(v) : String(v)));
    const values = Array.isArray(value) ? value.map(name) : [name(value)];
    return el("div", { class: "rule-part", dataset: { key } },
      el("span", { class: "muted" }, D.has("rule_part." + key) ? T("rule_part." + key) : key), " ",
      data(values.join(T("list.sep"))));
  }
  function row(rule, i) {
    const when = Object.entries(rule.when);
    return el("tr", { dataset: { rule: rule.id } },
      el("td", { class: "num" }, String(i + 1)),
      el("td", {}, D.english ? data(rule.id) : data(rule.name),
        rule.continues ? el("span", { class: "tag" }, T("rules.continues")) : null),
      el("td", {}, when.length ? when.map(([k, v]) => part(k, v)) : T("rules.always")),
      el("td", {}, Object.entries(rule.then).map(([k, v]) => part(k, v))));
  }
  function show(status) {
    // Versions are hex: data, not words of the page's language.
    f("rules-version").replaceChildren(...D.labelWith("rules.version", { n: status.rules, version: status.version }));
    f("rules-error").textContent = status.last_error ? T("rules.refused") : "";
    f("rules-error").hidden = !status.last_error;
    f("rules-table").tBodies[0].replaceChildren(...status.items.map(row));
  }
  const showError = (err) => D.showAlert(D.errorText(err), "error");
  if (session.user.role === "admin") {
    f("rules-reload").hidden = false;
    f("rules-reload").addEventListener("click", async () => {
      try {
        show(await api("/api/v1/routing/reload", { method: "POST" }));
        history().catch(showError);
        D.showAlert(T("rules.reloaded"));
      } catch (err) {
        f("rules-error").textContent = T("rules.refused");
        f("rules-error").hidden = false;
        if (!(err && err.status === 422)) showError(err);
      }
    });
  }
  D.loadNames().then(() => api("/api/v1/routing/rules")).then(show).catch(showError);
  const editor = session.user.role === "admin" ? edit() : null;
  // From an order's page (?version=): the rules that routed it.
  const asked = new URLSearchParams(location.search).get("version");
  history().then(() => (asked ? read(asked) : null)).catch(showError);

  // --- the texts the file has had: read one, or (admins) open it in the editor to restore -----
  const versionPath = (v) => "/api/v1/routing/rules/versions/" + encodeURIComponent(v);
  async function history() {
    const versions = await api("/api/v1/routing/rules/versions");
    f("rules-versions").tBodies[0].replaceChildren(...versions.map((v) =>
      el("tr", { class: "version", dataset: { version: v.version } },
        el("td", {}, data(v.version, "code"), v.in_force ? [" ", el("span", { class: "tag in-force" }, T("rules.in_force"))] : null),
        el("td", { class: "num" }, String(v.rules)),
        el("td", {}, D.fmtTime(v.kept_at)),
        el("td", {}, v.saved_by ? data(v.saved_by) : T("rules.by_hand")),
        el("td", {},
          el("button", { type: "button", class: "secondary small read", onclick: () => read(v.version).catch(showError) }, T("rules.read")),
          editor && !v.in_force
            ? el("button", { type: "button", class: "secondary small restore", onclick: () => restore(v.version).catch(showError) }, T("rules.restore"))
            : null))));
    f("rules-history-empty").hidden = versions.length > 0;
  }
  async function read(version) {
    const pre = f("rules-version-text");
    try {
      pre.textContent = (await api(versionPath(version))).text;
    } catch (err) {
      if (err.status !== 404) throw err;
      pre.textContent = T("rules.version_not_kept"); // in force before versions were kept
    }
    pre.hidden = false;
    pre.scrollIntoView();
  }
  async function restore(version) {
    editor.load((await api(versionPath(version))).text, version);
  }

  // --- the admin edits the file here: check, then save (in force at once) -------------------
  function edit() {
    const text = f("rules-text");
    const state = f("rules-edit-state");
    const problem = f("rules-edit-error");
    let basedOn = null;
    let opened = "";
    f("rules-editor").hidden = false;
    const say = (label) => { state.replaceChildren(...[label].flat()); }; // a string or labelWith's nodes
    function refuse(err) {
      const e = (err && err.body && err.body.error) || {};
      problem.replaceChildren();
      if (err && err.status === 422 && e.line) {
        problem.append(T("rules.line", { line: e.line }), " ", data(e.reason || e.message));
        selectLine(e.line);
      } else if (err && err.status === 409 && e.field === "based_on") {
        problem.append(T("rules.changed_meanwhile"));
      } else {
        problem.append(D.errorText(err));
      }
      problem.hidden = false;
      say("");
    }
    function selectLine(n) {
      const lines = text.value.split("\n");
      const start = lines.slice(0, n - 1).reduce((sum, line) => sum + line.length + 1, 0);
      text.focus();
      text.setSelectionRange(start, start + (lines[n - 1] || "").length);
      const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 18;
      text.scrollTop = Math.max(0, (n - 4) * lineHeight);
    }
    async function open() {
      const file = await api("/api/v1/routing/rules/file");
      text.value = opened = file.text;
      basedOn = file.version;
      problem.hidden = true;
      say(D.labelWith("rules.opened", { version: file.version }));
    }
    f("rules-open").addEventListener("click", () => {
      if (text.value !== opened && !window.confirm(T("rules.discard"))) return;
      open().catch(refuse);
    });
    f("rules-check").addEventListener("click", async () => {
      try {
        const checked = await api("/api/v1/routing/rules/check", { json: { text: text.value } });
        problem.hidden = true;
        say(T("rules.checked", { n: checked.rules }));
      } catch (err) {
        refuse(err);
      }
    });
    f("rules-save").addEventListener("click", async () => {
      try {
        const saved = await api("/api/v1/routing/rules/file", {
          method: "PUT", json: { text: text.value, based_on: basedOn },
        });
        show(saved);
        history().catch(showError);
        opened = text.value;
        basedOn = saved.version;
        problem.hidden = true;
        say(D.labelWith("rules.opened", { version: saved.version }));
        D.showAlert(T("rules.saved", { n: saved.rules }));
      } catch (err) {
        refuse(err);
      }
    });
    text.addEventListener("input", () => say(text.value === opened ? "" : T("rules.unsaved")));
    open().catch(refuse);
    // An older text in the editor, to look over and save: a save like any other.
    return {
      load(older, version) {
        if (text.value !== opened && !window.confirm(T("rules.discard"))) return;
        text.value = older;
        problem.hidden = true;
        say(D.labelWith("rules.restoring", { version }));
        text.focus();
        f("rules-editor").scrollIntoView();
      },
    };
  }
})();
