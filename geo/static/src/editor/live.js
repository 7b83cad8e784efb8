export const live = {};

// ---- live: every saved change, by anyone, redraws every open page
// Refreshes can overlap (after your save and at its live event, at two people's changes): only the last one asked
// for is drawn, so an older payload answered late never replaces a newer one.
live.refresh = function () {
  var self = this, atlas = this.atlas, asked = this.refreshes = (this.refreshes || 0) + 1;
  return fetch(this.opts.api + "/payload", { cache: "no-store" })
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (payload) { if (asked === self.refreshes) atlas.reload(payload); return true; },
          // The map stays as it was, and says so; the next live change redraws it.
          function () { self.liveLine.textContent = self.t.refreshFailed; return false; });
};

live.listen = function () {
  var self = this;
  if (!window.EventSource) return;
  var source = new EventSource(this.opts.api + "/events");
  source.addEventListener("change", function (e) {
    var event = JSON.parse(e.data);
    self.touched(event);
    self.refresh().then(function (redrawn) {
      if (!redrawn) return;
      if (event.summary || event.by) self.liveLine.textContent = self.t.live + (event.summary || event.by);
      if (self.reloadHistory) self.reloadHistory();
    });
  });
  this.events = source;
};
