/* 修改密码: anyone changes their own password; the page keeps the fresh token it gets back. */
(function () {
  "use strict";
  const D = window.Desk;
  const { T, api } = D;
  if (!D.requireLogin()) return;
  const form = document.getElementById("password-form");
  const error = document.getElementById("password-error");
  const done = document.getElementById("password-done");

  function refuse(text, field) {
    D.markField(form, field);
    error.textContent = text;
    error.hidden = false;
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    done.hidden = true;
    if (form.new_password.value !== form.again.value) { refuse(T("account.mismatch"), "again"); return; }
    try {
      const body = await api("/api/v1/auth/password", {
        json: { current_password: form.current_password.value, new_password: form.new_password.value },
      });
      D.saveSession(body); // the old token, and every other session, ended with the old password
      form.reset();
      done.hidden = false;
    } catch (err) {
      const field = D.refusedField(err);
      if (err && err.status === 429) refuse(T("account.too_many"));
      else if (field === "current_password") refuse(T("account.wrong_current"), field);
      else if (field === "new_password") refuse(T("account.same_or_short"), field);
      else refuse(D.errorText(err));
    }
  });
})();
