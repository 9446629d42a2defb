/* 高发点位: one category at one place reported again and again; shown on the reports page
   (the whole list) and on the board (the top few). */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el } = D;
  const named = (n) => (n ? (D.english ? n.name_en || n.code : n.name) : "");

  function place(spot) {
    const community = named(spot.community);
    if (!spot.compound) return [community, T("hotspot.whole_community")].join(" ");
    return community ? community + " · " + named(spot.compound) : named(spot.compound);
  }

  /** One table row; `short` leaves out the buildings and the time (the board's card). */
  function row(spot, short) {
    const key = [spot.community && spot.community.code, spot.compound && spot.compound.code, spot.category.code].join("/");
    const orders = spot.orders.map((n, i) => [i ? " " : "", D.orderLink(n)]);
    // 召集协商 from the newest order, with the others there already in the form.
    const call = spot.orders.length
      ? el("a", { class: "call-meeting", href: "/orders/" + encodeURIComponent(spot.orders[0]) +
          "?meeting=" + encodeURIComponent(spot.orders.slice(1).join(",")) }, T("meeting.call"))
      : null;
    return el("tr", { class: "hotspot" + (spot.open ? " has-open" : ""), dataset: { spot: key } },
      el("td", {}, place(spot)),
      el("td", {}, named(spot.category)),
      el("td", { class: "num calls" }, String(spot.calls)),
      el("td", { class: "num open" }, String(spot.open)),
      short ? null : el("td", {}, D.data(spot.buildings.join(T("list.sep")))),
      short ? null : el("td", {}, D.fmtTime(spot.last_at)),
      el("td", {}, orders.flat(), call ? [" ", call] : null));
  }

  window.Hotspots = { place, row };
})();
