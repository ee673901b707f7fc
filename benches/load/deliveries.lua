-- wrk script of scripts/load: `wrk ... -s deliveries.lua URL -- DATA_FILE`.
--
-- DATA_FILE (written by benches/load/run.py just before the run, signed with the current time)
-- is Lua returning { path = "/webhooks/...", deliveries = { { headers = {...}, body = "...",
-- expect = 200 | 400, reason = "" | "bad_signature" | ... }, ... } }: valid deliveries mixed
-- with tampered ones. Each thread sends them in turn, delivery i carrying `X-Request-Id: i`; the
-- servers echo X-Request-Id, and response() looks up what delivery i must get: a valid one 200,
-- a tampered one a 4xx with {"error":"<reason>"} in its body. done()
-- prints one line `LOAD_RESULT {json}` with the counts summed over the threads and wrk's
-- socket errors.

local threads = {}
local next_thread = 0

function setup(thread)
  thread:set("offset", next_thread * 37) -- threads start at different deliveries
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

local requests, expect, reason, reason_name
local n, i

function init(args)
  local data = dofile(args[1])
  requests, expect, reason, reason_name = {}, {}, {}, {}
  for k, d in ipairs(data.deliveries) do
    local headers = { ["Content-Type"] = "application/json", ["X-Request-Id"] = tostring(k) }
    for name, value in pairs(d.headers) do headers[name] = value end
    requests[k] = wrk.format("POST", data.path, headers, d.body)
    expect[tostring(k)] = d.expect
    -- The examples and baselines answer {"error":"<code>"} (some JSON encoders add a space).
    reason[tostring(k)] = '"error":%s*"' .. d.reason .. '"'
    reason_name[tostring(k)] = d.reason
  end
  n = #requests
  i = (offset or 0) % n
  -- Per-thread counters, read by done() through thread:get.
  valid_ok, tampered_ok, wrong, bad_status, no_id, first_wrong = 0, 0, 0, 0, 0, ""
end

function request()
  i = i % n + 1
  return requests[i]
end

local function request_id(headers)
  local id = headers["X-Request-Id"] or headers["x-request-id"]
  if id then return id end
  for name, value in pairs(headers) do
    if string.lower(name) == "x-request-id" then return value end
  end
  return nil
end

function response(status, headers, body)
  local id = request_id(headers)
  local want = id and expect[id]
  if not want then
    no_id = no_id + 1
    if first_wrong == "" then first_wrong = "status " .. status .. " without a known X-Request-Id: " .. string.sub(body or "", 1, 200) end
    return
  end
  if not ((status >= 200 and status < 300) or (status >= 400 and status < 500)) then
    bad_status = bad_status + 1
    if first_wrong == "" then first_wrong = "delivery " .. id .. ": status " .. status .. ": " .. string.sub(body or "", 1, 200) end
  elseif want == 200 and status == 200 then
    valid_ok = valid_ok + 1
  elseif want ~= 200 and status >= 400 and status < 500 and string.find(body or "", reason[id]) then
    tampered_ok = tampered_ok + 1
  else
    wrong = wrong + 1
    if first_wrong == "" then first_wrong = "delivery " .. id .. ": expected " .. want .. " " .. reason_name[id] .. ", got " .. status .. ": " .. string.sub(body or "", 1, 200) end
  end
end

local function json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, reqs)
  local t = { valid_ok = 0, tampered_ok = 0, wrong = 0, bad_status = 0, no_id = 0 }
  local first = ""
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
    if first == "" then first = thread:get("first_wrong") end
  end
  local e = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests": %d, "duration_us": %d, "valid_ok": %d, "tampered_ok": %d, "wrong": %d, ' ..
    '"bad_status": %d, "no_id": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"latency_p50_us": %d, "latency_p99_us": %d, "first_wrong": %s}\n',
    summary.requests, summary.duration, t.valid_ok, t.tampered_ok, t.wrong, t.bad_status, t.no_id,
    e.connect, e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(99), json_string(first)))
end
