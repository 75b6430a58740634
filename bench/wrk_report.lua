-- wrk script: GET (default) or, with WRK_FORM=register, POST registration forms
-- with a unique email each; prints one JSON line with the figures at the end.
--   wrk -t2 -c32 -d20s -s bench/wrk_report.lua http://127.0.0.1:8001/events/x/register
local mode = os.getenv("WRK_FORM") or "get"
local run = os.getenv("WRK_RUN") or "run"
local threads = {}
local counter = 0
local id = 0
local types = { "research", "civil_society", "informal" }
local countries = { "MY", "NL", "DE", "FR", "PL", "IT" }

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  id = tonumber(wrk.thread:get("id")) or 0
end

function request()
  if mode ~= "register" then
    return wrk.format("GET")
  end
  counter = counter + 1
  local n = id * 10000000 + counter
  local body = "full_name=Surge+Participant+" .. n
    .. "&email=surge-" .. run .. "-" .. n .. "%40example.org"
    .. "&country=" .. countries[(n % #countries) + 1]
    .. "&timezone=Asia%2FKuala_Lumpur"
    .. "&type_key=" .. types[(n % #types) + 1]
    .. "&role=attendee&consent_privacy=y&organisation=Bench+Org&city=Petaling+Jaya"
  return wrk.format("POST", nil,
    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
    .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
    .. '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
