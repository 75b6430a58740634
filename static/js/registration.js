// Registration form: show only the questions for the chosen stakeholder group
// (localtime.js prefills the time zone). Without this script every question
// shows and the server checks only the chosen group's ones.
(function () {
  "use strict";
  var form = document.querySelector(".registration-form");
  if (!form) { return; }

  var questions = form.querySelectorAll(".type-question[data-types]");
  function chosenType() {
    var checked = form.querySelector("input[data-stakeholder-type]:checked");
    return checked ? checked.value : null;
  }
  function update() {
    var type = chosenType();
    questions.forEach(function (fieldset) {
      var types = fieldset.getAttribute("data-types").split(" ").filter(Boolean);
      var shown = types.length === 0 || (type !== null && types.indexOf(type) !== -1);
      fieldset.hidden = !shown;
    });
  }
  form.querySelectorAll("input[data-stakeholder-type]").forEach(function (input) {
    input.addEventListener("change", update);
  });
  update();
})();
