/* Log in, keep the token, go on to the page of the user's role (or where they were going). */
(function () {
  "use strict";
  const { T, api, saveSession, homeFor } = window.Desk;
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    try {
      const body = await api("/api/v1/auth/login", {
        json: { username: form.username.value.trim(), password: form.password.value },
        noRedirect: true,
      });
      saveSession(body);
      const next = new URLSearchParams(location.search).get("next");
      // Only a path on this site: never an open redirect.
      location.href = next && next.startsWith("/") && !next.startsWith("//") ? next : homeFor(body.user.role);
    } catch (err) {
      error.textContent = err.status === 401 ? T("login.failed") : T("error.generic");
      error.hidden = false;
    }
  });
})();
