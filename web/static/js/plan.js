// The floor plan, a little better with script (it works without: booths are links and forms,
// the zoom is CSS): the chosen zoom is remembered from page to page, and on a plan whose
// booths lead to their panels, tapping one opens the panel in a sheet over the page.
(function () {
  "use strict";
  var ZOOM_KEY = "ocop-plan-zoom";

  function rememberZoom(plan) {
    var radios = plan.querySelectorAll("input[name=plan-zoom]");
    var saved = null;
    try { saved = window.localStorage.getItem(ZOOM_KEY); } catch (e) { return; }
    radios.forEach(function (radio) {
      if (radio.id === saved) { radio.checked = true; }
      radio.addEventListener("change", function () {
        try { window.localStorage.setItem(ZOOM_KEY, radio.id); } catch (e) { /* private mode */ }
      });
    });
  }

  function makeSheet(plan) {
    var sheet = document.createElement("aside");
    sheet.className = "booth-sheet";
    sheet.hidden = true;
    sheet.setAttribute("aria-live", "polite");
    var bar = document.createElement("p");
    bar.className = "sheet-bar";
    var open = document.createElement("a");
    open.textContent = plan.dataset.openLabel;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = plan.dataset.closeLabel;
    bar.appendChild(open);
    bar.appendChild(close);
    var body = document.createElement("div");
    sheet.appendChild(bar);
    sheet.appendChild(body);
    document.body.appendChild(sheet);
    var opener = null;

    function hide() {
      sheet.hidden = true;
      body.textContent = "";
      if (opener) { opener.focus(); }
    }
    close.addEventListener("click", hide);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !sheet.hidden) { hide(); }
    });

    return function show(link) {
      var href = link.getAttribute("href");
      fetch(href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          var panel = new DOMParser().parseFromString(html, "text/html").querySelector(".booth-panel");
          if (!panel) { throw new Error("no panel"); }
          body.textContent = "";
          body.appendChild(document.importNode(panel, true));
          open.setAttribute("href", href);
          opener = link;
          sheet.hidden = false;
          close.focus();
        })
        .catch(function () { window.location.assign(href); });
    };
  }

  document.querySelectorAll(".floor-plan").forEach(function (plan) {
    rememberZoom(plan);
    if (!plan.hasAttribute("data-panel") || !window.fetch || !window.DOMParser) { return; }
    var show = makeSheet(plan);
    plan.addEventListener("click", function (event) {
      var link = event.target.closest("a.booth");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      show(link);
    });
  });
}());
