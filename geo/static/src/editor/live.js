export const live = {};

// ---- live: every saved change, by anyone, redraws every open page
live.refresh = function () {
  var atlas = this.atlas;
  return fetch(this.opts.api + "/payload", { cache: "no-store" }).then(function (r) { return r.json(); })
    .then(function (payload) { atlas.reload(payload); });
};

live.listen = function () {
  var self = this;
  if (!window.EventSource) return;
  var source = new EventSource(this.opts.api + "/events");
  source.addEventListener("change", function (e) {
    var event = JSON.parse(e.data);
    self.touched(event);
    self.refresh().then(function () {
      if (event.summary || event.by) self.liveLine.textContent = self.t.live + (event.summary || event.by);
      if (self.reloadHistory) self.reloadHistory();
    });
  });
  this.events = source;
};
