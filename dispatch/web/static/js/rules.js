/* 派单规则: the rules in force, in the order they are tried; the admin reloads the file. */
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
    f("rules-version").textContent = T("rules.version", { n: status.rules, version: status.version });
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
        D.showAlert(T("rules.reloaded"));
      } catch (err) {
        f("rules-error").textContent = T("rules.refused");
        f("rules-error").hidden = false;
        if (!(err && err.status === 422)) showError(err);
      }
    });
  }
  D.loadNames().then(() => api("/api/v1/routing/rules")).then(show).catch(showError);
})();
