/* The canteen counter: type (or scan) a card number, one tap serves the meal; a name shows matching cards.
 * Every meal is queued on the phone with a device-made key (carenet/js/offline_queue.js): a dropped
 * connection loses nothing, and a resend is recorded once. */
(function () {
  "use strict";
  var root = document.getElementById("counter");
  if (!root || !window.CareNetOfflineQueue) { return; }
  var data = root.dataset;
  var form = document.getElementById("counter-form");
  var input = document.getElementById("counter-code");
  var status = document.getElementById("counter-status");
  var pending = document.getElementById("counter-pending");
  var counts = document.getElementById("counter-counts");
  var matches = document.getElementById("counter-matches");

  function say(text, tone) {
    status.textContent = text;
    status.className = "counter__status" + (tone ? " counter__status--" + tone : "");
  }
  function kind() {
    var chosen = root.querySelector("input[name=kind]:checked");
    return chosen ? chosen.value : "lunch";
  }

  var queue = new window.CareNetOfflineQueue({
    name: data.queueName,
    url: data.serveUrl,
    csrf: data.csrf,
    onChange: function (count) {
      pending.hidden = count === 0;
      pending.textContent = count + " " + data.msgPending;
    },
    onResult: function (item, code, body) {
      if (body && (body.status === "recorded" || body.status === "duplicate")) {
        say((body.status === "recorded" ? data.msgServed : data.msgDuplicate) + " " + body.name + " · " + body.card, "ok");
        if (body.summary) { counts.textContent = body.summary; }
      } else if (body && body.errors) {
        var messages = [];
        Object.keys(body.errors).forEach(function (k) { messages = messages.concat(body.errors[k]); });
        say(data.msgRefused + " " + messages.join(" "), "bad");
      } else if (code === 0 || code >= 500) {
        say(data.msgQueued, "warn");
      } else {
        say(data.msgSignedIn, "bad");
      }
    }
  });

  function serve(card) {
    queue.add({card: card, kind: kind(), day: data.today});
    input.value = "";
    matches.textContent = "";
    input.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value.trim();
    if (!code) { return; }
    if (/\d/.test(code)) { serve(code.toUpperCase()); return; }
    find(code);
  });

  function find(q) {
    matches.textContent = "";
    window.fetch(data.findUrl + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {cards: []}; })
      .then(function (body) {
        (body.cards || []).forEach(function (c) {
          var li = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "counter__match";
          var done = c.served.indexOf(kind()) !== -1;
          button.textContent = c.name + " · " + c.card + (done ? " · " + data.msgServedToday : "");
          button.addEventListener("click", function () { serve(c.card); });
          li.appendChild(button);
          matches.appendChild(li);
        });
      })
      .catch(function () { /* offline: type the card number instead */ });
  }

  // The card's QR code, where the phone's browser reads barcodes (Chrome on Android does).
  var scan = document.getElementById("counter-scan");
  var video = document.getElementById("counter-video");
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    scan.hidden = false;
    scan.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({formats: ["qr_code"]});
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
        var tick = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) { stop(); serve(codes[0].rawValue.trim().toUpperCase()); } else { window.requestAnimationFrame(tick); }
          }).catch(stop);
        };
        tick();
      }).catch(function () { scan.hidden = true; });
    });
  }
})();
