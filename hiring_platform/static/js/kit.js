// The interview kit's Print button (a script file, not onclick=: the
// Content-Security-Policy runs no inline handlers).
(function () {
  "use strict";

  var button = document.getElementById("print-kit");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();
