-- The raw HTTP ceiling for bench/run.sh: wrk posting prebuilt request bodies to the emulator.
--
--   wrk -t2 -c32 -d5s -s bench/wrk-post.lua URL/v1/proactiveEvents/stages/development -- BODIES.ndjson TOKEN
--
-- Each thread cycles through the bodies of BODIES.ndjson, read once at start-up and split around
-- their referenceId, which it fills with a fresh value per request (`w<thread>x<n>`): the emulator
-- answers 409 to a reference id it has already accepted. TOKEN is a bearer token from the
-- emulator's token endpoint. At the end it prints `send.wrk.*` lines for the results file; the
-- 2xx answers are the requests less `send.wrk.non2xx`.

local bodies = {}
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  local file, token = args[1], args[2]
  for line in io.lines(file) do
    local before, after = line:match('^(.-"referenceId":")[^"]*(".*)$')
    if before then
      bodies[#bodies + 1] = { before, after }
    end
  end
  if #bodies == 0 then
    error("no request bodies with a referenceId in " .. tostring(file))
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  counter = counter + 1
  local body = bodies[(counter - 1) % #bodies + 1]
  return wrk.format(nil, nil, nil, body[1] .. "w" .. tid .. "x" .. counter .. body[2])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("send.wrk.requests %d\n", summary.requests))
  io.write(string.format("send.wrk.non2xx %d\n", e.status))
  io.write(string.format("send.wrk.socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("send.wrk.seconds %.3f\n", summary.duration / 1e6))
end
