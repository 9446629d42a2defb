/* 巡查上报 on the team page: a field worker reports what they found, with photos; the order it
 * becomes is followed under 我的上报. Out of signal, the report waits on the phone (待发送). */
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

  function sentText(order) {
    if (order.tags.includes("handled_on_site")) return T("patrol.sent_on_site", { number: order.number });
    const lead = order.assignments.find((a) => a.role === "lead");
    return lead
      ? T("patrol.sent", { number: order.number, team: D.teamName(lead.team_code) })
      : T("patrol.sent_to_desk", { number: order.number });
  }

  // --- 待发送: a report made out of signal waits on the phone and goes when the signal is back.
  // The text is kept across reloads; the photos only while the page stays open. Each keeps its
  // Idempotency-Key, so a report that did arrive before the signal dropped is not made twice.
  const OUTBOX = "patrol-outbox:" + D.current().user.username;
  const photosWaiting = new Map(); // key -> files
  const waiting = () => JSON.parse(localStorage.getItem(OUTBOX) || "[]");
  function keep(items) {
    localStorage.setItem(OUTBOX, JSON.stringify(items));
    f("report-waiting").hidden = items.length === 0;
    f("report-waiting").textContent = T("patrol.waiting", { n: items.length });
  }
  // No answer (no signal), a gateway's, or a login run out while waiting (it goes after the
  // next login): worth trying again. A refusal of the report itself is not.
  const retryable = (err) => !(err instanceof D.ApiError) || err.status >= 500 || err.status === 401;

  async function send(item) {
    const order = await api("/api/v1/patrol-reports", { json: item.report, headers: { "Idempotency-Key": item.key } });
    const files = photosWaiting.get(item.key) || [];
    photosWaiting.delete(item.key);
    try {
      // After the report: the order must exist to hold them.
      await D.photos.sendAll(order.number, files, f("report-send"));
    } catch (err) {
      D.showAlert(T("patrol.photo_failed", { number: order.number }) + " " + D.errorText(err), "error");
    }
    return order;
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine || !waiting().length) return;
    flushing = true;
    let sent = 0;
    try {
      for (const item of waiting()) {
        try {
          await send(item);
          sent += 1;
        } catch (err) {
          if (retryable(err)) break; // still no signal: the rest wait too
          D.showAlert(T("patrol.refused", { what: item.report.description.slice(0, 20) }) + " " + D.errorText(err), "error");
        }
        keep(waiting().filter((i) => i.key !== item.key));
      }
    } finally {
      flushing = false;
      f("report-send").textContent = T("patrol.send");
    }
    if (sent) {
      D.showAlert(T("patrol.flushed", { n: sent }));
      f("tab-reports").click();
    }
  }
  window.addEventListener("online", flush);
  setInterval(flush, 30000); // a signal can come back without the browser saying so

  function done() {
    key = D.newKey();
    form.reset();
    fillCompounds();
    open(false);
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
    const item = { key, report, at: new Date().toISOString() };
    photosWaiting.set(key, [...f("r-photos").files]);
    try {
      const order = await send(item);
      D.showAlert(sentText(order));
      done();
      f("tab-reports").click();
    } catch (err) {
      if (retryable(err)) {
        keep([...waiting(), item]);
        D.showAlert(T("patrol.queued"), "warn");
        done();
        return;
      }
      photosWaiting.delete(item.key);
      D.markField(form, D.refusedField(err));
      error.textContent = D.errorText(err);
      error.hidden = false;
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
    keep(waiting());
    flush();
  });
})();
