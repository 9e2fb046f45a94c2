-- wrk script: POST /v1/memberships, a new person email on every request (never a 409).
-- The room id comes from the environment variable WXSIM_ROOM (default "R1"). Runs against the
-- same wxsim must set a different WXSIM_RUN each: the emails restart from 1 at every run, and a
-- repeated one is answered 409, which costs wxsim less than a created membership.
local room = os.getenv("WXSIM_ROOM") or "R1"
local run = os.getenv("WXSIM_RUN") or "0"
local threads_started = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("WXSIM_TOKEN") or "bench-token")

-- Runs in the main Lua state once per wrk thread: gives each thread its own id.
function setup(thread)
    threads_started = threads_started + 1
    thread:set("thread_id", threads_started)
end

counter = 0

request = function()
    counter = counter + 1
    local body = string.format('{"roomId":"%s","personEmail":"user%s.%d.%d@bench.example.com"}',
                               room, run, thread_id, counter)
    return wrk.format(nil, "/v1/memberships", nil, body)
end
