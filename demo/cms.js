// Typical portal jQuery: handlers that stop propagation on ancestors of the article area.
$(function () {
  $(".content").on("click", function (event) {
    event.stopPropagation();
  });
  $("#main-content").on("click keydown", function (event) {
    event.stopPropagation();
    event.preventDefault = function () {};
  });
  $(".menu-toggle").on("click", function () {
    var open = $(this).attr("aria-expanded") === "true";
    $(this).attr("aria-expanded", String(!open));
    $(".menu ul").toggle(!open);
  });
  window.hostClicks = 0;
  $(document).on("click", function () {
    window.hostClicks += 1;
  });
});
