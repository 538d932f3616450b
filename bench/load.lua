-- One kind of request for bench/load.py, run by wrk with one connection per thread:
-- cycles over the paths it is given and times each request itself, from the moment it
-- is written to the moment its answer is read. (wrk's own histogram adds estimated
-- samples for slow answers; the benchmark wants only what was seen.)
--   LOAD_PATHS  the paths, one per line
--   LOAD_TOKEN  a bearer token to send, if any
--   LOAD_THINK  milliseconds to wait after each answer (0: closed loop)
--   LOAD_OUT    where done() writes the errors and every latency

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clock, load_timespec *now);
]])
local CLOCK_MONOTONIC = 1
local clock = ffi.new("load_timespec")

local function microseconds()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end

local paths, turn, sent = {}, 0, nil
for path in os.getenv("LOAD_PATHS"):gmatch("[^\n]+") do
  paths[#paths + 1] = path
end
local token = os.getenv("LOAD_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local think = tonumber(os.getenv("LOAD_THINK") or "0")

-- Globals of each thread, read by done() in the main state.
latencies, failures, first_failure = {}, 0, ""

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

function request()
  turn = turn % #paths + 1
  sent = microseconds()
  return wrk.format("GET", paths[turn])
end

function response(status, headers, body)
  latencies[#latencies + 1] = microseconds() - sent
  if status >= 400 then
    failures = failures + 1
    if first_failure == "" then
      first_failure = status .. " " .. body:sub(1, 200)
    end
  end
end

if think > 0 then
  function delay()
    return think
  end
end

function done(summary, latency, requests)
  -- Three lines: "connect read write timeout status" error counts, every latency (µs),
  -- then the first failed answer (status and the start of its body), if any.
  local out = assert(io.open(os.getenv("LOAD_OUT"), "w"))
  local e, failed, sample, values = summary.errors, 0, "", {}
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    if sample == "" then sample = thread:get("first_failure") end
    for _, value in ipairs(thread:get("latencies")) do
      values[#values + 1] = string.format("%.0f", value)
    end
  end
  out:write(string.format("%d %d %d %d %d\n", e.connect, e.read, e.write, e.timeout, failed))
  out:write(table.concat(values, " "), "\n")
  out:write(sample)
  out:close()
end
