/* 巡查上报 on the team page: a field worker reports what they found, with photos; the order it
 * becomes is followed under 我的上报. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, api } = D;
  if (!D.current()) return;

  const f = (id) => document.getElementById(id);
  const card = f("report-card");
  const form = f("report-form");
  const error = f("report-error");
  let fillCompounds = () => {};
  // The same key until the report is stored: sent again on a poor signal, it is one order.
  let key = D.newKey();

  function open(show) {
    card.hidden = !show;
    f("report-open").hidden = show;
    if (show) f("r-category").focus();
  }

  function body() {
    const address = {};
    ["community", "compound"].forEach((k) => { if (form.elements[k].value) address[k] = form.elements[k].value; });
    ["building", "text"].forEach((k) => {
      const v = form.elements[k].value.trim();
      if (v) address[k] = v;
    });
    const report = { category: form.elements.category.value, address, description: form.elements.description.value.trim() };
    // 即报即办: dealt with there and then; the order is the reporter's team's, closed at once.
    if (f("r-on-site").checked) report.handled_on_site = f("r-result").value.trim();
    return report;
  }

  // The photos go after the report, one by one: the order must exist to hold them.
  async function sendPhotos(number, files) {
    for (const [i, file] of files.entries()) {
      f("report-send").textContent = T("photos.sending", { i: i + 1, n: files.length });
      await D.photos.send(number, file, "");
    }
  }

  function sentText(order) {
    if (order.tags.includes("handled_on_site")) return T("patrol.sent_on_site", { number: order.number });
    const lead = order.assignments.find((a) => a.role === "lead");
    return lead
      ? T("patrol.sent", { number: order.number, team: D.teamName(lead.team_code) })
      : T("patrol.sent_to_desk", { number: order.number });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const report = body();
    // Routing goes by place: say so here rather than send what the server would refuse.
    const missing = !report.address.community && !report.address.compound ? ["community", "patrol.need_place"]
      : report.handled_on_site === "" ? ["handled_on_site", "patrol.need_result"] : null;
    if (missing) {
      D.markField(form, missing[0]);
      error.textContent = T(missing[1]);
      error.hidden = false;
      return;
    }
    const button = f("report-send");
    button.disabled = true;
    const files = [...f("r-photos").files];
    let order = null;
    try {
      order = await api("/api/v1/patrol-reports", { json: report, headers: { "Idempotency-Key": key } });
      key = D.newKey();
      await sendPhotos(order.number, files);
      D.showAlert(sentText(order));
      form.reset();
      fillCompounds();
      open(false);
      f("tab-reports").click();
    } catch (err) {
      D.markField(form, D.refusedField(err));
      // The report is in even if a photo is not: say so, and leave the photos to the order.
      error.textContent = order ? T("patrol.photo_failed", { number: order.number }) + " " + D.errorText(err)
        : D.errorText(err);
      error.hidden = false;
      if (order) { form.reset(); fillCompounds(); }
    } finally {
      button.disabled = false;
      button.textContent = T("patrol.send");
    }
  });
  const showResult = () => { f("r-result-label").hidden = !f("r-on-site").checked; };
  f("r-on-site").addEventListener("change", showResult);
  form.addEventListener("reset", () => setTimeout(showResult));
  f("report-open").addEventListener("click", () => open(true));
  f("report-cancel").addEventListener("click", () => { form.reset(); fillCompounds(); error.hidden = true; open(false); });

  D.loadNames().then(() => {
    D.names.lists.categories.forEach((c) =>
      f("r-category").append(D.el("option", { value: c.code }, D.names.categories[c.code])));
    fillCompounds = D.placeSelects(f("r-community"), f("r-compound"));
  });
})();
