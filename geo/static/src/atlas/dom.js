// DOM helpers: every text is inserted as text (textContent or a text node), never as HTML.
function el(tag, attrs, children) {
  var node = document.createElement(tag);
  if (attrs) {
    for (var k in attrs) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "bi") bilingual(node, attrs[k]);
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
  }
  (children || []).forEach(function (c) {
    if (c == null) return;
    node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  });
  return node;
}
var LATIN = /^([^A-Za-z]*?[\u3000-\u9fff\uff00-\uffef][^A-Za-z]*?)\s*([A-Za-z(].*)$/;
function bilingual(node, text) {
  // "图例 Legend" -> "图例 " + <span lang="en">Legend</span>, so a screen reader speaks each in its language.
  text = String(text == null ? "" : text);
  var m = LATIN.exec(text);
  if (m) {
    node.appendChild(document.createTextNode(m[1] + " "));
    var en = document.createElement("span"); en.setAttribute("lang", "en"); en.textContent = m[2];
    node.appendChild(en);
  } else if (/[A-Za-z]/.test(text) && !/[\u3000-\u9fff\uff00-\uffef]/.test(text)) {
    node.setAttribute("lang", "en"); node.textContent = text;
  } else {
    node.textContent = text;
  }
}

export { el, bilingual };
