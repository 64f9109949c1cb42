/* The call list: each check-in is queued on the phone (carenet/js/offline_queue.js) with a device-made key,
 * so a dropped connection loses nothing and a resend is recorded once. */
(function () {
  "use strict";
  var root = document.getElementById("calls");
  if (!root || !window.CareNetOfflineQueue) { return; }
  var data = root.dataset;
  var status = document.getElementById("calls-status");
  var pending = document.getElementById("calls-pending");
  var done = document.getElementById("calls-done");

  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("calls__status--bad", Boolean(bad));
  }

  function countDone() {
    done.textContent = root.querySelectorAll(".call[data-state='reached'], .call[data-state='escalated']").length;
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
      var card = document.getElementById("call-" + item.contact);
      if (body && body.state) {
        if (card) {
          card.dataset.state = body.state;
          card.querySelector("[data-role=state]").textContent = body.state_label;
        }
        countDone();
        say(code === 200 ? data.msgDuplicate : data.msgSaved, false);
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

  Array.prototype.forEach.call(root.querySelectorAll("form.checkin"), function (form) {
    var card = form.closest(".call");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var mode = form.querySelector("input[name=mode]:checked");
      if (!mode) { say(data.msgChooseMode, true); return; }
      var outcome = form.querySelector("input[name=outcome]:checked");
      if (mode.value !== "not_reached" && !outcome) { say(data.msgChooseOutcome, true); return; }
      queue.add({
        contact: card.dataset.contact,
        mode: mode.value,
        outcome: outcome && mode.value !== "not_reached" ? outcome.value : "",
        note: form.querySelector("input[name=note]").value,
        at: new Date().toISOString()
      });
      form.reset();
      var details = form.closest("details");
      if (details) { details.open = false; }
    });
  });
})();
