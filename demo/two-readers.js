// The host page's own script: loads a reader "by AJAX", removes one, and counts its own clicks,
// to show that the reader neither needs nor disturbs the page's code.
(function () {
  var clicks = 0;
  document.addEventListener("click", function () {
    clicks += 1;
    document.getElementById("host-clicks").textContent = "Trang đã nhận " + clicks + " lần bấm";
  });
  document.getElementById("load-more").addEventListener("click", function () {
    var mount = document.createElement("div");
    mount.id = "reader-ajax";
    mount.setAttribute("data-commune-reader", "");
    mount.setAttribute("data-src", document.getElementById("reader-lazy").getAttribute("data-src"));
    mount.setAttribute("data-heading-level", "3");
    document.getElementById("more").appendChild(mount);
  });
  document.getElementById("remove-first").addEventListener("click", function () {
    var first = document.getElementById("reader-feed");
    if (first) first.remove();
  });
})();
