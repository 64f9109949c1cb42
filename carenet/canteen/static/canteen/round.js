/* The driver's round sheet: one tap marks a person delivered or absent. Each mark is queued on the phone
 * with a device-made key (carenet/js/offline_queue.js): a dropped connection loses nothing, and a resend
 * is recorded once. The card turns green (delivered) or amber (absent) as soon as it is tapped. */
(function () {
  "use strict";
  var root = document.getElementById("round");
  if (!root || !window.CareNetOfflineQueue) { return; }
  var data = root.dataset;
  var status = document.getElementById("round-status");
  var pending = document.getElementById("round-pending");

  function say(text, tone) {
    status.textContent = text;
    status.className = "counter__status" + (tone ? " counter__status--" + tone : "");
  }
  function show(stop, outcome) {
    var item = root.querySelector('[data-stop="' + stop + '"]');
    if (!item) { return; }
    item.className = "round__stop round__stop--" + outcome;
    item.querySelector("[data-state]").textContent = outcome === "delivered" ? data.msgDelivered : outcome === "absent" ? data.msgAbsent : "";
    item.querySelector(".round__delivered").disabled = outcome === "delivered";
    item.querySelector(".round__absent").disabled = outcome !== "pending";
  }

  var queue = new window.CareNetOfflineQueue({
    name: data.queueName,
    url: data.markUrl,
    csrf: data.csrf,
    onChange: function (count) {
      pending.hidden = count === 0;
      pending.textContent = count + " " + data.msgPending;
    },
    onResult: function (item, code, body) {
      if (body && (body.status === "recorded" || body.status === "duplicate")) {
        var label = body.outcome === "delivered" ? data.msgDelivered : data.msgAbsent;
        say((body.status === "recorded" ? label + ":" : data.msgDuplicate) + " " + body.name, "ok");
      } else if (body && body.errors) {
        var messages = [];
        Object.keys(body.errors).forEach(function (k) { messages = messages.concat(body.errors[k]); });
        say(data.msgRefused + " " + messages.join(" "), "bad");
        if (body.code !== "already_served") { show(item.stop, "pending"); }
        else { show(item.stop, "delivered"); }
      } else if (code === 0 || code >= 500) {
        say(data.msgQueued, "warn");
      } else {
        say(data.msgSignedIn, "bad");
      }
    }
  });

  // What is still waiting on this phone shows as marked after a reload too.
  queue.items().forEach(function (item) { if (item.day === data.today && item.kind === data.kind) { show(item.stop, item.outcome); } });

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-outcome]");
    if (!button) { return; }
    var stop = button.closest("[data-stop]").dataset.stop;
    var outcome = button.dataset.outcome;
    show(stop, outcome);
    queue.add({stop: stop, outcome: outcome, kind: data.kind, day: data.today});
  });
})();
