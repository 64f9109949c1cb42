/* The volunteer's check-in and check-out on a phone: each tap is queued with a device-made key and the phone's
 * time (carenet/js/offline_queue.js), so a dropped connection loses nothing and a resend is recorded once. A
 * check-out carries its check-in's key: it may be tapped before the check-in reached the server. Without
 * JavaScript the forms post as they are. */
(function () {
  "use strict";
  var root = document.getElementById("turns");
  if (!root || !window.CareNetOfflineQueue) { return; }
  var data = root.dataset;
  var status = document.getElementById("turns-status");
  var pending = document.getElementById("turns-pending");
  var openKeys = "carenet-open-turns:" + data.queueName;

  function say(text, tone) {
    status.textContent = text;
    status.className = tone ? "message message--" + {ok: "success", warn: "warning", bad: "error"}[tone] : "";
  }
  function keys() {
    try { return JSON.parse(window.localStorage.getItem(openKeys) || "{}"); } catch (e) { return {}; }
  }
  function remember(application, key) {
    var all = keys();
    if (key) { all[application] = key; } else { delete all[application]; }
    window.localStorage.setItem(openKeys, JSON.stringify(all));
  }
  function show(application, open) {
    document.querySelectorAll('form[data-application="' + application + '"]').forEach(function (form) {
      form.hidden = (form.dataset.turn === "in") === open;
    });
  }

  var queue = new window.CareNetOfflineQueue({
    name: data.queueName,
    url: data.turnUrl,
    csrf: data.csrf,
    onChange: function (count) {
      pending.hidden = count === 0;
      pending.textContent = count + " " + data.msgPending;
    },
    onResult: function (item, code, body) {
      if (body && (body.status === "recorded" || body.status === "duplicate")) {
        var label = body.status === "duplicate" ? data.msgDuplicate : (item.action === "in" ? data.msgIn : data.msgOut);
        say(label + " " + body.title, "ok");
      } else if (body && body.errors) {
        var messages = [];
        Object.keys(body.errors).forEach(function (k) { messages = messages.concat(body.errors[k]); });
        say(data.msgRefused + " " + messages.join(" "), "bad");
        if (item.action === "in") { remember(item.application, null); show(item.application, false); }
      } else if (code === 0 || code >= 500) {
        say(data.msgQueued, "warn");
      } else {
        say(data.msgSignedIn, "bad");
      }
    }
  });

  // A turn opened on this phone and not yet closed shows as open after a reload too.
  var open = keys();
  Object.keys(open).forEach(function (application) { show(application, true); });

  root.parentNode.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-turn]");
    if (!form) { return; }
    event.preventDefault();
    var application = form.dataset.application;
    var at = new Date().toISOString();
    if (form.dataset.turn === "in") {
      var item = queue.add({action: "in", application: application, at: at});
      remember(application, item.key);
      show(application, true);
    } else {
      var inKey = keys()[application] || form.dataset.inKey || "";
      queue.add({action: "out", application: application, at: at, in_key: inKey});
      remember(application, null);
      show(application, false);
    }
  });
})();
