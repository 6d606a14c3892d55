// Refill the ward list when the province changes (the form works without this script too).
(function () {
  "use strict";
  var province = document.getElementById("f-province_code");
  var ward = document.getElementById("f-ward_code");
  if (!province || !ward) { return; }
  province.addEventListener("change", function () {
    var first = ward.options[0];
    ward.innerHTML = "";
    ward.appendChild(first);
    if (!province.value) { return; }
    fetch(province.dataset.wardsUrl + "?province=" + encodeURIComponent(province.value))
      .then(function (response) { return response.json(); })
      .then(function (items) {
        items.forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.code;
          option.textContent = item.name;
          ward.appendChild(option);
        });
      });
  });
}());
