/* 现场照片: taking, shrinking and sending photos of the scene, and showing an order's photos. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, el, data, api } = D;
  const LONG_SIDE = 1600; // what the server keeps; sending more only costs the team's data

  // A phone photo is 3-8 MB: shrunk here it is a few hundred kB over mobile data, and drawn
  // upright. A picture the browser cannot draw goes as it is: the server says if it takes it.
  async function shrunk(file) {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
      const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
      return blob || file;
    } catch (err) {
      return file;
    }
  }

  const photosPath = (number) => "/api/v1/orders/" + encodeURIComponent(number) + "/photos";

  async function send(number, file, caption) {
    const picture = await shrunk(file);
    const query = caption ? "?caption=" + encodeURIComponent(caption) : "";
    return api(photosPath(number) + query, { method: "POST", body: picture, contentType: picture.type });
  }

  /** Each photo in turn; `label` says which one is on its way (over a phone's network a
   *  photo takes seconds). Returns how many went. */
  async function sendAll(number, files, label) {
    let sent = 0;
    try {
      for (const file of files) {
        label.textContent = T("photos.sending", { i: sent + 1, n: files.length });
        await send(number, file, "");
        sent += 1;
      }
    } catch (err) {
      err.sent = sent; // those before it are on the order
      throw err;
    }
    return sent;
  }

  /** A button that opens the camera (`camera`: on a phone) or the file chooser and sends
   *  each photo chosen; `onSent` runs once they are all in. */
  function picker(number, { camera, onSent } = {}) {
    const input = el("input", {
      type: "file", accept: "image/jpeg,image/png,image/webp,image/*", multiple: true,
      capture: camera ? "environment" : null, class: "photo-input", hidden: true,
    });
    const button = el("button", { type: "button", class: "secondary photo" }, T("photos.take"));
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", async () => {
      const files = [...input.files];
      input.value = "";
      if (!files.length) return;
      button.disabled = true;
      let sent = 0;
      try {
        sent = await sendAll(number, files, button);
        D.showAlert(T("photos.sent", { n: sent }));
      } catch (err) {
        sent = err.sent || 0;
        const field = D.refusedField(err);
        D.showAlert(field === "photo" && err.status === 422 ? T("photos.not_a_picture") : D.errorText(err), "error");
      } finally {
        button.textContent = T("photos.take");
        button.disabled = false;
        if (sent && onSent) onSent();
      }
    });
    return el("span", { class: "photo-picker" }, button, input);
  }

  // Pictures are behind the login: fetched with the token, shown from a local blob.
  const blobs = new Map(); // url -> object URL; a photo never changes once taken
  async function objectUrl(url) {
    if (!blobs.has(url)) {
      const response = await api(url, { raw: true });
      blobs.set(url, URL.createObjectURL(await response.blob()));
    }
    return blobs.get(url);
  }

  function figure(photo) {
    const img = el("img", { alt: photo.caption || T("photos.title"), width: 160, loading: "lazy" });
    objectUrl(photo.thumbnail_url).then((src) => { img.src = src; }).catch(() => {});
    // An archived photo's full picture is in the photo archive: the thumbnail is what is here.
    const archived = Boolean(photo.archived_at);
    const link = el("a", { href: "#", class: "photo-link" + (archived ? " archived" : ""),
      title: T(archived ? "photos.archived" : "photos.open") }, img);
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      window.open(await objectUrl(archived ? photo.thumbnail_url : photo.url), "_blank", "noopener");
    });
    return el("figure", { class: "photo", dataset: { id: String(photo.id) } }, link,
      el("figcaption", {}, el("span", { class: "muted" }, D.fmtTime(photo.at)), " ",
        photo.team_code ? D.teamName(photo.team_code) : data(photo.actor),
        photo.caption ? [" · ", data(photo.caption)] : null));
  }

  /** The order's photos, oldest first, into `box`; the photos listed. */
  async function show(number, box) {
    const photos = await api(photosPath(number));
    const shown = new Set([...box.querySelectorAll("figure.photo")].map((f) => f.dataset.id));
    if (photos.length !== shown.size || photos.some((p) => !shown.has(String(p.id)))) {
      box.replaceChildren(...photos.map(figure));
    }
    return photos;
  }

  D.photos = { picker, show, send, sendAll };
})();
