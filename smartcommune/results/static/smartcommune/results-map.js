/* The results map's pan and zoom (results/_map_body.html), nothing else: no outside request,
   no inline script or style (the CSP allows neither).  Without it the map is a still picture
   and the list beside it does the work.

   The view is the SVG's viewBox.  Drag (mouse or one finger) pans, the wheel and two fingers
   zoom, the +, − and "whole province" buttons do the same from a keyboard.  On a touch
   screen, while the communes are drawn smaller than a 44 px target, a tap does not open a
   commune: it zooms to the district tapped (or, without districts, around the point), so
   that every commune can then be tapped.  A mouse opens a commune at any zoom. */
(function () {
  "use strict";
  var TARGET_PX = 44, ZOOM_TO_PX = 48, MAX_ZOOM = 12, DRAG_PX = 6;  // zoom a little past the target
  var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

  function init(svg) {
    var figure = svg.closest("figure");
    var full = svg.viewBox.baseVal;
    var home = { x: full.x, y: full.y, w: full.width, h: full.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };
    var radius = parseFloat(svg.getAttribute("data-radius")) || 9;
    var pointers = {}, start = null, moved = false;

    function scale() {  // screen pixels per SVG unit
      var box = svg.getBoundingClientRect();
      return box.width / view.w;
    }
    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) { return v.toFixed(2); }).join(" "));
      var small = touch && 2 * radius * scale() < TARGET_PX;
      svg.classList.toggle("small-markers", small);
      svg.classList.toggle("zoomed", view.w < home.w - 0.01);
    }
    function clamp() {
      var min = home.w / MAX_ZOOM;
      if (view.w > home.w) { view.h *= home.w / view.w; view.w = home.w; }
      if (view.w < min) { view.h *= min / view.w; view.w = min; }
      view.x = Math.min(Math.max(view.x, home.x - view.w / 2), home.x + home.w - view.w / 2);
      view.y = Math.min(Math.max(view.y, home.y - view.h / 2), home.y + home.h - view.h / 2);
    }
    function toSvg(clientX, clientY) {
      var box = svg.getBoundingClientRect();
      return { x: view.x + (clientX - box.left) * view.w / box.width,
               y: view.y + (clientY - box.top) * view.h / box.height };
    }
    function zoomAt(factor, p) {  // factor > 1 zooms in, keeping p where it is
      var w = view.w / factor, h = view.h / factor;
      view.x = p.x - (p.x - view.x) * w / view.w;
      view.y = p.y - (p.y - view.y) * h / view.h;
      view.w = w; view.h = h;
      clamp(); apply();
    }
    function centre() { return { x: view.x + view.w / 2, y: view.y + view.h / 2 }; }
    function show(box, p) {  // fit box, at least enough for communes to be tappable, near p
      var ratio = home.h / home.w;
      var w = Math.max(box[2], box[3] / ratio);
      var maxW = svg.getBoundingClientRect().width * 2 * radius / ZOOM_TO_PX;  // a view with tappable markers
      w = Math.min(w * 1.1, maxW);
      view.w = w; view.h = w * ratio;
      // A district wider than the view: keep the point tapped in sight rather than the middle.
      view.x = Math.min(Math.max(p.x - view.w / 2, box[0] - view.w * 0.05), box[0] + box[2] - view.w * 0.95);
      view.y = Math.min(Math.max(p.y - view.h / 2, box[1] - view.h * 0.05), box[1] + box[3] - view.h * 0.95);
      if (view.w >= box[2]) { view.x = box[0] + box[2] / 2 - view.w / 2; }
      if (view.h >= box[3]) { view.y = box[1] + box[3] / 2 - view.h / 2; }
      clamp(); apply();
    }

    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      zoomAt(e.deltaY < 0 ? 1.25 : 0.8, toSvg(e.clientX, e.clientY));
    }, { passive: false });

    svg.addEventListener("pointerdown", function (e) {
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
      start = { x: e.clientX, y: e.clientY };
      moved = false;
    });
    svg.addEventListener("pointermove", function (e) {
      var last = pointers[e.pointerId];
      if (!last) { return; }
      var ids = Object.keys(pointers);
      if (ids.length === 2) {
        var other = pointers[ids[0] == e.pointerId ? ids[1] : ids[0]];
        var before = Math.hypot(last.x - other.x, last.y - other.y);
        var after = Math.hypot(e.clientX - other.x, e.clientY - other.y);
        if (before > 0 && after > 0) {
          zoomAt(after / before, toSvg((e.clientX + other.x) / 2, (e.clientY + other.y) / 2));
        }
        moved = true;
      } else if (ids.length === 1) {
        if (Math.hypot(e.clientX - start.x, e.clientY - start.y) > DRAG_PX) { moved = true; }
        if (moved) {
          var s = scale();
          view.x -= (e.clientX - last.x) / s;
          view.y -= (e.clientY - last.y) / s;
          clamp(); apply();
        }
      }
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    });
    function release(e) { delete pointers[e.pointerId]; }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    svg.addEventListener("pointerleave", release);

    svg.addEventListener("click", function (e) {
      if (moved) { e.preventDefault(); moved = false; return; }
      if (!svg.classList.contains("small-markers")) { return; }  // a commune's link opens
      e.preventDefault();
      var district = e.target.closest && e.target.closest("polygon.district");
      var p = toSvg(e.clientX, e.clientY);
      if (district) {
        show(district.getAttribute("data-box").split(" ").map(parseFloat), p);
      } else {
        var want = svg.getBoundingClientRect().width * 2 * radius / ZOOM_TO_PX;
        zoomAt(Math.max(view.w / want, 1.5), p);
      }
    });

    var controls = figure.querySelector(".map-controls");
    controls.hidden = false;
    controls.addEventListener("click", function (e) {
      var button = e.target.closest("button");
      if (!button) { return; }
      var action = button.getAttribute("data-zoom");
      if (action === "in") { zoomAt(1.5, centre()); }
      else if (action === "out") { zoomAt(1 / 1.5, centre()); }
      else { view = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); }
    });
    window.addEventListener("resize", apply);
    apply();
  }

  function start() {
    var svg = document.getElementById("commune-map");
    if (svg && svg.viewBox && svg.viewBox.baseVal) { init(svg); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
