// LTI launch pages: check the browser keeps our cookies in the platform's frame before
// going on (or offer a new window), and send a deep linking response back to the platform.
(function () {
  "use strict";
  var check = document.getElementById("lti-cookie-check");
  if (check) {
    var secure = window.location.protocol === "https:";
    document.cookie = "lti1p3_cookie_check=1; path=/; max-age=60" +
      (secure ? "; SameSite=None; Secure; Partitioned" : "; SameSite=Lax");
    if (document.cookie.indexOf("lti1p3_cookie_check=1") !== -1) {
      window.location.replace(check.getAttribute("data-continue"));
    } else {
      document.getElementById("lti-cookie-wait").hidden = true;
      document.getElementById("lti-cookie-blocked").hidden = false;
    }
  }
  var back = document.getElementById("lti-deep-link-return");
  if (back) {
    back.submit();
  }
})();
