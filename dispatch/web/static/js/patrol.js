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

  // --- 待发送: a report made out of signal waits on the phone and goes when the signal is back,
  // with its Idempotency-Key, so a report that did arrive before the signal dropped is not made
  // twice. Its text waits in localStorage; its photos in IndexedDB (Blobs, which localStorage
  // cannot hold), so a reload or a tab the phone threw away loses neither. Both are the user's:
  // what one person left waiting goes after their own next login, not someone else's.
  const OUTBOX = "patrol-outbox:" + D.current().user.username;
  const waiting = () => JSON.parse(localStorage.getItem(OUTBOX) || "[]");
  function keep(items) {
    localStorage.setItem(OUTBOX, JSON.stringify(items));
    showWaiting();
  }
  const forgetReport = (item) => keep(waiting().filter((i) => i.key !== item.key));

  // One entry a photo, deleted as soon as that photo is on the order: an entry still here is
  // a photo the order may not have yet (the server keeps a picture sent twice once).
  let photoDb = null;
  function photoStore(mode, work) {
    photoDb = photoDb || new Promise((resolve, reject) => {
      const opening = indexedDB.open(OUTBOX, 1);
      opening.onupgradeneeded = () => opening.result
        .createObjectStore("photos", { keyPath: "id", autoIncrement: true })
        .createIndex("report", "report");
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    return photoDb.then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction("photos", mode);
      const asked = work(tx.objectStore("photos"));
      tx.oncomplete = () => resolve(asked && asked.result);
      tx.onabort = () => reject(tx.error);
    }));
  }
  const photos = {
    keep: (report, files) => photoStore("readwrite", (s) => { files.forEach((file) => s.add({ report, file })); }),
    of: (report) => photoStore("readonly", (s) => s.index("report").getAll(report)),
    count: (report) => photoStore("readonly", (s) => s.index("report").count(report)),
    drop: (id) => photoStore("readwrite", (s) => s.delete(id)),
    dropAll: (report) => photoStore("readwrite", (s) => {
      s.index("report").getAllKeys(report).onsuccess = (event) => event.target.result.forEach((id) => s.delete(id));
    }),
  };

  // 待发送 N, and under it each waiting report with how many photos it carries. The form's own
  // report, while the form is sending it, is not waiting.
  let looks = 0;
  async function showWaiting() {
    const items = waiting().filter((i) => i.key !== key);
    const look = ++looks;
    const counts = await Promise.all(items.map((i) => photos.count(i.key).catch(() => 0)));
    if (look !== looks) return; // a newer look is on its way
    f("report-outbox").hidden = items.length === 0;
    f("report-waiting").textContent = T("patrol.waiting", { n: items.length });
    f("report-waiting-list").replaceChildren(...items.map((item, i) => {
      const what = item.report.description;
      return D.el("li", { class: "feed-item", dataset: { key: item.key } },
        D.data(item.number || (what.length > 20 ? what.slice(0, 20) + "…" : what)), " · ",
        T(item.number ? "patrol.waiting_sent" : "patrol.waiting_photos", { n: counts[i] }));
    }));
  }

  // No answer (no signal), a gateway's, or a login run out while waiting (it goes after the
  // next login): worth trying again. A refusal of the report itself is not.
  const retryable = (err) => !(err instanceof D.ApiError) || err.status >= 500 || err.status === 401;

  /** The report (unless it went already), then its photos, each after the last: the order must
   *  exist to hold them. Throws what stopped it; the order made, if any, when all went. */
  async function send(item) {
    let order = null;
    if (!item.number) {
      order = await api("/api/v1/patrol-reports", { json: item.report, headers: { "Idempotency-Key": item.key } });
      item.number = order.number;
      // Its photos may still fail: the next try sends those to this order, not a new report.
      keep(waiting().map((i) => (i.key === item.key ? { ...i, number: order.number } : i)));
    }
    const left = await photos.of(item.key);
    for (const [i, photo] of left.entries()) {
      f("report-send").textContent = T("photos.sending", { i: i + 1, n: left.length });
      try {
        await D.photos.send(item.number, photo.file, "");
      } catch (err) {
        if (retryable(err)) throw err;
        // A picture the order will never take (not a picture, too big): the others still go.
        D.showAlert(T("patrol.photo_failed", { number: item.number }) + " " + D.errorText(err), "error");
      }
      await photos.drop(photo.id);
      showWaiting();
    }
    forgetReport(item);
    return order;
  }
  async function refused(item) {
    await photos.dropAll(item.key).catch(() => {});
    forgetReport(item); // after its photos: a page closed between leaves none behind
  }

  // One sending at a time, the form's or the waiting ones': no photo is sent twice at once.
  let sending = Promise.resolve();
  function inTurn(task) {
    const turn = sending.then(task);
    sending = turn.catch(() => {});
    return turn;
  }

  async function sendWaiting() {
    let sent = 0;
    for (const item of waiting()) {
      const made = Boolean(item.number);
      let stop = false;
      try {
        await send(item);
      } catch (err) {
        stop = retryable(err); // still no signal: the rest wait too
        if (!stop) {
          D.showAlert(T("patrol.refused", { what: item.report.description.slice(0, 20) }) + " " + D.errorText(err), "error");
          await refused(item);
        }
      }
      if (!made && item.number) sent += 1;
      if (stop) break;
    }
    return sent;
  }
  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine || !waiting().length) return;
    flushing = true;
    let sent = 0;
    try {
      sent = await inTurn(sendWaiting);
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
    showWaiting();
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
    // On the phone before anything is sent: a page closed while sending loses nothing.
    // The report first, so no photo is ever kept without the report it belongs to.
    const item = { key, report, at: new Date().toISOString() };
    keep([...waiting().filter((i) => i.key !== key), item]);
    try {
      const files = [...f("r-photos").files];
      try {
        if (files.length) await photos.keep(key, files);
      } catch (err) {
        forgetReport(item); // none of them was kept: storing them is all or nothing
        error.textContent = T("patrol.photos_not_kept");
        error.hidden = false;
        return;
      }
      D.showAlert(sentText(await inTurn(() => send(item))));
      done();
      f("tab-reports").click();
    } catch (err) {
      if (retryable(err)) {
        D.showAlert(item.number ? T("patrol.photos_queued", { number: item.number }) : T("patrol.queued"), "warn");
        done();
        return;
      }
      await refused(item);
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
    flush();
  });
  showWaiting(); // before the names: without signal they may never come
})();
