import { el } from "../atlas/dom.js";

export const people = {};

// ---- keys, roles and proposals (issue 28): who you are, your proposals, the reviewer's queue.
// The server knows who you are from the key alone; the name field is for the shared token only.
people.people = function () {
  var self = this, t = this.t;
  if (!this.token) return;
  this.whoLine = el("p", { className: "geo-who", id: "geo-editor-who", role: "status" });
  this.box.insertBefore(this.whoLine, this.box.children[1]);
  this.api("GET", "me").then(function (r) {
    if (r.failed) {
      // The server did not answer: that says nothing of the key, so ask again in a while.
      self.whoLine.textContent = r.data.error;
      window.setTimeout(function () { self.whoLine.remove(); self.people(); }, 3000);
      return;
    }
    if (r.status !== 200) { self.whoLine.textContent = t.badKey; self.token = ""; return; }
    var me = self.me = r.data;
    if (me.shared) { self.whoLine.remove(); return; }
    self.whoLine.textContent = t.youAre + me.name + " · " + (t.roles[me.role] || me.role);
    var name = document.getElementById("geo-editor-name");
    if (name) name.closest("label").style.display = "none";
    self.editor = me.name;
    if (me.role === "proposer") self.becomeProposer();
    self.listsBox = el("div", { id: "geo-people" });
    self.box.insertBefore(self.listsBox, self.slot);
    self.loadProposals();
    self.watchKey();
  });
};

// A stream opened with the key (fetch, since EventSource cannot send a header): the server ends it when the
// key is revoked, and the page then says so and stops offering changes. Its events refresh the proposals.
people.watchKey = function () {
  var self = this, t = this.t;
  if (!window.ReadableStream || !window.TextDecoder) return;
  fetch(this.opts.api + "/events", { headers: { "X-Geo-Token": this.token }, cache: "no-store" }).then(function (r) {
    if (!r.ok || !r.body) return null;
    var reader = r.body.getReader(), decoder = new TextDecoder();
    var pump = function () {
      return reader.read().then(function (chunk) {
        if (chunk.done) return null;
        if (decoder.decode(chunk.value, { stream: true }).indexOf("event: change") >= 0) self.loadProposals();
        return pump();
      });
    };
    return pump();
  }).catch(function () { return null; }).then(function () {
    return self.api("GET", "me").then(function (r) {
      if (r.status === 200 || r.failed) { window.setTimeout(function () { self.watchKey(); }, r.failed ? 3000 : 1000); return; }
      self.whoLine.textContent = t.badKey;
      self.token = ""; self.me = null;
      document.body.classList.add("geo-revoked");
      if (self.listsBox) self.listsBox.textContent = "";
      self.close();
    });
  }, function () { return null; });
};

// A proposer uses the same forms; what they save is sent as a proposal (see send) and never removes or redraws.
people.becomeProposer = function () {
  var t = this.t;
  this.proposer = true;  // read by the popup and reload hooks (core.js)
  this.box.insertBefore(el("p", { className: "geo-muted", id: "geo-propose-hint", text: t.proposeHint }), this.liveLine);
  if (this.importButton) this.importButton.remove();
  this.relabelForProposer();
};

people.proposerPopup = function (node) {
  // A proposer's popup: no remove or re-outline, and edit and move say they propose.
  var t = this.t;
  node.querySelectorAll(".geo-remove, .geo-outline").forEach(function (b) { b.remove(); });
  node.querySelectorAll(".geo-edit").forEach(function (b) { b.textContent = t.proposeEdit; });
  node.querySelectorAll(".geo-move").forEach(function (b) { b.textContent = t.proposeMove; });
  return node;
};

people.relabelForProposer = function () {
  var t = this.t;
  document.querySelectorAll("button.geo-place").forEach(function (b) { b.textContent = t.proposePlace; });
};

people.sendProposal = function (method, path, body) {
  var self = this, t = this.t, m = /^places(?:\/([a-z0-9-]+))?(\/location)?$/.exec(path);
  var kind = !m ? null : method === "POST" && !m[1] ? "add" : method === "PUT" && m[2] ? "location" : method === "PATCH" && !m[2] ? "update" : null;
  if (!kind) return Promise.resolve(null);
  var proposal = Object.assign({}, body, { kind: kind, place: m[1] || null });
  var done = this.sending();
  return this.api("POST", "proposals", proposal).then(function (r) {
    done();
    if (r.failed) { self.unsent(r); return null; }
    if (r.status !== 201) { self.showProblems(r.data); return null; }
    self.close();
    self.say(t.proposed + self.proposalTitle(r.data.proposal));
    self.loadProposals();
    return r.data;
  });
};

people.proposalTitle = function (p) {
  var f = p.proposed || p.current, name = f && f.properties ? f.properties.name : p.place;
  return (this.t.kinds[p.kind] || p.kind) + ": " + (name || "?");
};

// Loads overlap (each live change asks again): only the last one asked for is shown, so a list answered late, from
// before a proposal came or was decided, never replaces a newer one.
people.loadProposals = function () {
  var self = this, asked = this.proposalLoads = (this.proposalLoads || 0) + 1;
  if (!this.me || this.me.shared) return Promise.resolve();
  return this.api("GET", "proposals").then(function (r) {
    if (r.status === 200 && asked === self.proposalLoads) self.showProposals(r.data.proposals || []);
  });
};

people.showProposals = function (list) {
  var self = this, t = this.t, reviewing = this.me.may.indexOf("review") >= 0;
  var items = reviewing ? list.filter(function (p) { return p.state === "pending"; }) : list.filter(function (p) { return p.proposer === self.me.name; });
  var ul = el("ul", { className: "geo-proposals", id: reviewing ? "geo-queue" : "geo-mine" });
  items.slice().reverse().forEach(function (p) {
    var li = el("li", { "data-proposal": p.id, "data-state": p.state }, [el("span", { text: self.proposalTitle(p) + " " })]);
    if (reviewing) {
      li.appendChild(el("span", { className: "geo-muted", text: t.by + p.proposer + " " }));
      var open = el("button", { type: "button", className: "geo-review", text: t.review });
      open.addEventListener("click", function () { self.review(p); });
      li.appendChild(open);
    } else {
      li.appendChild(el("strong", { className: "geo-state", text: t.states[p.state] || p.state }));
      if (p.reason) li.appendChild(el("span", { className: "geo-reason", text: " " + t.reasonShown + p.reason }));
    }
    ul.appendChild(li);
  });
  if (!items.length) ul.appendChild(el("li", { className: "geo-muted", text: t.none }));
  // A reviewer with proposals waiting sees the queue on a phone too (the idle bar unfolds).
  if (reviewing && items.length && !this.form) { document.body.classList.add("geo-expanded"); this.layout(null); }
  this.listsBox.textContent = "";
  this.listsBox.appendChild(el("h3", { text: reviewing ? t.queue : t.mine }));
  this.listsBox.appendChild(ul);
};

function shown(v) {
  if (v == null || v === "") return "—";
  return typeof v === "object" ? JSON.stringify(v.coordinates || v).slice(0, 80) : String(v);
}

// The reviewer's view: the proposal beside the place as it is now, the proposal drawn on the map.
people.review = function (p) {
  var self = this, t = this.t, atlas = this.atlas;
  var mine = p.proposed || { properties: {}, geometry: null }, now = p.current || { properties: {}, geometry: null };
  var keys = Object.keys(mine.properties).filter(function (k) { return k !== "id" && JSON.stringify(mine.properties[k]) !== JSON.stringify(now.properties[k]); });
  var rows = [el("tr", null, [el("th", { scope: "row", text: "geometry" }), el("td", { text: shown(mine.geometry) }), el("td", { text: shown(now.geometry) })])];
  keys.slice(0, 14).forEach(function (k) {
    rows.push(el("tr", null, [el("th", { scope: "row", text: k }), el("td", { text: shown(mine.properties[k]) }), el("td", { text: shown(now.properties[k]) })]));
  });
  this.close();
  var reason = el("input", { type: "text", id: "geo-f-reason", name: "reason", maxlength: "500" });
  var view = el("div", { className: "geo-conflict geo-review-view", id: "geo-review", "data-proposal": p.id }, [
    el("h3", { text: t.review + ": " + this.proposalTitle(p) }),
    el("p", { className: "geo-muted", text: t.by + p.proposer + " · " + p.time }),
    el("ul", { className: "geo-problems", id: "geo-problems", role: "alert" }),
    el("table", null, [el("thead", null, [el("tr", null, [el("th", { text: "" }), el("th", { text: t.proposal }), el("th", { text: t.current })])]),
                        el("tbody", null, rows)]),
    el("label", { className: "geo-field" }, [el("span", { text: t.reason }), reason])
  ]);
  var approve = el("button", { type: "button", id: "geo-approve", text: t.approve });
  var decline = el("button", { type: "button", id: "geo-decline", text: t.decline });
  var cancel = el("button", { type: "button", id: "geo-cancel", text: t.cancel });
  approve.addEventListener("click", function () { self.decide(p, "approve", { version: p.current_version }); });
  decline.addEventListener("click", function () { self.decide(p, "decline", { reason: reason.value }); });
  cancel.addEventListener("click", function () { self.close(); });
  view.appendChild(el("div", { className: "geo-actions" }, [approve, decline, cancel]));
  this.slot.appendChild(view);
  this.form = view;
  this.layout("placing");
  var g = mine.geometry;
  if (g && g.type === "Point") {
    var at = atlas.project(g.coordinates[0], g.coordinates[1]);
    this.temp = L.circleMarker(at, { radius: 9, color: "#ef6c00", weight: 3, fill: false, interactive: false }).addTo(this.map);
    this.map.panTo(at);
  } else if (g && g.type === "Polygon") {
    this.temp = L.polygon(g.coordinates.map(function (ring) { return ring.map(function (pt) { return atlas.project(pt[0], pt[1]); }); }),
                          { color: "#ef6c00", interactive: false }).addTo(this.map);
    this.map.fitBounds(this.temp.getBounds());
  }
};

people.decide = function (p, what, body) {
  var self = this, t = this.t;
  this.api("POST", "proposals/" + p.id + "/" + what, body).then(function (r) {
    if (r.failed) { self.unsent(r); return; }
    if (r.status !== 200) {
      self.showProblems(r.status === 409 ? { problems: [t.changedSince, r.data.error] } : r.data);
      if (r.status === 409) self.loadProposals();
      return;
    }
    self.close();
    self.say((what === "approve" ? t.approved : t.declined) + self.proposalTitle(p));
    self.loadProposals();
    if (what === "approve") self.refresh();
  });
};
