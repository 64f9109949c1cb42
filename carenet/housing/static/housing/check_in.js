/* The check-in form on a phone: each submission is queued on the device with its own key
 * (carenet/js/offline_queue.js) and sent when the connection allows; a resend is recorded once. */
(function () {
  "use strict";
  var form = document.getElementById("check-in-form");
  if (!form || !window.CareNetOfflineQueue) { return; }
  var data = form.dataset;
  var status = document.getElementById("check-in-status");
  var pending = document.getElementById("check-in-pending");

  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("message--error", Boolean(bad));
  }

  var queue = new window.CareNetOfflineQueue({
    name: data.queueName,
    url: form.action,
    csrf: data.csrf,
    onChange: function (count) {
      pending.hidden = count === 0;
      pending.style.display = count === 0 ? "none" : "";
      pending.textContent = count + " " + data.msgPending;
    },
    onResult: function (item, code, body) {
      if (body && body.status === "recorded") {
        say(data.msgSaved + " " + data.msgFree + " " + body.free, false);
      } else if (body && body.status === "duplicate") {
        say(data.msgDuplicate, false);
      } else if (body && body.errors) {
        var messages = [];
        Object.keys(body.errors).forEach(function (k) { messages = messages.concat(body.errors[k]); });
        say(data.msgRefused + " " + messages.join(" "), true);
      } else if (code === 0) {
        say(data.msgQueued, true);
      } else {
        say(data.msgSignedIn, true);
      }
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var payload = {};
    new window.FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "key") { payload[name] = value; }
    });
    queue.add(payload);
    var person = form.querySelector("[name=person]");
    if (person) { person.value = ""; }
  });
})();
