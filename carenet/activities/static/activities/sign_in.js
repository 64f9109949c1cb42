/* The sign-in sheet: each tap on "Add" queues one submission on the phone (carenet/js/offline_queue.js). */
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  if (!sheet || !window.CareNetOfflineQueue) { return; }
  var data = sheet.dataset;
  var form = document.getElementById("sheet-form");
  var status = document.getElementById("sheet-status");
  var total = document.getElementById("sheet-total");
  var pending = document.getElementById("sheet-pending");

  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("sheet__status--bad", Boolean(bad));
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
      if (body && body.total !== undefined) {
        total.textContent = body.total;
        say(data.msgSaved, false);
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
    var sex = form.querySelector("input[name=sex]:checked");
    if (!sex) { say(data.msgChooseSex, true); return; }
    var band = form.querySelector("input[name=age_band]:checked");
    var disability = form.querySelector("input[name=disability]:checked");
    var number = parseInt(form.querySelector("input[name=number]").value, 10) || 1;
    queue.add({
      sex: sex.value,
      age_band: band ? band.value : "",
      disability: disability ? disability.value : "not_asked",
      number: number
    });
    form.querySelector("input[name=number]").value = "1";
    sex.checked = false;
  });

  var search = document.getElementById("sheet-person-q");
  var list = document.getElementById("sheet-persons");
  var timer = null;
  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var q = search.value.trim();
      list.textContent = "";
      if (q.length < 2) { return; }
      window.fetch(data.personsUrl + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {persons: []}; })
        .then(function (body) {
          (body.persons || []).forEach(function (p) {
            var li = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "button button--secondary";
            button.textContent = p.label + (p.born ? " (" + p.born + ")" : "");
            button.addEventListener("click", function () {
              queue.add({person: p.id});
              list.textContent = "";
              search.value = "";
            });
            li.appendChild(button);
            list.appendChild(li);
          });
        })
        .catch(function () { /* offline: named attendance waits; the anonymous count still works */ });
    }, 250);
  });
})();
