/* The roll call of a session: each tap on present / absent / excused queues one mark on the phone
 * (carenet/js/offline_queue.js, a device-made key per mark: a resend is recorded once). */
(function () {
  "use strict";
  var roll = document.getElementById("roll");
  if (!roll || !window.CareNetOfflineQueue) { return; }
  var data = roll.dataset;
  var status = document.getElementById("roll-status");
  var pending = document.getElementById("roll-pending");

  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("roll__status--bad", Boolean(bad));
  }

  var queue = new window.CareNetOfflineQueue({
    name: data.queueName,
    url: data.submitUrl,
    csrf: data.csrf,
    onChange: function (count) {
      pending.hidden = count === 0;
      pending.textContent = count + " " + data.msgPending;
    },
    onResult: function (item, code, body) {
      if (body && body.status && !body.errors) {
        say(body.dropped_out ? data.msgDropped : data.msgSaved, Boolean(body.dropped_out));
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

  roll.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "radio") { return; }
    var line = input.closest("[data-enrolment]");
    if (!line) { return; }
    queue.add({enrolment: line.dataset.enrolment, mark: input.value});
  });
})();
