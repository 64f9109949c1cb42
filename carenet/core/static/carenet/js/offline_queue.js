/* The one offline queue of CareNet's field pages (sign-in sheets, counters, check-ins).
 *
 * Every submission gets a device-made UUID ("key") when it is made, and is kept in localStorage until the
 * server has answered it. Sending again is harmless: the server records a key once and answers a resend
 * with 200 "duplicate". Items are sent in order; a network failure or a server error (5xx) stops the round
 * and keeps the item; a refusal (4xx) drops it and reports it. Retried when the browser comes back online,
 * every 20 seconds while items wait, and when the page loads.
 *
 *   const q = new CareNetOfflineQueue({name, url, csrf, onChange, onResult});
 *   q.add({sex: "F", age_band: "65+"});   // → {key: "…", sex: "F", …} queued, then sent
 */
(function () {
  "use strict";

  function uuid4() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function Queue(options) {
    this.name = "carenet-queue:" + options.name;
    this.url = options.url;
    this.csrf = options.csrf;
    this.onChange = options.onChange || function () {};
    this.onResult = options.onResult || function () {};
    this.sending = false;
    var self = this;
    window.addEventListener("online", function () { self.flush(); });
    window.setInterval(function () { if (self.items().length) { self.flush(); } }, 20000);
    this.onChange(this.items().length);
    this.flush();
  }

  Queue.prototype.items = function () {
    try {
      return JSON.parse(window.localStorage.getItem(this.name) || "[]");
    } catch (e) {
      return [];
    }
  };

  Queue.prototype.save = function (items) {
    window.localStorage.setItem(this.name, JSON.stringify(items));
    this.onChange(items.length);
  };

  Queue.prototype.add = function (payload) {
    var item = Object.assign({key: uuid4()}, payload);
    var items = this.items();
    items.push(item);
    this.save(items);  // kept before anything is sent: a closed tab or a dropped connection loses nothing
    this.flush();
    return item;
  };

  Queue.prototype.drop = function (key) {
    this.save(this.items().filter(function (i) { return i.key !== key; }));
  };

  Queue.prototype.flush = function () {
    if (this.sending) { return Promise.resolve(); }
    var items = this.items();
    if (!items.length) { return Promise.resolve(); }
    var self = this;
    var item = items[0];
    this.sending = true;
    return window.fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: {"Content-Type": "application/json", "X-CSRFToken": this.csrf, "Accept": "application/json"},
      body: JSON.stringify(item)
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
      if (json && (response.status === 200 || response.status === 201 || (response.status >= 400 && response.status < 500))) {
        return response.json().then(function (body) {
          self.drop(item.key);
          self.onResult(item, response.status, body);
          self.sending = false;
          return self.flush();
        });
      }
      // Signed out (a redirect to the login page), a server error, a proxy page: keep it for later.
      self.sending = false;
      self.onResult(item, response.type === "opaqueredirect" ? 302 : (response.status || 0), null);
      return undefined;
    }).catch(function () {
      self.sending = false;
      self.onResult(item, 0, null);
    });
  };

  window.CareNetOfflineQueue = Queue;
})();
