// The live room without reloading (templates/live/): polls a small JSON state
// document every few seconds with If-None-Match, so an unchanged room costs a
// 304. Participants' questions are redrawn from the JSON; the polls part, and
// the moderators' and presenter's pages, are swapped in from a fresh copy of
// the page when they changed. Without this script every page works with its
// forms, and a refresh shows the same.
(function () {
  "use strict";
  var EVERY = 2000;
  var AFTER_ERROR = 10000;
  var room = document.querySelector(".live-room[data-live-state]");
  var region = document.querySelector("[data-live-region][data-live-state]");
  var box = room || region;
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-live-state");
  var etag = box.getAttribute("data-live-etag");
  var phase = box.getAttribute("data-live-phase");

  function later(delay) {
    window.setTimeout(poll, delay);
  }

  function busy(element) {
    var active = document.activeElement;
    return element && active && active !== document.body && element.contains(active) &&
      /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
  }

  function freshPage() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  }

  function swap(selector) {
    var here = document.querySelector(selector);
    if (!here || busy(here)) {
      return Promise.resolve(false);
    }
    return freshPage().then(function (page) {
      var there = page.querySelector(selector);
      if (there) {
        here.innerHTML = there.innerHTML;
        Array.prototype.forEach.call(there.attributes, function (a) {
          here.setAttribute(a.name, a.value);
        });
      }
      return true;
    });
  }

  function text(element, selector, value) {
    element.querySelector(selector).textContent = value;
  }

  function drawQuestions(state) {
    var words = document.getElementById("live-words");
    var list = document.getElementById("live-questions");
    var template = document.getElementById("live-question-template");
    var sort = room.getAttribute("data-live-sort");
    var questions = state.room.questions.slice();
    questions.sort(function (a, b) {
      if (sort === "time") {
        return a.asked_at < b.asked_at ? 1 : a.asked_at > b.asked_at ? -1 : 0;
      }
      return b.votes - a.votes || (a.asked_at < b.asked_at ? -1 : 1) || a.id - b.id;
    });
    // The participant's own votes and questions come with the page (their
    // actions reload it); the polled document is the same for everyone.
    var voted = {};
    (room.getAttribute("data-live-voted") || "").split(" ").forEach(function (id) {
      if (id) {
        voted[id] = true;
      }
    });
    var items = questions.map(function (q) {
      var item = template.content.firstElementChild.cloneNode(true);
      item.id = "q-" + q.id;
      if (q.state === "answered") {
        item.classList.add("is-answered");
        item.querySelector(".live-badge").hidden = false;
      }
      text(item, ".live-question-text", q.text);
      text(item, ".live-author", q.author || words.getAttribute("data-anonymous"));
      text(item, ".live-votes", q.votes === 1 ? words.getAttribute("data-vote-one")
        : words.getAttribute("data-votes").replace("{n}", String(q.votes)));
      if (state.phase === "open" && q.state === "approved") {
        if (voted[q.id]) {
          item.querySelector(".live-voted").hidden = false;
        } else {
          var form = item.querySelector(".live-vote");
          form.action = words.getAttribute("data-vote-url").replace("999999999", String(q.id));
          form.setAttribute("data-question", String(q.id));
          form.hidden = false;
        }
      }
      return item;
    });
    list.replaceChildren.apply(list, items);
    document.getElementById("live-no-questions").hidden = items.length > 0;
    var pinned = questions.filter(function (q) { return q.pinned; })[0];
    var pinBox = document.getElementById("live-pinned");
    pinBox.hidden = !pinned;
    text(pinBox, ".live-pinned-text", pinned ? pinned.text : "");
    // A question of theirs awaits a moderator until it is shown, hidden or merged.
    var decided = {};
    questions.concat(state.room.removed.map(function (id) { return { id: id }; }))
      .forEach(function (q) { decided[q.id] = true; });
    var mine = document.getElementById("live-mine");
    var left = 0;
    Array.prototype.forEach.call(mine.querySelectorAll("li[data-id]"), function (li) {
      li.hidden = decided[li.getAttribute("data-id")] === true;
      left += li.hidden ? 0 : 1;
    });
    mine.hidden = left === 0;
  }

  // A poll's live counts, drawn by the server into the document; a breakdown
  // by group the reader opened stays open.
  function drawResults(poll) {
    var box = document.querySelector('.live-poll-results[data-poll="' + poll.id + '"]');
    if (!box || typeof poll.results_html !== "string") {
      return;
    }
    var open = box.querySelector("details[open]") !== null;
    box.innerHTML = poll.results_html;
    var details = box.querySelector("details");
    if (open && details) {
      details.open = true;
    }
  }

  // The polls part, drawn by the server into the document for a participant
  // who has answered each poll and for one who has not; this page knows which
  // it is (its own answers come with the page, which answering reloads).
  // Not while the participant is filling in a poll: the next document does it.
  function drawPolls(polls, shared) {
    if (busy(polls)) {
      return;
    }
    var answered = {};
    (room.getAttribute("data-live-answered") || "").split(" ").forEach(function (id) {
      if (id) {
        answered[id] = true;
      }
    });
    var token = room.getAttribute("data-csrf") || "";
    var open = {};
    Array.prototype.forEach.call(polls.querySelectorAll(".live-poll"), function (article) {
      open[article.id] = article.querySelector("details[open]") !== null;
    });
    var html = shared.polls.slice().reverse().map(function (poll) {
      return answered[poll.id] ? poll.html.answered : poll.html.open;
    }).join("");
    polls.innerHTML = html || document.getElementById("live-no-poll").innerHTML;
    Array.prototype.forEach.call(polls.querySelectorAll('input[name="csrf_token"]'), function (input) {
      input.value = token;
    });
    Array.prototype.forEach.call(polls.querySelectorAll(".live-poll"), function (article) {
      var details = article.querySelector("details");
      if (open[article.id] && details) {
        details.open = true;
      }
    });
    polls.setAttribute("data-polls-key", shared.polls_key);
  }

  function showRoom(state) {
    if (state.phase !== phase) {
      window.location.reload();
      return Promise.resolve();
    }
    phase = state.phase;
    drawQuestions(state);
    var polls = document.getElementById("live-polls");
    if (polls && polls.getAttribute("data-polls-key") !== state.room.polls_key) {
      // A poll opened, closed or showed its results: the answer forms change.
      drawPolls(polls, state.room);
    } else {
      state.room.polls.forEach(drawResults);
    }
    return Promise.resolve();
  }

  function poll() {
    if (document.hidden) {
      later(EVERY);
      return;
    }
    var headers = { Accept: "application/json" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(url, { credentials: "same-origin", headers: headers, cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        etag = response.headers.get("ETag");
        if (room) {
          return response.json().then(showRoom);
        }
        return swap("[data-live-region]");
      })
      .then(function () { later(EVERY); })
      .catch(function () { later(AFTER_ERROR); });
  }

  // A vote is sent without reloading the page; the count follows with the
  // next document. Anything but a success submits the form as without the
  // script (the page then shows why).
  function voted(form) {
    var id = form.getAttribute("data-question");
    var mine = (room.getAttribute("data-live-voted") || "").split(" ");
    mine.push(id);
    room.setAttribute("data-live-voted", mine.join(" ").trim());
    var item = form.closest(".live-question");
    var done = item && item.querySelector(".live-voted");
    if (!done) {
      done = document.getElementById("live-question-template").content
        .querySelector(".live-voted").cloneNode(true);
      form.parentNode.insertBefore(done, form);
    }
    done.hidden = false;
    form.remove();
  }

  if (room) {
    room.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList || !form.classList.contains("live-vote") || form.getAttribute("data-sending")) {
        return;
      }
      event.preventDefault();
      form.setAttribute("data-sending", "1");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        voted(form);
      }).catch(function () {
        form.submit();
      });
    });
  }

  later(EVERY);
}());
