"""Cities: the records events are hosted by and action plans belong to.

Programmes, city pairs and the public city page build on these rows
(issue 24); today a city is made from an event's host city the first time
it is named (``services.city_for_host``).
"""
