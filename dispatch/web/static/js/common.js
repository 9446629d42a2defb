/* Shared by every page: labels (T), the session, the API, reference names, the live socket. */
(function () {
  "use strict";

  // --- labels: the page's catalog, the same one the server rendered with -------------------
  const catalog = JSON.parse(document.getElementById("i18n").textContent);
  const locale = document.body.dataset.locale || "zh-CN";
  const english = locale === "en";
  const timezone = document.body.dataset.tz || "Asia/Shanghai";

  function T(key, vars) {
    let text = catalog[key];
    if (text === undefined) return key;
    if (vars) text = text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
    return text;
  }
  const has = (key) => Object.prototype.hasOwnProperty.call(catalog, key);
  const statusLabel = (s) => T("status." + s);
  const eventLabel = (k) => (has("event." + k) ? T("event." + k) : k);

  // --- small DOM helper: text goes in as text, never as HTML --------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  // User data (descriptions, names, notes): marked so the language check can tell it apart.
  const data = (text, tag) => el(tag || "span", { "data-content": "" }, text == null ? "" : text);
  /** A label with people's data in it ("{name} saved"): nodes, the data marked as data. */
  const labelWith = (key, vars) => T(key).split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part);
    return name && name[1] in vars ? data(vars[name[1]]) : part;
  });

  function debounce(fn, ms) {
    let timer = null;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  // Put `nodes` in `parent` in this order, moving only what moved. A node that stays is never
  // taken out: a tap that lands while a push redraws the list still reaches its button.
  function placeChildren(parent, nodes) {
    nodes.forEach((node, i) => {
      const at = parent.children[i];
      if (at !== node) parent.insertBefore(node, at || null);
    });
    while (parent.children.length > nodes.length) parent.lastElementChild.remove();
  }

  // Draw a list from data, keeping the node of every item whose version did not change, so a
  // click on a row that a push redraws is not lost. An item is known by `id` (its whole data
  // unless given); `keep(old, node)` carries what a person was doing (an open form, a chosen
  // team) from a changed item's old node to its new one.
  function redraw(parent, items, build, options) {
    const { id = JSON.stringify, version = id, keep = null } = options || {};
    const shown = new Map([...parent.children].map((node) => [node.dataset.item, node]));
    placeChildren(parent, items.map((item) => {
      const key = String(id(item));
      const ver = String(version(item));
      const old = shown.get(key);
      shown.delete(key);
      if (old && old.dataset.version === ver) return old;
      const node = build(item);
      node.dataset.item = key;
      node.dataset.version = ver;
      if (old && keep) keep(old, node);
      return node;
    }));
  }

  // Refreshes overlap (a click and a push at once) and their answers may come back out of
  // order; an older answer must not draw over a newer one. The wrapped fetch answers null
  // when another call was started after it.
  function newestOnly(fetch) {
    let newest = 0;
    return async (...args) => {
      const mine = ++newest;
      const answer = await fetch(...args);
      return mine === newest ? answer : null;
    };
  }

  // --- the session ---------------------------------------------------------------------------
  const TOKEN = "hotline.token";
  const USER = "hotline.user";
  const RENEW_AT = "hotline.renew_at";
  const HOMES = {
    operator: "/console", supervisor: "/board", admin: "/board",
    team_leader: "/team", team_member: "/team",
  };

  function current() {
    const token = localStorage.getItem(TOKEN);
    let user = null;
    try { user = JSON.parse(localStorage.getItem(USER) || "null"); } catch (e) { user = null; }
    return token && user ? { token, user } : null;
  }
  function saveSession(body) {
    localStorage.setItem(TOKEN, body.access_token);
    localStorage.setItem(USER, JSON.stringify(body.user));
    // Renewed when half its life is gone, by this browser's clock: the server's may differ.
    localStorage.setItem(RENEW_AT, String(Date.now() + body.expires_in * 500));
  }
  // An open page renews its token, so nobody is sent to the login in the middle of a call.
  // Several tabs share one token: the first to come due renews it, the others see it done.
  let renewTimer = null;
  const renewDue = () => Number(localStorage.getItem(RENEW_AT) || 0);
  function keepRenewing() {
    clearTimeout(renewTimer);
    renewTimer = setTimeout(renew, Math.max(1000, renewDue() - Date.now()));
  }
  async function renew() {
    if (renewDue() > Date.now() + 1000) { keepRenewing(); return; } // another tab did it
    try {
      saveSession(await api("/api/v1/auth/refresh", { method: "POST" }));
    } catch (err) {
      if (err && err.status === 401) return; // the login is over: api() went to the login page
      localStorage.setItem(RENEW_AT, String(Date.now() + 30000)); // offline: again soon
    }
    keepRenewing();
  }
  function toLogin() {
    localStorage.removeItem(TOKEN);
    const next = location.pathname + location.search;
    location.href = "/login?next=" + encodeURIComponent(next);
  }
  function logout() {
    const s = current();
    if (s) {
      // Ends the login on the server too: a copy of the token left anywhere is refused.
      fetch("/api/v1/auth/logout", {
        method: "POST", headers: { Authorization: "Bearer " + s.token }, keepalive: true,
      }).catch(() => {});
    }
    localStorage.removeItem(TOKEN);
    localStorage.removeItem(USER);
    location.href = "/login";
  }
  /** The session, or null when the page is leaving (to the login, or to the role's own
   * page): the page's script then stops with `if (!session) return;`. */
  function requireLogin(roles) {
    const s = current();
    if (!s) { toLogin(); return null; }
    if (roles && !roles.includes(s.user.role)) {
      location.href = HOMES[s.user.role] || "/login";
      return null;
    }
    wireHeader(s.user);
    keepRenewing();
    return s;
  }
  function wireHeader(user) {
    const who = document.getElementById("who");
    if (who) who.textContent = user.display_name;
    const out = document.getElementById("logout");
    if (out) out.addEventListener("click", logout);
    document.querySelectorAll("#nav a[data-roles]").forEach((a) => {
      a.hidden = !a.dataset.roles.split(" ").includes(user.role);
      if (a.getAttribute("href") === location.pathname) a.classList.add("active");
    });
  }

  // --- the API -------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error && body.error.message) || "HTTP " + status);
      this.status = status;
      this.body = body;
    }
  }
  async function api(path, options) {
    const opts = options || {};
    const s = current();
    const headers = Object.assign({ Accept: "application/json" }, opts.headers || {});
    if (s) headers.Authorization = "Bearer " + s.token;
    let body;
    if (opts.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(opts.json);
    } else if (opts.body !== undefined) {
      headers["Content-Type"] = opts.contentType || "application/octet-stream"; // a photo
      body = opts.body;
    }
    const response = await fetch(path, { method: opts.method || (body ? "POST" : "GET"), headers, body });
    if (response.status === 401 && !opts.noRedirect) { toLogin(); throw new ApiError(401, null); }
    if (opts.raw) {
      if (!response.ok) throw new ApiError(response.status, null);
      return response;
    }
    const payload = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, payload);
    return payload;
  }
  /** The field a refused request names (the error body's `field`), or null. */
  const refusedField = (err) => (err && err.body && err.body.error && err.body.error.field) || null;
  /** Mark that input of the form as the wrong one (and no other); no field marks none. */
  function markField(form, field) {
    form.querySelectorAll("[aria-invalid]").forEach((x) => x.removeAttribute("aria-invalid"));
    if (field && form.elements[field]) form.elements[field].setAttribute("aria-invalid", "true");
  }
  function errorText(err) {
    // A refusal the pages have words for (error_code.<code>), else by its status.
    const code = err && err.body && err.body.error && err.body.error.code;
    if (code && has("error_code." + code)) return T("error_code." + code);
    if (err && err.status === 409) return T("error.conflict");
    if (err && err.status === 403) return T("error.forbidden");
    if (err && (err.status === 422 || err.status === 400)) return T("error.invalid");
    return T("error.generic");
  }

  /** A form on a list page (add one, change one under its row) that the API may refuse: the
      field at fault is marked and the reason shown in `box`, beside the form, not in a banner. */
  function refusableForm(form, box, send) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      box.hidden = true;
      try {
        await send();
      } catch (err) {
        markField(form, refusedField(err));
        box.textContent = errorText(err);
        box.hidden = false;
      }
    });
  }
  /** A list page's filters: a change, a pause in typing the search, or Enter reads it again. */
  function watchFilters(form, search, again) {
    form.addEventListener("change", again);
    search.addEventListener("input", debounce(again, 250));
    form.addEventListener("submit", (event) => { event.preventDefault(); again(); });
  }

  /** A small form that sends itself: its submit button is held while `send(values)` runs;
      `done` after it went through; a refusal is shown and the form can be sent again. */
  function sendingForm(form, send, done) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit], button");
      button.disabled = true;
      try {
        await send(Object.fromEntries(new FormData(form).entries()));
        done();
      } catch (err) {
        button.disabled = false;
        showAlert(errorText(err), "error");
      }
    });
    return form;
  }

  // --- datetime-local inputs hold the desk's clock (as every time on the pages is shown),
  // not the browser's: a supervisor on a laptop set to another zone means the desk's 18:00.
  const wallFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  function wall(when) {
    const p = {};
    wallFormat.formatToParts(when).forEach((part) => { p[part.type] = part.value; });
    return p;
  }
  /** The value of a datetime-local input for the instant `when`, on the desk's clock. */
  function localInput(when) {
    const p = wall(when);
    return p.year + "-" + p.month + "-" + p.day + "T" + p.hour + ":" + p.minute;
  }
  /** A datetime-local value read on the desk's clock, as an ISO instant for the API. */
  function fromLocalInput(value) {
    const [y, mo, d, h, mi] = value.split(/[-T:]/).map(Number);
    const asUtc = Date.UTC(y, mo - 1, d, h, mi);
    const offset = (ms) => {
      const p = wall(new Date(ms));
      return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - ms;
    };
    // The zone's offset at the instant found, not at the guess: right across a DST change.
    const first = asUtc - offset(asUtc);
    return new Date(asUtc - offset(first)).toISOString();
  }

  /** Fetch a report file with the token and hand it to the browser as a download. */
  async function download(path, filename) {
    const response = await api(path, { raw: true });
    const blob = await response.blob();
    // The server's name says what the file holds (report, place, period): two downloads differ.
    const named = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
    const a = el("a", { href: URL.createObjectURL(blob), download: named ? named[1] : filename });
    document.body.append(a);
    a.click();
    a.remove();
  }

  // --- the report period form (#period-from, #period-to) of the board and the reports page ----
  const byId = (id) => document.getElementById(id);
  /** A report's period form: inputs `prefix`-from and `prefix`-to; `more` adds parameters. */
  const periodFormOf = (prefix, more) => ({
    params() {
      const params = new URLSearchParams(more ? more() : {});
      if (byId(prefix + "-from").value) params.set("from", byId(prefix + "-from").value);
      if (byId(prefix + "-to").value) params.set("to", byId(prefix + "-to").value);
      return params;
    },
    /** Report `name` (teams, categories, communities, hotspots) for the period; empty days get the server's. */
    async load(name) {
      const report = await api("/api/v1/reports/" + name + "?" + this.params().toString());
      if (!byId(prefix + "-from").value) byId(prefix + "-from").value = report.first;
      if (!byId(prefix + "-to").value) byId(prefix + "-to").value = report.last;
      return report;
    },
    download(name, ext) {
      const params = this.params();
      params.set("lang", locale);
      download("/api/v1/reports/" + name + "." + ext + "?" + params.toString(), name + "." + ext)
        .catch((err) => showAlert(errorText(err), "error"));
    },
  });
  const periodForm = periodFormOf("period");

  // --- 知识库: the standard answers that fit a question, for 直接答复 --------------------------
  const ANSWER_START = 60; // characters of an answer shown: enough to tell two apart
  // null (newestOnly): a newer question was asked meanwhile; false: the search failed.
  const findAnswers = newestOnly((params) => api("/api/v1/knowledge?" + params).catch(() => false));
  /** Up to three answers for `q` and `category` into `box` (its <ul>), shown only with some;
   * 用此答复 hands the chosen answer to `use`. Resolves false if a newer call took over. */
  async function suggestAnswers(box, q, category, use) {
    const list = box.querySelector("ul");
    if (!(q || category)) { box.hidden = true; list.replaceChildren(); return true; }
    const params = new URLSearchParams({ q, limit: "3" });
    if (category) params.set("category", category);
    const found = await findAnswers(params);
    if (found === null) return false;
    const entries = (found && found.data) || [];
    list.replaceChildren(...entries.map((entry) => {
      const start = entry.answer.length > ANSWER_START ? entry.answer.slice(0, ANSWER_START) + "…" : entry.answer;
      const button = el("button", { type: "button", class: "secondary small use-answer" }, T("console.use_answer"));
      button.addEventListener("click", () => use(entry.answer));
      return el("li", { dataset: { entry: entry.id } }, data(entry.title, "strong"), " ", data(start, "span"), " ", button);
    }));
    box.hidden = entries.length === 0;
    return true;
  }

  // --- reference names in the page's language ------------------------------------------------
  const names = { categories: {}, communities: {}, compounds: {}, teams: {}, lists: null };
  const pick = (row) => (english ? row.name_en || row.code : row.name);
  async function loadNames() {
    if (names.lists) return names;
    const [categories, communities, teams] = await Promise.all([
      // Teams out of service too: old orders still name them. Only those in service are offered.
      api("/api/v1/categories"), api("/api/v1/communities"), api("/api/v1/teams?include_inactive=true"),
    ]);
    categories.forEach((c) => { names.categories[c.code] = pick(c); });
    communities.forEach((c) => {
      names.communities[c.code] = pick(c);
      c.compounds.forEach((x) => { names.compounds[x.code] = pick(x); });
    });
    teams.forEach((t) => { names.teams[t.code] = pick(t); });
    names.lists = { categories, communities, teams: teams.filter((t) => t.active) };
    return names;
  }
  // A form's community and compound selects: a community narrows the compounds, a compound
  // names its community. Returns `fill`, for when the community is set from a script.
  function placeSelects(community, compound) {
    const option = (value, label) => el("option", { value }, label);
    function fill() {
      const keep = compound.value;
      compound.replaceChildren(option("", T("form.choose")));
      names.lists.communities
        .filter((c) => !community.value || c.code === community.value)
        .forEach((c) => c.compounds.forEach((x) => compound.append(option(x.code, names.compounds[x.code]))));
      if ([...compound.options].some((o) => o.value === keep)) compound.value = keep;
    }
    community.append(...names.lists.communities.map((c) => option(c.code, names.communities[c.code])));
    community.addEventListener("change", fill);
    compound.addEventListener("change", () => {
      const found = names.lists.communities.find((c) => c.compounds.some((x) => x.code === compound.value));
      if (found) community.value = found.code;
    });
    fill();
    return fill;
  }
  // An Idempotency-Key for one create: a retry on a poor network makes the same order.
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  const categoryName = (code) => names.categories[code] || code;
  const teamName = (code) => names.teams[code] || code;
  function placeText(address) {
    const parts = [];
    if (address.compound) parts.push(names.compounds[address.compound] || address.compound);
    else if (address.community) parts.push(names.communities[address.community] || address.community);
    if (address.building) parts.push(address.building);
    if (address.text) parts.push(address.text);
    return parts.join(" ");
  }
  // Rule names are written in Chinese in rules.yaml: the English page shows the rule id.
  const ruleText = (routing) => (english ? routing.rule_id : routing.rule_name || routing.rule_id);

  // --- time ----------------------------------------------------------------------------------
  const timeFormat = new Intl.DateTimeFormat(english ? "en-GB" : "zh-CN", {
    timeZone: timezone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hour12: false,
  });
  const hourFormat = new Intl.DateTimeFormat(english ? "en-GB" : "zh-CN", {
    timeZone: timezone, hour: "2-digit", minute: "2-digit", hour12: false,
  });
  // Replays after a reconnect bring old events too: alerts are for what just happened.
  const isFresh = (event, minutes) => Date.now() - new Date(event.at).getTime() < (minutes || 3) * 60000;
  const fmtTime = (iso) => (iso ? timeFormat.format(new Date(iso)) : "");
  const fmtHour = (iso) => hourFormat.format(new Date(iso));
  function duration(ms) {
    const minutes = Math.max(0, Math.floor(ms / 60000));
    const d = Math.floor(minutes / 1440);
    const h = Math.floor((minutes % 1440) / 60);
    const m = minutes % 60;
    if (d > 0) return T("duration.dh", { d, h });
    if (h > 0) return T("duration.hm", { h, m });
    if (minutes > 0) return T("duration.m", { m });
    return T("duration.s", { s: Math.max(0, Math.floor(ms / 1000)) });
  }
  /** {text, state} for a deadline: state is "late", "nearly" (under 30 min) or "ok". */
  function countdown(iso) {
    const left = new Date(iso).getTime() - Date.now();
    if (left <= 0) return { text: T("due.over", { t: duration(-left) }), state: "late" };
    return { text: T("due.left", { t: duration(left) }), state: left < 30 * 60000 ? "nearly" : "ok" };
  }

  // --- pieces the board and the reports share ------------------------------------------------
  const percent = (value) => (value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%");
  const orderLink = (number) => el("a", { href: "/orders/" + encodeURIComponent(number), class: "mono" }, number);
  // A team part still being worked on (not resolved, returned or withdrawn).
  const ACTIVE_PARTS = ["dispatched", "accepted", "in_progress"];
  /** The teams still working on `order`: invited to its meetings, offered by its forms. */
  const activeTeams = (order) => order.assignments.filter((a) => ACTIVE_PARTS.includes(a.status)).map((a) => a.team_code);
  /** One urge (催办) or escalation step (督办) as a feed line. */
  function escalationItem(e) {
    const d = e.data || {};
    const detail = e.kind === "urged" ? d.reason : d.step_kind ? T("board.level", { n: d.level || "" }) : "";
    return el("li", { class: "feed-item kind-" + e.kind },
      el("span", { class: "muted" }, fmtTime(e.at)), " ",
      el("span", { class: "tag" }, eventLabel(e.kind)), " ", orderLink(e.order_number), " ",
      (e.team_codes || []).map(teamName).join(T("list.sep")), " ", data(detail));
  }

  // --- alert banner and sound ----------------------------------------------------------------
  let alertTimer = null;
  function showAlert(text, kind, onClick) {
    const box = document.getElementById("alert");
    if (!box) return;
    box.replaceChildren(...[text].flat()); // a string, or the nodes of labelWith
    box.dataset.kind = kind || "info";
    box.hidden = false;
    box.onclick = () => { box.hidden = true; if (onClick) onClick(); };
    clearTimeout(alertTimer);
    alertTimer = setTimeout(() => { box.hidden = true; }, 15000);
  }
  let audioContext = null;
  document.addEventListener("pointerdown", () => {
    // Browsers allow sound after a first touch: open the audio context then.
    if (!audioContext && window.AudioContext) audioContext = new AudioContext();
    if (audioContext && audioContext.state === "suspended") audioContext.resume();
  }, { once: false, passive: true });
  function chime() {
    const sound = new Audio("/static/web/sounds/assign.wav");
    sound.play().catch(() => {
      if (!audioContext) return;
      const osc = audioContext.createOscillator();
      const gain = audioContext.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(audioContext.destination);
      osc.start();
      osc.stop(audioContext.currentTime + 0.3);
    });
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }

  // --- the live socket: resume from the last event id, reconnect with backoff -----------------
  function setLiveState(state) {
    const badge = document.getElementById("live-status");
    if (!badge) return;
    badge.dataset.state = state;
    badge.textContent = T("live." + state);
  }
  /**
   * Calls onEvent(message) for each pushed event, onReady() after each (re)connection's
   * replay. The last event id seen is kept in localStorage, so a reload or a lost
   * connection resumes where it stopped and misses nothing.
   */
  function connectLive(onEvent, onReady) {
    const s = current();
    if (!s || !window.WebSocket) return null;
    const key = "hotline.lastEventId." + s.user.username;
    let socket = null;
    let usedToken = null;
    let attempt = 0;
    let lastMessageAt = Date.now();
    let paused = false;
    const remember = (id) => {
      const known = localStorage.getItem(key);
      if (!Number.isFinite(id)) return;
      if (known === null || id > Number(known)) localStorage.setItem(key, String(id));
    };
    function open() {
      setLiveState("connecting");
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(scheme + "//" + location.host + "/ws");
      socket.onopen = () => {
        // The token goes in the first message, not the URL (keeps it out of access logs).
        // Read again at each reconnect: the token may have been renewed since the page opened.
        usedToken = (current() || s).token;
        const auth = { type: "auth", token: usedToken };
        const last = localStorage.getItem(key);
        if (last) auth.last_event_id = Number(last);
        socket.send(JSON.stringify(auth));
      };
      socket.onmessage = (frame) => {
        lastMessageAt = Date.now();
        let message;
        try { message = JSON.parse(frame.data); } catch (e) { return; }
        if (message.type === "ready") {
          attempt = 0;
          remember(message.last_event_id);
          setLiveState("online");
          if (onReady) onReady(message);
        } else if (message.type === "event") {
          remember(message.id);
          try { onEvent(message); } catch (e) { console.error(e); }
        } else if (message.type === "resync" && message.reason === "role_or_team_changed") {
          // An admin moved this user: the page is drawn for the old team or role. Learn the
          // new ones and draw it again (or go to the new role's own page).
          paused = true;
          api("/api/v1/auth/me").then((me) => {
            localStorage.setItem(USER, JSON.stringify(me));
            location.reload();
          }).catch(() => {
            paused = false; // could not ask: carry on as after any resync
            if (socket.readyState === WebSocket.CLOSED) open();
          });
        }
        // "heartbeat" only proves the line is alive; any other "resync" is followed by a close.
      };
      socket.onclose = (event) => {
        setLiveState("offline");
        // Refused, but another tab has since logged in or changed the password: try its token.
        const newer = (current() || {}).token !== usedToken;
        if (event.code === 4401 && !newer) { toLogin(); return; }
        if (paused) return;
        const delay = Math.min(30000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2);
        attempt += 1;
        setTimeout(open, delay);
      };
    }
    // No heartbeat for 45 s (they come every 15 s): the line is dead though not closed.
    setInterval(() => {
      if (socket && socket.readyState === WebSocket.OPEN && Date.now() - lastMessageAt > 45000) {
        socket.close();
      }
    }, 5000);
    open();
    // pause() drops the line as a tunnel would; resume() comes back with the last id seen.
    const handle = {
      pause() { paused = true; if (socket) socket.close(); },
      resume() { paused = false; attempt = 0; open(); },
    };
    window.Desk.live = handle;
    return handle;
  }

  window.Desk = {
    T, has, english, locale, el, data, labelWith, debounce, newestOnly, redraw, statusLabel, eventLabel,
    current, saveSession, requireLogin, logout, homeFor: (role) => HOMES[role] || "/login",
    api, ApiError, newKey, suggestAnswers, placeSelects, errorText, refusedField, markField, download, sendingForm, refusableForm, watchFilters, localInput, fromLocalInput, periodForm, periodFormOf, percent, orderLink, ACTIVE_PARTS, activeTeams, escalationItem,
    loadNames, names, localName: pick, categoryName, teamName, placeText, ruleText,
    fmtTime, fmtHour, isFresh, countdown, duration, showAlert, chime, connectLive,
  };
})();
